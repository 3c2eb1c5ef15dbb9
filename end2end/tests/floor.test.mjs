// The floor now on the dashboard, in Chromium, on a demo that has been dialling for a few hours
// and goes on dialling: a supervisor watches the open jobs' figures move without reloading the
// page (server-sent events), and the same figures are there without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { REPORTS_BASE as BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const JOBS = '[data-testid=jobs-now]';

test("a supervisor watches the floor's figures move without reloading", async () => {
  const page = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=floor-live][data-connected=true]', { timeout: 15_000 });
  await page.waitForSelector(JOBS, { timeout: 30_000 });
  // A mark that a reload would wipe out.
  await page.evaluate(() => { window.floorMark = 'not reloaded'; });
  const before = await page.textContent(JOBS);
  await page.waitForFunction(
    ([selector, first]) => (document.querySelector(selector)?.textContent ?? first) !== first,
    [JOBS, before], { timeout: 60_000 });
  assert.equal(await page.evaluate(() => window.floorMark), 'not reloaded');
  const rows = await page.locator('[data-testid=job-now]').count();
  assert.ok(rows > 0, 'the demo has open jobs');
  assert.match(await page.textContent('[data-testid=why-idle-org]'), /Showing organization Sales\./);
  await shot(page, 'dashboard-floor');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the floor reads without JavaScript', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/`);
  await page.waitForSelector('[data-testid=floor]');
  assert.match(await page.textContent('[data-testid=floor-live]'), /Not live: figures as of the time below\. Refresh to update\./);
  await page.waitForSelector(`${JOBS}, [data-testid=jobs-now-empty]`);
  await page.waitForSelector('[data-testid=idle-campaign], [data-testid=why-idle-none]');
  await page.context().close();
});
