//! The webhook API (admins only).
use actix_web::{HttpResponse, web};

use super::{
    guard::AllowedNetworks,
    service::{self, DeliveryView, WebhookInput, WebhookPatch, WebhookView},
};
use crate::auth::types::Role;
use crate::web::routes::{Access, Routes};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppResult, ErrorBody},
    state::AppState,
};

pub fn configure(r: &mut Routes) {
    r.access(Access::Role(Role::Admin))
        .get("/webhooks", list_webhooks)
        .post("/webhooks", create_webhook)
        .patch("/webhooks/{id}", update_webhook)
        .delete("/webhooks/{id}", delete_webhook)
        .get("/webhooks/{id}/deliveries", list_deliveries)
        .post("/webhook-deliveries/{id}/retry", retry_delivery)
        .get("/admin/webhook-networks", get_networks)
        .put("/admin/webhook-networks", put_networks);
}

/// The internal ranges webhooks may reach (admins). Everything else internal (loopback,
/// private, link-local...) is refused.
#[utoipa::path(get, path = "/api/v1/admin/webhook-networks", tag = "webhooks",
    responses((status = 200, body = AllowedNetworks), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_networks(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::allowed_networks(&state.db, &user).await?))
}

/// Set the internal ranges webhooks may reach, e.g. `["10.20.0.0/16"]` for an intranet
/// receiver (admins; audited).
#[utoipa::path(put, path = "/api/v1/admin/webhook-networks", tag = "webhooks",
    request_body = AllowedNetworks,
    responses((status = 200, body = AllowedNetworks), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_networks(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<AllowedNetworks>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::set_allowed_networks(&state.db, &user, &body).await?))
}

/// All webhooks with their secrets (admins).
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses((status = 200, body = Vec<WebhookView>), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::list(&state.db, &user).await?))
}

/// Register a webhook (admins): active at once, with a generated secret.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = WebhookInput,
    responses((status = 201, body = WebhookView), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_webhook(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<WebhookInput>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create(&state.db, &user, &body).await?))
}

/// Switch a webhook on or off (admins).
#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path)), request_body = WebhookPatch,
    responses((status = 200, body = WebhookView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn update_webhook(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    body: web::Json<WebhookPatch>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::set_active(&state.db, &user, id.into_inner(), body.active).await?))
}

/// Delete a webhook and its deliveries (admins).
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::delete(&state.db, &user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A webhook's 50 newest deliveries (admins).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DeliveryView>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(
        HttpResponse::Ok()
            .json(service::deliveries(&state.db, &user, Some(id.into_inner())).await?),
    )
}

/// Queue a failed delivery again, with a fresh set of attempts (admins).
#[utoipa::path(post, path = "/api/v1/webhook-deliveries/{id}/retry", tag = "webhooks",
    params(("id" = i64, Path)),
    responses((status = 200, body = DeliveryView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn retry_delivery(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::retry(&state.db, &user, id.into_inner()).await?))
}
