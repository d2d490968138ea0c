//! Account rules: logging in, the one-time setup, registration, passwords and personal access
//! tokens. Handlers call these; every permission check lives here or in `admin::service`.
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{
    current_user::{AuthMethod, CurrentUser},
    password, repo,
    throttle::LoginThrottle,
    types::{DisplayName, Email, NewPassword, Role, Roles, TokenName, UserId},
};
use crate::{
    audit,
    entities::{api_tokens, users},
    error::{AppError, AppResult, Msg},
    i18n::Lang,
    settings_store::{self, Setting},
};

const SETUP_MARKER: &str = "setup_completed";
const TOKEN_PREFIX: &str = "kring_";
const MAX_ACTIVE_TOKENS: u64 = 50;

/// A user as the API and the admin pages show them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// Always includes `member`.
    pub roles: Vec<Role>,
    pub is_leadership: bool,
    pub is_active: bool,
    pub locale: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl UserView {
    pub fn new(user: users::Model, roles: &Roles) -> Self {
        Self {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            roles: roles.to_vec(),
            is_leadership: user.is_leadership,
            is_active: user.is_active,
            locale: user.locale,
            created_at: user.created_at,
            last_login_at: user.last_login_at,
        }
    }
}

/// A new account as typed into a form or sent as JSON, before validation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountInput {
    pub email: String,
    pub display_name: String,
    pub password: String,
}

/// A validated new user.
pub struct NewUser {
    pub email: Email,
    pub display_name: DisplayName,
    pub password: NewPassword,
    pub roles: Roles,
    pub is_leadership: bool,
    pub locale: Option<Lang>,
}

impl NewUser {
    pub fn parse(input: &AccountInput, roles: Roles) -> AppResult<Self> {
        Ok(Self {
            email: Email::parse(&input.email)?,
            display_name: DisplayName::parse(&input.display_name)?,
            password: NewPassword::parse(&input.password, &[&input.email, &input.display_name])?,
            roles,
            is_leadership: false,
            locale: None,
        })
    }
}

/// Self-registration, off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RegistrationSettings {
    pub enabled: bool,
    /// Lower-case domains (`example.com`) whose addresses may register.
    pub allowed_domains: Vec<String>,
}

impl Setting for RegistrationSettings {
    const KEY: &'static str = "registration";
}

impl RegistrationSettings {
    pub fn allows(&self, email: &Email) -> bool {
        self.enabled && self.allowed_domains.iter().any(|d| d == email.domain())
    }
}

// ---- authentication -------------------------------------------------------------------------

/// The active user with this id, as the current user of a session.
pub async fn active_user(db: &DatabaseConnection, id: UserId) -> AppResult<Option<CurrentUser>> {
    let Some(user) = repo::find(db, id).await? else {
        return Ok(None);
    };
    if !user.is_active {
        return Ok(None);
    }
    let roles = repo::roles_of(db, id).await?;
    Ok(Some(CurrentUser::from_model(
        user,
        roles,
        AuthMethod::Session,
    )))
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The active owner of a valid, unrevoked personal access token, with their roles, in one
/// statement; the use is noted for the bookkeeping lane (written at most once a minute).
pub async fn user_for_token(
    db: &DatabaseConnection,
    book: &super::activity::Bookkeeping,
    token: &str,
    now: chrono::DateTime<Utc>,
) -> AppResult<Option<super::viewer::Viewer>> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let Some((id, last_used, viewer)) = super::viewer::by_token(db, &token_hash(token)).await?
    else {
        return Ok(None);
    };
    book.token_used(id, last_used, now);
    Ok(Some(viewer))
}

