//! Database connection and migrations, for SQLite (embedded default) and PostgreSQL.
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::config::{Backend, DatabaseUrl};

mod reused;
pub use reused::{Reused, id_of, time_of};

/// Connects, creating the directory of an SQLite file when needed, and tunes SQLite for a web
/// server.
pub async fn connect(database: &DatabaseUrl) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = database.sqlite_path()
        && let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the database directory {}", dir.display()))?;
    }
    let mut options = ConnectOptions::new(database.expose().to_owned());
    options
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    match database.backend {
        Backend::Sqlite => {
            // One file, one writer: a small pool avoids "database is locked" storms. Every
            // connection gets the same settings: WAL journal so readers do not block the
            // writer, a busy timeout, foreign keys on.
            options
                .max_connections(8)
                .min_connections(1)
                .map_sqlx_sqlite_opts(|o| {
                    use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                    o.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(10))
                })
                .map_sqlx_sqlite_pool_opts(|pool| {
                    pool.after_release(|conn, _| Box::pin(sqlite_connection_is_clean(conn)))
                });
        }
        Backend::Postgres => {
            options.max_connections(20).min_connections(1);
        }
    }
    let mut db = Database::connect(options)
        .await
        .with_context(|| format!("cannot connect to the database at {database}"))?;
    db.set_metric_callback(statements::record);
    Ok(db)
}

/// `(SELECT COUNT(*) FROM table WHERE conditions…)`: a count as a column of a larger statement
/// (the viewer's navigation counts, the home page's facts), so several counts cost one
/// statement. `COUNT(*)` is a 64-bit integer on both databases.
pub fn count_of<T: sea_orm::sea_query::IntoIden>(
    table: T,
    conditions: impl IntoIterator<Item = sea_orm::sea_query::SimpleExpr>,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, Query, QueryStatementBuilder, SimpleExpr};
    let mut query = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(table)
        .to_owned();
    for condition in conditions {
        query.and_where(condition);
    }
    SimpleExpr::SubQuery(None, Box::new(query.into_sub_query_statement()))
}

/// `EXISTS (SELECT 1 FROM table WHERE …)`: whether a row matches (a flag column that lets a
/// read skip a statement that would find nothing).
pub fn exists_in<T: sea_orm::sea_query::IntoIden>(
    table: T,
    conditions: impl IntoIterator<Item = sea_orm::sea_query::SimpleExpr>,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, Query};
    let mut query = Query::select().expr(Expr::val(1)).from(table).to_owned();
    for condition in conditions {
        query.and_where(condition);
    }
    Expr::exists(query)
}

/// `(SELECT …)`: a statement as a scalar column of a larger one.
pub fn scalar(select: sea_orm::sea_query::SelectStatement) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::QueryStatementBuilder;
    sea_orm::sea_query::SimpleExpr::SubQuery(None, Box::new(select.into_sub_query_statement()))
}

