//! Company sign-in's rules: who a verified identity is (just-in-time accounts, linking),
//! what the directory's groups make them (roles and department), and the admin's settings
//! (the provider, the group mapping, SSO-only mode).
use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::provider::{self, FailureKind, Identity, fail};
use crate::{
    audit,
    auth::{
        current_user::CurrentUser,
        policy::{self, SignInPolicy, StoredSignIn},
        repo as users_repo,
        service::{CreatedBy, NewAccount, insert_new_account},
        types::{DisplayName, Email, Role, Roles, UserId},
    },
    config::Settings,
    entities::{departments, sso_group_mappings, sso_identities, users},
    error::{AppError, AppResult, Msg},
    i18n::Lang,
    settings_store,
};

// ---- signing in -----------------------------------------------------------------------------

/// The account a verified identity signs in as, created on first sign-in, with its name,
/// address, roles and department brought up to date. Fails (creating nothing) when the
/// identity may not sign in.
pub async fn sign_in(
    db: &DatabaseConnection,
    identity: &Identity,
) -> Result<users::Model, SignInError> {
    let email = identity
        .email
        .as_deref()
        .and_then(|e| Email::parse(e).ok())
        .ok_or_else(|| fail(FailureKind::NoEmail, "the provider sent no valid email"))?;
    let name = display_name(identity, &email);
    let txn = crate::db::begin(db).await?;
    // Two first sign-ins of one person at once must not make two accounts; the admin lock
    // also keeps the last-admin rule honest while roles move.
    crate::db::serialize(&txn, crate::db::locks::ADMINS).await?;
    let linked = sso_identities::Entity::find()
        .filter(sso_identities::Column::Issuer.eq(&identity.issuer))
        .filter(sso_identities::Column::Subject.eq(&identity.subject))
        .one(&txn)
        .await?;
    let now = Utc::now();
    let user = match linked {
        Some(link) => {
            let user = users_repo::find(&txn, UserId(link.user_id))
                .await?
                .ok_or(AppError::NotFound)?;
            let mut link = link.into_active_model();
            link.last_login_at = Set(now);
            link.update(&txn).await?;
            update_person(&txn, user, &email, &name).await?
        }
        None => match users_repo::find_by_email(&txn, &email).await? {
            // Only the provider's word that it checked the address links a local account:
            // anyone can put any address in an unverified profile.
            Some(_) if !identity.email_verified => {
                return Err(fail(
                    FailureKind::Unverified,
                    "a local account has this address and the provider did not verify it",
                )
                .into());
            }
            Some(user) => {
                link(&txn, identity, user.id).await?;
                audit::record(
                    &txn,
                    Some(UserId(user.id)),
                    "user.sso_linked",
                    Some(UserId(user.id)),
                    json!({ "issuer": identity.issuer }),
                )
                .await?;
                update_person(&txn, user, &email, &name).await?
            }
            None => {
                let locale = identity
                    .locale
                    .as_deref()
                    .and_then(|l| l.get(..2))
                    .and_then(|l| l.parse::<Lang>().ok());
                let roles = Roles::new([]);
                let user = insert_new_account(
                    &txn,
                    CreatedBy::CompanySignIn,
                    &NewAccount {
                        email: &email,
                        display_name: &name,
                        roles: &roles,
                        is_leadership: false,
                        locale,
                        pending: false,
                    },
                    None,
                )
                .await?;
                link(&txn, identity, user.id).await?;
                user
            }
        },
    };
    if !user.is_active {
        return Err(fail(FailureKind::Deactivated, "the account is deactivated").into());
    }
    apply_groups(&txn, UserId(user.id), &identity.groups).await?;
    let mut active = user.into_active_model();
    active.last_login_at = Set(Some(now));
    let user = active.update(&txn).await?;
    crate::events::changed(&txn, &[crate::events::Doc::Person(user.id)]).await?;
    txn.commit().await?;
    Ok(user)
}

/// Why a sign-in did not happen: the provider's side, or ours.
#[derive(Debug)]
pub enum SignInError {
    Refused(provider::Failure),
    App(AppError),
}

impl From<provider::Failure> for SignInError {
    fn from(f: provider::Failure) -> Self {
        SignInError::Refused(f)
    }
}
impl From<AppError> for SignInError {
    fn from(e: AppError) -> Self {
        SignInError::App(e)
    }
}
impl From<sea_orm::DbErr> for SignInError {
    fn from(e: sea_orm::DbErr) -> Self {
        SignInError::App(e.into())
    }
}

