// Provisioning (SCIM 2.0) as an admin sets it up: a provisioning token made on
// Administration → Provisioning is shown once, works against /scim/v2 (a colleague provisioned
// by "the directory" appears in the page's counts), is not shown again, and once revoked is
// refused on the next request. axe-core on a phone and a desktop. KRING_SCREENSHOTS=DIR saves
// screenshots of the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import { startKring, launchBrowser, newPage, seriousViolations, confirmDialog } from './support.mjs';

let kring;
let browser;
let api;

const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 900 };
const password = 'a long enough password';
const admin = { email: 'admin@example.com', display_name: 'Ada Admin' };

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
  api = await request.newContext({ baseURL: kring.url });
  const response = await api.post('/api/v1/setup', { data: { ...admin, password } });
  assert.equal(response.status(), 201);
});

after(async () => {
  await api?.dispose();
  await browser?.close();
  await kring?.stop();
});

async function checkBothWidths(page, label) {
  for (const [device, viewport] of [['phone', phone], ['desktop', desktop]]) {
    await page.setViewportSize(viewport);
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], `axe: serious or critical violations on ${label} (${device})`);
    assert.deepEqual(page.problems, [], `page errors on ${label} (${device})`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${label} (${device}) scrolls sideways by ${overflow}px`);
    if (process.env.KRING_SCREENSHOTS) {
      const name = `${label.replace(/\W+/g, '-')}-${device}.png`;
      await page.screenshot({ path: `${process.env.KRING_SCREENSHOTS}/${name}`, fullPage: true });
    }
  }
  await page.setViewportSize(desktop);
}

function scim(token, method, path, body) {
  return fetch(`${kring.url}/scim/v2${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/scim+json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
}

test('an admin makes a provisioning token, the directory uses it, the admin revokes it', async () => {
  const page = await newPage(browser, { viewport: desktop, locale: 'en-GB' });
  await page.goto(kring.url + '/login');
  await page.getByLabel('Email address').fill(admin.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(kring.url + '/');

  await page.goto(kring.url + '/admin');
  await page.getByRole('link', { name: 'Provisioning' }).first().click();
  await page.waitForURL(kring.url + '/admin/provisioning');
  assert.equal(await page.locator('#scim-url').innerText(), `${kring.url}/scim/v2`);
  await checkBothWidths(page, 'provisioning, no tokens');

  // An empty name is refused with the form's error, nothing made.
  await page.getByLabel('Token name').fill('   ');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.locator('.form-error, [role="alert"]').first().waitFor();
  assert.equal(await page.locator('[data-test="new-token"]').count(), 0);

  await page.getByLabel('Token name').fill('Entra ID');
  await page.getByRole('button', { name: 'Create token' }).click();
  const shown = page.locator('[data-test="new-token"]');
  await shown.waitFor();
  const token = await shown.inputValue();
  assert.match(token, /^kscim_[0-9a-f]{64}$/);
  await checkBothWidths(page, 'provisioning, token just made');

  // The directory provisions a colleague with it.
  const response = await scim(token, 'POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: 'lee@corp.example',
    emails: [{ value: 'lee@example.com', type: 'work', primary: true }],
    name: { givenName: 'Lee', familyName: 'Ho' },
  });
  assert.equal(response.status, 201, await response.text());

  await page.goto(kring.url + '/admin/provisioning');
  assert.match(await page.locator('#scim-counts').innerText(), /^One person and 0 groups come from the directory/);
  assert.ok(!(await page.content()).includes(token), 'the token is shown again');
  const row = page.locator('#scim-tokens tbody tr', { hasText: 'Entra ID' });
  assert.match(await row.innerText(), new RegExp(token.slice(0, 12)));
  await checkBothWidths(page, 'provisioning, one token in use');

  await row.getByRole('button', { name: /Revoke/ }).click();
  await confirmDialog(page);
  await page.waitForURL(kring.url + '/admin/provisioning');
  await page.locator('#scim-tokens tbody tr', { hasText: 'Revoked' }).waitFor();
  const refused = await scim(token, 'GET', '/Users');
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).status, '401');
});
