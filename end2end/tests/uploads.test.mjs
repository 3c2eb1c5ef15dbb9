// An admin uploads a spreadsheet of contacts to a demo list in demo mode: OCM maps the columns
// from their headers, the date format is set, the pre-flight finds 5 valid and 3 bad rows, the
// reject file names the bad ones (and with no phone or e-mail column mapped, nothing is to send),
// and after the confirmation POM imports exactly the 5 (followed live to "completed", the wait for
// POM's start explained, the mapping used kept on the page), the list grows by 5 and the history
// shows the counts. Also: the upload form without JavaScript, and adding and deleting a data
// source mapping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';
import { xlsx } from './xlsx.mjs';

const LIST = 'Sales_Manual_Upload';
const SOURCE = `${LIST}_DS`;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The list's total contacts as its page shows it. */
async function listTotal(page, listId) {
  await page.goto(`${BASE}/lists/${listId}`);
  return Number((await page.textContent('[data-testid=list-total]')).replace(/\D/g, ''));
}

/** The list's id, from the upload form's list choice. */
async function listId(page) {
  await page.goto(`${BASE}/uploads`);
  const options = await page.locator('#upload-list option').evaluateAll((all) => all.map((o) => [o.value, o.textContent]));
  const found = options.find(([, text]) => text.startsWith(`${LIST} · `));
  assert.ok(found, `the form offers ${LIST}`);
  return found[0];
}

/** Eight data rows: five good ones, a repeated customer id, a phone too short with no e-mail, an impossible date. */
function contacts(run) {
  const id = (n) => `E2E${run}-${n}`;
  const phone = (n) => `+44 7700 9${String(run).padStart(6, '0').slice(-3)}${String(n).padStart(2, '0')}`;
  return [
    ['Customer ID', 'First Name', 'Surname', 'Mobile', 'Email', 'Expiry Date'],
    [id(1), 'Ann', 'Archer', phone(1), `ann.${run}@example.com`, '15/03/2027'],
    [id(2), 'Bob', 'Baker', phone(2), `bob.${run}@example.com`, '01/12/2026'],
    [id(3), 'Cat', 'Carter', phone(3), `cat.${run}@example.com`, '28/02/2027'],
    [id(4), 'Dan', 'Dyer', phone(4), `dan.${run}@example.com`, '31/12/2026'],
    [id(5), 'Eve', 'Evans', phone(5), `eve.${run}@example.com`, '05/06/2027'],
    [id(1), 'Fay', 'Again', phone(6), `fay.${run}@example.com`, '01/01/2027'],
    [id(7), 'Gus', 'Short', '12', '', '01/01/2027'],
    [id(8), 'Hal', 'Nodate', phone(8), `hal.${run}@example.com`, '31/02/2026'],
  ];
}

