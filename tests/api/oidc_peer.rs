//! A test double of an OpenID Connect provider: the network peer Kring's company sign-in talks
//! to, on `127.0.0.1:0`, with discovery, JWKS, an auto-consenting authorization endpoint, a
//! token endpoint (authorization code + PKCE S256, client_secret_basic or client_secret_post),
//! userinfo and an end-session endpoint.
//!
//! Its ID tokens are real RS256 JWTs signed with a committed test-only key
//! (`fixtures/oidc/key-a.pem`, served in the JWKS as `key-a`). [`Mode`] makes the next token
//! responses wrong in the ways a stock provider cannot be made to be: expired, for another
//! audience, with another nonce or issuer, signed by another key, forged, or from a clock that
//! runs ahead. [`Peer::issued`] lists every secret it handed out, so tests can check that
//! none of them ends up in logs or pages.
//!
//! ```ignore
//! let peer = oidc_peer::Peer::start().await;
//! peer.set_user(json!({"sub": "u-1", "email": "ada@example.com", "groups": ["admins"]}));
//! peer.set_mode(oidc_peer::Mode::Expired);
//! ```
use std::{
    collections::HashMap,
    net::TcpListener,
    sync::{Arc, LazyLock, Mutex, MutexGuard},
};

use actix_web::{
    App, HttpRequest, HttpResponse, HttpServer,
    dev::ServerHandle,
    http::{StatusCode, header},
    web,
};
use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use chrono::{Duration, Utc};
use openidconnect::{
    AccessToken, AdditionalClaims, Audience, IdToken, IdTokenClaims, IssuerUrl, JsonWebKeyId,
    Nonce, PrivateSigningKey, StandardClaims, SubjectIdentifier,
    core::{
        CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
        CoreRsaPrivateSigningKey,
    },
};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use url::{Url, form_urlencoded};

pub const CLIENT_ID: &str = "kring-test";
/// Distinctive, so a test can search logs and pages for it.
pub const CLIENT_SECRET: &str = "kring-test-client-secret-5f1c9e";
/// The `kid` of key A, the one key in the JWKS, and the header `kid` of every ID token.
pub const KEY_ID: &str = "key-a";
/// The audience of [`Mode::WrongAudience`] tokens.
pub const WRONG_AUDIENCE: &str = "someone-else";
/// The nonce of [`Mode::WrongNonce`] tokens.
pub const WRONG_NONCE: &str = "not-the-nonce-that-was-sent";
/// The issuer of [`Mode::WrongIssuer`] tokens.
pub const WRONG_ISSUER: &str = "http://evil.example";
/// The `sub` and `email` a [`Mode::Forged`] token claims (with the original signature).
pub const FORGED_SUBJECT: &str = "forged-subject";
pub const FORGED_EMAIL: &str = "forged@example.com";
/// Lifetime of ID and access tokens.
pub const TOKEN_SECONDS: i64 = 300;

/// Claims the peer sets itself (from the authorization and the [`Mode`]); `set_user` refuses them.
const PROTOCOL_CLAIMS: &[&str] = &[
    "iss",
    "aud",
    "exp",
    "iat",
    "nbf",
    "nonce",
    "at_hash",
    "c_hash",
    "azp",
    "auth_time",
    "acr",
    "amr",
];

/// How the next token responses build their ID token. Stays until changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// iss = issuer, aud = [CLIENT_ID], iat = now, exp = now + 300 s, the nonce sent, at_hash,
    /// signed RS256 with key A (kid "key-a").
    Normal,
    /// iat 20 minutes ago, exp 10 minutes ago.
    Expired,
    /// aud = [WRONG_AUDIENCE].
    WrongAudience,
    /// nonce = WRONG_NONCE.
    WrongNonce,
    /// Signed with key B under the header kid "key-a": a bad signature, not an unknown key.
    OtherKey,
    /// A Normal token whose payload says sub = FORGED_SUBJECT, email = FORGED_EMAIL, with the
    /// original header and signature.
    Forged,
    /// iss = WRONG_ISSUER.
    WrongIssuer,
    /// iat and exp this many seconds later than Normal: a provider whose clock runs ahead.
    ClockAhead(i64),
}

