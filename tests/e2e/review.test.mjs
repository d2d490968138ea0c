// The editorial review round trip as the people in it see it, on a phone and a desktop: an
// ambassador submits, the editor sees the count and the notification, sends the post back,
// the author's notification opens the editor, the author resubmits, the editor approves; axe
// on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import {
  startKring,
  launchBrowser,
  assertClean,
  logIn,
  openAccountMenu,
} from './support.mjs';

let kring;
let browser;
let api;

const password = 'a long enough password';
const people = {
  admin: { email: 'admin@example.com', display_name: 'Ada Admin' },
  author: { email: 'amber@example.com', display_name: 'Amber Ambassador', roles: ['ambassador'] },
  editor: { email: 'eddie@example.com', display_name: 'Eddie Editor', roles: ['editor'] },
};

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
  api = await request.newContext({ baseURL: kring.url });
  let response = await api.post('/api/v1/setup', { data: { ...people.admin, password } });
  assert.equal(response.status(), 201);
  response = await api.put('/api/v1/admin/editorial-review', { data: { mode: 'everyone' } });
  assert.equal(response.status(), 200);
  for (const who of ['author', 'editor']) {
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

/** Opens the first notification whose text contains `text`. */
async function openNotification(page, text) {
  await page.goto(kring.url + '/notifications');
  await check(page, 'notifications');
  await page.getByRole('button', { name: new RegExp(text) }).first().click();
  await page.waitForLoadState();
}

for (const [name, viewport] of [
  ['a phone', { width: 390, height: 844 }],
  ['a desktop', { width: 1280, height: 900 }],
]) {
  test(`submit, send back, resubmit and approve through notifications — on ${name}`, async () => {
    const title = `Our bike lease plan on ${name}`;
    const author = await loggedIn('author', viewport);
    await author.goto(kring.url + '/blog/new');
    await author.getByLabel('Title').fill(title);
    await author.getByLabel('Text (Markdown)').fill('Sign up before **May**.');
    await author.locator('#autosave-status', { hasText: 'Draft saved at' }).waitFor();
    await author.getByRole('button', { name: 'Submit for review' }).click();
    await author.getByRole('status').filter({ hasText: 'submitted for review' }).waitFor();

    // The editor sees the count on the Review link and the notification.
    const editor = await loggedIn('editor', viewport);
    await openAccountMenu(editor);
    await editor.locator('[data-test="review-count"]', { hasText: '1' }).waitFor();
    await check(editor, 'home with a review waiting');
    await openNotification(editor, title);
    await editor.getByRole('heading', { level: 2, name: 'Review' }).waitFor();
    await check(editor, 'the post under review');
    await editor.getByLabel('What should change?').fill('Add the price, please.');
    await editor.getByRole('button', { name: 'Send back to the author' }).click();
    await editor.waitForLoadState();
    assert.equal(await editor.locator('[data-test="review-count"]').count(), 0, 'nothing waits');

    // The author's notification opens the editor; they change the post and resubmit.
    await openNotification(author, title);
    await author.waitForURL(/\/blog\/posts\/\d+\/edit$/);
    await check(author, 'the editor after a send-back');
    await author.getByLabel('Text (Markdown)').fill('Sign up before **May**. It costs €10 a month.');
    await author.locator('#autosave-status', { hasText: 'Draft saved at' }).waitFor();
    await author.getByRole('button', { name: 'Submit for review' }).click();
    await author.getByRole('status').filter({ hasText: 'submitted for review' }).waitFor();

    // The editor hears of the new version and approves it.
    await editor.goto(kring.url + '/');
    await openAccountMenu(editor);
    await editor.locator('[data-test="review-count"]', { hasText: '1' }).waitFor();
    await openNotification(editor, 'review it again');
    await editor.getByRole('button', { name: 'Approve and publish' }).click();
    await editor.getByRole('status').filter({ hasText: 'The post is approved.' }).waitFor();

    // The author's last notification opens the published post.
    await openNotification(author, 'is approved');
    await author.getByRole('heading', { level: 1, name: title }).waitFor();
    await check(author, 'the published post');
  });
}
