//! The points ledger: append-only `point_events`. Each (action, subject, beneficiary) triple
//! nets to either nothing or the points it earned: awarding happens only when its net is zero,
//! a reversal takes back exactly the net, and every event carries the key
//! `{action}:{subject}:{user}:{n}` (the n-th event of the triple), unique in the table, so a
//! retried, double-clicked or concurrent action counts once. Per-period totals
//! (`point_totals`, per month and `all`) change in the same transaction as the events; they
//! can be recomputed from the ledger ([`rebuild_totals`]).
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
    sea_query::{
        Alias, CommonTableExpression, Expr, ExprTrait, InsertStatement, OnConflict, Query,
        SimpleExpr, UnionType, WithClause, WithQuery,
    },
};

use serde::Serialize;
use utoipa::ToSchema;

use super::rules::{self, Action};
use crate::entities::{point_events, point_totals, users};

/// What an action was about: one of [`Subject::KINDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub kind: &'static str,
    pub id: i64,
    /// Who gave the points when several people can (the voter, the liker).
    pub source: Option<i64>,
}

impl Subject {
    /// Every kind of subject.
    pub const KINDS: [&'static str; 6] = [
        "question",
        "answer",
        "qa_comment",
        "post",
        "post_comment",
        "post_review",
    ];

    pub fn new(kind: &'static str, id: i64) -> Self {
        Self {
            kind,
            id,
            source: None,
        }
    }

    /// Points another person gives through this subject (a vote, a like).
    pub fn from(kind: &'static str, id: i64, source: i64) -> Self {
        Self {
            kind,
            id,
            source: Some(source),
        }
    }
}

/// The lock that makes one person's point changes run one after another (daily caps).
fn lock_key(user_id: i64) -> i64 {
    0x706f_0000_0000_i64 + user_id
}

fn periods(now: DateTime<Utc>) -> (String, String) {
    (
        now.format("%Y-%m").to_string(),
        now.format("%Y-%m-%d").to_string(),
    )
}

/// The events of one triple, as a query (callers pick the aggregates).
fn of_triple(
    action: Action,
    subject: Subject,
    user_id: i64,
) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::Query;
    Query::select()
        .from(point_events::Entity)
        .and_where(point_events::Column::Action.eq(action.as_str()))
        .and_where(point_events::Column::SubjectKind.eq(subject.kind))
        .and_where(point_events::Column::SubjectId.eq(subject.id))
        .and_where(match subject.source {
            Some(source) => point_events::Column::SourceId.eq(source),
            None => point_events::Column::SourceId.is_null(),
        })
        .and_where(point_events::Column::UserId.eq(user_id))
        .to_owned()
}

/// The net points and the number of events of one triple.
async fn triple<C: ConnectionTrait>(
    conn: &C,
    action: Action,
    subject: Subject,
    user_id: i64,
) -> Result<(i64, i64), DbErr> {
    let select = of_triple(action, subject, user_id)
        .expr(Expr::cust("CAST(SUM(points) AS BIGINT)"))
        .expr(Expr::cust("COUNT(*)"))
        .to_owned();
    let row = crate::db::one(conn, &select).await?;
    Ok(match row {
        Some(row) => (
            row.try_get_by_index::<Option<i64>>(0)?.unwrap_or(0),
            row.try_get_by_index(1)?,
        ),
        None => (0, 0),
    })
}

/// `ON CONFLICT (period, user_id) DO UPDATE SET points = point_totals.points +
/// excluded.points`: a totals row inserted for a period that has one adds to it.
fn add_to_total() -> OnConflict {
    use point_totals::Column as T;
    OnConflict::columns([T::Period, T::UserId])
        .value(
            T::Points,
            Expr::col((point_totals::Entity, T::Points))
                .add(Expr::col((Alias::new("excluded"), T::Points))),
        )
        .to_owned()
}

