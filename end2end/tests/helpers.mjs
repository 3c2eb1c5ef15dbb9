// Shared set-up for the end-to-end tests: Debian's Chromium through playwright-core.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const BASE = process.env.OCM_E2E_BASE ?? 'http://127.0.0.1:3100';
export const SHORT_BASE = process.env.OCM_E2E_SHORT_BASE ?? 'http://127.0.0.1:3101';
export const THROTTLE_BASE = process.env.OCM_E2E_THROTTLE_BASE ?? 'http://127.0.0.1:3102';
export const REPORTS_BASE = process.env.OCM_E2E_REPORTS_BASE ?? 'http://127.0.0.1:3103';
export const DEMO_PASSWORD = process.env.OCM_DEMO_PASSWORD ?? 'e2e-demo-password';
const SHOTS = new URL('../screenshots/', import.meta.url);
mkdirSync(SHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A fresh, isolated browser context (own cookies). */
export async function newPage(browser, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1360, height: 860 } });
  return context.newPage();
}

/** Fills and submits the sign-in form. */
export async function signIn(page, base, username, password = DEMO_PASSWORD) {
  await page.goto(`${base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login' || url.search.includes('error')), page.click('button[type=submit]')]);
}

/** Waits until the WebAssembly client has taken over the page. */
export async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
}

export async function shot(page, name) {
  await page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: true });
}

/** Waits until the demo's dialling history has been ingested at `base` (the Call Attempt report has rows). */
export async function waitForCallData(page, base) {
  for (let i = 0; i < 90; i++) {
    const answer = await page.request.post(`${base}/api/reports/call-attempts`, { data: { request: {} } });
    if (answer.status() === 200 && (await answer.json()).total > 0) return;
    await page.waitForTimeout(1_000);
  }
  throw new Error('no call data after 90 s');
}
