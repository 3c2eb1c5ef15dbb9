// Sign-in with and without JavaScript, role-aware navigation, the dashboard and the audit page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DEMO_PASSWORD, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a supervisor signs in and lands on the dashboard', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/`);
  assert.match(new URL(page.url()).pathname, /^\/login/, 'signed-out visitors are sent to sign in');
  await shot(page, 'login');
  await signIn(page, BASE, 'supervisor');
  assert.equal(new URL(page.url()).pathname, '/');
  await hydrated(page);
  await page.waitForSelector('[data-testid=system-status]');
  assert.equal(await page.textContent('[data-testid=role]'), 'Supervisor');
  assert.equal(await page.textContent('[data-testid=organization]'), 'Sales');
  const status = await page.textContent('[data-testid=system-status]');
  assert.match(status, /Database\s*Up/);
  assert.match(status, /POM dialer\s*Up\s*Built-in POM simulator/);
  assert.ok(await page.isVisible('nav >> text=Audit log'), 'supervisors see the audit log');
  await shot(page, 'dashboard-supervisor');
  await page.context().close();
});

test('sign-in works with JavaScript disabled and returns to the page asked for', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(`${BASE}/audit`);
  assert.equal(new URL(page.url()).searchParams.get('next'), '/audit');
  await page.fill('#username', 'supervisor');
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(/\/audit$/), page.click('button[type=submit]')]);
  assert.ok(await page.isVisible('[data-testid=audit-table]'), 'the audit log renders without JavaScript');
  await page.goto(`${BASE}/`);
  assert.ok(await page.isVisible('text=Sign out'));
  await page.click('text=Sign out');
  await page.waitForURL(/\/login\?signed_out=1/);
  assert.match(await page.textContent('[data-testid=login-notice]'), /signed out/);
  await page.context().close();
});

test('a wrong password shows a clear message', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor', 'not the password');
  assert.match(await page.textContent('[data-testid=login-notice]'), /Wrong user name or password/);
  await shot(page, 'login-wrong-password');
  await page.context().close();
});

test('a manager sees no audit log and is refused it', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'manager');
  await page.waitForSelector('[data-testid=system-status]');
  assert.equal(await page.isVisible('nav >> text=Audit log'), false);
  await page.goto(`${BASE}/audit`);
  await page.waitForSelector('text=You do not have permission to do this.');
  await page.context().close();
});

test('the audit page filters, pages and exports the sign-ins', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'admin');
  await page.goto(`${BASE}/audit`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=audit-table]');
  const table = await page.textContent('[data-testid=audit-table]');
  assert.match(table, /login\.success/);
  assert.match(table, /login\.failed/);
  await page.selectOption('#action', 'login.failed');
  await Promise.all([page.waitForURL(/action=login\.failed/), page.click('button:has-text("Apply")')]);
  await page.waitForSelector('[data-testid=audit-table]');
  const filtered = await page.textContent('[data-testid=audit-table] tbody');
  assert.doesNotMatch(filtered, /login\.success/);
  await shot(page, 'audit-filtered');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=audit-export]')]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  const csv = readFileSync(path, 'utf8');
  assert.match(csv, /occurred_at_utc/);
  assert.match(csv, /login\.failed/);
  assert.doesNotMatch(csv, /login\.success/);
  await page.fill('#from', '2030-01-02');
  await page.fill('#to', '2030-01-01');
  await Promise.all([page.waitForURL(/from=2030/), page.click('button:has-text("Apply")')]);
  await page.waitForSelector('#to-error:has-text("before the start")');
  await shot(page, 'audit-bad-range');
  await page.context().close();
});
