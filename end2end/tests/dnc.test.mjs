// A supervisor uploads a DNC file with good, bad and duplicate rows in demo mode, sees each number
// as it will be sent (a national number read as British, demo mode's region) beside the original,
// downloads the reject file, confirms, and the organization's DNC list grows by exactly the valid
// unique count; the DNC List report shows the numbers with source "Manual".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The organization's DNC list size as the upload form shows it ("Sales (20 addresses)"). */
async function dncListSize(page) {
  await page.goto(`${BASE}/dnc`);
  const text = await page.locator('#dnc-dnc-list option:checked').textContent();
  return Number(text.match(/\(([\d,]+) addresses\)/)[1].replace(/,/g, ''));
}

test('an upload is checked, its rejects downloaded, and exactly the valid unique numbers are sent', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor');
  const before = await dncListSize(page);
  await hydrated(page);
  await shot(page, 'dnc');

  // Numbers of this run only, so a second run against the same simulator adds them again.
  const stem = `7911${String(Date.now() % 100000).padStart(5, '0')}`;
  const file = [
    'Phone;Name',
    `+44 ${stem}1;Good one`,
    `+44-${stem}2;Good two`,
    `+44 (${stem.slice(0, 4)}) ${stem.slice(4)}.3;Good three`,
    `+44${stem}1;Duplicate of one`,
    `0${stem}4;National`,
    '12345;Too short',
    'call me;Letters',
    ';Empty',
  ].join('\r\n');
  await page.check('#dnc-mode-dnc_list');
  await page.setInputFiles('#dnc-file', { name: 'e2e-dnc.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await Promise.all([page.waitForURL(/\/dnc\/uploads\/\d+$/), page.click('[data-testid=dnc-upload-submit]')]);
  await hydrated(page);
  assert.equal(await page.getAttribute('[data-testid=dnc-valid]', 'data-count'), '4');
  assert.match(await page.textContent('[data-testid=dnc-phone-rules]'), /GB numbers \(demo mode's region/);
  // Each number as it will be sent, beside the original and as people write it.
  const sample = await page.locator('[data-testid=dnc-sample-row]').evaluateAll((trs) => trs.map((tr) => ({
    original: tr.querySelector('td:nth-child(2)').textContent.trim(),
    sent: tr.querySelector('[data-testid=dnc-sample-sent]').textContent.trim(),
    shown: tr.querySelector('[data-testid=dnc-sample-shown]').textContent.trim(),
  })));
  const national = sample.find((row) => row.original === `0${stem}4`);
  assert.equal(national.sent, `+44${stem}4`, 'a national number is sent with its country code');
  assert.equal(national.shown, `+44 ${stem.slice(0, 4)} ${stem.slice(4)}4`);
  const spaced = sample.find((row) => row.original === `+44 ${stem}1`);
  assert.equal(spaced.sent, `+44${stem}1`);
  assert.equal(sample.find((row) => row.original === '12345').sent, '', 'a rejected row is not sent');
  assert.equal((await page.textContent('[data-testid=dnc-duplicates]')).replace(/\D/g, ''), '1');
  assert.equal((await page.textContent('[data-testid=dnc-empty]')).replace(/\D/g, ''), '1');
  await shot(page, 'dnc-preflight');

  const rejectsHref = await page.getAttribute('[data-testid=dnc-rejects]', 'href');
  const rejects = await (await page.request.get(`${BASE}${rejectsHref}`)).text();
  assert.match(rejects, /"?row_number"?,"?original_value"?,"?reason"?/);
  for (const original of ['12345', 'call me', `+44${stem}1`]) {
    assert.ok(rejects.includes(original), `the reject file names ${original}`);
  }
  assert.equal(rejects.trim().split(/\r?\n/).length, 5, 'a header and four rejected rows');
  assert.equal(await dncListSize(page), before, 'nothing is sent before confirming');

  await page.goBack();
  await hydrated(page);
  await page.click('[data-testid=dnc-confirm]');
  await page.waitForSelector('[data-testid=dnc-accepted]', { timeout: 60_000 });
  assert.equal((await page.textContent('[data-testid=dnc-accepted]')).replace(/\D/g, ''), '4');
  await shot(page, 'dnc-sent');
  assert.equal(await dncListSize(page), before + 4, 'the DNC list grew by exactly the valid unique count');

  await page.goto(`${BASE}/dnc/report?source=manual&address=${stem}`);
  await page.waitForSelector('[data-testid=dnc-report-row]');
  const rows = page.locator('[data-testid=dnc-report-row]');
  assert.equal(await rows.count(), 4);
  for (const source of await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.source))) {
    assert.equal(source, 'upload');
  }
  assert.match(await page.textContent('[data-testid=dnc-report-table]'), /Manual/);
  await shot(page, 'dnc-report');
  await page.context().close();
});
