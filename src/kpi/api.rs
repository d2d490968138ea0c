//! The KPIs and the readiness assessment in the JSON API (the social team and admins).
use actix_web::{HttpResponse, web};

use super::{
    readiness::{self, AssessmentInput, TrendPoint},
    service::{self, KpiQuery, Kpis},
};
use crate::auth::types::Role;
use crate::web::routes::{Access, Routes};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppResult, ErrorBody},
    state::AppState,
};

pub fn configure(r: &mut Routes) {
    r.access(Access::Role(Role::SocialTeam))
        .get("/kpis", get_kpis)
        .get("/kpis/readiness", get_readiness)
        .put("/kpis/readiness", put_readiness);
}

/// Every figure of the KPI dashboard, as on the page and in its CSV exports.
#[utoipa::path(get, path = "/api/v1/kpis", tag = "kpis", params(KpiQuery),
    responses((status = 200, body = Kpis), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_kpis(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<KpiQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::compute(&state.db, &user, &q, chrono::Utc::now()).await?))
}

/// The readiness assessments of the last eight quarters assessed, oldest first.
#[utoipa::path(get, path = "/api/v1/kpis/readiness", tag = "kpis",
    responses((status = 200, body = Vec<TrendPoint>), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_readiness(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    service::require(&user)?;
    Ok(HttpResponse::Ok().json(readiness::trend(&state.db).await?))
}

/// Fills in (or replaces) a quarter's readiness assessment; audited.
#[utoipa::path(put, path = "/api/v1/kpis/readiness", tag = "kpis",
    request_body = AssessmentInput,
    responses((status = 200, body = TrendPoint), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_readiness(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<AssessmentInput>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(readiness::save(&state.db, &user, &body).await?))
}
