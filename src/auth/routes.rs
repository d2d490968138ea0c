//! Account pages. Thin handlers: parse the form, call `service`, render or redirect.
use actix_web::{
    HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite, time::Duration},
    http::StatusCode,
    web,
};
use serde::Deserialize;
use tera::Context;

use super::{
    current_user::CurrentUser,
    service::{self, AccountInput},
};
use crate::web::routes::{Access, Routes};
use crate::{
    error::{AppError, AppResult},
    i18n::{LANG_COOKIE, Lang},
    state::AppState,
    web::{
        client_ip,
        page::{Level, Page, safe_next, see_other},
        session,
    },
};

pub fn configure(r: &mut Routes) {
    // Before one has an account or a session; the language of the pages too.
    r.access(Access::Public)
        .get("/login", login_page)
        .post("/login", login)
        .get("/setup", setup_page)
        .post("/setup", setup)
        .get("/register", register_page)
        .post("/register", register)
        .get("/register/verify/{token}", verify_page)
        .post("/register/verify/{token}", verify)
        .post("/language", switch_language)
        .with(super::reset_routes::configure)
        .access(Access::Member)
        .post("/logout", logout)
        .get("/account", account_page)
        .get("/account/password", password_page)
        .post("/account/password", change_password)
        .get("/account/tokens", tokens_page)
        .post("/account/tokens", create_token)
        .post("/account/tokens/{id}/revoke", revoke_token)
        .post("/account/time-zone", save_time_zone);
}

/// The cookie that keeps the chosen language (read by `Lang::of_request`).
pub fn lang_cookie(lang: Lang, secure: bool) -> Cookie<'static> {
    Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(secure)
        .finish()
}

// ---- login / logout -------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

async fn login_page(page: Page, query: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    if page.user.is_some() {
        return Ok(see_other(&safe_next(query.next.as_deref())));
    }
    if service::setup_open(&page.state().db).await? {
        return Ok(see_other("/setup"));
    }
    let mut ctx = login_context(&page, &safe_next(query.next.as_deref())).await?;
    ctx.insert("email", "");
    // After logging out of a session that company sign-in started: the provider's own logout.
    // (Only when set: `remove` marks the session changed, which writes it back.)
    if page.session.contains_key(session::PROVIDER_LOGOUT_KEY)
        && let Some(Ok(url)) = page
            .session
            .remove_as::<String>(session::PROVIDER_LOGOUT_KEY)
    {
        ctx.insert("provider_logout", &url);
    }
    page.render("auth/login.html", ctx)
}

