//! Statements of fixed shape, built once per backend ([`Reused`]).

/// A statement of fixed shape whose SQL is built once per backend: each later call clones the
/// text and fills in its own values. For the statements on every request (the viewer's session
/// or token), where building the SQL from its expression tree cost as much as sending it.
///
/// `build` gets the parameters to place and returns the statement; it is called once per
/// backend with stand-ins for them (a string, 64-bit integer or UTC time no statement holds
/// as a constant), and their positions among the statement's values are remembered (a
/// parameter may appear several times, or not at all when the statement does not use it: built
/// with another stand-in for it, the statement is the same). A parameter of another type, or
/// one the statement uses in another form, makes the statement be built on every call instead.
///
/// The shape must not depend on anything but the backend: a statement whose shape varies (the
/// reader's audience) takes one `Reused` per shape. Debug builds (every test) check each
/// reused statement against the statement built anew, so a shape that varies fails there.
pub struct Reused {
    /// Per backend (PostgreSQL, SQLite): the SQL, its values, and where each parameter goes.
    built: [std::sync::OnceLock<Option<Shape>>; 2],
}

struct Shape {
    sql: String,
    values: Vec<sea_orm::Value>,
    /// Which parameter goes to which position among the values.
    slots: Vec<(usize, usize)>,
}

impl Reused {
    pub const fn new() -> Self {
        Self {
            built: [std::sync::OnceLock::new(), std::sync::OnceLock::new()],
        }
    }

    /// The statement for `params`, built by `build` (see [`Reused`]).
    pub fn statement<S: sea_orm::sea_query::QueryStatementBuilder>(
        &self,
        backend: sea_orm::DbBackend,
        params: Vec<sea_orm::Value>,
        build: impl Fn(Vec<sea_orm::Value>) -> S,
    ) -> sea_orm::Statement {
        let slot = match backend {
            sea_orm::DbBackend::Postgres => &self.built[0],
            _ => &self.built[1],
        };
        let shape = slot.get_or_init(|| Shape::of(backend, &params, &build));
        let Some(shape) = shape else {
            return bound(backend, &build(params));
        };
        let mut values = shape.values.clone();
        for &(param, at) in &shape.slots {
            values[at] = params[param].clone();
        }
        let statement = sea_orm::Statement::from_sql_and_values(backend, shape.sql.clone(), values);
        #[cfg(debug_assertions)]
        assert_same(&statement, &bound(backend, &build(params)));
        statement
    }
}

impl Default for Reused {
    fn default() -> Self {
        Self::new()
    }
}

impl Shape {
    /// On PostgreSQL every value but the parameters is written into the SQL: PostgreSQL plans
    /// a prepared statement's first five executions for their values and then keeps a generic
    /// plan only if it looks as cheap; with every constant a parameter (roles, states, `LIMIT
    /// 100`, `TRUE`) the generic plan of the session statement ran 1.5 ms against 0.4 ms, so
    /// PostgreSQL planned it on every call (0.3–0.7 ms per page). With the constants in the
    /// text the generic plan is the custom one. SQLite binds every value, as sea-query does.
    fn of<S: sea_orm::sea_query::QueryStatementBuilder>(
        backend: sea_orm::DbBackend,
        params: &[sea_orm::Value],
        build: &impl Fn(Vec<sea_orm::Value>) -> S,
    ) -> Option<Shape> {
        let stand_ins = params
            .iter()
            .enumerate()
            .map(|(i, p)| stand_in(p, i))
            .collect::<Option<Vec<_>>>()?;
        let build_for = |stand_ins: &[sea_orm::Value]| {
            super::built(backend, &build(stand_ins.to_vec()), |value| {
                backend == sea_orm::DbBackend::Postgres && !stand_ins.contains(value)
            })
        };
        let (sql, values) = build_for(&stand_ins);
        let mut slots = Vec::with_capacity(stand_ins.len());
        let mut unheld = Vec::new();
        for (param, stand_in) in stand_ins.iter().enumerate() {
            let before = slots.len();
            slots.extend(
                values
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| *v == stand_in)
                    .map(|(at, _)| (param, at)),
            );
            if slots.len() == before {
                unheld.push(param);
            }
        }
        // A parameter the statement does not hold may be one it does not use (the reader, for
        // a reader who sees every space): built again with other stand-ins for those, the
        // statement must be the same. One it uses in another form (written into the text,
        // computed on) changes it, and the statement is built on every call.
        if !unheld.is_empty() {
            let mut others = stand_ins.clone();
            for &param in &unheld {
                others[param] = stand_in(&params[param], params.len() + param)?;
            }
            let (other_sql, other_values) = build_for(&others);
            if other_sql != sql || other_values != values {
                tracing::warn!(%sql, "a reused statement does not hold one of its parameters; building it each time");
                return None;
            }
        }
        Some(Shape { sql, values, slots })
    }
}

