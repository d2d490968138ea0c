//! Inviting people by email: the admin page and the JSON endpoints (rules in
//! `auth::invite`).
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use super::routes::RoleBoxes;
use crate::web::routes::{Access, Routes};
use crate::{
    auth::{
        current_user::CurrentUser,
        invite::{self, InvitationInput, PendingInvitation},
        service::UserView,
        types::{Role, UserId},
    },
    error::{AppError, AppResult, ErrorBody},
    i18n::Lang,
    state::AppState,
    web::page::{Level, Page, see_other},
};

pub fn configure_api(r: &mut Routes) {
    r.access(Access::Role(Role::Admin))
        .get("/admin/invitations", list_api)
        .post("/admin/invitations", invite_api)
        .post("/admin/invitations/{user_id}/resend", resend_api);
}

pub fn configure_pages(r: &mut Routes) {
    r.access(Access::Role(Role::Admin))
        .get("/admin/invitations", invitations_page)
        .post("/admin/invitations", invite_form)
        .post("/admin/invitations/{user_id}/resend", resend_form);
}

// ---- JSON -------------------------------------------------------------------------------------

/// Invite someone (admins only): creates the account without a password and emails a link,
/// valid seven days, with which the person chooses one.
#[utoipa::path(post, path = "/api/v1/admin/invitations", tag = "admin",
    request_body = InvitationInput,
    responses(
        (status = 201, description = "Invited; the account waits for its password", body = UserView),
        (status = 403, body = ErrorBody),
        (status = 409, description = "The email is taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn invite_api(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<InvitationInput>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(invite::invite(&state.db, &user, &body).await?))
}

/// Accounts still waiting for their invitees to choose a password (admins only).
#[utoipa::path(get, path = "/api/v1/admin/invitations", tag = "admin", operation_id = "list_invitations",
    responses(
        (status = 200, body = Vec<PendingInvitation>),
        (status = 403, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_api(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(invite::pending(&state.db, &user).await?))
}

/// Email a new invitation link (admins only); the earlier link stops working.
#[utoipa::path(post, path = "/api/v1/admin/invitations/{user_id}/resend", tag = "admin",
    params(("user_id" = i64, Path, description = "The invited user's id")),
    responses(
        (status = 204, description = "A new link is on its way"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The person has chosen a password already", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn resend_api(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    invite::resend(&state.db, &user, UserId(path.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---- pages ------------------------------------------------------------------------------------

async fn render(page: &Page, user: &CurrentUser, form: serde_json::Value) -> AppResult<Context> {
    let mut ctx = Context::new();
    ctx.insert("pending", &invite::pending(&page.state().db, user).await?);
    ctx.insert("roles", &Role::ALL);
    ctx.insert("languages", &Lang::ALL.map(Lang::code));
    ctx.insert("form", &form);
    Ok(ctx)
}

async fn invitations_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let ctx = render(
        &page,
        &user,
        serde_json::json!({ "locale": page.lang.code() }),
    )
    .await?;
    page.render("admin/invitations.html", ctx)
}

#[derive(Deserialize)]
struct InviteForm {
    email: String,
    display_name: String,
    locale: Option<String>,
    #[serde(flatten)]
    boxes: RoleBoxes,
}

async fn invite_form(
    page: Page,
    user: CurrentUser,
    form: web::Form<InviteForm>,
) -> AppResult<HttpResponse> {
    user.require(Role::Admin)?;
    let input = InvitationInput {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        roles: form.boxes.roles(),
        is_leadership: form.boxes.is_leadership.is_some(),
        locale: form.locale.as_deref().and_then(|l| l.parse().ok()),
    };
    match invite::invite(&page.state().db, &user, &input).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-invitation-sent");
            Ok(see_other("/admin/invitations"))
        }
        Err(err) => {
            let ctx = render(
                &page,
                &user,
                serde_json::json!({
                    "email": input.email.trim(),
                    "display_name": input.display_name.trim(),
                    "roles": input.roles,
                    "is_leadership": input.is_leadership,
                    "locale": input.locale.map(Lang::code).unwrap_or(page.lang.code()),
                }),
            )
            .await?;
            page.form_error("admin/invitations.html", err, ctx)
        }
    }
}

async fn resend_form(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    match invite::resend(&page.state().db, &user, UserId(path.into_inner())).await {
        Ok(()) => page.flash(Level::Success, "flash-invitation-resent"),
        Err(AppError::Conflict(msg)) => page.flash(Level::Error, msg.key),
        Err(err) => return Err(err),
    }
    Ok(see_other("/admin/invitations"))
}