/// What the login page shows besides the form: registration, company sign-in, SSO-only.
async fn login_context(page: &Page, next: &str) -> AppResult<Context> {
    let db = &page.state().db;
    let registration = service::registration_settings(db).await?;
    let policy = super::policy::get(db).await?;
    let mut ctx = Context::new();
    ctx.insert("next", next);
    ctx.insert(
        "registration_open",
        &(registration.enabled && !policy.sso_only),
    );
    ctx.insert("sso_only", &policy.sso_only);
    let company_sign_in = super::policy::company_sign_in(&page.state().settings, db).await?;
    ctx.insert("sso_name", &company_sign_in.map(|c| c.display_name));
    Ok(ctx)
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

async fn login(
    page: Page,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    let next = safe_next(form.next.as_deref());
    match service::authenticate(
        &state.db,
        &state.throttle,
        &form.email,
        &form.password,
        client_ip(&req),
    )
    .await
    {
        Ok(user) => {
            session::log_in(&page.session, user.id)?;
            page.flash(Level::Success, "flash-logged-in");
            let mut response = see_other(&next);
            if let Some(lang) = user.locale.as_deref().and_then(|l| l.parse::<Lang>().ok()) {
                response.add_cookie(&lang_cookie(lang, state.settings.https()))?;
            }
            Ok(response)
        }
        Err(err) => {
            let mut ctx = login_context(&page, &next).await?;
            ctx.insert("email", form.email.trim());
            if let AppError::Forbidden(_) = &err {
                // SSO-only: the form stays, with the way in that works.
                ctx.insert("error", &err.message_in(page.lang));
                return page.render_status(StatusCode::FORBIDDEN, "auth/login.html", ctx);
            }
            page.form_error("auth/login.html", err, ctx)
        }
    }
}

async fn logout(page: Page) -> AppResult<HttpResponse> {
    session::log_out(&page.session);
    // A fresh (anonymous) session carries the flash message to the login page.
    page.flash(Level::Info, "flash-logged-out");
    Ok(see_other("/login"))
}

// ---- setup and registration -----------------------------------------------------------------

async fn setup_page(page: Page) -> AppResult<HttpResponse> {
    if !service::setup_open(&page.state().db).await? {
        return Err(AppError::NotFound);
    }
    let mut ctx = Context::new();
    ctx.insert("email", "");
    ctx.insert("display_name", "");
    page.render("auth/setup.html", ctx)
}

#[derive(Deserialize)]
pub struct AccountForm {
    email: String,
    display_name: String,
    password: String,
    password_confirm: String,
}

impl AccountForm {
    fn input(&self) -> AccountInput {
        AccountInput {
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            password: self.password.clone(),
        }
    }

    fn context(&self) -> Context {
        let mut ctx = Context::new();
        ctx.insert("email", self.email.trim());
        ctx.insert("display_name", self.display_name.trim());
        ctx
    }

    fn check_confirmation(&self) -> AppResult<()> {
        if self.password != self.password_confirm {
            return Err(AppError::validation(
                "password_confirm",
                crate::error::Msg::new("err-password-mismatch"),
            ));
        }
        Ok(())
    }
}

async fn setup(page: Page, form: web::Form<AccountForm>) -> AppResult<HttpResponse> {
    let db = &page.state().db;
    let result = match form.check_confirmation() {
        Ok(()) => service::setup_first_admin(db, &form.input()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(user) => {
            session::log_in(&page.session, user.id)?;
            page.flash(Level::Success, "flash-setup-done");
            Ok(see_other("/"))
        }
        Err(AppError::NotFound) => Err(AppError::NotFound),
        Err(err) => page.form_error("auth/setup.html", err, form.context()),
    }
}

async fn register_page(page: Page) -> AppResult<HttpResponse> {
    super::policy::check_password_use(&page.state().db, None).await?;
    let settings = service::registration_settings(&page.state().db).await?;
    if !settings.enabled {
        return Err(AppError::NotFound);
    }
    let mut ctx = Context::new();
    ctx.insert("email", "");
    ctx.insert("display_name", "");
    ctx.insert("allowed_domains", &settings.allowed_domains);
    page.render("auth/register.html", ctx)
}

async fn register(
    page: Page,
    req: HttpRequest,
    form: web::Form<AccountForm>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    let result = match form.check_confirmation() {
        Ok(()) => {
            super::register::register(
                &state.db,
                &state.throttle,
                &form.input(),
                page.lang,
                client_ip(&req),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            let mut ctx = Context::new();
            ctx.insert("sent", &true);
            ctx.insert("email", form.email.trim());
            page.render("auth/register_sent.html", ctx)
        }
        Err(AppError::NotFound) => Err(AppError::NotFound),
        Err(err) => {
            let settings = service::registration_settings(&state.db).await?;
            let mut ctx = form.context();
            ctx.insert("allowed_domains", &settings.allowed_domains);
            page.form_error("auth/register.html", err, ctx)
        }
    }
}

/// The page a verification link opens: one button, so a mail scanner that follows links does
/// not use the link up.
async fn verify_page(page: Page, path: web::Path<String>) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let Some(user) = super::register::pending_holder(&page.state().db, &token).await? else {
        let mut ctx = Context::new();
        ctx.insert("kind", "verify");
        return page.render_status(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            "auth/link_expired.html",
            ctx,
        );
    };
    let mut ctx = Context::new();
    ctx.insert("token", &token);
    ctx.insert("email", &user.email);
    page.render("auth/verify.html", ctx)
}

async fn verify(page: Page, path: web::Path<String>) -> AppResult<HttpResponse> {
    let state = page.state();
    match super::register::verify(&state.db, &path.into_inner()).await {
        Ok(user) => {
            session::log_in(&page.session, user.id)?;
            page.flash(Level::Success, "flash-registered");
            Ok(see_other("/"))
        }
        Err(AppError::Validation { .. }) => {
            let mut ctx = Context::new();
            ctx.insert("kind", "verify");
            page.render_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                "auth/link_expired.html",
                ctx,
            )
        }
        Err(e) => Err(e),
    }
}

// ---- own account ----------------------------------------------------------------------------

async fn account_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let mut ctx = Context::new();
    ctx.insert("own_time_zone", &user.time_zone.clone().unwrap_or_default());
    ctx.insert("company_time_zone", &page.state().company.get().time_zone);
    ctx.insert("time_zones", &crate::company::time_zone_names());
    page.render("auth/account.html", ctx)
}

