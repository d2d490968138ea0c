//! Departments as managed data: admins keep the list, people pick from it, KPIs group by it.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    audit,
    auth::{current_user::CurrentUser, types::Role},
    entities::departments,
    error::{AppError, AppResult, Msg},
};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Department {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DepartmentInput {
    pub name: String,
}

fn parse_name(raw: &str) -> AppResult<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AppError::validation(
            "name",
            Msg::new("err-department-empty"),
        ));
    }
    if name.chars().count() > 100 {
        return Err(AppError::validation(
            "name",
            Msg::new("err-field-too-long").arg("max", 100),
        ));
    }
    Ok(name)
}

pub async fn list(db: &DatabaseConnection) -> AppResult<Vec<Department>> {
    Ok(departments::Entity::find()
        .order_by_asc(departments::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|d| Department {
            id: d.id,
            name: d.name,
        })
        .collect())
}

/// The department with this id or (case-insensitive) name.
pub async fn find(db: &DatabaseConnection, key: &str) -> AppResult<Option<Department>> {
    Ok(matching(&list(db).await?, key).cloned())
}

/// The department of [`list`] with this id or (case-insensitive) name.
pub fn matching<'a>(all: &'a [Department], key: &str) -> Option<&'a Department> {
    let key = key.trim();
    all.iter()
        .find(|d| key.parse::<i64>().is_ok_and(|id| id == d.id) || d.name.eq_ignore_ascii_case(key))
}

/// The people of a department show its name in their search documents.
async fn enqueue_members(txn: &sea_orm::DatabaseTransaction, id: i64) -> AppResult<()> {
    use sea_orm::QuerySelect;
    let members: Vec<i64> = crate::entities::profiles::Entity::find()
        .select_only()
        .column(crate::entities::profiles::Column::UserId)
        .filter(crate::entities::profiles::Column::DepartmentId.eq(id))
        .into_tuple()
        .all(txn)
        .await?;
    let docs: Vec<_> = members
        .into_iter()
        .map(crate::events::Doc::Person)
        .collect();
    crate::events::changed(txn, &docs).await?;
    Ok(())
}

/// Department names are unique regardless of case ("Sales" and "sales" are one department).
async fn ensure_free(db: &DatabaseConnection, name: &str, except: Option<i64>) -> AppResult<()> {
    let taken = list(db)
        .await?
        .iter()
        .any(|d| d.name.to_lowercase() == name.to_lowercase() && Some(d.id) != except);
    if taken {
        return Err(AppError::conflict("err-department-taken"));
    }
    Ok(())
}

async fn unique_violation_or<T>(result: Result<T, sea_orm::DbErr>) -> AppResult<T> {
    result.map_err(|e| {
        if crate::db::is_unique_violation(&e) {
            AppError::conflict("err-department-taken")
        } else {
            e.into()
        }
    })
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &DepartmentInput,
) -> AppResult<Department> {
    actor.require(Role::Admin)?;
    let name = parse_name(&input.name)?;
    ensure_free(db, &name, None).await?;
    let txn = crate::db::begin(db).await?;
    let row = unique_violation_or(
        departments::ActiveModel {
            name: Set(name),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await,
    )
    .await?;
    audit::record(
        &txn,
        Some(actor.id),
        "department.created",
        None,
        serde_json::json!({ "name": row.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(Department {
        id: row.id,
        name: row.name,
    })
}

pub async fn rename(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    input: &DepartmentInput,
) -> AppResult<Department> {
    actor.require(Role::Admin)?;
    let name = parse_name(&input.name)?;
    ensure_free(db, &name, Some(id)).await?;
    let txn = crate::db::begin(db).await?;
    let row = departments::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let old = row.name.clone();
    let mut active = row.into_active_model();
    active.name = Set(name);
    let row = unique_violation_or(active.update(&txn).await).await?;
    enqueue_members(&txn, id).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "department.renamed",
        None,
        serde_json::json!({ "from": old, "to": row.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(Department {
        id: row.id,
        name: row.name,
    })
}

/// Deletes a department; its people keep their profiles without a department.
pub async fn delete(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let row = departments::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    enqueue_members(&txn, id).await?;
    crate::entities::profiles::Entity::update_many()
        .col_expr(
            crate::entities::profiles::Column::DepartmentId,
            sea_orm::sea_query::Expr::val(Option::<i64>::None),
        )
        .filter(crate::entities::profiles::Column::DepartmentId.eq(id))
        .exec(&txn)
        .await?;
    departments::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "department.deleted",
        None,
        serde_json::json!({ "name": row.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
