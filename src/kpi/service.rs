//! The figures of the KPI dashboard, for the last 4, 12 or 52 ISO weeks (UTC, the current week
//! included), for everyone or for the people of one department. Definitions (also on the
//! dashboard):
//! - *contributors* of a week: people who published a post or wrote a question, answer or
//!   comment in it; *readers*: people who used Kring in it (`activity_weeks`);
//! - *answer rate*: of the questions asked in the period (not deleted), the share with at least
//!   one answer by someone other than the asker; *time to first answer*: from the question to
//!   the first such answer; *time to accepted answer*: from the question to the answer that was
//!   accepted (medians, in hours);
//! - *participation* per department: the share of its active people who contributed in the
//!   current calendar month;
//! - *cross-department answers*: answers in the period where asker and answerer both have a
//!   department and they differ, of the answers where both are known;
//! - *top contributors*: points in the period; *rising*: the biggest gain over the period
//!   before it, of the same length.
//!
//! With a department filter, content counts when its author is in the department (for
//! cross-department answers: when the asker or the answerer is).
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    Statement,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::activity::week_of;
use crate::{
    auth::{current_user::CurrentUser, types::Role},
    entities::{departments, profiles, user_roles, users},
    error::{AppError, AppResult},
};

/// Only the social team and admins see the KPIs.
pub fn may_see(user: &CurrentUser) -> bool {
    user.has(Role::SocialTeam) || user.has(Role::Admin)
}