fn display_name(identity: &Identity, email: &Email) -> DisplayName {
    let fallback = email.as_str().split('@').next().unwrap_or("?").to_owned();
    let raw = identity.name.clone().unwrap_or(fallback.clone());
    let cleaned: String = raw
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    DisplayName::parse(&cleaned)
        .or_else(|_| DisplayName::parse(&fallback))
        .unwrap_or_else(|_| DisplayName::parse("?").expect("a name"))
}

async fn link(txn: &DatabaseTransaction, identity: &Identity, user_id: i64) -> AppResult<()> {
    let now = Utc::now();
    sso_identities::ActiveModel {
        user_id: Set(user_id),
        issuer: Set(identity.issuer.clone()),
        subject: Set(identity.subject.clone()),
        created_at: Set(now),
        last_login_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The directory is the source of name and address; both follow it at every sign-in.
async fn update_person(
    txn: &DatabaseTransaction,
    user: users::Model,
    email: &Email,
    name: &DisplayName,
) -> AppResult<users::Model> {
    let mut changes = serde_json::Map::new();
    let mut active = user.clone().into_active_model();
    if user.display_name != name.as_str() {
        changes.insert("display_name".into(), json!(name.as_str()));
        active.display_name = Set(name.as_str().to_owned());
    }
    if user.email != email.as_str() {
        if users_repo::find_by_email(txn, email).await?.is_some() {
            // Another account holds the new address: keep the old one rather than merge.
            tracing::warn!(
                user_id = user.id,
                "company sign-in: the new address belongs to another account; kept the old one"
            );
        } else {
            changes.insert("email".into(), json!(email.as_str()));
            active.email = Set(email.as_str().to_owned());
        }
    }
    if changes.is_empty() {
        return Ok(user);
    }
    active.updated_at = Set(Utc::now());
    let user = active.update(txn).await?;
    audit::record(
        txn,
        None,
        "user.sso_updated",
        Some(UserId(user.id)),
        serde_json::Value::Object(changes),
    )
    .await?;
    Ok(user)
}

/// Applies the group mapping: the roles that any mapping names follow the person's groups
/// (added when a group maps to them, removed when none does); other roles stay as admins set
/// them. The department follows when a group maps to one. The last active administrator and
/// the break-glass account never lose the admin role this way.
async fn apply_groups(txn: &DatabaseTransaction, id: UserId, groups: &[String]) -> AppResult<()> {
    let mappings = sso_group_mappings::Entity::find()
        .order_by_asc(sso_group_mappings::Column::Id)
        .all(txn)
        .await?;
    if mappings.is_empty() {
        return Ok(());
    }
    let member_of: BTreeSet<&str> = groups.iter().map(String::as_str).collect();
    let managed: BTreeSet<Role> = mappings
        .iter()
        .filter_map(|m| m.role.as_deref().and_then(|r| r.parse().ok()))
        .collect();
    let granted: BTreeSet<Role> = mappings
        .iter()
        .filter(|m| member_of.contains(m.group_name.as_str()))
        .filter_map(|m| m.role.as_deref().and_then(|r| r.parse().ok()))
        .collect();
    let department = mappings
        .iter()
        .filter(|m| member_of.contains(m.group_name.as_str()))
        .find_map(|m| m.department_id);

    let old = users_repo::roles_of(txn, id).await?;
    let mut new: BTreeSet<Role> = old.iter().collect();
    for role in &managed {
        if granted.contains(role) {
            new.insert(*role);
        } else {
            new.remove(role);
        }
    }
    if old.contains(Role::Admin) && !new.contains(&Role::Admin) {
        let policy: SignInPolicy = policy::get(txn).await?;
        let admins = users_repo::count_active_admins(txn).await?;
        if policy.guards(id) || admins <= 1 {
            new.insert(Role::Admin);
            tracing::warn!(
                user_id = id.0,
                "company sign-in: kept the admin role (last or break-glass administrator)"
            );
        }
    }
    let new_roles = Roles::new(new.iter().copied());
    if new_roles != old {
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Member) {
            let (had, has) = (old.contains(role), new_roles.contains(role));
            if had != has {
                let action = if has {
                    "user.role_added"
                } else {
                    "user.role_removed"
                };
                audit::record(
                    txn,
                    None,
                    action,
                    Some(id),
                    json!({ "role": role, "via": "company_sign_in" }),
                )
                .await?;
            }
        }
        users_repo::set_roles(txn, id, &new_roles).await?;
    }
    if let Some(department) = department {
        let before = crate::people::service::set_department(txn, id.0, Some(department)).await?;
        if before != Some(department) {
            audit::record(
                txn,
                None,
                "user.department_changed",
                Some(id),
                json!({ "from": before, "to": department, "via": "company_sign_in" }),
            )
            .await?;
        }
    }
    Ok(())
}

// ---- the admin's settings -------------------------------------------------------------------

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

async fn view_of<C: ConnectionTrait>(
    conn: &C,
    settings: &Settings,
    origin: &str,
) -> AppResult<SsoView> {
    let stored: StoredSignIn = settings_store::get(conn).await?;
    let effective = policy::effective(settings, &stored);
    let sign_in_policy = policy::get(conn).await?;
    let break_glass_email = match sign_in_policy.break_glass.filter(|_| sign_in_policy.sso_only) {
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
    if let Some(issuer) = trimmed(&input.issuer) {
        if !issuer.is_empty() {
            crate::config::parse_http_url(&issuer).map_err(|_| {
                AppError::validation("issuer", Msg::new("err-sso-issuer"))
            })?;
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

    let old_policy = policy::get(db).await?;
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
        let effective = policy::effective(settings, &stored).ok_or_else(|| {
            AppError::validation("sso_only", Msg::new("err-sso-not-configured"))
        })?;
        if let Err(failure) = provider::discover(&effective.issuer, true).await {
            tracing::warn!(reason = %failure.reason, "SSO-only refused: the provider does not answer");
            return Err(AppError::validation(
                "sso_only",
                Msg::new("err-sso-unreachable"),
            ));
        }
    }

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
            ("client_secret", stored.client_secret != before.client_secret),
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

// ---- the group mapping ----------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupMapping {
    pub id: i64,
    pub group: String,
    /// `ambassador`, `editor`, `social_team` or `admin`.
    pub role: Option<Role>,
    pub department_id: Option<i64>,
    pub department: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GroupMappingInput {
    pub group: String,
    /// A role the group gives (not `member`, which everyone has).
    pub role: Option<Role>,
    /// A department the group puts people in, by id.
    pub department_id: Option<i64>,
}

pub async fn mappings<C: ConnectionTrait>(conn: &C, actor: &CurrentUser) -> AppResult<Vec<GroupMapping>> {
    actor.require(Role::Admin)?;
    list_mappings(conn).await
}

async fn list_mappings<C: ConnectionTrait>(conn: &C) -> AppResult<Vec<GroupMapping>> {
    let rows = sso_group_mappings::Entity::find()
        .order_by_asc(sso_group_mappings::Column::GroupName)
        .order_by_asc(sso_group_mappings::Column::Id)
        .all(conn)
        .await?;
    let names: HashMap<i64, String> = departments::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|m| GroupMapping {
            id: m.id,
            group: m.group_name,
            role: m.role.as_deref().and_then(|r| r.parse().ok()),
            department: m.department_id.and_then(|d| names.get(&d).cloned()),
            department_id: m.department_id,
        })
        .collect())
}

/// Adds one mapping (a group to a role, a department, or both); audited.
pub async fn add_mapping(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &GroupMappingInput,
) -> AppResult<GroupMapping> {
    actor.require(Role::Admin)?;
    let group = input.group.trim().to_owned();
    if group.is_empty() || group.chars().count() > 255 || group.chars().any(char::is_control) {
        return Err(AppError::validation("group", Msg::new("err-sso-group")));
    }
    if input.role.is_none() && input.department_id.is_none() {
        return Err(AppError::validation("role", Msg::new("err-sso-mapping-empty")));
    }
    if input.role == Some(Role::Member) {
        return Err(AppError::validation("role", Msg::new("err-sso-mapping-member")));
    }
    let txn = crate::db::begin(db).await?;
    if let Some(d) = input.department_id
        && departments::Entity::find_by_id(d).one(&txn).await?.is_none()
    {
        return Err(AppError::validation(
            "department_id",
            Msg::new("err-department-unknown"),
        ));
    }
    let row = sso_group_mappings::ActiveModel {
        group_name: Set(group.clone()),
        role: Set(input.role.map(|r| r.as_str().to_owned())),
        department_id: Set(input.department_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor.id),
        "settings.sso_mapping_added",
        None,
        json!({ "group": group, "role": input.role, "department_id": input.department_id }),
    )
    .await?;
    let added = list_mappings(&txn)
        .await?
        .into_iter()
        .find(|m| m.id == row.id)
        .ok_or(AppError::NotFound)?;
    txn.commit().await?;
    Ok(added)
}

pub async fn remove_mapping(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let row = sso_group_mappings::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    sso_group_mappings::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "settings.sso_mapping_removed",
        None,
        json!({ "group": row.group_name, "role": row.role, "department_id": row.department_id }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