/// `query` as a statement for `backend`, with its plan constants written into the SQL: every
/// `LIMIT` and `OFFSET` (sea-query binds them as unsigned integers, which nothing else here
/// binds) and every boolean. The rest stays bound.
///
/// PostgreSQL plans a prepared statement's first five executions for their values and then
/// keeps a generic plan only if it looks as cheap. A generic plan cannot know a bound `LIMIT`
/// and costs it as a tenth of the rows: the question list's generic plan was costed at 62,231
/// against 654 for the same plan with `LIMIT 21`, so PostgreSQL planned the list anew on every
/// call (1 ms, more than it took to run). With the constants in the text, the generic plan is
/// the custom one and is kept.
pub fn statement(
    backend: sea_orm::DbBackend,
    query: &impl sea_orm::sea_query::QueryStatementBuilder,
) -> sea_orm::Statement {
    let (sql, values) = built(backend, query, |value| {
        matches!(
            value,
            sea_orm::Value::BigUnsigned(Some(_)) | sea_orm::Value::Bool(Some(_))
        )
    });
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

/// `query`'s SQL for `backend` with the values `literal` picks written into it (sea-query's own
/// literal writer) and the others bound, in order.
fn built<F: Fn(&sea_orm::Value) -> bool>(
    backend: sea_orm::DbBackend,
    query: &impl sea_orm::sea_query::QueryStatementBuilder,
    literal: F,
) -> (String, Vec<sea_orm::Value>) {
    use sea_orm::sea_query::{PostgresQueryBuilder, QueryBuilder, SqliteQueryBuilder};
    fn with<F: Fn(&sea_orm::Value) -> bool>(
        query: &impl sea_orm::sea_query::QueryStatementBuilder,
        builder: &impl QueryBuilder,
        literal: F,
    ) -> (String, Vec<sea_orm::Value>) {
        let (placeholder, numbered) = builder.placeholder();
        let mut writer = Literals {
            bound: sea_orm::sea_query::SqlWriterValues::new(placeholder, numbered),
            literal,
        };
        query.build_collect_any_into(builder, &mut writer);
        let (sql, values) = writer.bound.into_parts();
        (sql, values.0)
    }
    match backend {
        sea_orm::DbBackend::Postgres => with(query, &PostgresQueryBuilder, literal),
        _ => with(query, &SqliteQueryBuilder, literal),
    }
}

/// Every row of `query` (built by [`statement`]).
pub async fn all<C: sea_orm::ConnectionTrait>(
    conn: &C,
    query: &impl sea_orm::sea_query::QueryStatementBuilder,
) -> Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
    conn.query_all_raw(statement(conn.get_database_backend(), query))
        .await
}

/// The first row of `query` (built by [`statement`]), if any.
pub async fn one<C: sea_orm::ConnectionTrait>(
    conn: &C,
    query: &impl sea_orm::sea_query::QueryStatementBuilder,
) -> Result<Option<sea_orm::QueryResult>, sea_orm::DbErr> {
    conn.query_one_raw(statement(conn.get_database_backend(), query))
        .await
}

/// The SQL writer of [`built`]: the values `literal` picks written in, the others bound.
struct Literals<F> {
    bound: sea_orm::sea_query::SqlWriterValues,
    literal: F,
}

impl<F> std::fmt::Write for Literals<F> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.bound.write_str(s)
    }
}

impl<F> std::fmt::Display for Literals<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.bound.fmt(f)
    }
}

impl<F: Fn(&sea_orm::Value) -> bool> sea_orm::sea_query::SqlWriter for Literals<F> {
    fn push_param<T: sea_orm::sea_query::QueryBuilder>(
        &mut self,
        value: sea_orm::Value,
        query_builder: &T,
    ) {
        if (self.literal)(&value) {
            let mut text = String::new();
            query_builder
                .write_value(&mut text, &value)
                .expect("writing to a String");
            // A NULL keeps its type only bound: written out, PostgreSQL takes an untyped NULL
            // among a derived table's columns for text, and a `UNION` of it with a number
            // fails (the feed's branches).
            if text != "NULL" {
                std::fmt::Write::write_str(&mut self.bound, &text).expect("writing to a String");
                return;
            }
        }
        self.bound.push_param(value, query_builder);
    }

    fn as_writer(&mut self) -> &mut dyn std::fmt::Write {
        self as _
    }
}

/// Every column of `entity`, under its own name (for `Model::from_query_result` on a row that
/// also holds joined, aliased columns).
pub fn all_columns<E: sea_orm::EntityTrait>(
    select: &mut sea_orm::sea_query::SelectStatement,
    entity: E,
) {
    use sea_orm::Iterable;
    for column in E::Column::iter() {
        select.column((entity, column));
    }
}

