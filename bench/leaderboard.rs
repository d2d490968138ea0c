//! Benchmark: leaderboards over a large points ledger, on SQLite and on PostgreSQL. The claim:
//! a monthly leaderboard over 10,000,000 point events and 100,000 users answers in under
//! 100 ms (p99) on both databases.
//!
//! Run it with one command: `./bench/leaderboard` (10,000,000 events, 100,000 people). Options:
//! `--events N`, `--users N`, `--pg-url URL` (an admin URL, default `$KRING_BENCH_PG_URL` or
//! `postgres://postgres@127.0.0.1:5432/postgres`; the database `kring_bench_leaderboard` is
//! created there and dropped at the end), `--skip-pg`, `--skip-sqlite`, `--runs R` (timed runs
//! per case, default 200), `--explain` (prints the query plans of the board and `standing()`
//! queries, written out by hand after `src/gamification/leaderboard.rs`) and `--with-sql SQL`
//! (repeatable: run on both databases after the rollups are built, to try an index before
//! proposing it; PostgreSQL is analysed again afterwards). The SQLite database lives in a
//! temporary directory (`$TMPDIR`); at 10,000,000 events it takes about 3 GB there and about
//! as much in PostgreSQL.
//!
//! What it does, on each database:
//! 1. A fresh Kring database (`kring::db::connect` + `migrate`, so every real index is in
//!    place while generating and measuring; nothing is dropped).
//! 2. People, in bulk SQL (`INSERT ... SELECT` from `generate_series` on PostgreSQL, from a
//!    recursive CTE on SQLite): N users (2% deactivated), a profile each in one of 20
//!    departments of uneven size (3% without one), 1% with the role `social_team`, 0.5%
//!    editors.
//! 3. The ledger, in the same way, in batches of 500,000: N point events over the 12 months
//!    ending with the current one (1/12 each; the current month is as full as a past one, its
//!    worst case), days 1-28, actions drawn from the rule set (`rules::Action`, with its
//!    default points) with votes and likes most frequent, 1% reversals (negative points),
//!    each with its own `unique_key` in the ledger's format. Who earns them is skewed: 70% of
//!    the people ever earn points, the k-th most active one in proportion to about
//!    1/sqrt(k) (a Pareto-like tail: at 10M events the top person has ~38,000 events, the
//!    least active contributors ~80). Everything is derived from the row number with an
//!    integer hash evaluated by the database, so both databases get exactly the same rows,
//!    and the boards must come out the same (checked).
//! 4. The rollups with the real `ledger::rebuild_totals` (in one transaction), timed. Then
//!    PostgreSQL gets `VACUUM ANALYZE` (what autovacuum does after such a load); SQLite is
//!    left as Kring runs it (Kring never runs `ANALYZE` there).
//! 5. Measures, through Kring's own connection pool and functions, one client, warm (10
//!    untimed runs first), `--runs` timed runs of each case: `leaderboard::board` top 20 of
//!    the current month, of a month six months back, of all time, of one department, with
//!    the social team excluded (`LeaderboardSettings` through `settings_store::put`), and
//!    `gamification::standing::of` of the most active person (month and all time) and of the
//!    least active one with points this month (also with the social team excluded: the rank
//!    counts the people above on the board).
//! 6. Prints the table for SQLite and PostgreSQL side by side and checks the targets: p99
//!    under 100 ms for every monthly board on each database that ran. All-time boards and
//!    `standing()` are shown against the same 100 ms for information. Exits 1 when a target
//!    is missed, an engine fails or the two databases disagree about a board.
//!
//! Progress goes to stderr, the report to stdout, with the machine's load average: other
//! work on the machine shows up in the latencies.
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use kring::{
    auth::types::Role,
    config::DatabaseUrl,
    db,
    gamification::{
        leaderboard::{self, LeaderboardSettings},
        ledger,
        rules::Action,
    },
    settings_store,
};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, Value,
};

const USAGE: &str = "usage: ./bench/leaderboard [--events N] [--users N] [--pg-url URL] \
                     [--skip-pg] [--skip-sqlite] [--runs R] [--explain] [--with-sql SQL]...";
const DEFAULT_EVENTS: i64 = 10_000_000;
const DEFAULT_USERS: i64 = 100_000;
const DEFAULT_RUNS: usize = 200;
const WARMUP: usize = 10;
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const PG_BENCH_DB: &str = "kring_bench_leaderboard";
const DEPARTMENTS: i64 = 20;
/// The department measured: a middling one.
const DEPARTMENT: i64 = 10;
const MONTHS: usize = 12;
/// Events inserted per statement.
const BATCH: i64 = 500_000;
const TOP: u64 = 20;
const TARGET_P99: Duration = Duration::from_millis(100);

/// How often each action occurs, in percent (votes and likes most, publishing least).
const ACTION_MIX: [(Action, i64); 9] = [
    (Action::AnswerUpvoted, 30),
    (Action::PostLiked, 20),
    (Action::CommentPosted, 18),
    (Action::AnswerPosted, 12),
    (Action::QuestionAsked, 8),
    (Action::AnswerAccepted, 4),
    (Action::AnswerAcceptedAsker, 3),
    (Action::ReviewCompleted, 2),
    (Action::PostPublished, 3),
];