pub fn require(user: &CurrentUser) -> AppResult<()> {
    if may_see(user) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KpiQuery {
    /// 4, 12 or 52 (default 12).
    pub weeks: Option<u32>,
    /// Only the people of this department.
    pub department: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Period {
    pub weeks: u32,
    /// The Monday the period starts.
    pub from: NaiveDate,
    /// The Sunday it ends (the current week's).
    pub to: NaiveDate,
    pub department: Option<i64>,
    /// The calendar month participation is measured in.
    pub month: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeekRow {
    /// `2026-W49`.
    pub week: String,
    pub starts: NaiveDate,
    pub contributors: u64,
    pub readers: u64,
    pub posts: u64,
    pub questions: u64,
    pub answers: u64,
    pub comments: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnswerStats {
    /// Questions asked in the period.
    pub questions: u64,
    /// Of those, answered by someone other than the asker.
    pub answered: u64,
    /// `answered / questions` (0 to 1), none without questions.
    pub answer_rate: Option<f64>,
    pub median_hours_to_first_answer: Option<f64>,
    pub accepted: u64,
    pub median_hours_to_accepted_answer: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagCount {
    pub tag: String,
    /// Open questions without an answer.
    pub questions: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DepartmentRow {
    pub id: i64,
    pub name: String,
    /// Active people in the department.
    pub people: u64,
    /// Of those, people who contributed this calendar month.
    pub contributors: u64,
    /// `contributors / people` (0 to 1), none for an empty department.
    pub participation: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CrossDepartment {
    /// Answers in the period whose asker and answerer both have a department.
    pub answers_known: u64,
    /// Of those, answers across departments.
    pub across: u64,
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contributor {
    pub user_id: i64,
    pub display_name: String,
    /// Points in the period.
    pub points: i64,
    /// Points in the period before (rising contributors only).
    pub previous: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AmbassadorRow {
    pub user_id: i64,
    pub display_name: String,
    pub posts: u64,
    pub answers: u64,
    pub comments: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulePoints {
    pub action: String,
    pub points: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Kpis {
    pub period: Period,
    pub weekly: Vec<WeekRow>,
    pub answers: AnswerStats,
    pub unanswered_by_tag: Vec<TagCount>,
    pub departments: Vec<DepartmentRow>,
    pub cross_department: CrossDepartment,
    pub top_contributors: Vec<Contributor>,
    pub rising_contributors: Vec<Contributor>,
    pub ambassadors: Vec<AmbassadorRow>,
    pub points_by_rule: Vec<RulePoints>,
    pub readiness: Vec<super::readiness::TrendPoint>,
}

/// How many people the contributor lists and tags show.
const TOP: usize = 10;

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// The period: `weeks` ISO weeks ending with the one `now` is in.
pub fn period(weeks: u32, department: Option<i64>, now: DateTime<Utc>) -> Period {
    let today = now.date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    Period {
        weeks,
        from: monday - Duration::weeks(i64::from(weeks) - 1),
        to: monday + Duration::days(6),
        department,
        month: now.format("%Y-%m").to_string(),
    }
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    let m = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    Some((m * 100.0).round() / 100.0)
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| ((part as f64 / whole as f64) * 10_000.0).round() / 10_000.0)
}

fn hours(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds().max(0) as f64 / 3600.0
}

/// Runs `sql` with `$1` = the period's start (and `$2` when given), on either database.
async fn rows(
    db: &DatabaseConnection,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => sql.to_owned(),
        _ => sql.replace("$1", "?").replace("$2", "?"),
    };
    db.query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
}

/// (author, time) of every contribution since `since`.
async fn contributions(
    db: &DatabaseConnection,
    since: DateTime<Utc>,
) -> Result<Vec<(&'static str, i64, DateTime<Utc>)>, sea_orm::DbErr> {
    let mut out = Vec::new();
    for (kind, sql) in [
        (
            "post",
            "SELECT author_id, published_at FROM posts WHERE status = 'published' \
             AND deleted_at IS NULL AND published_at >= $1",
        ),
        (
            "question",
            "SELECT author_id, created_at FROM questions WHERE deleted_at IS NULL \
             AND created_at >= $1",
        ),
        (
            "answer",
            "SELECT author_id, created_at FROM answers WHERE deleted_at IS NULL \
             AND created_at >= $1",
        ),
        (
            "comment",
            "SELECT author_id, created_at FROM qa_comments WHERE deleted_at IS NULL \
             AND created_at >= $1",
        ),
        (
            "comment",
            "SELECT author_id, created_at FROM post_comments WHERE deleted_at IS NULL \
             AND created_at >= $1",
        ),
    ] {
        for row in rows(db, sql, vec![since.into()]).await? {
            out.push((kind, row.try_get_by_index(0)?, row.try_get_by_index(1)?));
        }
    }
    Ok(out)
}

/// Every figure of the dashboard (the social team and admins).
pub async fn compute(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    query: &KpiQuery,
    now: DateTime<Utc>,
) -> AppResult<Kpis> {
    require(viewer)?;
    let weeks = query.weeks.unwrap_or(12);
    if ![4, 12, 52].contains(&weeks) {
        return Err(AppError::BadRequest(format!(
            "weeks must be 4, 12 or 52, not {weeks}"
        )));
    }
    let all_departments = departments::Entity::find().all(db).await?;
    if let Some(d) = query.department
        && !all_departments.iter().any(|x| x.id == d)
    {
        return Err(AppError::BadRequest(format!("unknown department {d}")));
    }
    let period = period(weeks, query.department, now);
    let from = start_of(period.from);
    let previous_from = start_of(period.from - Duration::weeks(i64::from(weeks)));

    // Who is where, and who is active.
    let department_of: HashMap<i64, i64> = profiles::Entity::find()
        .select_only()
        .column(profiles::Column::UserId)
        .column(profiles::Column::DepartmentId)
        .filter(profiles::Column::DepartmentId.is_not_null())
        .into_tuple::<(i64, Option<i64>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(u, d)| Some((u, d?)))
        .collect();
    let active: HashSet<i64> = users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::IsActive.eq(true))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let member = |user: i64| match query.department {
        None => true,
        Some(d) => department_of.get(&user) == Some(&d),
    };

    // Weekly activity.
    let month_start = start_of(
        NaiveDate::from_ymd_opt(now.year(), now.month(), 1).expect("the first of a month"),
    );
    let since = Ord::min(from, month_start);
    let all_contributions = contributions(db, since).await?;
    let mut weekly: BTreeMap<String, (NaiveDate, HashSet<i64>, [u64; 4])> = BTreeMap::new();
    for w in 0..weeks {
        let starts = period.from + Duration::weeks(i64::from(w));
        weekly.insert(week_of(starts), (starts, HashSet::new(), [0; 4]));
    }
    for (kind, author, at) in &all_contributions {
        if *at < from || !member(*author) {
            continue;
        }
        if let Some((_, people, counts)) = weekly.get_mut(&week_of(at.date_naive())) {
            people.insert(*author);
            let i = match *kind {
                "post" => 0,
                "question" => 1,
                "answer" => 2,
                _ => 3,
            };
            counts[i] += 1;
        }
    }
    let week_keys: Vec<String> = weekly.keys().cloned().collect();
    let mut readers: HashMap<String, u64> = HashMap::new();
    for row in rows(
        db,
        &format!(
            "SELECT user_id, week FROM activity_weeks WHERE week IN ({})",
            week_keys
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        vec![],
    )
    .await?
    {
        let user: i64 = row.try_get_by_index(0)?;
        let week: String = row.try_get_by_index(1)?;
        if member(user) {
            *readers.entry(week).or_default() += 1;
        }
    }
    let weekly: Vec<WeekRow> = weekly
        .into_iter()
        .map(|(week, (starts, people, c))| WeekRow {
            readers: readers.get(&week).copied().unwrap_or(0),
            week,
            starts,
            contributors: people.len() as u64,
            posts: c[0],
            questions: c[1],
            answers: c[2],
            comments: c[3],
        })
        .collect();

    // Questions of the period and their answers.
    let questions: Vec<(i64, i64, DateTime<Utc>, Option<i64>)> = rows(
        db,
        "SELECT id, author_id, created_at, accepted_answer_id FROM questions \
         WHERE deleted_at IS NULL AND created_at >= $1",
        vec![from.into()],
    )
    .await?
    .into_iter()
    .map(|r| {
        Ok((
            r.try_get_by_index(0)?,
            r.try_get_by_index(1)?,
            r.try_get_by_index(2)?,
            r.try_get_by_index(3)?,
        ))
    })
    .collect::<Result<_, sea_orm::DbErr>>()?;
    let answers_of: Vec<(i64, i64, i64, DateTime<Utc>)> = rows(
        db,
        "SELECT a.id, a.question_id, a.author_id, a.created_at FROM answers a \
         JOIN questions q ON q.id = a.question_id \
         WHERE a.deleted_at IS NULL AND q.deleted_at IS NULL AND q.created_at >= $1",
        vec![from.into()],
    )
    .await?
    .into_iter()
    .map(|r| {
        Ok((
            r.try_get_by_index(0)?,
            r.try_get_by_index(1)?,
            r.try_get_by_index(2)?,
            r.try_get_by_index(3)?,
        ))
    })
    .collect::<Result<_, sea_orm::DbErr>>()?;
    let mut first_answer: HashMap<i64, DateTime<Utc>> = HashMap::new();
    let mut answer_time: HashMap<i64, DateTime<Utc>> = HashMap::new();
    let asker_of: HashMap<i64, i64> = questions.iter().map(|q| (q.0, q.1)).collect();
    for (id, question, author, at) in &answers_of {
        answer_time.insert(*id, *at);
        if asker_of.get(question) == Some(author) {
            continue;
        }
        let first = first_answer.entry(*question).or_insert(*at);
        if at < first {
            *first = *at;
        }
    }
    let (mut asked, mut answered, mut accepted) = (0u64, 0u64, 0u64);
    let (mut to_first, mut to_accepted) = (Vec::new(), Vec::new());
    for (id, author, at, accepted_answer) in &questions {
        if !member(*author) {
            continue;
        }
        asked += 1;
        if let Some(first) = first_answer.get(id) {
            answered += 1;
            to_first.push(hours(*at, *first));
        }
        if let Some(when) = accepted_answer.and_then(|a| answer_time.get(&a)) {
            accepted += 1;
            to_accepted.push(hours(*at, *when));
        }
    }
    let answer_stats = AnswerStats {
        questions: asked,
        answered,
        answer_rate: ratio(answered, asked),
        median_hours_to_first_answer: median(&mut to_first),
        accepted,
        median_hours_to_accepted_answer: median(&mut to_accepted),
    };

    // Unanswered open questions by tag (now, whatever their age).
    let mut unanswered: HashMap<String, u64> = HashMap::new();
    for row in rows(
        db,
        "SELECT t.name, q.author_id FROM questions q \
         JOIN question_tags qt ON qt.question_id = q.id JOIN tags t ON t.id = qt.tag_id \
         WHERE q.deleted_at IS NULL AND q.status = 'open' AND NOT EXISTS \
           (SELECT 1 FROM answers a WHERE a.question_id = q.id AND a.deleted_at IS NULL)",
        vec![],
    )
    .await?
    {
        let tag: String = row.try_get_by_index(0)?;
        let author: i64 = row.try_get_by_index(1)?;
        if member(author) {
            *unanswered.entry(tag).or_default() += 1;
        }
    }
    let mut unanswered_by_tag: Vec<TagCount> = unanswered
        .into_iter()
        .map(|(tag, questions)| TagCount { tag, questions })
        .collect();
    unanswered_by_tag.sort_by(|a, b| b.questions.cmp(&a.questions).then(a.tag.cmp(&b.tag)));
    unanswered_by_tag.truncate(20);

    // Participation per department, this calendar month.
    let contributed_this_month: HashSet<i64> = all_contributions
        .iter()
        .filter(|(_, _, at)| *at >= month_start)
        .map(|(_, author, _)| *author)
        .collect();
    let mut departments: Vec<DepartmentRow> = all_departments
        .iter()
        .filter(|d| query.department.is_none_or(|q| q == d.id))
        .map(|d| {
            let people: Vec<i64> = department_of
                .iter()
                .filter(|(u, dep)| **dep == d.id && active.contains(u))
                .map(|(u, _)| *u)
                .collect();
            let contributors = people
                .iter()
                .filter(|u| contributed_this_month.contains(u))
                .count() as u64;
            DepartmentRow {
                id: d.id,
                name: d.name.clone(),
                people: people.len() as u64,
                contributors,
                participation: ratio(contributors, people.len() as u64),
            }
        })
        .collect();
    departments.sort_by_key(|d| d.name.to_lowercase());

    // Cross-department answers of the period.
    let (mut known, mut across) = (0u64, 0u64);
    for row in rows(
        db,
        "SELECT a.author_id, q.author_id FROM answers a JOIN questions q ON q.id = a.question_id \
         WHERE a.deleted_at IS NULL AND q.deleted_at IS NULL AND a.created_at >= $1",
        vec![from.into()],
    )
    .await?
    {
        let answerer: i64 = row.try_get_by_index(0)?;
        let asker: i64 = row.try_get_by_index(1)?;
        if !(member(answerer) || member(asker)) {
            continue;
        }
        if let (Some(a), Some(b)) = (department_of.get(&answerer), department_of.get(&asker)) {
            known += 1;
            if a != b {
                across += 1;
            }
        }
    }
    let cross_department = CrossDepartment {
        answers_known: known,
        across,
        share: ratio(across, known),
    };

    // Points: per person in this and the previous period, per rule in this one.
    let day = |d: DateTime<Utc>| d.format("%Y-%m-%d").to_string();
    let mut current: HashMap<i64, i64> = HashMap::new();
    let mut previous: HashMap<i64, i64> = HashMap::new();
    for row in rows(
        db,
        "SELECT user_id, CASE WHEN day >= $2 THEN 1 ELSE 0 END, CAST(SUM(points) AS BIGINT) \
         FROM point_events WHERE day >= $1 GROUP BY user_id, CASE WHEN day >= $2 THEN 1 ELSE 0 END",
        vec![day(previous_from).into(), day(from).into()],
    )
    .await?
    {
        let user: i64 = row.try_get_by_index(0)?;
        let now_period: i32 = row.try_get_by_index(1)?;
        let points: i64 = row.try_get_by_index(2)?;
        if !member(user) || !active.contains(&user) {
            continue;
        }
        if now_period == 1 {
            current.insert(user, points);
        } else {
            previous.insert(user, points);
        }
    }
    let mut points_by_rule: Vec<RulePoints> = Vec::new();
    for row in rows(
        db,
        "SELECT user_id, action, CAST(SUM(points) AS BIGINT) FROM point_events \
         WHERE day >= $1 GROUP BY user_id, action",
        vec![day(from).into()],
    )
    .await?
    {
        let user: i64 = row.try_get_by_index(0)?;
        let action: String = row.try_get_by_index(1)?;
        let points: i64 = row.try_get_by_index(2)?;
        if !member(user) {
            continue;
        }
        match points_by_rule.iter_mut().find(|r| r.action == action) {
            Some(r) => r.points += points,
            None => points_by_rule.push(RulePoints { action, points }),
        }
    }
    points_by_rule.retain(|r| r.points != 0);
    points_by_rule.sort_by(|a, b| b.points.cmp(&a.points).then(a.action.cmp(&b.action)));

    let mut names: HashMap<i64, String> = HashMap::new();
    let wanted: Vec<i64> = current.keys().copied().collect();
    for chunk in wanted.chunks(500) {
        for u in users::Entity::find()
            .filter(users::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            names.insert(u.id, u.display_name);
        }
    }
    let person = |user: i64, points: i64, prev: Option<i64>| Contributor {
        user_id: user,
        display_name: names.get(&user).cloned().unwrap_or_default(),
        points,
        previous: prev,
    };
    let mut top: Vec<(i64, i64)> = current.iter().map(|(u, p)| (*u, *p)).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let top_contributors = top
        .iter()
        .filter(|(_, p)| *p > 0)
        .take(TOP)
        .map(|(u, p)| person(*u, *p, None))
        .collect();
    let mut rising: Vec<(i64, i64, i64)> = current
        .iter()
        .map(|(u, p)| (*u, *p, previous.get(u).copied().unwrap_or(0)))
        .filter(|(_, p, before)| p > before)
        .collect();
    rising.sort_by(|a, b| (b.1 - b.2).cmp(&(a.1 - a.2)).then(a.0.cmp(&b.0)));
    let rising_contributors = rising
        .iter()
        .take(TOP)
        .map(|(u, p, before)| person(*u, *p, Some(*before)))
        .collect();

    // Ambassadors and what they did in the period.
    let ambassador_ids: Vec<i64> = user_roles::Entity::find()
        .select_only()
        .column(user_roles::Column::UserId)
        .filter(user_roles::Column::Role.eq(Role::Ambassador.as_str()))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .filter(|u| active.contains(u) && member(*u))
        .collect();
    // (posts, answers, comments) in the period per author, in one pass.
    let mut done: HashMap<i64, [u64; 3]> = HashMap::new();
    for (kind, author, at) in &all_contributions {
        let slot = match *kind {
            "post" => 0,
            "answer" => 1,
            "comment" => 2,
            _ => continue,
        };
        if *at >= from {
            done.entry(*author).or_default()[slot] += 1;
        }
    }
    let mut ambassadors: Vec<AmbassadorRow> = users::Entity::find()
        .filter(users::Column::Id.is_in(ambassador_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            let [posts, answers, comments] = done.get(&u.id).copied().unwrap_or_default();
            AmbassadorRow {
                user_id: u.id,
                display_name: u.display_name,
                posts,
                answers,
                comments,
            }
        })
        .collect();
    ambassadors.sort_by(|a, b| {
        (b.posts + b.answers + b.comments)
            .cmp(&(a.posts + a.answers + a.comments))
            .then(a.display_name.cmp(&b.display_name))
    });

    Ok(Kpis {
        period,
        weekly,
        answers: answer_stats,
        unanswered_by_tag,
        departments,
        cross_department,
        top_contributors,
        rising_contributors,
        ambassadors,
        points_by_rule,
        readiness: super::readiness::trend(db).await?,
    })
}
