// The callback dashboard in Chromium, on a demo that has been dialling for a few hours: a
// supervisor reads the counts per section (each a link to its callbacks), filters to one section
// and exports it; schedules a callback through POM for a Winback contact, with a bad field named
// first; and finds it on the dashboard once the call-data feed has brought it. A manager reads
// the dashboard without the form. A callback due in a minute or two arrives on an open page and
// turns overdue there, without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { REPORTS_BASE as BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';
import { parseCsv } from './files.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** `YYYY-MM-DDTHH:MM` for a datetime-local input, `days` from now at `hour`:00 UTC. */
function localInput(days, hour) {
  const at = new Date(Date.now() + days * 86_400_000);
  return `${at.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

test('a supervisor reads the callbacks by section, exports them and schedules one through POM', async () => {
  const page = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, BASE, 'supervisor');
  await page.click('nav >> text=Callbacks');
  await page.waitForURL(/\/callbacks$/);
  await hydrated(page);
  await page.waitForSelector('[data-testid=callbacks-count-overdue]');
  const count = async (section) => Number(await page.textContent(`[data-testid=callbacks-count-${section}] .tile-figure`));
  const open = (await count('overdue')) + (await count('next_hour')) + (await count('later_today')) + (await count('later'));
  assert.match(await page.textContent('[data-testid=callbacks-breakdown]'), /by type: .*; by state: .*Call data up to/);
  await page.waitForSelector('[data-testid=callbacks-table], [data-testid=callbacks-empty]');
  await shot(page, 'callbacks');

  // A section's tile opens its callbacks, every row of that section; the export is the same.
  const busiest = ['overdue', 'next_hour', 'later_today', 'later', 'ended'];
  const counts = await Promise.all(busiest.map(count));
  const section = busiest[counts.indexOf(Math.max(...counts))];
  await Promise.all([page.waitForURL(new RegExp(`section=${section}`)), page.click(`[data-testid=callbacks-count-${section}]`)]);
  // The page reads the section without a reload: wait for its rows to replace the others.
  await page.waitForFunction((wanted) => {
    const rows = [...document.querySelectorAll('[data-testid=callback-row]')];
    return rows.length > 0 && rows.every((r) => r.dataset.section === wanted);
  }, section);
  assert.equal(await page.getAttribute(`[data-testid=callbacks-count-${section}]`, 'aria-current'), 'page');
  const csvHref = await page.getAttribute('[data-testid=report-export-csv]', 'href');
  assert.match(csvHref, new RegExp(`section=${section}`));
  const [header, ...lines] = parseCsv(await (await page.request.get(`${BASE}${csvHref}`)).text());
  // The CSV says the section in words, as the tile does.
  const words = (await page.textContent(`[data-testid=callbacks-count-${section}] .tile-label`)).trim();
  const column = header.indexOf('section');
  const others = lines.filter((line) => line[column] !== words);
  assert.ok(lines.length > 0 && others.length === 0, `${header} ${JSON.stringify(others.slice(0, 2))}`);
  assert.ok(open + (await count('ended')) > 0, 'the demo has callbacks');
  await shot(page, `callbacks-${section}`);

  // Scheduling: a due time in the past is named at its field, then a good one reaches POM.
  await page.goto(`${BASE}/callbacks`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=callback-form] #callback-campaign option[value=Sales_Winback_Progressive]', { state: 'attached' });
  await page.selectOption('#callback-campaign', 'Sales_Winback_Progressive');
  await page.selectOption('#callback-list', 'Sales_Winback');
  await page.selectOption('#callback-time_zone', 'UTC');
  await page.fill('#callback-contact_id', '0102902');
  await page.fill('#callback-due', localInput(-1, 9));
  await page.fill('#callback-notes', 'Prefers mornings');
  await page.click('[data-testid=callback-submit]');
  await page.waitForSelector('#callback-due-error:not(:empty)');
  assert.match(await page.textContent('#callback-due-error'), /already passed/);
  assert.equal(await page.getAttribute('#callback-due', 'aria-invalid'), 'true');
  await shot(page, 'callbacks-schedule-refused');
  await page.fill('#callback-due', localInput(2, 10));
  await page.click('[data-testid=callback-submit]');
  await page.waitForSelector('[data-testid=callback-message] .notice.ok');
  assert.match(await page.textContent('[data-testid=callback-message]'), /0102902 in Sales_Winback_Progressive: POM will offer the callback/);

  // The feed brings it back within seconds: later, not arranged on a call, with its notes.
  let row;
  for (let i = 0; i < 30 && !row; i++) {
    await page.goto(`${BASE}/callbacks?contact=0102902`);
    await hydrated(page);
    await page.waitForSelector('[data-testid=callbacks-table], [data-testid=callbacks-empty]');
    const rows = page.locator('[data-testid=callback-row]', { hasText: 'Prefers mornings' });
    if ((await rows.count()) > 0) row = rows.first();
    else await page.waitForTimeout(1_000);
  }
  assert.ok(row, 'the scheduled callback reached the dashboard');
  assert.equal(await row.getAttribute('data-section'), 'later');
  assert.match(await row.textContent(), /Web service/, 'scheduled, not arranged on a call');
  await shot(page, 'callbacks-scheduled');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a supervisor watches a callback arrive and become overdue without reloading', async () => {
  const page = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/callbacks?contact=0102905`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=callbacks-live][data-connected=true]', { timeout: 15_000 });
  // A mark that a reload would wipe out.
  await page.evaluate(() => { window.callbacksMark = 'not reloaded'; });
  const notes = `Due in a minute ${Date.now()}`;
  // Due at the start of the minute after next (UTC): 60 to 120 seconds from now.
  const due = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 120_000).toISOString().slice(0, 16);
  await page.waitForSelector('[data-testid=callback-form] #callback-campaign option[value=Sales_Winback_Progressive]', { state: 'attached' });
  await page.selectOption('#callback-campaign', 'Sales_Winback_Progressive');
  await page.selectOption('#callback-list', 'Sales_Winback');
  await page.selectOption('#callback-time_zone', 'UTC');
  await page.fill('#callback-contact_id', '0102905');
  await page.fill('#callback-due', due);
  await page.fill('#callback-notes', notes);
  await page.click('[data-testid=callback-submit]');
  await page.waitForSelector('[data-testid=callback-message] .notice.ok');
  // The feed brings it, and the open table shows it due within the hour, then overdue.
  const row = page.locator('[data-testid=callback-row]', { hasText: notes });
  await row.waitFor({ timeout: 60_000 });
  assert.equal(await row.getAttribute('data-section'), 'next_hour');
  await page.waitForFunction((text) => [...document.querySelectorAll('[data-testid=callback-row]')]
    .some((r) => r.textContent.includes(text) && r.dataset.section === 'overdue'), notes, { timeout: 180_000 });
  assert.ok(Number(await page.textContent('[data-testid=callbacks-count-overdue] .tile-figure')) >= 1);
  assert.equal(await page.evaluate(() => window.callbacksMark), 'not reloaded');
  await shot(page, 'callbacks-overdue-live');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a manager reads the callbacks but is not offered the schedule form', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'manager');
  await page.goto(`${BASE}/callbacks`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=callbacks-table], [data-testid=callbacks-empty]');
  assert.equal(await page.locator('[data-testid=callback-form]').count(), 0);
  const refused = await page.request.post(`${BASE}/api/callbacks/schedule`, {
    data: { form: { campaign: 'Sales_Winback_Progressive', list: 'Sales_Winback', contact_id: '0102903', due: localInput(2, 10), time_zone: 'UTC' } },
  });
  assert.equal(refused.status(), 403);
  await page.context().close();
});
