// The three flows that change POM, completed with the keyboard alone (Tab, Shift+Tab, arrows,
// typing, Space and Enter; no click anywhere): a purge with its typed confirmation and restore, a
// DNC upload from the file chooser to POM, a campaign started and stopped. Each also checks what
// a screen reader hears: the job panel's live region and the campaign board's announcements.
// docs/accessibility.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Presses Tab (Shift+Tab with `back`) until the focused element matches `selector`: the element
 * is in the page's tab order. Fails after `limit` presses. */
async function tabTo(page, selector, { back = false, limit = 120 } = {}) {
  for (let presses = 0; presses < limit; presses++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  assert.fail(`${selector} not reached with ${limit} presses of Tab (focus is on ${at})`);
}

/** Chooses `value` in the focused drop-down with the arrow keys. */
async function arrowTo(page, value) {
  await page.keyboard.press('Home');
  for (let presses = 0; presses < 200; presses++) {
    if (await page.evaluate((v) => document.activeElement?.value === v, value)) return;
    await page.keyboard.press('ArrowDown');
  }
  assert.fail(`no option ${value} in the focused drop-down`);
}

/** The live region's text once it matches `pattern`. */
async function heard(page, selector, pattern, timeout = 120_000) {
  await page.waitForFunction(
    ([sel, source]) => new RegExp(source).test(document.querySelector(sel)?.textContent ?? ''),
    [selector, pattern.source],
    { timeout },
  );
  return (await page.textContent(selector)).trim();
}

const JOB_VOICE = '[data-testid=job-progress]:last-of-type [aria-live]';

test('a purge is defined, confirmed and restored with the keyboard alone', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/lists`);
  const listId = await page.locator('[data-testid=list-row]', { hasText: 'Sales_Renewals' }).getAttribute('data-list-id');
  await page.goto(`${BASE}/purge?list=${listId}`);
  await hydrated(page);

  await tabTo(page, '#purge-attribute');
  await arrowTo(page, 'EXPIRY_DATE');
  await tabTo(page, '#purge-operator');
  await arrowTo(page, 'before');
  await tabTo(page, '#purge-value');
  await page.keyboard.type('2026-04-01');
  assert.equal(await page.inputValue('#purge-value'), '2026-04-01');
  await tabTo(page, '#purge-reason');
  await page.keyboard.type('Expired before April (keyboard only)');
  await tabTo(page, '[data-testid=dry-run]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=dry-run-count]', { timeout: 60_000 });
  const matched = Number(await page.getAttribute('[data-testid=dry-run-count]', 'data-count'));
  assert.ok(matched > 0, `the filter matches contacts (${matched})`);

  await tabTo(page, '#confirm-count');
  await page.keyboard.type(String(matched));
  await tabTo(page, '[data-testid=confirm-purge]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=purge-started]');
  const done = await heard(page, JOB_VOICE, /completed: 100% done/);
  assert.match(done, /^Purge job completed: 100% done\.$/, 'the job panel says how it ended');
  assert.equal(await page.getAttribute('[data-testid=job-progress] progress', 'value'), '100.0', 'and its bar is full');
  await shot(page, 'keyboard-purge-completed');

  await tabTo(page, '[data-testid=purge-run-link]');
  await Promise.all([page.waitForURL(/\/purge\/runs\/\d+$/), page.keyboard.press('Enter')]);
  await hydrated(page);
  await tabTo(page, '[data-testid=restore-all]');
  await page.keyboard.press('Enter');
  await tabTo(page, '#restore-count');
  await page.keyboard.type(String(matched));
  await tabTo(page, '[data-testid=restore-all-go]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid=run-restored]')?.textContent.trim() === want,
    matched.toLocaleString('en-US'),
    { timeout: 120_000 },
  );
  await page.context().close();
});

test('a DNC file is chosen, checked and sent with the keyboard alone', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/dnc`);
  await hydrated(page);
  const stem = `7922${String(Date.now() % 100000).padStart(5, '0')}`;
  const file = ['Phone', `+44${stem}1`, `+44${stem}2`, 'not a number'].join('\r\n');

  await tabTo(page, '#dnc-mode-dnc_list, [name=dnc-mode]:checked');
  if (!(await page.isChecked('#dnc-mode-dnc_list'))) {
    // Arrow keys move between a radio group's choices and check the one reached.
    for (let presses = 0; presses < 5 && !(await page.isChecked('#dnc-mode-dnc_list')); presses++) {
      await page.keyboard.press('ArrowDown');
    }
  }
  assert.ok(await page.isChecked('#dnc-mode-dnc_list'), 'the DNC list is chosen with the arrows');
  await tabTo(page, '#dnc-file');
  // Space on a file field opens the system's chooser, which is keyboard-operable itself.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles({ name: 'keyboard-dnc.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await tabTo(page, '[data-testid=dnc-upload-submit]');
  await Promise.all([page.waitForURL(/\/dnc\/uploads\/\d+$/), page.keyboard.press('Enter')]);
  await hydrated(page);
  assert.equal(await page.getAttribute('[data-testid=dnc-valid]', 'data-count'), '2');

  await tabTo(page, '[data-testid=dnc-confirm]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=dnc-accepted]', { timeout: 60_000 });
  assert.equal((await page.textContent('[data-testid=dnc-accepted]')).replace(/\D/g, ''), '2');
  assert.match(await heard(page, JOB_VOICE, /completed/), /^DNC send job completed: 100% done\.$/);
  await shot(page, 'keyboard-dnc-sent');
  await page.context().close();
});

test('a campaign is started and stopped with the keyboard alone, and each state is announced', async () => {
  const page = await newPage(browser);
  await signIn(page, BASE, 'supervisor');
  await page.goto(`${BASE}/campaigns`);
  await hydrated(page);
  await page.waitForSelector('[data-testid=campaigns-live]');
  const name = await page.locator('[data-testid=campaign-row]:has([data-testid=campaign-start])').first()
    .getAttribute('data-campaign');
  const row = `[data-testid=campaign-row][data-campaign="${name}"]`;
  const voice = '[data-testid=campaign-announcement]';

  await tabTo(page, `${row} [data-testid=campaign-start]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=confirm-dialog][open]');
  // The dialog opens on Cancel; the action is a Tab or two away. The page behind a modal dialog
  // is inert: Tab goes round the dialog (past its end, to the browser's own controls, where the
  // page sees no focused element) and never reaches a control of the page.
  await tabTo(page, '[data-testid=confirm-action]', { limit: 6 });
  for (let presses = 0; presses < 8; presses++) {
    await page.keyboard.press('Tab');
    const outside = await page.evaluate(() => {
      const at = document.activeElement;
      return at && at !== document.body && !at.closest('[data-testid=confirm-dialog]') ? at.outerHTML.slice(0, 80) : null;
    });
    assert.equal(outside, null, 'Tab never reaches the page behind the dialog');
  }
  await tabTo(page, '[data-testid=confirm-action]', { limit: 12 });
  await page.keyboard.press('Enter');
  assert.match(await heard(page, voice, new RegExp(`${name}: Active\\.`), 30_000), new RegExp(`${name}: Active\\.`));

  await tabTo(page, `${row} [data-testid=campaign-stop]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=confirm-dialog][open]');
  await tabTo(page, '[data-testid=confirm-action]', { limit: 6 });
  await page.keyboard.press('Enter');
  await heard(page, voice, new RegExp(`${name}: Stopped\\.`), 30_000);
  await page.waitForSelector(`${row} [data-testid=campaign-start]`);
  await shot(page, 'keyboard-campaign-stopped');
  await page.context().close();
});
