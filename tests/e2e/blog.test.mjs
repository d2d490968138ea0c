// Writing a post with the live preview and autosave, submitting it for review, an editor
// approving it, and a colleague finding it on the home page; axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import { startKring, launchBrowser, newPage, seriousViolations, navigate } from './support.mjs';

let kring;
let browser;
let api;

const password = 'a long enough password';
const people = {
  admin: { email: 'admin@example.com', display_name: 'Ada Admin' },
  writer: { email: 'wim@example.com', display_name: 'Wim Writer' },
  editor: { email: 'eva@example.com', display_name: 'Eva Editor', roles: ['editor'] },
  reader: { email: 'rosa@example.com', display_name: 'Rosa Reader' },
};

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
  api = await request.newContext({ baseURL: kring.url });
  // An installation with review required for everyone, an editor and two colleagues.
  let response = await api.post('/api/v1/setup', { data: { ...people.admin, password } });
  assert.equal(response.status(), 201);
  response = await api.put('/api/v1/admin/editorial-review', { data: { mode: 'everyone' } });
  assert.equal(response.status(), 200);
  for (const who of ['writer', 'editor', 'reader']) {
    response = await api.post('/api/v1/admin/users', { data: { ...people[who], password } });
    assert.equal(response.status(), 201, await response.text());
  }
});

after(async () => {
  await api?.dispose();
  await browser?.close();
  await kring?.stop();
});

async function check(page, label) {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `axe: serious or critical violations on ${label}`);
  assert.deepEqual(page.problems, [], `page errors on ${label}`);
}

async function loggedIn(who) {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  await page.goto(kring.url + '/login');
  await page.getByLabel('Email address').fill(people[who].email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(kring.url + '/');
  return page;
}

test('write with preview, submit, approve as editor, read it on the home page', async () => {
  const title = 'Thuiswerken met de VPN';
  // The writer drafts a post; the preview renders as they type; autosave keeps it.
  const writer = await loggedIn('writer');
  await navigate(writer, 'Write');
  await writer.getByRole('heading', { level: 1, name: 'New post' }).waitFor();
  await check(writer, 'new post');
  await writer.getByLabel('Title').fill(title);
  await writer.getByLabel('Text (Markdown)').fill('## Verbinden\n\nStart de **VPN** voordat je Teams opent.');
  const preview = writer.locator('#preview');
  await preview.locator('h2', { hasText: 'Verbinden' }).waitFor();
  await preview.locator('strong', { hasText: 'VPN' }).waitFor();
  await writer.getByLabel('Tags').fill('thuiswerken, vpn');
  await writer.locator('#autosave-status', { hasText: 'Draft saved at' }).waitFor();
  assert.match(writer.url(), /\/blog\/posts\/\d+\/edit$/, 'the address became the draft\'s');

  // Leaving and coming back loses nothing.
  const editUrl = writer.url();
  await writer.goto(kring.url + '/blog/mine');
  await writer.getByRole('link', { name: title }).waitFor();
  await check(writer, 'my posts');
  await writer.goto(editUrl);
  assert.equal(await writer.getByLabel('Title').inputValue(), title);
  assert.match(await writer.getByLabel('Text (Markdown)').inputValue(), /Start de \*\*VPN\*\*/);
  await check(writer, 'edit draft');

  await writer.getByRole('button', { name: 'Submit for review' }).click();
  await writer.getByRole('status').filter({ hasText: 'submitted for review' }).waitFor();
  await writer.getByRole('note').filter({ hasText: 'In review' }).waitFor();
  await check(writer, 'post in review');

  // Nobody else sees it yet.
  const reader = await loggedIn('reader');
  assert.equal(await reader.getByRole('link', { name: title }).count(), 0);

  // The editor approves it from the review queue.
  const editor = await loggedIn('editor');
  await navigate(editor, /^Review/);
  await check(editor, 'review queue');
  await editor.getByRole('link', { name: title }).click();
  await editor.getByRole('heading', { level: 2, name: 'Review' }).waitFor();
  await check(editor, 'post under review');
  await editor.getByRole('button', { name: 'Approve and publish' }).click();
  await editor.getByRole('status').filter({ hasText: 'The post is approved.' }).waitFor();

  // A colleague finds it on the home page and reads it.
  await reader.goto(kring.url + '/');
  await reader.getByRole('link', { name: title }).click();
  await reader.getByRole('heading', { level: 1, name: title }).waitFor();
  await reader.locator('.prose strong', { hasText: 'VPN' }).waitFor();
  await check(reader, 'published post');
  await reader.getByRole('button', { name: 'Like' }).click();
  await reader.getByRole('button', { name: 'Unlike' }).waitFor();
  await reader.getByLabel('Add a comment').fill('Handig, dank je!');
  await reader.getByRole('button', { name: 'Post comment' }).click();
  await reader.locator('.comment', { hasText: 'Handig, dank je!' }).waitFor();
  await check(reader, 'post with a comment');
  await reader.goto(kring.url + '/');
  await check(reader, 'home');
  await reader.goto(kring.url + '/tags/vpn');
  await reader.getByRole('link', { name: title }).waitFor();
  await check(reader, 'tag page');
});
