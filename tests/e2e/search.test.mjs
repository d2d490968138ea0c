// Search in two languages, as people use it: a Dutch colleague's query finds an English post;
// the social team adds a synonym group on its page and the next search uses it; a typo gets
// "Did you mean"; a search that finds nothing offers to ask it as a question, with the title
// filled in. On a desktop, then on a phone, with axe-core on every page; with KRING_SCREENSHOTS
// set to a folder, screenshots of the pages go there for people to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import {
  startKring,
  launchBrowser,
  created,
  assertClean,
  logIn,
  sessionClient,
} from './support.mjs';

let kring;
let browser;
let api;
const clients = [];
const password = 'a long enough password';
const people = {
  admin: { email: 'admin@example.com', display_name: 'Ada Admin' },
  sam: { email: 'sam@example.com', display_name: 'Sam Social', roles: ['social_team'] },
  wendy: { email: 'wendy@example.com', display_name: 'Wendy Writer' },
};
/** Keeps a screenshot when KRING_SCREENSHOTS names a folder. */
async function shot(page, name) {
  if (process.env.KRING_SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.KRING_SCREENSHOTS}/${name}`, fullPage: true });
  }
}

async function client(who) {
  const ctx = await sessionClient(kring.url, { email: people[who].email, password });
  clients.push(ctx);
  return ctx;
}

async function publish(writer, title, body, language) {
  const post = await created(await writer.post('/api/v1/posts', { data: { title, body, language } }));
  const response = await writer.post(`/api/v1/posts/${post.id}/publish`, { data: {} });
  assert.equal(response.status(), 200, await response.text());
}

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
  api = await request.newContext({ baseURL: kring.url });
  const response = await api.post('/api/v1/setup', { data: { ...people.admin, password } });
  assert.equal(response.status(), 201);
  for (const who of ['sam', 'wendy']) {
    await created(await api.post('/api/v1/admin/users', { data: { ...people[who], password } }));
  }
  const wendy = await client('wendy');
  await publish(
    wendy,
    'How to claim travel expenses',
    'Submit your train tickets and receipts in the expense tool within a month.',
    'en',
  );
  await publish(
    wendy,
    'Expenses of the team outing',
    'Keep the receipts of the boat trip; the department pays them back.',
    'en',
  );
  await publish(
    wendy,
    'Keyboards and wireless mice',
    'Facilities hands out keyboards and wireless mice at the service point.',
    'en',
  );
  await publish(
    wendy,
    'Besluiten van het managementteam',
    'Het managementteam heeft de nieuwe werktijden vastgesteld.',
    'nl',
  );
});

after(async () => {
  for (const ctx of clients) await ctx.dispose();
  await api?.dispose();
  await browser?.close();
  await kring?.stop();
});

async function check(page, label) {
  await assertClean(page, label);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${label} scrolls sideways by ${overflow}px`);
}

const loggedIn = (who, viewport) =>
  logIn(browser, kring.url, { email: people[who].email, password }, viewport);

/** Searches from the search page's form and waits for the results. */
async function searchFor(page, words) {
  await page.goto(kring.url + '/search');
  await page.getByLabel('Words').fill(words);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/search\?q=/);
}

for (const [name, viewport] of [
  ['desktop', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
]) {
  test(`search across languages, synonyms, did you mean and ask this — on a ${name}`, async () => {
    const page = await loggedIn('sam', viewport);
    // A Dutch query finds the English post.
    await searchFor(page, 'reiskosten declareren');
    await page.getByRole('link', { name: 'How to claim travel expenses' }).waitFor();
    await check(page, `results (${name})`);
    // A Dutch phrase of the glossary ("draadloze muis": wireless mouse) finds a text that words
    // it otherwise ("wireless mice").
    await searchFor(page, 'draadloze muis');
    await page.getByRole('link', { name: 'Keyboards and wireless mice' }).waitFor();
    await shot(page, `phrase-fallback-${name}.png`);

    // Few texts hold every word: those with most of them follow under their own heading.
    await searchFor(page, 'travel expenses');
    await page.getByRole('heading', { name: 'Results with most of your words' }).waitFor();
    await page.getByRole('link', { name: 'Expenses of the team outing' }).waitFor();
    await shot(page, `near-misses-${name}.png`);
    await check(page, `near misses (${name})`);

    // The social team adds a group; the next search uses it.
    await page.goto(kring.url + '/search/synonyms');
    await page.getByRole('heading', { name: 'Search synonyms', level: 1 }).waitFor();
    await check(page, `synonyms page (${name})`);
    const group = name === 'desktop' ? 'MT, managementteam' : 'directie, managementteam';
    await page.getByLabel('New group').fill(group);
    await page.getByRole('button', { name: 'Add group' }).click();
    await page.getByText('The synonyms are saved').waitFor();
    await shot(page, `synonyms-${name}.png`);
    await check(page, `synonyms saved (${name})`);
    await searchFor(page, name === 'desktop' ? 'MT' : 'directie');
    await page.getByRole('link', { name: 'Besluiten van het managementteam' }).waitFor();

    // A typo: "Did you mean" links to the corrected search.
    await searchFor(page, 'managementtem besluiten');
    const suggestion = page.getByRole('link', { name: 'managementteam besluiten' });
    await suggestion.waitFor();
    await shot(page, `did-you-mean-${name}.png`);
    await check(page, `did you mean (${name})`);
    await suggestion.click();
    await page.getByRole('link', { name: 'Besluiten van het managementteam' }).waitFor();

    // Nothing found: ask it as a question, the title filled in.
    await searchFor(page, 'zqxnergens zqxtevinden');
    await page.getByText('Nothing found for these words.').waitFor();
    await check(page, `nothing found (${name})`);
    await page.getByRole('link', { name: 'Ask this as a question' }).click();
    await page.waitForURL(/\/questions\/ask\?title=/);
    assert.equal(await page.getByLabel('Title').inputValue(), 'zqxnergens zqxtevinden');
    await page.context().close();
  });
}
