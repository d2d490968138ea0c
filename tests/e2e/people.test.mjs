// Editing one's own profile with a photo, finding a colleague in the directory and following
// them; on a phone and a desktop, with axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import {
  startKring,
  launchBrowser,
  assertClean,
  logIn,
  navigate,
} from './support.mjs';

let kring;
let browser;
let api;

const password = 'a long enough password';
const people = {
  admin: { email: 'admin@example.com', display_name: 'Ada Admin' },
  pia: { email: 'pia@example.com', display_name: 'Pia Profile' },
  carl: { email: 'carl@example.com', display_name: 'Carl Colleague' },
};
// A 1 × 1 PNG.
const photo = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
  api = await request.newContext({ baseURL: kring.url });
  let response = await api.post('/api/v1/setup', { data: { ...people.admin, password } });
  assert.equal(response.status(), 201);
  response = await api.post('/api/v1/departments', { data: { name: 'Finance' } });
  assert.equal(response.status(), 201, await response.text());
  for (const who of ['pia', 'carl']) {
    response = await api.post('/api/v1/admin/users', { data: { ...people[who], password } });
    assert.equal(response.status(), 201, await response.text());
  }
});

after(async () => {
  await api?.dispose();
  await browser?.close();
  await kring?.stop();
});

const check = assertClean;

const loggedIn = (who, viewport) =>
  logIn(browser, kring.url, { email: people[who].email, password }, viewport);

let round = 0;
for (const [device, viewport] of [
  ['a phone', { width: 390, height: 844 }],
  ['a desktop', { width: 1280, height: 900 }],
]) {
  test(`edit own profile with a photo, find a colleague, follow them — on ${device}`, async () => {
    round += 1;
    const page = await loggedIn('pia', viewport);
    await navigate(page, 'People');
    await page.waitForURL(/\/people$/);
    await check(page, 'the directory');

    // Pia edits her own profile and uploads a photo.
    const me = await (await page.request.get(kring.url + '/api/v1/me')).json();
    await page.goto(`${kring.url}/people/${me.id}/edit`);
    await check(page, 'the profile editor');
    await page.getByLabel('Photo file').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: photo });
    await page.getByRole('button', { name: 'Upload photo' }).click();
    await page.getByText('Your photo is saved.').waitFor();
    await page.getByRole('img', { name: 'Photo of Pia Profile' }).waitFor();
    await page.goto(`${kring.url}/people/${me.id}/edit`);
    await page.getByLabel('Job title').fill(`Controller ${round}`);
    await page.getByLabel('Department').selectOption({ label: 'Finance' });
    await page.getByLabel('Ask me about').fill('budgets, excel');
    await page.getByLabel('About me').fill('I keep the **numbers** right.');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('The profile is saved.').waitFor();
    await page.getByText(`Controller ${round} · Finance`).waitFor();
    await page.locator('.prose strong', { hasText: 'numbers' }).waitFor();
    await check(page, 'her profile');

    // She finds Carl in the directory and follows him.
    await page.goto(kring.url + '/people');
    await page.getByLabel('Name').fill('carl');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1 colleague').waitFor();
    await check(page, 'the filtered directory');
    await page.getByRole('link', { name: 'Carl Colleague' }).click();
    await page.getByRole('heading', { name: 'Carl Colleague', level: 1 }).waitFor();
    const follow = page.getByRole('button', { name: /^(Follow|Unfollow)$/ });
    if ((await follow.textContent()).trim() === 'Unfollow') {
      await follow.click();
      await page.getByRole('button', { name: 'Follow', exact: true }).waitFor();
    }
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await page.getByRole('button', { name: 'Unfollow' }).waitFor();
    await page.getByText('1 follower').waitFor();
    await check(page, "Carl's profile");
    await page.context().close();
  });
}