/// Checks an email and password. Throttled per account and per address before the password is
/// looked at; fails with one message whatever the reason, except that in SSO-only mode every
/// account but the break-glass one is refused with `err-sso-only` (403).
pub async fn authenticate(
    db: &DatabaseConnection,
    throttle: &LoginThrottle,
    email: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> AppResult<users::Model> {
    throttle
        .attempt(email, ip)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    let user = match Email::parse(email) {
        Ok(email) => repo::find_by_email(db, &email).await?,
        Err(_) => None,
    };
    // With company sign-in as the only way in, only the break-glass account gets this far.
    super::policy::check_password_use(db, user.as_ref()).await?;
    let ok = password::verify(
        password,
        user.as_ref().and_then(|u| u.password_hash.as_deref()),
    )
    .await;
    match user {
        Some(user) if ok && user.is_active => {
            let mut active = user.into_active_model();
            active.last_login_at = Set(Some(Utc::now()));
            Ok(active.update(db).await?)
        }
        _ => Err(AppError::InvalidCredentials),
    }
}

/// Writes `user.role_added` / `user.role_removed` for each role that differs between `old` and
/// `new` (member is implied and never audited); `via` names a change no person made directly.
pub async fn audit_role_changes<C: sea_orm::ConnectionTrait>(
    conn: &C,
    actor: Option<UserId>,
    id: UserId,
    old: &Roles,
    new: &Roles,
    via: Option<&str>,
) -> Result<(), sea_orm::DbErr> {
    for role in crate::auth::types::Role::ALL
        .into_iter()
        .filter(|r| *r != crate::auth::types::Role::Member)
    {
        let (had, has) = (old.contains(role), new.contains(role));
        if had == has {
            continue;
        }
        let action = if has {
            "user.role_added"
        } else {
            "user.role_removed"
        };
        let details = match via {
            Some(via) => json!({ "role": role, "via": via }),
            None => json!({ "role": role }),
        };
        audit::record(conn, actor, action, Some(id), details).await?;
    }
    Ok(())
}

// ---- creating accounts ----------------------------------------------------------------------

/// Who creates an account, for the audit log.
#[derive(Clone, Copy, Debug)]
pub enum CreatedBy {
    /// The command line or the setup page: no logged-in actor.
    Operator,
    Admin(UserId),
    /// Self-registration.
    Themselves,
    /// An admin's invitation: the account has no password until the invitee sets one.
    Invitation(UserId),
    /// The first sign-in with the company's identity provider (no password).
    CompanySignIn,
    /// The company directory (SCIM provisioning; no password).
    Directory,
}

/// Inserts a user with roles and writes the audit entry, inside the caller's transaction.
pub(crate) async fn insert_account(
    conn: &sea_orm::DatabaseTransaction,
    by: CreatedBy,
    new: &NewUser,
    password_hash: String,
) -> AppResult<users::Model> {
    let account = NewAccount {
        email: &new.email,
        display_name: &new.display_name,
        roles: &new.roles,
        is_leadership: new.is_leadership,
        locale: new.locale,
        pending: matches!(by, CreatedBy::Themselves),
    };
    insert_new_account(conn, by, &account, Some(password_hash)).await
}

/// A validated new account, with or without a password.
pub(crate) struct NewAccount<'a> {
    pub email: &'a Email,
    pub display_name: &'a DisplayName,
    pub roles: &'a Roles,
    pub is_leadership: bool,
    pub locale: Option<Lang>,
    /// Registered by themselves: inactive until the mailed link proves the address.
    pub pending: bool,
}

/// [`insert_account`] for an account that may have no password yet (an invitation).
pub(crate) async fn insert_new_account(
    conn: &sea_orm::DatabaseTransaction,
    by: CreatedBy,
    new: &NewAccount<'_>,
    password_hash: Option<String>,
) -> AppResult<users::Model> {
    if repo::find_by_email(conn, new.email).await?.is_some() {
        return Err(AppError::conflict("err-email-taken"));
    }
    let user = repo::insert_user(
        conn,
        repo::NewUserRow {
            email: new.email,
            display_name: new.display_name.as_str(),
            password_hash,
            locale: new.locale.map(Lang::code),
            is_leadership: new.is_leadership,
            pending: new.pending,
        },
    )
    .await
    .map_err(|e| {
        if crate::db::is_unique_violation(&e) {
            AppError::conflict("err-email-taken")
        } else {
            e.into()
        }
    })?;
    let id = UserId(user.id);
    repo::set_roles(conn, id, new.roles).await?;
    if !new.pending {
        crate::events::changed(conn, &[crate::events::Doc::Person(user.id)]).await?;
    }
    let (actor, action) = match by {
        CreatedBy::Operator => (None, "user.created"),
        CreatedBy::Admin(admin) => (Some(admin), "user.created"),
        CreatedBy::Themselves => (Some(id), "user.registered"),
        CreatedBy::Invitation(admin) => (Some(admin), "user.invited"),
        CreatedBy::CompanySignIn => (Some(id), "user.sso_created"),
        CreatedBy::Directory => (None, "user.provisioned"),
    };
    audit::record(
        conn,
        actor,
        action,
        Some(id),
        json!({ "email": new.email.as_str(), "roles": new.roles.to_vec(), "is_leadership": new.is_leadership }),
    )
    .await?;
    Ok(user)
}

/// Creates a user with the authority of the command line (`kring create-user`, `seed-demo`).
pub async fn create_user_as_operator(
    db: &DatabaseConnection,
    new: NewUser,
) -> AppResult<users::Model> {
    let hash = password::hash(new.password.expose()).await?;
    let txn = crate::db::begin(db).await?;
    let user = insert_account(&txn, CreatedBy::Operator, &new, hash).await?;
    txn.commit().await?;
    Ok(user)
}

/// Whether the one-time setup page is still open (no user exists yet).
pub async fn setup_open(db: &DatabaseConnection) -> AppResult<bool> {
    Ok(repo::count_users(db).await? == 0)
}

/// Creates the first administrator, exactly once: a marker row with a primary key settles a
/// race between two submissions, and any existing user closes setup for good.
pub async fn setup_first_admin(
    db: &DatabaseConnection,
    input: &AccountInput,
) -> AppResult<users::Model> {
    if !setup_open(db).await? {
        return Err(AppError::NotFound);
    }
    let mut new = NewUser::parse(input, Roles::new([Role::Admin]))?;
    new.locale = None;
    let hash = password::hash(new.password.expose()).await?;
    let txn = crate::db::begin(db).await?;
    if !settings_store::claim_once(&txn, SETUP_MARKER).await? || repo::count_users(&txn).await? > 0
    {
        return Err(AppError::NotFound);
    }
    let user = insert_account(&txn, CreatedBy::Operator, &new, hash).await?;
    audit::record(
        &txn,
        Some(UserId(user.id)),
        "setup.completed",
        Some(UserId(user.id)),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        user_id = user.id,
        "setup completed: first administrator created"
    );
    Ok(user)
}

