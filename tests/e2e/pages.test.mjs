// Every page, every role, every WCAG 2.2 A and AA rule (issue 24, acceptance 2).
//
// The pages come from the route registry (`kring routes`): every GET route of kind HTML. A small
// community with one of everything is seeded through the API (and a few forms), so that every
// `{param}` of those routes is filled with a real id, slug or one-time link (`FILL` below; a
// route it cannot fill fails the test). Then anonymous visitors (public routes) and one person
// per role (member, ambassador, editor, social_team, admin: the routes their access allows)
// visit each page at a desktop viewport, members and admins again on a phone, and axe-core runs
// with every WCAG 2.0/2.1/2.2 level A and AA rule, whatever the impact. All violations, page
// errors and failed loads are collected and reported in one list.
//
// One-time links (invitation, password reset, registration) and the signed unsubscribe link
// come from the emails themselves: kring sends to a small SMTP sink run by this test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { request } from 'playwright-core';
import {
  startKring,
  launchBrowser,
  newPage,
  logIn,
  created,
  routeRegistry,
  wcagViolations,
} from './support.mjs';

const password = 'a long enough password';
const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };

/** One person per role (`member`: no role beyond everyone's), and a few more for the content. */
const people = {
  admin: { email: 'ada@example.com', display_name: 'Ada Admin', roles: ['admin'] },
  member: { email: 'mia@example.com', display_name: 'Mia Member', roles: [] },
  ambassador: { email: 'amir@example.com', display_name: 'Amir Ambassador', roles: ['ambassador'] },
  editor: { email: 'eva@example.com', display_name: 'Eva Editor', roles: ['editor'] },
  social_team: { email: 'sam@example.com', display_name: 'Sam Social', roles: ['social_team'] },
  leader: { email: 'lena@example.com', display_name: 'Lena Leader', roles: [], is_leadership: true },
};
const roles = ['member', 'ambassador', 'editor', 'social_team', 'admin'];
/** The roles that also visit every page on a phone. */
const phoneRoles = ['member', 'admin'];

// A 1 × 1 PNG, for a profile photo (and the uploads route).
const photo = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * How to fill the parameters of each GET HTML route that has any: pattern → (seed, viewer) →
 * the path to visit. `viewer` is the role key (or `anonymous`). A pattern with parameters that
 * is neither here nor in `EXCLUDED` fails the test.
 */
const FILL = {
  '/uploads/{folder}/{name}': (s) => s.photoUrl,
  '/register/verify/{token}': (s) => s.links.verify,
  '/password/reset/{token}': (s) => s.links.reset,
  '/invitations/{token}': (s) => s.links.invitation,
  '/unsubscribe/{user}/{category}/{signature}': (s) => s.links.unsubscribe,
  '/admin/users/{id}': (s) => `/admin/users/${s.ids.member}`,
  '/tags/{name}/feed.atom': (s) => `/tags/${s.tag}/feed.atom`,
  '/blog/authors/{id}/feed.atom': (s) => `/blog/authors/${s.ids.member}/feed.atom`,
  '/questions/tagged/{name}': (s) => `/questions/tagged/${s.tag}`,
  '/questions/{id}/edit': (s) => `/questions/${s.question.id}/edit`,
  '/questions/{id}/revisions': (s) => `/questions/${s.question.id}/revisions`,
  '/questions/{id}': (s) => `/questions/${s.question.id}`,
  '/questions/{id}/{slug}': (s) => s.question.url,
  '/answers/{id}/edit': (s) => `/answers/${s.answer.id}/edit`,
  '/answers/{id}/revisions': (s) => `/answers/${s.answer.id}/revisions`,
  '/people/{id}': (s) => `/people/${s.ids.member}`,
  // One's own profile form (admins may edit anyone's: the admin edits the member's).
  '/people/{id}/edit': (s, viewer) =>
    `/people/${viewer === 'admin' || viewer === 'anonymous' ? s.ids.member : s.ids[viewer]}/edit`,
  '/spaces/{slug}': (s) => `/spaces/${s.space.slug}`,
  // The admin moderates the closed space, where a request waits; the others see the open one.
  '/spaces/{slug}/members': (s, viewer) => `/spaces/${(viewer === 'admin' ? s.closed : s.space).slug}/members`,
  '/kpis/export/{table}': () => '/kpis/export/weekly.csv',
  '/blog/authors/{id}': (s) => `/blog/authors/${s.ids.member}`,
  '/blog/posts/{id}/edit': (s) => `/blog/posts/${s.post.id}/edit`,
  '/blog/posts/{id}/revisions': (s) => `/blog/posts/${s.post.id}/revisions`,
  '/blog/comments/{id}/edit': (s) => `/blog/comments/${s.postComment.id}/edit`,
  '/tags/{name}': (s) => `/tags/${s.tag}`,
  '/blog/{slug}': (s) => s.post.url,
};