/// The subject kind of an action, and whether another person gives the points (a source).
fn subject_of(action: Action) -> (&'static str, bool) {
    match action {
        Action::PostPublished => ("post", false),
        Action::ReviewCompleted => ("post_review", false),
        Action::QuestionAsked => ("question", false),
        Action::AnswerPosted | Action::AnswerAccepted | Action::AnswerAcceptedAsker => {
            ("answer", false)
        }
        Action::AnswerUpvoted => ("answer", true),
        Action::PostLiked => ("post", true),
        Action::CommentPosted => ("qa_comment", false),
    }
}

// ---------------------------------------------------------------------------------------------
// Generation.

/// The shape of the generated community.
struct Shape {
    users: i64,
    /// People who ever earn points: ranks 1..=contributors, rank 1 the most active.
    contributors: i64,
    events: i64,
    /// Rank to user id: `1 + (rank - 1) * mul % users`, a permutation (mul coprime to users),
    /// so the most active people are not simply the lowest ids.
    mul: i64,
    /// `YYYY-MM`, oldest first; the last is the current month.
    months: Vec<String>,
    /// The 15th of each month at noon (UTC), the events' `created_at`.
    stamps: Vec<DateTime<Utc>>,
    now: DateTime<Utc>,
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl Shape {
    fn new(users: i64, events: i64) -> Self {
        let now = Utc::now();
        let mut months = Vec::new();
        let mut stamps = Vec::new();
        let (mut year, mut month) = (now.year(), now.month());
        for _ in 0..MONTHS {
            months.push(format!("{year:04}-{month:02}"));
            stamps.push(
                Utc.from_utc_datetime(
                    &NaiveDate::from_ymd_opt(year, month, 15)
                        .expect("a valid date")
                        .and_hms_opt(12, 0, 0)
                        .expect("a valid time"),
                ),
            );
            (year, month) = if month == 1 {
                (year - 1, 12)
            } else {
                (year, month - 1)
            };
        }
        months.reverse();
        stamps.reverse();
        let mul = [7_919, 104_729, 1_299_709, 15_485_863]
            .into_iter()
            .find(|m| gcd(*m, users) == 1)
            .expect("one of four primes is coprime to the number of users");
        Self {
            users,
            contributors: (users * 7 / 10).max(1),
            events,
            mul,
            months,
            stamps,
            now,
        }
    }

    fn current_month(&self) -> &str {
        &self.months[MONTHS - 1]
    }

    fn past_month(&self) -> &str {
        &self.months[MONTHS - 7]
    }

    /// The SQL for the user id of rank `rank`.
    fn user_of(&self, rank: &str) -> String {
        format!("(1 + (({rank}) - 1) * {} % {})", self.mul, self.users)
    }
}

/// An integer hash of `x` (a non-negative SQL integer expression, below 10^9) to
/// 0..4294967231, the same on PostgreSQL and SQLite: three affine steps modulo different
/// primes, every intermediate product below 2^63.
fn hash_sql(x: &str, salt: i64) -> String {
    let r1 = format!(
        "((({x}) * 1597334677 + {}) % 4294967291)",
        salt * 2_654_435_761
    );
    let r2 = format!("(({r1} * 1181783497 + 2654435761) % 4294967279)");
    format!("(({r2} * 1597334677 + 40503) % 4294967231)")
}

/// A statement for the backend: SQL written with `$1`, `$2`, ... placeholders (SQLite gets
/// `?1`, `?2`, ..., numbered, so the order of appearance does not matter).
fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Sqlite => sql.replace('$', "?"),
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// `(prefix, source)` of a series of integers `g` from `$1` to `$2`: PostgreSQL's
/// `generate_series`, SQLite's recursive CTE.
fn series(backend: DbBackend) -> (&'static str, &'static str) {
    match backend {
        DbBackend::Sqlite => (
            "WITH RECURSIVE s(g) AS (SELECT $1 UNION ALL SELECT g + 1 FROM s WHERE g < $2) ",
            "s",
        ),
        _ => ("", "generate_series($1::bigint, $2::bigint) AS s(g)"),
    }
}

async fn exec<C: ConnectionTrait>(db: &C, sql: &str, values: Vec<Value>) -> anyhow::Result<u64> {
    let backend = db.get_database_backend();
    let result = db
        .execute_raw(stmt(backend, sql, values))
        .await
        .with_context(|| format!("SQL failed: {sql}"))?;
    Ok(result.rows_affected())
}

async fn scalar<C: ConnectionTrait>(db: &C, sql: &str, values: Vec<Value>) -> anyhow::Result<i64> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(stmt(backend, sql, values))
        .await
        .with_context(|| format!("SQL failed: {sql}"))?
        .context("no row")?;
    Ok(row.try_get_by_index::<Option<i64>>(0)?.unwrap_or(0))
}

