//! Point rules, leaderboards and one's own points in the JSON API.
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    badges::{self, CatalogueEntry, Held},
    guru::{self, AwardView, NewNomination, NominationView, Suggestion},
    leaderboard::{self, Entry, LeaderboardSettings, Standing},
    ledger::{self, Event, Recomputed},
    rules::{self, Rule},
    standing,
};
use crate::web::routes::Routes;
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult, ErrorBody},
    state::AppState,
};

pub fn configure(r: &mut Routes) {
    r.get("/point-rules", get_rules)
        .put("/point-rules", put_rules)
        .get("/leaderboard", get_leaderboard)
        .get("/me/points", my_points)
        .post("/point-rules/recompute", recompute)
        .get("/people/{id}/points", person_points)
        .get("/people/{id}/badges", person_badges)
        .get("/badges", get_badges)
        .get("/guru/suggestions", get_suggestions)
        .get("/nominations", get_nominations)
        .post("/nominations", post_nomination)
        .post("/nominations/{id}/award", post_award)
        .get("/awards", get_awards)
        .post("/awards/{id}/revoke", revoke_award);
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
            &settings,
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
    Ok(HttpResponse::Ok().json(standing::own(&state.db, &user, &period).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RecomputeBody {
    /// `YYYY-MM-DD`: awards made on or after this day are re-valued at today's rules.
    pub from: String,
}

/// Re-values the points awarded since a date at today's rules (the social team and admins);
/// audited.
#[utoipa::path(post, path = "/api/v1/point-rules/recompute", tag = "gamification",
    request_body = RecomputeBody,
    responses((status = 200, body = Recomputed), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn recompute(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<RecomputeBody>,
) -> AppResult<HttpResponse> {
    let from = chrono::NaiveDate::parse_from_str(body.from.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::validation("from", crate::error::Msg::new("err-recompute-date")))?;
    Ok(HttpResponse::Ok().json(ledger::recompute_from(&state.db, &user, from).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// `YYYY-MM` or `all` (default: the current month) for the totals.
    pub period: Option<String>,
    /// Ledger lines before this event id (the previous page's last `id`).
    pub before: Option<i64>,
    /// At most 100 (default 50).
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonPoints {
    pub standing: Standing,
    /// The ledger, newest first.
    pub events: Vec<Event>,
}

/// Someone's points, rank, breakdown by rule and ledger. Oneself, the social team and admins
/// always; others only while leaderboards are public.
#[utoipa::path(get, path = "/api/v1/people/{id}/points", tag = "gamification",
    params(("id" = i64, Path), LedgerQuery),
    responses((status = 200, body = PersonPoints), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn person_points(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    q: web::Query<LedgerQuery>,
) -> AppResult<HttpResponse> {
    let (standing, events) = standing::of_person(
        &state.db,
        &user,
        id.into_inner(),
        period_of(q.period.as_deref()),
        q.before,
        q.limit.unwrap_or(50).clamp(1, 100),
    )
    .await?;
    Ok(HttpResponse::Ok().json(PersonPoints { standing, events }))
}

/// Someone's badges, in the catalogue's order.
#[utoipa::path(get, path = "/api/v1/people/{id}/badges", tag = "gamification",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Held>)),
    security(("bearer" = []), ("session" = [])))]
pub async fn person_badges(
    state: web::Data<AppState>,
    _user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(badges::of_user(&state.db, id.into_inner()).await?))
}

/// Every badge there is, and how many people hold it.
#[utoipa::path(get, path = "/api/v1/badges", tag = "gamification",
    responses((status = 200, body = Vec<CatalogueEntry>)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_badges(state: web::Data<AppState>, _user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(badges::catalogue(&state.db).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM` (default: the month that closed last).
    pub month: Option<String>,
}

fn month_or_closed(q: &MonthQuery) -> String {
    q.month
        .clone()
        .unwrap_or_else(|| guru::closed_month(chrono::Utc::now()))
}

/// Social Guru candidates for a month (the social team).
#[utoipa::path(get, path = "/api/v1/guru/suggestions", tag = "gamification", params(MonthQuery),
    responses((status = 200, body = Vec<Suggestion>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_suggestions(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(guru::suggestions(&state.db, &user, &month_or_closed(&q)).await?))
}

/// The nominations of a month (the social team).
#[utoipa::path(get, path = "/api/v1/nominations", tag = "gamification", params(MonthQuery),
    responses((status = 200, body = Vec<NominationView>), (status = 403, body = ErrorBody),
        (status = 422, description = "Not a month (YYYY-MM)", body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_nominations(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(guru::nominations(&state.db, &user, &month_or_closed(&q)).await?))
}

/// Nominates someone as Social Guru of a month, with a reason (the social team).
#[utoipa::path(post, path = "/api/v1/nominations", tag = "gamification",
    request_body = NewNomination,
    responses((status = 201, body = NominationView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn post_nomination(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<NewNomination>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(guru::nominate(&state.db, &user, &body).await?))
}

/// Awards a nomination: its nominee becomes Social Guru of its (closed) month. 409 when the
/// month has one already.
#[utoipa::path(post, path = "/api/v1/nominations/{id}/award", tag = "gamification",
    params(("id" = i64, Path)),
    responses((status = 201, body = AwardView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn post_award(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(guru::award(&state.db, &user, id.into_inner()).await?))
}

/// Every standing Social Guru award, newest month first (the hall of fame).
#[utoipa::path(get, path = "/api/v1/awards", tag = "gamification",
    responses((status = 200, body = Vec<AwardView>)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_awards(state: web::Data<AppState>, _user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(guru::awards(&state.db, None).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeBody {
    pub reason: String,
}

/// Revokes an award (admins), with a reason; audited.
#[utoipa::path(post, path = "/api/v1/awards/{id}/revoke", tag = "gamification",
    params(("id" = i64, Path)), request_body = RevokeBody,
    responses((status = 200, body = AwardView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn revoke_award(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: web::Json<RevokeBody>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(guru::revoke(&state.db, &user, id.into_inner(), &body.reason).await?))
}
