//! JSON endpoints for a forgotten password and for accepting an invitation.
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{invite, reset};
use crate::web::routes::{Access, Routes};
use crate::{
    error::{AppResult, ErrorBody},
    state::AppState,
    web::client_ip,
};

pub fn configure(r: &mut Routes) {
    r.access(Access::Public)
        .post("/password/forgot", forgot_password)
        .post("/password/reset", reset_password)
        .post("/invitations/accept", accept_invitation);
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ForgotPasswordRequest {
    pub email: String,
}

/// The empty object `{}` a password reset request answers with.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForgotPasswordAccepted {}

/// Ask for a password reset link by email. The answer is the same whether or not the address
/// has an account; only an active account gets an email (valid one hour, single use).
#[utoipa::path(post, path = "/api/v1/password/forgot", tag = "session",
    request_body = ForgotPasswordRequest,
    responses(
        (status = 202, description = "Accepted (for known and unknown addresses alike); the body is `{}`", body = ForgotPasswordAccepted),
        (status = 403, description = "Company sign-in is the only way in (SSO-only); only the break-glass administrator may reset a password", body = ErrorBody),
        (status = 422, description = "Not an email address", body = ErrorBody),
        (status = 429, description = "Too many requests for this address or from this client; see Retry-After", body = ErrorBody),
    ))]
pub async fn forgot_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<ForgotPasswordRequest>,
) -> AppResult<HttpResponse> {
    reset::request_reset_in_background(&state.db, &state.throttle, &body.email, client_ip(&req))
        .await?;
    Ok(HttpResponse::Accepted().json(ForgotPasswordAccepted {}))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenPassword {
    /// The token from the emailed link (the last part of its path).
    pub token: String,
    /// The new password (at least 10 characters).
    pub password: String,
}

/// Set a new password with the token of a reset link. The token works once; every session of
/// the user ends and every personal access token is revoked.
#[utoipa::path(post, path = "/api/v1/password/reset", tag = "session",
    request_body = TokenPassword,
    responses(
        (status = 403, description = "Company sign-in is the only way in (SSO-only)", body = ErrorBody),
        (status = 204, description = "The password is changed; log in with it"),
        (status = 422, description = "A too short or too long password (`field`: `password`), or a used, expired or unknown token (`field`: `token`)", body = ErrorBody),
    ))]
pub async fn reset_password(
    state: web::Data<AppState>,
    body: web::Json<TokenPassword>,
) -> AppResult<HttpResponse> {
    reset::reset_password(&state.db, &body.token, &body.password).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Accept an invitation: set the password of the invited account with the token of the
/// invitation link (single use, valid seven days).
#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "session",
    request_body = TokenPassword,
    responses(
        (status = 403, description = "Company sign-in is the only way in (SSO-only)", body = ErrorBody),
        (status = 204, description = "The password is set; log in with it"),
        (status = 422, description = "A too short or too long password (`field`: `password`), or a used, expired or unknown invitation (`field`: `token`)", body = ErrorBody),
    ))]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    body: web::Json<TokenPassword>,
) -> AppResult<HttpResponse> {
    invite::accept(&state.db, &body.token, &body.password).await?;
    Ok(HttpResponse::NoContent().finish())
}
