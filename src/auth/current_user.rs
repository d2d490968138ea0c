//! Who is asking: the `CurrentUser` and `MaybeUser` extractors.
//!
//! A request is authenticated by `Authorization: Bearer <personal access token>` or by the
//! session cookie. A deactivated user is never current: their session is ended on sight.
//! The result is cached in the request, so several extractors cost one lookup.
use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, http::header, web};
use serde::Serialize;

use super::{
    service,
    types::{Role, Roles, UserId},
    viewer::{self, NavCounts, Viewer},
};
use crate::{
    entities::users,
    error::{AppError, AppResult},
    i18n::Lang,
    state::AppState,
    web::session,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    Session,
    Token,
}

#[derive(Clone, Debug, Serialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    #[serde(serialize_with = "serialize_roles")]
    pub roles: Roles,
    pub is_leadership: bool,
    pub locale: Option<Lang>,
    /// Their own time zone (an IANA name), if they chose one.
    #[serde(skip_serializing)]
    pub time_zone: Option<String>,
    pub auth: AuthMethod,
}

fn serialize_roles<S: serde::Serializer>(roles: &Roles, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(roles.iter())
}

impl CurrentUser {
    pub fn from_model(user: users::Model, roles: Roles, auth: AuthMethod) -> Self {
        Self {
            id: UserId(user.id),
            email: user.email,
            display_name: user.display_name,
            roles,
            is_leadership: user.is_leadership,
            locale: user.locale.and_then(|l| l.parse().ok()),
            time_zone: user.time_zone,
            auth,
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(role)
    }

    /// Fails with 403 unless the user holds `role`.
    /// Blog moderators: editors and admins review, unpublish and approve posts.
    pub fn moderates_posts(&self) -> bool {
        self.has(Role::Editor) || self.has(Role::Admin)
    }

    /// Who did it, for a domain event.
    pub fn actor(&self) -> crate::events::Actor {
        crate::events::Actor {
            id: self.id.0,
            display_name: self.display_name.clone(),
        }
    }

    pub fn require(&self, role: Role) -> AppResult<()> {
        if self.has(role) {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }
}

/// `Some(user)` when logged in; an invalid bearer token is still an error (401).
pub struct MaybeUser(pub Option<CurrentUser>);

#[derive(Clone)]
struct Resolved(Option<CurrentUser>, Option<NavCounts>);

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// The current user if this request already looked them up (no database access).
pub fn cached(req: &HttpRequest) -> Option<CurrentUser> {
    req.extensions()
        .get::<Resolved>()
        .and_then(|Resolved(user, _)| user.clone())
}

/// The current user, from the statement that loaded the session or the token (see
/// [`super::viewer`]), with the navigation counts when that statement read them.
pub async fn resolve(req: &HttpRequest) -> AppResult<Option<CurrentUser>> {
    Ok(resolve_with_counts(req).await?.0)
}

pub async fn resolve_with_counts(
    req: &HttpRequest,
) -> AppResult<(Option<CurrentUser>, Option<NavCounts>)> {
    if let Some(Resolved(user, nav)) = req.extensions().get::<Resolved>() {
        return Ok((user.clone(), *nav));
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| anyhow::anyhow!("AppState is not registered"))?;
    let now = chrono::Utc::now();
    let viewer = if let Some(token) = bearer_token(req) {
        Some(
            service::user_for_token(&state.db, &state.bookkeeping, &token, now)
                .await?
                .ok_or(AppError::Unauthenticated)?,
        )
    } else {
        let session = req.get_session();
        match session::user_id(&session) {
            None => None,
            Some(id) => {
                let viewer = match viewer::take() {
                    // The session's own statement found them (or found them gone).
                    Some(found) => found.filter(|v| v.user.id.0 == id),
                    // Logged in during this request: not loaded with the session.
                    None => service::active_user(&state.db, UserId(id))
                        .await?
                        .map(|user| Viewer { user, nav: None }),
                };
                if viewer.is_none() {
                    // Deactivated or deleted since login.
                    session::log_out(&session);
                }
                viewer
            }
        }
    };
    let (user, nav) = match viewer {
        Some(Viewer { user, nav }) => {
            state.bookkeeping.seen(user.id.0, now);
            (Some(user), nav)
        }
        None => (None, None),
    };
    req.extensions_mut().insert(Resolved(user.clone(), nav));
    Ok((user, nav))
}

type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = LocalFuture<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { resolve(&req).await?.ok_or(AppError::Unauthenticated) })
    }
}

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = LocalFuture<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { resolve(&req).await.map(MaybeUser) })
    }
}