/// Everything secret the peer handed out, in order.
#[derive(Clone, Debug, Default)]
pub struct Issued {
    pub codes: Vec<String>,
    pub id_tokens: Vec<String>,
    pub access_tokens: Vec<String>,
}

/// The user of the next authorizations unless a test sets another.
pub fn default_user() -> Value {
    json!({
        "sub": "peer-user-1",
        "email": "ada@example.com",
        "email_verified": true,
        "name": "Ada Lovelace",
        "locale": "en",
        "groups": ["engineering", "kring-admins"],
    })
}

/// The running peer. Dropping it stops the server.
pub struct Peer {
    issuer: String,
    state: Arc<Mutex<State>>,
    server: ServerHandle,
}

impl Peer {
    /// Starts the peer on a free loopback port.
    pub async fn start() -> Peer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        let port = listener.local_addr().expect("its address").port();
        let issuer = format!("http://127.0.0.1:{port}");
        let state = Arc::new(Mutex::new(State {
            issuer: issuer.clone(),
            user: user_claims(default_user()),
            mode: Mode::Normal,
            grants: HashMap::new(),
            sessions: HashMap::new(),
            issued: Issued::default(),
        }));
        let data = web::Data::from(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route(
                    "/.well-known/openid-configuration",
                    web::get().to(discovery),
                )
                .route("/jwks", web::get().to(jwks))
                .route("/authorize", web::get().to(authorize))
                .route("/token", web::post().to(token))
                .route("/userinfo", web::get().to(userinfo))
                .route("/userinfo", web::post().to(userinfo))
                .route("/session/end", web::get().to(end_session))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(0)
        .listen(listener)
        .expect("the peer listens")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Peer {
            issuer,
            state,
            server: handle,
        }
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn issuer(&self) -> String {
        self.issuer.clone()
    }

    /// `issuer` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.issuer)
    }

    /// The claims of the next authorizations, e.g.
    /// `{"sub","email","email_verified","name","locale","groups":[..]}`: only the keys given
    /// are sent, verbatim (odd shapes too, e.g. `"email_verified": "true"`), in the ID token
    /// and from userinfo. `sub` (a string) is required; the protocol claims (iss, aud, exp,
    /// iat, nonce, ...) are the peer's and refused here (see [`Mode`]).
    pub fn set_user(&self, claims: Value) {
        self.lock().user = user_claims(claims);
    }

    /// How the next token responses are built.
    pub fn set_mode(&self, mode: Mode) {
        self.lock().mode = mode;
    }

    pub fn issued(&self) -> Issued {
        self.lock().issued.clone()
    }

    /// Stops the server and waits until it has.
    pub async fn stop(&self) {
        self.server.stop(false).await;
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        // The stop command is sent at once; nobody needs to wait for the server to finish.
        drop(self.server.stop(false));
    }
}

fn user_claims(claims: Value) -> Map<String, Value> {
    let Value::Object(claims) = claims else {
        panic!("the user's claims are a JSON object");
    };
    assert!(
        claims.get("sub").is_some_and(Value::is_string),
        "the user's claims need a string `sub`"
    );
    if let Some(claim) = PROTOCOL_CLAIMS.iter().find(|c| claims.contains_key(**c)) {
        panic!("`{claim}` is set by the peer (see Mode), not by set_user");
    }
    claims
}

struct State {
    issuer: String,
    user: Map<String, Value>,
    mode: Mode,
    /// By authorization code.
    grants: HashMap<String, Grant>,
    /// The user claims by access token.
    sessions: HashMap<String, Map<String, Value>>,
    issued: Issued,
}

struct Grant {
    nonce: Option<String>,
    challenge: String,
    redirect_uri: String,
    scope: String,
    claims: Map<String, Value>,
    /// The access token it was exchanged for: a code works once.
    redeemed: Option<String>,
}

