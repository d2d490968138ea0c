//! What the dashboard reads, in a fixed number of statements whatever the community holds
//! (issue 25's budget):
//!
//! 1. the catalogue: every department and every space, by name (also the page's filter lists).
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, QueryResult, Statement};
use serde::Serialize;

use crate::people::departments::Department;

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
