//! Company sign-in as an admin sets it: the provider (issuer, client id and secret, the
//! button's name, the groups claim) and SSO-only mode with its break-glass administrator.
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::provider;
use crate::{
    audit,
    auth::{
        current_user::CurrentUser,
        policy::{self, SignInPolicy, StoredSignIn},
        repo as users_repo,
        types::{Email, Role, UserId},
    },
    config::Settings,
    error::{AppError, AppResult, Msg},
    settings_store,
};

/// Company sign-in as the admin page and `GET /api/v1/admin/sso` show it (never the secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct SsoView {
    pub issuer: String,
    pub client_id: String,
    /// Whether a client secret is saved or set by the environment; it is never shown again.
    pub client_secret_set: bool,
    /// "Log in with <display_name>".
    pub display_name: String,
    pub groups_claim: String,
    /// Whether issuer, client id and secret are all known.
    pub configured: bool,
    /// The fields the environment (`KRING_OIDC_*`) sets; they win over saved values.
    pub from_environment: Vec<String>,
    /// The address to register at the provider as the redirect URI.
    pub redirect_uri: String,
    pub sso_only: bool,
    /// The break-glass administrator's address, while SSO-only is on.
    pub break_glass_email: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SsoInput {
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    /// Leave out (or empty) to keep the saved secret.
    pub client_secret: Option<String>,
    pub display_name: Option<String>,
    pub groups_claim: Option<String>,
    /// Turns SSO-only mode on or off. Turning it on needs a provider that answers its
    /// discovery document and `break_glass_email`: an active administrator with a password.
    pub sso_only: Option<bool>,
    pub break_glass_email: Option<String>,
}

/// Kring's address as the provider sees it: `KRING_BASE_URL`, or, when that is not set (a
/// first `cargo run`), the address the browser used (`origin`, e.g. `http://127.0.0.1:8080`).
pub fn public_url(settings: &Settings, origin: &str, path: &str) -> url::Url {
    let base = if settings.base_url_is_default {
        url::Url::parse(origin).unwrap_or_else(|_| settings.base_url.clone())
    } else {
        settings.base_url.clone()
    };
    base.join(path).unwrap_or(base)
}

/// The redirect URI to register at the provider.
pub fn redirect_uri(settings: &Settings, origin: &str) -> url::Url {
    public_url(settings, origin, "/auth/oidc/callback")
}

pub async fn view(
    db: &DatabaseConnection,
    settings: &Settings,
    origin: &str,
    actor: &CurrentUser,
) -> AppResult<SsoView> {
    actor.require(Role::Admin)?;
    view_of(db, settings, origin).await
}

/// The saved provider and the sign-in policy, in one statement.
async fn stored_and_policy<C: ConnectionTrait>(
    conn: &C,
) -> AppResult<(StoredSignIn, SignInPolicy)> {
    use sea_orm::sea_query::{Alias, Query};
    let select = Query::select()
        .expr_as(
            settings_store::value_column::<StoredSignIn>(),
            Alias::new("stored"),
        )
        .expr_as(
            settings_store::value_column::<SignInPolicy>(),
            Alias::new("policy"),
        )
        .to_owned();
    let row = crate::db::one(conn, &select).await?;
    let value = |name: &str| -> AppResult<Option<String>> {
        Ok(match &row {
            Some(row) => row.try_get("", name)?,
            None => None,
        })
    };
    Ok((
        settings_store::parse(value("stored")?.as_deref()),
        settings_store::parse(value("policy")?.as_deref()),
    ))
}

