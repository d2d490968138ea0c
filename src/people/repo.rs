//! Queries about people: authors as lists show them, directory summaries (profile, department,
//! roles and expertise of many people in a fixed number of queries).
use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::views::PersonSummary;
use crate::{auth::types::Role, entities::users, uploads};

/// Authors as lists show them, by id.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Author {
    pub id: i64,
    pub display_name: String,
    pub is_ambassador: bool,
    pub is_leadership: bool,
}

fn unique(ids: &[i64]) -> Vec<i64> {
    ids.iter()
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect()
}

/// `(SELECT COUNT(*) FROM user_roles WHERE user_id = users.id AND role = 'ambassador')`, as a
/// column of a statement over `users`: the ambassador mark without a statement of its own.
pub fn ambassador_expr() -> sea_orm::sea_query::SimpleExpr {
    use crate::entities::user_roles;
    use sea_orm::sea_query::{Expr, ExprTrait};
    crate::db::count_of(
        user_roles::Entity,
        [
            Expr::col((user_roles::Entity, user_roles::Column::UserId))
                .equals((users::Entity, users::Column::Id)),
            Expr::col((user_roles::Entity, user_roles::Column::Role)).eq(Role::Ambassador.as_str()),
        ],
    )
}

/// Joins `users` on `author` and selects what an [`Author`] needs (read back with
/// [`author_of`]): a statement's rows carry their authors without a statement of their own.
pub fn join_author(
    select: &mut sea_orm::sea_query::SelectStatement,
    author: sea_orm::sea_query::SimpleExpr,
) {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType};
    select
        .join(
            JoinType::InnerJoin,
            users::Entity,
            Expr::col((users::Entity, users::Column::Id)).eq(author),
        )
        .expr_as(
            Expr::col((users::Entity, users::Column::Id)),
            Alias::new("author_id_"),
        )
        .expr_as(
            Expr::col((users::Entity, users::Column::DisplayName)),
            Alias::new("author_name_"),
        )
        .expr_as(
            Expr::col((users::Entity, users::Column::IsLeadership)),
            Alias::new("author_leadership_"),
        )
        .expr_as(ambassador_expr(), Alias::new("author_ambassador_"));
}

/// `(SELECT display_name FROM users AS <alias> WHERE <alias>.id = <id>)`: a person's name as a
/// column (who closed, who marked, who decided), `NULL` for no one.
pub fn name_column(
    alias: &str,
    id: sea_orm::sea_query::SimpleExpr,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let alias = Alias::new(alias);
    crate::db::scalar(
        Query::select()
            .column((alias.clone(), users::Column::DisplayName))
            .from_as(users::Entity, alias.clone())
            .and_where(Expr::col((alias, users::Column::Id)).eq(id))
            .to_owned(),
    )
}

/// The author of a row of a statement made with [`join_author`].
pub fn author_of(row: &sea_orm::QueryResult) -> Result<Author, DbErr> {
    Ok(Author {
        id: row.try_get("", "author_id_")?,
        display_name: row.try_get("", "author_name_")?,
        is_leadership: row.try_get("", "author_leadership_")?,
        is_ambassador: row.try_get::<i64>("", "author_ambassador_")? > 0,
    })
}

#[derive(sea_orm::FromQueryResult)]
struct AuthorRow {
    id: i64,
    display_name: String,
    is_leadership: bool,
    ambassador: i64,
}

/// Authors as lists show them, by id, in one statement.
pub async fn authors<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Author>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = users::Entity::find()
        .select_only()
        .columns([
            users::Column::Id,
            users::Column::DisplayName,
            users::Column::IsLeadership,
        ])
        .column_as(ambassador_expr(), "ambassador")
        .filter(users::Column::Id.is_in(unique(ids)))
        .into_model::<AuthorRow>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|u| {
            (
                u.id,
                Author {
                    id: u.id,
                    display_name: u.display_name,
                    is_ambassador: u.ambassador > 0,
                    is_leadership: u.is_leadership,
                },
            )
        })
        .collect())
}

pub fn photo_url(key: Option<&str>, size: u32) -> Option<String> {
    key.map(|k| format!("/uploads/{}", uploads::variant(k, size)))
}

/// Directory summaries of these people, in the order given (unknown ids are skipped), in one
/// statement.
pub async fn summaries<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> Result<Vec<PersonSummary>, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut select = super::reading::summary_select(conn.get_database_backend());
    select.and_where(Expr::col((users::Entity, users::Column::Id)).is_in(unique(ids)));
    let people: HashMap<i64, PersonSummary> = crate::db::all(conn, &select)
        .await?
        .iter()
        .map(|row| super::reading::summary_of(row).map(|p| (p.id, p)))
        .collect::<Result<_, _>>()?;
    Ok(ids
        .iter()
        .filter_map(|id| people.get(id).cloned())
        .collect())
}

/// `users.id` holds `role` (a condition on a statement over `users`).
pub fn holding(role: Role) -> sea_orm::sea_query::SimpleExpr {
    use crate::entities::user_roles;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    Expr::col((users::Entity, users::Column::Id)).in_subquery(
        Query::select()
            .column(user_roles::Column::UserId)
            .from(user_roles::Entity)
            .and_where(Expr::col(user_roles::Column::Role).eq(role.as_str()))
            .to_owned(),
    )
}

/// The active users holding `role`, as directory lists show them, in one statement.
pub async fn summaries_with_role<C: ConnectionTrait>(
    conn: &C,
    role: Role,
) -> Result<Vec<PersonSummary>, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let mut select = super::reading::summary_select(conn.get_database_backend());
    select
        .and_where(Expr::col((users::Entity, users::Column::IsActive)).eq(true))
        .and_where(holding(role));
    super::reading::summaries_of(conn, &select).await
}

/// Ids of the active users holding `role`.
pub async fn with_role<C: ConnectionTrait>(conn: &C, role: Role) -> Result<Vec<i64>, DbErr> {
    users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::IsActive.eq(true))
        .filter(holding(role))
        .into_tuple()
        .all(conn)
        .await
}