/// Keys A and B; B signs [`Mode::OtherKey`] tokens under A's kid.
struct Keys {
    a: CoreRsaPrivateSigningKey,
    b_as_a: CoreRsaPrivateSigningKey,
}

static KEYS: LazyLock<Keys> = LazyLock::new(|| {
    let key = |pem| {
        CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new(KEY_ID.into())))
            .expect("a PKCS#1 RSA key")
    };
    Keys {
        a: key(include_str!("fixtures/oidc/key-a.pem")),
        b_as_a: key(include_str!("fixtures/oidc/key-b.pem")),
    }
});

/// The user's claims other than `sub`, as given.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct UserClaims {
    #[serde(flatten)]
    claims: Map<String, Value>,
}
impl AdditionalClaims for UserClaims {}

type PeerIdToken = IdToken<
    UserClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

type Shared = web::Data<Mutex<State>>;

fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

async fn discovery(state: Shared) -> HttpResponse {
    let issuer = lock(&state).issuer.clone();
    HttpResponse::Ok().json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "userinfo_endpoint": format!("{issuer}/userinfo"),
        "end_session_endpoint": format!("{issuer}/session/end"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile", "groups"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": [
            "iss", "sub", "aud", "exp", "iat", "nonce", "at_hash",
            "email", "email_verified", "name", "locale", "groups",
        ],
    }))
}

async fn jwks() -> HttpResponse {
    let mut key = serde_json::to_value(KEYS.a.as_verification_key()).expect("a JWK");
    key["alg"] = "RS256".into();
    HttpResponse::Ok().json(json!({ "keys": [key] }))
}

/// No login page: the current user consents at once.
async fn authorize(state: Shared, query: web::Query<HashMap<String, String>>) -> HttpResponse {
    let param = |name: &str| query.get(name).map(String::as_str);
    let refuse = |why: &str| HttpResponse::BadRequest().body(why.to_owned());
    if param("client_id") != Some(CLIENT_ID) {
        return refuse("unknown client_id");
    }
    let redirect_uri = param("redirect_uri").unwrap_or_default();
    let Ok(mut location) = Url::parse(redirect_uri) else {
        return refuse("redirect_uri missing or not a URL");
    };
    if param("response_type") != Some("code") {
        return refuse("response_type must be code");
    }
    let scope = param("scope").unwrap_or_default();
    if !scope.split(' ').any(|s| s == "openid") {
        return refuse("scope must include openid");
    }
    if param("code_challenge_method") != Some("S256") {
        return refuse("code_challenge_method must be S256");
    }
    let Some(challenge) = param("code_challenge").filter(|c| !c.is_empty()) else {
        return refuse("code_challenge missing");
    };
    let code = random_secret();
    {
        let mut st = lock(&state);
        let grant = Grant {
            nonce: param("nonce").map(str::to_owned),
            challenge: challenge.to_owned(),
            // As sent: the token request must repeat it exactly.
            redirect_uri: redirect_uri.to_owned(),
            scope: scope.to_owned(),
            claims: st.user.clone(),
            redeemed: None,
        };
        st.grants.insert(code.clone(), grant);
        st.issued.codes.push(code.clone());
    }
    {
        let mut pairs = location.query_pairs_mut();
        pairs.append_pair("code", &code);
        if let Some(s) = param("state") {
            pairs.append_pair("state", s);
        }
    }
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.as_str()))
        .finish()
}

