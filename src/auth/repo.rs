//! Queries on users, roles, sessions and tokens, shared by the account services.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QuerySelect, RelationTrait,
};

use super::types::{Email, Role, Roles, UserId};
use crate::entities::{api_tokens, sessions, user_roles, users};

pub async fn find_by_email<C: ConnectionTrait>(
    conn: &C,
    email: &Email,
) -> Result<Option<users::Model>, DbErr> {
    users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .one(conn)
        .await
}

/// The display names of these people (one query per 500; none for no ids): the one query for
/// "names of these users" that lists, boards and notices use.
pub async fn display_names<C: ConnectionTrait>(
    conn: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, DbErr> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    let mut names = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String)> = users::Entity::find()
            .select_only()
            .column(users::Column::Id)
            .column(users::Column::DisplayName)
            .filter(users::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        names.extend(rows);
    }
    Ok(names)
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: UserId) -> Result<Option<users::Model>, DbErr> {
    users::Entity::find_by_id(id.0).one(conn).await
}

/// A user with their roles, in one statement.
pub async fn find_with_roles<C: ConnectionTrait>(
    conn: &C,
    id: UserId,
) -> Result<Option<(users::Model, Roles)>, DbErr> {
    use sea_orm::{
        FromQueryResult,
        sea_query::{Expr, ExprTrait, Query},
    };
    let mut select = Query::select();
    super::viewer::user_columns(&mut select);
    select
        .from(users::Entity)
        .and_where(Expr::col((users::Entity, users::Column::Id)).eq(id.0));
    let Some(row) = crate::db::one(conn, &select).await? else {
        return Ok(None);
    };
    let roles = super::viewer::roles_of_bits(row.try_get("", "viewer_roles")?);
    Ok(Some((users::Model::from_query_result(&row, "")?, roles)))
}

pub async fn roles_of<C: ConnectionTrait>(conn: &C, id: UserId) -> Result<Roles, DbErr> {
    Ok(roles_of_many(conn, &[id.0])
        .await?
        .remove(&id.0)
        .unwrap_or_default())
}

/// The roles of many users in one query (no N+1 in lists).
pub async fn roles_of_many<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Roles>, DbErr> {
    let rows = user_roles::Entity::find()
        .filter(user_roles::Column::UserId.is_in(ids.iter().copied()))
        .all(conn)
        .await?;
    let mut map: HashMap<i64, Vec<Role>> = ids.iter().map(|id| (*id, vec![])).collect();
    for row in rows {
        if let Ok(role) = row.role.parse::<Role>() {
            map.entry(row.user_id).or_default().push(role);
        }
    }
    Ok(map.into_iter().map(|(k, v)| (k, Roles::new(v))).collect())
}

/// Replaces a user's roles.
pub async fn set_roles<C: ConnectionTrait>(
    conn: &C,
    id: UserId,
    roles: &Roles,
) -> Result<(), DbErr> {
    user_roles::Entity::delete_many()
        .filter(user_roles::Column::UserId.eq(id.0))
        .exec(conn)
        .await?;
    let rows: Vec<_> = roles
        .stored()
        .map(|role| user_roles::ActiveModel {
            user_id: Set(id.0),
            role: Set(role.as_str().to_owned()),
            created_at: Set(Utc::now()),
        })
        .collect();
    if !rows.is_empty() {
        user_roles::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

pub struct NewUserRow<'a> {
    pub email: &'a Email,
    pub display_name: &'a str,
    pub password_hash: Option<String>,
    pub locale: Option<&'a str>,
    pub is_leadership: bool,
    /// Registered by themselves and not verified yet: inactive until the mailed link is opened.
    pub pending: bool,
}

pub async fn insert_user<C: ConnectionTrait>(
    conn: &C,
    row: NewUserRow<'_>,
) -> Result<users::Model, DbErr> {
    let now = Utc::now();
    users::ActiveModel {
        email: Set(row.email.as_str().to_owned()),
        display_name: Set(row.display_name.to_owned()),
        password_hash: Set(row.password_hash),
        locale: Set(row.locale.map(str::to_owned)),
        is_leadership: Set(row.is_leadership),
        is_active: Set(!row.pending),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        email_verified_at: Set((!row.pending).then_some(now)),
        ..Default::default()
    }
    .insert(conn)
    .await
}

/// Ends every session of a user (deactivation, password change).
pub async fn delete_sessions_of<C: ConnectionTrait>(conn: &C, id: UserId) -> Result<(), DbErr> {
    sessions::Entity::delete_many()
        .filter(sessions::Column::UserId.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn revoke_tokens_of<C: ConnectionTrait>(conn: &C, id: UserId) -> Result<(), DbErr> {
    api_tokens::Entity::update_many()
        .col_expr(
            api_tokens::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(api_tokens::Column::UserId.eq(id.0))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Active users holding the admin role.
pub async fn count_active_admins<C: ConnectionTrait>(conn: &C) -> Result<u64, DbErr> {
    users::Entity::find()
        .join(JoinType::InnerJoin, users::Relation::UserRoles.def())
        .filter(user_roles::Column::Role.eq(Role::Admin.as_str()))
        .filter(users::Column::IsActive.eq(true))
        .count(conn)
        .await
}

pub async fn count_users<C: ConnectionTrait>(conn: &C) -> Result<u64, DbErr> {
    users::Entity::find().count(conn).await
}
