// Campaigns in demo mode: a supervisor starts a campaign and pauses, resumes and stops its job,
// watching every state arrive live without reloading, and schedules a start; a manager sees the
// board but can act on nothing (and the server refuses a direct call); the board renders without
// JavaScript; an admin stops one organization's dialling in an emergency and everyone there sees
// the banner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const row = (name) => `[data-testid=campaign-row][data-campaign="${name}"]`;

/**
 * Records every state the campaign's row shows, however briefly, so a state that lasts less than
 * the polling interval of a wait is still seen. Returns a function that waits for `state`.
 */
async function watchStates(page, name) {
  await page.evaluate((selector) => {
    window.__seenStates = [];
    const record = () => {
      const state = document.querySelector(`${selector} [data-testid=campaign-state]`)?.dataset.state;
      if (state !== undefined && window.__seenStates.at(-1) !== state) window.__seenStates.push(state);
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
  }, row(name));
  return async (state) => {
    await page.waitForFunction((s) => window.__seenStates.includes(s), state, { timeout: 10_000 });
  };
}

/** Opens the confirmation for `button` of the campaign's row and returns the dialog's title. */
async function ask(page, name, button) {
  await page.click(`${row(name)} [data-testid=${button}]`);
  await page.waitForSelector('[data-testid=confirm-dialog][open]');
  const focused = await page.evaluate(() => document.activeElement?.dataset.testid);
  assert.equal(focused, 'confirm-cancel', 'Cancel has the focus: Enter by habit stops nothing');
  return (await page.textContent('#campaign-confirm-title')).trim();
}

/** Confirms the open dialog and waits for the answer in the status region (emptied on sending). */
async function confirm(page) {
  await page.click('[data-testid=confirm-action]');
  await page.waitForFunction(
    () => ['campaign-message', 'campaign-error']
      .some((id) => (document.querySelector(`[data-testid=${id}]`)?.textContent ?? '').trim() !== ''),
    null,
    { timeout: 10_000 },
  );
  const error = (await page.textContent('[data-testid=campaign-error]')).trim();
  assert.equal(error, '', `POM accepted the action (${error})`);
}

test('a supervisor starts, pauses, resumes and stops a job and sees each state live', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/campaigns`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=campaigns-live]');
  assert.equal(await page.textContent('[data-testid=campaigns-organization]'), 'Sales');
  assert.match(await page.textContent('[data-testid=campaigns-read-at]'), /Read from POM at \d\d:\d\d:\d\d/);
  assert.equal(await page.isVisible('.needs-js'), false, 'no note about JavaScript when it runs');
  const name = await page.locator('[data-testid=campaign-row]:has([data-testid=campaign-start])').first()
    .getAttribute('data-campaign');
  assert.ok(name, 'a campaign of Sales has no open job');
  // Any reload would lose this mark.
  await page.evaluate(() => { window.__sameDocument = true; });
  const reaches = await watchStates(page, name);
  await shot(page, 'campaigns');

  assert.equal(await ask(page, name, 'campaign-start'), `Start ${name}?`);
  await shot(page, 'campaigns-confirm-start');
  await confirm(page);
  await reaches('JOB_QUEUED');
  await reaches('JOB_ACTIVE');
  const jobId = (await page.textContent(`${row(name)} td.num`)).trim();
  assert.match(jobId, /^\d+$/, 'the row shows the new job');
  await shot(page, 'campaigns-active');

  assert.equal(await ask(page, name, 'campaign-pause'), `Pause job ${jobId} of ${name}?`);
  await confirm(page);
  await reaches('JOB_PAUSED');
  await shot(page, 'campaigns-paused');

  assert.equal(await ask(page, name, 'campaign-resume'), `Resume job ${jobId} of ${name}?`);
  await confirm(page);
  await page.waitForFunction(() => window.__seenStates.filter((s) => s === 'JOB_ACTIVE').length >= 2, null, { timeout: 10_000 });

  assert.equal(await ask(page, name, 'campaign-stop'), `Stop job ${jobId} of ${name}?`);
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=confirm-dialog]:not([open])', { state: 'attached' });
  assert.equal(await page.getAttribute(`${row(name)} [data-testid=campaign-state]`, 'data-state'), 'JOB_ACTIVE',
    'Escape cancels');
  await ask(page, name, 'campaign-stop');
  await shot(page, 'campaigns-confirm-stop');
  await confirm(page);
  await reaches('JOB_STOPPING');
  await reaches('JOB_STOPPED');
  await page.waitForSelector(`${row(name)} [data-testid=campaign-start]`);
  await page.waitForSelector('[data-testid=campaign-action-row]');
  const actions = await page.textContent('[data-testid=campaign-actions-table]');
  for (const word of ['Start', 'Pause', 'Resume', 'Stop']) assert.match(actions, new RegExp(word));
  assert.ok(await page.evaluate(() => window.__sameDocument === true), 'the page was never reloaded');
  await shot(page, 'campaigns-stopped');
  await page.context().close();
});

test('a supervisor schedules a start, after the form has named what is missing', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/campaigns`);
  await hydrated(page);
  await page.click('[data-testid=schedule-submit]');
  assert.match(await page.textContent('#schedule-campaign-error'), /Choose a campaign/);
  assert.match(await page.textContent('#schedule-start-error'), /date and time/);
  assert.equal(await page.getAttribute('#schedule-start', 'aria-invalid'), 'true');
  const name = await page.locator('#schedule-campaign option:not([value=""])').first().getAttribute('value');
  await page.selectOption('#schedule-campaign', name);
  await page.fill('#schedule-start', `${new Date().getUTCFullYear() + 1}-06-01T09:30`);
  await page.click('[data-testid=schedule-submit]');
  // POM cannot cancel a scheduled start: nothing is sent before the user confirms.
  await page.waitForSelector('[data-testid=schedule-confirm-panel]');
  assert.match(await page.textContent('[data-testid=schedule-confirm-panel]'),
    new RegExp(`${name} starts on ${new Date().getUTCFullYear() + 1}-06-01 at 09:30 .*no way to cancel`));
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'schedule-confirm');
  await page.click('[data-testid=schedule-back]');
  assert.equal(await page.locator('[data-testid=schedule-confirm-panel]').count(), 0);
  assert.equal(await page.locator(`[data-testid=scheduled-row][data-campaign="${name}"]`).count(), 0,
    'going back sends nothing');
  await page.click('[data-testid=schedule-submit]');
  await shot(page, 'campaigns-schedule-confirm');
  await page.click('[data-testid=schedule-confirm]');
  await page.waitForSelector('[data-testid=schedule-message] .notice', { timeout: 10_000 });
  assert.match(await page.textContent('[data-testid=schedule-message]'), new RegExp(`Scheduled: ${name} starts at`));
  const scheduled = page.locator(`[data-testid=scheduled-row][data-campaign="${name}"]`).first();
  await scheduled.waitFor();
  assert.match(await scheduled.textContent(), /no way to cancel/);
  await shot(page, 'campaigns-scheduled');
  await page.context().close();
});

