// The navigation and the home page as people meet them: the compact menu on a phone, the
// notification bell whose dropdown loads only when opened, the first-run checklists of a new
// member and a new admin, and a confirmation before anything is deleted (cancel keeps it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import { startKring, launchBrowser, assertClean, logIn, sessionClient, created } from './support.mjs';

let kring;
let browser;
let admin;

const password = 'a long enough password';
const people = {
  admin: { email: 'admin@example.com', display_name: 'Ada Admin' },
  mia: { email: 'mia@example.com', display_name: 'Mia Member' },
  noor: { email: 'noor@example.com', display_name: 'Noor Nieuw' },
  dora: { email: 'dora@example.com', display_name: 'Dora Deleter' },
};
const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 800 };

// A 1 × 1 PNG, for the profile photo.
const photo = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let miaQuestion;

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
  admin = await request.newContext({ baseURL: kring.url });
  let response = await admin.post('/api/v1/setup', { data: { ...people.admin, password } });
  assert.equal(response.status(), 201);
  for (const who of ['mia', 'noor', 'dora']) {
    response = await admin.post('/api/v1/admin/users', { data: { ...people[who], password } });
    assert.equal(response.status(), 201, await response.text());
  }
  // Questions in a few tags, so a new member has tags to follow.
  for (const [title, tags] of [
    ['How do I connect to the VPN from home?', ['vpn']],
    ['Which printer prints A3 on the third floor?', ['printers']],
    ['How do I freeze the top row in Excel?', ['excel']],
    ['Who do I ask for a desk on my first day?', ['onboarding']],
  ]) {
    await created(await admin.post('/api/v1/questions', { data: { title, body: `${title} Thanks!`, tags, language: 'en' } }));
  }
  // Mia asks; the admin answers, which notifies her.
  const mia = await sessionClient(kring.url, { email: people.mia.email, password });
  miaQuestion = await created(
    await mia.post('/api/v1/questions', {
      data: { title: 'Where is the key of the bike shed?', body: 'The shed behind the office is locked.', tags: ['onboarding'], language: 'en' },
    }),
  );
  await mia.dispose();
  await created(
    await admin.post(`/api/v1/questions/${miaQuestion.id}/answers`, { data: { body: 'Reception keeps it; ask for the green key.' } }),
  );
});

after(async () => {
  await admin?.dispose();
  await browser?.close();
  await kring?.stop();
});

const loggedIn = (who, viewport) => logIn(browser, kring.url, { email: people[who].email, password }, viewport);

test('on a phone the sections sit in a compact menu and the content starts above the fold', async () => {
  const page = await loggedIn('mia', phone);
  const header = await page.locator('header.site-header').boundingBox();
  assert.ok(header.height <= 130, `the header is ${header.height} px tall on a phone`);
  const heading = await page.getByRole('heading', { level: 1 }).boundingBox();
  assert.ok(heading.y + heading.height < phone.height / 3, `the page's heading starts at ${heading.y} px`);
  // The sections are not in the header row but in the menu.
  const sections = page.locator('nav.site-nav');
  assert.equal(await sections.isVisible(), false);
  const menu = page.locator('[data-test="phone-menu"]');
  await menu.click();
  const inMenu = page.locator('.phone-menu nav');
  for (const name of ['Home', 'Questions', 'Blog', 'People', 'Spaces']) {
    assert.ok(await inMenu.getByRole('link', { name, exact: true }).isVisible(), `${name} is in the phone menu`);
  }
  assert.equal(await inMenu.getByRole('link', { name: 'Home', exact: true }).getAttribute('aria-current'), 'page');
  await assertClean(page, 'the phone menu, open');
  // Escape closes it and gives the focus back to its button.
  await page.keyboard.press('Escape');
  assert.equal(await inMenu.isVisible(), false);
  assert.equal(await menu.evaluate((el) => el === document.activeElement), true);
  // A click elsewhere closes it too.
  await menu.click();
  await page.mouse.click(20, phone.height - 40);
  assert.equal(await inMenu.isVisible(), false);
  // Following a section marks it as the current one.
  await menu.click();
  await inMenu.getByRole('link', { name: 'Questions', exact: true }).click();
  await page.waitForURL(kring.url + '/questions');
  await menu.click();
  assert.equal(await inMenu.getByRole('link', { name: 'Questions', exact: true }).getAttribute('aria-current'), 'page');
  // On a desktop the same sections are in the header and the menu button is gone.
  const wide = await loggedIn('mia', desktop);
  assert.ok(await wide.locator('nav.site-nav').getByRole('link', { name: 'Questions', exact: true }).isVisible());
  assert.equal(await wide.locator('[data-test="phone-menu"]').isVisible(), false);
  await page.context().close();
  await wide.context().close();
});

