// The call-data reports in Chromium, on a demo that has been dialling for a few hours: a manager
// opens every report from the menu (table or its empty sentence, the chart, the report time
// zone, "How is this computed?"), filters and pages the Call Attempt report, and exports it as
// CSV and Excel (row counts, phone numbers intact, no formula); a supervisor of another
// organization reads only their own rows and is refused another organization's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { REPORTS_BASE as BASE, launch, newPage, signIn, hydrated, shot, waitForCallData } from './helpers.mjs';
import { parseCsv, workbookText, zipEntry } from './files.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TODAY_REPORTS = [
  ['/reports/call-attempts', 'attempts'],
  ['/reports/nuisance', 'nuisance'],
  ['/reports/compliance', 'compliance'],
  ['/reports/agent-time?type=predictive', 'agent-time'],
  ['/reports/agent-time?type=preview', 'agent-time'],
  ['/reports/job-summary?type=predictive', 'job-summary'],
  ['/reports/job-summary?type=preview', 'job-summary'],
  ['/reports/sales', 'sales'],
  ['/reports/codes?kind=nsp', 'codes'],
  ['/reports/codes?kind=ntc', 'codes'],
  ['/reports/recalls', 'recalls'],
  ['/reports/inbound-abandoned', 'inbound'],
  ['/reports/not-attempted', 'not-attempted'],
  ['/reports/not-in-listing', 'not-listed'],
];