test('a spreadsheet is mapped, checked, sent and followed until POM has imported exactly the valid rows', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'admin');
  const id = await listId(page);
  const before = await listTotal(page, id);

  await page.goto(`${BASE}/uploads`);
  await hydrated(page);
  await page.selectOption('#upload-list', id);
  await page.waitForFunction((source) => document.querySelector('#upload-source').value === source, SOURCE);
  const offered = await page.locator('#upload-source option').allTextContents();
  assert.ok(offered.every((text) => !text.includes('replace')), 'replace data sources are not offered unless asked for');
  const run = Date.now() % 1_000_000;
  await page.setInputFiles('#upload-file', {
    name: 'e2e-contacts.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: xlsx(contacts(run)),
  });
  await shot(page, 'uploads');
  await Promise.all([page.waitForURL(/\/uploads\/\d+$/), page.click('[data-testid=upload-submit]')]);
  const uploadId = page.url().match(/\/uploads\/(\d+)$/)[1];
  await hydrated(page);

  const mapped = async (header) => page.locator(`tr[data-header="${header}"] select`).inputValue();
  assert.equal(await mapped('Customer ID'), 'userContactId');
  assert.equal(await mapped('Mobile'), 'phoneNumber1');
  assert.equal(await mapped('Email'), 'email');
  assert.equal(await mapped('First Name'), 'firstName');
  assert.equal(await mapped('Surname'), 'lastName');

  // No phone or e-mail column: nothing is "to send", and the page says why.
  await page.locator('tr[data-header="Mobile"] select').selectOption('');
  await page.locator('tr[data-header="Email"] select').selectOption('');
  await page.click('[data-testid=upload-recheck]');
  await page.waitForSelector('[data-testid=upload-blocking]');
  assert.equal(await page.getAttribute('[data-testid=upload-valid]', 'data-count'), '0');
  assert.match(await page.textContent('.dnc-counts'), /To send \(blocked\)/);
  assert.doesNotMatch(await page.textContent('.dnc-counts'), /Valid, to send/);
  assert.match(await page.textContent('[data-testid=upload-blocking]'), /phone number or e-mail/);
  assert.match(await page.textContent('[data-testid=upload-blocked-passing]'), /^Nothing is to send until then: \d+ of 8 rows pass/);
  assert.ok(await page.isDisabled('[data-testid=upload-send]'));
  await shot(page, 'upload-blocked');
  await page.locator('tr[data-header="Mobile"] select').selectOption('phoneNumber1');
  await page.locator('tr[data-header="Email"] select').selectOption('email');

  await page.selectOption('#upload-date-format', 'dmy');
  if (await mapped('Expiry Date') !== 'EXPIRY_DATE') {
    await page.locator('tr[data-header="Expiry Date"] select').selectOption('EXPIRY_DATE');
  }
  assert.ok(await page.isDisabled('[data-testid=upload-send]'), 'changed choices are checked before sending');
  await page.click('[data-testid=upload-recheck]');
  await page.waitForSelector('[data-testid=upload-valid][data-count="5"]');
  assert.equal(await page.getAttribute('[data-testid=upload-rows]', 'data-count'), '8');
  assert.equal(await page.getAttribute('[data-testid=upload-rejected]', 'data-count'), '3');
  assert.equal(await page.getAttribute('[data-testid=upload-duplicates]', 'data-count'), '1');
  assert.equal(await mapped('Expiry Date'), 'EXPIRY_DATE');
  assert.equal(await page.locator('[data-testid=upload-blocking]').count(), 0);
  await shot(page, 'upload-preflight');

  const rejectsHref = await page.getAttribute('[data-testid=upload-rejects]', 'href');
  const rejects = await (await page.request.get(`${BASE}${rejectsHref}`)).text();
  const lines = rejects.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines.length, 4, 'a header and the three bad rows');
  for (const named of [`E2E${run}-1`, `E2E${run}-7`, `E2E${run}-8`, '31/02/2026']) {
    assert.ok(rejects.includes(named), `the reject file names ${named}`);
  }

  await page.click('[data-testid=upload-send]');
  await page.waitForSelector('[data-testid=upload-confirm-dialog][open]');
  const said = await page.textContent('[data-testid=upload-confirm-dialog]');
  assert.match(said, new RegExp(`5 rows go to the data source ${SOURCE}`));
  assert.match(said, new RegExp(`/ocm/${LIST}\\.csv`));
  await shot(page, 'upload-confirm');
  await page.click('[data-testid=upload-confirm-send]');
  await page.waitForSelector('[data-testid=upload-follow]');
  // Until POM starts, the page says when and why it waits (the e2e server waits 2 seconds).
  await page.waitForSelector('[data-testid=upload-start-wait]');
  const why = await page.textContent('[data-testid=upload-start-why]');
  assert.match(why, /once, at the time it is scheduled for/);
  assert.match(why, /2 seconds after the file is on the drop \(setting OCM_UPLOAD_START_DELAY_SECONDS\)/);
  await shot(page, 'upload-waiting');
  // What was sent where stays on the page once sent.
  const sentAs = (header) => page.getAttribute(`[data-testid=upload-sent-mapping] tr[data-header="${header}"]`, 'data-attribute');
  assert.equal(await sentAs('Mobile'), 'phoneNumber1');
  assert.equal(await sentAs('Expiry Date'), 'EXPIRY_DATE');
  await page.waitForSelector('[data-testid=upload-state][data-state=completed]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('[data-testid=upload-pom-state]', 'data-state'), 'COMPLETED');
  assert.equal(await page.getAttribute('[data-testid=upload-pom-counters] tr[data-counter=success]', 'data-count'), '5');
  assert.equal(await page.getAttribute('[data-testid=upload-missing]', 'data-count'), '0');
  assert.equal(await page.locator('[data-testid=upload-start-wait]').count(), 0, 'no wait once imported');
  assert.match(await page.textContent('[data-testid=upload-scheduled]'), /^\d{4}[-/]\d{2}[-/]\d{2} \d{2}:\d{2}:\d{2}/);
  await shot(page, 'upload-completed');
  await page.reload();
  assert.equal(await sentAs('Email'), 'email', 'the mapping used is shown when the page is opened again');
  assert.equal(await sentAs('First Name'), 'firstName');

  assert.equal(await listTotal(page, id), before + 5, 'the list grew by exactly the valid rows');

  await page.goto(`${BASE}/uploads/history?list_name=${LIST}`);
  const row = page.locator(`[data-testid=upload-history-row][data-upload-id="${uploadId}"]`);
  assert.equal(await row.getAttribute('data-state'), 'completed');
  assert.equal(await row.locator('[data-col=read]').textContent(), '8');
  assert.equal(await row.locator('[data-col=sent]').textContent(), '5');
  assert.equal(await row.locator('[data-col=rejected]').textContent(), '3');
  assert.equal(await row.locator('[data-col=imported]').textContent(), '5');
  await shot(page, 'upload-history');
  await page.context().close();
});

