use actix_web::{
    HttpResponse,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{Method, header},
    middleware::Next,
    web,
};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use tera::Context;
use utoipa::ToSchema;

use crate::web::routes::{Access, Kind, Routes};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult},
    state::AppState,
    uploads,
    web::page::Page,
};

pub fn configure(r: &mut Routes) {
    r.get("/", home)
        .get("/uploads/{folder}/{name}", upload)
        // For load balancers and monitors: JSON, documented with the API.
        .access(Access::Public)
        .kind(Kind::Json)
        .get("/healthz", healthz);
}

/// The home page (see [`super::home`]).
async fn home(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let state = page.state();
    let home = super::home::load(&state.db, &state.settings, &state.popular_tags, &user).await?;
    let mut ctx = Context::new();
    ctx.insert("home", &home);
    ctx.insert("tags_to_follow", &super::home::TAGS_TO_FOLLOW);
    page.render("home.html", ctx)
}

/// Uploaded images, for logged-in users. Names are random, so a file cannot be guessed; the
/// browser may keep it for good (a new image gets a new name).
async fn upload(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    _user: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (folder, name) = path.into_inner();
    let file = uploads::resolve(&state.settings.data_dir, &format!("{folder}/{name}"))
        .ok_or(AppError::NotFound)?;
    let file = actix_files::NamedFile::open(&file).map_err(|_| AppError::NotFound)?;
    let mut response = file.into_response(&req);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    Ok(response)
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` when a part is not usable.
    pub status: &'static str,
    /// `ok`, `unavailable` (it does not answer) or `writes_failing` (it answers, but the last
    /// real write failed for lack of space, an I/O error or a lock that did not clear).
    pub database: &'static str,
    /// `ok`, `rebuilding` (searches come from the database meanwhile; still healthy),
    /// `unavailable` or `writes_failing`.
    pub index: &'static str,
    /// What is wrong, when something is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Search's language data: what was loaded (counts; 0 when a file is missing, and search
    /// then works with stemming only) and which files are missing. Never makes Kring unhealthy.
    pub language: crate::search::language::Resources,
}

/// Liveness and readiness: 200 when the database and the search index answer and take writes,
/// 503 otherwise. Reports what real writes met (see `crate::health`); never writes itself.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    use crate::health::Store;
    let mut reasons = Vec::new();
    let failing = |store: Store, reasons: &mut Vec<String>| {
        state.write_health.failing(store).map(|f| {
            reasons.push(format!(
                "{} writes failing since {}: {}",
                match store {
                    Store::Database => "database",
                    Store::Index => "search index",
                },
                f.since.to_rfc3339(),
                f.fault.as_str()
            ));
            "writes_failing"
        })
    };
    let database = match state
        .db
        .execute_raw(sea_orm::Statement::from_string(
            state.db.get_database_backend(),
            "SELECT 1",
        ))
        .await
    {
        Ok(_) => failing(Store::Database, &mut reasons).unwrap_or("ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: the database does not answer");
            reasons.push("the database does not answer".into());
            "unavailable"
        }
    };
    let index = match state.search.check() {
        Ok(_) if let Some(why) = state.search.rebuilding() => {
            reasons.push(format!("search index rebuilding: {why}"));
            "rebuilding"
        }
        Ok(_) => failing(Store::Index, &mut reasons).unwrap_or("ok"),
        Err(e) => {
            tracing::error!(
                error = format!("{e:#}"),
                "health check: the search index does not answer"
            );
            reasons.push("the search index does not answer".into());
            "unavailable"
        }
    };
    let ok = database == "ok" && matches!(index, "ok" | "rebuilding");
    let health = Health {
        status: if ok { "ok" } else { "unavailable" },
        database,
        index,
        reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
        language: state.search.language().resources().clone(),
    };
    if ok {
        HttpResponse::Ok().json(health)
    } else {
        HttpResponse::ServiceUnavailable().json(health)
    }
}

/// Sends every page view to `/setup` until the first administrator exists.
pub async fn setup_redirect(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let path = req.path();
    let exempt = req.method() != Method::GET
        || path.starts_with("/api/")
        || path.starts_with("/scim/")
        || path.starts_with("/assets/")
        || path == "/healthz"
        || path == "/setup";
    if !exempt && let Some(state) = req.app_data::<web::Data<AppState>>().cloned() {
        // A database error here is left to the page itself to report.
        if !state.setup_done().await.unwrap_or(true) {
            let response = HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/setup"))
                .finish();
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}
