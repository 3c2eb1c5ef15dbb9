// Sign-in throttling (its own server and database: the block also covers the shared address).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { THROTTLE_BASE, DEMO_PASSWORD, launch, newPage, signIn, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('six wrong passwords in a row are throttled with a clear message', async () => {
  const page = await newPage(browser);
  for (let attempt = 1; attempt <= 4; attempt++) {
    await signIn(page, THROTTLE_BASE, 'supervisor', `wrong password ${attempt}`);
    assert.match(await page.textContent('[data-testid=login-notice]'), /Wrong user name or password/);
  }
  for (let attempt = 5; attempt <= 6; attempt++) {
    await signIn(page, THROTTLE_BASE, 'supervisor', `wrong password ${attempt}`);
    assert.match(await page.textContent('[data-testid=login-notice]'), /Too many failed sign-in attempts.*5 minutes/);
  }
  await signIn(page, THROTTLE_BASE, 'supervisor', DEMO_PASSWORD);
  assert.match(await page.textContent('[data-testid=login-notice]'), /Too many failed sign-in attempts/, 'even the right password waits');
  await shot(page, 'login-throttled');
  await page.context().close();
});