async fn token(state: Shared, request: HttpRequest, body: web::Bytes) -> HttpResponse {
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    if let Some(refusal) = client_refusal(&request, &form) {
        return refusal;
    }
    if form.get("grant_type").map(String::as_str) != Some("authorization_code") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only authorization_code",
        );
    }
    let invalid_grant = |why| oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", why);
    let code = form.get("code").map(String::as_str).unwrap_or_default();

    let mut st = lock(&state);
    let st = &mut *st;
    let Some(grant) = st.grants.get_mut(code) else {
        return invalid_grant("unknown code");
    };
    if let Some(access_token) = &grant.redeemed {
        // A replayed code also revokes what it was exchanged for (RFC 6749 4.1.2).
        st.sessions.remove(access_token);
        return invalid_grant("code already used");
    }
    if form.get("redirect_uri") != Some(&grant.redirect_uri) {
        return invalid_grant("redirect_uri differs from the authorization request");
    }
    let verifier = form.get("code_verifier").map(String::as_str);
    let Some(verifier) = verifier.filter(|v| !v.is_empty()) else {
        return invalid_grant("code_verifier missing");
    };
    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != grant.challenge {
        return invalid_grant("code_verifier does not match the code_challenge");
    }

    let access_token = random_secret();
    grant.redeemed = Some(access_token.clone());
    let id_token = id_token(
        &st.issuer,
        st.mode,
        &grant.claims,
        grant.nonce.as_deref(),
        &access_token,
    );
    let scope = grant.scope.clone();
    st.sessions
        .insert(access_token.clone(), grant.claims.clone());
    st.issued.access_tokens.push(access_token.clone());
    st.issued.id_tokens.push(id_token.clone());
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "id_token": id_token,
            "scope": scope,
        }))
}

/// Checks the client's credentials: client_secret_basic (id and secret form-urlencoded, then
/// base64: RFC 6749 2.3.1) or client_secret_post, not both at once. Returns the refusal, if any.
fn client_refusal(request: &HttpRequest, form: &HashMap<String, String>) -> Option<HttpResponse> {
    let basic = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
        .map(|(_, credentials)| credentials.trim());
    let credentials = match (basic, form.get("client_secret")) {
        (Some(_), Some(_)) => {
            return Some(oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "more than one client authentication method",
            ));
        }
        (Some(credentials), None) => decode_basic(credentials),
        (None, Some(secret)) => Some((
            form.get("client_id").cloned().unwrap_or_default(),
            secret.clone(),
        )),
        (None, None) => None,
    };
    let authenticated = credentials.is_some_and(|(id, secret)| {
        let form_id_agrees = form.get("client_id").is_none_or(|form_id| *form_id == id);
        id == CLIENT_ID && secret == CLIENT_SECRET && form_id_agrees
    });
    if authenticated {
        return None;
    }
    let mut refusal = oauth_error(
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "client authentication failed",
    );
    refusal.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Basic realm=\"oidc-peer\""),
    );
    Some(refusal)
}

fn decode_basic(credentials: &str) -> Option<(String, String)> {
    let decoded = String::from_utf8(STANDARD.decode(credentials).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let form_decode = |s: &str| {
        form_urlencoded::parse(format!("v={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Some((form_decode(id), form_decode(secret)))
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({ "error": error, "error_description": description }))
}

/// The ID token of a token response, per `mode`.
fn id_token(
    issuer: &str,
    mode: Mode,
    user: &Map<String, Value>,
    nonce: Option<&str>,
    access_token: &str,
) -> String {
    let now = Utc::now();
    let lifetime = Duration::seconds(TOKEN_SECONDS);
    let (issued_at, expires) = match mode {
        Mode::Expired => (now - Duration::minutes(20), now - Duration::minutes(10)),
        Mode::ClockAhead(seconds) => {
            let then = now + Duration::seconds(seconds);
            (then, then + lifetime)
        }
        _ => (now, now + lifetime),
    };
    let issuer = if mode == Mode::WrongIssuer {
        WRONG_ISSUER
    } else {
        issuer
    };
    let audience = if mode == Mode::WrongAudience {
        WRONG_AUDIENCE
    } else {
        CLIENT_ID
    };
    let nonce = if mode == Mode::WrongNonce {
        Some(WRONG_NONCE)
    } else {
        nonce
    };
    let mut claims = user.clone();
    let subject = match claims.remove("sub") {
        Some(Value::String(sub)) => sub,
        _ => unreachable!("set_user requires a string sub"),
    };
    let claims = IdTokenClaims::new(
        IssuerUrl::new(issuer.to_owned()).expect("an issuer URL"),
        vec![Audience::new(audience.to_owned())],
        expires,
        issued_at,
        StandardClaims::new(SubjectIdentifier::new(subject)),
        UserClaims { claims },
    )
    .set_nonce(nonce.map(|n| Nonce::new(n.to_owned())));
    let key = if mode == Mode::OtherKey {
        &KEYS.b_as_a
    } else {
        &KEYS.a
    };
    let token = PeerIdToken::new(
        claims,
        key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        Some(&AccessToken::new(access_token.to_owned())),
        None,
    )
    .expect("the ID token is signed")
    .to_string();
    if mode == Mode::Forged {
        forge(&token)
    } else {
        token
    }
}

/// The token with its payload re-encoded to claim another subject and e-mail address; header
/// and signature stay.
fn forge(token: &str) -> String {
    let [header, payload, signature] = token.split('.').collect::<Vec<_>>()[..] else {
        unreachable!("a JWS in compact form");
    };
    let mut claims: Map<String, Value> =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url"))
            .expect("a JSON payload");
    claims.insert("sub".into(), FORGED_SUBJECT.into());
    claims.insert("email".into(), FORGED_EMAIL.into());
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("JSON"));
    format!("{header}.{payload}.{signature}")
}

async fn userinfo(state: Shared, request: HttpRequest) -> HttpResponse {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let claims = token.and_then(|t| lock(&state).sessions.get(t).cloned());
    match claims {
        Some(claims) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(claims),
        None => HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""))
            .finish(),
    }
}

