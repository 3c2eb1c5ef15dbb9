// A supervisor purges contacts by an attribute filter in demo mode: exact dry-run count, typed
// confirmation, live progress to the end, the list exactly that many contacts shorter; then a
// restore (confirmed by typing its count) makes the list whole again. A second purge names the
// "is one of" value that matched nothing, fails a delete of a contact being dialled, retries it
// from the run's page, and restores in two steps; the run's figures follow without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const LIST = 'Sales_Winback';

/** The list's total as its page shows it (read from POM at page load). */
async function listTotal(page, listId) {
  await page.goto(`${BASE}/lists/${listId}`);
  const text = await page.textContent('[data-testid=list-total]');
  return Number(text.replace(/[^0-9]/g, ''));
}

/** The main server's built-in simulator: its origin and control token, from the banner it printed
 * into its log (scripts/e2e.sh writes main.log in OCM_E2E_LOGS). */
function simulator() {
  const logs = process.env.OCM_E2E_LOGS ?? new URL('../../target/e2e/3100', import.meta.url).pathname;
  const log = readFileSync(`${logs}/main.log`, 'utf8');
  assert.ok(log.includes(`OCM is running at ${new URL(BASE).origin}`), 'main.log is this run\'s main server');
  const base = log.match(/Built-in POM simulator \(demo data\): (\S+)/)?.[1];
  const token = log.match(/X-Sim-Token: (\S+)/)?.[1];
  assert.ok(base && token, 'the main server runs the built-in simulator');
  return { origin: new URL(base).origin, token };
}

/** Marks a contact as being dialled for `seconds` of simulated time (0 ends it). */
async function beingDialled(listId, userContactId, seconds) {
  const { origin, token } = simulator();
  const response = await fetch(`${origin}/__sim/in-progress`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sim-token': token },
    body: JSON.stringify({ list_id: Number(listId), user_contact_id: userContactId, seconds }),
  });
  assert.equal(response.status, 204, await response.text());
}

/** Waits until the element's text (trimmed) is `want`, without reloading the page. */
async function textBecomes(page, selector, want) {
  await page.waitForFunction(
    ([sel, text]) => document.querySelector(sel)?.textContent.trim() === text,
    [selector, want],
    { timeout: 60_000 },
  );
}

/** Waits until the last job panel on the page shows `state`. */
async function jobReaches(page, state) {
  await page.waitForSelector(`[data-testid=job-progress]:last-of-type [data-state=${state}]`, { timeout: 120_000 });
}