/// Departments, users, profiles and roles.
async fn seed_people<C: ConnectionTrait>(db: &C, shape: &Shape) -> anyhow::Result<()> {
    let backend = db.get_database_backend();
    let now: Value = shape.now.into();
    for d in 1..=DEPARTMENTS {
        exec(
            db,
            "INSERT INTO departments (id, name, created_at) VALUES ($1, $2, $3)",
            vec![d.into(), format!("Department {d:02}").into(), now.clone()],
        )
        .await?;
    }
    let (prefix, source) = series(backend);
    let id = shape.user_of("g");
    exec(
        db,
        &format!(
            "{prefix}INSERT INTO users (id, email, display_name, password_hash, locale, \
             is_leadership, is_active, created_at, updated_at, last_login_at) \
             SELECT {id}, 'person' || {id} || '@bench.example', 'Person ' || {id}, NULL, NULL, \
             FALSE, g % 50 <> 17, $3, $3, NULL FROM {source}"
        ),
        vec![1i64.into(), shape.users.into(), now.clone()],
    )
    .await?;
    // Department sizes from about 9% of the people down to about 3%; 3% have none.
    let a = format!("({} % 1000)", hash_sql("g", 7));
    exec(
        db,
        &format!(
            "{prefix}INSERT INTO profiles (user_id, job_title, department_id, location, \
             languages, bio_md, bio_html, links, photo_key, updated_at) \
             SELECT {id}, 'Colleague', \
             CASE WHEN g % 33 = 5 THEN NULL ELSE 1 + ({a} + {a} * {a} / 1000) * {DEPARTMENTS} / 2000 END, \
             '', '', '', '', '', NULL, $3 FROM {source}"
        ),
        vec![1i64.into(), shape.users.into(), now.clone()],
    )
    .await?;
    // The social team (1%; rank 3 among the most active is in it) and some editors.
    exec(
        db,
        &format!(
            "{prefix}INSERT INTO user_roles (user_id, role, created_at) \
             SELECT {id}, CASE WHEN g % 100 = 3 THEN 'social_team' ELSE 'editor' END, $3 \
             FROM {source} WHERE g % 100 = 3 OR g % 200 = 50"
        ),
        vec![1i64.into(), shape.users.into(), now],
    )
    .await?;
    if backend == DbBackend::Postgres {
        exec(
            db,
            "SELECT setval(pg_get_serial_sequence('users', 'id'), $1)",
            vec![shape.users.into()],
        )
        .await?;
    }
    Ok(())
}

/// The `INSERT ... SELECT` of the events numbered `$1` to `$2`.
fn events_sql(backend: DbBackend, shape: &Shape) -> String {
    let (prefix, source) = series(backend);
    // The contributor's rank: a 24-bit uniform `a`, rank = 1 + contributors * (a / 2^24)^2,
    // so the k-th most active person earns in proportion to about 1/sqrt(k).
    let a = format!("({} % 16777216)", hash_sql("g", 1));
    let rank = format!(
        "(1 + ({a} * {a} / 16777216) * {} / 16777216)",
        shape.contributors
    );
    let user = shape.user_of(&rank);
    let pick = format!("({} % 100)", hash_sql("g", 2));
    let month_ix = format!("({} % {MONTHS})", hash_sql("g", 3));
    let day = format!("(1 + {} % 28)", hash_sql("g", 4));
    let reversal = format!("({} % 100 = 0)", hash_sql("g", 5));
    let (mut action, mut kind, mut points, mut sourced) = (
        String::from("CASE"),
        String::from("CASE"),
        String::from("CASE"),
        String::from("CASE"),
    );
    let mut upto = 0;
    for (act, weight) in ACTION_MIX {
        upto += weight;
        let (k, has_source) = subject_of(act);
        let when = format!(" WHEN {pick} < {upto} THEN ");
        action.push_str(&format!("{when}'{}'", act.as_str()));
        kind.push_str(&format!("{when}'{k}'"));
        points.push_str(&format!("{when}{}", act.default_rule().0));
        sourced.push_str(&format!("{when}{}", if has_source { 1 } else { 0 }));
    }
    for s in [&mut action, &mut kind, &mut points, &mut sourced] {
        s.push_str(" END");
    }
    let mut month = format!("CASE {month_ix}");
    let mut stamp = format!("CASE {month_ix}");
    for (i, m) in shape.months.iter().enumerate() {
        month.push_str(&format!(" WHEN {i} THEN '{m}'"));
        stamp.push_str(&format!(" WHEN {i} THEN ${}", i + 3));
    }
    month.push_str(" END");
    stamp.push_str(" END");
    // Votes and likes: eight to a subject, each from another person (so the key's
    // (subject, source) is unique); everything else: a subject of its own.
    let users = shape.users;
    format!(
        "{prefix}INSERT INTO point_events (user_id, action, subject_kind, subject_id, source_id, \
         points, month, day, unique_key, created_at) \
         SELECT user_id, action, kind, subject_id, source_id, points, month, day, \
         action || ':' || kind || ':' || subject_id || ':' || COALESCE(CAST(source_id AS TEXT), '') \
         || ':' || user_id || ':' || seq, created_at FROM (\
         SELECT {user} AS user_id, {action} AS action, {kind} AS kind, \
         CASE WHEN {sourced} = 1 THEN 1 + g / 8 ELSE g END AS subject_id, \
         CASE WHEN {sourced} = 1 THEN 1 + (g / 8 + g % 8) % {users} ELSE NULL END AS source_id, \
         CASE WHEN {reversal} THEN -({points}) ELSE {points} END AS points, \
         {month} AS month, \
         {month} || '-' || CASE WHEN {day} < 10 THEN '0' ELSE '' END || {day} AS day, \
         CASE WHEN {reversal} THEN 1 ELSE 0 END AS seq, \
         {stamp} AS created_at FROM {source}) e"
    )
}