/// Every column of `entity` as `<prefix><column>` (for `Model::from_query_result(row, prefix)`
/// on a row that joins two tables whose column names clash).
pub fn prefixed_columns<E: sea_orm::EntityTrait>(
    select: &mut sea_orm::sea_query::SelectStatement,
    entity: E,
    prefix: &str,
) {
    use sea_orm::{Iterable, sea_query::Alias};
    for column in E::Column::iter() {
        select.expr_as(
            sea_orm::sea_query::Expr::col((entity, column)),
            Alias::new(format!("{prefix}{}", sea_orm::IdenStatic::as_str(&column))),
        );
    }
}

/// Several lists of one shape in one statement: each arm (with its own filter, order and limit)
/// becomes `SELECT *, <i> AS list_ FROM (<arm>) AS list_<i>`, joined with `UNION ALL`. A row's
/// `list_` (an `i32`) names its arm. SQL keeps no order across the union, so callers sort each
/// list again.
pub fn union_lists(
    arms: impl IntoIterator<Item = sea_orm::sea_query::SelectStatement>,
) -> Option<sea_orm::sea_query::SelectStatement> {
    use sea_orm::sea_query::{Alias, Asterisk, Expr, Query, UnionType};
    let mut arms = arms.into_iter().enumerate().map(|(i, arm)| {
        Query::select()
            .column(Asterisk)
            .expr_as(Expr::cust(i.to_string()), Alias::new("list_"))
            .from_subquery(arm, Alias::new(format!("list_{i}")))
            .to_owned()
    });
    let mut union = arms.next()?;
    for arm in arms {
        union.union(UnionType::All, arm);
    }
    Some(union)
}

/// Strings joined with commas, as an aggregate: `STRING_AGG` on PostgreSQL, `GROUP_CONCAT` on
/// SQLite (in no particular order).
pub fn comma_list(
    backend: sea_orm::DatabaseBackend,
    expr: sea_orm::sea_query::SimpleExpr,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Alias, Func};
    let name = match backend {
        sea_orm::DatabaseBackend::Postgres => "STRING_AGG",
        _ => "GROUP_CONCAT",
    };
    Func::cust(Alias::new(name)).arg(expr).arg(",").into()
}

/// Counting the statements a piece of work runs (one request, see
/// `web::statements::count`): every statement run on a connection made by [`connect`] adds
/// one to the counter of the task that runs it, when that task counts.
pub mod statements {
    use std::{cell::Cell, future::Future};

    tokio::task_local! {
        static COUNT: Cell<u64>;
    }

    /// The metric callback of every connection. `RUST_LOG=kring::db=trace` logs each statement
    /// with its time (to see what a request runs).
    pub(super) fn record(info: &sea_orm::metric::Info<'_>) {
        let _ = COUNT.try_with(|count| count.set(count.get() + 1));
        tracing::trace!(elapsed = ?info.elapsed, failed = info.failed, sql = %info.statement.sql, "statement");
    }

    /// Runs `work` and returns its output with the number of statements it ran.
    pub async fn counted<F: Future>(work: F) -> (F::Output, u64) {
        COUNT
            .scope(Cell::new(0), async {
                let output = work.await;
                (output, COUNT.with(Cell::get))
            })
            .await
    }
}

