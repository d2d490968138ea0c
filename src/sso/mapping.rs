//! The provider's groups mapped to Kring roles and departments, edited by admins and applied
//! at every sign-in.
use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::{
    audit,
    auth::{
        current_user::CurrentUser,
        policy::{self, SignInPolicy},
        repo as users_repo,
        types::{Role, Roles, UserId},
    },
    entities::{departments, directory_group_members, directory_groups, sso_group_mappings},
    error::{AppError, AppResult, Msg},
};

/// Applies the group mapping: the roles that any mapping names follow the person's groups
/// (added when a group maps to them, removed when none does); other roles stay as admins set
/// them. The department follows when a group maps to one. The last active administrator and
/// the break-glass account never lose the admin role this way.
pub(crate) async fn apply(
    txn: &DatabaseTransaction,
    id: UserId,
    groups: &[String],
    via: &str,
) -> AppResult<()> {
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
        crate::auth::service::audit_role_changes(txn, None, id, &old, &new_roles, Some(via))
            .await?;
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
                json!({ "from": before, "to": department, "via": via }),
            )
            .await?;
        }
    }
    Ok(())
}

/// The group names the mapping matches for each of these people from the directory's groups
/// (provisioned by SCIM): each group's display name and external id.
pub(crate) async fn directory_groups<C: ConnectionTrait>(
    conn: &C,
    people: &[i64],
) -> AppResult<HashMap<i64, Vec<String>>> {
    let rows = directory_group_members::Entity::find()
        .filter(directory_group_members::Column::UserId.is_in(people.to_vec()))
        .all(conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.group_id).collect();
    let groups: HashMap<i64, directory_groups::Model> = directory_groups::Entity::find()
        .filter(directory_groups::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for row in rows {
        if let Some(group) = groups.get(&row.group_id) {
            let names = out.entry(row.user_id).or_default();
            names.push(group.display_name.clone());
            names.extend(group.external_id.clone());
        }
    }
    Ok(out)
}

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

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    actor: &CurrentUser,
) -> AppResult<Vec<GroupMapping>> {
    actor.require(Role::Admin)?;
    list_mappings(conn).await
}

/// The mappings by group, each with its department's name (one statement).
async fn list_mappings<C: ConnectionTrait>(conn: &C) -> AppResult<Vec<GroupMapping>> {
    use sea_orm::{
        FromQueryResult,
        sea_query::{Alias, Expr, ExprTrait, Order, Query},
    };
    let mut select = Query::select();
    crate::db::all_columns(&mut select, sso_group_mappings::Entity);
    select
        .from(sso_group_mappings::Entity)
        .expr_as(
            crate::db::scalar(
                Query::select()
                    .column((departments::Entity, departments::Column::Name))
                    .from(departments::Entity)
                    .and_where(
                        Expr::col((departments::Entity, departments::Column::Id)).equals((
                            sso_group_mappings::Entity,
                            sso_group_mappings::Column::DepartmentId,
                        )),
                    )
                    .to_owned(),
            ),
            Alias::new("department_name_"),
        )
        .order_by(
            (
                sso_group_mappings::Entity,
                sso_group_mappings::Column::GroupName,
            ),
            Order::Asc,
        )
        .order_by(
            (sso_group_mappings::Entity, sso_group_mappings::Column::Id),
            Order::Asc,
        );
    crate::db::all(conn, &select)
        .await?
        .iter()
        .map(|row| -> AppResult<GroupMapping> {
            let m = sso_group_mappings::Model::from_query_result(row, "")?;
            Ok(GroupMapping {
                id: m.id,
                group: m.group_name,
                role: m.role.as_deref().and_then(|r| r.parse().ok()),
                department: row.try_get("", "department_name_")?,
                department_id: m.department_id,
            })
        })
        .collect()
}

/// Adds one mapping (a group to a role, a department, or both); audited.
pub async fn add(
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
        return Err(AppError::validation(
            "role",
            Msg::new("err-sso-mapping-empty"),
        ));
    }
    if input.role == Some(Role::Member) {
        return Err(AppError::validation(
            "role",
            Msg::new("err-sso-mapping-member"),
        ));
    }
    let txn = crate::db::begin(db).await?;
    if let Some(d) = input.department_id
        && departments::Entity::find_by_id(d)
            .one(&txn)
            .await?
            .is_none()
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

pub async fn remove(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let row = sso_group_mappings::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    sso_group_mappings::Entity::delete_by_id(id)
        .exec(&txn)
        .await?;
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