async fn seed_events<C: ConnectionTrait>(
    db: &C,
    shape: &Shape,
    engine: &str,
) -> anyhow::Result<()> {
    let backend = db.get_database_backend();
    let sql = events_sql(backend, shape);
    let start = Instant::now();
    let mut from = 1;
    while from <= shape.events {
        let to = (from + BATCH - 1).min(shape.events);
        let mut values: Vec<Value> = vec![from.into(), to.into()];
        values.extend(shape.stamps.iter().map(|s| Value::from(*s)));
        let n = exec(db, &sql, values).await?;
        if n != (to - from + 1) as u64 {
            bail!("inserted {n} events of {from}..={to}");
        }
        let rate = to as f64 / start.elapsed().as_secs_f64();
        progress(&format!(
            "{engine}: {to} of {} events ({rate:.0}/s)",
            shape.events
        ));
        from = to + 1;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Measuring.

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// One case's latencies.
#[derive(Clone)]
struct Timing {
    p50: Duration,
    p99: Duration,
    max: Duration,
    /// Entries on the board, or rules in the breakdown.
    items: usize,
}

async fn time<F, Fut>(runs: usize, mut run: F) -> anyhow::Result<Timing>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<usize>>,
{
    let mut items = 0;
    for _ in 0..WARMUP {
        items = run().await?;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        items = run().await?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(Timing {
        p50: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
        max: *times.last().expect("at least one run"),
        items,
    })
}

/// What is measured: the label, and whether it is a target (a monthly board).
const CASES: [(&str, bool); 10] = [
    ("board top 20, current month", true),
    ("board top 20, month 6 back", true),
    ("board top 20, all time", false),
    ("board top 20, current month, one department", true),
    ("board top 20, current month, social team excluded", true),
    ("board top 20, all time, social team excluded", false),
    ("standing(), most active person, current month", false),
    ("standing(), most active person, all time", false),
    ("standing(), least active person, current month", false),
    (
        "standing(), least active person, current month, social team excluded",
        false,
    ),
];

struct Measured {
    people_time: Duration,
    events_time: Duration,
    rebuild_time: Duration,
    analyze_time: Option<Duration>,
    size: u64,
    totals_rows: i64,
    month_rows: i64,
    department_size: i64,
    heavy: Person,
    light: Person,
    timings: Vec<Timing>,
    /// `(user_id, points)` of the current month's board, plain and without the social team.
    boards: Vec<Vec<(i64, i64)>>,
    /// Problems with the boards' contents.
    problems: Vec<String>,
    plans: Vec<(String, String)>,
}

struct Person {
    user_id: i64,
    events_month: i64,
    events_all: i64,
}

async fn person<C: ConnectionTrait>(db: &C, shape: &Shape, user_id: i64) -> anyhow::Result<Person> {
    Ok(Person {
        user_id,
        events_month: scalar(
            db,
            "SELECT COUNT(*) FROM point_events WHERE user_id = $1 AND month = $2",
            vec![user_id.into(), shape.current_month().into()],
        )
        .await?,
        events_all: scalar(
            db,
            "SELECT COUNT(*) FROM point_events WHERE user_id = $1",
            vec![user_id.into()],
        )
        .await?,
    })
}

async fn set_excluded(db: &DatabaseConnection, roles: Vec<Role>) -> anyhow::Result<()> {
    settings_store::put(
        db,
        &LeaderboardSettings {
            excluded_roles: roles,
            hide_individuals: false,
        },
    )
    .await?;
    Ok(())
}

/// Generates, rebuilds the rollups and measures every case on a fresh, migrated database.
async fn measure_engine(
    db: &DatabaseConnection,
    loader: &DatabaseConnection,
    shape: &Shape,
    args: &Args,
    engine: &str,
) -> anyhow::Result<Measured> {
    let backend = db.get_database_backend();
    progress(&format!("{engine}: {} people", shape.users));
    let start = Instant::now();
    seed_people(loader, shape).await?;
    let people_time = start.elapsed();
    let start = Instant::now();
    seed_events(loader, shape, engine).await?;
    let events_time = start.elapsed();
    if backend == DbBackend::Sqlite {
        loader
            .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
    }
    progress(&format!(
        "{engine}: {} events in {:.1} s; ledger::rebuild_totals",
        shape.events,
        events_time.as_secs_f64()
    ));
    let start = Instant::now();
    let txn = db::begin(db).await?;
    ledger::rebuild_totals(&txn).await?;
    txn.commit().await?;
    let rebuild_time = start.elapsed();
    progress(&format!(
        "{engine}: rollups rebuilt in {:.1} s",
        rebuild_time.as_secs_f64()
    ));
    for sql in &args.with_sql {
        progress(&format!("{engine}: {sql}"));
        db.execute_unprepared(sql)
            .await
            .with_context(|| format!("--with-sql {sql}"))?;
    }
    let analyze_time = if backend == DbBackend::Postgres {
        progress(&format!("{engine}: VACUUM ANALYZE"));
        let start = Instant::now();
        db.execute_unprepared("VACUUM ANALYZE").await?;
        Some(start.elapsed())
    } else {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
        None
    };
    let size = match backend {
        DbBackend::Postgres => scalar(db, "SELECT pg_database_size(current_database())", vec![])
            .await?
            .max(0) as u64,
        _ => scalar(
            db,
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            vec![],
        )
        .await?
        .max(0) as u64,
    };
    let month = shape.current_month().to_owned();
    let past = shape.past_month().to_owned();
    let totals_rows = scalar(db, "SELECT COUNT(*) FROM point_totals", vec![]).await?;
    let month_rows = scalar(
        db,
        "SELECT COUNT(*) FROM point_totals WHERE period = $1",
        vec![month.clone().into()],
    )
    .await?;
    let department_size = scalar(
        db,
        "SELECT COUNT(*) FROM profiles WHERE department_id = $1",
        vec![DEPARTMENT.into()],
    )
    .await?;
    let settings: LeaderboardSettings = kring::settings_store::get(db).await?;
    let heavy_id = leaderboard::board(db, &settings, "all", None, 1)
        .await?
        .first()
        .map(|e| e.user_id)
        .context("nobody has points")?;
    let light_id = scalar(
        db,
        "SELECT user_id FROM point_totals WHERE period = $1 AND points > 0 \
         ORDER BY points, user_id LIMIT 1",
        vec![month.clone().into()],
    )
    .await?;
    let heavy = person(db, shape, heavy_id).await?;
    let light = person(db, shape, light_id).await?;

    progress(&format!(
        "{engine}: measuring ({} runs per case)",
        args.runs
    ));
    set_excluded(db, vec![]).await?;
    let runs = args.runs;
    let board = |period: String, department: Option<i64>| async move {
        // The settings as a page reads them (they change between cases).
        let settings: LeaderboardSettings = kring::settings_store::get(db).await?;
        Ok::<_, anyhow::Error>(
            leaderboard::board(db, &settings, &period, department, TOP)
                .await?
                .len(),
        )
    };
    let standing = |period: String, user_id: i64| async move {
        Ok::<_, anyhow::Error>(
            kring::gamification::standing::of(db, &period, user_id)
                .await?
                .by_rule
                .len(),
        )
    };
    let mut timings = Vec::new();
    timings.push(time(runs, || board(month.clone(), None)).await?);
    timings.push(time(runs, || board(past.clone(), None)).await?);
    timings.push(time(runs, || board("all".into(), None)).await?);
    timings.push(time(runs, || board(month.clone(), Some(DEPARTMENT))).await?);
    let including: LeaderboardSettings = kring::settings_store::get(db).await?;
    let plain = leaderboard::board(db, &including, &month, None, TOP).await?;
    set_excluded(db, vec![Role::SocialTeam]).await?;
    timings.push(time(runs, || board(month.clone(), None)).await?);
    timings.push(time(runs, || board("all".into(), None)).await?);
    let excluding: LeaderboardSettings = kring::settings_store::get(db).await?;
    let without = leaderboard::board(db, &excluding, &month, None, TOP).await?;
    set_excluded(db, vec![]).await?;
    timings.push(time(runs, || standing(month.clone(), heavy_id)).await?);
    timings.push(time(runs, || standing("all".into(), heavy_id)).await?);
    timings.push(time(runs, || standing(month.clone(), light_id)).await?);
    set_excluded(db, vec![Role::SocialTeam]).await?;
    timings.push(time(runs, || standing(month.clone(), light_id)).await?);
    set_excluded(db, vec![]).await?;

    // The boards' contents: full, ordered, and without the social team when excluded.
    let mut problems = Vec::new();
    let social: Vec<i64> = {
        let rows = db
            .query_all_raw(stmt(
                backend,
                "SELECT user_id FROM user_roles WHERE role = 'social_team'",
                vec![],
            ))
            .await?;
        rows.iter()
            .map(|r| r.try_get_by_index::<i64>(0))
            .collect::<Result<_, _>>()?
    };
    for (name, b) in [("plain", &plain), ("social team excluded", &without)] {
        if b.len() as u64 != TOP {
            problems.push(format!("the {name} board has {} entries", b.len()));
        }
        if b.windows(2).any(|w| w[0].points < w[1].points) {
            problems.push(format!("the {name} board is not ordered by points"));
        }
    }
    if without.iter().any(|e| social.contains(&e.user_id)) {
        problems.push("the board without the social team lists a member of it".into());
    }
    if !plain.iter().any(|e| social.contains(&e.user_id)) {
        progress(&format!(
            "{engine}: note: no social team member on the plain board (few events?)"
        ));
    }
    let boards = [&plain, &without]
        .iter()
        .map(|b| b.iter().map(|e| (e.user_id, e.points)).collect())
        .collect();

    let plans = if args.explain {
        let heavy_points = ledger::total(db, &month, heavy_id).await?;
        let light_points = ledger::total(db, &month, light_id).await?;
        explain_all(db, &month, heavy_id, light_id, heavy_points, light_points).await?
    } else {
        Vec::new()
    };
    Ok(Measured {
        people_time,
        events_time,
        rebuild_time,
        analyze_time,
        size,
        totals_rows,
        month_rows,
        department_size,
        heavy,
        light,
        timings,
        boards,
        problems,
        plans,
    })
}

// ---------------------------------------------------------------------------------------------
// Query plans: the SQL of `leaderboard::board` and `leaderboard::standing`, written out by hand
// (as sea-orm builds it, with the values inlined).

fn board_sql(backend: DbBackend, period: &str, department: Option<i64>, excluded: bool) -> String {
    let settings = LeaderboardSettings {
        excluded_roles: if excluded {
            vec![Role::SocialTeam]
        } else {
            vec![]
        },
        hide_individuals: false,
    };
    let board = leaderboard::board_select(&settings, period, department, TOP);
    match backend {
        DbBackend::Postgres => board.to_string(sea_orm::sea_query::PostgresQueryBuilder),
        _ => board.to_string(sea_orm::sea_query::SqliteQueryBuilder),
    }
}

fn by_rule_sql(period: &str, user_id: i64) -> String {
    let month = if period == "all" {
        String::new()
    } else {
        format!(" AND month = '{period}'")
    };
    format!(
        "SELECT action, CAST(SUM(points) AS BIGINT) FROM point_events \
         WHERE user_id = {user_id}{month} GROUP BY action"
    )
}

/// The people above on the board (no exclusions): everyone with more points less the
/// deactivated among them (`standing::rank`).
fn rank_sql(period: &str, points: i64) -> String {
    format!(
        "SELECT (SELECT COUNT(*) FROM point_totals WHERE period = '{period}' \
         AND points > {points}) - (SELECT COUNT(*) FROM point_totals WHERE period = '{period}' \
         AND points > {points} AND user_id IN (SELECT id FROM users WHERE is_active = FALSE))"
    )
}

async fn explain_all(
    db: &DatabaseConnection,
    month: &str,
    heavy: i64,
    light: i64,
    heavy_points: i64,
    light_points: i64,
) -> anyhow::Result<Vec<(String, String)>> {
    let backend = db.get_database_backend();
    let queries = [
        (
            "board, current month".to_owned(),
            board_sql(backend, month, None, false),
        ),
        (
            "board, current month, one department".to_owned(),
            board_sql(backend, month, Some(DEPARTMENT), false),
        ),
        (
            "board, current month, social team excluded".to_owned(),
            board_sql(backend, month, None, true),
        ),
        (
            "standing(): by rule, most active person, current month".to_owned(),
            by_rule_sql(month, heavy),
        ),
        (
            "standing(): by rule, most active person, all time".to_owned(),
            by_rule_sql("all", heavy),
        ),
        (
            "standing(): rank, most active person, current month".to_owned(),
            rank_sql(month, heavy_points),
        ),
        (
            "standing(): rank, least active person, current month".to_owned(),
            rank_sql(month, light_points),
        ),
        (
            "standing(): by rule, least active person, current month".to_owned(),
            by_rule_sql(month, light),
        ),
    ];
    let mut plans = Vec::new();
    for (name, sql) in queries {
        let explain = match backend {
            DbBackend::Postgres => format!("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}"),
            _ => format!("EXPLAIN QUERY PLAN {sql}"),
        };
        let rows = db
            .query_all_raw(Statement::from_string(backend, explain))
            .await?;
        let lines: Vec<String> = rows
            .iter()
            .map(|r| match backend {
                DbBackend::Postgres => r.try_get_by_index::<String>(0),
                // id, parent, notused, detail
                _ => r.try_get_by_index::<String>(3),
            })
            .collect::<Result<_, _>>()?;
        plans.push((name, format!("{sql}\n  {}", lines.join("\n  "))));
    }
    Ok(plans)
}

// ---------------------------------------------------------------------------------------------
// The engines.

/// `Ok(Err(reason))` when the engine was skipped.
async fn sqlite_phase(shape: &Shape, args: &Args) -> anyhow::Result<Result<Measured, String>> {
    if args.skip_sqlite {
        return Ok(Err("skipped (--skip-sqlite)".into()));
    }
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("kring.db");
    progress(&format!("SQLite: {}", path.display()));
    let url = DatabaseUrl::parse(&format!("sqlite://{}?mode=rwc", path.display()))
        .map_err(anyhow::Error::msg)?;
    let db = db::connect(&url).await?;
    db::migrate(&db).await?;
    // The generator gets one connection of its own with a large page cache (loading only:
    // the measurements go through Kring's pool as configured by `db::connect`).
    let mut options = ConnectOptions::new(url.expose().to_owned());
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let loader = Database::connect(options).await?;
    for pragma in [
        "PRAGMA cache_size = -1048576",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA busy_timeout = 10000",
    ] {
        loader.execute_unprepared(pragma).await?;
    }
    let result = measure_engine(&db, &loader, shape, args, "SQLite").await;
    loader.close().await?;
    db.close().await?;
    Ok(Ok(result?))
}

async fn pg_connect(url: &str) -> Result<DatabaseConnection, sea_orm::DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(1)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    Database::connect(options).await
}

async fn pg_drop(admin: &DatabaseConnection) -> anyhow::Result<()> {
    admin
        .execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)"
        ))
        .await?;
    Ok(())
}

