//! Provisioning tokens: the directory's credential for `/scim/v2`. Shown once when created,
//! stored as a SHA-256 hash (a 256-bit random secret needs no slow hash), listed and revoked by
//! admins; creating and revoking are audited.
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

use crate::{
    audit,
    auth::{
        current_user::CurrentUser,
        types::{Role, TokenName},
    },
    entities::scim_tokens,
    error::{AppError, AppResult, Msg},
};

const PREFIX: &str = "kscim_";
const MAX_ACTIVE: u64 = 20;

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewScimToken {
    /// What the token is for, e.g. "Entra ID".
    pub name: String,
}

/// A provisioning token just created: the only time its secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedScimToken {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    /// Give it to the directory as the bearer token of `/scim/v2`. Shown once.
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScimTokenView {
    pub id: i64,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<scim_tokens::Model> for ScimTokenView {
    fn from(t: scim_tokens::Model) -> Self {
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

pub async fn create(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &NewScimToken,
) -> AppResult<CreatedScimToken> {
    actor.require(Role::Admin)?;
    let name = TokenName::parse(&input.name)?;
    let txn = crate::db::begin(db).await?;
    let active = scim_tokens::Entity::find()
        .filter(scim_tokens::Column::RevokedAt.is_null())
        .count(&txn)
        .await?;
    if active >= MAX_ACTIVE {
        return Err(AppError::Conflict(
            Msg::new("err-too-many-tokens").arg("max", MAX_ACTIVE),
        ));
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let token = format!("{PREFIX}{}", hex::encode(secret));
    let row = scim_tokens::ActiveModel {
        name: Set(name.as_str().to_owned()),
        token_hash: Set(hash(&token)),
        prefix: Set(token[..12].to_owned()),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor.id),
        "scim.token_created",
        None,
        json!({ "id": row.id, "name": row.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(CreatedScimToken {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        created_at: row.created_at,
        token,
    })
}

pub async fn list(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<ScimTokenView>> {
    actor.require(Role::Admin)?;
    Ok(scim_tokens::Entity::find()
        .order_by_desc(scim_tokens::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(ScimTokenView::from)
        .collect())
}

/// Revokes a token: the next request with it is refused.
pub async fn revoke(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let token = scim_tokens::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if token.revoked_at.is_none() {
        let name = token.name.clone();
        let mut active = token.into_active_model();
        active.revoked_at = Set(Some(Utc::now()));
        active.update(&txn).await?;
        audit::record(
            &txn,
            Some(actor.id),
            "scim.token_revoked",
            None,
            json!({ "id": id, "name": name }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The id of the valid, unrevoked token `presented`, if it is one; use is recorded at most
/// once a minute.
pub async fn check(db: &DatabaseConnection, presented: &str) -> AppResult<Option<i64>> {
    if !presented.starts_with(PREFIX) || presented.len() > 128 {
        return Ok(None);
    }
    let Some(row) = scim_tokens::Entity::find()
        .filter(scim_tokens::Column::TokenHash.eq(hash(presented)))
        .filter(scim_tokens::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let id = row.id;
    let now = Utc::now();
    if row
        .last_used_at
        .is_none_or(|t| now - t > chrono::Duration::minutes(1))
    {
        let mut active = row.into_active_model();
        active.last_used_at = Set(Some(now));
        active.update(db).await?;
    }
    Ok(Some(id))
}
