// Company sign-in with OpenID Connect against a real OpenID Provider (npm oidc-provider, see
// oidc-provider.mjs): an admin configures the provider and maps groups to departments and
// roles; a colleague signs in through the provider's login and consent pages and gets the
// name, department and roles from the claims; changed claims come through at the next
// sign-in, audited; after logout the login page offers the provider's sign-out. Kring's debug
// log never shows the client secret, an authorization code or a token. axe-core on Kring's
// pages, on a phone and a desktop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import { startKring, launchBrowser, newPage, seriousViolations, created, logOut, openAccountMenu } from './support.mjs';
import { startProvider, loginAtProvider, logoutAtProvider } from './oidc-provider.mjs';

let kring;
let browser;
let api;
let op;
let discovery;
let adminPage;
let person; // the colleague's page, signed in with the company account
let personId;

const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 900 };
const password = 'a long enough password';
const admin = { email: 'admin@example.com', display_name: 'Ada Admin' };
const departments = {};
// What the browser sent to the provider and brought back to Kring's callback.
const authorizationRequests = [];
const callbackCodes = [];

before(async () => {
  // Debug for Kring and its HTTP client and OpenID libraries; SQL statements stay at their
  // default level, as in telemetry.rs.
  kring = await startKring({
    env: { RUST_LOG: 'debug,sqlx=warn,sea_orm=warn,sea_orm_migration=warn,actix_server=warn' },
  });
  browser = await launchBrowser();
  api = await request.newContext({ baseURL: kring.url });
  const response = await api.post('/api/v1/setup', { data: { ...admin, password } });
  assert.equal(response.status(), 201);
  for (const name of ['Engineering', 'Sales']) {
    departments[name] = (await created(await api.post('/api/v1/departments', { data: { name } }))).id;
  }
  op = await startProvider({
    redirectUri: `${kring.url}/auth/oidc/callback`,
    postLogoutRedirectUri: `${kring.url}/login`,
  });
  discovery = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
});

after(async () => {
  await api?.dispose();
  await browser?.close();
  await op?.stop();
  await kring?.stop();
});

async function check(page, label) {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `axe: serious or critical violations on ${label}`);
  assert.deepEqual(page.problems, [], `page errors on ${label}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${label} scrolls sideways by ${overflow}px`);
}

/** Checks the page as it is at a phone's and at a desktop's width. */
async function checkBothWidths(page, label) {
  const size = page.viewportSize();
  for (const [device, viewport] of [['phone', phone], ['desktop', desktop]]) {
    await page.setViewportSize(viewport);
    await check(page, `${label} (${device})`);
  }
  await page.setViewportSize(size);
}

async function adminLoggedIn(viewport) {
  const page = await newPage(browser, { viewport, locale: 'en-GB' });
  await page.goto(kring.url + '/login');
  await page.getByLabel('Email address').fill(admin.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(kring.url + '/');
  return page;
}

/** Submits a form of the admin sign-in page and waits for the page it leads to. */
async function submit(page, form) {
  const done = page.waitForNavigation();
  await form.locator('[type="submit"]').click();
  await done;
  assert.deepEqual(page.problems, []);
}

/** A fresh page for the colleague that records the OpenID traffic passing through the browser. */
async function colleaguePage(viewport) {
  const page = await newPage(browser, { viewport, locale: 'en-GB' });
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin + url.pathname === discovery.authorization_endpoint) {
      authorizationRequests.push(Object.fromEntries(url.searchParams));
    }
    if (url.origin === kring.url && url.pathname === '/auth/oidc/callback') {
      const code = url.searchParams.get('code');
      if (code) callbackCodes.push(code);
    }
  });
  return page;
}

