// The Social Guru of the month: a social-team member sees last month's suggestions, nominates
// the colleague on top with a reason and awards her; the hall of fame, her profile and the home
// page show it. On a desktop, then the same pages on a phone, with axe-core on every page.
//
// Awards are only possible for a month that has closed, and a fresh server's activity all falls
// in the current month, so the seeded activity is moved into last month with the `sqlite3` CLI
// (the server reads the database on each request) and the rollups are rebuilt like
// `ledger::rebuild_totals` does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { request } from 'playwright-core';
import {
  startKring,
  launchBrowser,
  created,
  seedAcceptedAnswer,
  assertClean,
  logIn,
  sessionClient,
  confirmDialog,
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
  wendy: { email: 'wendy@example.com', display_name: 'Wendy Winner' },
  kees: { email: 'kees@example.com', display_name: 'Kees Curious' },
};
const ids = {};

/** `YYYY-MM` of the month before this one, in UTC (the month that closed last). */
function monthBefore(now) {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
const lastMonth = monthBefore(new Date());
// The month as pages show it: "November 2026".
const lastMonthName = new Date(`${lastMonth}-15T12:00:00Z`).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const day = `${lastMonth}-15`;

/** An API client logged in as `who`. */
async function client(who) {
  const ctx = await sessionClient(kring.url, { email: people[who].email, password });
  clients.push(ctx);
  return ctx;
}

/** Moves every point event, question and answer to the 15th of last month (keeping the time of
 * day and the stored format) and rebuilds the rollups from the ledger. */
function moveActivityToLastMonth() {
  const sql = `
    PRAGMA busy_timeout = 10000;
    BEGIN IMMEDIATE;
    UPDATE point_events SET month = '${lastMonth}', day = '${day}',
      created_at = '${day}' || substr(created_at, 11);
    UPDATE questions SET created_at = '${day}' || substr(created_at, 11);
    UPDATE answers SET created_at = '${day}' || substr(created_at, 11);
    DELETE FROM point_totals;
    INSERT INTO point_totals (period, user_id, points)
      SELECT month, user_id, CAST(SUM(points) AS BIGINT) FROM point_events GROUP BY month, user_id;
    INSERT INTO point_totals (period, user_id, points)
      SELECT 'all', user_id, CAST(SUM(points) AS BIGINT) FROM point_events GROUP BY user_id;
    COMMIT;
  `;
  execFileSync('sqlite3', [kring.dbPath], { input: sql, stdio: ['pipe', 'ignore', 'pipe'] });
}

before(async () => {
  kring = await startKring();
  browser = await launchBrowser();
  api = await request.newContext({ baseURL: kring.url });
  let response = await api.post('/api/v1/setup', { data: { ...people.admin, password } });
  assert.equal(response.status(), 201);
  for (const who of ['sam', 'wendy', 'kees']) {
    const user = await created(
      await api.post('/api/v1/admin/users', { data: { ...people[who], password } }),
    );
    ids[who] = user.id;
  }
  if (!kring.dbPath) return; // the test skips itself: the seeding below needs the SQLite file

  // The admin asks the first question, which opens the `excel` tag for members. Kees asks one;
  // Wendy answers both, Kees accepts hers and votes it up: Wendy tops the month.
  const kees = await client('kees');
  const wendy = await client('wendy');
  const { answer } = await seedAcceptedAnswer(api, kees, wendy);
  response = await kees.post(`/api/v1/answers/${answer.id}/vote`, { data: { value: 1 } });
  assert.equal(response.status(), 200, await response.text());

  moveActivityToLastMonth();
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

const noSqlite = () =>
  kring.dbPath ? false : 'needs the SQLite database file (KRING_E2E_DATABASE_URL is set)';
const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };
const winnerLine = `Wendy Winner is the Social Guru of ${lastMonthName}.`;

test('the social team sees suggestions, nominates and awards; the badge shows — on a desktop', async (t) => {
  if (noSqlite()) return t.skip(noSqlite());
  const page = await loggedIn('sam', desktop);

  // Last month's leaderboard has Wendy on top.
  await navigate(page, 'Leaderboard');
  await page.waitForURL(/\/leaderboard$/);
  await check(page, 'the leaderboard');
  await page.getByLabel('Period').selectOption(lastMonth);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(new RegExp(`/leaderboard\\?period=${lastMonth}`));
  const first = page.locator('[data-test="leaderboard"] tbody tr').first();
  await first.getByRole('link', { name: 'Wendy Winner' }).waitFor();
  assert.equal((await first.locator('td').first().textContent()).trim(), '1');
  await check(page, "last month's leaderboard");

  // The desk opens on the month that closed last and suggests Wendy.
  await navigate(page, 'Social Guru');
  await page.waitForURL(/\/social-guru$/);
  await page.getByRole('heading', { name: 'Social Guru of the month', level: 1 }).waitFor();
  assert.equal(await page.getByLabel('Month').inputValue(), lastMonth);
  const suggestions = page.locator('[data-test="suggestions"]');
  const wendy = suggestions.locator('li', { has: page.getByRole('link', { name: 'Wendy Winner' }) });
  await wendy.getByText("Top of the month's leaderboard").waitFor();
  await page.getByText('No nominations for this month yet.').waitFor();
  await check(page, 'the Social Guru desk');

  // Sam nominates her with a reason.
  await wendy.getByLabel('Reason').fill('Answers every Excel question within the hour.');
  await wendy.getByRole('button', { name: 'Nominate Wendy Winner' }).click();
  await page.getByText('The nomination is recorded.').waitFor();
  const nominations = page.locator('[data-test="nominations"]');
  await nominations.getByText('nominated by Sam Social').waitFor();
  await nominations.getByText('Answers every Excel question within the hour.').waitFor();
  await check(page, 'the desk with a nomination');

  // …and awards it.
  await page.getByRole('button', { name: 'Award the Social Guru to Wendy Winner' }).click();
  await confirmDialog(page);
  await page.getByText('The Social Guru is awarded.').waitFor();
  await page.locator('[data-test="guru-winner"]', { hasText: winnerLine }).waitFor();
  assert.equal(await page.getByRole('button', { name: /^Award the Social Guru/ }).count(), 0);
  await check(page, 'the desk after the award');

  // The hall of fame lists her; her profile shows the badge.
  await page.goto(kring.url + '/leaderboard');
  await page.getByRole('link', { name: 'Hall of fame' }).click();
  await page.waitForURL(/\/hall-of-fame$/);
  const hall = page.locator('[data-test="hall-of-fame"] li', { hasText: lastMonthName });
  await hall.getByText('Answers every Excel question within the hour.').waitFor();
  await check(page, 'the hall of fame');
  await hall.getByRole('link', { name: 'Wendy Winner' }).click();
  await page.getByRole('heading', { name: 'Wendy Winner', level: 1 }).waitFor();
  assert.match(page.url(), new RegExp(`/people/${ids.wendy}$`));
  const badges = page.locator('[data-test="badges"]');
  await badges.getByText(`Social Guru ${lastMonthName}`, { exact: true }).waitFor();
  await check(page, "Wendy's profile");

  // The home page shows the Guru of the month that closed last.
  await navigate(page, 'Home');
  await page.waitForURL(kring.url + '/');
  const card = page.locator('[data-test="home-guru"]');
  await card.getByRole('heading', { name: `Social Guru of ${lastMonthName}` }).waitFor();
  await card.getByRole('link', { name: 'Wendy Winner' }).waitFor();
  await check(page, 'the home page');
  await page.context().close();
});

test('a second award for the month is refused; a member may not open the desk', async (t) => {
  if (noSqlite()) return t.skip(noSqlite());
  const sam = await client('sam');
  const nomination = await created(
    await sam.post('/api/v1/nominations', {
      data: { user_id: ids.kees, month: lastMonth, reason: 'Asks the questions others do not.' },
    }),
  );
  const response = await sam.post(`/api/v1/nominations/${nomination.id}/award`, { data: {} });
  assert.equal(response.status(), 409, await response.text());
  const awards = await (await sam.get('/api/v1/awards')).json();
  assert.deepEqual(
    awards.map((a) => [a.month, a.user_id]),
    [[lastMonth, ids.wendy]],
  );

  const kees = await client('kees');
  assert.equal((await kees.get('/social-guru')).status(), 403);
  assert.equal((await kees.get('/api/v1/guru/suggestions')).status(), 403);
});

test('the Social Guru pages on a phone', async (t) => {
  if (noSqlite()) return t.skip(noSqlite());
  const page = await loggedIn('sam', phone);
  await navigate(page, 'Social Guru');
  await page.waitForURL(/\/social-guru$/);
  await page.locator('[data-test="guru-winner"]', { hasText: winnerLine }).waitFor();
  // Both nominations are listed; the month has its Guru, so neither can be awarded.
  await page.locator('[data-test="nominations"]').getByText('Kees Curious').waitFor();
  assert.equal(await page.getByRole('button', { name: /^Award the Social Guru/ }).count(), 0);
  await check(page, 'the Social Guru desk on a phone');

  await page.goto(`${kring.url}/leaderboard?period=${lastMonth}`);
  const board = page.locator('[data-test="leaderboard"] tbody tr').first();
  await board.getByRole('link', { name: 'Wendy Winner' }).waitFor();
  await check(page, "last month's leaderboard on a phone");
  await page.goto(kring.url + '/hall-of-fame');
  await page.locator('[data-test="hall-of-fame"]').getByText(lastMonthName).waitFor();
  await check(page, 'the hall of fame on a phone');
  await page.goto(`${kring.url}/people/${ids.wendy}`);
  await page.getByText(`Social Guru ${lastMonthName}`, { exact: true }).waitFor();
  await check(page, "Wendy's profile on a phone");
  await page.goto(kring.url + '/');
  await page.locator('[data-test="home-guru"]').getByText(`Social Guru of ${lastMonthName}`).waitFor();
  await check(page, 'the home page on a phone');
  await page.context().close();

  // A plain member has no desk link, and the desk answers 403.
  const member = await loggedIn('kees', phone);
  assert.equal(await member.getByRole('link', { name: 'Social Guru', exact: true }).count(), 0);
  const response = await member.goto(kring.url + '/social-guru');
  assert.equal(response.status(), 403);
  await check(member, 'the 403 page on a phone');
  await member.context().close();
});
