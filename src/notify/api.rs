//! Notifications and preferences in the JSON API.
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::service::{self, NotificationView, Preferences};
use crate::web::routes::Routes;
use crate::{
    auth::current_user::CurrentUser,
    error::{AppResult, ErrorBody},
    state::AppState,
    web::pagination::{PageQuery, Paged, Pagination},
};

pub fn configure(r: &mut Routes) {
    r.get("/notifications", list)
        .post("/notifications/read-all", read_all)
        .post("/notifications/{id}/read", read)
        .get("/me/notification-preferences", get_preferences)
        .put("/me/notification-preferences", put_preferences);
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationFilter {
    /// Only unread ones.
    pub unread: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    pub marked: u64,
    pub unread: u64,
}

/// Your notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    params(NotificationFilter, PageQuery),
    responses((status = 200, body = Paged<NotificationView>), (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    filter: web::Query<NotificationFilter>,
    page: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let items = service::list(
        &state.db,
        &user,
        filter.unread.unwrap_or(false),
        Pagination::from(page.into_inner()),
    )
    .await?;
    Ok(HttpResponse::Ok().json(items))
}

/// Mark one notification read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn read(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::mark_read(&state.db, &user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mark all your notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications",
    responses((status = 200, body = Marked)),
    security(("bearer" = []), ("session" = [])))]
pub async fn read_all(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let marked = service::mark_all_read(&state.db, &user).await?;
    Ok(HttpResponse::Ok().json(Marked {
        marked,
        unread: service::unread_count(&state.db, user.id.0).await?,
    }))
}

/// How you get notifications, per category, and whether you get the weekly digest.
#[utoipa::path(get, path = "/api/v1/me/notification-preferences", tag = "notifications",
    responses((status = 200, body = Preferences)),
    security(("bearer" = []), ("session" = [])))]
pub async fn get_preferences(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::preferences(&state.db, user.id.0).await?))
}

/// Change how you get notifications.
#[utoipa::path(put, path = "/api/v1/me/notification-preferences", tag = "notifications",
    request_body = Preferences,
    responses((status = 200, body = Preferences), (status = 400, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_preferences(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<Preferences>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::set_preferences(&state.db, &user, &body).await?))
}
