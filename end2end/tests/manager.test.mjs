// A telesales manager reads their organization's reports without acting: the navigation offers
// the DNC List report, the purge history and the upload history (not the pages that purge, upload
// or send); the DNC List report shows an address a supervisor of the same organization added and
// exports it as CSV and Excel with nothing of another organization; the histories link to no page
// the manager may not open and offer no action.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';
import { parseCsv, workbookText } from './files.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a manager reads and exports the DNC List report of their organization only', async () => {
  // A supervisor of the same organization (Sales) adds an address, as the DNC page does.
  const supervisor = await newPage(browser);
  await signIn(supervisor, BASE, 'supervisor');
  const address = `+447911${String(Date.now() % 100000).padStart(5, '0')}7`;
  const added = await supervisor.request.post(`${BASE}/api/dnc/add`, { form: { address } });
  assert.equal(added.status(), 200, await added.text());
  await supervisor.context().close();

  const page = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, BASE, 'manager');
  await page.waitForSelector('[data-testid=system-status]');
  const nav = (await page.locator('nav[aria-label=Main] a').allTextContents()).map((t) => t.trim());
  assert.deepEqual(nav, ['Dashboard', 'Campaigns', 'Callbacks', 'Reports', 'Purge history', 'DNC report', 'Upload history']);

  await page.click('nav >> text=DNC report');
  await page.waitForURL(/\/dnc\/report$/);
  await hydrated(page);
  await page.fill('#dnc-report-address', address.slice(3));
  await Promise.all([page.waitForURL(/address=/), page.click('button:has-text("Apply")')]);
  const rows = page.locator('[data-testid=dnc-report-row]');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().textContent(), new RegExp(address.replace('+', '\\+')));
  await shot(page, 'manager-dnc-report');

  // The CSV of exactly what is filtered, downloaded as the browser does.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=dnc-export-csv]')]);
  const [header, ...lines] = parseCsv(readFileSync(await download.path(), 'utf8'));
  const column = (key) => header.indexOf(key);
  assert.ok(column('address') >= 0 && column('organization') >= 0, header.join(','));
  assert.equal(lines.length, 1, 'the one filtered address');
  assert.equal(lines[0][column('address')], address);
  assert.equal(lines[0][column('organization')], 'Sales');

  // Unfiltered: every line is the manager's organization's.
  const all = await page.request.get(`${BASE}/dnc/report/export.csv`);
  assert.equal(all.status(), 200);
  const [allHeader, ...allLines] = parseCsv(await all.text());
  const organization = allHeader.indexOf('organization');
  assert.ok(allLines.length >= 1);
  assert.deepEqual([...new Set(allLines.map((line) => line[organization]))], ['Sales']);

  const xlsxHref = await page.getAttribute('[data-testid=dnc-export-xlsx]', 'href');
  const workbook = await page.request.get(`${BASE}${xlsxHref}`);
  assert.equal(workbook.status(), 200);
  const strings = workbookText(Buffer.from(await workbook.body()));
  assert.ok(strings.includes(address), 'the workbook holds the address');
  assert.ok(strings.includes('Organization') && strings.includes('Sales'));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a manager reads the purge and upload histories without links to pages that act', async () => {
  const page = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, BASE, 'manager');

  await page.goto(`${BASE}/purge/history`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=purge-history-table], [data-testid=purge-history-empty]');
  assert.equal(await page.locator('main a[href^="/purge/runs/"], main a[href^="/lists/"], main a[href="/purge"]').count(), 0);
  assert.equal(await page.isVisible('[data-testid=purge-export-csv]'), true);
  const purges = await page.request.get(`${BASE}/purge/history/export.csv`);
  assert.equal(purges.status(), 200);
  const [purgeHeader, ...purgeLines] = parseCsv(await purges.text());
  const purgeOrganization = purgeHeader.indexOf('organization');
  assert.ok(purgeLines.every((line) => line[purgeOrganization] === 'Sales'));
  await shot(page, 'manager-purge-history');

  await page.goto(`${BASE}/uploads/history`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=upload-history-table], [data-testid=upload-history-empty]');
  const toUploading = 'main a[href^="/uploads"]:not([href^="/uploads/history"])';
  assert.equal(await page.locator(toUploading).count(), 0, 'no upload page, no upload form');
  assert.equal(await page.locator('#upload-history-organization').count(), 0, 'pinned to Sales');
  const uploads = await page.request.get(`${BASE}/uploads/history/export.csv`);
  assert.equal(uploads.status(), 200);
  const [uploadHeader, ...uploadLines] = parseCsv(await uploads.text());
  const uploadOrganization = uploadHeader.indexOf('organization');
  assert.ok(uploadLines.every((line) => line[uploadOrganization] === 'Sales'));
  await shot(page, 'manager-upload-history');
  assert.deepEqual(errors, []);
  await page.context().close();
});