/// `query` with every value bound (as sea-query builds it).
fn bound(
    backend: sea_orm::DbBackend,
    query: &impl sea_orm::sea_query::QueryStatementBuilder,
) -> sea_orm::Statement {
    let (sql, values) = super::built(backend, query, |_| false);
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

/// Debug builds: `reused` is `fresh` (the statement built anew for the same parameters), with
/// every value written into the SQL (the reused one has its constants there already on
/// PostgreSQL).
#[cfg(debug_assertions)]
fn assert_same(reused: &sea_orm::Statement, fresh: &sea_orm::Statement) {
    use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder, inject_parameters};
    let text = |s: &sea_orm::Statement| {
        let values = s
            .values
            .as_ref()
            .map(|v| v.0.as_slice())
            .unwrap_or_default();
        match s.db_backend {
            sea_orm::DbBackend::Postgres => {
                inject_parameters(&s.sql, values, &PostgresQueryBuilder)
            }
            _ => inject_parameters(&s.sql, values, &SqliteQueryBuilder),
        }
    };
    assert_eq!(
        text(reused),
        text(fresh),
        "a reused statement's shape varies: give each shape its own Reused"
    );
}

/// The 64-bit integer a [`Reused`] statement's `build` was given as a parameter.
pub fn id_of(value: &sea_orm::Value) -> i64 {
    match value {
        sea_orm::Value::BigInt(Some(id)) => *id,
        other => unreachable!("the parameter is a 64-bit integer, not {other:?}"),
    }
}

/// The UTC time a [`Reused`] statement's `build` was given as a parameter.
pub fn time_of(value: &sea_orm::Value) -> chrono::DateTime<chrono::Utc> {
    match value {
        sea_orm::Value::ChronoDateTimeUtc(Some(at)) => *at,
        other => unreachable!("the parameter is a UTC time, not {other:?}"),
    }
}

