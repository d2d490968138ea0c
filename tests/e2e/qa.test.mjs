// Asking a question with similar-question suggestions while typing, a colleague answering, the
// asker accepting the answer; on a phone and a desktop, with axe-core on every page.
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
  asker: { email: 'anna@example.com', display_name: 'Anna Asker' },
  expert: { email: 'erik@example.com', display_name: 'Erik Expert' },
};

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
  api = await request.newContext({ baseURL: kring.url });
  let response = await api.post('/api/v1/setup', { data: { ...people.admin, password } });
  assert.equal(response.status(), 201);
  for (const who of ['asker', 'expert']) {
    response = await api.post('/api/v1/admin/users', { data: { ...people[who], password } });
    assert.equal(response.status(), 201, await response.text());
  }
  // The admin asks the first VPN question, which also opens the `vpn` tag for members.
  response = await api.post('/api/v1/questions', {
    data: {
      title: 'How do I connect to the VPN from home?',
      body: 'The client asks for a certificate.',
      tags: ['vpn'],
      language: 'en',
    },
  });
  assert.equal(response.status(), 201, await response.text());
});

after(async () => {
  await api?.dispose();
  await browser?.close();
  await kring?.stop();
});

const check = assertClean;

const loggedIn = (who, viewport) =>
  logIn(browser, kring.url, { email: people[who].email, password }, viewport);

for (const [device, viewport] of [
  ['a phone', { width: 390, height: 844 }],
  ['a desktop', { width: 1280, height: 900 }],
]) {
  test(`ask with similar suggestions, answer, accept — on ${device}`, async () => {
    const title = `VPN drops when working from home (${device})`;
    const asker = await loggedIn('asker', viewport);
    await navigate(asker, 'Questions');
    await asker.waitForURL(/\/questions$/);
    await check(asker, 'the question list');
    await asker.getByRole('link', { name: 'Ask a question' }).first().click();
    await asker.waitForURL(/\/questions\/ask$/);
    await check(asker, 'the ask page');

    // Typing the title shows the existing VPN question as a suggestion.
    await asker.getByLabel('Title').pressSequentially('VPN from home drops', { delay: 20 });
    const similar = asker.locator('#similar');
    await similar.getByRole('link', { name: 'How do I connect to the VPN from home?' }).waitFor();
    await check(asker, 'the ask page with suggestions');

    await asker.getByLabel('Title').fill(title);
    await asker.getByLabel('Details').fill('Every **ten minutes** the connection drops.');
    await asker.getByLabel('Tags').fill('vpn');
    await asker.getByRole('button', { name: 'Post question' }).click();
    await asker.getByRole('heading', { name: title, level: 1 }).waitFor();
    const questionUrl = asker.url();
    assert.match(questionUrl, /\/questions\/\d+\/vpn-drops-when-working-from-home/);
    await check(asker, 'the new question');

    // A colleague answers.
    const expert = await loggedIn('expert', viewport);
    await expert.goto(questionUrl);
    await expert.getByLabel('Your answer').fill('Switch on *keep-alive* in the client settings.');
    await expert.getByRole('button', { name: 'Post answer' }).click();
    await expert.getByText('Your answer is posted.').waitFor();
    await expert.locator('.answer em', { hasText: 'keep-alive' }).waitFor();
    await check(expert, 'the question with an answer');

    // The asker votes the answer up and accepts it.
    await asker.reload();
    const answer = asker.locator('article.answer').first();
    await answer.getByRole('button', { name: 'Useful (vote up)' }).click();
    await asker.locator('article.answer [data-test="score"]').first().filter({ hasText: '1' }).waitFor();
    await asker.locator('article.answer').first().getByRole('button', { name: /^Accept/ }).click();
    await asker.getByText('The answer is accepted.').waitFor();
    await asker.locator('[data-test="accepted"]').waitFor();
    await check(asker, 'the question with an accepted answer');

    // The header search box suggests the question while typing; arrow down and Enter open it.
    await asker.goto(kring.url + '/questions');
    const box = asker.getByRole('combobox', { name: 'Search Kring' });
    await box.pressSequentially(`vpn drops when working from home ${device.slice(2, 5)}`, { delay: 20 });
    await asker.getByRole('option', { name: new RegExp(title.replace(/[()]/g, '.')) }).waitFor();
    await check(asker, 'the header suggestions');
    await box.press('ArrowDown');
    await box.press('Enter');
    await asker.waitForURL(questionUrl);
    // Enter without a chosen suggestion searches: the answer's words find the question and its
    // answer, with facets by kind.
    await asker.getByRole('combobox', { name: 'Search Kring' }).fill('keep-alive');
    await asker.getByRole('combobox', { name: 'Search Kring' }).press('Enter');
    await asker.waitForURL(/\/search\?q=keep-alive/);
    await asker.getByRole('navigation', { name: 'Refine' }).getByRole('link', { name: /Answer/ }).waitFor();
    await check(asker, 'the search page');

    // The list shows it as answered, not under unanswered.
    await asker.goto(kring.url + '/questions?sort=unanswered');
    assert.equal(await asker.getByRole('link', { name: title }).count(), 0);
    await check(asker, 'the unanswered list');

    await asker.context().close();
    await expert.context().close();
  });
}
