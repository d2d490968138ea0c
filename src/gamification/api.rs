//! Point rules, leaderboards and one's own points in the JSON API.
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    leaderboard::{self, Entry, LeaderboardSettings, Standing},
    rules::{self, Rule},
};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult, ErrorBody},
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/point-rules", web::get().to(get_rules))
        .route("/point-rules", web::put().to(put_rules))
        .route("/leaderboard", web::get().to(get_leaderboard))
        .route("/me/points", web::get().to(my_points));
}

/// The point rules.
#[utoipa::path(get, path = "/api/v1/point-rules", tag = "gamification",
    responses((status = 200, body = Vec<Rule>)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_rules(state: web::Data<AppState>, _user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(rules::all(&state.db).await?))
}

/// Change point rules (the social team and admins); each change is audited and applies from
/// now on.
#[utoipa::path(put, path = "/api/v1/point-rules", tag = "gamification",
    request_body = Vec<Rule>,
    responses((status = 200, body = Vec<Rule>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_rules(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<Vec<Rule>>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(rules::update(&state.db, &user, &body).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    /// `YYYY-MM` or `all` (default: the current month).
    pub period: Option<String>,
    pub department: Option<i64>,
    /// At most 100 (default 20).
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Board {
    pub period: String,
    /// True when the company hides individual leaderboards: `entries` is then empty.
    pub hidden: bool,
    pub entries: Vec<Entry>,
}

fn period_of(raw: Option<&str>) -> AppResult<String> {
    let period = raw
        .map(str::to_owned)
        .unwrap_or_else(|| chrono::Utc::now().format("%Y-%m").to_string());
    if !leaderboard::valid_period(&period) {
        return Err(AppError::BadRequest(format!(
            "period must be YYYY-MM or all, not '{period}'"
        )));
    }
    Ok(period)
}

/// A leaderboard: a month or all time, overall or of one department.
#[utoipa::path(get, path = "/api/v1/leaderboard", tag = "gamification", params(BoardQuery),
    responses((status = 200, body = Board), (status = 400, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_leaderboard(
    state: web::Data<AppState>,
    _user: CurrentUser,
    q: web::Query<BoardQuery>,
) -> AppResult<HttpResponse> {
    let period = period_of(q.period.as_deref())?;
    let settings: LeaderboardSettings = crate::settings_store::get(&state.db).await?;
    let entries = if settings.hide_individuals {
        vec![]
    } else {
        leaderboard::board(
            &state.db,
            &period,
            q.department,
            q.limit.unwrap_or(20).clamp(1, 100),
        )
        .await?
    };
    Ok(HttpResponse::Ok().json(Board {
        period,
        hidden: settings.hide_individuals,
        entries,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// `YYYY-MM` or `all` (default: the current month).
    pub period: Option<String>,
}

/// Your points in a period, your rank and the breakdown by rule.
#[utoipa::path(get, path = "/api/v1/me/points", tag = "gamification", params(PeriodQuery),
    responses((status = 200, body = Standing), (status = 400, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn my_points(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<PeriodQuery>,
) -> AppResult<HttpResponse> {
    let period = period_of(q.period.as_deref())?;
    Ok(HttpResponse::Ok().json(leaderboard::standing(&state.db, &period, user.id.0).await?))
}
