// Every page through axe-core (the accessibility engine, from npm) in Chromium, signed in as an
// admin on a demo that has been dialling: no serious or critical violation on any of them, no
// error in the browser's console (a hydration failure shows there). docs/accessibility.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { REPORTS_BASE as BASE, launch, newPage, signIn, hydrated, waitForCallData } from './helpers.mjs';

// Evaluated through the browser's debugging protocol, which OCM's CSP does not govern: no
// inline script tag, no policy bypassed.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const PAGES = process.env.OCM_A11Y_PAGES?.split(',') ?? [
  '/', '/campaigns', '/callbacks', '/lists', '/purge', '/purge/history', '/dnc', '/dnc/report',
  '/reports', '/reports/schedules', '/reports/call-attempts', '/reports/nuisance',
  '/reports/agent-time', '/reports/job-summary', '/reports/sales', '/reports/codes',
  '/reports/recalls', '/reports/inbound-abandoned', '/reports/not-attempted',
  '/reports/not-in-listing', '/reports/compliance', '/completion-rules/applications',
  '/uploads', '/uploads/history', '/uploads/sources', '/audit', '/account/password',
  '/account/two-factor', '/admin/users', '/admin/teams', '/admin/settings', '/admin/call-data',
  '/admin/api-clients', '/admin/completion-rules', '/admin/webhooks', '/admin/mappings',
  '/admin/report-access', '/admin/erasure',
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Serious and critical violations once the page has settled (a page still loading dims its
 * results, which is not how people read it), one line each. */
async function violations(page) {
  try {
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 15_000 });
  } catch (error) {
    if (error.name !== 'TimeoutError') throw error;
    const busy = await page.evaluate(() => document.querySelector('[aria-busy="true"]')?.outerHTML.slice(0, 200));
    return [`still busy after 15 s: ${busy}`];
  }
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.any[0]?.message ?? ''}`).join(' | ')}`);
}

/** Opens `path` and checks it. */
async function check(page, path, found) {
  const response = await page.goto(`${BASE}${path}`);
  assert.equal(response.status(), 200, `${path} answers 200`);
  try { await hydrated(page); } catch { found[path] = ['did not hydrate within 30 s']; return; }
  const seen = await violations(page);
  if (seen.length) found[path] = seen;
}

test('no page has a serious or critical accessibility violation', async () => {
  const page = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`); });
  await signIn(page, BASE, 'admin');
  await waitForCallData(page, BASE);
  const found = {};
  for (const path of PAGES) await check(page, path, found);
  // A list and one of its contacts, as people reach them.
  await page.goto(`${BASE}/lists`);
  const list = await page.getAttribute('a[href^="/lists/"]', 'href');
  await check(page, list, found);
  const contact = await page.getAttribute('a[href*="/contacts/"]', 'href');
  await check(page, contact, found);
  assert.deepEqual(found, {}, JSON.stringify({ found, errors }, null, 2));
  assert.deepEqual(errors, []);
});
