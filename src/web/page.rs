//! The `Page` extractor: everything the base layout needs (language, current user, CSRF token,
//! flash messages), and rendering a template with it.
use std::{future::Future, pin::Pin};

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, http::StatusCode, web};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::{
    auth::{
        current_user::{self, CurrentUser},
        types::Role,
        viewer::{self, NavCounts},
    },
    error::{AppError, AppResult},
    i18n::{Lang, tr},
    state::AppState,
    web::csrf,
};

const FLASH_KEY: &str = "flash";

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Success,
    Info,
    Error,
}

/// A message shown once on the next page, stored as a translation key.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Flash {
    level: Level,
    msg_key: String,
}

/// Queues a message for the next page the browser shows.
pub fn flash(session: &Session, level: Level, msg_key: &str) {
    let mut queue: Vec<Flash> = session.get(FLASH_KEY).ok().flatten().unwrap_or_default();
    queue.push(Flash {
        level,
        msg_key: msg_key.to_owned(),
    });
    if let Err(e) = session.insert(FLASH_KEY, queue) {
        tracing::warn!(error = %e, "cannot store a flash message");
    }
}

pub struct Page {
    pub lang: Lang,
    pub user: Option<CurrentUser>,
    pub csrf_token: String,
    pub path: String,
    pub session: Session,
    /// The page the browser came from, when it is one of ours (a local path).
    referer: Option<String>,
    flashes: Vec<Flash>,
    /// Unread notifications of the logged-in user (the header shows the count).
    unread: u64,
    /// Posts waiting for this moderator's review (0 for everyone else).
    review_waiting: u64,
    state: web::Data<AppState>,
}

impl FromRequest for Page {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("AppState is not registered"))?;
            let (user, counts) = current_user::resolve_with_counts(&req).await?;
            let NavCounts {
                unread,
                review_waiting,
            } = match (&user, counts) {
                (Some(_), Some(counts)) => counts,
                // Not read with the session (a token, or just logged in).
                (Some(u), None) => viewer::nav_counts(&state.db, u.id.0).await?,
                (None, _) => NavCounts::default(),
            };
            let review_waiting = match &user {
                Some(u) if u.moderates_posts() => review_waiting,
                _ => 0,
            };
            let session = req.get_session();
            let csrf_token = csrf::token(&session)?;
            // Only when there is one: `remove` marks the session changed, and a changed
            // session is written back (a write on every page view).
            let flashes: Vec<Flash> = if session.contains_key(FLASH_KEY) {
                session
                    .remove_as(FLASH_KEY)
                    .and_then(Result::ok)
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            let referer = req
                .headers()
                .get(actix_web::http::header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(|r| url::Url::parse(r).ok())
                .filter(|u| {
                    Some(u.authority()) == req.headers().get("host").and_then(|h| h.to_str().ok())
                })
                .map(|u| match u.query() {
                    Some(q) => format!("{}?{q}", u.path()),
                    None => u.path().to_owned(),
                })
                // A path like `//evil.example` of this host would be another site as a
                // `Location`.
                .map(|path| safe_next(Some(&path)));
            Ok(Page {
                unread,
                review_waiting,
                referer,
                lang: Lang::of_request_for(&req, user.as_ref().and_then(|u| u.locale)),
                user,
                csrf_token,
                path: req.path().to_owned(),
                session,
                flashes,
                state,
            })
        })
    }
}

impl Page {
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The logged-in user, or 401 (which becomes a redirect to the login page).
    pub fn user(&self) -> AppResult<&CurrentUser> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// The local page the browser came from, to return to after an action.
    pub fn referer(&self) -> Option<String> {
        self.referer.clone()
    }

    /// The reader's time zone: their own, else the company's.
    pub fn time_zone(&self) -> String {
        self.user
            .as_ref()
            .and_then(|u| u.time_zone.clone())
            .filter(|tz| crate::company::parse_time_zone(tz).is_some())
            .unwrap_or_else(|| self.state.company.get().time_zone)
    }

    pub fn t(&self, key: &str) -> String {
        tr(self.lang, key)
    }

    /// [`Self::t`], or `fallback` for a key no catalogue has (see [`crate::i18n::tr_or`]).
    pub fn t_or(&self, key: &str, fallback: &str) -> String {
        crate::i18n::tr_or(self.lang, key, fallback)
    }

