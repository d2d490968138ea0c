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
//! - *spaces*: per space, its active members and what was contributed in it in the period,
//!   with the answer rate of the questions asked in it.
//!
//! Company-wide figures count what happens in every space, closed and secret ones included;
//! no figure carries a title. With a department filter, content counts when its author is in
//! the department (for cross-department answers: when the asker or the answerer is). With a
//! space filter, content counts when it is in the space (its answers and comments too), points
//! when they were earned with content in it, and the people in scope (readers, participation,
//! ambassadors) are the space's members.
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    contributors,
    figures::{self, Scope},
    per_space,
    reading::{self, Catalogue, Since},
};
use crate::{
    auth::{current_user::CurrentUser, types::Role},
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
    /// Only what happens in this space, and its members.
    pub space: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Period {
    pub weeks: u32,
    /// The Monday the period starts.
    pub from: NaiveDate,
    /// The Sunday it ends (the current week's).
    pub to: NaiveDate,
    pub department: Option<i64>,
    pub space: Option<i64>,
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
pub struct SpaceRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// `open`, `closed` or `secret`.
    pub kind: String,
    /// Active members (in the department filtered on).
    pub members: u64,
    /// People who contributed in the space in the period.
    pub contributors: u64,
    pub posts: u64,
    pub questions: u64,
    pub answers: u64,
    pub comments: u64,
    /// Of the questions asked in the space in the period, the share answered by someone other
    /// than the asker; none without questions.
    pub answer_rate: Option<f64>,
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
    pub spaces: Vec<SpaceRow>,
    pub cross_department: CrossDepartment,
    pub top_contributors: Vec<Contributor>,
    pub rising_contributors: Vec<Contributor>,
    pub ambassadors: Vec<AmbassadorRow>,
    pub points_by_rule: Vec<RulePoints>,
    pub readiness: Vec<super::readiness::TrendPoint>,
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// The period: `weeks` ISO weeks ending with the one `now` is in.
pub fn period(weeks: u32, query: &KpiQuery, now: DateTime<Utc>) -> Period {
    let today = now.date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    Period {
        weeks,
        from: monday - Duration::weeks(i64::from(weeks) - 1),
        to: monday + Duration::days(6),
        department: query.department,
        space: query.space,
        month: now.format("%Y-%m").to_string(),
    }
}

/// The dashboard: its figures, and every department and space to filter on.
pub struct Dashboard {
    pub kpis: Kpis,
    pub catalogue: Catalogue,
}

/// Every figure of the dashboard (the social team and admins).
pub async fn compute(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    query: &KpiQuery,
    now: DateTime<Utc>,
) -> AppResult<Kpis> {
    Ok(dashboard(db, viewer, query, now).await?.kpis)
}

/// [`compute`], with the departments and spaces it read.
pub async fn dashboard(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    query: &KpiQuery,
    now: DateTime<Utc>,
) -> AppResult<Dashboard> {
    require(viewer)?;
    let weeks = query.weeks.unwrap_or(12);
    if ![4, 12, 52].contains(&weeks) {
        return Err(AppError::BadRequest(format!(
            "weeks must be 4, 12 or 52, not {weeks}"
        )));
    }
    let catalogue = reading::catalogue(db).await?;
    if let Some(d) = query.department
        && !catalogue.departments.iter().any(|x| x.id == d)
    {
        return Err(AppError::BadRequest(format!("unknown department {d}")));
    }
    if let Some(s) = query.space
        && !catalogue.spaces.iter().any(|x| x.id == s)
    {
        return Err(AppError::BadRequest(format!("unknown space {s}")));
    }
    let period = period(weeks, query, now);
    let from = start_of(period.from);
    let previous_from = start_of(period.from - Duration::weeks(i64::from(weeks)));
    let month_start = start_of(
        NaiveDate::from_ymd_opt(now.year(), now.month(), 1).expect("the first of a month"),
    );
    let people = reading::people(db).await?;
    let scope = Scope::new(query.department, query.space, &people);
    let since = Since {
        contributions: Ord::min(from, month_start),
        period: from,
        previous: previous_from,
    };
    let activity = reading::activity(db, &since, &figures::week_keys(&period), query.space).await?;
    let contributions = &activity.contributions;

    let weekly = figures::weekly(&scope, &period, from, contributions, &activity.reads);
    let answer_data = figures::AnswerData::new(activity.asked, &activity.replies);
    let answers = answer_data.stats(|asker, space| scope.counts(asker, space));
    let unanswered_by_tag = figures::unanswered_by_tag(&scope, &activity.unanswered);
    let departments =
        figures::participation(&catalogue.departments, &scope, contributions, month_start);
    let spaces = per_space::rows(&catalogue.spaces, &scope, contributions, &answer_data, from);
    let cross_department = figures::cross_department(&scope, &activity.across);
    let points = contributors::points(&scope, &activity.points);
    let points_by_rule = contributors::points_by_rule(&scope, &activity.points);
    let names = contributors::names(&people);
    let top_contributors = contributors::top_contributors(&points, &names);
    let rising_contributors = contributors::rising_contributors(&points, &names);
    let ambassadors = contributors::ambassadors(&scope, &people, contributions, from);

    let kpis = Kpis {
        period,
        weekly,
        answers,
        unanswered_by_tag,
        departments,
        spaces,
        cross_department,
        top_contributors,
        rising_contributors,
        ambassadors,
        points_by_rule,
        readiness: super::readiness::trend(db).await?,
    };
    Ok(Dashboard { kpis, catalogue })
}
