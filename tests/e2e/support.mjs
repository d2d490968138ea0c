// Shared helpers for the browser tests: start a real `kring serve`, drive Debian's Chromium,
// and check each page with axe-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium, request } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = require('axe-core').source;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Starts `kring serve` on a free port with its own data directory and SQLite database.
 * `dbPath` is that database's file, or null when KRING_E2E_DATABASE_URL names another one.
 * `env` adds or overrides environment variables (e.g. `{ RUST_LOG: 'debug' }`).
 */
export async function startKring({ env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kring-e2e-'));
  const dbPath = process.env.KRING_E2E_DATABASE_URL ? null : join(dir, 'kring.db');
  const bin = kringBin();
  const child = spawn(bin, ['serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      KRING_CONFIG: '/nonexistent/kring.toml',
      KRING_BIND: '127.0.0.1:0',
      KRING_DATA_DIR: dir,
      KRING_DATABASE_URL: process.env.KRING_E2E_DATABASE_URL ?? `sqlite://${dir}/kring.db?mode=rwc`,
      RUST_LOG: 'info',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`kring did not start:\n${log}`)), 60_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const match = log.match(/Kring is ready: open (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        ok(match[1]);
      }
    });
    child.on('exit', (code) => fail(new Error(`kring exited with ${code}:\n${log}`)));
  });
  return {
    url,
    dbPath,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `kring` binary the tests start (KRING_BIN, or the debug build). */
function kringBin() {
  return process.env.KRING_BIN ?? join(root, 'target', 'debug', 'kring');
}

/** The route registry, from the hidden `kring routes`: `[{ method, path, kind, access }]`,
 * `access` being `{ who: 'public' | 'member' | 'provisioning_token' }` or
 * `{ who: 'role', role }`. */
export function routeRegistry() {
  return JSON.parse(execFileSync(kringBin(), ['routes'], { cwd: root, encoding: 'utf8' }));
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new page that fails the test on any CSP violation or page error. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/.test(msg.text())) {
      problems.push(msg.text());
    }
  });
  page.on('pageerror', (err) => problems.push(String(err)));
  page.problems = problems;
  return page;
}

/**
 * Runs axe-core on the current page (evaluated through the DevTools protocol, so the page's
 * Content-Security-Policy stays in force) and returns the serious and critical violations.
 */
export async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The tags of the WCAG 2.0, 2.1 and 2.2 level A and AA rules in axe-core 4.14 (`wcag22a` has
 * no rules in this release; it is kept so a later one that adds some runs them). AAA
 * (`wcag2aaa`) and experimental rules stay off; best practices are not WCAG. */
export const WCAG_A_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/**
 * Runs axe-core on the current page with every WCAG A and AA rule, whatever its impact
 * (moderate and minor too), and returns the violations as
 * `[{ id, impact, help, nodes: [{ target: 'selector', message: 'what axe found' }] }]`.
 * `within` (a selector, e.g. `body`) checks only that part: page-level rules (title, language,
 * landmarks) then stay out, as for an HTML fragment.
 */
export async function wcagViolations(page, { within } = {}) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(
    ([values, context]) =>
      // eslint-disable-next-line no-undef
      axe.run(context ?? document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] }),
    [WCAG_A_AA, within ? { include: [within] } : null],
  );
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(' '),
      message: [...n.any, ...n.all, ...n.none].map((c) => c.message).find(Boolean) ?? '',
    })),
  }));
}

/** Fails the test on a serious or critical axe violation or a page error on `page`. */
export async function assertClean(page, label) {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `axe: serious or critical violations on ${label}`);
  assert.deepEqual(page.problems, [], `page errors on ${label}`);
}

/**
 * Answers the confirmation dialog a destructive form opens (kring.js, `data-confirm`):
 * `ok` confirms, otherwise it cancels. Returns the question the dialog asked.
 */
export async function confirmDialog(page, { ok = true } = {}) {
  const dialog = page.locator('dialog.confirm[open]');
  await dialog.waitFor();
  const question = await dialog.locator('h2').innerText();
  await dialog.locator(ok ? '[data-test="confirm-ok"]' : '[data-test="confirm-cancel"]').click();
  await dialog.waitFor({ state: 'detached' });
  return question;
}

/**
 * Follows the header's link `name` as a person would: the main sections are in the header on
 * a desktop and in the menu on a phone; the rest (review, KPIs, admin…) in the account menu.
 */
export async function navigate(page, name) {
  const link = page.locator('header').getByRole('link', { name, exact: true }).filter({ visible: true });
  for (const menu of ['phone-menu', 'account-menu']) {
    if ((await link.count()) > 0) break;
    const summary = page.locator(`[data-test="${menu}"]`).filter({ visible: true });
    if ((await summary.count()) === 0) continue;
    await summary.click();
    if ((await link.count()) === 0) await summary.click();
  }
  await link.first().click();
}

/** Opens the account menu (profile, settings, review, admin…, log out) and returns it. */
export async function openAccountMenu(page) {
  const menu = page.locator('details.account-menu');
  if ((await menu.getAttribute('open')) === null) await page.locator('[data-test="account-menu"]').click();
  return menu;
}

/** Logs out through the account menu. */
export async function logOut(page) {
  await openAccountMenu(page);
  await page.locator('[data-test="logout"]').click();
}

/** A new English page of `browser` at `viewport`, logged in through the login form. */
export async function logIn(browser, baseUrl, { email, password }, viewport) {
  const page = await newPage(browser, { viewport, locale: 'en-GB' });
  await page.goto(baseUrl + '/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(baseUrl + '/');
  return page;
}

/** An API client with a session for `email` (the caller disposes of it). */
export async function sessionClient(baseUrl, { email, password }) {
  const ctx = await request.newContext({ baseURL: baseUrl });
  const response = await ctx.post('/api/v1/session', { data: { email, password } });
  assert.equal(response.status(), 200, await response.text());
  return ctx;
}

/** The JSON body of a 201 response (fails the test on any other status). */
export async function created(response) {
  assert.equal(response.status(), 201, await response.text());
  return response.json();
}

/**
 * The shared Q&A fixture: the admin (`api`) asks the first `excel` question, which opens the tag
 * for members, and leaves it unanswered; `asker` asks one, `answerer` answers it and `asker`
 * accepts. Returns the asker's question and the answer.
 */
export async function seedAcceptedAnswer(api, asker, answerer) {
  await created(
    await api.post('/api/v1/questions', {
      data: {
        title: 'Where do I find the expense template?',
        body: 'The old link is gone.',
        tags: ['excel'],
        language: 'en',
      },
    }),
  );
  const question = await created(
    await asker.post('/api/v1/questions', {
      data: {
        title: 'How do I freeze the top row in Excel?',
        body: 'It scrolls away when the sheet is long.',
        tags: ['excel'],
        language: 'en',
      },
    }),
  );
  const answer = await created(
    await answerer.post(`/api/v1/questions/${question.id}/answers`, {
      data: { body: 'View → *Freeze Panes* → Freeze Top Row.' },
    }),
  );
  const response = await asker.post(`/api/v1/answers/${answer.id}/accept`, { data: {} });
  assert.equal(response.status(), 200, await response.text());
  return { question, answer };
}