test('without JavaScript the form offers every data source with its type', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await signIn(page, BASE, 'admin');
  await page.goto(`${BASE}/uploads`);
  const labels = await page.locator('#upload-source option').allTextContents();
  assert.ok(labels.some((text) => text.startsWith(`${SOURCE} (append)`)), 'data sources are labelled with their type');
  assert.equal(await page.isVisible('#upload-include-replace'), false);
  await page.goto(`${BASE}/uploads?error=too_large`);
  assert.match(await page.textContent('[data-testid=upload-file-error]'), /larger than the upload limit/);
  await shot(page, 'uploads-no-js');
  await page.context().close();
});

test('a data source mapping is checked, added and deleted', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'admin');
  await page.goto(`${BASE}/uploads/sources`);
  await hydrated(page);
  await page.click('[data-testid=source-save]');
  assert.match(await page.textContent('#source-name-error'), /data source name/);
  assert.match(await page.textContent('#source-list-error'), /contact list/);

  const name = `E2E_${Date.now()}_DS`;
  await page.fill('#source-name', name);
  await page.selectOption('#source-organization', 'Sales');
  await page.selectOption('#source-list', LIST);
  assert.equal(await page.inputValue('#source-remote-path'), `/ocm/${LIST}.csv`);
  await page.check('#source-kind-replace');
  await page.waitForSelector('[data-testid=source-replace-warning]');
  await page.click('[data-testid=source-save]');
  const row = page.locator(`[data-testid=source-row][data-name="${name}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /replace/);
  await shot(page, 'upload-sources');

  await row.locator('[data-testid=source-delete]').click();
  await page.waitForSelector('[data-testid=source-delete-dialog][open]');
  await page.click('[data-testid=source-confirm-delete]');
  await row.waitFor({ state: 'detached' });
  assert.match(await page.textContent('[data-testid=source-notice]'), new RegExp(`Deleted the data source ${name}`));
  await page.context().close();
});
