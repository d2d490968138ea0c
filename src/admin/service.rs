//! Rules for administering users. Only admins pass; at least one active admin always remains.
use chrono::Utc;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::{
    audit::{self, AuditEntry},
    auth::{
        current_user::CurrentUser,
        password, repo,
        service::{CreatedBy, NewUser, RegistrationSettings, UserView, insert_account},
        types::{DisplayName, Email, NewPassword, Role, Roles, UserId},
    },
    entities::{user_roles, users},
    error::{AppError, AppResult, Msg},
    i18n::Lang,
    settings_store,
    web::pagination::{Paged, Pagination},
};

#[derive(Debug, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// Part of a name or email address.
    pub q: Option<String>,
    /// Only users holding this role.
    pub role: Option<Role>,
    /// `active` or `deactivated`.
    pub status: Option<String>,
}

pub async fn list_users(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    filter: &UserFilter,
    pagination: Pagination,
) -> AppResult<Paged<UserView>> {
    actor.require(Role::Admin)?;
    let mut query = users::Entity::find();
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        // `%` and `_` typed by the admin act as wildcards; harmless in a search box.
        let pattern = format!("%{}%", q.to_lowercase());
        query = query.filter(
            Condition::any()
                .add(users::Column::Email.like(&pattern))
                .add(
                    sea_orm::sea_query::Expr::expr(sea_orm::sea_query::Func::lower(
                        sea_orm::sea_query::Expr::col(users::Column::DisplayName),
                    ))
                    .like(&pattern),
                ),
        );
    }
    match filter.role {
        Some(Role::Member) | None => {}
        Some(role) => {
            query = query.filter(
                users::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(user_roles::Column::UserId)
                        .from(user_roles::Entity)
                        .and_where(user_roles::Column::Role.eq(role.as_str()))
                        .to_owned(),
                ),
            );
        }
    }
    match filter.status.as_deref() {
        Some("active") => query = query.filter(users::Column::IsActive.eq(true)),
        Some("deactivated") => query = query.filter(users::Column::IsActive.eq(false)),
        Some("") | None => {}
        Some(other) => return Err(AppError::BadRequest(format!("unknown status '{other}'"))),
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(users::Column::DisplayName)
        .order_by_asc(users::Column::Id)
        .offset(pagination.offset())
        .limit(pagination.per_page)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|u| u.id).collect();
    let mut roles = repo::roles_of_many(db, &ids).await?;
    let items = rows
        .into_iter()
        .map(|u| {
            let r = roles.remove(&u.id).unwrap_or_default();
            UserView::new(u, &r)
        })
        .collect();
    Ok(Paged::new(items, total, pagination))
}

pub async fn get_user(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: UserId,
) -> AppResult<UserView> {
    actor.require(Role::Admin)?;
    let (user, roles) = repo::find_with_roles(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(UserView::new(user, &roles))
}

/// A user as an admin creates them.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUserInput {
    pub email: String,
    pub display_name: String,
    /// The initial password (at least 10 characters); the person changes it after logging in.
    pub password: String,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub is_leadership: bool,
    pub locale: Option<Lang>,
}

pub async fn create_user(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &CreateUserInput,
) -> AppResult<UserView> {
    actor.require(Role::Admin)?;
    let new = NewUser {
        email: Email::parse(&input.email)?,
        display_name: DisplayName::parse(&input.display_name)?,
        password: NewPassword::parse(&input.password, &[&input.email, &input.display_name])?,
        roles: Roles::new(input.roles.iter().copied()),
        is_leadership: input.is_leadership,
        locale: input.locale,
    };
    let hash = password::hash(new.password.expose()).await?;
    let txn = crate::db::begin(db).await?;
    let user = insert_account(&txn, CreatedBy::Admin(actor.id), &new, hash).await?;
    txn.commit().await?;
    Ok(UserView::new(user, &new.roles))
}

/// Changes to a user; fields left out stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct UserChanges {
    /// The complete new set of roles (`member` is implied).
    pub roles: Option<Vec<Role>>,
    pub is_leadership: Option<bool>,
    /// `false` deactivates: sessions end, tokens are revoked, content stays.
    pub is_active: Option<bool>,
}