/** "2026-12-05T10:00:25": UTC wall time `seconds` from now, as the start field takes it. */
const utcInSeconds = (seconds) => new Date(Date.now() + seconds * 1000).toISOString().slice(0, 19);

test('a start scheduled through OCM is attributed to its scheduler and its row follows it live', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/campaigns`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=campaigns-live]');
  const name = await page.locator('[data-testid=campaign-row]:has([data-testid=campaign-start])').last()
    .getAttribute('data-campaign');
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.selectOption('#schedule-campaign', name);
  await page.selectOption('#schedule-zone', 'UTC');
  await page.fill('#schedule-start', utcInSeconds(20));
  await page.click('[data-testid=schedule-submit]');
  await page.click('[data-testid=schedule-confirm]');
  await page.waitForSelector('[data-testid=schedule-message] .notice', { timeout: 10_000 });
  const scheduled = `[data-testid=scheduled-row][data-campaign="${name}"]`;
  await page.waitForSelector(`${scheduled}[data-state=scheduled]`);
  // POM starts it at its time; the row and the board change without a reload.
  await page.waitForSelector(`${scheduled}[data-state=started]`, { timeout: 90_000 });
  const link = page.locator(`${scheduled}[data-state=started] [data-testid=scheduled-job]`).first();
  const jobId = (await link.textContent()).replace(/\D/g, '');
  assert.match(jobId, /^\d+$/);
  assert.equal(await link.getAttribute('href'), `#job-${jobId}`);
  await page.waitForFunction(
    ([selector, id]) => document.querySelector(`${selector} td.num`)?.textContent.trim() === id,
    [row(name), jobId], { timeout: 10_000 });
  const started = await page.textContent(row(name));
  assert.match(started, /supervisor/, 'the job is attributed to whoever scheduled it');
  assert.match(started, /scheduled/);
  assert.doesNotMatch(started, /Outside OCM/);
  await link.click();
  assert.ok(await page.evaluate((id) => document.querySelector(`#job-${id}`)?.matches(':target'), jobId),
    'the link leads to the job on the board');
  assert.ok(await page.evaluate(() => window.__sameDocument === true), 'the page was never reloaded');
  await shot(page, 'campaigns-schedule-started');
  await page.waitForSelector(`${row(name)} [data-testid=campaign-stop]`);
  await ask(page, name, 'campaign-stop');
  await confirm(page);
  await page.context().close();
});

