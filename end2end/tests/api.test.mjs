// The automation API from an admin's browser: register a client, copy its secret (shown once),
// use it from another system (a token, then campaigns), read the reference page; rotate the
// secret and the old one stops working. A webhook for a client receives its events, signed.
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

test('an admin registers a webhook, which receives signed events and shows them delivered', async () => {
  const { createServer } = await import('node:http');
  const { createHmac } = await import('node:crypto');
  const received = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/hooks/ocm`;
  try {
    const admin = await newPage(browser);
    await signIn(admin, BASE, 'admin');
    await admin.goto(`${BASE}/admin/api-clients`);
    await hydrated(admin);
    await admin.fill('#client-name', 'compliance-desk');
    await admin.selectOption('#client-organization', 'Sales');
    await admin.locator('[data-testid=client-scope][value="dnc"]').check();
    await admin.click('[data-testid=register-client]');
    const id = await (await admin.waitForSelector('[data-testid=client-id]')).inputValue();
    const secret = await admin.inputValue('[data-testid=secret]');

    await admin.click('text=Webhooks');
    await admin.waitForURL(/\/admin\/webhooks$/);
    await hydrated(admin);
    await admin.selectOption('#webhook-client', { label: 'compliance-desk' });
    await admin.fill('#webhook-url', 'crm.example.com');
    await admin.click('[data-testid=register-webhook]');
    await admin.waitForSelector('#webhook-url-error >> text=starting with https://', { timeout: 5_000 });
    await admin.fill('#webhook-url', url);
    await admin.click('[data-testid=register-webhook]');
    const signing = await (await admin.waitForSelector('[data-testid=signing-secret]')).inputValue();
    assert.match(signing, /^ocmw_[A-Za-z0-9_-]{43}$/);

    // The other system asks for a DNC entry; its receipt's states arrive signed.
    const bearer = await token(id, secret);
    const asked = await fetch(`${BASE}/api/v1/dnc`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+447700900777' }),
    });
    assert.equal(asked.status, 202);
    const { request_id: requestId } = await asked.json();
    for (let i = 0; i < 100 && received.length < 2; i += 1) await new Promise((r) => setTimeout(r, 200));
    assert.ok(received.length >= 1, 'a delivery arrived');
    for (const { headers, body } of received) {
      const [t, v1] = headers['ocm-signature'].split(',').map((part) => part.split('=')[1]);
      const expected = createHmac('sha256', signing).update(`${t}.${body}`).digest('hex');
      assert.equal(v1, expected);
      const envelope = JSON.parse(body);
      assert.equal(envelope.type, 'dnc.request_state');
      assert.equal(envelope.data.request_id, requestId);
    }

    await admin.reload();
    await hydrated(admin);
    await admin.waitForSelector('[data-testid=webhook-delivery] >> text=delivered');
    assert.equal(await admin.locator('[data-testid=signing-secret]').count(), 0, 'the secret is shown once');
    await shot(admin, 'admin-webhooks');
  } finally {
    server.close();
  }
});