pub async fn update_user(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: UserId,
    changes: &UserChanges,
) -> AppResult<UserView> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    // Two admins demoting each other at once must not both succeed (the last-admin rule
    // counts admins after the change; without this, each would count the other as still there).
    crate::db::serialize(&txn, crate::db::locks::ADMINS).await?;
    let user = repo::find(&txn, id).await?.ok_or(AppError::NotFound)?;
    let old_roles = repo::roles_of(&txn, id).await?;
    let mut roles = old_roles.clone();

    if let Some(new) = &changes.roles {
        let new_roles = Roles::new(new.iter().copied());
        crate::auth::service::audit_role_changes(
            &txn,
            Some(actor.id),
            id,
            &old_roles,
            &new_roles,
            None,
        )
        .await?;
        if new_roles != old_roles {
            repo::set_roles(&txn, id, &new_roles).await?;
        }
        roles = new_roles;
    }

    let mut row = user.clone().into_active_model();
    let mut changed = false;
    if let Some(leader) = changes.is_leadership.filter(|l| *l != user.is_leadership) {
        row.is_leadership = Set(leader);
        changed = true;
        audit::record(
            &txn,
            Some(actor.id),
            "user.leadership_changed",
            Some(id),
            json!({ "is_leadership": leader }),
        )
        .await?;
    }
    if let Some(active) = changes.is_active.filter(|a| *a != user.is_active) {
        if !active && id == actor.id {
            return Err(AppError::conflict("err-deactivate-self"));
        }
        row.is_active = Set(active);
        changed = true;
        end_access_if_deactivated(&txn, Some(actor.id), id, active, None).await?;
    }
    let user = if changed {
        row.updated_at = Set(Utc::now());
        row.update(&txn).await?
    } else {
        user
    };
    // Activation and the ambassador role show in the person's search document.
    crate::events::changed(&txn, &[crate::events::Doc::Person(id.0)]).await?;
    guard_administrators(&txn, id).await?;
    txn.commit().await?;
    Ok(UserView::new(user, &roles))
}

/// Audits an activation, or ends every session and revokes every API token of a deactivated
/// account at once (its content stays, shown as a former colleague); inside the caller's
/// transaction, which also sets `is_active`. `via` names a change no person made directly.
pub(crate) async fn end_access_if_deactivated<C: sea_orm::ConnectionTrait>(
    conn: &C,
    actor: Option<UserId>,
    id: UserId,
    active: bool,
    via: Option<&str>,
) -> AppResult<()> {
    let details = match via {
        Some(via) => json!({ "via": via }),
        None => json!({}),
    };
    if active {
        audit::record(conn, actor, "user.activated", Some(id), details).await?;
    } else {
        repo::delete_sessions_of(conn, id).await?;
        repo::revoke_tokens_of(conn, id).await?;
        audit::record(conn, actor, "user.deactivated", Some(id), details).await?;
    }
    Ok(())
}

/// The rules every change to accounts keeps, checked at the end of its transaction: one
/// active administrator at least, and with SSO-only on, the break-glass account stays an
/// active administrator. The caller drops the transaction (rolling back) on an error.
pub(crate) async fn guard_administrators<C: sea_orm::ConnectionTrait>(
    conn: &C,
    changed: UserId,
) -> AppResult<()> {
    if repo::count_active_admins(conn).await? == 0 {
        return Err(AppError::conflict("err-last-admin"));
    }
    // With SSO-only on, the break-glass account is the way back in when the provider fails.
    if crate::auth::policy::get(conn).await?.guards(changed) {
        let user = repo::find(conn, changed).await?.ok_or(AppError::NotFound)?;
        let roles = repo::roles_of(conn, changed).await?;
        if !(user.is_active && roles.contains(Role::Admin)) {
            return Err(AppError::conflict("err-break-glass-admin"));
        }
    }
    Ok(())
}

pub async fn registration(
    db: &DatabaseConnection,
    actor: &CurrentUser,
) -> AppResult<RegistrationSettings> {
    actor.require(Role::Admin)?;
    Ok(settings_store::get(db).await?)
}

/// Validates and stores the registration setting; a change is audited.
pub async fn set_registration(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &RegistrationSettings,
) -> AppResult<RegistrationSettings> {
    actor.require(Role::Admin)?;
    let mut domains = vec![];
    for raw in &input.allowed_domains {
        let domain = raw.trim().trim_start_matches('@').to_lowercase();
        if domain.is_empty() {
            continue;
        }
        let valid = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if !valid {
            return Err(AppError::validation(
                "allowed_domains",
                Msg::new("err-domain-invalid").arg("domain", raw.trim()),
            ));
        }
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    if input.enabled && domains.is_empty() {
        return Err(AppError::validation(
            "allowed_domains",
            Msg::new("err-registration-no-domains"),
        ));
    }
    let new = RegistrationSettings {
        enabled: input.enabled,
        allowed_domains: domains,
    };
    let txn = crate::db::begin(db).await?;
    let old: RegistrationSettings = settings_store::get(&txn).await?;
    if old != new {
        settings_store::put(&txn, &new).await?;
        audit::record(
            &txn,
            Some(actor.id),
            "settings.registration_changed",
            None,
            json!({ "enabled": new.enabled, "allowed_domains": new.allowed_domains }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(new)
}

pub async fn audit_log(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    target: Option<UserId>,
    pagination: Pagination,
) -> AppResult<Paged<AuditEntry>> {
    actor.require(Role::Admin)?;
    Ok(audit::list(db, target, pagination).await?)
}
