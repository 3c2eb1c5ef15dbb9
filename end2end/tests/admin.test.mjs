// Administration in the browser: an admin creates a team and a supervisor; the supervisor signs
// in with the one-time password, must choose a new one, and sees only their organization; the
// admin disables them and their open page is signed out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

/** RFC 6238 code (SHA-1, 6 digits, 30 s) for a base32 secret, as an authenticator app makes it. */
function totp(base32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const NEW_PASSWORD = 'Kettles hum over Harrogate rooftops';

test('an admin creates a team and a supervisor who replaces the one-time password and is disabled later', async () => {
  const admin = await newPage(browser);
  await signIn(admin, BASE, 'admin');
  await admin.goto(`${BASE}/admin/teams`);
  await hydrated(admin);
  await admin.fill('#new-team-name', 'Night Shift');
  await admin.selectOption('#new-team-organization', { label: 'Sales' });
  await admin.click('[data-testid=add-team]');
  await admin.waitForSelector('[data-testid=teams] >> input[aria-label="Name of team Night Shift"]');
  // A name taken by another team is refused in the row itself.
  const night = admin.locator('[data-testid=team-row]', { has: admin.locator('input[aria-label="Name of team Night Shift"]') });
  await night.locator('input').fill('Sales Floor');
  await night.locator('button', { hasText: 'Rename' }).click();
  await night.locator('[data-testid=team-error] >> text=exists already').waitFor();
  await shot(admin, 'admin-teams');
  await night.locator('input').fill('Night Shift');

  // The new team works a campaign too (demo mode mapped every campaign to its floor team).
  await admin.goto(`${BASE}/admin/mappings`);
  await hydrated(admin);
  assert.match(await admin.textContent('[data-testid=unmapped-count]'), /^0 of \d+ campaigns have no team/);
  const row = admin.locator('[data-testid=campaign-mapping]', { hasText: 'Sales_Predictive' });
  await row.locator('label', { hasText: 'Night Shift' }).locator('input').check();
  await row.locator('button', { hasText: 'Save teams' }).click();
  await admin.waitForSelector('[data-testid=campaign-mapping]:has-text("Sales_Predictive") >> td:nth-child(4) >> text=Night Shift');
  await shot(admin, 'admin-mappings');

  await admin.goto(`${BASE}/admin/users`);
  await hydrated(admin);
  await admin.click('[data-testid=new-user]');
  await admin.waitForSelector('[data-testid=new-user-form]');
  await admin.click('[data-testid=create-user]');
  await admin.waitForSelector('#new-username-error >> text=use 2 to 64 characters', { timeout: 5_000 });
  await admin.fill('#new-username', 'Night.Sup');
  await admin.fill('#new-display-name', 'Nadia Night');
  await admin.selectOption('#new-role', 'supervisor');
  await admin.selectOption('#new-team', { label: 'Night Shift (Sales)' });
  await admin.click('[data-testid=create-user]');
  const secretField = await admin.waitForSelector('[data-testid=one-time-password]');
  const oneTime = await secretField.inputValue();
  assert.match(oneTime, /^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
  await shot(admin, 'admin-user-created');
  await admin.goto(`${BASE}/admin/users?name=night`);
  await admin.waitForSelector('[data-testid=users-table] >> text=first sign-in pending');
  await shot(admin, 'admin-users');

  const sup = await newPage(browser);
  await signIn(sup, BASE, 'night.sup', oneTime);
  await sup.waitForURL(/\/account\/password$/);
  await hydrated(sup);
  assert.ok(await sup.isVisible('[data-testid=must-change]'));
  await sup.goto(`${BASE}/campaigns`);
  assert.match(new URL(sup.url()).pathname, /^\/account\/password$/, 'no other page opens first');
  await hydrated(sup);
  await sup.fill('#current_password', oneTime);
  await sup.fill('#new_password', 'password1234');
  await sup.fill('#repeat', 'password1234');
  await sup.click('[data-testid=save-password]');
  await sup.waitForSelector('#new_password-error >> text=too easy to guess');
  await shot(sup, 'password-refused');
  await sup.fill('#new_password', NEW_PASSWORD);
  await sup.fill('#repeat', NEW_PASSWORD);
  await Promise.all([sup.waitForURL(`${BASE}/`), sup.click('[data-testid=save-password]')]);
  await hydrated(sup);
  assert.equal(await sup.textContent('[data-testid=organization]'), 'Sales');
  assert.equal(await sup.textContent('[data-testid=role]'), 'Supervisor');
  await sup.goto(`${BASE}/audit`);
  await hydrated(sup);
  await sup.waitForSelector('[data-testid=audit-table]');
  const organizations = await sup.$$eval('[data-testid=audit-table] tbody tr td:nth-child(3)', (cells) => cells.map((c) => c.textContent.trim()));
  assert.ok(organizations.length > 0 && organizations.every((o) => o === 'Sales' || o === ''), organizations.join(','));

  // The supervisor turns on two-factor sign-in with a code from the key, and gets recovery codes.
  await sup.goto(`${BASE}/account/two-factor`);
  await hydrated(sup);
  await sup.click('[data-testid=two-factor-start]');
  const key = await sup.textContent('[data-testid=two-factor-secret]');
  await sup.fill('#code', '000000');
  await sup.click('[data-testid=two-factor-confirm]');
  await sup.waitForSelector('#code-error >> text=does not match');
  await shot(sup, 'two-factor-setup');
  await sup.fill('#code', totp(key));
  await sup.click('[data-testid=two-factor-confirm]');
  await sup.waitForSelector('[data-testid=recovery-codes] li >> nth=9');
  await shot(sup, 'two-factor-recovery-codes');

  // The admin disables the supervisor: their open page goes to the sign-in page by itself.
  await admin.click('[data-testid=users-table] >> text=night.sup');
  await admin.waitForURL(/\/admin\/users\/\d+$/);
  await hydrated(admin);
  await admin.click('[data-testid=toggle-active]');
  await admin.waitForSelector('text=cannot sign in until enabled again');
  await admin.click('[data-testid=toggle-active]');
  await admin.waitForSelector('[data-testid=user-status] >> text=Disabled');
  await shot(admin, 'admin-user-disabled');
  await sup.waitForURL(/\/login/, { timeout: 40_000 });
  await signIn(sup, BASE, 'night.sup', NEW_PASSWORD);
  assert.match(await sup.textContent('[data-testid=login-notice]'), /Wrong user name or password/);
  await admin.context().close();
  await sup.context().close();
});

test('an admin sees how call data is read; a supervisor may not', async () => {
  const admin = await newPage(browser);
  await signIn(admin, BASE, 'admin');
  await admin.goto(`${BASE}/admin/users`);
  await hydrated(admin);
  await admin.click('text=Call data →');
  await admin.waitForURL(/\/admin\/call-data$/);
  assert.equal(await admin.textContent('h1'), 'Call data');
  // The demo's feed is read every few seconds from start-up.
  await admin.waitForSelector('[data-testid=call-data-source]', { timeout: 30_000 });
  const kinds = await admin.$$eval('[data-testid=call-data-today] tbody th', (cells) => cells.map((c) => c.textContent));
  assert.ok(kinds.includes('attempt') && kinds.includes('sale'), kinds.join(', '));
  assert.match(await admin.textContent('[data-testid=unmapped-agents]'), /^Agents: /);
  await shot(admin, 'admin-call-data');
  const sup = await newPage(browser);
  await signIn(sup, BASE, 'supervisor');
  const refused = await sup.goto(`${BASE}/admin/call-data`);
  assert.equal(refused.status(), 403);
  await admin.context().close();
  await sup.context().close();
});