for (const [device, viewport] of [
  ['a phone', phone],
  ['a desktop', desktop],
]) {
  test(`the bell shows the unread count and loads its dropdown only when opened — on ${device}`, async () => {
    const page = await loggedIn('mia', viewport);
    const asked = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/notifications/menu') asked.push(r.url());
    });
    await page.reload();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(asked, [], 'an ordinary page does not fetch the notifications');
    const bell = page.locator('[data-test="notifications"]');
    assert.equal((await bell.locator('[data-test="unread"]').textContent()).trim(), '1 unread');
    assert.equal(await bell.getAttribute('aria-expanded'), 'false');

    await bell.click();
    const panel = page.locator('#bell-panel');
    await panel.locator('[data-test="bell-items"]').waitFor();
    assert.equal(asked.length, 1);
    assert.equal(await bell.getAttribute('aria-expanded'), 'true');
    assert.match(await panel.innerText(), /Ada Admin answered your question “Where is the key of the bike shed\?”/);
    const box = await panel.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, 'the dropdown fits the screen');
    assert.equal(page.url(), kring.url + '/', 'opening the bell does not leave the page');
    await assertClean(page, `the bell's dropdown on ${device}`);

    // Escape closes it and gives the focus back to the bell; opening it again does not refetch.
    await page.keyboard.press('Escape');
    assert.equal(await panel.isVisible(), false);
    assert.equal(await bell.evaluate((el) => el === document.activeElement), true);
    await bell.click();
    await panel.locator('[data-test="bell-items"]').waitFor();
    assert.equal(asked.length, 1);

    // An item opens what it is about and marks it read.
    await panel.getByRole('button', { name: /bike shed/ }).first().click();
    await page.waitForURL(new RegExp(`/questions/${miaQuestion.id}`));
    await page.getByRole('heading', { level: 1, name: 'Where is the key of the bike shed?' }).waitFor();
    assert.equal(await page.locator('[data-test="unread"]').count(), 0);
    // The next test (the other device) starts with an unread notification again.
    await created(
      await admin.post(`/api/v1/questions/${miaQuestion.id}/answers`, { data: { body: `Or ask facilities (${device}).` } }),
    );
    await page.context().close();
  });
}

test('a new member follows the checklist: tags, a first question, a photo; then it is gone', async () => {
  const page = await loggedIn('noor', desktop);
  const checklist = page.locator('[data-test="member-checklist"]');
  await checklist.getByRole('heading', { name: 'Get started in three steps' }).waitFor();
  assert.match(await checklist.innerText(), /0 of 3 done/);
  assert.equal(await page.locator('[data-test="admin-checklist"]').count(), 0, 'a member sees no admin checklist');
  // The empty "for you" list says what to do next.
  assert.match(await page.locator('[data-test="for-you"]').innerText(), /Follow the tags you know about/);
  await assertClean(page, 'home of a new member');

  // Three tags, followed from the checklist itself.
  for (const tag of ['vpn', 'excel', 'onboarding']) {
    await checklist.getByRole('button', { name: `#${tag} follow` }).click();
    await page.waitForURL(kring.url + '/');
  }
  assert.equal(await checklist.locator('[data-test="step-tags"]').getAttribute('data-done'), 'true');
  assert.match(await checklist.innerText(), /1 of 3 done/);
  // Following tags fills "open questions in your tags" (not her own, none answered well yet).
  const forYou = page.locator('[data-test="for-you"]');
  await forYou.getByRole('link', { name: 'How do I freeze the top row in Excel?' }).waitFor();

  // A first question, from the checklist's link.
  await checklist.getByRole('link', { name: 'Ask your first question' }).click();
  await page.waitForURL(kring.url + '/questions/ask');
  await page.getByLabel('Title').fill('Is there a quiet room for phone calls?');
  await page.getByLabel('Details').fill('The open office is loud in the afternoon.');
  await page.getByLabel('Tags').fill('onboarding');
  await page.getByRole('button', { name: 'Post question' }).click();
  await page.getByRole('heading', { level: 1, name: 'Is there a quiet room for phone calls?' }).waitFor();
  await page.goto(kring.url + '/');
  assert.match(await checklist.innerText(), /2 of 3 done/);

  // A photo: the last step; the checklist is gone.
  await checklist.getByRole('link', { name: 'Add a photo to your profile' }).click();
  await page.getByLabel('Photo file').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: photo });
  await page.getByRole('button', { name: 'Upload photo' }).click();
  await page.waitForLoadState('load');
  await page.goto(kring.url + '/');
  await page.getByRole('heading', { level: 1, name: 'Welcome, Noor Nieuw' }).waitFor();
  assert.equal(await checklist.count(), 0);
  await page.context().close();
});

