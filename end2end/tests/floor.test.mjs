// The floor now on the dashboard, in Chromium, on a demo that has been dialling for a few hours
// and goes on dialling: a supervisor watches the open jobs' figures move without reloading the
// page (server-sent events), reads today's figures (each linked to its report), the charts and
// the agents by team and state, and the same figures are there without JavaScript.
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
  // Today's figures, each a link to its report, and the charts of the day so far.
  const keys = await page.locator('[data-testid=day-figure]').evaluateAll((items) => items.map((i) => i.dataset.key));
  assert.deepEqual(keys, ['attempts', 'live_answers', 'connects', 'abandon_rate', 'sales', 'callbacks_overdue', 'callbacks_due']);
  const attempts = page.locator('[data-testid=day-figure][data-key=attempts]');
  assert.ok(Number((await attempts.locator('[data-testid=day-value]').textContent()).replace(/,/g, '')) > 0, 'the demo dialled today');
  assert.match(await attempts.locator('a').getAttribute('href'), /^\/reports\/call-attempts\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&organization=Sales$/);
  assert.match(await page.getAttribute('[data-testid=day-figure][data-key=abandon_rate] a', 'href'), /^\/reports\/compliance\?/);
  assert.match(await page.getAttribute('[data-testid=day-figure][data-key=callbacks_overdue] a', 'href'), /^\/callbacks\?section=overdue/);
  await page.waitForSelector('[data-testid=chart-quarters] svg polyline');
  assert.match(await page.textContent('[data-testid=chart-quarters] figcaption'), /Attempts and connects per 15 minutes(, today against last \w+| today \(no figures for last \w+\))/);
  await page.waitForSelector('[data-testid=chart-results] svg rect');
  // Agents now: the demo's teams with their logged-in agents by state.
  const teams = page.locator('[data-testid=agents-team]');
  assert.ok((await teams.count()) > 0, 'the demo has agents logged in');
  assert.match(await teams.first().getAttribute('data-team'), /^Sales Team/);
  assert.match(await page.textContent('[data-testid=agents-now] thead'), /Team.*Logged in.*Ready.*Preview.*Talking.*Wrap-up.*Not ready/s);
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
  assert.equal(await page.locator('[data-testid=day-figure]').count(), 7, "today's figures without JavaScript");
  await page.waitForSelector('[data-testid=chart-quarters] svg');
  await page.context().close();
});