/** On Kring's login page: follows "Log in with Acme" through the provider back into Kring. */
async function signInWithAcme(page, login) {
  const link = page.locator('a.sso-login');
  await link.waitFor();
  assert.equal((await link.textContent()).trim(), 'Log in with Acme');
  const href = new URL(await link.getAttribute('href'), kring.url);
  assert.equal(href.origin + href.pathname, `${kring.url}/auth/oidc/login`);
  const before = authorizationRequests.length;
  await link.click();
  const { consented } = await loginAtProvider(page, login);

  // The request Kring had the browser send: the code flow with state, nonce and S256 PKCE.
  assert.equal(authorizationRequests.length, before + 1, 'one authorization request');
  const sent = authorizationRequests.at(-1);
  assert.equal(sent.response_type, 'code');
  assert.equal(sent.client_id, op.clientId);
  assert.equal(sent.redirect_uri, `${kring.url}/auth/oidc/callback`);
  assert.ok(sent.state, 'state');
  assert.ok(sent.nonce, 'nonce');
  assert.ok(sent.code_challenge, 'code_challenge');
  assert.equal(sent.code_challenge_method, 'S256');
  assert.ok(sent.scope.split(' ').includes('openid'), `scope ${sent.scope}`);

  // Back in Kring, logged in.
  const landed = new URL(page.url());
  assert.equal(landed.origin, kring.url);
  assert.notEqual(landed.pathname, '/login', `landed on ${landed.href}`);
  assert.notEqual(landed.pathname, '/auth/oidc/callback', `landed on ${landed.href}`);
  assert.deepEqual(op.errors, [], 'the provider saw no errors');
  const me = await page.request.get(kring.url + '/api/v1/me');
  assert.equal(me.status(), 200, `not logged in after the callback (scope ${sent.scope})`);
  return { ...(await me.json()), consented };
}

/** The person as the admin's JSON API shows them: the user with roles, and the profile. */
async function asAdminSees(id) {
  const user = await adminPage.request.get(`${kring.url}/api/v1/admin/users/${id}`);
  assert.equal(user.status(), 200, await user.text());
  const profile = await adminPage.request.get(`${kring.url}/api/v1/people/${id}`);
  assert.equal(profile.status(), 200, await profile.text());
  return { user: await user.json(), profile: await profile.json() };
}

async function auditEntries(id) {
  const response = await adminPage.request.get(`${kring.url}/api/v1/admin/audit-log?user_id=${id}&per_page=100`);
  assert.equal(response.status(), 200, await response.text());
  return (await response.json()).items;
}

test('an admin sets up company sign-in and maps groups to departments and roles', async (t) => {
  adminPage = await adminLoggedIn(desktop);
  await adminPage.goto(kring.url + '/admin/sign-in');
  await adminPage.getByRole('heading', { level: 1 }).waitFor();
  await checkBothWidths(adminPage, 'admin sign-in, not configured');

  // The provider.
  const provider = adminPage.locator('#sso-provider');
  assert.equal(await provider.locator('[name="groups_claim"]').inputValue(), 'groups');
  await provider.locator('[name="display_name"]').fill('Acme');
  await provider.locator('[name="issuer"]').fill(op.issuer);
  await provider.locator('[name="client_id"]').fill(op.clientId);
  await provider.locator('[name="client_secret"]').fill(op.clientSecret);
  await submit(adminPage, provider);
  await adminPage.goto(kring.url + '/admin/sign-in');
  assert.equal(await provider.locator('[name="display_name"]').inputValue(), 'Acme');
  assert.equal(await provider.locator('[name="issuer"]').inputValue(), op.issuer);
  assert.equal(await provider.locator('[name="client_id"]').inputValue(), op.clientId);
  assert.ok(!(await adminPage.content()).includes(op.clientSecret), 'the page shows the client secret');

  // Group mappings: eng → Engineering and editor; sales → Sales; ambassadors → ambassador.
  const mappings = [
    ['eng', { department: 'Engineering' }],
    ['eng', { role: 'editor' }],
    ['sales', { department: 'Sales' }],
    ['ambassadors', { role: 'ambassador' }],
  ];
  for (const [group, { department, role }] of mappings) {
    const form = adminPage.locator('#sso-group-new');
    await form.locator('[name="group"]').fill(group);
    await form.locator('select[name="role"]').selectOption(role ?? '');
    if (department) {
      await form.locator('select[name="department"]').selectOption({ label: department });
    } else {
      await form.locator('select[name="department"]').selectOption('');
    }
    await submit(adminPage, form);
  }
  await adminPage.goto(kring.url + '/admin/sign-in');
  const rows = await adminPage.locator('#sso-groups tbody tr').evaluateAll((trs) => trs.map((tr) => tr.innerText));
  assert.equal(rows.length, 4, `mappings: ${JSON.stringify(rows)}`);
  for (const [group, target] of [
    ['eng', /Engineering/],
    ['eng', /editor/i],
    ['sales', /\bSales\b/],
    ['ambassadors', /\bambassador\b/i],
  ]) {
    assert.ok(
      rows.some((row) => new RegExp(`(^|\\s)${group}(\\s|$)`).test(row) && target.test(row.replace(group, ''))),
      `no row ${group} → ${target} in ${JSON.stringify(rows)}`,
    );
  }
  await checkBothWidths(adminPage, 'admin sign-in with mappings');

  // The login page offers company sign-in, on a phone and a desktop.
  for (const viewport of [phone, desktop]) {
    const page = await newPage(browser, { viewport, locale: 'en-GB' });
    await page.goto(kring.url + '/login');
    const link = page.locator('a.sso-login');
    await link.waitFor();
    assert.equal((await link.textContent()).trim(), 'Log in with Acme');
    await check(page, `login with company sign-in (${viewport.width}px)`);
    await page.context().close();
  }

  // The admin logs out of this browser; the admin's checks below use a new one.
  await logOut(adminPage);
  await adminPage.waitForURL(/\/login$/);
  await adminPage.context().close();
  adminPage = await adminLoggedIn(desktop);
});

