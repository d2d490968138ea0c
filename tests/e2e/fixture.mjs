// A small, deterministic community for the screenshot tests and the Lighthouse run (issue 24):
// fixed people, roles, text and tags, seeded through the JSON API of a fresh `kring serve`.
// Only the moment of seeding varies (dates, relative times); the screenshot tests normalise those.
//
//   const community = await seedCommunity(kring.url);
//   community.pages   → [{ name: 'home', path: '/' }, …] the ten main pages, in a fixed order
//   community.viewer  → { email, password } of Sam Social (social team), who sees all ten
//   await sessionCookie(kring.url, community.viewer) → 'kring_session=…' for other clients
import assert from 'node:assert/strict';
import { request } from 'playwright-core';

export const password = 'a long enough password';

/** The people, by key. Sam is the viewer: social team, so the KPI dashboard is theirs too. */
export const people = {
  admin: { email: 'ada@example.com', display_name: 'Ada Admin' },
  sam: { email: 'sam@example.com', display_name: 'Sam Social', roles: ['social_team'], locale: 'en' },
  lena: { email: 'lena@example.com', display_name: 'Lena Leader', is_leadership: true, locale: 'en' },
  wendy: { email: 'wendy@example.com', display_name: 'Wendy Writer', locale: 'en' },
  kees: { email: 'kees@example.com', display_name: 'Kees Curious', locale: 'en' },
};

/** The search page's query: it finds the question, its answers and the post. */
export const searchQuery = 'expense report';

/** Status check that shows the body on failure. */
async function expectStatus(response, status) {
  assert.equal(response.status(), status, `${response.url()}: ${await response.text()}`);
  return response.status() === 204 ? null : response.json();
}
const created = (response) => expectStatus(response, 201);
const ok = (response) => expectStatus(response, 200);