/// `Ok(Err(reason))` when PostgreSQL was skipped or cannot be reached.
async fn pg_phase(shape: &Shape, args: &Args) -> anyhow::Result<Result<Measured, String>> {
    if args.skip_pg {
        return Ok(Err("skipped (--skip-pg)".into()));
    }
    let admin = match pg_connect(&args.pg_url).await {
        Ok(admin) => admin,
        Err(e) => {
            return Ok(Err(format!(
                "skipped: cannot connect to {}: {e}",
                args.pg_url
            )));
        }
    };
    pg_drop(&admin).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {PG_BENCH_DB}"))
        .await?;
    let result = pg_measure(shape, args).await;
    let dropped = pg_drop(&admin).await;
    admin.close().await?;
    let measured = result?;
    dropped?;
    Ok(Ok(measured))
}

async fn pg_measure(shape: &Shape, args: &Args) -> anyhow::Result<Measured> {
    let mut url = url::Url::parse(&args.pg_url).context("the PostgreSQL URL")?;
    url.set_path(&format!("/{PG_BENCH_DB}"));
    let url = DatabaseUrl::parse(url.as_str()).map_err(anyhow::Error::msg)?;
    let db = db::connect(&url).await?;
    let version: String = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT version()",
        ))
        .await?
        .context("no row")?
        .try_get_by_index(0)?;
    progress(&format!("PostgreSQL: {version}"));
    db::migrate(&db).await?;
    let result = measure_engine(&db, &db, shape, args, "PostgreSQL").await;
    db.close().await?;
    result
}

