//! Application settings that admins change at run time, stored as JSON in `app_settings`.
//! Each setting is a typed struct with a key and a default.
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, sea_query::OnConflict};
use serde::{Serialize, de::DeserializeOwned};

use crate::entities::app_settings;

pub trait Setting: Serialize + DeserializeOwned + Default {
    const KEY: &'static str;
}

/// Reads a setting; a missing or unreadable value gives the default.
pub async fn get<S: Setting, C: ConnectionTrait>(conn: &C) -> Result<S, DbErr> {
    let row = app_settings::Entity::find_by_id(S::KEY.to_owned())
        .one(conn)
        .await?;
    Ok(parse(row.map(|r| r.value).as_deref()))
}

/// `(SELECT value FROM app_settings WHERE key = …)`: a setting's stored value as a column of a
/// larger statement (`NULL` while unset), read back with [`parse`].
pub fn value_column<S: Setting>() -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::{ColumnTrait, sea_query::Query};
    crate::db::scalar(
        Query::select()
            .column(app_settings::Column::Value)
            .from(app_settings::Entity)
            .and_where(app_settings::Column::Key.eq(S::KEY))
            .to_owned(),
    )
}

/// A setting from its stored value; a missing or unreadable value gives the default.
pub fn parse<S: Setting>(value: Option<&str>) -> S {
    value
        .and_then(|v| serde_json::from_str(v).ok())
        .unwrap_or_default()
}

pub async fn put<S: Setting, C: ConnectionTrait>(conn: &C, value: &S) -> Result<(), DbErr> {
    let json = serde_json::to_string(value).map_err(|e| DbErr::Custom(e.to_string()))?;
    app_settings::Entity::insert(app_settings::ActiveModel {
        key: Set(S::KEY.to_owned()),
        value: Set(json),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(app_settings::Column::Key)
            .update_columns([app_settings::Column::Value, app_settings::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Inserts a marker row; `false` when it was already there. The primary key makes this the
/// one safe way for two racing requests to agree on who was first.
pub async fn claim_once<C: ConnectionTrait>(conn: &C, key: &str) -> Result<bool, DbErr> {
    let result = app_settings::Entity::insert(app_settings::ActiveModel {
        key: Set(key.to_owned()),
        value: Set("true".into()),
        updated_at: Set(Utc::now()),
    })
    .exec_without_returning(conn)
    .await;
    match result {
        Ok(_) => Ok(true),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}
