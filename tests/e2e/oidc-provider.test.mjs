// The OpenID Provider fixture on its own: a throw-away relying party (a local HTTP server as the
// redirect target) runs the authorization code flow with PKCE through the provider's real login
// and consent pages in Chromium, exchanges the code with the client secret and checks the ID
// token and userinfo; then signs out at the provider and back in with changed claims.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { launchBrowser, newPage } from './support.mjs';
import { startProvider, loginAtProvider, logoutAtProvider } from './oidc-provider.mjs';

let rp;
let rpUrl;
let op;
let browser;
let discovery;

before(async () => {
  rp = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!DOCTYPE html><html lang="en"><title>RP</title><h1>Relying party</h1></html>');
  });
  await new Promise((ok) => rp.listen(0, '127.0.0.1', ok));
  rpUrl = `http://127.0.0.1:${rp.address().port}`;
  op = await startProvider({ redirectUri: `${rpUrl}/cb`, postLogoutRedirectUri: `${rpUrl}/bye` });
  browser = await launchBrowser();
  discovery = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
});

after(async () => {
  await browser?.close();
  await op?.stop();
  rp?.closeAllConnections();
  await new Promise((ok) => (rp ? rp.close(ok) : ok()));
});

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function authorizationRequest() {
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const verifier = b64url(randomBytes(32));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: op.clientId,
    redirect_uri: `${rpUrl}/cb`,
    scope: 'openid email profile groups',
    state,
    nonce,
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  });
  return { url: url.href, state, nonce, verifier };
}

async function exchange(code, verifier) {
  const basic = Buffer.from(
    `${encodeURIComponent(op.clientId)}:${encodeURIComponent(op.clientSecret)}`,
  ).toString('base64');
  return fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${rpUrl}/cb`,
      code_verifier: verifier,
    }),
  });
}

/** The payload of an RS256 ID token, after checking its signature against the provider's JWKS. */
async function verifiedPayload(idToken) {
  const [header, payload, signature] = idToken.split('.');
  const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url'));
  assert.equal(alg, 'RS256');
  const { keys } = await (await fetch(discovery.jwks_uri)).json();
  const jwk = keys.find((k) => k.kid === kid);
  assert.ok(jwk, `no key ${kid} in the JWKS`);
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(signature, 'base64url'),
  );
  assert.ok(ok, 'ID token signature');
  return JSON.parse(Buffer.from(payload, 'base64url'));
}

/** Runs one login in `page` as `login`; returns the ID token's payload and userinfo. */
async function signIn(page, login) {
  const request = authorizationRequest();
  await page.goto(request.url);
  const { consented } = await loginAtProvider(page, login);
  const back = new URL(page.url());
  assert.equal(back.origin + back.pathname, `${rpUrl}/cb`);
  assert.equal(back.searchParams.get('state'), request.state);
  const code = back.searchParams.get('code');
  assert.ok(code, `no code in ${back.href}`);

  const response = await exchange(code, request.verifier);
  assert.equal(response.status, 200, await response.clone().text());
  const tokens = await response.json();
  assert.equal(tokens.token_type, 'Bearer');
  const claims = await verifiedPayload(tokens.id_token);
  assert.equal(claims.iss, op.issuer);
  assert.equal(claims.aud, op.clientId);
  assert.equal(claims.nonce, request.nonce);
  assert.equal(claims.sub, op.subFor(login));

  const userinfo = await (
    await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } })
  ).json();
  assert.equal(userinfo.sub, claims.sub, JSON.stringify(userinfo));

  // A code is good for one exchange only; a replay also revokes what the code gave.
  const again = await exchange(code, request.verifier);
  assert.equal(again.status, 400);
  assert.equal((await again.json()).error, 'invalid_grant');
  return { claims, userinfo, tokens, code, consented };
}

test('discovery lists what Kring relies on', () => {
  assert.equal(discovery.issuer, op.issuer);
  assert.match(op.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
  for (const scope of ['openid', 'email', 'profile', 'groups']) {
    assert.ok(discovery.scopes_supported.includes(scope), `scope ${scope}`);
  }
  for (const claim of ['sub', 'email', 'email_verified', 'name', 'locale', 'groups']) {
    assert.ok(discovery.claims_supported.includes(claim), `claim ${claim}`);
  }
  assert.ok(discovery.token_endpoint_auth_methods_supported.includes('client_secret_basic'));
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  assert.ok(discovery.id_token_signing_alg_values_supported.includes('RS256'));
  assert.equal(discovery.end_session_endpoint, `${op.issuer}/session/end`);
});

test('code flow with PKCE through the login and consent pages; groups in ID token and userinfo', async () => {
  op.setAccount('jdevries', {
    email: 'jan.devries@example.com',
    email_verified: true,
    name: 'Jan de Vries',
    locale: 'nl-NL',
    groups: ['eng'],
  });
  const page = await newPage(browser, { locale: 'en-GB' });
  const external = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:')) external.push(r.url());
  });

  // The provider's pages are really shown: login, then consent.
  const seen = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && frame.url().startsWith(`${op.issuer}/interaction/`)) {
      seen.push(frame.url());
    }
  });
  const first = await signIn(page, 'jdevries');
  assert.ok(first.consented, 'the consent page came');
  assert.ok(seen.length >= 2, `went through the provider's login and consent pages: ${seen}`);
  assert.equal(first.claims.name, 'Jan de Vries');
  assert.equal(first.claims.email, 'jan.devries@example.com');
  assert.equal(first.claims.email_verified, true);
  assert.deepEqual(first.claims.groups, ['eng']);
  assert.deepEqual(first.userinfo.groups, ['eng']);
  assert.equal(first.userinfo.name, 'Jan de Vries');
  assert.equal(first.userinfo.locale, 'nl-NL');

  // What a relying party's log must never show is known to the fixture.
  const secrets = op.observedSecrets();
  for (const value of [op.clientSecret, first.code, first.tokens.access_token, first.tokens.id_token]) {
    assert.ok(secrets.includes(value), 'observed');
  }

  // RP-initiated logout ends the provider session: the next login shows the login page again,
  // and the changed account comes through under the same sub.
  const logout = new URL(discovery.end_session_endpoint);
  logout.search = new URLSearchParams({
    id_token_hint: first.tokens.id_token,
    post_logout_redirect_uri: `${rpUrl}/bye`,
    state: 'after-logout',
  });
  await page.goto(logout.href);
  await logoutAtProvider(page);
  const bye = new URL(page.url());
  assert.equal(bye.origin + bye.pathname, `${rpUrl}/bye`);
  assert.equal(bye.searchParams.get('state'), 'after-logout');

  op.setAccount('jdevries', {
    email: 'jan.devries@example.com',
    email_verified: true,
    name: 'Jan de Vries-Bakker',
    groups: ['sales', 'ambassadors'],
  });
  const second = await signIn(page, 'jdevries');
  assert.equal(second.claims.sub, first.claims.sub);
  assert.equal(second.claims.name, 'Jan de Vries-Bakker');
  assert.deepEqual(second.claims.groups, ['sales', 'ambassadors']);
  assert.deepEqual(second.userinfo.groups, ['sales', 'ambassadors']);

  assert.deepEqual(external, [], 'the provider pages load nothing from outside');
  assert.deepEqual(page.problems, []);
  assert.deepEqual(op.errors, []);
  await page.context().close();
});