test('a colleague signs in with the company account: name, department and role from the claims', async (t) => {
  op.setAccount('jdevries', {
    email: 'jan.devries@example.com',
    email_verified: true,
    name: 'Jan de Vries',
    groups: ['eng'],
  });
  person = await colleaguePage(desktop);
  await person.goto(kring.url + '/login');
  const me = await signInWithAcme(person, 'jdevries');
  personId = me.id;
  assert.ok(me.consented, "through the provider's login and consent pages");
  assert.equal(me.display_name, 'Jan de Vries');
  assert.equal(me.email, 'jan.devries@example.com');
  assert.ok(me.roles.includes('editor'), `roles ${me.roles}`);

  await person.goto(kring.url + '/account');
  const menu = await openAccountMenu(person);
  await menu.locator('.menu-who').getByText('Jan de Vries', { exact: true }).waitFor();
  await check(person, 'account after company sign-in');

  // As the admin sees them.
  const { user, profile } = await asAdminSees(personId);
  assert.equal(user.display_name, 'Jan de Vries');
  assert.equal(user.email, 'jan.devries@example.com');
  assert.ok(user.roles.includes('editor'), `roles ${user.roles}`);
  assert.ok(!user.roles.includes('ambassador'), `roles ${user.roles}`);
  assert.ok(!user.roles.includes('admin'), `roles ${user.roles}`);
  assert.equal(profile.department, 'Engineering');
  assert.equal(profile.department_id, departments.Engineering);

  await adminPage.goto(kring.url + '/admin/users');
  await adminPage.getByRole('link', { name: 'Jan de Vries', exact: true }).click();
  await adminPage.waitForURL(`${kring.url}/admin/users/${personId}`);
  await adminPage.getByRole('heading', { level: 1, name: 'Jan de Vries' }).waitFor();
  assert.equal(await adminPage.locator('#role_editor').isChecked(), true);
  assert.equal(await adminPage.locator('#role_ambassador').isChecked(), false);
  await check(adminPage, "the colleague's admin page");
});