test('a manager opens, filters, pages and exports the reports of their organization', async () => {
  const page = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, BASE, 'manager');
  await waitForCallData(page, BASE);

  await page.click('nav >> text=Reports');
  await page.waitForURL(/\/reports$/);
  const menu = await page.locator('[data-testid=report-menu] a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  for (const [path] of TODAY_REPORTS) assert.ok(menu.includes(path), `the menu links ${path}`);
  await shot(page, 'reports-menu');

  for (const [path, testid] of TODAY_REPORTS) {
    await page.goto(`${BASE}${path}`);
    await hydrated(page);
    await page.waitForSelector(`[data-testid=${testid}-table], [data-testid=${testid}-empty]`);
    assert.match(await page.textContent('[data-testid=report-zone]'), /Europe\/London/, path);
    await page.click('[data-testid=metrics-panel] summary');
    assert.ok(await page.isVisible('[data-testid=metrics-panel] dl'), path);
    if (await page.isVisible(`[data-testid=${testid}-table]`)) {
      assert.ok(await page.isVisible(`figure.chart[data-testid=${testid}] svg`), `${path} draws its chart`);
    }
    await shot(page, `report-${path.replace(/[/?=]/g, '-').replace(/^-+/, '')}`);
  }

  // A summary report sorts by a column from its heading, and says so to screen readers.
  await page.goto(`${BASE}/reports/job-summary?type=predictive`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=job-summary-table]');
  await Promise.all([
    page.waitForURL(/order=-attempts/),
    page.click('[data-testid=job-summary-table] thead a.sort:text-is("Attempts")'),
  ]);
  await page.waitForSelector('[data-testid=job-summary-table] th[aria-sort=descending]');
  const sortedBy = await page.locator('[data-testid=job-summary-table] thead th')
    .evaluateAll((cells) => cells.findIndex((th) => th.getAttribute('aria-sort') === 'descending'));
  const attempts = (await page.locator(`[data-testid=job-summary-table] tbody td:nth-child(${sortedBy + 1})`).allTextContents())
    .map((text) => Number(text.replace(/[^0-9.]/g, '')));
  assert.ok(attempts.every((value, i) => i === 0 || attempts[i - 1] >= value), `most attempts first: ${attempts}`);
  await shot(page, 'report-job-summary-sorted');

  // Call Attempt: today's attempts, newest first; a result filter; the next page.
  await page.goto(`${BASE}/reports/call-attempts`);
  await hydrated(page);
  const total = Number(await page.getAttribute('[data-count]', 'data-count'));
  assert.ok(total > 50, `a day of attempts: ${total}`);
  await page.selectOption('#attempts-result', 'answer_human');
  await Promise.all([page.waitForURL(/result=answer_human/), page.click('button:has-text("Apply")')]);
  await page.waitForSelector('[data-testid=attempt-row]');
  const results = await page.locator('[data-testid=attempt-row]').evaluateAll((rows) => rows.map((r) => r.dataset.result));
  assert.deepEqual([...new Set(results)], ['answer_human']);
  const human = Number(await page.getAttribute('[data-count]', 'data-count'));
  assert.ok(human < total);
  if (human > 50) {
    const first = await page.locator('[data-testid=attempt-row]').first().textContent();
    await page.click('a:has-text("Next")');
    await page.waitForURL(/after=/);
    await page.waitForFunction((before) => document.querySelector('[data-testid=attempt-row]')?.textContent !== before, first);
  }
  await shot(page, 'report-call-attempts-filtered');

  // Exports of exactly what is filtered.
  const csvHref = await page.getAttribute('[data-testid=report-export-csv]', 'href');
  assert.match(csvHref, /result=answer_human/);
  assert.doesNotMatch(csvHref, /after=/, 'the export is the whole filtered result, not the page');
  const csv = await page.request.get(`${BASE}${csvHref}`);
  assert.equal(csv.status(), 200);
  const [header, ...lines] = parseCsv(await csv.text());
  // The demo keeps dialling: attempts ingested since the page was read belong to the export too.
  const humanNow = async () => {
    const answer = await page.request.post(`${BASE}/api/reports/call-attempts`, {
      data: { request: { filters: { result: 'answer_human' } } },
    });
    return (await answer.json()).total;
  };
  const between = (count, low, high) => count >= low && count <= high;
  let latest = await humanNow();
  assert.ok(between(lines.length, human, latest), `one line per filtered attempt: ${lines.length} in ${human}–${latest}`);
  const phone = header.indexOf('phone');
  const organization = header.indexOf('organization');
  assert.ok(lines.every((line) => /^\+\d{8,15}$/.test(line[phone])), 'phone numbers keep their +');
  assert.ok(lines.every((line) => line[organization] === 'Sales'));
  assert.ok(lines.every((line) => line.every((cell) => !/^[=@]/.test(cell))), 'no cell starts a formula');

  const xlsxHref = await page.getAttribute('[data-testid=report-export-xlsx]', 'href');
  const workbook = await page.request.get(`${BASE}${xlsxHref}`);
  assert.equal(workbook.status(), 200);
  const zip = Buffer.from(await workbook.body());
  const sheet = zipEntry(zip, 'xl/worksheets/sheet1.xml');
  const sheetRows = (sheet.match(/<row /g) ?? []).length - 1;
  latest = await humanNow();
  assert.ok(between(sheetRows, lines.length, latest), `a header and one row per attempt: ${sheetRows} in ${lines.length}–${latest}`);
  const strings = workbookText(zip);
  assert.ok(strings.includes(lines[0][phone]), 'phone numbers are text in the workbook');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a supervisor of another organization reads only their own call data', async () => {
  // The admin makes a Collections supervisor, who replaces the one-time password.
  const admin = await newPage(browser);
  await signIn(admin, BASE, 'admin');
  await admin.goto(`${BASE}/admin/users`);
  await hydrated(admin);
  await admin.click('[data-testid=new-user]');
  await admin.waitForSelector('[data-testid=new-user-form]');
  await admin.fill('#new-username', 'coll.reports');
  await admin.fill('#new-display-name', 'Colin Collections');
  await admin.selectOption('#new-role', 'supervisor');
  await admin.selectOption('#new-team', { label: 'Collections Floor (Collections)' });
  await admin.click('[data-testid=create-user]');
  const oneTime = await (await admin.waitForSelector('[data-testid=one-time-password]')).inputValue();
  await admin.context().close();

  const page = await newPage(browser);
  await signIn(page, BASE, 'coll.reports', oneTime);
  await page.waitForURL(/\/account\/password$/);
  await hydrated(page);
  const password = 'collections-reports-2026';
  await page.fill('#current_password', oneTime);
  await page.fill('#new_password', password);
  await page.fill('#repeat', password);
  await Promise.all([page.waitForURL(`${BASE}/`), page.click('[data-testid=save-password]')]);
  await waitForCallData(page, BASE);

  const csv = await page.request.get(`${BASE}/reports/call-attempts/export.csv`);
  const [header, ...lines] = parseCsv(await csv.text());
  const organization = header.indexOf('organization');
  assert.ok(lines.length > 0);
  assert.deepEqual([...new Set(lines.map((line) => line[organization]))], ['Collections']);

  await page.goto(`${BASE}/reports/nuisance?organization=Sales`);
  await hydrated(page);
  await page.waitForSelector('[role=alert]');
  assert.match(await page.textContent('[role=alert]'), /only your own organization/);
  assert.equal(await page.locator('[data-testid=nuisance-row]').count(), 0, 'no Sales row');
  const refused = await page.request.get(`${BASE}/reports/nuisance/export.csv?organization=Sales`);
  assert.equal(refused.status(), 400);
  await shot(page, 'report-other-organization-refused');
  await page.context().close();
});