/// A value of `param`'s type that no statement holds as a constant, the `i`-th of its kind.
fn stand_in(param: &sea_orm::Value, i: usize) -> Option<sea_orm::Value> {
    use sea_orm::Value;
    let i = i64::try_from(i).ok()?;
    Some(match param {
        Value::String(_) => Value::String(Some(format!("\u{0}kring-parameter-{i}"))),
        Value::BigInt(_) => Value::BigInt(Some(i64::MIN + i)),
        Value::ChronoDateTimeUtc(_) => Value::ChronoDateTimeUtc(Some(
            chrono::DateTime::from_timestamp(-62_000_000_000 + i, 0)?,
        )),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use sea_orm::{
        DbBackend, Value,
        sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement},
    };

    use super::Reused;

    /// A statement with constants around its parameters, as the viewer's is.
    fn statement(name: Value, id: Value, at: Value) -> SelectStatement {
        Query::select()
            .expr(Expr::val(1i64))
            .from(Alias::new("t"))
            .and_where(Expr::col(Alias::new("flag")).eq(true))
            .and_where(Expr::col(Alias::new("name")).eq(name))
            .and_where(Expr::col(Alias::new("id")).eq(id))
            .and_where(Expr::col(Alias::new("kind")).eq("x"))
            .and_where(Expr::col(Alias::new("at")).gt(at))
            .to_owned()
    }

    #[test]
    fn a_reused_statement_is_the_statement_built_anew() {
        let reused = Reused::new();
        for (name, id) in [("anna", 1i64), ("bob", 7), ("x", 1)] {
            let at = chrono::Utc::now();
            let params = vec![name.into(), id.into(), at.into()];
            let got = reused.statement(DbBackend::Sqlite, params, |p| {
                statement(p[0].clone(), p[1].clone(), p[2].clone())
            });
            let expected = DbBackend::Sqlite.build(&statement(name.into(), id.into(), at.into()));
            assert_eq!(got.sql, expected.sql);
            assert_eq!(got.values, expected.values, "{name} {id}");
        }
    }

    /// On PostgreSQL the constants are written into the SQL and only the parameters are bound,
    /// so the generic plan PostgreSQL keeps after five executions is as good as a planned one.
    #[test]
    fn on_postgres_a_reused_statement_binds_only_its_parameters() {
        let reused = Reused::new();
        for (name, id) in [("anna", 1i64), ("bob", 7), ("x", 1)] {
            let at = chrono::Utc::now();
            let params = vec![name.into(), id.into(), at.into()];
            let got = reused.statement(DbBackend::Postgres, params, |p| {
                statement(p[0].clone(), p[1].clone(), p[2].clone())
            });
            assert_eq!(
                got.sql,
                r#"SELECT 1 FROM "t" WHERE "flag" = TRUE AND "name" = $1 AND "id" = $2 AND "kind" = 'x' AND "at" > $3"#
            );
            let values = got.values.expect("values").0;
            assert_eq!(values, vec![name.into(), id.into(), at.into()]);
        }
    }

    #[test]
    fn a_parameter_used_twice_is_placed_twice() {
        let reused = Reused::new();
        for id in [3i64, 4] {
            let got = reused.statement(DbBackend::Postgres, vec![id.into()], |p| {
                statement("n".into(), p[0].clone(), Value::BigInt(Some(0)))
                    .and_where(Expr::col(Alias::new("parent")).eq(p[0].clone()))
                    .to_owned()
            });
            assert_eq!(
                got.sql,
                r#"SELECT 1 FROM "t" WHERE "flag" = TRUE AND "name" = 'n' AND "id" = $1 AND "kind" = 'x' AND "at" > 0 AND "parent" = $2"#
            );
            assert_eq!(got.values.expect("values").0, vec![id.into(), id.into()]);
        }
    }

    /// A NULL constant stays bound, with its type: written out, PostgreSQL takes an untyped
    /// NULL among a derived table's columns for text, and the home page's feed (a `UNION` of
    /// such columns with numbers) failed.
    #[test]
    fn a_null_stays_bound_with_its_type() {
        let reused = Reused::new();
        for id in [3i64, 4] {
            let got = reused.statement(DbBackend::Postgres, vec![id.into()], |p| {
                Query::select()
                    .expr(Expr::val(None::<i64>))
                    .from(Alias::new("t"))
                    .and_where(Expr::col(Alias::new("id")).eq(p[0].clone()))
                    .to_owned()
            });
            assert_eq!(got.sql, r#"SELECT $1 FROM "t" WHERE "id" = $2"#);
            assert_eq!(
                got.values.expect("values").0,
                vec![Value::BigInt(None), id.into()]
            );
        }
    }

    /// A parameter the statement does not use (the reader, for an admin's audience) does not
    /// stop it being reused; one it uses in another form (computed on) does.
    #[test]
    fn a_parameter_left_unused_is_reused_and_one_changed_is_built_each_time() {
        let unused = Reused::new();
        let computed = Reused::new();
        for (reader, id) in [(1i64, 3i64), (2, 4)] {
            let params = || vec![reader.into(), id.into()];
            let got = unused.statement(DbBackend::Postgres, params(), |p| {
                statement("n".into(), p[1].clone(), Value::BigInt(Some(0)))
            });
            assert_eq!(
                got.sql,
                r#"SELECT 1 FROM "t" WHERE "flag" = TRUE AND "name" = 'n' AND "id" = $1 AND "kind" = 'x' AND "at" > 0"#
            );
            assert_eq!(got.values.expect("values").0, vec![id.into()]);
            assert!(unused.built[0].get().expect("built").is_some(), "reused");

            let got = computed.statement(DbBackend::Postgres, params(), |p| {
                let reader = super::id_of(&p[0]).wrapping_add(1);
                statement("n".into(), p[1].clone(), Value::BigInt(Some(reader)))
            });
            // Built each time: every value bound, as sea-query builds it.
            let fresh = DbBackend::Postgres.build(&statement(
                "n".into(),
                id.into(),
                Value::BigInt(Some(reader + 1)),
            ));
            assert_eq!(got.sql, fresh.sql);
            assert_eq!(got.values, fresh.values);
            assert!(
                computed.built[0].get().expect("built").is_none(),
                "built each time"
            );
        }
    }

    /// A statement whose shape depends on its parameters cannot be reused: debug builds (the
    /// tests) find it on the first call that differs.
    #[test]
    #[should_panic(expected = "shape varies")]
    fn a_shape_that_varies_fails_in_debug_builds() {
        let reused = Reused::new();
        for id in [3i64, -4] {
            reused.statement(DbBackend::Sqlite, vec![id.into()], |p| {
                let mut select = statement("n".into(), p[0].clone(), Value::BigInt(Some(0)));
                if id < 0 {
                    select.and_where(Expr::col(Alias::new("negative")).eq(true));
                }
                select
            });
        }
    }
}