async fn view_of<C: ConnectionTrait>(
    conn: &C,
    settings: &Settings,
    origin: &str,
) -> AppResult<SsoView> {
    let (stored, sign_in_policy) = stored_and_policy(conn).await?;
    let effective = policy::effective(settings, &stored);
    let break_glass_email = match sign_in_policy
        .break_glass
        .filter(|_| sign_in_policy.sso_only)
    {
        Some(id) => users_repo::find(conn, UserId(id)).await?.map(|u| u.email),
        None => None,
    };
    let env = &settings.oidc;
    let mut from_environment = vec![];
    if env.issuer.is_some() {
        from_environment.push("issuer".to_owned());
    }
    if env.client_id.is_some() {
        from_environment.push("client_id".to_owned());
    }
    if env.client_secret.is_some() {
        from_environment.push("client_secret".to_owned());
    }
    Ok(SsoView {
        issuer: env
            .issuer
            .as_ref()
            .map(|u| u.to_string())
            .unwrap_or(stored.issuer.clone()),
        client_id: env.client_id.clone().unwrap_or(stored.client_id.clone()),
        client_secret_set: env.client_secret.is_some() || !stored.client_secret.is_empty(),
        display_name: effective
            .as_ref()
            .map(|e| e.display_name.clone())
            .unwrap_or(stored.display_name),
        groups_claim: effective
            .as_ref()
            .map(|e| e.groups_claim.clone())
            .unwrap_or_else(|| policy::DEFAULT_GROUPS_CLAIM.to_owned()),
        configured: effective.is_some(),
        from_environment,
        redirect_uri: redirect_uri(settings, origin).to_string(),
        sso_only: sign_in_policy.sso_only,
        break_glass_email,
    })
}

fn trimmed(value: &Option<String>) -> Option<String> {
    value.as_ref().map(|v| v.trim().to_owned())
}

/// Saves the provider settings and the mode; audited, the secret never in the log.
pub async fn update(
    db: &DatabaseConnection,
    settings: &Settings,
    origin: &str,
    actor: &CurrentUser,
    input: &SsoInput,
) -> AppResult<SsoView> {
    actor.require(Role::Admin)?;
    let mut stored: StoredSignIn = settings_store::get(db).await?;
    let before = stored.clone();
    apply_fields(&mut stored, input)?;

    let old_policy = policy::get(db).await?;
    let new_policy = next_policy(db, settings, &stored, &old_policy, input).await?;

    let txn = crate::db::begin(db).await?;
    crate::db::serialize(&txn, crate::db::locks::ADMINS).await?;
    if new_policy.sso_only
        && let Some(id) = new_policy.break_glass
    {
        // Checked again under the admins' lock: still an active admin.
        let user = users_repo::find(&txn, UserId(id)).await?;
        let roles = users_repo::roles_of(&txn, UserId(id)).await?;
        if !user.is_some_and(|u| u.is_active && u.password_hash.is_some())
            || !roles.contains(Role::Admin)
        {
            return Err(AppError::validation(
                "break_glass_email",
                Msg::new("err-sso-break-glass"),
            ));
        }
    }
    if stored != before {
        settings_store::put(&txn, &stored).await?;
        let mut changed: Vec<&str> = vec![];
        for (field, differs) in [
            ("issuer", stored.issuer != before.issuer),
            ("client_id", stored.client_id != before.client_id),
            (
                "client_secret",
                stored.client_secret != before.client_secret,
            ),
            ("display_name", stored.display_name != before.display_name),
            ("groups_claim", stored.groups_claim != before.groups_claim),
        ] {
            if differs {
                changed.push(field);
            }
        }
        audit::record(
            &txn,
            Some(actor.id),
            "settings.sso_changed",
            None,
            json!({ "fields": changed, "issuer": stored.issuer }),
        )
        .await?;
    }
    if new_policy != old_policy {
        settings_store::put(&txn, &new_policy).await?;
        audit::record(
            &txn,
            Some(actor.id),
            "settings.sso_only_changed",
            new_policy.break_glass.map(UserId),
            json!({ "sso_only": new_policy.sso_only }),
        )
        .await?;
    }
    let view = view_of(&txn, settings, origin).await?;
    txn.commit().await?;
    Ok(view)
}

