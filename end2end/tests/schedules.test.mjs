// Scheduled exports in Chromium, on the demo that has been dialling: a manager filters the Call
// Attempt report, presses "Schedule…", saves a weekly schedule from those filters, sees it in
// plain words with its next three runs, presses "Run now", follows the run in the history and
// downloads its file, which holds exactly the filtered rows of the manager's organization.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { REPORTS_BASE as BASE, launch, newPage, signIn, hydrated, shot, waitForCallData } from './helpers.mjs';
import { parseCsv } from './files.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a manager schedules a filtered report, runs it now and downloads the file', async () => {
  const page = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, BASE, 'manager');
  await waitForCallData(page, BASE);
  // The demo's history is ingested in pages: wait until it holds human answers too.
  for (let i = 0; i < 90; i++) {
    const answer = await page.request.post(`${BASE}/api/reports/call-attempts`, {
      data: { request: { filters: { result: 'answer_human' } } },
    });
    if (answer.status() === 200 && (await answer.json()).total > 0) break;
    await page.waitForTimeout(1_000);
  }

  await page.goto(`${BASE}/reports/call-attempts`);
  await hydrated(page);
  await page.selectOption('#attempts-result', 'answer_human');
  await Promise.all([page.waitForURL(/result=answer_human/), page.click('button:has-text("Apply")')]);
  await page.waitForSelector('[data-testid=attempt-row]');
  await Promise.all([page.waitForURL(/\/reports\/schedules\?report=call-attempts/), page.click('[data-testid=report-schedule]')]);
  await hydrated(page);
  await page.waitForSelector('[data-testid=schedule-form]');
  assert.match(await page.inputValue('#schedule-filters'), /result=answer_human/);
  await page.fill('#schedule-name', 'Human answers this week');
  await page.selectOption('#schedule-format', 'csv');
  await page.selectOption('#schedule-period', 'today_so_far');
  await page.fill('#schedule-time_zone', 'Europe/London');
  await shot(page, 'schedule-form');
  await page.click('[data-testid=schedule-submit]');
  await page.waitForSelector('[data-testid=schedule-created]');

  const row = page.locator('[data-testid=schedule-row]', { hasText: 'Human answers this week' });
  await row.waitFor();
  assert.equal(
    (await row.locator('[data-testid=schedule-words]').textContent()).trim(),
    "Every Monday at 07:00 Europe/London, today's (so far) Call Attempt report as CSV",
  );
  const next = await row.locator('[data-testid=schedule-next-runs] li').allTextContents();
  assert.equal(next.length, 3, next.join(' | '));
  assert.ok(next.every((text) => /^\d{4}-\d{2}-\d{2} 07:00 (GMT|BST)$/.test(text)), next.join(' | '));
  await shot(page, 'schedules');

  await row.locator('[data-testid=schedule-run-now]').click();
  await Promise.all([page.waitForURL(/history=/), row.locator('[data-testid=schedule-history-link]').click()]);
  await hydrated(page);
  const link = page.locator('[data-testid=schedule-history] [data-testid=run-download]').first();
  await link.waitFor({ timeout: 60_000 });
  await shot(page, 'schedule-history');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /^call-attempts-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...lines] = parseCsv(readFileSync(await download.path(), 'utf8'));
  assert.ok(lines.length > 0, 'today has human answers');
  const result = header.indexOf('result');
  const organization = header.indexOf('organization');
  assert.ok(result >= 0 && organization >= 0, header.join(','));
  assert.equal(new Set(lines.map((line) => line[result])).size, 1, 'only the filtered result');
  assert.deepEqual([...new Set(lines.map((line) => line[organization]))], ['Sales']);
  const rows = await page.locator('[data-testid=run-row]').first().textContent();
  assert.match(rows, /Run now/);
  assert.deepEqual(errors, []);
  await page.context().close();
});