/// Self-registration, when an admin has turned it on, for allowed email domains only.
pub async fn registration_settings(db: &DatabaseConnection) -> AppResult<RegistrationSettings> {
    Ok(settings_store::get(db).await?)
}

// ---- own account ------------------------------------------------------------------------------

/// Changes the user's own password after checking the current one; every session of the user
/// ends (the caller starts a fresh one for the current browser).
pub async fn change_password(
    db: &DatabaseConnection,
    throttle: &LoginThrottle,
    user: &CurrentUser,
    current: &str,
    new: &str,
    ip: Option<IpAddr>,
) -> AppResult<()> {
    throttle
        .attempt(&user.email, ip)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    let row = repo::find(db, user.id).await?.ok_or(AppError::NotFound)?;
    if !password::verify(current, row.password_hash.as_deref()).await {
        return Err(AppError::validation(
            "current_password",
            Msg::new("err-current-password"),
        ));
    }
    let new = NewPassword::parse(new, &[&user.email, &user.display_name])?;
    if new.expose() == current {
        return Err(AppError::validation(
            "password",
            Msg::new("err-password-unchanged"),
        ));
    }
    let hash = password::hash(new.expose()).await?;
    let txn = crate::db::begin(db).await?;
    let mut active = row.into_active_model();
    active.password_hash = Set(Some(hash));
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    repo::delete_sessions_of(&txn, user.id).await?;
    audit::record(
        &txn,
        Some(user.id),
        "user.password_changed",
        Some(user.id),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Remembers the user's language.
pub async fn set_locale(db: &DatabaseConnection, user: &CurrentUser, lang: Lang) -> AppResult<()> {
    users::Entity::update_many()
        .col_expr(
            users::Column::Locale,
            sea_orm::sea_query::Expr::value(lang.code()),
        )
        .filter(users::Column::Id.eq(user.id.0))
        .exec(db)
        .await?;
    Ok(())
}

/// Sets the user's own time zone (an IANA name); empty: the company's.
pub async fn set_time_zone(
    db: &DatabaseConnection,
    user: &CurrentUser,
    zone: &str,
) -> AppResult<Option<String>> {
    let zone = match zone.trim() {
        "" => None,
        name => Some(
            crate::company::parse_time_zone(name)
                .ok_or_else(|| {
                    AppError::validation("time_zone", Msg::new("err-time-zone").arg("zone", name))
                })?
                .name()
                .to_owned(),
        ),
    };
    users::Entity::update_many()
        .col_expr(
            users::Column::TimeZone,
            sea_orm::sea_query::Expr::value(zone.clone()),
        )
        .filter(users::Column::Id.eq(user.id.0))
        .exec(db)
        .await?;
    Ok(zone)
}

// ---- personal access tokens -----------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<api_tokens::Model> for TokenView {
    fn from(t: api_tokens::Model) -> Self {
        Self {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// A token just created: the only time its secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    /// Use as `Authorization: Bearer <token>`. Shown once; only its hash is stored.
    pub token: String,
}

pub async fn create_token(
    db: &DatabaseConnection,
    user: &CurrentUser,
    name: &str,
) -> AppResult<CreatedToken> {
    let name = TokenName::parse(name)?;
    let active = api_tokens::Entity::find()
        .filter(api_tokens::Column::UserId.eq(user.id.0))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .count(db)
        .await?;
    if active >= MAX_ACTIVE_TOKENS {
        return Err(AppError::Conflict(
            Msg::new("err-too-many-tokens").arg("max", MAX_ACTIVE_TOKENS),
        ));
    }
    let mut secret = [0u8; 24];
    rand::rng().fill_bytes(&mut secret);
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(secret));
    let row = api_tokens::ActiveModel {
        user_id: Set(user.id.0),
        name: Set(name.as_str().to_owned()),
        token_hash: Set(token_hash(&token)),
        prefix: Set(token[..12].to_owned()),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(CreatedToken {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        created_at: row.created_at,
        token,
    })
}

pub async fn list_tokens(db: &DatabaseConnection, user: &CurrentUser) -> AppResult<Vec<TokenView>> {
    Ok(api_tokens::Entity::find()
        .filter(api_tokens::Column::UserId.eq(user.id.0))
        .order_by_desc(api_tokens::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(TokenView::from)
        .collect())
}

/// Revokes one of the user's own tokens; someone else's token is "not found".
pub async fn revoke_token(db: &DatabaseConnection, user: &CurrentUser, id: i64) -> AppResult<()> {
    let token = api_tokens::Entity::find_by_id(id)
        .filter(api_tokens::Column::UserId.eq(user.id.0))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if token.revoked_at.is_none() {
        let mut active = token.into_active_model();
        active.revoked_at = Set(Some(Utc::now()));
        active.update(db).await?;
    }
    Ok(())
}