/** Query strings that make a page show what it is for (the route stays the registry's). */
const QUERY = {
  '/search': '?q=expense',
};

/**
 * GET HTML routes not visited, each with the reason. Keep it short: a route belongs here only
 * when no seeding can reach its page.
 */
const EXCLUDED = {};

/**
 * GET routes registered as HTML that answer something else (no page for axe): checked to
 * answer 200 with this content type instead.
 */
const NOT_PAGES = {
  '/uploads/{folder}/{name}': /^image\//, // an uploaded image
  '/blog/feed.atom': /^application\/atom\+xml/, // Atom feeds
  '/tags/{name}/feed.atom': /^application\/atom\+xml/,
  '/blog/authors/{id}/feed.atom': /^application\/atom\+xml/,
  '/kpis/export/{table}': /^text\/csv/, // a CSV download
};

/**
 * HTML fragments, not documents: fetched by script into a page (kring.js). Checked with every
 * rule but those about a whole document (title, language, landmarks).
 */
const FRAGMENTS = {
  '/notifications/menu': "the bell's dropdown",
};

/**
 * Answers other than 200 that are right for everyone who may call the route; the page shown is
 * still checked. (Answers that depend on the role, like 403 for a page a service keeps to
 * editors, are listed in the test's diagnostics.)
 */
const EXPECTED_STATUS = {
  '/auth/oidc/login': 404, // no company sign-in configured: nothing to sign in with
  '/auth/oidc/callback': 400, // a callback without the provider's code and state
};

/** Pages shown only before the first account exists: checked anonymously before seeding. */
const FIRST_RUN = ['/setup'];

let kring;
let smtp;
let browser;
let seed;
const clients = [];

before(async () => {
  smtp = await startSmtpSink();
  kring = await startKring({
    env: { KRING_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, KRING_JOB_TICK_SECONDS: '0.5' },
  });
  browser = await launchBrowser();
});

after(async () => {
  for (const ctx of clients) await ctx.dispose();
  await browser?.close();
  await kring?.stop();
  smtp?.close();
});