test('PKCE is required and checked; the secret is checked', async () => {
  const page = await newPage(browser);
  // No code_challenge: the provider refuses the request outright.
  const bare = new URL(authorizationRequest().url);
  bare.searchParams.delete('code_challenge');
  bare.searchParams.delete('code_challenge_method');
  await page.goto(bare.href);
  const refused = new URL(page.url());
  assert.equal(refused.searchParams.get('error'), 'invalid_request');
  assert.match(refused.searchParams.get('error_description'), /PKCE/);

  // A wrong verifier or a wrong secret fails the exchange.
  const request = authorizationRequest();
  await page.goto(request.url);
  await loginAtProvider(page, 'jdevries');
  const code = new URL(page.url()).searchParams.get('code');
  const wrong = await exchange(code, b64url(randomBytes(32)));
  assert.equal(wrong.status, 400);
  assert.equal((await wrong.json()).error, 'invalid_grant');

  // (A new browser: this one is signed in at the provider now and would skip its login page.)
  await page.context().close();
  const page2 = await newPage(browser);
  const request2 = authorizationRequest();
  await page2.goto(request2.url);
  await loginAtProvider(page2, 'jdevries');
  const code2 = new URL(page2.url()).searchParams.get('code');
  const badSecret = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${op.clientId}:not-the-secret`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: `${rpUrl}/cb`,
      code_verifier: request2.verifier,
    }),
  });
  assert.equal(badSecret.status, 401);
  assert.equal((await badSecret.json()).error, 'invalid_client');
  await page2.context().close();
});