async fn end_session() -> HttpResponse {
    HttpResponse::Ok().body("logged out")
}

/// 32 random bytes, base64url.
fn random_secret() -> String {
    URL_SAFE_NO_PAD.encode(rand::rng().random::<[u8; 32]>())
}

/// The peer against the real openidconnect client, as Kring's sign-in will use it.
mod self_test {
    use std::{borrow::Cow, collections::HashMap};

    use chrono::{Duration, Utc};
    use openidconnect::{
        AccessTokenHash, AdditionalClaims, Audience, AuthType, AuthenticationFlow,
        AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
        EndpointMaybeSet, EndpointNotSet, EndpointSet, HttpClientError, IdToken, IdTokenClaims,
        IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
        RequestTokenError, Scope, SignatureVerificationError, StandardErrorResponse, TokenResponse,
        UserInfoClaims,
        core::{
            CoreClient, CoreErrorResponseType, CoreGenderClaim, CoreJweContentEncryptionAlgorithm,
            CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreResponseType, CoreTokenResponse,
        },
    };
    use reqwest::{StatusCode, header, redirect::Policy};
    use serde::{Deserialize, Serialize};
    use serde_json::{Value, json};
    use url::Url;

    use super::{
        CLIENT_ID, CLIENT_SECRET, FORGED_EMAIL, FORGED_SUBJECT, Mode, Peer, TOKEN_SECONDS,
    };

    /// Never contacted: the test reads the redirect's Location.
    const REDIRECT: &str = "http://127.0.0.1:9/auth/oidc/callback";

    #[derive(Debug, Deserialize, Serialize)]
    struct GroupsClaims {
        #[serde(default)]
        groups: Vec<String>,
    }
    impl AdditionalClaims for GroupsClaims {}

    type GroupsIdToken = IdToken<
        GroupsClaims,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >;
    type Client = CoreClient<
        EndpointSet,
        EndpointNotSet,
        EndpointNotSet,
        EndpointNotSet,
        EndpointMaybeSet,
        EndpointMaybeSet,
    >;
    type TokenResult = Result<
        CoreTokenResponse,
        RequestTokenError<
            HttpClientError<reqwest::Error>,
            StandardErrorResponse<CoreErrorResponseType>,
        >,
    >;