#[derive(Deserialize)]
struct TimeZoneForm {
    #[serde(default)]
    time_zone: String,
}

async fn save_time_zone(
    page: Page,
    user: CurrentUser,
    form: web::Form<TimeZoneForm>,
) -> AppResult<HttpResponse> {
    match service::set_time_zone(&page.state().db, &user, &form.time_zone).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-time-zone-saved");
            Ok(see_other("/account"))
        }
        Err(err) => {
            let mut ctx = Context::new();
            ctx.insert("own_time_zone", &form.time_zone);
            ctx.insert("company_time_zone", &page.state().company.get().time_zone);
            ctx.insert("time_zones", &crate::company::time_zone_names());
            page.form_error("auth/account.html", err, ctx)
        }
    }
}

async fn password_page(page: Page, _user: CurrentUser) -> AppResult<HttpResponse> {
    page.render("auth/password.html", Context::new())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    password: String,
    password_confirm: String,
}

async fn change_password(
    page: Page,
    user: CurrentUser,
    req: HttpRequest,
    form: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    let result = if form.password != form.password_confirm {
        Err(AppError::validation(
            "password_confirm",
            crate::error::Msg::new("err-password-mismatch"),
        ))
    } else {
        service::change_password(
            &state.db,
            &state.throttle,
            &user,
            &form.current_password,
            &form.password,
            client_ip(&req),
        )
        .await
    };
    match result {
        Ok(()) => {
            // Every session ended, this one included: start a fresh one for this browser.
            session::log_in(&page.session, user.id.0)?;
            page.flash(Level::Success, "flash-password-changed");
            Ok(see_other("/account"))
        }
        Err(err) => page.form_error("auth/password.html", err, Context::new()),
    }
}

async fn tokens_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let tokens = service::list_tokens(&page.state().db, &user).await?;
    let mut ctx = Context::new();
    ctx.insert("tokens", &tokens);
    page.render("auth/tokens.html", ctx)
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
}

async fn create_token(
    page: Page,
    user: CurrentUser,
    form: web::Form<TokenForm>,
) -> AppResult<HttpResponse> {
    let db = &page.state().db;
    let created = service::create_token(db, &user, &form.name).await;
    let tokens = service::list_tokens(db, &user).await?;
    let mut ctx = Context::new();
    ctx.insert("tokens", &tokens);
    match created {
        Ok(created) => {
            // Shown on this response only; it is not stored anywhere in clear.
            ctx.insert("created", &created);
            page.render_status(StatusCode::CREATED, "auth/tokens.html", ctx)
        }
        Err(err) => {
            ctx.insert("name", form.name.trim());
            page.form_error("auth/tokens.html", err, ctx)
        }
    }
}

async fn revoke_token(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::revoke_token(&page.state().db, &user, path.into_inner()).await?;
    page.flash(Level::Success, "flash-token-revoked");
    Ok(see_other("/account/tokens"))
}

// ---- language ---------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

async fn switch_language(
    page: Page,
    state: web::Data<AppState>,
    form: web::Form<LanguageForm>,
) -> AppResult<HttpResponse> {
    let lang: Lang = form
        .lang
        .parse()
        .map_err(|_| AppError::BadRequest(format!("unknown language '{}'", form.lang)))?;
    if let Some(user) = &page.user {
        service::set_locale(&state.db, user, lang).await?;
    }
    let mut response = see_other(&safe_next(form.next.as_deref()));
    response.add_cookie(&lang_cookie(lang, state.settings.https()))?;
    Ok(response)
}