test('changed claims come through at the next sign-in, audited; logout offers the provider sign-out', async (t) => {
  assert.ok(person && personId, 'the colleague signed in before');
  const audited = new Set((await auditEntries(personId)).map((e) => e.id));

  op.setAccount('jdevries', {
    email: 'jan.devries@example.com',
    email_verified: true,
    name: 'Jan de Vries-Bakker',
    groups: ['sales', 'ambassadors'],
  });

  // Logging out of Kring leads to the login page, which offers the provider's sign-out.
  await logOut(person);
  await person.waitForURL(/\/login(\?.*)?$/);
  const endSession = person.locator(`a[href^="${discovery.end_session_endpoint}"]`);
  await endSession.waitFor();
  assert.equal(await endSession.count(), 1);
  await person.locator('a.sso-login').waitFor();
  await checkBothWidths(person, 'login after logout, with the provider sign-out');

  // Signing out at the provider comes back to Kring's login page.
  await endSession.click();
  await logoutAtProvider(person);
  const back = new URL(person.url());
  assert.equal(back.origin + back.pathname, `${kring.url}/login`);
  const gone = await person.request.get(kring.url + '/api/v1/me');
  assert.equal(gone.status(), 401);

  // Signing in again, through the provider's login page.
  const me = await signInWithAcme(person, 'jdevries');
  assert.equal(me.id, personId, 'the same account, found by its sub');
  assert.equal(me.display_name, 'Jan de Vries-Bakker');

  const { user, profile } = await asAdminSees(personId);
  assert.equal(user.display_name, 'Jan de Vries-Bakker');
  assert.ok(user.roles.includes('ambassador'), `roles ${user.roles}`);
  assert.ok(!user.roles.includes('editor'), `roles ${user.roles}`);
  assert.equal(profile.department, 'Sales');
  assert.equal(profile.department_id, departments.Sales);

  await adminPage.goto(`${kring.url}/admin/users/${personId}`);
  await adminPage.getByRole('heading', { level: 1, name: 'Jan de Vries-Bakker' }).waitFor();
  assert.equal(await adminPage.locator('#role_editor').isChecked(), false);
  assert.equal(await adminPage.locator('#role_ambassador').isChecked(), true);

  // The role changes of this sign-in are in the audit log: ambassador added, editor removed.
  const fresh = (await auditEntries(personId)).filter((e) => !audited.has(e.id));
  const freshText = JSON.stringify(fresh);
  assert.match(freshText, /ambassador/, `new audit entries: ${freshText}`);
  assert.match(freshText, /editor/, `new audit entries: ${freshText}`);
  await adminPage.goto(kring.url + '/admin/audit');
  await adminPage.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  const rows = await adminPage
    .locator('table tbody tr')
    .filter({ hasText: 'Jan de Vries-Bakker' })
    .evaluateAll((trs) => trs.map((tr) => tr.innerText));
  for (const entry of fresh.filter((e) => /ambassador|editor/.test(JSON.stringify(e)))) {
    assert.ok(
      rows.some((row) => row.includes(entry.action)),
      `the audit page shows ${entry.action}: ${JSON.stringify(rows)}`,
    );
  }
  assert.ok(rows.some((row) => /ambassador/.test(row)), `audit rows: ${JSON.stringify(rows)}`);
  assert.ok(rows.some((row) => /editor/.test(row)), `audit rows: ${JSON.stringify(rows)}`);
  await check(adminPage, 'the audit log');
});

test("Kring's debug log holds no client secret, authorization code or token", async (t) => {
  const log = kring.log();
  const secrets = [...new Set([...op.observedSecrets(), ...callbackCodes])];
  assert.ok(callbackCodes.length >= 2, `codes seen at the callback: ${callbackCodes.length}`);
  // Each sign-in gave an access token and an ID token.
  assert.ok(secrets.length >= 1 + 2 * 2 + 2, `observed ${secrets.length} secrets`);
  for (const secret of secrets) {
    assert.ok(secret.length >= 16, 'a secret long enough to search for');
    assert.ok(!log.includes(secret), `Kring's log contains ${secret.slice(0, 12)}…`);
  }
  // The parts of a JWT alone would give its payload away (a log line could cut it up).
  for (const token of secrets.filter((s) => s.split('.').length === 3)) {
    for (const part of token.split('.').slice(1)) {
      assert.ok(!log.includes(part), "Kring's log contains part of a token");
    }
  }
});