/// The provider fields of `input`, checked, over the saved ones.
fn apply_fields(stored: &mut StoredSignIn, input: &SsoInput) -> AppResult<()> {
    if let Some(issuer) = trimmed(&input.issuer) {
        if !issuer.is_empty() {
            crate::config::parse_http_url(&issuer)
                .map_err(|_| AppError::validation("issuer", Msg::new("err-sso-issuer")))?;
        }
        stored.issuer = issuer.trim_end_matches('/').to_owned();
    }
    if let Some(client_id) = trimmed(&input.client_id) {
        if client_id.chars().count() > 255 {
            return Err(AppError::validation(
                "client_id",
                Msg::new("err-field-too-long").arg("max", 255),
            ));
        }
        stored.client_id = client_id;
    }
    if let Some(secret) = trimmed(&input.client_secret).filter(|s| !s.is_empty()) {
        if secret.chars().count() > 1000 {
            return Err(AppError::validation(
                "client_secret",
                Msg::new("err-field-too-long").arg("max", 1000),
            ));
        }
        stored.client_secret = secret;
    }
    if let Some(name) = trimmed(&input.display_name) {
        if name.chars().count() > 60 || name.chars().any(char::is_control) {
            return Err(AppError::validation(
                "display_name",
                Msg::new("err-field-too-long").arg("max", 60),
            ));
        }
        stored.display_name = name;
    }
    if let Some(claim) = trimmed(&input.groups_claim) {
        if claim.chars().count() > 100 || claim.chars().any(char::is_whitespace) {
            return Err(AppError::validation(
                "groups_claim",
                Msg::new("err-sso-groups-claim"),
            ));
        }
        stored.groups_claim = claim;
    }
    Ok(())
}

/// The sign-in policy after `input`. Turning SSO-only on needs a break-glass administrator
/// and a provider that answers its discovery document now.
async fn next_policy(
    db: &DatabaseConnection,
    settings: &Settings,
    stored: &StoredSignIn,
    old_policy: &SignInPolicy,
    input: &SsoInput,
) -> AppResult<SignInPolicy> {
    let mut new_policy = old_policy.clone();
    let turning_on = input.sso_only == Some(true);
    if let Some(on) = input.sso_only {
        new_policy.sso_only = on;
    }
    if new_policy.sso_only {
        // Named again when turned on (or changed); kept when only other fields change.
        let break_glass = match trimmed(&input.break_glass_email).filter(|e| !e.is_empty()) {
            Some(email) => Some(break_glass_admin(db, &email).await?),
            None if turning_on && old_policy.break_glass.is_none() => {
                return Err(AppError::validation(
                    "break_glass_email",
                    Msg::new("err-sso-break-glass"),
                ));
            }
            None => old_policy.break_glass,
        };
        new_policy.break_glass = break_glass;
        // Only a provider that answers now may become the only way in.
        let effective = policy::effective(settings, stored)
            .ok_or_else(|| AppError::validation("sso_only", Msg::new("err-sso-not-configured")))?;
        if let Err(failure) = provider::discover(&effective.issuer, true).await {
            tracing::warn!(reason = %failure.reason, "SSO-only refused: the provider does not answer");
            return Err(AppError::validation(
                "sso_only",
                Msg::new("err-sso-unreachable"),
            ));
        }
    }
    Ok(new_policy)
}

/// The account named as break-glass administrator: active, an admin, with a password.
async fn break_glass_admin(db: &DatabaseConnection, email: &str) -> AppResult<i64> {
    let refuse = || AppError::validation("break_glass_email", Msg::new("err-sso-break-glass"));
    let email = Email::parse(email).map_err(|_| refuse())?;
    let user = users_repo::find_by_email(db, &email)
        .await?
        .filter(|u| u.is_active && u.password_hash.is_some())
        .ok_or_else(refuse)?;
    if !users_repo::roles_of(db, UserId(user.id))
        .await?
        .contains(Role::Admin)
    {
        return Err(refuse());
    }
    Ok(user.id)
}
