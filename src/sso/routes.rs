//! Company sign-in pages: `GET /auth/oidc/login` (a link, because the CSP's
//! `form-action 'self'` would block a form that redirects to the provider),
//! `GET /auth/oidc/callback`, and the admin page `/admin/sign-in`.
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use tera::Context;

use super::{
    mapping::{self, GroupMappingInput},
    provider::{self, FailureKind, Pending},
    service::{self, SignInError},
    settings::{self, SsoInput},
};
use crate::{
    auth::{current_user::CurrentUser, policy, types::Role},
    error::{AppError, AppResult},
    web::{
        page::{Level, Page, safe_next, see_other},
        routes::{Access, Routes},
        session,
    },
};

/// The session-state key of a sign-in on its way through the provider.
const PENDING_KEY: &str = "oidc_pending";

pub fn configure(r: &mut Routes) {
    r.access(Access::Public)
        .get("/auth/oidc/login", login)
        .get("/auth/oidc/callback", callback)
        .access(Access::Role(Role::Admin))
        .get("/admin/sign-in", admin_page)
        .post("/admin/sign-in", save_provider)
        .post("/admin/sign-in/mode", save_mode)
        .post("/admin/sign-in/groups", add_mapping)
        .post("/admin/sign-in/groups/{id}/delete", remove_mapping);
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

/// Starts a sign-in: remembers `state`, `nonce` and the PKCE verifier in the session and sends
/// the browser to the provider.
async fn login(
    page: Page,
    req: HttpRequest,
    query: web::Query<LoginQuery>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    let Some(config) = policy::company_sign_in(&state.settings, &state.db).await? else {
        return failure_page(
            &page,
            provider::fail(FailureKind::NotConfigured, "no provider"),
        );
    };
    let next = safe_next(query.next.as_deref());
    let redirect = settings::redirect_uri(&state.settings, &super::api::origin(&req));
    match provider::start(&config, &redirect, next).await {
        Ok((url, pending)) => {
            page.session
                .insert(PENDING_KEY, &pending)
                .map_err(|e| anyhow::anyhow!("session: {e}"))?;
            Ok(see_other(url.as_str()))
        }
        Err(failure) => failure_page(&page, failure),
    }
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The provider sends the browser back here with a code (or an error). The pending sign-in is
/// taken out of the session first, so a `state` works once.
async fn callback(
    page: Page,
    req: HttpRequest,
    query: web::Query<CallbackQuery>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    let pending: Option<Pending> = page.session.remove_as(PENDING_KEY).and_then(Result::ok);
    let Some(pending) = pending.filter(|p| {
        !p.expired()
            && query
                .state
                .as_deref()
                .is_some_and(|s| constant_time_eq(s.as_bytes(), p.state.as_bytes()))
    }) else {
        return failure_page(
            &page,
            provider::fail(
                FailureKind::State,
                "no sign-in of this browser has this state",
            ),
        );
    };
    if let Some(error) = &query.error {
        // The provider's error code is a short ASCII word (`access_denied`); keep it short.
        let code: String = error
            .chars()
            .filter(char::is_ascii_graphic)
            .take(64)
            .collect();
        return failure_page(&page, provider::fail(FailureKind::Denied, code));
    }
    let Some(code) = query.code.clone().filter(|c| !c.is_empty()) else {
        return failure_page(&page, provider::fail(FailureKind::State, "no code"));
    };
    let Some(config) = policy::company_sign_in(&state.settings, &state.db).await? else {
        return failure_page(
            &page,
            provider::fail(FailureKind::NotConfigured, "no provider"),
        );
    };
    if config.issuer.as_str() != pending.issuer {
        return failure_page(
            &page,
            provider::fail(
                FailureKind::State,
                "the provider changed during the sign-in",
            ),
        );
    }
    let origin = super::api::origin(&req);
    let post_logout = settings::public_url(&state.settings, &origin, "/login");
    let identity = match provider::finish(
        &config,
        &settings::redirect_uri(&state.settings, &origin),
        &post_logout,
        &pending,
        code,
    )
    .await
    {
        Ok(identity) => identity,
        Err(failure) => return failure_page(&page, failure),
    };
    match service::sign_in(&state.db, &identity).await {
        Ok(user) => {
            session::log_in(&page.session, user.id)?;
            if let Some(url) = &identity.logout_url {
                page.session
                    .insert(session::PROVIDER_LOGOUT_KEY, url)
                    .map_err(|e| anyhow::anyhow!("session: {e}"))?;
            }
            tracing::info!(
                user_id = user.id,
                "signed in with the company's identity provider"
            );
            page.flash(Level::Success, "flash-logged-in");
            let mut response = see_other(&pending.next);
            if let Some(lang) = user.locale.as_deref().and_then(|l| l.parse().ok()) {
                response.add_cookie(&crate::auth::routes::lang_cookie(
                    lang,
                    state.settings.https(),
                ))?;
            }
            Ok(response)
        }
        Err(SignInError::Refused(failure)) => failure_page(&page, failure),
        Err(SignInError::App(err)) => Err(err),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A clear page for a sign-in that did not happen; the log gets the reason, never a secret.
fn failure_page(page: &Page, failure: provider::Failure) -> AppResult<HttpResponse> {
    tracing::warn!(
        kind = failure.kind.code(),
        reason = %failure.reason,
        "company sign-in failed"
    );
    let status = match failure.kind {
        FailureKind::NotConfigured => StatusCode::NOT_FOUND,
        FailureKind::Unreachable => StatusCode::BAD_GATEWAY,
        FailureKind::Deactivated | FailureKind::Unverified => StatusCode::FORBIDDEN,
        _ => StatusCode::BAD_REQUEST,
    };
    let mut ctx = Context::new();
    ctx.insert("message", &page.t(failure.kind.message_key()));
    ctx.insert("kind", failure.kind.code());
    page.render_status(status, "auth/sso_error.html", ctx)
}

// ---- the admin page -------------------------------------------------------------------------

async fn admin_context(page: &Page, req: &HttpRequest, user: &CurrentUser) -> AppResult<Context> {
    let state = page.state();
    let mut ctx = Context::new();
    let origin = super::api::origin(req);
    ctx.insert(
        "sso",
        &settings::view(&state.db, &state.settings, &origin, user).await?,
    );
    ctx.insert("mappings", &mapping::list(&state.db, user).await?);
    ctx.insert(
        "departments",
        &crate::people::departments::list(&state.db).await?,
    );
    ctx.insert(
        "mapping_roles",
        &[
            Role::Ambassador,
            Role::Editor,
            Role::SocialTeam,
            Role::Admin,
        ]
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>(),
    );
    Ok(ctx)
}

async fn admin_page(page: Page, req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    let ctx = admin_context(&page, &req, &user).await?;
    page.render("admin/sign_in.html", ctx)
}

#[derive(Deserialize)]
struct ProviderForm {
    issuer: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    display_name: Option<String>,
    groups_claim: Option<String>,
}

async fn save_provider(
    page: Page,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<ProviderForm>,
) -> AppResult<HttpResponse> {
    let input = SsoInput {
        issuer: form.issuer.clone(),
        client_id: form.client_id.clone(),
        client_secret: form.client_secret.clone(),
        display_name: form.display_name.clone(),
        groups_claim: form.groups_claim.clone(),
        ..SsoInput::default()
    };
    save(page, req, user, input, "provider").await
}

#[derive(Deserialize)]
struct ModeForm {
    sso_only: Option<String>,
    break_glass_email: Option<String>,
}

async fn save_mode(
    page: Page,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<ModeForm>,
) -> AppResult<HttpResponse> {
    let input = SsoInput {
        sso_only: Some(form.sso_only.is_some()),
        break_glass_email: form.break_glass_email.clone(),
        ..SsoInput::default()
    };
    save(page, req, user, input, "mode").await
}

async fn save(
    page: Page,
    req: HttpRequest,
    user: CurrentUser,
    input: SsoInput,
    form: &str,
) -> AppResult<HttpResponse> {
    let state = page.state();
    let origin = super::api::origin(&req);
    match settings::update(&state.db, &state.settings, &origin, &user, &input).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-settings-saved");
            Ok(see_other("/admin/sign-in"))
        }
        Err(err) => {
            let mut ctx = admin_context(&page, &req, &user).await?;
            ctx.insert("error_form", form);
            page.form_error("admin/sign_in.html", err, ctx)
        }
    }
}

#[derive(Deserialize)]
struct MappingForm {
    group: String,
    role: Option<String>,
    department: Option<String>,
}

async fn add_mapping(
    page: Page,
    req: HttpRequest,
    user: CurrentUser,
    form: web::Form<MappingForm>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    let role = form
        .role
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::parse::<Role>)
        .transpose();
    let result = match role {
        Ok(role) => {
            let input = GroupMappingInput {
                group: form.group.clone(),
                role,
                department_id: form
                    .department
                    .as_deref()
                    .and_then(|d| d.trim().parse().ok()),
            };
            mapping::add(&state.db, &user, &input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            page.flash(Level::Success, "flash-settings-saved");
            Ok(see_other("/admin/sign-in"))
        }
        Err(err) => {
            let mut ctx = admin_context(&page, &req, &user).await?;
            ctx.insert("error_form", "groups");
            ctx.insert("group", form.group.trim());
            page.form_error("admin/sign_in.html", err, ctx)
        }
    }
}

async fn remove_mapping(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    match mapping::remove(&page.state().db, &user, path.into_inner()).await {
        Ok(()) | Err(AppError::NotFound) => {
            page.flash(Level::Success, "flash-settings-saved");
            Ok(see_other("/admin/sign-in"))
        }
        Err(err) => Err(err),
    }
}