// ---------------------------------------------------------------------------------------------
// Output.

fn print_table(rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter(|r| r.len() == columns)
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| {
                if row.len() < columns {
                    s.clone()
                } else if c == 0 {
                    format!("{s:<w$}", w = widths[c])
                } else {
                    format!("{s:>w$}", w = widths[c])
                }
            })
            .collect();
        println!("| {} |", cells.join(" | "));
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            println!("|-{}-|", rule.join("-|-"));
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// The 1-minute load average, from /proc/loadavg.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

fn progress(message: &str) {
    let t = STARTED.get_or_init(Instant::now).elapsed().as_secs_f64();
    eprintln!("[{t:>7.1} s] {message}");
}

struct Args {
    events: i64,
    users: i64,
    pg_url: String,
    skip_pg: bool,
    skip_sqlite: bool,
    runs: usize,
    explain: bool,
    with_sql: Vec<String>,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        events: DEFAULT_EVENTS,
        users: DEFAULT_USERS,
        pg_url: std::env::var("KRING_BENCH_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.into()),
        skip_pg: false,
        skip_sqlite: false,
        runs: DEFAULT_RUNS,
        explain: false,
        with_sql: Vec::new(),
    };
    let number = |name: &str, value: Option<String>| -> anyhow::Result<i64> {
        let value = value.with_context(|| format!("{name} needs a value; {USAGE}"))?;
        value
            .replace(['_', ','], "")
            .parse()
            .with_context(|| format!("{name}: not a number: {value}"))
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") && f != "--with-sql" => {
                (f.to_owned(), Some(v.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            // Cargo passes `--bench` to benchmarks without the default harness.
            "--bench" => {}
            "--events" => args.events = number("--events", inline.or_else(|| it.next()))?,
            "--users" => args.users = number("--users", inline.or_else(|| it.next()))?,
            "--runs" => args.runs = number("--runs", inline.or_else(|| it.next()))? as usize,
            "--pg-url" => {
                args.pg_url = inline
                    .or_else(|| it.next())
                    .with_context(|| format!("--pg-url needs a value; {USAGE}"))?
            }
            "--with-sql" => args.with_sql.push(
                it.next()
                    .with_context(|| format!("--with-sql needs a value; {USAGE}"))?,
            ),
            "--skip-pg" => args.skip_pg = true,
            "--skip-sqlite" => args.skip_sqlite = true,
            "--explain" => args.explain = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?}; {USAGE}"),
        }
    }
    if !(1_000..=100_000_000).contains(&args.users) {
        bail!("--users must be between 1,000 and 100,000,000");
    }
    if !(1_000..=1_000_000_000).contains(&args.events) {
        bail!("--events must be between 1,000 and 1,000,000,000");
    }
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    STARTED.get_or_init(Instant::now);
    let args = parse_args()?;
    if let Err(problem) = run(&args).await? {
        println!();
        println!("FAILED: {problem}");
        std::process::exit(1);
    }
    Ok(())
}

