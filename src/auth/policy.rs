//! Which ways in are open. With company sign-in as the only way in ("SSO-only"), passwords stop
//! working for everyone but one break-glass administrator, so an outage of the identity
//! provider cannot lock the company out of its own platform.
//!
//! The policy lives here, in accounts, because every password path (the login form,
//! `POST /api/v1/session`, registration, password reset, invitations) checks it; the company
//! sign-in feature (`crate::sso`) is the one that turns it on.
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use super::{repo, types::UserId};
use crate::{
    config::Settings,
    entities::users,
    error::{AppError, AppResult, Msg},
    settings_store::{self, Setting},
};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInPolicy {
    /// Passwords are refused; people sign in with the company's identity provider.
    pub sso_only: bool,
    /// The one account that may still use its password while `sso_only` is on: an active
    /// administrator, checked when the mode is turned on and kept one while it is on.
    pub break_glass: Option<i64>,
}

impl Setting for SignInPolicy {
    const KEY: &'static str = "sign_in_policy";
}

impl SignInPolicy {
    /// Whether this account may use a password.
    pub fn allows_password(&self, user: Option<UserId>) -> bool {
        !self.sso_only || (user.is_some() && user.map(|u| u.0) == self.break_glass)
    }

    /// Whether the break-glass account is this one while SSO-only is on.
    pub fn guards(&self, user: UserId) -> bool {
        self.sso_only && self.break_glass == Some(user.0)
    }
}

/// Company sign-in (OpenID Connect) as an admin saved it. The environment's `KRING_OIDC_*`
/// values win over these; see [`company_sign_in`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSignIn {
    pub issuer: String,
    pub client_id: String,
    /// Never shown again once saved.
    pub client_secret: String,
    /// "Log in with <display_name>"; the company's name when empty.
    pub display_name: String,
    /// The claim that lists the person's groups (default `groups`).
    pub groups_claim: String,
}

impl Setting for StoredSignIn {
    const KEY: &'static str = "company_sign_in";
}

/// The company sign-in in effect: complete (issuer, client id and secret), env over storage.
#[derive(Clone)]
pub struct CompanySignIn {
    pub issuer: url::Url,
    pub client_id: String,
    pub client_secret: String,
    pub display_name: String,
    pub groups_claim: String,
}

impl std::fmt::Debug for CompanySignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompanySignIn")
            .field("issuer", &self.issuer.as_str())
            .field("client_id", &self.client_id)
            .field("display_name", &self.display_name)
            .finish_non_exhaustive()
    }
}

pub const DEFAULT_GROUPS_CLAIM: &str = "groups";

/// Merges the environment over what an admin saved; `None` until issuer, client id and
/// secret are all known.
pub fn effective(settings: &Settings, stored: &StoredSignIn) -> Option<CompanySignIn> {
    let env = &settings.oidc;
    let issuer = match &env.issuer {
        Some(url) => url.clone(),
        None if stored.issuer.is_empty() => return None,
        None => url::Url::parse(&stored.issuer).ok()?,
    };
    let pick = |env: &Option<String>, stored: &str| {
        env.clone()
            .or_else(|| (!stored.is_empty()).then(|| stored.to_owned()))
    };
    let client_id = pick(&env.client_id, &stored.client_id)?;
    let client_secret = pick(&env.client_secret, &stored.client_secret)?;
    let display_name = if stored.display_name.trim().is_empty() {
        issuer.host_str().unwrap_or("SSO").to_owned()
    } else {
        stored.display_name.trim().to_owned()
    };
    let groups_claim = if stored.groups_claim.trim().is_empty() {
        DEFAULT_GROUPS_CLAIM.to_owned()
    } else {
        stored.groups_claim.trim().to_owned()
    };
    Some(CompanySignIn {
        issuer,
        client_id,
        client_secret,
        display_name,
        groups_claim,
    })
}

/// The company sign-in in effect, if one is configured.
pub async fn company_sign_in<C: ConnectionTrait>(
    settings: &Settings,
    conn: &C,
) -> AppResult<Option<CompanySignIn>> {
    let stored: StoredSignIn = settings_store::get(conn).await?;
    Ok(effective(settings, &stored))
}

pub async fn get<C: ConnectionTrait>(conn: &C) -> AppResult<SignInPolicy> {
    Ok(settings_store::get(conn).await?)
}

/// The refusal every password path gives while SSO-only is on.
pub fn refused() -> AppError {
    AppError::Forbidden(Msg::new("err-sso-only"))
}

/// Fails with [`refused`] when the policy keeps this account from using a password.
pub async fn check_password_use<C: ConnectionTrait>(
    conn: &C,
    user: Option<&users::Model>,
) -> AppResult<()> {
    let policy = get(conn).await?;
    if policy.allows_password(user.map(|u| UserId(u.id))) {
        Ok(())
    } else {
        Err(refused())
    }
}

/// [`check_password_use`] for an address (the account it belongs to, if any).
pub async fn check_password_use_by_email<C: ConnectionTrait>(
    conn: &C,
    email: &super::types::Email,
) -> AppResult<()> {
    let policy = get(conn).await?;
    if !policy.sso_only {
        return Ok(());
    }
    let user = repo::find_by_email(conn, email).await?;
    if policy.allows_password(user.map(|u| UserId(u.id))) {
        Ok(())
    } else {
        Err(refused())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_break_glass_account_keeps_its_password_in_sso_only_mode() {
        let open = SignInPolicy::default();
        assert!(open.allows_password(Some(UserId(7))));
        assert!(open.allows_password(None));
        let closed = SignInPolicy {
            sso_only: true,
            break_glass: Some(7),
        };
        assert!(closed.allows_password(Some(UserId(7))));
        assert!(!closed.allows_password(Some(UserId(8))));
        assert!(!closed.allows_password(None));
        assert!(closed.guards(UserId(7)));
        assert!(!open.guards(UserId(7)));
    }
}
