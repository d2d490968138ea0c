// The KPI dashboard: a social-team member follows the "KPIs" link, sees the charts and the
// headline figures, filters by period and department, downloads a CSV and fills in the
// quarter's readiness assessment; a plain member may not see it. On a desktop, then on a phone,
// with axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import {
  startKring,
  launchBrowser,
  created,
  seedAcceptedAnswer,
  assertClean,
  logIn,
  sessionClient,
  navigate,
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
  kees: { email: 'kees@example.com', display_name: 'Kees Curious' },
};
const ids = {};
const departments = {};

/** An API client logged in as `who`. */
async function client(who) {
  const ctx = await sessionClient(kring.url, { email: people[who].email, password });
  clients.push(ctx);
  return ctx;
}

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
  api = await request.newContext({ baseURL: kring.url });
  let response = await api.post('/api/v1/setup', { data: { ...people.admin, password } });
  assert.equal(response.status(), 201);
  for (const name of ['Finance', 'Sales']) {
    departments[name] = (await created(await api.post('/api/v1/departments', { data: { name } }))).id;
  }
  for (const who of ['sam', 'wendy', 'kees']) {
    const user = await created(
      await api.post('/api/v1/admin/users', { data: { ...people[who], password } }),
    );
    ids[who] = user.id;
  }
  // Wendy and Sam work in Finance, Kees in Sales.
  for (const [who, department] of [['wendy', 'Finance'], ['sam', 'Finance'], ['kees', 'Sales']]) {
    response = await api.patch(`/api/v1/people/${ids[who]}/profile`, {
      data: { department_id: departments[department] },
    });
    assert.equal(response.status(), 200, await response.text());
  }

  // The admin asks the first question, which opens the `excel` tag for members, and leaves it
  // unanswered. Kees asks one; Wendy answers it and Kees accepts: one answer across departments.
  const kees = await client('kees');
  const wendy = await client('wendy');
  await seedAcceptedAnswer(api, kees, wendy);
});

after(async () => {
  for (const ctx of clients) await ctx.dispose();
  await api?.dispose();
  await browser?.close();
  await kring?.stop();
});

const check = assertClean;

const loggedIn = (who, viewport) =>
  logIn(browser, kring.url, { email: people[who].email, password }, viewport);

/** The titles of the page's charts; each chart is an image named by its title. */
async function chartTitles(page) {
  const charts = page.locator('svg.chart[role="img"]');
  const titles = await charts.evaluateAll((svgs) =>
    svgs.map((svg) => {
      const title = svg.querySelector(':scope > title');
      const named = (svg.getAttribute('aria-labelledby') ?? '').split(' ').includes(title?.id);
      return named ? title.textContent.trim() : '';
    }),
  );
  assert.equal(titles.filter((t) => t === '').length, 0, `a chart without a title: ${titles}`);
  return titles;
}

/**
 * Every chart of the page, measured: its width and its container's, and each of its texts with
 * the font size it is drawn at (the computed size times the SVG's scale: a chart scaled to half
 * its drawing shows 12px text at 6 px) and whether it sticks out of the SVG's box.
 */
async function measureCharts(page) {
  return page.locator('svg.chart').evaluateAll((svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const inside = (r) =>
        r.left >= box.left - 0.5 &&
        r.right <= box.right + 0.5 &&
        r.top >= box.top - 0.5 &&
        r.bottom <= box.bottom + 0.5;
      return {
        chart: svg.querySelector(':scope > title')?.textContent.trim(),
        width: box.width,
        container: svg.parentElement.clientWidth,
        texts: [...svg.querySelectorAll('text')].map((text) => {
          const m = text.getScreenCTM();
          return {
            text: text.textContent,
            px: parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b),
            inside: inside(text.getBoundingClientRect()),
          };
        }),
      };
    }),
  );
}

/** The page's charts fit their containers and every label is whole and at least 12 px. */
async function assertChartsRead(page, label) {
  const charts = await measureCharts(page);
  assert.ok(charts.length >= 4, `charts on ${label}`);
  for (const { chart, width, container, texts } of charts) {
    assert.ok(width > 0 && width <= container + 0.5, `"${chart}" is ${width}px in ${container}px on ${label}`);
    assert.ok(texts.length > 0, `"${chart}" has labels`);
    for (const { text, px, inside } of texts) {
      assert.ok(inside, `"${text}" is clipped in "${chart}" on ${label}`);
      assert.ok(px >= 12, `"${text}" in "${chart}" is ${px.toFixed(1)}px on ${label}`);
    }
  }
}