/// Runs the benchmark and prints the report; `Ok(Err(..))` names the missed targets or the
/// engine that failed.
async fn run(args: &Args) -> anyhow::Result<Result<(), String>> {
    let load_at_start = load_average();
    let shape = Shape::new(args.users, args.events);
    let mut engines: Vec<(&str, Result<Measured, String>, bool)> = Vec::new();
    for name in ["SQLite", "PostgreSQL"] {
        let outcome = if name == "SQLite" {
            sqlite_phase(&shape, args).await
        } else {
            pg_phase(&shape, args).await
        };
        engines.push(match outcome {
            Ok(outcome) => (name, outcome, false),
            Err(e) => {
                progress(&format!("{name} failed: {e:#}"));
                (name, Err(format!("failed: {e:#}")), true)
            }
        });
    }

    println!();
    println!(
        "Leaderboard benchmark: {} point events over {MONTHS} months ({} to {}), {} people \
         ({} ever earn points, 1% social team, {DEPARTMENTS} departments); {} timed runs per \
         case after {WARMUP} untimed, one client, Kring's connection pool",
        args.events,
        shape.months[0],
        shape.current_month(),
        args.users,
        shape.contributors,
        args.runs,
    );
    println!(
        "Machine: {} cores; load (1-minute average) at the start {load_at_start}, at the end {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average(),
    );
    println!();

    // Loading.
    let mut table = vec![
        [
            "database",
            "people",
            "events",
            "events/s",
            "rebuild_totals",
            "VACUUM ANALYZE",
            "size",
            "rollup rows",
            "this month",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (name, outcome, _) in &engines {
        match outcome {
            Ok(m) => table.push(vec![
                (*name).into(),
                secs(m.people_time),
                secs(m.events_time),
                format!("{:.0}", args.events as f64 / m.events_time.as_secs_f64()),
                secs(m.rebuild_time),
                m.analyze_time.map_or("-".into(), secs),
                mib(m.size),
                m.totals_rows.to_string(),
                m.month_rows.to_string(),
            ]),
            Err(reason) => table.push(vec![format!("{name}: {reason}")]),
        }
    }
    print_table(&table);
    println!();
    if let Some((_, Ok(m), _)) = engines.iter().find(|e| e.1.is_ok()) {
        println!(
            "Department {DEPARTMENT}: {} people. Most active person: user {} ({} events this \
             month, {} in all); least active with points this month: user {} ({} this month, \
             {} in all).",
            m.department_size,
            m.heavy.user_id,
            m.heavy.events_month,
            m.heavy.events_all,
            m.light.user_id,
            m.light.events_month,
            m.light.events_all,
        );
        println!();
    }

    // Latencies.
    let mut header = vec!["case".to_owned(), "rows".to_owned()];
    for (name, _, _) in &engines {
        for col in ["p50 ms", "p99 ms", "max ms"] {
            header.push(format!("{name} {col}"));
        }
    }
    header.push("target".into());
    let mut table = vec![header];
    for (i, (case, target)) in CASES.iter().enumerate() {
        let mut row = vec![(*case).to_owned()];
        let items: Vec<String> = engines
            .iter()
            .filter_map(|e| e.1.as_ref().ok().map(|m| m.timings[i].items.to_string()))
            .collect();
        row.push(items.join("/"));
        for (_, outcome, _) in &engines {
            match outcome {
                Ok(m) => {
                    let t = &m.timings[i];
                    row.extend([ms(t.p50), ms(t.p99), ms(t.max)]);
                }
                Err(_) => row.extend(["-".into(), "-".into(), "-".into()]),
            }
        }
        row.push(if *target {
            format!("p99 < {} ms", TARGET_P99.as_millis())
        } else {
            "(info)".into()
        });
        table.push(row);
    }
    print_table(&table);
    println!();
    println!(
        "rows: entries on the board, or rules in standing()'s breakdown. standing() also \
         reads the person's total and counts the people above them on the board (the rank)."
    );

    // Plans.
    for (name, outcome, _) in &engines {
        if let Ok(m) = outcome
            && !m.plans.is_empty()
        {
            println!();
            println!("Query plans, {name}:");
            for (what, plan) in &m.plans {
                println!();
                println!("{what}:\n  {plan}");
            }
        }
    }

    // Targets.
    println!();
    let mut checks: Vec<(String, String, Option<bool>)> = Vec::new();
    for (name, outcome, _) in &engines {
        for (i, (case, target)) in CASES.iter().enumerate() {
            if !target {
                continue;
            }
            let label = format!("{name}: {case}, p99 < {} ms", TARGET_P99.as_millis());
            match outcome {
                Ok(m) => {
                    let p99 = m.timings[i].p99;
                    checks.push((label, format!("{} ms", ms(p99)), Some(p99 < TARGET_P99)));
                }
                Err(_) => checks.push((label, "not run".into(), None)),
            }
        }
        if let Ok(m) = outcome {
            checks.push((
                format!("{name}: board contents (full, ordered, exclusion applied)"),
                if m.problems.is_empty() {
                    "ok".into()
                } else {
                    m.problems.join("; ")
                },
                Some(m.problems.is_empty()),
            ));
        }
    }
    let measured: Vec<&Measured> = engines.iter().filter_map(|e| e.1.as_ref().ok()).collect();
    if measured.len() == 2 {
        let same = measured[0].boards == measured[1].boards;
        checks.push((
            "SQLite and PostgreSQL give the same current-month boards".into(),
            if same { "same" } else { "different" }.into(),
            Some(same),
        ));
    }
    let mut table = vec![vec!["check".into(), "measured".into(), "result".into()]];
    for (name, value, ok) in &checks {
        table.push(vec![
            name.clone(),
            value.clone(),
            match ok {
                Some(true) => "PASS".into(),
                Some(false) => "MISS".into(),
                None => "not checked".into(),
            },
        ]);
    }
    print_table(&table);

    let failed: Vec<&str> = engines.iter().filter(|e| e.2).map(|e| e.0).collect();
    if !failed.is_empty() {
        return Ok(Err(format!("an engine failed: {}", failed.join(", "))));
    }
    let missed: Vec<&str> = checks
        .iter()
        .filter(|c| c.2 == Some(false))
        .map(|c| c.0.as_str())
        .collect();
    if !missed.is_empty() {
        return Ok(Err(format!(
            "{} check(s) missed: {}",
            missed.len(),
            missed.join("; ")
        )));
    }
    Ok(Ok(()))
}
