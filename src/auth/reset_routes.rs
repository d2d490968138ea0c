//! Pages for a forgotten password and for accepting an invitation.
use actix_web::{
    HttpRequest, HttpResponse,
    http::{
        StatusCode,
        header::{self, HeaderValue},
    },
    web,
};
use serde::Deserialize;
use tera::Context;

use super::{invite, reset, routes::lang_cookie};
use crate::web::routes::{Access, Routes};
use crate::{
    entities::users,
    error::{AppError, AppResult, Msg},
    i18n::Lang,
    web::{
        client_ip,
        page::{Level, Page, see_other},
        session,
    },
};

pub fn configure(r: &mut Routes) {
    r.access(Access::Public)
        .get("/password/forgot", forgot_page)
        .post("/password/forgot", forgot)
        .get("/password/reset/{token}", reset_page)
        .post("/password/reset/{token}", reset)
        .get("/invitations/{token}", invitation_page)
        .post("/invitations/{token}", accept_invitation);
}

/// Pages with a token in their address: never cached, never named to another site.
fn private(mut response: HttpResponse) -> HttpResponse {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

// ---- forgotten password -----------------------------------------------------------------------

async fn forgot_page(page: Page) -> AppResult<HttpResponse> {
    let mut ctx = Context::new();
    ctx.insert("email", "");
    ctx.insert("sent", &false);
    page.render("auth/forgot.html", ctx)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// The same page for known and unknown addresses; the email (if any) is sent in the
/// background.
async fn forgot(
    page: Page,
    req: HttpRequest,
    form: web::Form<ForgotForm>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    let mut ctx = Context::new();
    match reset::request_reset_in_background(
        &state.db,
        &state.throttle,
        &form.email,
        client_ip(&req),
    )
    .await
    {
        Ok(()) => {
            ctx.insert("sent", &true);
            page.render("auth/forgot.html", ctx)
        }
        Err(AppError::TooManyRequests { retry_after }) => {
            ctx.insert("sent", &false);
            ctx.insert("email", form.email.trim());
            let minutes = retry_after.div_ceil(60).max(1);
            ctx.insert(
                "error",
                &Msg::new("err-reset-too-many")
                    .arg("minutes", minutes)
                    .text(page.lang),
            );
            let mut response =
                page.render_status(StatusCode::TOO_MANY_REQUESTS, "auth/forgot.html", ctx)?;
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_str(&retry_after.to_string())
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
            );
            Ok(response)
        }
        Err(err) => {
            ctx.insert("sent", &false);
            ctx.insert("email", form.email.trim());
            page.form_error("auth/forgot.html", err, ctx)
        }
    }
}

// ---- choosing a password with a link ----------------------------------------------------------

/// Which link a page is about: the forms and the texts differ, the rules do not.
#[derive(Clone, Copy)]
enum Link {
    Reset,
    Invitation,
}

impl Link {
    fn purpose(self) -> reset::Purpose {
        match self {
            Link::Reset => reset::Purpose::Reset,
            Link::Invitation => reset::Purpose::Invite,
        }
    }

    fn template(self) -> &'static str {
        match self {
            Link::Reset => "auth/reset.html",
            Link::Invitation => "auth/invitation.html",
        }
    }

    fn action(self, token: &str) -> String {
        match self {
            Link::Reset => format!("/password/reset/{token}"),
            Link::Invitation => format!("/invitations/{token}"),
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Link::Reset => "reset",
            Link::Invitation => "invitation",
        }
    }
}

/// 410 Gone: the link was used, has expired or never existed.
fn link_gone(page: &Page, link: Link) -> AppResult<HttpResponse> {
    let mut ctx = Context::new();
    ctx.insert("kind", link.kind());
    Ok(private(page.render_status(
        StatusCode::GONE,
        "auth/link_expired.html",
        ctx,
    )?))
}

fn form_context(link: Link, token: &str, user: &users::Model) -> Context {
    let mut ctx = Context::new();
    ctx.insert("action", &link.action(token));
    ctx.insert("name", &user.display_name);
    ctx.insert("email", &user.email);
    ctx
}

async fn show_form(page: Page, token: String, link: Link) -> AppResult<HttpResponse> {
    match reset::holder(&page.state().db, &token, link.purpose()).await? {
        Some(user) => Ok(private(
            page.render(link.template(), form_context(link, &token, &user))?,
        )),
        None => link_gone(&page, link),
    }
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    password: String,
    password_confirm: String,
}

async fn set_password(
    page: Page,
    token: String,
    form: web::Form<NewPasswordForm>,
    link: Link,
) -> AppResult<HttpResponse> {
    let db = &page.state().db;
    let Some(holder) = reset::holder(db, &token, link.purpose()).await? else {
        return link_gone(&page, link);
    };
    let result = if form.password != form.password_confirm {
        Err(AppError::validation(
            "password_confirm",
            Msg::new("err-password-mismatch"),
        ))
    } else {
        match link {
            Link::Reset => reset::reset_password(db, &token, &form.password).await,
            Link::Invitation => invite::accept(db, &token, &form.password).await,
        }
    };
    match result {
        Ok(user) => {
            // Every session of the account ended; this browser starts a fresh one.
            session::log_in(&page.session, user.id)?;
            page.flash(
                Level::Success,
                match link {
                    Link::Reset => "flash-password-reset",
                    Link::Invitation => "flash-invitation-accepted",
                },
            );
            let mut response = see_other("/");
            if let Some(lang) = user.locale.as_deref().and_then(|l| l.parse::<Lang>().ok()) {
                response.add_cookie(&lang_cookie(lang, page.state().settings.https()))?;
            }
            Ok(response)
        }
        // Used in another tab, or expired while the form was open.
        Err(AppError::Validation {
            field: Some("token"),
            ..
        }) => link_gone(&page, link),
        Err(err) => Ok(private(page.form_error(
            link.template(),
            err,
            form_context(link, &token, &holder),
        )?)),
    }
}

async fn reset_page(page: Page, path: web::Path<String>) -> AppResult<HttpResponse> {
    show_form(page, path.into_inner(), Link::Reset).await
}

async fn reset(
    page: Page,
    path: web::Path<String>,
    form: web::Form<NewPasswordForm>,
) -> AppResult<HttpResponse> {
    set_password(page, path.into_inner(), form, Link::Reset).await
}

async fn invitation_page(page: Page, path: web::Path<String>) -> AppResult<HttpResponse> {
    show_form(page, path.into_inner(), Link::Invitation).await
}

async fn accept_invitation(
    page: Page,
    path: web::Path<String>,
    form: web::Form<NewPasswordForm>,
) -> AppResult<HttpResponse> {
    set_password(page, path.into_inner(), form, Link::Invitation).await
}
