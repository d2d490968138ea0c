//! What the dashboard reads, in a fixed number of statements whatever the community holds
//! (issue 25's budget):
//!
//! 1. the catalogue: every department and every space, by name (also the page's filter lists);
//! 2. the people: one row per person with their name, whether they are active, their
//!    department, their ambassador mark and the spaces they are a member of.
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr, QueryResult, Statement,
    sea_query::{Alias, Expr, ExprTrait, Order, Query},
};
use serde::Serialize;

use crate::{
    db::{comma_list, scalar},
    entities::{profiles, space_members, users},
    people::{departments::Department, repo::ambassador_expr},
};

/// Runs `sql` with its parameters `$1`, `$2`… on either database: on SQLite they become `?1`,
/// `?2`… (numbered, so a parameter may come twice and in any order).
pub(super) async fn rows(
    db: &DatabaseConnection,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<QueryResult>, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => sql.to_owned(),
        _ => (1..=values.len()).rev().fold(sql.to_owned(), |sql, n| {
            sql.replace(&format!("${n}"), &format!("?{n}"))
        }),
    };
    db.query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
}

/// [`rows`] read as tuples (`(i64, DateTime<Utc>)`, ...), one per row.
pub(super) async fn tuples<T: sea_orm::TryGetableMany>(
    db: &DatabaseConnection,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<T>, DbErr> {
    rows(db, sql, values)
        .await?
        .iter()
        .map(|row| row.try_get_many_by_index())
        .collect()
}

/// A space as the dashboard lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SpaceEntry {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// `open`, `closed` or `secret`.
    pub kind: String,
}

/// Every department and every space, each in the database's order of their names.
#[derive(Default)]
pub struct Catalogue {
    pub departments: Vec<Department>,
    pub spaces: Vec<SpaceEntry>,
}

/// The departments and the spaces (one statement).
pub(super) async fn catalogue(db: &DatabaseConnection) -> Result<Catalogue, DbErr> {
    let mut catalogue = Catalogue::default();
    for row in rows(
        db,
        "SELECT 'department', id, name, CAST(NULL AS TEXT), CAST(NULL AS TEXT) FROM departments \
         UNION ALL SELECT 'space', id, name, slug, kind FROM spaces ORDER BY 1, 3",
        vec![],
    )
    .await?
    {
        let (what, id, name): (String, i64, String) = row.try_get_many_by_index()?;
        if what == "department" {
            catalogue.departments.push(Department { id, name });
        } else {
            catalogue.spaces.push(SpaceEntry {
                id,
                name,
                slug: row.try_get_by_index(3)?,
                kind: row.try_get_by_index(4)?,
            });
        }
    }
    Ok(catalogue)
}

/// A person as the dashboard needs them.
pub(super) struct Person {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) active: bool,
    pub(super) department: Option<i64>,
    pub(super) ambassador: bool,
    /// The spaces they are a member of (not those they asked to join).
    pub(super) spaces: Vec<i64>,
}

/// Everyone, active or not, by id (one statement).
pub(super) async fn people(db: &DatabaseConnection) -> Result<Vec<Person>, DbErr> {
    let spaces = Query::select()
        .expr(comma_list(
            db.get_database_backend(),
            Expr::col((space_members::Entity, space_members::Column::SpaceId)).cast_as("TEXT"),
        ))
        .from(space_members::Entity)
        .and_where(
            Expr::col((space_members::Entity, space_members::Column::UserId))
                .equals((users::Entity, users::Column::Id)),
        )
        .and_where(Expr::col((space_members::Entity, space_members::Column::State)).eq("member"))
        .to_owned();
    let select = Query::select()
        .column((users::Entity, users::Column::Id))
        .column((users::Entity, users::Column::DisplayName))
        .column((users::Entity, users::Column::IsActive))
        .column((profiles::Entity, profiles::Column::DepartmentId))
        .expr_as(ambassador_expr(), Alias::new("ambassador"))
        .expr_as(scalar(spaces), Alias::new("spaces"))
        .from(users::Entity)
        .left_join(
            profiles::Entity,
            Expr::col((profiles::Entity, profiles::Column::UserId))
                .equals((users::Entity, users::Column::Id)),
        )
        .order_by((users::Entity, users::Column::Id), Order::Asc)
        .to_owned();
    db.query_all(&select)
        .await?
        .iter()
        .map(|row| {
            let spaces: Option<String> = row.try_get_by_index(5)?;
            Ok(Person {
                id: row.try_get_by_index(0)?,
                name: row.try_get_by_index(1)?,
                active: row.try_get_by_index(2)?,
                department: row.try_get_by_index(3)?,
                ambassador: row.try_get_by_index::<i64>(4)? > 0,
                spaces: spaces
                    .iter()
                    .flat_map(|list| list.split(','))
                    .map(|id| {
                        id.parse()
                            .map_err(|_| DbErr::Type(format!("space id {id}")))
                    })
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect()
}
