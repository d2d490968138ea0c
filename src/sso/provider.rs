//! The OpenID Connect conversation with the company's identity provider: discovery, the
//! authorization request (code flow with PKCE, `state` and `nonce`), the code exchange, the ID
//! token's signature and claims, and the userinfo endpoint. Built on the `openidconnect` crate.
//!
//! Nothing secret is ever logged: not the client secret, the code, the ID token nor the
//! access token. Errors are reduced to a [`Failure`] (a kind and a short, secret-free reason).
use std::{
    collections::HashMap,
    sync::{LazyLock, Mutex},
    time::{Duration, Instant},
};

use chrono::Utc;
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AdditionalProviderMetadata, AuthenticationFlow,
    AuthorizationCode, ClaimsVerificationError, Client, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IdTokenFields, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    ProviderMetadata, RedirectUrl, RequestTokenError, Scope, StandardErrorResponse,
    StandardTokenResponse, SubjectIdentifier, TokenResponse, UserInfoClaims,
    core::{
        CoreAuthDisplay, CoreAuthPrompt, CoreClaimName, CoreClaimType, CoreClientAuthMethod,
        CoreErrorResponseType, CoreGenderClaim, CoreGrantType, CoreJsonWebKey,
        CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm,
        CoreResponseMode, CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
        CoreSubjectIdentifierType, CoreTokenIntrospectionResponse, CoreTokenType,
    },
    reqwest,
};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::auth::policy::CompanySignIn;

/// How far the provider's clock may be from ours.
pub const CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(60);
/// How long a started sign-in may take at the provider.
pub const PENDING_FOR: chrono::Duration = chrono::Duration::minutes(15);
/// How long a discovery document (with its signing keys) is reused.
const DISCOVERY_TTL: Duration = Duration::from_secs(300);

/// Every claim of the ID token and userinfo response, so a configurable claim (the groups)
/// can be read by name.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AnyClaims {
    #[serde(flatten)]
    pub claims: HashMap<String, serde_json::Value>,
}
impl AdditionalClaims for AnyClaims {}

/// RP-initiated logout: the provider's end-session endpoint, when it has one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LogoutMetadata {
    pub end_session_endpoint: Option<EndSessionUrl>,
}
impl AdditionalProviderMetadata for LogoutMetadata {}

pub type Metadata = ProviderMetadata<
    LogoutMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

type Tokens = StandardTokenResponse<
    IdTokenFields<
        AnyClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type OidcClient = Client<
    AnyClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why a sign-in failed: what the person is told (by kind) and a secret-free reason for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// No provider configured.
    NotConfigured,
    /// Discovery or another request to the provider failed.
    Unreachable,
    /// The `state` does not belong to a sign-in this browser started (or it expired).
    State,
    /// The provider answered the authorization request with an error (e.g. access denied).
    Denied,
    /// The code exchange failed (a used or unknown code, a wrong client secret).
    Exchange,
    /// The ID token failed verification (signature, issuer, audience, expiry, nonce).
    Token,
    /// The provider sent no usable email address.
    NoEmail,
    /// A local account has the address, and the provider does not say it verified it.
    Unverified,
    /// The account is deactivated.
    Deactivated,
}

impl FailureKind {
    /// The message key of the error page.
    pub fn message_key(self) -> &'static str {
        match self {
            FailureKind::NotConfigured => "sso-error-not-configured",
            FailureKind::Unreachable => "sso-error-unreachable",
            FailureKind::State => "sso-error-state",
            FailureKind::Denied => "sso-error-denied",
            FailureKind::Exchange => "sso-error-exchange",
            FailureKind::Token => "sso-error-token",
            FailureKind::NoEmail => "sso-error-no-email",
            FailureKind::Unverified => "sso-error-unverified",
            FailureKind::Deactivated => "sso-error-deactivated",
        }
    }

    /// A stable name for logs and tests.
    pub fn code(self) -> &'static str {
        match self {
            FailureKind::NotConfigured => "not_configured",
            FailureKind::Unreachable => "unreachable",
            FailureKind::State => "state",
            FailureKind::Denied => "denied",
            FailureKind::Exchange => "exchange",
            FailureKind::Token => "token",
            FailureKind::NoEmail => "no_email",
            FailureKind::Unverified => "unverified",
            FailureKind::Deactivated => "deactivated",
        }
    }
}

pub fn fail(kind: FailureKind, reason: impl Into<String>) -> Failure {
    Failure {
        kind,
        reason: reason.into(),
    }
}

/// The error and its causes on one line (they name endpoints and reasons, never secrets).
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// One client for every provider request: no redirects (a redirect is a way to reach places
/// the admin did not name), short timeouts.
fn http() -> &'static reqwest::Client {
    static CLIENT: LazyLock<reqwest::Client> = LazyLock::new(|| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .build()
            .expect("an HTTP client")
    });
    &CLIENT
}

static DISCOVERED: LazyLock<Mutex<HashMap<String, (Instant, Metadata)>>> =
    LazyLock::new(Mutex::default);

