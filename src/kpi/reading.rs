//! What the dashboard reads, in a fixed number of statements whatever the community holds
//! (issue 25's budget):
//!
//! 1. the catalogue: every department and every space, by name (also the page's filter lists);
//! 2. the people: one row per person with their name, whether they are active, their
//!    department, their ambassador mark and the spaces they are a member of;
//! 3. the activity: the contributions, the questions asked in the period and their answers,
//!    the answers with their askers, the unanswered open questions by tag, who used Kring in
//!    which week and the points per person, rule and period. Each is what one query of its own
//!    used to read, now a branch of one `UNION ALL` with the same eight columns, told apart by
//!    the first.
//!
//! The readiness trend is the fourth statement, the session or token the fifth. The figures
//! are made of these rows in Rust (portable between SQLite and PostgreSQL).
use chrono::{DateTime, Utc};
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
async fn rows(
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
    crate::db::all(db, &select)
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

/// One contribution: its kind (one of [`CONTRIBUTIONS`]), author, time and space (none for
/// the company-wide space).
pub(super) type Contribution = (&'static str, i64, DateTime<Utc>, Option<i64>);

/// The kinds of contribution.
const CONTRIBUTIONS: [&str; 4] = ["post", "question", "answer", "comment"];

/// A question as the answer statistics read it: id, asker, asked at, accepted answer, space.
pub(super) type AskedQuestion = (i64, i64, DateTime<Utc>, Option<i64>, Option<i64>);

/// An answer as the answer statistics read it: id, question, author, written at.
pub(super) type Reply = (i64, i64, i64, DateTime<Utc>);

/// The points of one person by one rule in the period or in the one before it.
pub(super) struct PointsRow {
    pub(super) user: i64,
    pub(super) action: String,
    /// In the period (not the one before).
    pub(super) current: bool,
    pub(super) points: i64,
}

/// Where the activity is read from.
pub(super) struct Since {
    /// Contributions: the start of the period or of the calendar month, whichever is first.
    pub(super) contributions: DateTime<Utc>,
    /// The start of the period.
    pub(super) period: DateTime<Utc>,
    /// The start of the period before it (points).
    pub(super) previous: DateTime<Utc>,
}

/// What happened, as the figures need it (see [`activity`]).
#[derive(Default)]
pub(super) struct Activity {
    /// Every contribution since [`Since::contributions`].
    pub(super) contributions: Vec<Contribution>,
    /// The questions asked in the period (not deleted).
    pub(super) asked: Vec<AskedQuestion>,
    /// The answers (not deleted) to those questions.
    pub(super) replies: Vec<Reply>,
    /// The answers in the period (not deleted, to questions not deleted): answerer, asker and
    /// the question's space.
    pub(super) across: Vec<(i64, i64, Option<i64>)>,
    /// The unanswered open questions, whatever their age, once per tag: tag, asker, space.
    pub(super) unanswered: Vec<(String, i64, Option<i64>)>,
    /// Who used Kring in which of the weeks asked for (`2026-W49`).
    pub(super) reads: Vec<(i64, String)>,
    /// The points since [`Since::previous`] per person, rule and period; with a space, only
    /// those earned with content in it.
    pub(super) points: Vec<PointsRow>,
}

/// The space of a point event's subject (none for the company-wide space), as SQL over
/// `point_events pe`: each kind of subject leads to its post or question.
const SUBJECT_SPACE: &str = "CASE pe.subject_kind \
    WHEN 'question' THEN (SELECT space_id FROM questions WHERE id = pe.subject_id) \
    WHEN 'answer' THEN (SELECT q.space_id FROM answers a JOIN questions q ON q.id = a.question_id \
        WHERE a.id = pe.subject_id) \
    WHEN 'qa_comment' THEN (SELECT q.space_id FROM qa_comments c \
        JOIN questions q ON q.id = c.question_id WHERE c.id = pe.subject_id) \
    WHEN 'post' THEN (SELECT space_id FROM posts WHERE id = pe.subject_id) \
    WHEN 'post_comment' THEN (SELECT p.space_id FROM post_comments c \
        JOIN posts p ON p.id = c.post_id WHERE c.id = pe.subject_id) \
    WHEN 'post_review' THEN (SELECT space_id FROM posts WHERE id = pe.subject_id) END";

/// The activity statement: `kind`, `id`, `who`, `at`, `space`, `other`, `amount`, `label`, with
/// `$1` = [`Since::contributions`], `$2` = [`Since::period`] and the days (as `point_events`
/// stores them) `$3` of [`Since::previous`] and `$4` of [`Since::period`]. The first branch
/// gives every column its type (PostgreSQL types a union's columns branch by branch).
fn activity_sql(weeks: &[String], space: Option<i64>) -> String {
    let weeks = weeks
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(", ");
    // The space id is a number, written into the SQL.
    let in_space = space
        .map(|s| format!(" AND ({SUBJECT_SPACE}) = {s}"))
        .unwrap_or_default();
    format!(
        "SELECT 'post', CAST(NULL AS BIGINT), author_id, published_at, space_id, \
           CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS TEXT) FROM posts \
         WHERE status = 'published' AND deleted_at IS NULL AND published_at >= $1 \
         UNION ALL SELECT 'question', NULL, author_id, created_at, space_id, NULL, NULL, NULL \
         FROM questions WHERE deleted_at IS NULL AND created_at >= $1 \
         UNION ALL SELECT 'answer', NULL, a.author_id, a.created_at, q.space_id, NULL, NULL, NULL \
         FROM answers a JOIN questions q ON q.id = a.question_id \
         WHERE a.deleted_at IS NULL AND a.created_at >= $1 \
         UNION ALL SELECT 'comment', NULL, c.author_id, c.created_at, q.space_id, NULL, NULL, NULL \
         FROM qa_comments c JOIN questions q ON q.id = c.question_id \
         WHERE c.deleted_at IS NULL AND c.created_at >= $1 \
         UNION ALL SELECT 'comment', NULL, c.author_id, c.created_at, p.space_id, NULL, NULL, NULL \
         FROM post_comments c JOIN posts p ON p.id = c.post_id \
         WHERE c.deleted_at IS NULL AND c.created_at >= $1 \
         UNION ALL SELECT 'asked', id, author_id, created_at, space_id, accepted_answer_id, NULL, \
           NULL FROM questions WHERE deleted_at IS NULL AND created_at >= $2 \
         UNION ALL SELECT 'reply', a.id, a.author_id, a.created_at, NULL, a.question_id, NULL, NULL \
         FROM answers a JOIN questions q ON q.id = a.question_id \
         WHERE a.deleted_at IS NULL AND q.deleted_at IS NULL AND q.created_at >= $2 \
         UNION ALL SELECT 'across', NULL, a.author_id, NULL, q.space_id, q.author_id, NULL, NULL \
         FROM answers a JOIN questions q ON q.id = a.question_id \
         WHERE a.deleted_at IS NULL AND q.deleted_at IS NULL AND a.created_at >= $2 \
         UNION ALL SELECT 'unanswered', NULL, q.author_id, NULL, q.space_id, NULL, NULL, t.name \
         FROM questions q JOIN question_tags qt ON qt.question_id = q.id \
         JOIN tags t ON t.id = qt.tag_id \
         WHERE q.deleted_at IS NULL AND q.status = 'open' AND NOT EXISTS \
           (SELECT 1 FROM answers a WHERE a.question_id = q.id AND a.deleted_at IS NULL) \
         UNION ALL SELECT 'read', NULL, user_id, NULL, NULL, NULL, NULL, week \
         FROM activity_weeks WHERE week IN ({weeks}) \
         UNION ALL SELECT 'points', NULL, pe.user_id, NULL, NULL, \
           CAST(CASE WHEN pe.day >= $4 THEN 1 ELSE 0 END AS BIGINT), \
           CAST(SUM(pe.points) AS BIGINT), pe.action \
         FROM point_events pe WHERE pe.day >= $3{in_space} \
         GROUP BY pe.user_id, pe.action, CASE WHEN pe.day >= $4 THEN 1 ELSE 0 END"
    )
}

/// `2026-12-07`: the day as `point_events` stores it.
fn day(d: DateTime<Utc>) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A column a kind of row always fills.
fn filled<T>(value: Option<T>, kind: &str) -> Result<T, DbErr> {
    value.ok_or_else(|| DbErr::Type(format!("an activity row '{kind}' lacks a value")))
}

/// The activity since `since`, readers in `weeks`, points in `space` (one statement).
pub(super) async fn activity(
    db: &DatabaseConnection,
    since: &Since,
    weeks: &[String],
    space: Option<i64>,
) -> Result<Activity, DbErr> {
    let mut activity = Activity::default();
    let values = vec![
        since.contributions.into(),
        since.period.into(),
        day(since.previous).into(),
        day(since.period).into(),
    ];
    for row in rows(db, &activity_sql(weeks, space), values).await? {
        let kind: String = row.try_get_by_index(0)?;
        let id: Option<i64> = row.try_get_by_index(1)?;
        let who: i64 = row.try_get_by_index(2)?;
        let at: Option<DateTime<Utc>> = row.try_get_by_index(3)?;
        let space: Option<i64> = row.try_get_by_index(4)?;
        let other: Option<i64> = row.try_get_by_index(5)?;
        let amount: Option<i64> = row.try_get_by_index(6)?;
        let label: Option<String> = row.try_get_by_index(7)?;
        if let Some(kind) = CONTRIBUTIONS.into_iter().find(|k| *k == kind) {
            let at = filled(at, kind)?;
            activity.contributions.push((kind, who, at, space));
            continue;
        }
        let kind = kind.as_str();
        match kind {
            "asked" => {
                let question = (filled(id, kind)?, who, filled(at, kind)?, other, space);
                activity.asked.push(question);
            }
            "reply" => {
                let reply = (
                    filled(id, kind)?,
                    filled(other, kind)?,
                    who,
                    filled(at, kind)?,
                );
                activity.replies.push(reply);
            }
            "across" => activity.across.push((who, filled(other, kind)?, space)),
            "unanswered" => activity.unanswered.push((filled(label, kind)?, who, space)),
            "read" => activity.reads.push((who, filled(label, kind)?)),
            "points" => activity.points.push(PointsRow {
                user: who,
                action: filled(label, kind)?,
                current: other == Some(1),
                points: filled(amount, kind)?,
            }),
            _ => return Err(DbErr::Type(format!("an activity row of kind '{kind}'"))),
        }
    }
    Ok(activity)
}
