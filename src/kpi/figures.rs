//! The figures of the dashboard about content (see [`super::service`] for their definitions):
//! weekly activity, answer statistics, unanswered questions by tag, participation per
//! department and cross-department answers; with the people in scope and the raw queries they
//! share.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    Statement,
};

use super::service::{AnswerStats, CrossDepartment, DepartmentRow, Period, TagCount, WeekRow};
use crate::{
    auth::activity::week_of,
    entities::{departments, profiles, users},
    error::AppResult,
};

/// One contribution: its kind (`post`, `question`, `answer` or `comment`), author and time.
pub(super) type Contribution = (&'static str, i64, DateTime<Utc>);

/// Who is where, who is active, and whose content counts (everyone's, or the people of one
/// department's).
pub(super) struct Scope {
    /// The department filter.
    department: Option<i64>,
    /// Department per user, for the users who have one.
    department_of: HashMap<i64, i64>,
    /// The active users.
    pub(super) active: HashSet<i64>,
}

impl Scope {
    /// Reads who is where and who is active (two queries).
    pub(super) async fn load(db: &DatabaseConnection, department: Option<i64>) -> AppResult<Self> {
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
        Ok(Self {
            department,
            department_of,
            active,
        })
    }

    /// Whether what `user` does counts: always without a department filter, otherwise when
    /// they are in the department.
    pub(super) fn member(&self, user: i64) -> bool {
        match self.department {
            None => true,
            Some(d) => self.department_of.get(&user) == Some(&d),
        }
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
pub(super) async fn rows(
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
pub(super) async fn contributions(
    db: &DatabaseConnection,
    since: DateTime<Utc>,
) -> Result<Vec<Contribution>, sea_orm::DbErr> {
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

/// Contributors, readers and contributions per week of the period (from `from`, the start of
/// its first week).
pub(super) async fn weekly(
    db: &DatabaseConnection,
    scope: &Scope,
    period: &Period,
    from: DateTime<Utc>,
    all_contributions: &[Contribution],
) -> AppResult<Vec<WeekRow>> {
    let mut weekly: BTreeMap<String, (NaiveDate, HashSet<i64>, [u64; 4])> = BTreeMap::new();
    for w in 0..period.weeks {
        let starts = period.from + Duration::weeks(i64::from(w));
        weekly.insert(week_of(starts), (starts, HashSet::new(), [0; 4]));
    }
    for (kind, author, at) in all_contributions {
        if *at < from || !scope.member(*author) {
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
    let readers = readers_per_week(db, scope, &week_keys).await?;
    Ok(weekly
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
        .collect())
}

/// How many people in scope used Kring in each of these weeks (`2026-W49`; one query).
async fn readers_per_week(
    db: &DatabaseConnection,
    scope: &Scope,
    week_keys: &[String],
) -> AppResult<HashMap<String, u64>> {
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
        if scope.member(user) {
            *readers.entry(week).or_default() += 1;
        }
    }
    Ok(readers)
}

/// The answer rate and the median times to the first and to the accepted answer, for the
/// questions asked since `from` (two queries).
pub(super) async fn answer_stats(
    db: &DatabaseConnection,
    scope: &Scope,
    from: DateTime<Utc>,
) -> AppResult<AnswerStats> {
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
        if !scope.member(*author) {
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
    Ok(AnswerStats {
        questions: asked,
        answered,
        answer_rate: ratio(answered, asked),
        median_hours_to_first_answer: median(&mut to_first),
        accepted,
        median_hours_to_accepted_answer: median(&mut to_accepted),
    })
}

/// Unanswered open questions by tag (now, whatever their age), the 20 biggest tags (one
/// query).
pub(super) async fn unanswered_by_tag(
    db: &DatabaseConnection,
    scope: &Scope,
) -> AppResult<Vec<TagCount>> {
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
        if scope.member(author) {
            *unanswered.entry(tag).or_default() += 1;
        }
    }
    let mut unanswered_by_tag: Vec<TagCount> = unanswered
        .into_iter()
        .map(|(tag, questions)| TagCount { tag, questions })
        .collect();
    unanswered_by_tag.sort_by(|a, b| b.questions.cmp(&a.questions).then(a.tag.cmp(&b.tag)));
    unanswered_by_tag.truncate(20);
    Ok(unanswered_by_tag)
}

/// Participation per department (the one filtered on, or all), this calendar month (from
/// `month_start`), by department name.
pub(super) fn participation(
    all_departments: &[departments::Model],
    scope: &Scope,
    all_contributions: &[Contribution],
    month_start: DateTime<Utc>,
) -> Vec<DepartmentRow> {
    let contributed_this_month: HashSet<i64> = all_contributions
        .iter()
        .filter(|(_, _, at)| *at >= month_start)
        .map(|(_, author, _)| *author)
        .collect();
    let mut departments: Vec<DepartmentRow> = all_departments
        .iter()
        .filter(|d| scope.department.is_none_or(|q| q == d.id))
        .map(|d| {
            let people: Vec<i64> = scope
                .department_of
                .iter()
                .filter(|(u, dep)| **dep == d.id && scope.active.contains(u))
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
    departments
}

/// Cross-department answers since `from` (one query).
pub(super) async fn cross_department(
    db: &DatabaseConnection,
    scope: &Scope,
    from: DateTime<Utc>,
) -> AppResult<CrossDepartment> {
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
        if !(scope.member(answerer) || scope.member(asker)) {
            continue;
        }
        if let (Some(a), Some(b)) = (
            scope.department_of.get(&answerer),
            scope.department_of.get(&asker),
        ) {
            known += 1;
            if a != b {
                across += 1;
            }
        }
    }
    Ok(CrossDepartment {
        answers_known: known,
        across,
        share: ratio(across, known),
    })
}