/** The headline figure next to `term` in the dashboard's summary. */
function headline(page, term) {
  return page
    .locator('[data-test="headline"] > div', { has: page.getByText(term, { exact: true }) })
    .locator('dd');
}

const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };
// Answers that average 3.2: the step "Social Senior".
const scores = [3, 4, 2, 3, 4, 3, 3, 4, 3, 3];

test('the social team reads the dashboard, filters it, exports a CSV and assesses readiness — on a desktop', async () => {
  const page = await loggedIn('sam', desktop);
  await navigate(page, 'KPIs');
  await page.waitForURL(/\/kpis$/);
  await page.getByRole('heading', { name: 'Community KPIs', level: 1 }).waitFor();

  // The charts: people and content per week, participation per department, points per rule.
  const titles = await chartTitles(page);
  assert.ok(titles.length >= 4, `at least four charts, got ${titles}`);
  for (const title of [
    'Contributors and readers per week',
    'Posts, questions, answers and comments per week',
    'Share of people who contributed this month, per department',
    'Points awarded per rule',
  ]) {
    assert.ok(titles.includes(title), `the chart "${title}" in ${titles}`);
  }
  const weekly = page.getByRole('img', { name: /^Contributors and readers per week/ });
  assert.ok((await weekly.locator('polyline').count()) >= 2, 'a line per series in the weekly chart');
  assert.equal(await page.getByRole('img', { name: /^Social readiness per quarter/ }).count(), 0);

  // The headline figures: one of two questions answered, one answer across departments.
  assert.match((await headline(page, 'Answer rate').textContent()).trim(), /^50(\.0)?%$/);
  assert.equal((await headline(page, 'Answers across departments').textContent()).trim(), '1 / 1');
  await page.locator('[data-test="table-departments"]').getByText('Finance').waitFor();
  await page.locator('[data-test="table-unanswered"]').getByRole('link', { name: 'excel' }).waitFor();
  await page.getByText('No readiness assessment yet.').waitFor();
  await check(page, 'the dashboard');

  // The last four weeks, for Finance only.
  await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Last 4 weeks' });
  await page.getByLabel('Department', { exact: true }).selectOption({ label: 'Finance' });
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(new RegExp(`/kpis\\?weeks=4&department=${departments.Finance}$`));
  assert.equal(await page.getByLabel('Period', { exact: true }).inputValue(), '4');
  assert.equal(await page.getByLabel('Department', { exact: true }).inputValue(), String(departments.Finance));
  const departmentRows = page.locator('[data-test="table-departments"] tbody tr');
  assert.equal(await departmentRows.count(), 1);
  await departmentRows.getByText('Finance').waitFor();
  assert.equal((await headline(page, 'Answers across departments').textContent()).trim(), '1 / 1');
  assert.ok((await chartTitles(page)).length >= 4);
  await check(page, 'the dashboard for Finance, last 4 weeks');

  // The weekly table downloads as CSV, with the same period and filter.
  // (Chromium names it "Download CSV : Activity per week": the hidden part is positioned.)
  const download = page.getByRole('link', { name: /^Download CSV\s*: Activity per week$/ });
  const href = await download.getAttribute('href');
  assert.equal(href, `/kpis/export/weekly.csv?weeks=4&department=${departments.Finance}`);
  const csv = await page.request.get(kring.url + href);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /^text\/csv/);
  assert.match(csv.headers()['content-disposition'], /kring-weekly-4w\.csv/);
  const lines = (await csv.text()).trim().split(/\r?\n/);
  assert.equal(lines.length, 1 + 4, `a header and four weeks:\n${lines.join('\n')}`);

  // This quarter's readiness assessment: ten statements, rated 1 to 5.
  await page.getByRole('link', { name: "Fill in this quarter's readiness assessment" }).first().click();
  await page.waitForURL(/\/kpis\/readiness$/);
  await page.getByRole('heading', { name: 'Social readiness assessment', level: 1 }).waitFor();
  const statements = page.locator('fieldset.scale');
  assert.equal(await statements.count(), 10);
  await page
    .getByRole('group', { name: '3. Employees ask colleagues outside their department for help.' })
    .waitFor();
  await check(page, 'the readiness form');
  for (const [i, score] of scores.entries()) {
    const label = { 1: '1 not at all', 5: '5 fully' }[score] ?? String(score);
    await statements.nth(i).getByLabel(label, { exact: true }).check();
  }
  await page.getByLabel('Note').fill('Leadership blogs now; sales still works in silos.');
  await page.getByRole('button', { name: 'Save the assessment' }).click();
  await page.waitForURL(/\/kpis(#readiness)?$/);
  await page.getByText('The readiness assessment is saved.').waitFor();
  const readiness = page.locator('[data-test="table-readiness"] tbody tr');
  assert.equal(await readiness.count(), 1);
  await readiness.getByRole('cell', { name: 'Social Senior' }).waitFor();
  assert.equal((await readiness.locator('td.num').textContent()).trim(), '3.2');
  const after = await chartTitles(page);
  assert.ok(after.includes('Social readiness per quarter (1 to 5)'), `${after}`);
  await check(page, 'the dashboard after the assessment');
  await page.context().close();
});

test('the dashboard and the readiness form on a phone; a member may not see them', async () => {
  const page = await loggedIn('sam', phone);
  await navigate(page, 'KPIs');
  await page.waitForURL(/\/kpis$/);
  await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Last 52 weeks' });
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/\/kpis\?weeks=52(&department=)?$/);
  await page.getByRole('heading', { name: 'Community KPIs', level: 1 }).waitFor();
  assert.ok((await chartTitles(page)).length >= 5);
  assert.ok((await page.getByRole('img', { name: /^Posts, questions/ }).locator('polyline').count()) >= 4);
  await page.locator('[data-test="table-readiness"]').getByText('Social Senior').waitFor();
  await check(page, 'the dashboard on a phone');

  // The form shows this quarter's saved answers.
  await page.goto(kring.url + '/kpis/readiness');
  const statements = page.locator('fieldset.scale');
  for (const [i, score] of scores.entries()) {
    assert.equal(await statements.nth(i).locator('input:checked').inputValue(), String(score));
  }
  await check(page, 'the readiness form on a phone');
  await page.context().close();

  // A plain member has no link, and the pages and exports answer 403.
  const member = await loggedIn('kees', phone);
  assert.equal(await member.getByRole('link', { name: 'KPIs', exact: true }).count(), 0);
  const response = await member.goto(kring.url + '/kpis');
  assert.equal(response.status(), 403);
  await check(member, 'the 403 page on a phone');
  assert.equal((await member.request.get(kring.url + '/kpis/readiness')).status(), 403);
  assert.equal((await member.request.get(kring.url + '/kpis/export/weekly.csv')).status(), 403);
  await member.context().close();
});

test('the charts scale to a phone and a desktop: no label clipped, none under 12 px', async () => {
  // A department whose name is too long for a phone's bar label.
  await created(
    await api.post('/api/v1/departments', {
      data: { name: 'Research & Development (Benelux and Nordics)' },
    }),
  );
  for (const viewport of [phone, { width: 1280, height: 800 }]) {
    const page = await loggedIn('sam', viewport);
    for (const weeks of [4, 12, 52]) {
      await page.goto(`${kring.url}/kpis?weeks=${weeks}`);
      await page.getByRole('heading', { name: 'Community KPIs', level: 1 }).waitFor();
      await assertChartsRead(page, `${viewport.width}px, ${weeks} weeks`);
    }
    // The long name is shortened in the chart and whole in the table.
    const participation = page.getByRole('img', { name: /^Share of people who contributed/ });
    await participation.getByText(/^Research & Development.*…$/).waitFor();
    await page
      .locator('[data-test="table-departments"]')
      .getByText('Research & Development (Benelux and Nordics)', { exact: true })
      .waitFor();
    await check(page, `the dashboard at ${viewport.width}px`);
    await page.context().close();
  }
});