/** Polls `probe` (an async function returning a truthy value when done) for up to 20 s. */
async function eventually(what, probe) {
  const until = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`fixture: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A `Cookie` header value with a session for `who` ({ email, password }). */
export async function sessionCookie(baseUrl, { email, password: secret }) {
  const ctx = await request.newContext({ baseURL: baseUrl });
  try {
    await ok(await ctx.post('/api/v1/session', { data: { email, password: secret } }));
    const { cookies } = await ctx.storageState();
    assert.ok(cookies.length > 0, 'the session answer set no cookie');
    return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  } finally {
    await ctx.dispose();
  }
}

/**
 * Seeds the community on a fresh server at `baseUrl` (setup not yet done) and returns
 * `{ viewer, people, ids, pages }`. Takes a couple of seconds; fails loudly on any API error.
 */
export async function seedCommunity(baseUrl) {
  const clients = [];
  const client = async (who) => {
    const ctx = await request.newContext({ baseURL: baseUrl });
    clients.push(ctx);
    await ok(await ctx.post('/api/v1/session', { data: { email: people[who].email, password } }));
    return ctx;
  };
  const ids = {};
  try {
    // The first admin (logged in by setup), two departments, the others with their roles.
    const admin = await request.newContext({ baseURL: baseUrl });
    clients.push(admin);
    ids.admin = (await created(await admin.post('/api/v1/setup', { data: { ...people.admin, password } }))).id;
    const departments = {};
    for (const name of ['Finance', 'People & Culture']) {
      departments[name] = (await created(await admin.post('/api/v1/departments', { data: { name } }))).id;
    }
    for (const who of ['sam', 'lena', 'wendy', 'kees']) {
      ids[who] = (await created(await admin.post('/api/v1/admin/users', { data: { ...people[who], password } }))).id;
    }
    const profiles = {
      wendy: {
        job_title: 'Financial controller',
        department_id: departments.Finance,
        location: 'Utrecht',
        languages: ['en', 'nl'],
        bio: 'I keep the **numbers** right and answer the expense questions.',
        expertise: ['expenses', 'excel'],
      },
      kees: { job_title: 'Account manager', department_id: departments['People & Culture'], location: 'Amsterdam' },
      sam: { job_title: 'Community manager', department_id: departments['People & Culture'], location: 'Utrecht' },
      lena: { job_title: 'Chief executive', department_id: departments.Finance },
    };
    for (const [who, profile] of Object.entries(profiles)) {
      await ok(await admin.patch(`/api/v1/people/${ids[who]}/profile`, { data: profile }));
    }

    // The admin asks the first questions, which opens the tags for members.
    await created(
      await admin.post('/api/v1/questions', {
        data: {
          title: 'Which laptop bag does the company provide?',
          body: 'New colleagues ask this in their first week.',
          tags: ['onboarding', 'expenses'],
          language: 'en',
        },
      }),
    );
    const sam = await client('sam');
    const wendy = await client('wendy');
    const kees = await client('kees');
    const lena = await client('lena');

    // Sam asks; Wendy and Kees answer; Sam accepts Wendy's and votes both up. Sam is notified.
    const question = await created(
      await sam.post('/api/v1/questions', {
        data: {
          title: 'How do I submit an expense report for a train ticket?',
          body: 'I travelled to the Utrecht office for a workshop. Which form do I use, and do I need the **original ticket**?',
          tags: ['expenses'],
          language: 'en',
        },
      }),
    );
    ids.question = question.id;
    const accepted = await created(
      await wendy.post(`/api/v1/questions/${question.id}/answers`, {
        data: {
          body: 'Use the *Expenses* app: add a line, choose **Travel**, and attach a photo of the ticket. The expense report goes to your manager.',
        },
      }),
    );
    await created(
      await kees.post(`/api/v1/questions/${question.id}/answers`, {
        data: { body: 'A scan of the ticket is enough; keep the original until the payment arrives.' },
      }),
    );
    await ok(await sam.post(`/api/v1/answers/${accepted.id}/vote`, { data: { value: 1 } }));
    await ok(await sam.post(`/api/v1/answers/${accepted.id}/accept`, { data: {} }));

    // Wendy blogs (with tags); Kees comments and likes; Lena (leadership) makes an announcement.
    const post = await created(
      await wendy.post('/api/v1/posts', {
        data: {
          title: 'Five tips for a faster expense report',
          body: [
            'Month end is busy in Finance. These five habits get your expenses paid sooner.',
            '',
            '## Before you travel',
            '',
            '1. Book through the travel portal.',
            '2. Keep every receipt in one place.',
            '',
            '## After you travel',
            '',
            '- Submit within **two weeks**.',
            '- Add the project code.',
            '- Ask in *Questions* when in doubt.',
          ].join('\n'),
          tags: ['expenses', 'tips'],
          language: 'en',
          excerpt: 'Five habits that get your expenses paid sooner.',
        },
      }),
    );
    const published = await ok(await wendy.post(`/api/v1/posts/${post.id}/publish`, { data: {} }));
    assert.equal(published.status, 'published', 'the post needs no review');
    ids.post = post.id;
    await created(
      await kees.post(`/api/v1/posts/${post.id}/comments`, {
        data: { body: 'Tip 2 saved me an afternoon last month. Thank you!' },
      }),
    );
    await ok(await kees.post(`/api/v1/posts/${post.id}/like`, { data: {} }));
    const announcement = await created(
      await lena.post('/api/v1/posts', {
        data: {
          title: 'Welcome to Kring',
          body: 'From today we share knowledge here: ask questions, answer colleagues and blog about your work.',
          tags: ['onboarding'],
          language: 'en',
        },
      }),
    );
    const out = await ok(await lena.post(`/api/v1/posts/${announcement.id}/publish`, { data: {} }));
    assert.equal(out.is_announcement, true, 'a leadership post is an announcement');

    // Sam follows the expenses tag and Wendy; Kees asks an open question in that tag, so the
    // home page's "open questions in your tags" and "from people you follow" have something.
    await expectStatus(await sam.post('/api/v1/tags/expenses/follow', { data: {} }), 204);
    await expectStatus(await sam.post(`/api/v1/people/${ids.wendy}/follow`, { data: {} }), 204);
    await created(
      await kees.post('/api/v1/questions', {
        data: {
          title: 'Can I claim a taxi to the airport?',
          body: 'My flight leaves at six in the morning; there is no train yet.',
          tags: ['expenses'],
          language: 'en',
        },
      }),
    );

    // Notifications are written with the answers; the search index follows shortly after.
    await eventually('two notifications for Sam', async () => {
      const body = await ok(await sam.get('/api/v1/notifications'));
      return body.total === 2; // one per answer
    });
    // The index follows an outbox in order: once the last post is found, so is the rest.
    const found = async (q, type, id) => {
      const body = await ok(await sam.get(`/api/v1/search?q=${encodeURIComponent(q)}`));
      return body.hits.some((h) => h.type === type && h.id === id);
    };
    await eventually('the search index', async () =>
      (await found(searchQuery, 'question', question.id)) &&
      (await found(searchQuery, 'post', post.id)) &&
      (await found('Welcome to Kring', 'post', announcement.id)),
    );

    const questionView = await ok(await sam.get(`/api/v1/questions/${question.id}`));
    return {
      viewer: { email: people.sam.email, password },
      people,
      ids,
      pages: [
        { name: 'home', path: '/' },
        { name: 'question', path: questionView.url },
        { name: 'ask', path: '/questions/ask' },
        { name: 'post', path: published.url },
        { name: 'editor', path: '/blog/new' },
        { name: 'search', path: `/search?q=${encodeURIComponent(searchQuery)}` },
        { name: 'profile', path: `/people/${ids.wendy}` },
        { name: 'leaderboard', path: '/leaderboard' },
        { name: 'kpis', path: '/kpis' },
        { name: 'notifications', path: '/notifications' },
      ],
    };
  } finally {
    for (const ctx of clients) await ctx.dispose();
  }
}
