// The automation API from an admin's browser: register a client, copy its secret (shown once),
// use it from another system (a token, then campaigns), read the reference page; rotate the
// secret and the old one stops working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A token for the client, or the status refusing it. */
async function token(id, secret) {
  const basic = Buffer.from(`${id}:${secret}`).toString('base64');
  const response = await fetch(`${BASE}/api/v1/auth/token`, { method: 'POST', headers: { authorization: `Basic ${basic}` } });
  return response.ok ? (await response.json()).access_token : response.status;
}

test('an admin registers an API client, copies its secret once, and the reference page shows the API', async () => {
  const admin = await newPage(browser);
  await signIn(admin, BASE, 'admin');
  await admin.goto(`${BASE}/admin/api-clients`);
  await hydrated(admin);
  await admin.fill('#client-name', 'crm-sync');
  await admin.click('[data-testid=register-client]');
  await admin.waitForSelector('#client-scopes-error >> text=choose at least one scope', { timeout: 5_000 });
  await admin.selectOption('#client-organization', 'Sales');
  await admin.locator('[data-testid=client-scope][value="campaigns:read"]').check();
  await admin.click('[data-testid=register-client]');
  const id = await (await admin.waitForSelector('[data-testid=client-id]')).inputValue();
  const secret = await admin.inputValue('[data-testid=secret]');
  assert.match(secret, /^ocms_[A-Za-z0-9_-]{43}$/);
  await admin.waitForSelector('[data-testid=api-client-row] >> text=crm-sync');
  await shot(admin, 'admin-api-clients');

  // The other system uses it: campaigns of Sales only.
  const bearer = await token(id, secret);
  assert.equal(typeof bearer, 'string');
  const campaigns = await (await fetch(`${BASE}/api/v1/campaigns`, { headers: { authorization: `Bearer ${bearer}` } })).json();
  assert.ok(campaigns.items.length > 0);
  assert.ok(campaigns.items.every((c) => c.organization === 'Sales'));

  // Leaving the page loses the secret: OCM shows it nowhere else.
  await admin.reload();
  await hydrated(admin);
  assert.equal(await admin.locator('[data-testid=secret]').count(), 0);
  assert.ok(!(await admin.content()).includes(secret));

  // Rotating: a new secret once, the old one refused.
  await admin.locator('[data-testid=api-client-row]', { hasText: 'crm-sync' }).locator('button', { hasText: 'Rotate secret' }).click();
  await admin.waitForSelector('[data-testid=secret]');
  const rotated = await admin.inputValue('[data-testid=secret]');
  assert.notEqual(rotated, secret);
  assert.equal(await token(id, secret), 401);
  assert.equal(typeof (await token(id, rotated)), 'string');

  await admin.click('text=API reference →');
  await admin.waitForURL(/\/api\/docs$/);
  await admin.waitForSelector('h1 >> text=OCM automation API');
  for (const route of ['POST /api/v1/auth/token', 'GET /api/v1/campaigns', 'POST /api/v1/campaigns/{name}/start', 'POST /api/v1/not-listed']) {
    assert.ok(await admin.locator('code', { hasText: route }).count() > 0, route);
  }
  await shot(admin, 'api-reference');
});
