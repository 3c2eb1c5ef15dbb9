// Pages as a new user meets them: addresses that name nothing answer 404 and say why, a contact
// search says how many contacts match, and checking an empty DNC field clears the old answer
// without asking the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('addresses that name nothing answer 404 and say why; refusals answer 403', async () => {
  const supervisor = await newPage(browser);
  await signIn(supervisor, BASE, 'supervisor');
  const admin = await newPage(browser);
  await signIn(admin, BASE, 'admin');
  const manager = await newPage(browser);
  await signIn(manager, BASE, 'manager');
  const cases = [
    [supervisor, '/lists/abc', 404, /“abc” is not a contact list id: ids are whole numbers\./],
    [supervisor, '/lists/987654321', 404, /not found/i],
    [supervisor, '/dnc/uploads/987654321', 404, /not found/i],
    [supervisor, '/dnc/uploads/x1', 404, /“x1” is not a DNC upload id/],
    [supervisor, '/no/such/page', 404, /Page not found/],
    [supervisor, '/purge/runs/987654321', 404, /not found/i],
    [supervisor, '/purge/runs/seven', 404, /“seven” is not a purge run id/],
    [admin, '/uploads/987654321', 404, /not found/i],
    [admin, '/uploads/abc', 404, /“abc” is not an upload id/],
    [manager, '/audit', 403, /permission/],
  ];
  for (const [page, path, status, message] of cases) {
    const response = await page.goto(`${BASE}${path}`);
    assert.equal(response.status(), status, `${path} answers ${status}`);
    assert.match(await page.textContent('main'), message, `${path} says why`);
  }
  await supervisor.goto(`${BASE}/lists/abc`);
  await shot(supervisor, 'not-a-list-id');
  await supervisor.context().close();
  await admin.context().close();
  await manager.context().close();
});

test('a contact search says how many contacts match, exactly', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/lists`);
  const listId = await page.locator('[data-testid=list-row]', { hasText: 'Sales_Winback' }).getAttribute('data-list-id');
  await page.goto(`${BASE}/lists/${listId}`);
  const headers = await page.locator('[data-testid=contacts-table] th').allTextContents();
  const column = headers.indexOf('CAMP_ID');
  assert.ok(column >= 0, `the contacts have a CAMP_ID (${headers})`);
  const campaign = (await page.locator(`[data-testid=contact-row] >> nth=0 >> td >> nth=${column}`).textContent()).trim();
  const search = `/lists/${listId}?attr=CAMP_ID&op=equals&value=${encodeURIComponent(campaign)}`;
  await page.goto(`${BASE}${search}`);
  const said = await page.textContent('[data-testid=contacts-matches]');
  const idColumn = headers.indexOf('userContactId');
  const firstId = (await page.locator(`[data-testid=contact-row] >> nth=0 >> td >> nth=${idColumn}`).textContent()).trim();
  const match = said.match(/^([\d,]+) contacts? where CAMP_ID equals “(.*)”\.$/);
  assert.ok(match, `the count is said in words (${said})`);
  assert.equal(match[2], campaign);
  // Counted independently: every page of the search, row by row.
  let counted = 0;
  for (let number = 1; ; number += 1) {
    await page.goto(`${BASE}${search}&page=${number}`);
    const rows = await page.locator('[data-testid=contact-row]').count();
    counted += rows;
    if (rows < 50) break;
  }
  assert.equal(Number(match[1].replace(/,/g, '')), counted);

  await page.goto(`${BASE}/lists/${listId}?attr=userContactId&op=equals&value=${encodeURIComponent(firstId)}`);
  assert.equal(await page.textContent('[data-testid=contacts-matches]'),
    `1 contact where userContactId equals “${firstId}”.`);
  await shot(page, 'contact-search-count');
  await page.context().close();
});

test('checking an empty DNC field clears the last answer and asks the server nothing', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/dnc`);
  await hydrated(page);
  await page.fill('#dnc-address', '+44 20 7946 0018');
  await page.click('[data-testid=dnc-check]');
  await page.waitForSelector('[data-testid=dnc-check-result]', { timeout: 15_000 });
  const failures = [];
  page.on('response', (response) => { if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`); });
  page.on('console', (message) => { if (message.type() === 'error') failures.push(message.text()); });
  await page.fill('#dnc-address', '');
  await page.click('[data-testid=dnc-check]');
  await page.waitForSelector('#dnc-address[aria-invalid=true]');
  assert.match(await page.textContent('#dnc-address-error'), /Enter a phone number or an e-mail address/);
  assert.equal(await page.locator('[data-testid=dnc-check-result]').count(), 0, 'the old answer is gone');
  await page.waitForTimeout(500);
  assert.deepEqual(failures, [], 'no failed request, no console error');
  await shot(page, 'dnc-empty-check');
  await page.context().close();
});
