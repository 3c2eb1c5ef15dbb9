// Inactivity expiry with the in-page warning and "Extend session" (server with a 20 s idle timeout
// and a 12 s warning).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHORT_BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the warning appears, "Extend session" keeps the session, and idling ends it', async () => {
  const page = await newPage(browser);
  await signIn(page, SHORT_BASE, 'supervisor');
  await hydrated(page);
  const warning = page.locator('[data-testid=session-warning]');
  await warning.waitFor({ state: 'visible', timeout: 20_000 });
  const left = Number(await page.textContent('[data-testid=session-countdown]'));
  assert.ok(left > 0 && left <= 12, `countdown shows seconds left, got ${left}`);
  await shot(page, 'session-warning');
  await page.click('button:has-text("Extend session")');
  await warning.waitFor({ state: 'hidden', timeout: 5_000 });

  // Idle past the timeout: the page itself goes to sign-in with the reason.
  await page.waitForURL(/\/login\?expired=1/, { timeout: 40_000 });
  assert.match(await page.textContent('[data-testid=login-notice]'), /inactivity/);
  await page.goto(`${SHORT_BASE}/`);
  assert.match(new URL(page.url()).pathname, /^\/login/, 'the old session is gone');
  await page.context().close();
});