test('every page passes every WCAG 2.2 A and AA rule, for every role', async (t) => {
  const started = Date.now();
  const registry = routeRegistry();
  const pages = registry.filter((r) => r.method === 'GET' && r.kind === 'html');
  assert.ok(pages.length > 30, `only ${pages.length} HTML pages in the registry`);

  const problems = []; // { role, viewport, path, kind, text }
  const visited = new Set();

  // First-run pages, before anyone exists.
  {
    const page = await newPage(browser, { viewport: desktop, locale: 'en-GB' });
    for (const path of FIRST_RUN) {
      assert.ok(pages.some((r) => r.path === path), `${path} is no longer in the registry`);
      await check(page, { role: 'anonymous', viewport: 'desktop', pattern: path, url: path }, problems);
      visited.add(path);
    }
    await page.context().close();
  }

  seed = await seedCommunity();
  t.diagnostic(`seeded in ${Math.round((Date.now() - started) / 1000)} s`);

  // Every pattern must be fillable (or excluded with a reason).
  const unfilled = pages
    .filter((r) => r.path.includes('{') && !FILL[r.path] && !EXCLUDED[r.path])
    .map((r) => r.path);
  assert.deepEqual(unfilled, [], 'GET HTML routes whose parameters the test cannot fill: add them to FILL');
  for (const pattern of [...Object.keys(NOT_PAGES), ...Object.keys(FRAGMENTS), ...Object.keys(EXPECTED_STATUS)]) {
    assert.ok(pages.some((r) => r.path === pattern), `${pattern} is listed but not a GET HTML route`);
  }
  for (const [pattern, fill] of Object.entries(FILL)) {
    assert.ok(pages.some((r) => r.path === pattern), `FILL names ${pattern}, which is not a GET HTML route`);
    for (const viewer of ['anonymous', ...roles]) {
      const url = fill(seed, viewer);
      assert.ok(typeof url === 'string' && url.startsWith('/') && !url.includes('undefined'), `${pattern} filled as ${url}`);
    }
  }

  const urlOf = (route, viewer) => {
    const path = route.path.includes('{') ? FILL[route.path](seed, viewer) : route.path;
    return path + (QUERY[route.path] ?? '');
  };
  const allowed = (route, role) => {
    const { who } = route.access;
    if (who === 'public') return true;
    if (role === 'anonymous') return false;
    if (who === 'member') return true;
    if (who === 'role') return role === 'admin' || route.access.role === role;
    return false;
  };
  const toVisit = pages.filter(
    (r) => !EXCLUDED[r.path] && !NOT_PAGES[r.path] && !FIRST_RUN.includes(r.path),
  );

  // Routes registered as HTML that answer something else.
  {
    const admin = await client('admin');
    for (const route of pages.filter((r) => NOT_PAGES[r.path])) {
      const response = await admin.get(urlOf(route, 'admin'));
      const type = response.headers()['content-type'] ?? '';
      if (response.status() !== 200 || !NOT_PAGES[route.path].test(type)) {
        problems.push({
          role: 'admin', viewport: '-', path: route.path, kind: 'not a page',
          text: `expected 200 ${NOT_PAGES[route.path]}, got ${response.status()} ${type}`,
        });
      }
      visited.add(route.path);
    }
  }

  // One context per role, two roles at a time (the heaviest first).
  const statuses = {}; // role → ['403 /path', …]
  const visitAll = async (role) => {
    const page =
      role === 'anonymous'
        ? await newPage(browser, { viewport: desktop, locale: 'en-GB' })
        : await logIn(browser, kring.url, { email: people[role].email, password }, desktop);
    const passes = [['desktop', desktop]];
    if (phoneRoles.includes(role)) passes.push(['phone', phone]);
    for (const [viewportName, viewport] of passes) {
      await page.setViewportSize(viewport);
      for (const route of toVisit.filter((r) => allowed(r, role))) {
        const status = await check(
          page,
          { role, viewport: viewportName, pattern: route.path, url: urlOf(route, role) },
          problems,
        );
        if (viewportName === 'desktop' && status !== 200) (statuses[role] ??= []).push(`${status} ${route.path}`);
        visited.add(route.path);
      }
    }
    await page.context().close();
  };
  const queue = ['admin', 'member', 'social_team', 'editor', 'ambassador', 'anonymous'];
  const lane = async () => {
    for (let role; (role = queue.shift()); ) await visitAll(role);
  };
  await Promise.all([lane(), lane()]);

  const missed = pages.filter((r) => !visited.has(r.path) && !EXCLUDED[r.path]).map((r) => r.path);
  assert.deepEqual(missed, [], 'GET HTML routes no role visited');
  for (const [role, list] of Object.entries(statuses)) {
    t.diagnostic(`not 200 for ${role} (the page shown was checked): ${list.join(', ')}`);
  }
  t.diagnostic(`done in ${Math.round((Date.now() - started) / 1000)} s`);

  const report = problems
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.path.localeCompare(b.path))
    .map((p) => `- [${p.kind}] ${p.path} (${p.role}, ${p.viewport}): ${p.text}`)
    .join('\n');
  assert.equal(problems.length, 0, `${problems.length} problems:\n${report}`);
});

