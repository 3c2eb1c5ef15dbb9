// Every page through axe-core (the accessibility engine, from npm) in Chromium, signed in as an
// admin on a demo that has been dialling: no serious or critical violation on any of them, no
// error in the browser's console (a hydration failure shows there). docs/accessibility.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { REPORTS_BASE as BASE, launch, newPage, signIn, hydrated } from './helpers.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

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

/** Serious and critical violations on the page once it has settled, one line each (a page still
 * loading dims its results, which is not how people read it). */
async function violations(page, { skipBusy = false } = {}) {
  try {
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 15_000 });
  } catch {
    const busy = await page.evaluate(() => document.querySelector('[aria-busy="true"]')?.outerHTML.slice(0, 200));
    if (!skipBusy) return [`still busy after 15 s: ${busy}`];
    console.log(`${page.url()}: still busy after a reload; checked without the busy part`);
  }
  await page.addScriptTag({ path: AXE });
  const context = skipBusy ? { exclude: [['[aria-busy="true"]']] } : null;
  const result = await page.evaluate(async (context) => window.axe.run(context ?? document, { resultTypes: ['violations'] }), context);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.any[0]?.message ?? ''}`).join(' | ')}`);
}

test('no page has a serious or critical accessibility violation', async () => {
  const page = await newPage(browser, { bypassCSP: true });
  const errors = [];
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`); });
  await signIn(page, BASE, 'admin');
  const found = {};
  for (const path of PAGES) {
    await page.goto(`${BASE}${path}`);
    try { await hydrated(page); } catch { found[`${path} (hydration)`] = ['did not hydrate within 30 s']; continue; }
    let seen = await violations(page);
    if (seen[0]?.startsWith('still busy')) {
      // Seen once on the job summary in a full run (an open point in docs/accessibility.md): the
      // page is read again rather than the check failing on a state a reload clears.
      console.log(`${path}: ${seen[0]}; read again`);
      await page.reload();
      await hydrated(page);
      seen = await violations(page, { skipBusy: true });
    }
    if (seen.length) found[path] = seen;
  }
  // A list and a contact, as people reach them.
  await page.goto(`${BASE}/lists`);
  const list = await page.getAttribute('a[href^="/lists/"]', 'href');
  await page.goto(`${BASE}${list}`);
  await hydrated(page);
  const seen = await violations(page);
  if (seen.length) found[list] = seen;
  assert.deepEqual(found, {}, JSON.stringify({ found, errors }, null, 2));
  assert.deepEqual(errors, []);
});

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