/// Adds `points` to the person's total of `month` and of all time (one statement).
async fn add_to_totals<C: ConnectionTrait>(
    conn: &C,
    month: &str,
    user_id: i64,
    points: i64,
) -> Result<(), DbErr> {
    let row = |period: &str| point_totals::ActiveModel {
        period: Set(period.to_owned()),
        user_id: Set(user_id),
        points: Set(points),
    };
    point_totals::Entity::insert_many([row(month), row("all")])
        .on_conflict(add_to_total())
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// Appends one event (the `seq`-th of its triple) to today, or to the `(month, day)` given;
/// false when that event exists already.
async fn append<C: ConnectionTrait>(
    conn: &C,
    action: Action,
    subject: Subject,
    user_id: i64,
    points: i32,
    seq: i64,
    period: Option<(String, String)>,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let (month, day) = period.unwrap_or_else(|| periods(now));
    let insert = point_events::Entity::insert(point_events::ActiveModel {
        user_id: Set(user_id),
        action: Set(action.as_str().to_owned()),
        subject_kind: Set(subject.kind.to_owned()),
        subject_id: Set(subject.id),
        source_id: Set(subject.source),
        points: Set(points),
        month: Set(month.clone()),
        day: Set(day),
        unique_key: Set(format!(
            "{}:{}:{}:{}:{user_id}:{seq}",
            action.as_str(),
            subject.kind,
            subject.id,
            subject.source.map(|s| s.to_string()).unwrap_or_default()
        )),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(point_events::Column::UniqueKey)
            .do_nothing()
            .to_owned(),
    );
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        // The event and the totals in one statement (a data-modifying CTE, which SQLite lacks):
        // the totals move by the rows the event's insert returns, none when it existed.
        let statement = appended_with_totals(insert.into_query());
        return Ok(!crate::db::all(conn, &statement).await?.is_empty());
    }
    if insert.exec_without_returning(conn).await? == 0 {
        return Ok(false);
    }
    add_to_totals(conn, &month, user_id, i64::from(points)).await?;
    Ok(true)
}

/// `WITH added AS (insert … RETURNING month, user_id, points) INSERT INTO point_totals SELECT
/// month, user_id, points FROM added UNION ALL SELECT 'all', … ON CONFLICT DO UPDATE SET points
/// = points + excluded.points RETURNING 1`: what [`add_to_totals`] does, for the event `insert`
/// adds (no row when it added none).
fn appended_with_totals(mut insert: InsertStatement) -> WithQuery {
    use point_totals::Column as T;
    let added = Alias::new("added");
    insert.returning(Query::returning().columns([
        point_events::Column::Month,
        point_events::Column::UserId,
        point_events::Column::Points,
    ]));
    let of_added = |period: SimpleExpr| {
        Query::select()
            .expr(period)
            .column(point_events::Column::UserId)
            .expr(Expr::col(point_events::Column::Points).cast_as(Alias::new("BIGINT")))
            .from(added.clone())
            .to_owned()
    };
    let mut rows = of_added(Expr::col(point_events::Column::Month));
    rows.union(UnionType::All, of_added(Expr::val("all")));
    let mut totals = Query::insert()
        .into_table(point_totals::Entity)
        .columns([T::Period, T::UserId, T::Points])
        .select_from(rows)
        .expect("three columns for three")
        .on_conflict(add_to_total())
        .to_owned();
    totals.returning(Query::returning().expr(Expr::val(1)));
    totals.with(
        WithClause::new()
            .cte(
                CommonTableExpression::new()
                    .query(insert)
                    .table_name(added)
                    .to_owned(),
            )
            .to_owned(),
    )
}

/// Awards `action`'s points to `user_id` for `subject`, unless they have them already, the
/// rule is off, they acted on their own content (`actor`), they are deactivated, or a daily
/// cap is reached (then only what fits). Call it inside the action's transaction. Returns the
/// points awarded.
pub async fn award<C: ConnectionTrait>(
    conn: &C,
    action: Action,
    subject: Subject,
    user_id: i64,
    actor: Option<i64>,
) -> Result<i32, DbErr> {
    award_after(conn, None, action, subject, user_id, actor).await
}

/// [`award`], after writing `first` (an insert of the same transaction, such as the search
/// outbox row of a vote) in the statement that takes the lock
/// ([`crate::db::serialize_after`]).
pub async fn award_after<C: ConnectionTrait>(
    conn: &C,
    first: Option<InsertStatement>,
    action: Action,
    subject: Subject,
    user_id: i64,
    actor: Option<i64>,
) -> Result<i32, DbErr> {
    if actor == Some(user_id) {
        if let Some(first) = first {
            conn.execute(&first).await?;
        }
        return Ok(0);
    }
    // The beneficiary's triple, what capped rules gave them today, whether they are active and
    // the rule, in one statement after the lock (an inactive person's lock is taken for nothing).
    crate::db::serialize_after(conn, first, lock_key(user_id)).await?;
    let (month, day) = periods(Utc::now());
    // The month too, so that the index on (user, month, action) finds the day's events.
    let today = Query::select()
        .expr(Expr::cust("CAST(SUM(points) AS BIGINT)"))
        .from(point_events::Entity)
        .and_where(point_events::Column::UserId.eq(user_id))
        .and_where(point_events::Column::Month.eq(month))
        .and_where(point_events::Column::Day.eq(day))
        .and_where(rules::capped(conn.get_database_backend()))
        .to_owned();
    let facts = Query::select()
        .expr(crate::db::scalar(
            of_triple(action, subject, user_id)
                .expr(Expr::cust("CAST(SUM(points) AS BIGINT)"))
                .to_owned(),
        ))
        .expr(crate::db::scalar(
            of_triple(action, subject, user_id)
                .expr(Expr::cust("COUNT(*)"))
                .to_owned(),
        ))
        .expr(crate::db::scalar(today))
        .expr(crate::db::count_of(
            users::Entity,
            [
                users::Column::Id.eq(user_id),
                users::Column::IsActive.eq(true),
            ],
        ))
        .exprs(rules::columns(action))
        .to_owned();
    let row = crate::db::one(conn, &facts)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("ledger facts".into()))?;
    let net = row.try_get_by_index::<Option<i64>>(0)?.unwrap_or(0);
    let seq: i64 = row.try_get_by_index(1)?;
    let today = row.try_get_by_index::<Option<i64>>(2)?.unwrap_or(0);
    let active = row.try_get_by_index::<i64>(3)? > 0;
    let rule = rules::Rule::from_columns(action, &row, 4)?;
    if !active || net > 0 || !rule.enabled || rule.points <= 0 {
        return Ok(0);
    }
    let mut points = rule.points;
    if let Some(cap) = rule.daily_cap {
        let room = i64::from(cap) - today;
        points = Ord::min(points, Ord::max(room, 0) as i32);
        if points == 0 {
            return Ok(0);
        }
    }
    Ok(
        if append(conn, action, subject, user_id, points, seq, None).await? {
            points
        } else {
            0
        },
    )
}