/// Whether a connection given back to the pool may be used again: SQLite and sqlx must agree
/// that no transaction is open. They disagree after a failed write on a full disk: SQLite
/// rolls the transaction back by itself, sqlx's `ROLLBACK` then fails ("no transaction is
/// active") and sqlx goes on counting an open transaction. Reused, such a connection turns the
/// next `BEGIN IMMEDIATE` into a `SAVEPOINT` inside a deferred transaction, which fails at once
/// with "database is locked", on every write it serves, long after space is back. Closing it
/// is the way out: the pool opens a fresh one.
async fn sqlite_connection_is_clean(
    conn: &mut sea_orm::sqlx::SqliteConnection,
) -> Result<bool, sea_orm::sqlx::Error> {
    use sea_orm::sqlx::Connection;
    let sqlx_depth = conn.is_in_transaction();
    let mut handle = conn.lock_handle().await?;
    // SAFETY: the locked handle guarantees no other thread uses the connection meanwhile.
    let sqlite_open =
        unsafe { libsqlite3_sys::sqlite3_get_autocommit(handle.as_raw_handle().as_ptr()) } == 0;
    let clean = !sqlx_depth && !sqlite_open;
    if sqlite_open {
        tracing::warn!(
            sqlx_depth,
            sqlite_open,
            "discarding a database connection left inside a transaction"
        );
    } else if sqlx_depth {
        // SQLite has no transaction open but sqlx still counts one: after a failed write on a
        // full disk (above), and also, briefly, after a transaction dropped on an error path
        // while its rollback is still on the way (the `ROLLBACK` ran, the count not yet
        // lowered). Both are harmless once the connection is gone; the full disk is reported
        // by the write health (`health`), so this is no warning (it broke the CLI's one-line
        // errors when the race went that way).
        tracing::debug!(
            sqlx_depth,
            sqlite_open,
            "discarding a database connection sqlx still counts inside a transaction"
        );
    }
    Ok(clean)
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("cannot apply the database migrations")
}

/// Whether the error is a violated unique constraint (e.g. a second row with the same key).
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Starts a transaction that will write. On SQLite it takes the write lock at `BEGIN`
/// (`BEGIN IMMEDIATE`), so two concurrent read-then-write transactions queue behind the busy
/// timeout instead of one failing with "database is locked" (SQLITE_BUSY_SNAPSHOT) when it
/// tries to upgrade its read snapshot. PostgreSQL ignores the SQLite mode.
pub async fn begin<C: sea_orm::TransactionTrait>(db: &C) -> Result<C::Transaction, sea_orm::DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Keys of the transaction-scoped locks taken with [`serialize`].
pub mod locks {
    /// Changes to who is an active admin (the last-admin rule).
    pub const ADMINS: i64 = 0x6b72_696e_6701;

    /// Issuing one person's account tokens (only the newest link of a purpose works).
    pub const fn account_tokens(user_id: i64) -> i64 {
        0x746b_0000_0000_i64 + user_id
    }
}

/// Makes transactions that take the same `key` run one after another. PostgreSQL: a
/// transaction-scoped advisory lock, released at commit or rollback. SQLite needs nothing:
/// write transactions begin with `BEGIN IMMEDIATE` ([`begin`]) and are serial already.
pub async fn serialize<C: sea_orm::ConnectionTrait>(
    txn: &C,
    key: i64,
) -> Result<(), sea_orm::DbErr> {
    serialize_after(txn, None, key).await
}

/// Writes `first` (an insert of the transaction that needs no answer, such as a search outbox
/// row), then [`serialize`]s on `key`. On PostgreSQL both are one statement, `WITH first_write
/// AS (INSERT …) SELECT pg_advisory_xact_lock(key)`, so a write that also takes a lock makes
/// one round trip fewer; SQLite runs the insert alone.
pub async fn serialize_after<C: sea_orm::ConnectionTrait>(
    txn: &C,
    first: Option<sea_orm::sea_query::InsertStatement>,
    key: i64,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::{Alias, CommonTableExpression, Func, Query, WithClause};
    if txn.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        if let Some(first) = first {
            txn.execute(&first).await?;
        }
        return Ok(());
    }
    let lock = Query::select()
        .expr(Func::cust(Alias::new("pg_advisory_xact_lock")).arg(key))
        .to_owned();
    match first {
        None => txn.execute(&lock).await?,
        Some(first) => {
            let first = CommonTableExpression::new()
                .query(first)
                .table_name(Alias::new("first_write"))
                .to_owned();
            txn.execute(&lock.with(WithClause::new().cte(first).to_owned()))
                .await?
        }
    };
    Ok(())
}