test('a manager watching the board sees the supervisor\'s actions arrive without reloading', async () => {
  const manager = await newPage(browser);
  await signIn(manager, BASE, 'manager');
  await manager.goto(`${BASE}/campaigns`);
  await hydrated(manager);
  await manager.waitForSelector('[data-testid=campaigns-live]');
  await manager.evaluate(() => { window.__sameDocument = true; });
  const rowsBefore = await manager.locator('[data-testid=campaign-action-row]').count();

  const supervisor = await newPage(browser);
  await signIn(supervisor, BASE, 'supervisor');
  await supervisor.goto(`${BASE}/campaigns`);
  await hydrated(supervisor);
  const name = await supervisor.locator('[data-testid=campaign-row]:has([data-testid=campaign-start])').first()
    .getAttribute('data-campaign');
  await ask(supervisor, name, 'campaign-start');
  await confirm(supervisor);
  const newest = '[data-testid=campaign-action-row] >> nth=0';
  await manager.waitForFunction(
    ([before, campaign]) => {
      const rows = [...document.querySelectorAll('[data-testid=campaign-action-row]')];
      return rows.length > before && rows[0].textContent.includes(campaign) && rows[0].textContent.includes('Start');
    },
    [rowsBefore, name], { timeout: 15_000 });
  assert.match(await manager.textContent(newest), /supervisor/);
  await supervisor.waitForSelector(`${row(name)} [data-testid=campaign-stop]`);
  await ask(supervisor, name, 'campaign-stop');
  await confirm(supervisor);
  await manager.waitForFunction(
    (campaign) => {
      const first = document.querySelector('[data-testid=campaign-action-row]');
      return first?.textContent.includes(campaign) && first.textContent.includes('Stop');
    },
    name, { timeout: 15_000 });
  assert.ok(await manager.evaluate(() => window.__sameDocument === true), 'the manager never reloaded');
  await shot(manager, 'campaigns-manager-live-actions');
  await supervisor.context().close();
  await manager.context().close();
});

test('a manager sees the board but no action, and the server refuses one', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'manager');
  await page.goto(`${BASE}/campaigns`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=campaign-row]');
  assert.ok(await page.locator('[data-testid=campaign-row]').count() > 0);
  for (const testid of ['campaign-start', 'campaign-pause', 'campaign-resume', 'campaign-stop', 'confirm-action',
    'schedule-submit', 'emergency-stop']) {
    assert.equal(await page.locator(`[data-testid^=${testid}]`).count(), 0, `no ${testid}`);
  }
  await shot(page, 'campaigns-manager');
  const organization = await page.textContent('[data-testid=campaigns-organization]');
  const name = await page.locator('[data-testid=campaign-row]').first().getAttribute('data-campaign');
  const response = await page.request.post(`${BASE}/api/campaigns/start`, { form: { organization, campaign: name } });
  assert.equal(response.status(), 403);
  assert.match(await response.text(), /Forbidden/, 'refused by the role check, not by anything else');
  await page.context().close();
});

