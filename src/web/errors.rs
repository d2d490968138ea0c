//! Errors as people see them: outside `/api` an error becomes an HTML page in the visitor's
//! language (or, for "log in first", a redirect to the login page); under `/api` it stays the
//! JSON body `AppError` produced. Also maps actix's own extractor errors onto `AppError`.
use actix_web::{
    HttpRequest, HttpResponse,
    body::{BoxBody, MessageBody},
    dev::ServiceResponse,
    http::{StatusCode, header},
    middleware::{ErrorHandlerResponse, ErrorHandlers},
    web,
};
use tera::Context;

use actix_session::SessionExt;

use crate::{
    auth::current_user::{self, MaybeUser},
    error::AppError,
    i18n::Lang,
    state::AppState,
    web::{csrf, page},
};

/// Reports the storage fault behind a failed request (a full disk, a lock that did not clear)
/// to the write health `/healthz` shows; the write probe clears it once writes work again.
pub async fn record_storage_faults(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    if res.status() == StatusCode::INTERNAL_SERVER_ERROR
        && let Some(AppError::Internal(err)) = res
            .response()
            .error()
            .and_then(|e| e.as_error::<AppError>())
        && let Some(fault) = crate::health::Fault::of_anyhow(err)
        && let Some(state) = res.request().app_data::<web::Data<AppState>>()
    {
        state
            .write_health
            .failed(crate::health::Store::Database, fault);
    }
    Ok(res)
}

pub fn is_api(req: &HttpRequest) -> bool {
    req.path().starts_with("/api/") || req.path().starts_with("/scim/") || req.path() == "/healthz"
}

pub fn html_error_pages<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(render)
}

fn render<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // Only errors raised as errors are rendered; pages a handler built itself (a form shown
    // again with its errors) pass untouched.
    if is_api(res.request()) || res.response().error().is_none() {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let req = res.request().clone();
    let error = res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>());
    if matches!(error, Some(AppError::Unauthenticated)) {
        let next = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let location = format!("/login?next={}", urlencode(next));
        let response = HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .finish();
        return Ok(ErrorHandlerResponse::Response(
            res.into_response(response).map_into_right_body(),
        ));
    }
    let lang = Lang::of_request(&req);
    let detail = match error {
        Some(
            e @ (AppError::Conflict(_)
            | AppError::Validation { .. }
            | AppError::BadRequest(_)
            | AppError::Forbidden(_)
            | AppError::Csrf),
        ) => Some(e.message_in(lang)),
        _ => None,
    };
    let retry_after = res.headers().get(header::RETRY_AFTER).cloned();
    let body = render_page(&req, status, detail.as_deref());
    let mut response = HttpResponse::build(status);
    response.content_type("text/html; charset=utf-8");
    if let Some(retry_after) = retry_after {
        response.insert_header((header::RETRY_AFTER, retry_after));
    }
    let response: HttpResponse<BoxBody> = response.body(body);
    Ok(ErrorHandlerResponse::Response(
        res.into_response(response).map_into_right_body(),
    ))
}

fn render_page(req: &HttpRequest, status: StatusCode, detail: Option<&str>) -> String {
    let lang = Lang::of_request(req);
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return status.to_string();
    };
    let kind = match status.as_u16() {
        403 => "403",
        404 => "404",
        429 => "429",
        s if s >= 500 => "500",
        _ => "400",
    };
    let mut ctx = Context::new();
    ctx.insert("lang", lang.code());
    ctx.insert("status", &status.as_u16());
    ctx.insert("kind", kind);
    ctx.insert("detail", &detail);
    ctx.insert("asset_version", &state.asset_version);
    // The layout's navigation, when the request already knows who is asking.
    page::insert_user(&mut ctx, current_user::cached(req).as_ref());
    let csrf_token = req
        .get_session()
        .get::<String>(csrf::CSRF_SESSION_KEY)
        .ok()
        .flatten()
        .unwrap_or_default();
    ctx.insert("csrf_token", &csrf_token);
    ctx.insert("path", req.path());
    ctx.insert("flashes", &Vec::<()>::new());
    state
        .templates
        .render("error.html", &ctx)
        .unwrap_or_else(|e| {
            tracing::error!(error = ?e, "cannot render the error page");
            format!("{status}")
        })
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Unmatched routes. Looks up the user first, so the 404 page shows their navigation.
pub async fn not_found(_user: MaybeUser) -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// Extractor configuration: malformed input answers in our error format.
pub fn configure_extractors(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(1024 * 1024)
            .error_handler(|err, _| {
                let error = match &err {
                    actix_web::error::JsonPayloadError::ContentType => {
                        AppError::BadRequest("send the body as application/json".into())
                    }
                    actix_web::error::JsonPayloadError::Deserialize(e) if e.is_data() => {
                        AppError::Validation {
                            field: None,
                            msg: crate::error::Msg::new("err-invalid-body").arg("detail", e),
                        }
                    }
                    other => AppError::BadRequest(format!("invalid JSON body: {other}")),
                };
                error.into()
            }),
    )
    .app_data(
        web::FormConfig::default()
            .limit(256 * 1024)
            .error_handler(|err, _| AppError::BadRequest(format!("invalid form: {err}")).into()),
    )
    .app_data(web::QueryConfig::default().error_handler(|err, _| {
        AppError::BadRequest(format!("invalid query parameters: {err}")).into()
    }))
    .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()));
}