/// The provider's discovery document and signing keys; reused for a few minutes unless
/// `fresh` asks for a new look (a key the cached set does not have, or an admin's check).
pub async fn discover(issuer: &Url, fresh: bool) -> Result<Metadata, Failure> {
    let key = issuer.as_str().to_owned();
    if !fresh
        && let Some((at, metadata)) = DISCOVERED.lock().expect("discovery cache").get(&key)
        && at.elapsed() < DISCOVERY_TTL
    {
        return Ok(metadata.clone());
    }
    let issuer_url = IssuerUrl::new(issuer.as_str().trim_end_matches('/').to_owned())
        .map_err(|e| fail(FailureKind::Unreachable, format!("issuer URL: {e}")))?;
    let metadata = Metadata::discover_async(issuer_url, http())
        .await
        .map_err(|e| {
            fail(
                FailureKind::Unreachable,
                format!("discovery: {}", chain(&e)),
            )
        })?;
    DISCOVERED
        .lock()
        .expect("discovery cache")
        .insert(key, (Instant::now(), metadata.clone()));
    Ok(metadata)
}

fn client(config: &CompanySignIn, metadata: Metadata, redirect: &Url) -> OidcClient {
    Client::from_provider_metadata(
        metadata,
        ClientId::new(config.client_id.clone()),
        Some(ClientSecret::new(config.client_secret.clone())),
    )
    .set_redirect_uri(RedirectUrl::from_url(redirect.clone()))
}

/// A sign-in on its way through the provider, kept in the browser's (server-side) session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    /// Where to go afterwards (a local path).
    pub next: String,
    pub issuer: String,
    pub started_at: i64,
}

impl Pending {
    pub fn expired(&self) -> bool {
        Utc::now().timestamp() - self.started_at > PENDING_FOR.num_seconds()
    }
}

/// The authorization request: where to send the browser, and what to remember.
pub async fn start(
    config: &CompanySignIn,
    redirect: &Url,
    next: String,
) -> Result<(Url, Pending), Failure> {
    let metadata = discover(&config.issuer, false).await?;
    // Ask for the groups scope only where the provider offers one (oidc-provider, Okta);
    // Entra ID and Keycloak send the groups claim without it.
    let groups_scope = metadata
        .scopes_supported()
        .is_some_and(|s| s.iter().any(|s| s.as_str() == "groups"));
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let client = client(config, metadata, redirect);
    let mut request = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge);
    if groups_scope {
        request = request.add_scope(Scope::new("groups".into()));
    }
    let (url, state, nonce) = request.url();
    Ok((
        url,
        Pending {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            next,
            issuer: config.issuer.to_string(),
            started_at: Utc::now().timestamp(),
        },
    ))
}

/// Who the provider says signed in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub locale: Option<String>,
    pub groups: Vec<String>,
    /// The provider's logout link for this session, if it has an end-session endpoint.
    pub logout_url: Option<String>,
}

/// Exchanges the code (with the PKCE verifier), verifies the ID token, and completes the
/// person's claims from the userinfo endpoint.
pub async fn finish(
    config: &CompanySignIn,
    redirect: &Url,
    post_logout: &Url,
    pending: &Pending,
    code: String,
) -> Result<Identity, Failure> {
    let metadata = discover(&config.issuer, false).await?;
    let logout_url = logout_url(&metadata, &config.client_id, post_logout);
    let client = client(config, metadata, redirect);
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| fail(FailureKind::Exchange, format!("no token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
        .request_async(http())
        .await
        .map_err(|e| match &e {
            RequestTokenError::ServerResponse(r) => fail(
                FailureKind::Exchange,
                format!("token endpoint refused: {}", r.error().as_ref()),
            ),
            RequestTokenError::Request(_) => fail(
                FailureKind::Unreachable,
                format!("token endpoint: {}", chain(&e)),
            ),
            _ => fail(FailureKind::Exchange, format!("token endpoint: {e}")),
        })?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| fail(FailureKind::Token, "the token response has no ID token"))?;
    let now = Utc::now();
    let verifier = client
        .id_token_verifier()
        // A provider whose clock runs a little ahead or behind still gets in.
        .set_time_fn(move || now - CLOCK_SKEW)
        .set_issue_time_verifier_fn(move |iat| issue_time_ok(iat, now));
    let nonce = Nonce::new(pending.nonce.clone());
    let claims = match id_token.claims(&verifier, &nonce) {
        Ok(claims) => claims.clone(),
        Err(ClaimsVerificationError::SignatureVerification(first)) => {
            // Perhaps a key the cached set lacks: the provider may have rotated its keys.
            let fresh = discover(&config.issuer, true).await?;
            let client = self::client(config, fresh, redirect);
            let verifier = client
                .id_token_verifier()
                .set_time_fn(move || now - CLOCK_SKEW)
                .set_issue_time_verifier_fn(move |iat| issue_time_ok(iat, now));
            id_token
                .claims(&verifier, &nonce)
                .map_err(|_| {
                    fail(
                        FailureKind::Token,
                        format!("ID token signature: {}", chain(&first)),
                    )
                })?
                .clone()
        }
        Err(e) => return Err(fail(FailureKind::Token, format!("ID token: {}", chain(&e)))),
    };
    // The access token is the one this ID token was issued with.
    if let Some(expected) = claims.access_token_hash() {
        let alg = id_token
            .signing_alg()
            .map_err(|e| fail(FailureKind::Token, format!("ID token: {e}")))?;
        let key = id_token
            .signing_key(&verifier)
            .map_err(|e| fail(FailureKind::Token, format!("ID token: {e}")))?;
        let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key)
            .map_err(|e| fail(FailureKind::Token, format!("at_hash: {e}")))?;
        if actual != *expected {
            return Err(fail(
                FailureKind::Token,
                "at_hash does not match the access token",
            ));
        }
    }

    let mut identity = Identity {
        issuer: claims.issuer().to_string(),
        subject: claims.subject().to_string(),
        email: claims.email().map(|e| e.to_string()),
        email_verified: claims.email_verified().unwrap_or(false),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.to_string())
            .or_else(|| claims.preferred_username().map(|n| n.to_string())),
        locale: claims.locale().map(|l| l.to_string()),
        groups: groups_of(&claims.additional_claims().claims, &config.groups_claim),
        logout_url,
    };

    // Providers that keep the ID token small put email, name and groups in userinfo.
    let has_groups = claims
        .additional_claims()
        .claims
        .contains_key(&config.groups_claim);
    if identity.email.is_none() || identity.name.is_none() || !has_groups {
        complete_from_userinfo(
            &client,
            &tokens,
            &config.groups_claim,
            has_groups,
            &mut identity,
        )
        .await?;
    }
    Ok(identity)
}

