//! The social-readiness self-assessment: each quarter the social team rates ten statements
//! from 1 (not at all) to 5 (fully); their average, rounded, is the step on the five-step
//! model from Social Junior (1) to Social Guru (5). One assessment per quarter: filling it in
//! again replaces it. Audited.
use chrono::{DateTime, Datelike, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::current_user::CurrentUser,
    entities::readiness_assessments,
    error::{AppError, AppResult, Msg},
};

/// The statements (`readiness-q-{n}` in the catalogues).
pub const STATEMENTS: usize = 10;

/// `2026-Q4`.
pub fn quarter_of(at: DateTime<Utc>) -> String {
    format!("{:04}-Q{}", at.year(), (at.month() - 1) / 3 + 1)
}

fn valid_quarter(q: &str, now: DateTime<Utc>) -> bool {
    let Some((year, n)) = q.split_once("-Q") else {
        return false;
    };
    year.len() == 4
        && year.parse::<i32>().is_ok()
        && matches!(n, "1" | "2" | "3" | "4")
        && q <= quarter_of(now).as_str()
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssessmentInput {
    /// `YYYY-Qn`, this quarter or an earlier one.
    pub quarter: String,
    /// Ten scores from 1 to 5, in the order of the statements.
    pub answers: Vec<u8>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrendPoint {
    pub quarter: String,
    /// 1 (Social Junior) to 5 (Social Guru).
    pub level: i32,
    /// The average score (1 to 5).
    pub score: f64,
    pub answers: Vec<u8>,
    pub note: String,
}

fn score(answers: &[u8]) -> f64 {
    let sum: u32 = answers.iter().map(|a| u32::from(*a)).sum();
    ((f64::from(sum) / answers.len() as f64) * 100.0).round() / 100.0
}

/// Saves (or replaces) a quarter's assessment (the social team and admins).
pub async fn save(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &AssessmentInput,
) -> AppResult<TrendPoint> {
    super::service::require(actor)?;
    if !valid_quarter(&input.quarter, Utc::now()) {
        return Err(AppError::validation(
            "quarter",
            Msg::new("err-readiness-quarter"),
        ));
    }
    if input.answers.len() != STATEMENTS || input.answers.iter().any(|a| !(1..=5).contains(a)) {
        return Err(AppError::validation(
            "answers",
            Msg::new("err-readiness-answers").arg("count", STATEMENTS),
        ));
    }
    if input.note.chars().count() > 2000 {
        return Err(AppError::validation(
            "note",
            Msg::new("err-readiness-note").arg("max", 2000),
        ));
    }
    let score = score(&input.answers);
    let level = (score.round() as i32).clamp(1, 5);
    let txn = crate::db::begin(db).await?;
    readiness_assessments::Entity::insert(readiness_assessments::ActiveModel {
        quarter: Set(input.quarter.clone()),
        answers: Set(serde_json::to_string(&input.answers).expect("numbers serialise")),
        level: Set(level),
        note: Set(input.note.trim().to_owned()),
        created_by: Set(Some(actor.id.0)),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(readiness_assessments::Column::Quarter)
            .update_columns([
                readiness_assessments::Column::Answers,
                readiness_assessments::Column::Level,
                readiness_assessments::Column::Note,
                readiness_assessments::Column::CreatedBy,
                readiness_assessments::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    crate::audit::record(
        &txn,
        Some(actor.id),
        "readiness.assessed",
        None,
        serde_json::json!({"quarter": input.quarter, "answers": input.answers, "level": level}),
    )
    .await?;
    txn.commit().await?;
    Ok(TrendPoint {
        quarter: input.quarter.clone(),
        level,
        score,
        answers: input.answers.clone(),
        note: input.note.trim().to_owned(),
    })
}

/// The assessments of the last eight quarters assessed, oldest first.
pub async fn trend<C: ConnectionTrait>(conn: &C) -> Result<Vec<TrendPoint>, DbErr> {
    let mut rows = readiness_assessments::Entity::find()
        .order_by_desc(readiness_assessments::Column::Quarter)
        .all(conn)
        .await?;
    rows.truncate(8);
    rows.reverse();
    Ok(rows.into_iter().map(trend_row).collect())
}

/// One quarter's assessment, if filled in.
pub async fn of_quarter<C: ConnectionTrait>(
    conn: &C,
    quarter: &str,
) -> Result<Option<TrendPoint>, DbErr> {
    Ok(readiness_assessments::Entity::find()
        .filter(readiness_assessments::Column::Quarter.eq(quarter))
        .one(conn)
        .await?
        .map(trend_row))
}

fn trend_row(r: readiness_assessments::Model) -> TrendPoint {
    let answers: Vec<u8> = serde_json::from_str(&r.answers).unwrap_or_default();
    TrendPoint {
        quarter: r.quarter,
        level: r.level,
        score: if answers.is_empty() {
            f64::from(r.level)
        } else {
            score(&answers)
        },
        answers,
        note: r.note,
    }
}