/**
 * Visits `url` on `page`, runs axe and adds what it finds to `problems`; returns the status.
 * A server error (5xx), a 404 (a parameter filled with something that does not exist), page
 * errors (CSP, scripts) and every WCAG A/AA violation count as problems.
 */
async function check(page, { role, viewport, pattern, url }, problems) {
  const where = { role, viewport, path: url };
  page.problems.length = 0;
  const response = await page.goto(kring.url + url);
  const status = response?.status() ?? 0;
  const expected = EXPECTED_STATUS[pattern];
  if (expected ? status !== expected : status >= 500 || status === 404 || status === 0) {
    problems.push({ ...where, kind: `HTTP ${status}`, text: `GET ${pattern} answered ${status}` });
  }
  const type = (await response?.headerValue('content-type')) ?? '';
  if (!type.startsWith('text/html')) {
    problems.push({ ...where, kind: 'not HTML', text: `GET ${pattern} answered ${type}: list it in NOT_PAGES` });
    return status;
  }
  const within = FRAGMENTS[pattern] ? 'body' : undefined;
  for (const v of await wcagViolations(page, { within })) {
    for (const node of v.nodes) {
      problems.push({ ...where, kind: `${v.id}, ${v.impact}`, text: `${node.target} — ${v.help}. ${node.message}` });
    }
  }
  for (const text of page.problems) problems.push({ ...where, kind: 'page error', text });
  return status;
}

/** An API client with a session for `who`. */
async function client(who) {
  const ctx = await request.newContext({ baseURL: kring.url });
  clients.push(ctx);
  const response = await ctx.post('/api/v1/session', { data: { email: people[who].email, password } });
  assert.equal(response.status(), 200, await response.text());
  return ctx;
}

/** The JSON of a 200 answer (fails on any other status). */
async function ok(response) {
  assert.equal(response.status(), 200, `${response.url()}: ${await response.text()}`);
  return response.json();
}

/** Fails unless the answer is a success (2xx, a body or none). */
async function done(response) {
  assert.ok(response.status() < 300, `${response.url()}: ${response.status()} ${await response.text()}`);
}

/** Posts an HTML form the way a browser does: the CSRF token read from `formPage`. */
async function submitForm(ctx, formPage, action, fields) {
  const html = await (await ctx.get(formPage)).text();
  const token = html.match(/name="csrf_token" value="([^"]+)"/)?.[1];
  assert.ok(token, `no CSRF token on ${formPage}`);
  const response = await ctx.post(action, { form: { csrf_token: token, ...fields }, maxRedirects: 0 });
  assert.ok(response.status() < 400, `POST ${action}: ${response.status()} ${await response.text()}`);
}

