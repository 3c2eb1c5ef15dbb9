// A supervisor purges contacts by an attribute filter in demo mode: exact dry-run count, typed
// confirmation, live progress to the end, the list exactly that many contacts shorter; then a
// restore makes the list whole again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
  await jobReaches(page, 'completed');
  await shot(page, 'purge-run-restored');
  assert.equal(await listTotal(page, listId), before, 'the list is whole again');

  await page.goto(`${BASE}/purge/history`);
  await page.waitForSelector('[data-testid=purge-run-row]');
  await shot(page, 'purge-history');
  await page.context().close();
});
