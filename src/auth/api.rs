//! Account endpoints of the JSON API: the session, the current user, tokens and setup.
use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    current_user::CurrentUser,
    repo,
    service::{self, AccountInput, CreatedToken, TokenView, UserView},
};
use crate::web::routes::{Access, Routes};
use crate::{
    error::{AppError, AppResult, ErrorBody},
    i18n::Lang,
    state::AppState,
    web::{client_ip, session},
};

pub fn configure(r: &mut Routes) {
    // Signing in and out, first set-up, registration: before one has an account or session.
    r.access(Access::Public)
        .post("/session", create_session)
        .delete("/session", delete_session)
        .post("/setup", setup)
        .post("/register", register)
        .post("/register/verify", verify_registration)
        .with(super::reset_api::configure)
        .access(Access::Member)
        .get("/me", me)
        .put("/me/password", change_password)
        .get("/tokens", list_tokens)
        .post("/tokens", create_token)
        .delete("/tokens/{id}", revoke_token);
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub user: UserView,
}

async fn user_view(state: &AppState, user: &CurrentUser) -> AppResult<UserView> {
    let model = repo::find(&state.db, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(UserView::new(model, &user.roles))
}

/// Log in; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session",
    request_body = LoginRequest,
    responses(
        (status = 403, description = "Company sign-in is the only way in (SSO-only)", body = ErrorBody),
        (status = 200, description = "Logged in; the session cookie is set", body = SessionResponse),
        (status = 401, description = "Invalid email or password (same answer for unknown and deactivated accounts)", body = ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = ErrorBody),
    ))]
pub async fn create_session(
    state: web::Data<AppState>,
    session: Session,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> AppResult<HttpResponse> {
    let user = service::authenticate(
        &state.db,
        &state.throttle,
        &body.email,
        &body.password,
        client_ip(&req),
    )
    .await?;
    session::log_in(&session, user.id)?;
    let roles = repo::roles_of(&state.db, super::types::UserId(user.id)).await?;
    Ok(HttpResponse::Ok().json(SessionResponse {
        user: UserView::new(user, &roles),
    }))
}

/// Log out: ends the session.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204, description = "Logged out")))]
pub async fn delete_session(session: Session) -> HttpResponse {
    session::log_out(&session);
    HttpResponse::NoContent().finish()
}

/// The current user.
#[utoipa::path(get, path = "/api/v1/me", tag = "session",
    responses(
        (status = 200, body = UserView),
        (status = 401, description = "Not logged in", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn me(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(user_view(&state, &user).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Change the own password; ends every session of the user (tokens keep working).
#[utoipa::path(put, path = "/api/v1/me/password", tag = "session",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed"),
        (status = 422, description = "Wrong current password or a too short new one", body = ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    body: web::Json<PasswordChange>,
) -> AppResult<HttpResponse> {
    service::change_password(
        &state.db,
        &state.throttle,
        &user,
        &body.current_password,
        &body.new_password,
        client_ip(&req),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The current user's personal access tokens (without their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens",
    responses((status = 200, body = Vec<TokenView>)),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_tokens(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::list_tokens(&state.db, &user).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    pub name: String,
}

/// Create a personal access token; the response is the only time its secret is shown.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens",
    request_body = TokenRequest,
    responses(
        (status = 201, body = CreatedToken),
        (status = 409, description = "Too many active tokens; revoke one first", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_token(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<TokenRequest>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::create_token(&state.db, &user, &body.name).await?))
}

/// Revoke one of the own tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens",
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])))]
pub async fn revoke_token(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::revoke_token(&state.db, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Create the first administrator on an empty installation; 404 once any user exists.
#[utoipa::path(post, path = "/api/v1/setup", tag = "session",
    request_body = AccountInput,
    responses(
        (status = 201, body = UserView),
        (status = 404, description = "Setup is done", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn setup(
    state: web::Data<AppState>,
    session: Session,
    body: web::Json<AccountInput>,
) -> AppResult<HttpResponse> {
    let user = service::setup_first_admin(&state.db, &body).await?;
    session::log_in(&session, user.id)?;
    let roles = repo::roles_of(&state.db, super::types::UserId(user.id)).await?;
    Ok(HttpResponse::Created().json(UserView::new(user, &roles)))
}

/// What a registration answers, whatever the address: the rest travels by email.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationResponse {
    /// Always `check_your_email`.
    pub status: &'static str,
    pub message: String,
}

/// Register an account (only when an admin opened registration, for allowed domains). The
/// answer is the same 202 whether or not the address has an account: a new address gets a link
/// that activates the account, the owner of an existing one gets a warning with a way to reset
/// the password. Ten registrations per client address an hour.
#[utoipa::path(post, path = "/api/v1/register", tag = "session",
    request_body = AccountInput,
    responses(
        (status = 403, description = "Company sign-in is the only way in (SSO-only)", body = ErrorBody),
        (status = 202, description = "Check your email (the same for every address)", body = RegistrationResponse),
        (status = 404, description = "Registration is closed", body = ErrorBody),
        (status = 422, description = "Invalid input or a domain that may not register", body = ErrorBody),
        (status = 429, description = "Too many registrations from this client", body = ErrorBody),
    ))]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<AccountInput>,
) -> AppResult<HttpResponse> {
    super::register::register(
        &state.db,
        &state.throttle,
        &body,
        Lang::of_request(&req),
        client_ip(&req),
    )
    .await?;
    Ok(HttpResponse::Accepted().json(RegistrationResponse {
        status: "check_your_email",
        message: crate::i18n::tr(Lang::En, "register-sent"),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VerifyRequest {
    /// The token of the link in the registration email.
    pub token: String,
}

/// Activate a registered account with the token of its email link (once); logs in.
#[utoipa::path(post, path = "/api/v1/register/verify", tag = "session",
    request_body = VerifyRequest,
    responses(
        (status = 403, description = "Company sign-in is the only way in (SSO-only)", body = ErrorBody),
        (status = 200, description = "Activated and logged in; the session cookie is set", body = UserView),
        (status = 422, description = "The link is unknown, used or expired", body = ErrorBody),
    ))]
pub async fn verify_registration(
    state: web::Data<AppState>,
    session: Session,
    body: web::Json<VerifyRequest>,
) -> AppResult<HttpResponse> {
    let user = super::register::verify(&state.db, &body.token).await?;
    session::log_in(&session, user.id)?;
    let roles = repo::roles_of(&state.db, super::types::UserId(user.id)).await?;
    Ok(HttpResponse::Ok().json(UserView::new(user, &roles)))
}
