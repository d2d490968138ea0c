// Spaces in the browser (issue 22, acceptance 5): an admin creates a closed space; a colleague
// asks to join, the admin approves on the members page, the colleague asks a question inside
// through the space picker; another colleague sees the space exists but not the question (its
// page answers 404, lists and the space page do not show it); the question's page names its
// space, and the KPI dashboard counts it for the space without its title. axe-core on every
// page, on a phone and a desktop. KRING_SCREENSHOTS=DIR saves screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import { startKring, launchBrowser, newPage, seriousViolations, navigate } from './support.mjs';

let kring;
let browser;
let api;

const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 900 };
const password = 'a long enough password';
const people = {
  admin: { email: 'admin@example.com', display_name: 'Ada Admin' },
  carla: { email: 'carla@example.com', display_name: 'Carla Council' },
  otto: { email: 'otto@example.com', display_name: 'Otto Outside' },
};
const title = 'Zqx what changes in the works council agreement';

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
  api = await request.newContext({ baseURL: kring.url });
  let response = await api.post('/api/v1/setup', { data: { ...people.admin, password } });
  assert.equal(response.status(), 201);
  for (const who of ['carla', 'otto']) {
    response = await api.post('/api/v1/admin/users', { data: { ...people[who], password } });
    assert.equal(response.status(), 201, await response.text());
  }
  // A company-wide question by the admin opens the `agreement` tag for members.
  response = await api.post('/api/v1/questions', {
    data: { title: 'Where do I find the collective agreement?', body: 'Is there a copy on the intranet?', tags: ['agreement'] },
  });
  assert.equal(response.status(), 201, await response.text());
});

after(async () => {
  await api?.dispose();
  await browser?.close();
  await kring?.stop();
});

async function loggedIn(who, viewport = desktop) {
  const page = await newPage(browser, { viewport, locale: 'en-GB' });
  await page.goto(kring.url + '/login');
  await page.getByLabel('Email address').fill(people[who].email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(kring.url + '/');
  return page;
}

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

async function submit(page, locator) {
  const done = page.waitForNavigation();
  await locator.click();
  await done;
  assert.deepEqual(page.problems, []);
}

test('a closed space: request, approval, a question inside, hidden from a non-member', async () => {
  // The admin creates the space.
  const admin = await loggedIn('admin');
  await navigate(admin, 'Spaces');
  await admin.waitForURL(kring.url + '/spaces');
  await checkBothWidths(admin, 'spaces, empty');
  await admin.getByLabel('Name').fill('Works council');
  await admin.getByLabel('Kind').selectOption('closed');
  await admin.getByLabel('Description').fill('Agreements and consultations.');
  await submit(admin, admin.getByRole('button', { name: 'Create space' }));
  assert.equal(admin.url(), kring.url + '/spaces/works-council');
  await checkBothWidths(admin, 'space home, moderator');

  // Carla asks to join; the admin approves.
  const carla = await loggedIn('carla');
  await carla.goto(kring.url + '/spaces');
  await carla.getByRole('link', { name: 'Works council' }).click();
  await carla.getByText('What is shared here is for members').waitFor();
  await checkBothWidths(carla, 'space home, not a member');
  await submit(carla, carla.getByRole('button', { name: 'Ask to join' }));
  await carla.getByText('your request waits for approval').first().waitFor();

  await admin.goto(kring.url + '/spaces/works-council/members');
  await checkBothWidths(admin, 'space members with a request');
  await submit(admin, admin.getByRole('button', { name: /Approve/ }));
  assert.match(await admin.locator('#space-members').innerText(), /Carla Council/);

  // Carla asks a question inside the space, through the picker on the ask form.
  await carla.goto(kring.url + '/spaces/works-council');
  await submit(carla, carla.getByRole('link', { name: 'Ask in this space' }));
  assert.equal(await carla.getByLabel('Space').inputValue() !== '', true, 'the space is preselected');
  await checkBothWidths(carla, 'ask in a space');
  await carla.getByLabel('Title').fill(title);
  await carla.getByLabel('Details').fill('Which articles of the agreement change next year, and when do we vote?');
  await carla.getByLabel('Tags').fill('agreement');
  await submit(carla, carla.getByRole('button', { name: 'Post question' }));
  const questionUrl = carla.url();
  assert.match(questionUrl, /\/questions\/\d+/);
  // The question's page names its space and links to it.
  const crumb = carla.locator('[data-test="space-crumb"]');
  assert.match(await crumb.innerText(), /Works council/);
  assert.match(await crumb.innerText(), /Closed/);
  await checkBothWidths(carla, 'question in a space');

  // Otto sees the space exists, but not the question.
  const otto = await loggedIn('otto', phone);
  const response = await otto.goto(questionUrl);
  assert.equal(response.status(), 404);
  for (const path of ['/questions', '/spaces/works-council', '/']) {
    await otto.goto(kring.url + path);
    assert.ok(!(await otto.content()).includes(title), `${path} shows the question to a non-member`);
  }
  await otto.goto(kring.url + '/spaces/works-council');
  await checkBothWidths(otto, 'space home, outsider');

  // Carla, a member, sees it on the space page.
  await carla.goto(kring.url + '/spaces/works-council');
  assert.ok((await carla.content()).includes(title));
  await checkBothWidths(carla, 'space home, member');

  // The social team's dashboard counts the question per space, without its title.
  await admin.goto(kring.url + '/kpis?weeks=4');
  await admin.getByLabel('Space', { exact: true }).selectOption({ label: 'Works council' });
  await submit(admin, admin.getByRole('button', { name: 'Show' }));
  const row = admin.locator('[data-test="table-spaces"] tbody tr');
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /Works council\s+Closed\s+2\s+1\s+0\s+1\s+0\s+0/);
  assert.ok(!(await admin.content()).includes(title), 'the dashboard shows a title');
  await checkBothWidths(admin, 'kpis for a space');
});