    fn http() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .unwrap()
    }

    async fn discover(peer: &Peer, http: &reqwest::Client, secret: &str) -> Client {
        let issuer = IssuerUrl::new(peer.issuer()).unwrap();
        let metadata = CoreProviderMetadata::discover_async(issuer, http)
            .await
            .expect("discovery");
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(CLIENT_ID.into()),
            Some(ClientSecret::new(secret.into())),
        )
        .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).unwrap())
    }

    struct Authorized {
        code: AuthorizationCode,
        verifier: String,
        nonce: Nonce,
    }

    /// The browser's part: the authorization request, answered by a redirect to Kring.
    async fn authorize(client: &Client, http: &reqwest::Client) -> Authorized {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .add_scope(Scope::new("groups".into()))
            .set_pkce_challenge(challenge)
            .url();
        let response = http.get(url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()[header::LOCATION].to_str().unwrap();
        let location = Url::parse(location).unwrap();
        assert_eq!(&location[..url::Position::AfterPath], REDIRECT);
        let query: HashMap<_, _> = location.query_pairs().into_owned().collect();
        assert_eq!(&query["state"], state.secret());
        Authorized {
            code: AuthorizationCode::new(query["code"].clone()),
            verifier: verifier.secret().clone(),
            nonce,
        }
    }

    async fn exchange(client: &Client, http: &reqwest::Client, auth: &Authorized) -> TokenResult {
        client
            .exchange_code(auth.code.clone())
            .expect("a token endpoint")
            .set_pkce_verifier(PkceCodeVerifier::new(auth.verifier.clone()))
            .request_async(http)
            .await
    }

    fn verify(
        client: &Client,
        response: &CoreTokenResponse,
        nonce: &Nonce,
    ) -> Result<IdTokenClaims<GroupsClaims, CoreGenderClaim>, ClaimsVerificationError> {
        let raw = response.id_token().expect("an ID token").to_string();
        let token: GroupsIdToken = raw.parse().expect("a JWT");
        token.into_claims(&client.id_token_verifier(), nonce)
    }

    fn error_of(result: TokenResult) -> CoreErrorResponseType {
        match result {
            Err(RequestTokenError::ServerResponse(e)) => e.error().clone(),
            other => panic!("expected an OAuth error response, got {other:?}"),
        }
    }

    fn payload(id_token: &str) -> Value {
        use base64::Engine;
        let part = id_token.split('.').nth(1).unwrap();
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn the_openidconnect_client_signs_in_and_verifies_the_id_token() {
        let peer = Peer::start().await;
        let http = http();
        let client = discover(&peer, &http, CLIENT_SECRET).await;
        let auth = authorize(&client, &http).await;
        let response = exchange(&client, &http, &auth).await.expect("tokens");
        let claims = verify(&client, &response, &auth.nonce).expect("a valid ID token");

        assert_eq!(claims.issuer().as_str(), peer.issuer());
        assert_eq!(claims.audiences(), &[Audience::new(CLIENT_ID.into())]);
        assert_eq!(claims.subject().as_str(), "peer-user-1");
        assert_eq!(claims.email().unwrap().as_str(), "ada@example.com");
        assert_eq!(claims.email_verified(), Some(true));
        let name = claims.name().and_then(|n| n.get(None));
        assert_eq!(name.unwrap().as_str(), "Ada Lovelace");
        assert_eq!(claims.locale().unwrap().as_str(), "en");
        assert_eq!(
            claims.additional_claims().groups,
            ["engineering", "kring-admins"]
        );
        assert_eq!(
            claims.expiration() - claims.issue_time(),
            Duration::seconds(TOKEN_SECONDS)
        );

        // at_hash binds the access token to the ID token.
        let id_token = response.id_token().unwrap();
        let verifier = client.id_token_verifier();
        let at_hash = AccessTokenHash::from_token(
            response.access_token(),
            id_token.signing_alg().unwrap(),
            id_token.signing_key(&verifier).unwrap(),
        )
        .unwrap();
        assert_eq!(claims.access_token_hash(), Some(&at_hash));
        assert_eq!(
            response.expires_in(),
            Some(std::time::Duration::from_secs(300))
        );
        let scopes: Vec<_> = response.scopes().unwrap().iter().map(|s| &**s).collect();
        assert_eq!(scopes, ["openid", "email", "profile", "groups"]);

        let info: UserInfoClaims<GroupsClaims, CoreGenderClaim> = client
            .user_info(
                response.access_token().clone(),
                Some(claims.subject().clone()),
            )
            .unwrap()
            .request_async(&http)
            .await
            .expect("userinfo");
        assert_eq!(info.email().unwrap().as_str(), "ada@example.com");
        assert_eq!(
            info.additional_claims().groups,
            ["engineering", "kring-admins"]
        );

        let issued = peer.issued();
        assert_eq!(issued.codes, [auth.code.secret().clone()]);
        assert_eq!(
            issued.access_tokens,
            [response.access_token().secret().clone()]
        );
        assert_eq!(issued.id_tokens, [id_token.to_string()]);
    }

    #[tokio::test]
    async fn only_the_claims_given_are_sent() {
        let peer = Peer::start().await;
        peer.set_user(json!({"sub": "u-2", "email": "bob@example.com"}));
        let http = http();
        let client = discover(&peer, &http, CLIENT_SECRET).await;
        let auth = authorize(&client, &http).await;
        let response = exchange(&client, &http, &auth).await.expect("tokens");
        let claims = verify(&client, &response, &auth.nonce).expect("a valid ID token");
        assert_eq!(claims.subject().as_str(), "u-2");
        assert_eq!(claims.email().unwrap().as_str(), "bob@example.com");

        let payload = payload(&response.id_token().unwrap().to_string());
        for absent in ["email_verified", "name", "locale", "groups"] {
            assert!(payload.get(absent).is_none(), "{absent} in {payload}");
        }
        let info: Value = http
            .get(peer.url("/userinfo"))
            .bearer_auth(response.access_token().secret())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(info, json!({"sub": "u-2", "email": "bob@example.com"}));
    }

    #[tokio::test]
    async fn a_code_works_once_and_its_replay_revokes_the_access_token() {
        let peer = Peer::start().await;
        let http = http();
        let client = discover(&peer, &http, CLIENT_SECRET).await;
        let auth = authorize(&client, &http).await;
        let first = exchange(&client, &http, &auth).await.expect("tokens");
        let again = exchange(&client, &http, &auth).await;
        assert_eq!(error_of(again), CoreErrorResponseType::InvalidGrant);

        let userinfo = http
            .get(peer.url("/userinfo"))
            .bearer_auth(first.access_token().secret())
            .send()
            .await
            .unwrap();
        assert_eq!(userinfo.status(), StatusCode::UNAUTHORIZED);
    }

    #[tokio::test]
    async fn the_bad_modes_make_tokens_that_fail_verification() {
        use ClaimsVerificationError as E;
        let peer = Peer::start().await;
        let http = http();
        let client = discover(&peer, &http, CLIENT_SECRET).await;
        for mode in [
            Mode::Expired,
            Mode::WrongAudience,
            Mode::WrongNonce,
            Mode::OtherKey,
            Mode::Forged,
            Mode::WrongIssuer,
        ] {
            peer.set_mode(mode);
            let auth = authorize(&client, &http).await;
            let response = exchange(&client, &http, &auth).await.expect("tokens");
            let error = verify(&client, &response, &auth.nonce).expect_err("refused");
            let bad_signature = matches!(
                error,
                E::SignatureVerification(SignatureVerificationError::CryptoError(_))
            );
            let expected = match mode {
                Mode::Expired => matches!(error, E::Expired(_)),
                Mode::WrongAudience => matches!(error, E::InvalidAudience(_)),
                Mode::WrongNonce => matches!(error, E::InvalidNonce(_)),
                Mode::WrongIssuer => matches!(error, E::InvalidIssuer(_)),
                Mode::OtherKey | Mode::Forged => bad_signature,
                _ => unreachable!(),
            };
            assert!(expected, "{mode:?}: {error:?}");
            if mode == Mode::Forged {
                let payload = payload(&response.id_token().unwrap().to_string());
                assert_eq!(payload["sub"], FORGED_SUBJECT);
                assert_eq!(payload["email"], FORGED_EMAIL);
            }
        }
    }

    /// openidconnect accepts an `iat` in the future unless its verifier is told otherwise.
    #[tokio::test]
    async fn a_clock_ahead_shifts_iat_and_exp() {
        let peer = Peer::start().await;
        peer.set_mode(Mode::ClockAhead(600));
        let http = http();
        let client = discover(&peer, &http, CLIENT_SECRET).await;
        let auth = authorize(&client, &http).await;
        let response = exchange(&client, &http, &auth).await.expect("tokens");
        let claims = verify(&client, &response, &auth.nonce).expect("accepted by default");
        let ahead = claims.issue_time() - Utc::now();
        assert!(ahead > Duration::seconds(590) && ahead <= Duration::seconds(600));
        assert_eq!(
            claims.expiration() - claims.issue_time(),
            Duration::seconds(TOKEN_SECONDS)
        );
    }

    #[tokio::test]
    async fn the_token_endpoint_checks_client_pkce_and_redirect_uri() {
        let peer = Peer::start().await;
        let http = http();
        let impostor = discover(&peer, &http, "not-the-secret").await;
        let auth = authorize(&impostor, &http).await;
        let refused = exchange(&impostor, &http, &auth).await;
        assert_eq!(error_of(refused), CoreErrorResponseType::InvalidClient);

        // client_secret_post works as well as the default client_secret_basic.
        let client = discover(&peer, &http, CLIENT_SECRET)
            .await
            .set_auth_type(AuthType::RequestBody);
        let wrong_verifier = client
            .exchange_code(auth.code.clone())
            .unwrap()
            .set_pkce_verifier(PkceCodeVerifier::new("x".repeat(43)))
            .request_async(&http)
            .await;
        assert_eq!(
            error_of(wrong_verifier),
            CoreErrorResponseType::InvalidGrant
        );
        let elsewhere = RedirectUrl::new("http://127.0.0.1:9/elsewhere".into()).unwrap();
        let wrong_redirect = client
            .exchange_code(auth.code.clone())
            .unwrap()
            .set_pkce_verifier(PkceCodeVerifier::new(auth.verifier.clone()))
            .set_redirect_uri(Cow::Owned(elsewhere))
            .request_async(&http)
            .await;
        assert_eq!(
            error_of(wrong_redirect),
            CoreErrorResponseType::InvalidGrant
        );
        let response = exchange(&client, &http, &auth).await.expect("tokens");
        verify(&client, &response, &auth.nonce).expect("a valid ID token");
    }

    #[tokio::test]
    async fn raw_http_answers() {
        let peer = Peer::start().await;
        let http = http();
        let client = discover(&peer, &http, CLIENT_SECRET).await;

        let auth = authorize(&client, &http).await;
        let response = http
            .post(peer.url("/token"))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", auth.code.secret()),
                ("redirect_uri", REDIRECT),
                ("code_verifier", &auth.verifier),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 300);

        let jwks: Value = http
            .get(peer.url("/jwks"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let keys = jwks["keys"].as_array().unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(
            (&keys[0]["kid"], &keys[0]["use"], &keys[0]["alg"]),
            (&json!("key-a"), &json!("sig"), &json!("RS256"))
        );

        let mut no_challenge = Url::parse(&peer.url("/authorize")).unwrap();
        no_challenge
            .query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", CLIENT_ID)
            .append_pair("redirect_uri", REDIRECT)
            .append_pair("scope", "openid");
        let refused = http.get(no_challenge.as_str()).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);

        let anonymous = http.get(peer.url("/userinfo")).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

        let logout = http.get(peer.url("/session/end")).send().await.unwrap();
        assert_eq!(logout.status(), StatusCode::OK);
        assert_eq!(logout.text().await.unwrap(), "logged out");

        peer.stop().await;
        // A new client: the old one's pooled keep-alive connection may outlive the listener.
        let fresh = reqwest::Client::new();
        assert!(fresh.get(peer.url("/jwks")).send().await.is_err());
    }
}
