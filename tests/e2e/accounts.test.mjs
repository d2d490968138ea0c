// Setup, login, switching to Dutch and logout in a real browser, with axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startKring, launchBrowser, newPage, seriousViolations, logOut } from './support.mjs';

let kring;
let browser;
const visited = new Map();

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await kring?.stop();
});

async function check(page, label) {
  const violations = await seriousViolations(page);
  visited.set(label, violations);
  assert.deepEqual(violations, [], `axe: serious or critical violations on ${label}`);
  assert.deepEqual(page.problems, [], `page errors on ${label}`);
  // Works on a phone: nothing wider than the viewport.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${label} scrolls sideways by ${overflow}px`);
}

const admin = { name: 'Fenna Founder', email: 'fenna@example.com', password: 'a long founder password' };

test('setup, login, switch to Dutch, logout — accessible on a phone and a desktop', async () => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    const page = await newPage(browser, { viewport, locale: 'en-GB' });
    const first = viewport.width < 600;

    // A fresh installation leads to the setup page.
    await page.goto(kring.url + '/');
    if (first) {
      assert.match(page.url(), /\/setup$/);
      await check(page, 'setup');
      await page.getByLabel('Name').fill(admin.name);
      await page.getByLabel('Email address').fill(admin.email);
      await page.getByLabel('New password').fill(admin.password);
      await page.getByLabel('Repeat the password').fill(admin.password);
      await page.getByRole('button', { name: 'Create administrator' }).click();
      await page.waitForURL(kring.url + '/');
      await page.getByRole('heading', { name: `Welcome, ${admin.name}` }).waitFor();
      await check(page, 'home after setup');

      // Setup is gone for good.
      const again = await page.goto(kring.url + '/setup');
      assert.equal(again.status(), 404);
      await check(page, '404 page');

      await logOut(page);
      await page.waitForURL(/\/login$/);
    } else {
      assert.match(page.url(), /\/login\?next=/);
    }

    // Login page, a failed attempt, then a good one.
    await check(page, 'login');
    await page.getByLabel('Email address').fill(admin.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Invalid email or password.' }).waitFor();
    await check(page, 'login with error');
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(kring.url + '/');
    if (first) {
      await page.getByRole('status').filter({ hasText: 'You are logged in.' }).waitFor();
    } else {
      // The first pass chose Dutch while logged in: the choice is the user's, so this new
      // browser gets Dutch at login. Switch back to English for the checks below.
      await page.getByRole('status').filter({ hasText: 'Je bent ingelogd.' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'nl');
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: `Welcome, ${admin.name}` }).waitFor();
    }
    await check(page, 'home');

    // The pages an admin reaches from here.
    for (const [path, heading] of [
      ['/account', 'Your account'],
      ['/account/tokens', 'Personal access tokens'],
      ['/account/password', 'Change password'],
      ['/admin/users', 'Users'],
      ['/admin/users/new', 'New user'],
      ['/admin/settings', 'Settings'],
      ['/admin/audit', 'Audit log'],
    ]) {
      await page.goto(kring.url + path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await check(page, path);
    }

    // Switch to Dutch.
    await page.goto(kring.url + '/account');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.waitForURL(kring.url + '/account');
    await page.getByRole('heading', { level: 1, name: 'Je account' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    await check(page, 'account (nl)');

    // Log out, in Dutch.
    await logOut(page);
    await page.waitForURL(/\/login$/);
    await page.getByRole('heading', { level: 1, name: 'Inloggen' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Je bent uitgelogd.' }).waitFor();
    await check(page, 'login (nl)');

    // Back to English for the next viewport.
    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForURL(/\/login$/);
    await page.context().close();
  }
  assert.ok(visited.size >= 12, `checked ${visited.size} pages`);
});