/// Takes back what `action` gave `user_id` for `subject` (nothing when it gave nothing).
pub async fn revoke<C: ConnectionTrait>(
    conn: &C,
    action: Action,
    subject: Subject,
    user_id: i64,
) -> Result<i32, DbErr> {
    revoke_after(conn, None, action, subject, user_id).await
}

/// [`revoke`], after writing `first` in the statement that takes the lock, as
/// [`award_after`].
pub async fn revoke_after<C: ConnectionTrait>(
    conn: &C,
    first: Option<InsertStatement>,
    action: Action,
    subject: Subject,
    user_id: i64,
) -> Result<i32, DbErr> {
    crate::db::serialize_after(conn, first, lock_key(user_id)).await?;
    let (net, seq) = triple(conn, action, subject, user_id).await?;
    if net <= 0 {
        return Ok(0);
    }
    let points = -(net as i32);
    append(conn, action, subject, user_id, points, seq, None).await?;
    Ok(points)
}

/// Takes back every point given for a subject (it was deleted): its author's, and those of
/// votes and likes on it.
pub async fn revoke_subject<C: ConnectionTrait>(conn: &C, subject: Subject) -> Result<(), DbErr> {
    let rows: Vec<(i64, String, Option<i64>)> = point_events::Entity::find()
        .select_only()
        .column(point_events::Column::UserId)
        .column(point_events::Column::Action)
        .column(point_events::Column::SourceId)
        .filter(point_events::Column::SubjectKind.eq(subject.kind))
        .filter(point_events::Column::SubjectId.eq(subject.id))
        .distinct()
        .into_tuple()
        .all(conn)
        .await?;
    for (user_id, action, source) in rows {
        if let Some(action) = Action::parse(&action) {
            let subject = Subject { source, ..subject };
            revoke(conn, action, subject, user_id).await?;
        }
    }
    Ok(())
}

/// A person's points in a period (`2026-11` or `all`).
pub async fn total<C: ConnectionTrait>(conn: &C, period: &str, user_id: i64) -> Result<i64, DbErr> {
    Ok(
        point_totals::Entity::find_by_id((period.to_owned(), user_id))
            .one(conn)
            .await?
            .map_or(0, |t| t.points),
    )
}

/// [`total`] as a column of a larger statement (`NULL` for no points).
pub fn total_column(period: &str, user_id: i64) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::{ColumnTrait, sea_query::Query};
    crate::db::scalar(
        Query::select()
            .column(point_totals::Column::Points)
            .from(point_totals::Entity)
            .and_where(point_totals::Column::Period.eq(period))
            .and_where(point_totals::Column::UserId.eq(user_id))
            .to_owned(),
    )
}

/// Recomputes every period total from the ledger (after a restore, or to check the rollups).
pub async fn rebuild_totals<C: ConnectionTrait>(conn: &C) -> Result<(), DbErr> {
    point_totals::Entity::delete_many().exec(conn).await?;
    let backend = conn.get_database_backend();
    for sql in [
        "INSERT INTO point_totals (period, user_id, points) \
         SELECT month, user_id, CAST(SUM(points) AS BIGINT) FROM point_events GROUP BY month, user_id",
        "INSERT INTO point_totals (period, user_id, points) \
         SELECT 'all', user_id, CAST(SUM(points) AS BIGINT) FROM point_events GROUP BY user_id",
    ] {
        conn.execute_raw(sea_orm::Statement::from_string(backend, sql))
            .await?;
    }
    Ok(())
}