    pub fn flash(&self, level: Level, msg_key: &str) {
        flash(&self.session, level, msg_key);
    }

    /// The context every template gets.
    pub fn context(&self) -> Context {
        let mut ctx = Context::new();
        ctx.insert("lang", &self.lang.code());
        ctx.insert("tz", &self.time_zone());
        insert_user(&mut ctx, self.user.as_ref());
        ctx.insert("csrf_token", &self.csrf_token);
        ctx.insert("path", &self.path);
        ctx.insert("asset_version", &self.state.asset_version);
        ctx.insert("unread_notifications", &self.unread);
        ctx.insert("review_waiting", &self.review_waiting);
        let flashes: Vec<_> = self
            .flashes
            .iter()
            .map(|f| serde_json::json!({ "level": f.level, "text": tr(self.lang, &f.msg_key) }))
            .collect();
        ctx.insert("flashes", &flashes);
        ctx
    }

    /// Shows a form again after `err`, with its message and the values typed so far (the
    /// caller puts those in `ctx`; never passwords). Errors that are not about the input
    /// become error pages.
    pub fn form_error(
        &self,
        template: &str,
        err: AppError,
        mut ctx: Context,
    ) -> AppResult<HttpResponse> {
        let status = match &err {
            AppError::Validation { .. } | AppError::InvalidCredentials | AppError::Conflict(_) => {
                actix_web::ResponseError::status_code(&err)
            }
            _ => return Err(err),
        };
        ctx.insert("error", &err.message_in(self.lang));
        if let AppError::Validation {
            field: Some(field), ..
        } = &err
        {
            ctx.insert("error_field", field);
        }
        self.render_status(status, template, ctx)
    }

    pub fn render(&self, template: &str, extra: Context) -> AppResult<HttpResponse> {
        self.render_status(StatusCode::OK, template, extra)
    }

    pub fn render_status(
        &self,
        status: StatusCode,
        template: &str,
        extra: Context,
    ) -> AppResult<HttpResponse> {
        let mut ctx = self.context();
        ctx.extend(extra);
        let html = self
            .state
            .templates
            .render(template, &ctx)
            .map_err(|e| anyhow::anyhow!("cannot render {template}: {e:?}"))?;
        Ok(HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html))
    }
}

/// The current user and what the layout's navigation offers them.
pub fn insert_user(ctx: &mut Context, user: Option<&CurrentUser>) {
    ctx.insert("user", &user);
    ctx.insert("is_admin", &user.is_some_and(|u| u.has(Role::Admin)));
    ctx.insert(
        "is_social_team",
        &user.is_some_and(|u| u.has(Role::SocialTeam)),
    );
    ctx.insert(
        "is_moderator",
        &user.is_some_and(CurrentUser::moderates_posts),
    );
}

/// A 303 redirect (the answer to a successful form POST).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// A local path to go back to after a form, never another site: `next` is resolved the way a
/// browser resolves a `Location` (the WHATWG URL parser drops tabs and newlines, reads `\\` as
/// `/`), and only a path of this origin is kept, in its parsed (percent-encoded) form. Anything
/// else, and anything with a control character or a space, goes home.
pub fn safe_next(next: Option<&str>) -> String {
    static BASE: std::sync::LazyLock<url::Url> =
        std::sync::LazyLock::new(|| url::Url::parse("http://kring.invalid/").expect("a URL"));
    let Some(next) = next else {
        return "/".to_owned();
    };
    let plain = !next
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    let local = next.starts_with('/') && !next.starts_with("//");
    match BASE.join(next) {
        Ok(url) if plain && local && url.origin() == BASE.origin() => {
            let mut path = url.path().to_owned();
            if let Some(query) = url.query() {
                path.push('?');
                path.push_str(query);
            }
            if let Some(fragment) = url.fragment() {
                path.push('#');
                path.push_str(fragment);
            }
            path
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_a_path_of_this_site_or_home() {
        for good in ["/", "/questions/12?sort=new#answer-3", "/people?q=anna%20b"] {
            assert_eq!(safe_next(Some(good)), good);
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/x",
            "/\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/a b",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(
            safe_next(Some("/%2F%2Fevil")),
            "/%2F%2Fevil",
            "encoded stays a path"
        );
        assert_eq!(safe_next(Some("/caf\u{e9}")), "/caf%C3%A9");
        assert_eq!(safe_next(None), "/");
    }
}
