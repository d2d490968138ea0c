//! The audit log: who changed what about whom, and when. Written in the same transaction as the
//! change it records; read by admins.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::types::UserId,
    entities::{audit_log, users},
    web::pagination::{Paged, Pagination},
};

/// Appends one entry.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: Option<UserId>,
    action: &str,
    target: Option<UserId>,
    details: serde_json::Value,
) -> Result<(), DbErr> {
    audit_log::Entity::insert(audit_log::ActiveModel {
        actor_id: Set(actor.map(|a| a.0)),
        action: Set(action.to_owned()),
        target_user_id: Set(target.map(|t| t.0)),
        details: Set(details.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// e.g. `user.role_added`, `user.deactivated`, `settings.registration_changed`.
    pub action: String,
    pub actor_id: Option<i64>,
    /// `null` when the command line acted.
    pub actor_name: Option<String>,
    pub target_user_id: Option<i64>,
    pub target_name: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// `(SELECT display_name FROM users AS <alias> WHERE <alias>.id = audit_log.<column>)`.
fn name_of(alias: &str, column: audit_log::Column) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let alias = Alias::new(alias);
    crate::db::scalar(
        Query::select()
            .column((alias.clone(), users::Column::DisplayName))
            .from_as(users::Entity, alias.clone())
            .and_where(Expr::col((alias, users::Column::Id)).equals((audit_log::Entity, column)))
            .to_owned(),
    )
}

/// Entries newest first, optionally about one user: the count, then the page with the names
/// of actors and targets as columns.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    target: Option<UserId>,
    pagination: Pagination,
) -> Result<Paged<AuditEntry>, DbErr> {
    let mut query = audit_log::Entity::find().order_by_desc(audit_log::Column::Id);
    if let Some(target) = target {
        query = query.filter(audit_log::Column::TargetUserId.eq(target.0));
    }
    let total = query.clone().count(conn).await?;
    let page = query
        .column_as(name_of("actor", audit_log::Column::ActorId), "actor_name_")
        .column_as(
            name_of("target", audit_log::Column::TargetUserId),
            "target_name_",
        )
        .offset(pagination.offset())
        .limit(pagination.per_page)
        .into_query();
    let items = crate::db::all(conn, &page)
        .await?
        .iter()
        .map(|row| -> Result<AuditEntry, DbErr> {
            let r = audit_log::Model::from_query_result(row, "")?;
            Ok(AuditEntry {
                id: r.id,
                at: r.created_at,
                actor_name: row.try_get("", "actor_name_")?,
                target_name: row.try_get("", "target_name_")?,
                actor_id: r.actor_id,
                target_user_id: r.target_user_id,
                action: r.action,
                details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    Ok(Paged::new(items, total, pagination))
}