test('the board renders on the server and sorts without JavaScript', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/campaigns`);
  assert.ok(await page.isVisible('[data-testid=campaign-table]'));
  const names = () => page.locator('[data-testid=campaign-row]').evaluateAll((rows) => rows.map((r) => r.dataset.campaign));
  const first = await names();
  assert.ok(first.length > 1, 'the server rendered the campaigns');
  assert.match(await page.textContent('[data-testid=campaigns-read-at]'), /Read from POM at \d\d:\d\d:\d\d/);
  assert.equal(await page.getAttribute('[data-testid=campaigns-refresh]', 'href'), '/campaigns');
  assert.ok(await page.isVisible('.needs-js'), 'the page says what needs JavaScript');
  assert.ok(await page.isDisabled('[data-testid=campaign-start] >> nth=0'), 'buttons that need JavaScript are disabled');
  await Promise.all([page.waitForURL(/sort=-name/), page.click('th a.sort:has-text("Campaign")')]);
  assert.deepEqual(await names(), [...first].reverse(), 'the header link sorts by name, descending');
  await shot(page, 'campaigns-no-js');
  await page.context().close();
});

test('an admin stops one organization in an emergency and its users see the banner', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'admin');
  await page.goto(`${BASE}/campaigns?org=Collections`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=campaigns-live]');
  assert.equal(await page.inputValue('#campaigns-org'), 'Collections');
  const name = await page.locator('[data-testid=campaign-row]:has([data-testid=campaign-start])').first()
    .getAttribute('data-campaign');
  const reaches = await watchStates(page, name);
  await ask(page, name, 'campaign-start');
  await confirm(page);
  await reaches('JOB_ACTIVE');

  await page.selectOption('#emergency-scope', 'Collections');
  await page.fill('[data-testid=emergency-phrase]', 'stop all dialling');
  assert.ok(await page.isDisabled('[data-testid=emergency-stop]'), 'the phrase must match exactly');
  await page.fill('[data-testid=emergency-phrase]', 'STOP ALL DIALLING');
  await page.click('[data-testid=emergency-stop]');
  await page.waitForSelector('[data-testid=emergency-results]', { timeout: 30_000 });
  const results = await page.textContent('[data-testid=emergency-results]');
  assert.match(results, new RegExp(name));
  await page.waitForSelector('[data-testid=emergency-banner]');
  assert.match(await page.textContent('[data-testid=emergency-banner]'),
    /Emergency stop by admin at .*: \d+ of \d+ jobs stopped \(Collections\)\./);
  await reaches('JOB_STOPPED');
  // The stop it made reads as what it was.
  await page.waitForFunction(
    (campaign) => [...document.querySelectorAll('[data-testid=campaign-action-row]')]
      .some((r) => r.textContent.includes(campaign) && r.textContent.includes('Emergency stop')),
    name, { timeout: 10_000 });
  await shot(page, 'campaigns-emergency');

  await page.goto(`${BASE}/`);
  await page.waitForSelector('[data-testid=campaign-overview]');
  assert.ok(await page.isVisible('[data-testid=emergency-banner]'), 'the banner is on every page');
  await shot(page, 'dashboard-campaigns');
  await page.context().close();
});

test('emergency mode refuses starts on the page until an admin lifts it', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'admin');
  await page.goto(`${BASE}/campaigns?org=Collections`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=campaigns-live]');
  await page.selectOption('#emergency-scope', 'Collections');
  await page.check('[data-testid=emergency-keep]');
  await page.fill('[data-testid=emergency-reason]', 'e2e drill');
  await page.fill('[data-testid=emergency-phrase]', 'STOP ALL DIALLING');
  await page.click('[data-testid=emergency-stop]');
  await page.waitForSelector('[data-testid=emergency-mode-banner]', { timeout: 30_000 });
  assert.match(await page.textContent('[data-testid=emergency-mode-banner]'),
    /Emergency mode for Collections since .* by admin \(e2e drill\): starting, resuming and scheduling campaigns is refused/);
  await page.waitForSelector('[data-testid=emergency-mode]');

  // The dashboard's "Why isn't it dialling?" names the mode for Collections' stopped jobs.
  const because = '[data-testid=idle-reason][data-cause=emergency_mode]';
  await page.goto(`${BASE}/?org=Collections`);
  await page.waitForSelector(because, { timeout: 15_000 });
  assert.match(await page.textContent(because), /Emergency mode is in force for Collections, turned on by admin: "e2e drill"/);
  await shot(page, 'dashboard-why-idle');
  await page.goto(`${BASE}/campaigns?org=Collections`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=campaigns-live]');

  // A start is refused with the reason, and nothing reaches POM.
  const name = await page.locator('[data-testid=campaign-row]:has([data-testid=campaign-start])').first()
    .getAttribute('data-campaign');
  await ask(page, name, 'campaign-start');
  await page.click('[data-testid=confirm-action]');
  await page.waitForFunction(
    () => (document.querySelector('[data-testid=campaign-error]')?.textContent ?? '').includes('Emergency mode is on'),
    null, { timeout: 10_000 });
  await shot(page, 'campaigns-emergency-mode');

  // Lifted: the notice goes and starts are allowed again.
  await page.click('[data-testid=emergency-lift]');
  await page.waitForSelector('[data-testid=emergency-mode-banner]', { state: 'detached', timeout: 10_000 });
  await ask(page, name, 'campaign-start');
  await confirm(page);
  await page.context().close();
});

