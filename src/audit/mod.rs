//! The audit log: who changed what about whom, and when. Written in the same transaction as the
//! change it records; read by admins.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::types::UserId,
    entities::audit_log,
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

/// Entries newest first, optionally about one user; names resolved in one extra query.
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
    let rows = query
        .offset(pagination.offset())
        .limit(pagination.per_page)
        .all(conn)
        .await?;
    let ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.actor_id, r.target_user_id])
        .flatten()
        .collect();
    let names: HashMap<i64, String> = crate::auth::repo::display_names(conn, ids).await?;
    let items = rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: r.created_at,
            actor_name: r.actor_id.and_then(|id| names.get(&id).cloned()),
            target_name: r.target_user_id.and_then(|id| names.get(&id).cloned()),
            actor_id: r.actor_id,
            target_user_id: r.target_user_id,
            action: r.action,
            details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
        })
        .collect();
    Ok(Paged::new(items, total, pagination))
}
