// Completion-code rules in Chromium, on a demo that keeps dialling: an admin finds the demo's
// rules from the users page, adds one (a missing value named at its field first) and disables it;
// the demo's rules act on new calls, and what they did is in the applications report and on the
// contact's page (the attribute POM now holds beside the application that set it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { REPORTS_BASE as BASE, launch, newPage, signIn, hydrated, shot } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an admin adds and disables a rule; an applied one shows on the contact page', async () => {
  const page = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, BASE, 'admin');
  await page.goto(`${BASE}/admin/users`);
  await Promise.all([page.waitForURL(/\/admin\/completion-rules$/), page.click('text=Completion-code rules →')]);
  await hydrated(page);
  const rows = page.locator('[data-testid=completion-rule-row]');
  await rows.first().waitFor();
  const demoRules = await rows.count();
  assert.ok(demoRules >= 4, `the demo's rules: ${demoRules}`);
  assert.match(await page.textContent('[data-testid=completion-rules]'), /NEXT_ACTION = “legal”/);

  // A new rule: the missing text is named at its field, then the rule is saved and listed.
  await page.selectOption('#rule-campaign', { label: 'Coll_Arrears_Predictive' });
  await page.fill('#rule-code', 'CM_NTC');
  await page.selectOption('#rule-attribute', 'NEXT_ACTION');
  await page.click('[data-testid=save-rule]');
  await page.waitForSelector('#rule-fixed[aria-invalid=true]');
  assert.match(await page.textContent('#rule-fixed-error'), /The value is 1 to 255 characters/);
  await page.fill('#rule-fixed', 'trace');
  assert.equal(await page.getAttribute('#rule-fixed', 'aria-invalid'), null, 'checked again as typed');
  await page.click('[data-testid=save-rule]');
  await page.waitForSelector('[data-testid=rule-saved]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=completion-rule-row]').length === n + 1, demoRules);
  const added = rows.filter({ hasText: 'NEXT_ACTION = “trace”' });
  await shot(page, 'completion-rules');
  await added.getByRole('button', { name: /Disable rule/ }).click();
  await added.locator('[data-testid=confirm-disable]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=completion-rule-row]')]
    .some((r) => r.textContent.includes('“trace”') && r.textContent.includes('Disabled')));

  // The demo's rules act on the calls it keeps making: wait for one attribute set.
  let applied;
  for (let i = 0; i < 120 && !applied; i++) {
    const answer = await page.request.post(`${BASE}/api/completion-rules/applications`, {
      data: { request: { filters: { state: 'applied' } } },
    });
    assert.equal(answer.status(), 200);
    applied = (await answer.json()).rows.find((r) => r.effect.startsWith('NEXT_ACTION'));
    if (!applied) await page.waitForTimeout(1_000);
  }
  assert.ok(applied, 'a demo rule set an attribute within two minutes');
  await page.goto(`${BASE}/reports`);
  await Promise.all([page.waitForURL(/\/completion-rules\/applications$/), page.click('text=Completion-code rule applications')]);
  await page.waitForSelector('[data-testid=rule-application-row]');
  await shot(page, 'completion-rule-applications');

  // The contact's page, from its list: the value POM holds and the application that set it.
  await page.goto(`${BASE}/lists`);
  const listHref = await page.getAttribute(`a:text-is("${applied.list}")`, 'href');
  await page.goto(`${BASE}${listHref}/contacts/${encodeURIComponent(applied.contact)}`);
  await page.waitForSelector('[data-testid=contact-attributes]');
  const attribute = applied.effect.split(' = ')[0];
  const held = (await page.textContent(`[data-attribute=${attribute}] dd`)).trim();
  assert.ok(applied.effect.includes(`“${held}”`), `${attribute} holds ${held}; the rule wrote ${applied.effect}`);
  const rulesApplied = page.locator('[data-testid=rule-application-row]');
  assert.ok((await rulesApplied.count()) >= 1);
  assert.match(await rulesApplied.first().textContent(), /Applied/);
  await shot(page, 'contact');
  assert.deepEqual(errors, []);
});