/// One line of a person's ledger.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    pub id: i64,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: i64,
    /// Negative for a reversal.
    pub points: i32,
    pub month: String,
    pub created_at: DateTime<Utc>,
}

/// A person's ledger, newest first: `limit` events before the event id `before`.
pub async fn events<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<Event>, DbErr> {
    let mut query = point_events::Entity::find().filter(point_events::Column::UserId.eq(user_id));
    if let Some(before) = before {
        query = query.filter(point_events::Column::Id.lt(before));
    }
    Ok(query
        .order_by_desc(point_events::Column::Id)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| Event {
            id: e.id,
            action: e.action,
            subject_kind: e.subject_kind,
            subject_id: e.subject_id,
            points: e.points,
            month: e.month,
            created_at: e.created_at,
        })
        .collect())
}

/// What a recomputation changed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recomputed {
    pub from: chrono::NaiveDate,
    /// Awards whose points changed.
    pub adjusted: u64,
    /// The sum of the corrections.
    pub points: i64,
}

/// Re-values every award made on or after `from` at today's rules (a rule switched off gives
/// nothing, daily caps are replayed day by day in the original order), by appending a
/// correction to each award's own month and day. Explicit and audited: rule changes otherwise
/// apply only from their moment on. Awards later reversed stay reversed; actions done while a
/// rule was off are not found again (they left no event).
pub async fn recompute_from(
    db: &sea_orm::DatabaseConnection,
    actor: &crate::auth::current_user::CurrentUser,
    from: chrono::NaiveDate,
) -> crate::error::AppResult<Recomputed> {
    rules::may_edit(actor)?;
    let txn = crate::db::begin(db).await?;
    let all_rules = rules::all(&txn).await?;
    let since = point_events::Entity::find()
        .filter(point_events::Column::Day.gte(from.format("%Y-%m-%d").to_string()))
        .order_by_asc(point_events::Column::Id)
        .all(&txn)
        .await?;
    type Key = (String, String, i64, Option<i64>, i64);
    // Net since `from` per triple, and its latest positive event (the standing award).
    let mut net: std::collections::HashMap<Key, (i64, Option<point_events::Model>)> =
        std::collections::HashMap::new();
    for e in since {
        let key = (
            e.action.clone(),
            e.subject_kind.clone(),
            e.subject_id,
            e.source_id,
            e.user_id,
        );
        let entry = net.entry(key).or_insert((0, None));
        entry.0 += i64::from(e.points);
        if e.points > 0 {
            entry.1 = Some(e);
        }
    }
    let mut standing: Vec<(Key, i64, point_events::Model)> = net
        .into_iter()
        .filter_map(|(key, (sum, award))| Some((key, sum, award?)).filter(|(_, sum, _)| *sum > 0))
        .collect();
    standing.sort_by_key(|(_, _, award)| award.id);
    let mut used: std::collections::HashMap<(i64, String), i64> = std::collections::HashMap::new();
    let mut result = Recomputed {
        from,
        adjusted: 0,
        points: 0,
    };
    for ((action, kind, subject_id, source, user_id), current, award) in standing {
        let Some(action) = Action::parse(&action) else {
            continue;
        };
        let rule = all_rules
            .iter()
            .find(|r| r.action == action)
            .expect("every action has a rule");
        let mut target = if rule.enabled {
            i64::from(Ord::max(rule.points, 0))
        } else {
            0
        };
        if let Some(cap) = rule.daily_cap {
            let spent = used.entry((user_id, award.day.clone())).or_insert(0);
            target = Ord::min(target, Ord::max(i64::from(cap) - *spent, 0));
            *spent += target;
        }
        if target == current {
            continue;
        }
        let Some(kind) = Subject::KINDS.iter().copied().find(|k| *k == kind) else {
            continue;
        };
        let subject = Subject {
            kind,
            id: subject_id,
            source,
        };
        let (_, seq) = triple(&txn, action, subject, user_id).await?;
        let delta = target - current;
        append(
            &txn,
            action,
            subject,
            user_id,
            delta as i32,
            seq,
            Some((award.month.clone(), award.day.clone())),
        )
        .await?;
        result.adjusted += 1;
        result.points += delta;
    }
    crate::audit::record(
        &txn,
        Some(actor.id),
        "points.recomputed",
        None,
        serde_json::json!({"from": from, "adjusted": result.adjusted, "points": result.points}),
    )
    .await?;
    txn.commit().await?;
    Ok(result)
}