/// Fills what the ID token left out (email, name, locale, groups) from the userinfo endpoint,
/// whose subject must be the ID token's.
async fn complete_from_userinfo(
    client: &OidcClient,
    tokens: &Tokens,
    groups_claim: &str,
    has_groups: bool,
    identity: &mut Identity,
) -> Result<(), Failure> {
    let Ok(request) = client.user_info(
        tokens.access_token().clone(),
        Some(SubjectIdentifier::new(identity.subject.clone())),
    ) else {
        return Ok(());
    };
    let info: UserInfoClaims<AnyClaims, CoreGenderClaim> = request
        .request_async(http())
        .await
        .map_err(|e| fail(FailureKind::Unreachable, format!("userinfo: {}", chain(&e))))?;
    if identity.email.is_none() {
        identity.email = info.email().map(|e| e.to_string());
        identity.email_verified = info.email_verified().unwrap_or(false);
    }
    if identity.name.is_none() {
        identity.name = info
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.to_string())
            .or_else(|| info.preferred_username().map(|n| n.to_string()));
    }
    if identity.locale.is_none() {
        identity.locale = info.locale().map(|l| l.to_string());
    }
    if !has_groups {
        identity.groups = groups_of(&info.additional_claims().claims, groups_claim);
    }
    Ok(())
}

/// RP-initiated logout: the provider's end-session endpoint for this client, returning to
/// Kring's login page.
fn logout_url(metadata: &Metadata, client_id: &str, post_logout: &Url) -> Option<String> {
    let endpoint = metadata
        .additional_metadata()
        .end_session_endpoint
        .as_ref()?;
    let mut url = endpoint.url().clone();
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("post_logout_redirect_uri", post_logout.as_str());
    Some(url.to_string())
}

/// An ID token issued now, give or take the clock skew (not before the sign-in started).
fn issue_time_ok(iat: chrono::DateTime<Utc>, now: chrono::DateTime<Utc>) -> Result<(), String> {
    if iat > now + CLOCK_SKEW {
        Err(format!("issued in the future ({iat})"))
    } else if iat < now - PENDING_FOR - CLOCK_SKEW {
        Err(format!("issued too long ago ({iat})"))
    } else {
        Ok(())
    }
}

/// The groups claim as a list of names: an array of strings, or one string.
fn groups_of(claims: &HashMap<String, serde_json::Value>, name: &str) -> Vec<String> {
    match claims.get(name) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .take(500)
            .collect(),
        Some(serde_json::Value::String(one)) if !one.trim().is_empty() => {
            vec![one.trim().to_owned()]
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_come_as_a_list_or_one_name() {
        let mut claims = HashMap::new();
        claims.insert(
            "groups".into(),
            serde_json::json!(["eng", " sales ", "", 7]),
        );
        claims.insert("role".into(), serde_json::json!("admins"));
        assert_eq!(groups_of(&claims, "groups"), vec!["eng", "sales"]);
        assert_eq!(groups_of(&claims, "role"), vec!["admins"]);
        assert!(groups_of(&claims, "missing").is_empty());
    }

    #[test]
    fn a_pending_sign_in_expires() {
        let mut pending = Pending {
            state: "s".into(),
            nonce: "n".into(),
            verifier: "v".into(),
            next: "/".into(),
            issuer: "http://idp".into(),
            started_at: Utc::now().timestamp(),
        };
        assert!(!pending.expired());
        pending.started_at -= PENDING_FOR.num_seconds() + 1;
        assert!(pending.expired());
    }
}