test('a new admin sees what to set up; a step is done once saved', async () => {
  const page = await loggedIn('admin', phone);
  const checklist = page.locator('[data-test="admin-checklist"]');
  await checklist.getByRole('heading', { name: 'Set up Kring for your company' }).waitFor();
  // People exist already (Mia and Noor): inviting is done; departments are not.
  assert.equal(await checklist.locator('[data-test="step-invite"]').getAttribute('data-done'), 'true');
  assert.equal(await checklist.locator('[data-test="step-departments"]').getAttribute('data-done'), 'false');
  assert.match(await checklist.innerText(), /1 of 4 done/);
  await assertClean(page, 'home of a new admin, on a phone');
  await checklist.getByRole('link', { name: 'Add your departments' }).click();
  await page.waitForURL(kring.url + '/admin/departments');
  await page.getByLabel('New department').fill('Finance');
  await page.getByRole('button', { name: 'Add department' }).click();
  await page.goto(kring.url + '/');
  assert.equal(await checklist.locator('[data-test="step-departments"]').getAttribute('data-done'), 'true');
  assert.match(await checklist.innerText(), /2 of 4 done/);
  await page.context().close();
});

test('deleting asks first: cancel (or Escape) keeps the question, confirm deletes it', async () => {
  const dora = await sessionClient(kring.url, { email: people.dora.email, password });
  const doomed = await created(
    await dora.post('/api/v1/questions', {
      data: { title: 'Does anybody have a spare HDMI cable?', body: 'For the meeting room on the second floor.', tags: ['onboarding'], language: 'en' },
    }),
  );
  await dora.dispose();
  const page = await loggedIn('dora', phone);
  await page.goto(`${kring.url}/questions/${doomed.id}`);
  const title = page.getByRole('heading', { level: 1, name: 'Does anybody have a spare HDMI cable?' });
  await title.waitFor();
  const remove = page.getByRole('button', { name: 'Delete question' });
  const dialog = page.locator('dialog.confirm');

  // Cancel keeps it.
  await remove.click();
  await dialog.getByRole('heading', { name: 'Delete this question?' }).waitFor();
  assert.match(await dialog.innerText(), /This cannot be undone\./);
  await assertClean(page, 'the confirmation dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await dialog.isVisible(), false);
  assert.equal(await remove.evaluate((el) => el === document.activeElement), true, 'the focus goes back to the button');
  await page.reload();
  await title.waitFor();

  // Escape keeps it too.
  await remove.click();
  await dialog.getByRole('heading', { name: 'Delete this question?' }).waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await dialog.isVisible(), false);
  await page.reload();
  await title.waitFor();

  // Confirming deletes it.
  await remove.click();
  await dialog.getByRole('button', { name: 'Delete question' }).click();
  await page.getByRole('status').filter({ hasText: 'The question is deleted.' }).waitFor();
  const gone = await page.goto(`${kring.url}/questions/${doomed.id}`);
  assert.equal(gone.status(), 404);
  await page.context().close();
});
