// A customer scaling out: two OCM instances in connected mode on one database, sharing one POM and
// no memory (scripts/e2e.sh starts them with the simulator on its own). A user signed in on one
// is signed in on the other; a campaign started on one is seen live on the other, and stopped
// there; a purge confirmed on one runs once, its progress followed on the other; an emergency
// stop made on one shows its banner and refuses starts on the other. docs/operations.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

const A = process.env.OCM_E2E_PAIR_A ?? 'http://127.0.0.1:3105';
const B = process.env.OCM_E2E_PAIR_B ?? 'http://127.0.0.1:3106';
const SIM = process.env.OCM_E2E_PAIR_SIM ?? 'http://127.0.0.1:3107';
const SIM_TOKEN = process.env.OCM_E2E_PAIR_SIM_TOKEN ?? '';

/** How many deletes the shared simulator has answered. */
async function deletesAnswered() {
  const response = await fetch(`${SIM}/__sim/requests`);
  return (await response.json())['contacts.delete'] ?? 0;
}

/** Sets the shared simulator's faults (`[]`: none). */
async function faults(rules) {
  const response = await fetch(`${SIM}/__sim/faults`, {
    method: rules.length ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json', 'x-sim-token': SIM_TOKEN },
    body: rules.length ? JSON.stringify(rules) : undefined,
  });
  assert.ok(response.ok, `the simulator took the faults (${response.status})`);
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const row = (name) => `[data-testid=campaign-row][data-campaign="${name}"]`;

async function openBoard(page, base) {
  await page.goto(`${base}/campaigns`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=campaigns-live]');
}

/** Asks for `button` on the campaign's row and confirms it; POM must accept. */
async function act(page, name, button) {
  await page.click(`${row(name)} [data-testid=${button}]`);
  await page.waitForSelector('[data-testid=confirm-dialog][open]');
  await page.click('[data-testid=confirm-action]');
  await page.waitForFunction(
    () => ['campaign-message', 'campaign-error']
      .some((id) => (document.querySelector(`[data-testid=${id}]`)?.textContent ?? '').trim() !== ''),
    null, { timeout: 15_000 });
  assert.equal((await page.textContent('[data-testid=campaign-error]')).trim(), '', 'POM accepted the action');
}

async function stateReaches(page, name, state) {
  await page.waitForSelector(`${row(name)} [data-testid=campaign-state][data-state=${state}]`, { timeout: 30_000 });
}

test('one session, one board and one job across two instances', async () => {
  const onA = await newPage(browser);
  await signIn(onA, A, 'pair.supervisor');
  // The same browser (the same cookie) on the other instance: still signed in.
  const onB = await onA.context().newPage();
  await onB.goto(`${B}/campaigns`);
  assert.equal(new URL(onB.url()).pathname, '/campaigns', 'the session is known to the other instance');
  assert.match(await onB.textContent('.who'), /pair\.supervisor/);

  await openBoard(onA, A);
  await openBoard(onB, B);
  await onB.evaluate(() => { window.__sameDocument = true; });
  const name = await onA.locator('[data-testid=campaign-row]:has([data-testid=campaign-start])').first()
    .getAttribute('data-campaign');
  await act(onA, name, 'campaign-start');
  await stateReaches(onB, name, 'JOB_ACTIVE');
  await act(onB, name, 'campaign-stop');
  await stateReaches(onA, name, 'JOB_STOPPED');
  assert.ok(await onB.evaluate(() => window.__sameDocument === true), 'B saw the start without a reload');
  await shot(onB, 'scale-out-board-b');

  // A purge confirmed on A; its run page on B follows the job to its end.
  await onA.goto(`${A}/lists`);
  const listId = await onA.locator('[data-testid=list-row]', { hasText: 'Sales_Winback' }).getAttribute('data-list-id');
  const total = async () => {
    await onB.goto(`${B}/lists/${listId}`);
    return Number((await onB.textContent('[data-testid=list-total]')).replace(/[^0-9]/g, ''));
  };
  const before = await total();
  await onA.goto(`${A}/purge?list=${listId}`);
  await hydrated(onA);
  await onA.selectOption('#purge-attribute', 'EXPIRY_DATE');
  await onA.selectOption('#purge-operator', 'before');
  await onA.fill('#purge-value', '2026-07-01');
  await onA.fill('#purge-reason', 'Two instances, one purge');
  await onA.click('[data-testid=dry-run]');
  await onA.waitForSelector('[data-testid=dry-run-count]', { timeout: 60_000 });
  const matched = Number(await onA.getAttribute('[data-testid=dry-run-count]', 'data-count'));
  assert.ok(matched > 0, 'the filter matches contacts');
  // A slow POM (300 ms a call, and at most 4 in flight: scripts/e2e.sh) keeps the job running
  // while B opens its page.
  const deletesBefore = await deletesAnswered();
  await faults([{ endpoint: '*', latency_ms: 300 }]);
  try {
    await onA.fill('#confirm-count', String(matched));
    await onA.click('[data-testid=confirm-purge]');
    const runHref = await onA.getAttribute('[data-testid=purge-run-link]', 'href');
    await onB.goto(`${B}${runHref}`);
    await hydrated(onB);
    assert.notEqual(await onB.getAttribute('[data-testid=job-progress] [data-state]', 'data-state'), 'completed',
      'B opened the run while the job was still working');
    await onB.evaluate(() => { window.__sameDocument = true; });
    await onB.waitForSelector('[data-testid=job-progress] [data-state=completed]', { timeout: 120_000 });
    assert.ok(await onB.evaluate(() => window.__sameDocument === true), 'B followed the job live');
  } finally {
    await faults([]);
  }
  assert.equal(Number((await onB.textContent('[data-testid=job-done]')).replace(/[^0-9]/g, '')), matched,
    'every contact deleted once, whichever instance ran which part');
  assert.equal(await total(), before - matched, 'the list is exactly that many contacts shorter');
  assert.equal(await deletesAnswered() - deletesBefore, matched, 'POM was asked once per contact');
  await shot(onB, 'scale-out-purge-b');
  await onA.context().close();
});

test('an emergency stop made on one instance is in force on the other', async () => {
  const admin = await newPage(browser);
  await signIn(admin, B, 'pair.admin');
  await openBoard(admin, B);
  await admin.selectOption('#emergency-scope', 'Sales');
  await admin.check('[data-testid=emergency-keep]');
  await admin.fill('[data-testid=emergency-reason]', 'scale-out drill');
  await admin.fill('[data-testid=emergency-phrase]', 'STOP ALL DIALLING');
  await admin.click('[data-testid=emergency-stop]');
  await admin.waitForSelector('[data-testid=emergency-mode-banner]', { timeout: 30_000 });

  const supervisor = await newPage(browser);
  await signIn(supervisor, A, 'pair.supervisor');
  await openBoard(supervisor, A);
  assert.match(await supervisor.textContent('[data-testid=emergency-mode-banner]'), /Emergency mode for Sales .* \(scale-out drill\)/);
  assert.match(await supervisor.textContent('[data-testid=emergency-banner]'), /Emergency stop by pair\.admin/);
  const name = await supervisor.locator('[data-testid=campaign-row]:has([data-testid=campaign-start])').first()
    .getAttribute('data-campaign');
  await supervisor.click(`${row(name)} [data-testid=campaign-start]`);
  await supervisor.click('[data-testid=confirm-action]');
  await supervisor.waitForFunction(
    () => (document.querySelector('[data-testid=campaign-error]')?.textContent ?? '').includes('Emergency mode is on'),
    null, { timeout: 10_000 });
  await shot(supervisor, 'scale-out-emergency-a');

  await admin.click('[data-testid=emergency-lift]');
  await admin.waitForSelector('[data-testid=emergency-mode-banner]', { state: 'detached', timeout: 10_000 });
  await supervisor.context().close();
  await admin.context().close();
});