test('a supervisor purges by filter with an exact count, watches it finish, then restores', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/lists`);
  await hydrated(page);
  const row = page.locator('[data-testid=list-row]', { hasText: LIST });
  const listId = await row.getAttribute('data-list-id');
  await shot(page, 'lists');
  const before = await listTotal(page, listId);
  assert.ok(before > 0, `${LIST} has contacts`);
  await shot(page, 'list-detail');

  await page.goto(`${BASE}/purge?list=${listId}`);
  await hydrated(page);
  await page.selectOption('#purge-attribute', 'EXPIRY_DATE');
  await page.selectOption('#purge-operator', 'before');
  await page.fill('#purge-value', '2026-02-30');
  await page.waitForSelector('[data-testid=purge-values-error]');
  assert.match(await page.textContent('[data-testid=purge-values-error]'), /not a date/, 'dates are checked as they are typed');
  await page.fill('#purge-value', '2026-07-01');
  await page.fill('#purge-reason', 'Offers that expired before July');
  await page.click('[data-testid=dry-run]');
  await page.waitForSelector('[data-testid=dry-run-count]', { timeout: 60_000 });
  const matched = Number(await page.getAttribute('[data-testid=dry-run-count]', 'data-count'));
  assert.ok(matched > 0 && matched < before, `a part of the list matches (${matched} of ${before})`);
  assert.match(await page.textContent('[data-testid=dry-run-explanation]'), /EXPIRY_DATE before/);
  await shot(page, 'purge-dry-run');

  assert.ok(await page.isDisabled('[data-testid=confirm-purge]'), 'nothing happens before the count is typed');
  await page.fill('#confirm-count', String(matched - 1));
  assert.ok(await page.isDisabled('[data-testid=confirm-purge]'), 'a wrong count does not confirm');
  await page.fill('#confirm-count', String(matched));
  await page.click('[data-testid=confirm-purge]');
  await page.waitForSelector('[data-testid=purge-started]');
  await jobReaches(page, 'completed');
  assert.equal(Number((await page.textContent('[data-testid=job-done]')).replace(/[^0-9]/g, '')), matched);
  await shot(page, 'purge-completed');
  const runHref = await page.getAttribute('[data-testid=purge-run-link]', 'href');
  assert.equal(await listTotal(page, listId), before - matched, 'exactly the dry run count was deleted');

  await page.goto(`${BASE}${runHref}`);
  await hydrated(page);
  assert.match(await page.textContent('[data-testid=run-deleted]'), new RegExp(matched.toLocaleString('en-US')));
  await page.click('[data-testid=restore-all]');
  await page.waitForSelector('[data-testid=restore-all-confirm]');
  assert.ok(await page.isDisabled('[data-testid=restore-all-go]'), 'nothing is restored before the count is typed');
  await page.fill('#restore-count', String(matched + 1));
  assert.ok(await page.isDisabled('[data-testid=restore-all-go]'), 'a wrong count does not confirm');
  await page.fill('#restore-count', String(matched));
  await page.click('[data-testid=restore-all-go]');
  await textBecomes(page, '[data-testid=run-restored]', matched.toLocaleString('en-US'));
  await shot(page, 'purge-run-restored');
  assert.equal(await listTotal(page, listId), before, 'the list is whole again');

  await page.goto(`${BASE}/purge/history`);
  await page.waitForSelector('[data-testid=purge-run-row]');
  await shot(page, 'purge-history');
  await page.context().close();
});

test('a typo is named, a failed delete is retried, restores confirm, and the run page follows', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/lists`);
  await hydrated(page);
  const listId = await page.locator('[data-testid=list-row]', { hasText: LIST }).getAttribute('data-list-id');
  const before = await listTotal(page, listId);
  const ids = (await page.locator('[data-testid=contact-row] td:first-child').allTextContents()).map((t) => t.trim());
  const [busyId, plainId] = ids;
  assert.ok(busyId && plainId, 'the list page shows contact ids');

  await page.goto(`${BASE}/purge?list=${listId}`);
  await hydrated(page);
  await page.selectOption('#purge-attribute', 'userContactId');
  await page.selectOption('#purge-operator', 'in');
  await page.fill('#purge-values', `${busyId}\n${plainId}\nNO-SUCH-ID-1`);
  await page.fill('#purge-reason', 'Customers asked to be removed');
  await page.click('[data-testid=dry-run]');
  await page.waitForSelector('[data-testid=dry-run-count]', { timeout: 60_000 });
  assert.equal(Number(await page.getAttribute('[data-testid=dry-run-count]', 'data-count')), 2);
  assert.match(await page.textContent('[data-testid=dry-run-unmatched]'), /1 value matched no contact/);
  assert.equal((await page.textContent('[data-testid=dry-run-unmatched-values]')).trim(), 'NO-SUCH-ID-1');
  await shot(page, 'purge-dry-run-unmatched');

  await beingDialled(listId, busyId, 3600);
  await page.fill('#confirm-count', '2');
  await page.click('[data-testid=confirm-purge]');
  await page.waitForSelector('[data-testid=purge-started]');
  await jobReaches(page, 'completed');
  const runHref = await page.getAttribute('[data-testid=purge-run-link]', 'href');
  await page.goto(`${BASE}${runHref}`);
  await hydrated(page);
  assert.equal((await page.textContent('[data-testid=run-deleted]')).trim(), '1');
  assert.equal((await page.textContent('[data-testid=run-failed]')).trim(), '1');
  assert.match(await page.textContent('[data-testid=run-failures]'), new RegExp(busyId));
  assert.equal((await page.textContent('[data-testid=retry-failed]')).trim(), 'Retry the 1 failed delete');
  await shot(page, 'purge-run-failed-delete');

  await beingDialled(listId, busyId, 0);
  await page.click('[data-testid=retry-failed]');
  // Deleting again asks once more, naming how many.
  await page.waitForSelector('[data-testid=retry-confirm-panel]');
  assert.match(await page.textContent('[data-testid=retry-confirm-panel]'), /Retry the 1 failed delete\?/);
  await page.click('[data-testid=retry-confirm]');
  await textBecomes(page, '[data-testid=run-deleted]', '2');
  await textBecomes(page, '[data-testid=run-failed]', '0');
  await page.waitForSelector('[data-testid=retry-job] [data-state=completed]');
  assert.equal(await page.locator('[data-testid=retry-failed]').count(), 0, 'nothing left to retry');
  await shot(page, 'purge-run-retried');

  await page.check(`[data-testid=snapshot-row][data-contact-id="${busyId}"] input[type=checkbox]`);
  await page.click('[data-testid=restore-selected]');
  assert.match(await page.textContent('[data-testid=restore-selected-confirm]'), /Restore the 1 contact you selected/);
  await page.click('[data-testid=restore-selected-go]');
  await textBecomes(page, '[data-testid=run-restored]', '1');
  await textBecomes(page, '[data-testid=restore-all]', 'Restore all 1');
  await textBecomes(page, `[data-testid=snapshot-row][data-contact-id="${busyId}"] td:nth-child(4)`, 'restored');

  await page.click('[data-testid=restore-all]');
  await page.fill('#restore-count', '2');
  assert.ok(await page.isDisabled('[data-testid=restore-all-go]'), 'only the restorable count confirms');
  await page.fill('#restore-count', '1');
  await page.click('[data-testid=restore-all-go]');
  await textBecomes(page, '[data-testid=run-restored]', '2');
  await page.waitForSelector('[data-testid=restore-none]');
  await shot(page, 'purge-run-restored-in-steps');
  assert.equal(await listTotal(page, listId), before, 'the list is whole again');
  await page.context().close();
});
