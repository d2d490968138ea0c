// A real OpenID Provider for the browser tests: npm `oidc-provider` (the certified Node
// implementation) on a free loopback port, with one confidential client and accounts the test
// changes between logins. The provider's own development login and consent pages stand in for a
// company's sign-in, so a test goes through real provider pages.
import { createServer } from 'node:http';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';

// oidc-provider prints notices about its development defaults (dev interactions, in-memory
// adapter …) with console.info / console.warn; keep test output clean of them.
for (const method of ['info', 'warn']) {
  const original = console[method].bind(console);
  console[method] = (...args) => {
    if (typeof args[0] === 'string' && args[0].includes('oidc-provider ')) return;
    original(...args);
  };
}
// Imported after the filter: on import it warns that Node 20 is not a runtime it supports
// (9.x wants Node 22 LTS or later); it works on Node 20 for what these tests use.
const { default: Provider } = await import('oidc-provider');

/** The pages of the provider: its dev-interaction forms post to `/interaction/{uid}`. */
const LOGIN_FORM = 'form[action*="/interaction/"]:has(input[name="prompt"][value="login"])';
const CONSENT_FORM = 'form[action*="/interaction/"]:has(input[name="prompt"][value="consent"])';

/**
 * Starts the provider. `setAccount(login, claims)` adds or changes an account; its `sub` is a
 * stable id derived from the login. `observedSecrets()` lists every value that must never
 * appear in a relying party's log: the client secret and each authorization code, access token
 * and ID token the provider handed out.
 */
export async function startProvider({ redirectUri, postLogoutRedirectUri }) {
  const clientId = 'kring-e2e';
  const clientSecret = randomBytes(32).toString('hex');
  const accounts = new Map();
  const logins = new Map(); // sub → login
  const codes = [];
  const tokens = [];
  const errors = [];

  let handler = (req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const html = (title, body) =>
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        client_name: 'Kring (e2e)',
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: postLogoutRedirectUri ? [postLogoutRedirectUri] : [],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: 'e2e-rs256', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'locale'],
      groups: ['groups'],
    },
    // Scope claims go into the ID token too, not only into userinfo.
    conformIdTokenClaims: false,
    // S256 is the only method; every authorization request must carry a code_challenge.
    pkce: { required: () => true },
    // The account id, and so `sub`, is an opaque stable id per login (see the login rewrite
    // below), not the login itself.
    async findAccount(_ctx, id) {
      const login = logins.get(id);
      if (!accounts.has(login)) return undefined;
      return {
        accountId: id,
        async claims() {
          const { email, email_verified, name, locale, groups } = accounts.get(login);
          return { sub: id, email, email_verified, name, locale, groups };
        },
      };
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = html(
            'Sign out',
            `<h1>Sign out of the provider?</h1>${form}` +
              '<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>' +
              '<button type="submit" form="op.logoutForm">No, stay signed in</button>',
          );
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = html('Signed out', '<h1>Sign-out Success</h1>');
        },
      },
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    clientBasedCORS: () => false,
    async renderError(ctx, out) {
      errors.push(out);
      ctx.type = 'html';
      ctx.body = html('Provider error', `<h1>Provider error</h1><pre>${escapeHtml(JSON.stringify(out))}</pre>`);
    },
  });
  provider.on('server_error', (_ctx, err) => errors.push({ error: 'server_error', detail: String(err) }));
  // Koa would print errors itself; they are collected above instead.
  provider.silent = true;

  // Keep the provider's pages on this machine (its page layout imports a web font), and note
  // every authorization code and token it hands out.
  provider.use(async (ctx, next) => {
    // The dev login form's `login` becomes the account id as it is; make it the opaque `sub`.
    if (ctx.method === 'POST' && ctx.path.startsWith('/interaction/') && ctx.is('application/x-www-form-urlencoded')) {
      const chunks = [];
      for await (const chunk of ctx.req) chunks.push(chunk);
      const body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      if (body.prompt === 'login' && typeof body.login === 'string') body.login = subFor(body.login);
      ctx.request.body = body;
    }
    await next();
    if (typeof ctx.body === 'string' && /html/.test(ctx.type)) {
      ctx.body = ctx.body.replace(/@import url\(https?:[^)]*\);?/g, '');
    }
    const location = ctx.response.get('location');
    if (location) {
      const code = URL.parse(location, issuer)?.searchParams.get('code');
      if (code) codes.push(code);
    }
    if (ctx.oidc?.route === 'token' && ctx.body && typeof ctx.body === 'object') {
      for (const key of ['access_token', 'id_token', 'refresh_token']) {
        if (ctx.body[key]) tokens.push(ctx.body[key]);
      }
    }
  });

  handler = provider.callback();

  return {
    issuer,
    clientId,
    clientSecret,
    provider,
    /** Adds or replaces an account: `{ email, email_verified, name, locale, groups }`. */
    setAccount(login, claims) {
      accounts.set(login, { ...claims });
      logins.set(subFor(login), login);
    },
    /** The `sub` the provider uses for a login. */
    subFor,
    /** Errors the provider rendered or hit (invalid requests, server errors). */
    errors,
    observedSecrets() {
      return [clientSecret, ...codes, ...tokens];
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
}

function subFor(login) {
  return 'acct-' + createHash('sha256').update(login).digest('hex').slice(0, 24);
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Signs in at the provider's own login page as `login` (any password will do there), then
 * confirms the consent page if the provider shows one, and waits until the browser has left
 * the provider (back at the relying party's redirect target, after its redirects).
 * Call it when the page is at, or on its way to, the provider's login page. Resolves to
 * `{ consented }`: whether the consent page came (it does for a grant the account has not
 * given this client yet in this provider session).
 */
export async function loginAtProvider(page, login) {
  const form = page.locator(LOGIN_FORM);
  await form.waitFor();
  const provider = new URL(page.url()).origin;
  await form.locator('input[name="login"]').fill(login);
  await form.locator('input[name="password"]').fill('any password will do');
  await form.locator('button[type="submit"]').click();
  return { consented: await passConsent(page, provider) };
}

/**
 * Confirms the consent page if it comes, and waits until the page has left `provider`;
 * true when there was a consent page.
 */
async function passConsent(page, provider) {
  const consent = page.locator(CONSENT_FORM);
  const left = page.waitForURL((url) => url.origin !== provider);
  const next = await Promise.race([
    // Settles as 'gone' when the page leaves or closes first: no unhandled rejection later.
    consent.waitFor().then(() => 'consent', () => 'gone'),
    left.then(() => 'left'),
  ]);
  if (next === 'consent') {
    await consent.locator('button[type="submit"]').click();
  }
  await left;
  return next === 'consent';
}

/**
 * On the provider's end-session page (RP-initiated logout), confirms "Yes, sign me out" and
 * waits until the browser has left the provider (at the post-logout redirect URI).
 */
export async function logoutAtProvider(page) {
  const yes = page.getByRole('button', { name: 'Yes, sign me out' });
  await yes.waitFor();
  const provider = new URL(page.url()).origin;
  await yes.click();
  await page.waitForURL((url) => url.origin !== provider);
}