/** Polls `probe` for up to 20 s. */
async function eventually(what, probe) {
  const until = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `YYYY-MM` of last month (UTC), the month a Social Guru can be awarded for. */
function lastMonth() {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Seeds one of everything; returns what `FILL` needs. */
async function seedCommunity() {
  const ids = {};
  const anonymous = await request.newContext({ baseURL: kring.url });
  clients.push(anonymous);
  const setup = await created(
    await anonymous.post('/api/v1/setup', { data: { ...people.admin, password } }),
  );
  ids.admin = setup.id;
  const admin = anonymous; // setup logs the first admin in

  // A department, a sign-in group, the people, the member's profile and photo.
  const department = await created(await admin.post('/api/v1/departments', { data: { name: 'Finance' } }));
  for (const who of ['member', 'ambassador', 'editor', 'social_team', 'leader']) {
    ids[who] = (await created(await admin.post('/api/v1/admin/users', { data: { ...people[who], password } }))).id;
  }
  await created(
    await admin.post('/api/v1/admin/sso/group-mappings', {
      data: { group: 'kring-finance', role: 'editor', department_id: department.id },
    }),
  );
  await ok(
    await admin.patch(`/api/v1/people/${ids.member}/profile`, {
      data: {
        job_title: 'Financial controller',
        department_id: department.id,
        location: 'Utrecht',
        languages: ['en', 'nl'],
        bio: 'I keep the **numbers** right and answer the expense questions.',
        expertise: ['expenses', 'excel'],
      },
    }),
  );
  const member = await client('member');
  const ambassador = await client('ambassador');
  const editor = await client('editor');
  const social = await client('social_team');
  const leader = await client('leader');
  const profile = await ok(
    await member.put('/api/v1/me/photo', {
      multipart: { file: { name: 'me.png', mimeType: 'image/png', buffer: photo } },
    }),
  );
  const photoUrl = profile.photo_large_url ?? profile.photo_url;
  assert.ok(photoUrl, `no photo URL in ${JSON.stringify(profile)}`);
  for (const who of [ambassador, editor, social]) {
    await done(await who.post(`/api/v1/people/${ids.member}/follow`, { data: {} }));
  }

  // Settings worth showing: a webhook, tokens, search synonyms, a space.
  await created(
    await admin.post('/api/v1/webhooks', {
      data: { event: 'post_published', url: 'https://hooks.example.com/kring' },
    }),
  );
  await created(await member.post('/api/v1/tokens', { data: { name: 'My script' } }));
  await created(await admin.post('/api/v1/admin/scim-tokens', { data: { name: 'Entra ID' } }));
  await created(await admin.post('/api/v1/search/synonyms', { data: { terms: ['wfh', 'work from home'] } }));
  const space = await created(
    await admin.post('/api/v1/spaces', {
      data: { name: 'Finance corner', kind: 'open', description: 'Budgets, expenses and month end.' },
    }),
  );
  await done(await member.post(`/api/v1/spaces/${space.id}/join`, { data: {} }));
  const closed = await created(
    await admin.post('/api/v1/spaces', {
      data: { name: 'Works council', kind: 'closed', description: 'Agreements and consultations.' },
    }),
  );
  await done(await editor.post(`/api/v1/spaces/${closed.id}/join`, { data: {} }));

  // Questions: the admin opens the tag; the member asks (with a revision), the ambassador
  // answers (with a revision), both comment, the member accepts and votes; a new tag proposed.
  const tag = 'expenses';
  await created(
    await admin.post('/api/v1/questions', {
      data: { title: 'Which laptop bag does the company provide?', body: 'New colleagues ask this in their first week.', tags: [tag] },
    }),
  );
  let question = await created(
    await member.post('/api/v1/questions', {
      data: {
        title: 'How do I submit an expense report for a train ticket?',
        body: 'I travelled to the Utrecht office. Which form do I use?',
        tags: [tag],
        language: 'en',
      },
    }),
  );
  await ok(
    await member.patch(`/api/v1/questions/${question.id}`, {
      data: { body: 'I travelled to the Utrecht office for a workshop. Which form do I use, and do I need the **original ticket**?' },
    }),
  );
  const answer = await created(
    await ambassador.post(`/api/v1/questions/${question.id}/answers`, {
      data: { body: 'Use the *Expenses* app and attach a photo of the ticket.' },
    }),
  );
  await ok(
    await ambassador.patch(`/api/v1/answers/${answer.id}`, {
      data: { body: 'Use the *Expenses* app: add a line, choose **Travel**, and attach a photo of the ticket.' },
    }),
  );
  await created(await editor.post(`/api/v1/questions/${question.id}/answers`, { data: { body: 'A scan is enough.' } }));
  await created(await ambassador.post(`/api/v1/questions/${question.id}/comments`, { data: { body: 'Was it a return ticket?' } }));
  await created(await member.post(`/api/v1/answers/${answer.id}/comments`, { data: { body: 'Thanks, that worked.' } }));
  await done(await member.post(`/api/v1/answers/${answer.id}/vote`, { data: { value: 1 } }));
  await done(await editor.post(`/api/v1/questions/${question.id}/vote`, { data: { value: 1 } }));
  await done(await member.post(`/api/v1/answers/${answer.id}/accept`, { data: {} }));
  question = await ok(await member.get(`/api/v1/questions/${question.id}`));
  await created(
    await member.post('/api/v1/questions', {
      data: { title: 'Who approves a travel budget?', body: 'For a team trip abroad.', tags: ['travel-budget'], space_id: space.id },
    }),
  );
  await done(await admin.put(`/api/v1/tags/${tag}/experts/${ids.ambassador}`, { data: {} }));
  await created(await admin.post(`/api/v1/tags/${tag}/synonyms`, { data: { name: 'costs' } }));
  await done(await member.post(`/api/v1/tags/${tag}/follow`, { data: {} }));

  // Posts: the member's, published, edited, commented and liked; a draft; a deleted one; a
  // leadership announcement; then with review for non-ambassadors, one waiting for review.
  let post = await created(
    await member.post('/api/v1/posts', {
      data: {
        title: 'Five tips for a faster expense report',
        body: 'Month end is busy.\n\n## Before you travel\n\n1. Book through the portal.\n2. Keep every receipt.',
        tags: [tag],
        language: 'en',
      },
    }),
  );
  post = await ok(await member.post(`/api/v1/posts/${post.id}/publish`, { data: {} }));
  assert.equal(post.status, 'published', 'the post needs no review yet');
  post = await ok(
    await member.patch(`/api/v1/posts/${post.id}`, {
      data: { body: 'Month end is busy in Finance.\n\n## Before you travel\n\n1. Book through the portal.\n2. Keep every receipt.' },
    }),
  );
  const postComment = await created(
    await member.post(`/api/v1/posts/${post.id}/comments`, { data: { body: 'Tip 2 saved me an afternoon.' } }),
  );
  await created(await ambassador.post(`/api/v1/posts/${post.id}/comments`, { data: { body: 'Great list, @mia!' } }));
  await done(await ambassador.post(`/api/v1/posts/${post.id}/like`, { data: {} }));
  await created(await member.post('/api/v1/posts', { data: { title: 'A draft about receipts', body: 'Not done yet.', tags: [tag] } }));
  const gone = await created(await member.post('/api/v1/posts', { data: { title: 'An old post', body: 'Out of date.', tags: [tag] } }));
  await done(await member.delete(`/api/v1/posts/${gone.id}`));
  const announcement = await created(
    await leader.post('/api/v1/posts', { data: { title: 'Welcome to Kring', body: 'From today we share knowledge here.', tags: ['onboarding'] } }),
  );
  await done(await leader.post(`/api/v1/posts/${announcement.id}/publish`, { data: {} }));
  await done(await admin.put('/api/v1/admin/editorial-review', { data: { mode: 'non_ambassadors' } }));
  const submitted = await created(
    await member.post('/api/v1/posts', { data: { title: 'Closing the books in three days', body: 'How we did it.', tags: [tag], space_id: space.id } }),
  );
  const inReview = await ok(await member.post(`/api/v1/posts/${submitted.id}/publish`, { data: {} }));
  assert.notEqual(inReview.status, 'published', 'the second post waits for review');
  const sentBack = await created(
    await member.post('/api/v1/posts', { data: { title: 'Budget season', body: 'A first try.', tags: [tag] } }),
  );
  await ok(await member.post(`/api/v1/posts/${sentBack.id}/publish`, { data: {} }));
  await ok(await editor.post(`/api/v1/posts/${sentBack.id}/reject`, { data: { comment: 'Please add an example.' } }));

  // The Social Guru: last month's nomination, awarded.
  const nomination = await created(
    await social.post('/api/v1/nominations', {
      data: { user_id: ids.member, month: lastMonth(), reason: 'Answers every expense question within the hour.' },
    }),
  );
  await done(await social.post(`/api/v1/nominations/${nomination.id}/award`, { data: {} }));

  // Emails with links: an invitation, a refused invitation (a failed mail), a registration, a
  // password reset; the member's reply notifications carry the unsubscribe link.
  await submitForm(admin, '/admin/invitations', '/admin/invitations', {
    email: 'ines@example.com', display_name: 'Ines Invited', locale: 'en',
  });
  await submitForm(admin, '/admin/invitations', '/admin/invitations', {
    email: 'bounce@example.com', display_name: 'Bo Bounce', locale: 'en',
  });
  await done(await admin.put('/api/v1/admin/registration', { data: { enabled: true, allowed_domains: ['example.com'] } }));
  const stranger = await request.newContext({ baseURL: kring.url, extraHTTPHeaders: { 'Accept-Language': 'en' } });
  clients.push(stranger);
  await done(
    await stranger.post('/api/v1/register', {
      data: { email: 'rita@example.com', display_name: 'Rita Registered', password },
    }),
  );
  await submitForm(stranger, '/password/forgot', '/password/forgot', { email: people.editor.email });

  const links = await eventually('the emails with links', () => {
    const found = {
      invitation: smtp.find(/\/invitations\/[^\s"'<>]+/),
      verify: smtp.find(/\/register\/verify\/[^\s"'<>]+/),
      reset: smtp.find(/\/password\/reset\/[^\s"'<>]+/),
      unsubscribe: smtp.find(/\/unsubscribe\/\d+\/[a-z_]+\/[^\s"'<>]+/),
    };
    return Object.values(found).every(Boolean) && found;
  });
  await eventually('the failed mail', async () => {
    const body = await ok(await admin.get('/api/v1/admin/mail?status=failed'));
    return (Array.isArray(body) ? body : body.items ?? body.mails ?? []).length > 0;
  });

  // The search index follows shortly after.
  await eventually('the search index', async () => {
    const body = await ok(await member.get('/api/v1/search?q=expense'));
    return body.hits.some((h) => h.type === 'post' && h.id === post.id);
  });

  return { ids, tag, photoUrl, space, closed, question, answer, post, postComment, links };
}

/**
 * A small SMTP server on loopback: enough SMTP for lettre; keeps each message; refuses
 * recipients whose address starts with `bounce` (550, a permanent failure).
 */
function startSmtpSink() {
  const messages = [];
  const server = createServer((socket) => {
    let buffer = '';
    let data = null;
    const reply = (line) => socket.write(`${line}\r\n`);
    reply('220 sink ESMTP');
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data !== null) {
          if (line === '.') {
            messages.push(decodeMail(data.join('\n')));
            data = null;
            reply('250 2.0.0 queued');
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8');
        else if (verb === 'HELO') reply('250 sink');
        else if (verb === 'RCPT') reply(/<bounce/i.test(line) ? '550 5.1.1 no such user' : '250 2.1.5 ok');
        else if (verb === 'DATA') {
          data = [];
          reply('354 go ahead');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else if (['MAIL', 'RSET', 'NOOP'].includes(verb)) reply('250 2.0.0 ok');
        else reply('502 5.5.2 not implemented');
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        /** The first path matching `pattern` in any message so far. */
        find(pattern) {
          for (const text of messages) {
            const match = text.match(pattern);
            if (match) return match[0];
          }
          return null;
        },
        close: () => server.close(),
      }),
    );
  });
}

/** A message's text with quoted-printable and base64 parts decoded (enough to find links). */
function decodeMail(raw) {
  const qp = raw
    .replace(/=\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  const base64 = [...raw.matchAll(/\n\n((?:[A-Za-z0-9+/=]{4,}\n?)+)/g)]
    .map((m) => Buffer.from(m[1].replace(/\n/g, ''), 'base64').toString('utf8'))
    .join('\n');
  return `${qp}\n${base64}`;
}
