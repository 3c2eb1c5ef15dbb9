// Right to erasure in the browser: an admin looks for a person by customer id, sees the contact
// found, is refused a wrong count, confirms with the right one, follows the job to the end and
// downloads a certificate that names the list and not the person.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A demo contact of Collections' Coll_Promises list (demo ids are serial numbers).
const CUSTOMER_ID = '0113000';

test('an admin erases a person and downloads the certificate', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'admin');
  await page.goto(`${BASE}/admin/erasure`);
  await hydrated(page);
  await page.selectOption('#erasure-organization', 'Collections');
  await page.click('[data-testid=erasure-find]');
  await page.waitForSelector('#erasure-reference-error >> text=reference');
  await page.fill('#erasure-reference', 'DSR-E2E-1');
  await page.fill('#erasure-customer_ids', CUSTOMER_ID);
  await page.click('[data-testid=erasure-find]');
  const plan = page.locator('[data-testid=erasure-plan]');
  await plan.waitFor({ timeout: 60_000 });
  assert.equal(await plan.locator('h3', { hasText: 'Coll_Promises' }).textContent(), 'Coll_Promises — 1 contact');
  assert.match(await plan.textContent(), new RegExp(CUSTOMER_ID));
  await shot(page, 'erasure-plan');

  await page.fill('#erasure-typed-count', '2');
  await page.click('[data-testid=erasure-confirm]');
  await page.waitForSelector('#erasure-typed-count-error >> text=Type 1');
  await page.fill('#erasure-typed-count', '1');
  await page.click('[data-testid=erasure-confirm]');
  await page.waitForSelector('[data-testid=job-progress] >> [data-testid=job-state] >> text=Completed', { timeout: 60_000 });
  // The list below then shows the erasure with its certificate.
  await page.waitForFunction(() => location.search.includes('reference=DSR-E2E-1'));
  const link = page.locator('[data-testid=erasures-table] >> [data-testid=erasure-certificate]').first();
  await link.waitFor();
  await shot(page, 'erasure-done');
  const href = await link.getAttribute('href');
  const certificate = await page.request.get(`${BASE}${href}`);
  assert.equal(certificate.status(), 200);
  const text = await certificate.text();
  assert.match(text, /DSR-E2E-1/);
  assert.match(text, /Coll_Promises/);
  assert.doesNotMatch(text, new RegExp(CUSTOMER_ID));
  await page.close();
});
