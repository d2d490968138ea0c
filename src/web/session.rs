//! Server-side sessions: actix-session with its state in the `sessions` table.
//!
//! The cookie carries a random 256-bit key; the table keeps only its SHA-256, so a leaked
//! database does not leak live sessions. The `user_id` column mirrors the logged-in user so
//! that deactivation and password changes can end every session of a user at once.
use std::collections::HashMap;

use actix_session::{
    Session, SessionMiddleware,
    config::{CookieContentSecurity, PersistentSession, TtlExtensionPolicy},
    storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError},
};
use actix_web::cookie::{Key, SameSite, time::Duration};
use anyhow::anyhow;
use chrono::Utc;
use rand::RngCore;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use sha2::{Digest, Sha256};

use crate::entities::sessions;

pub const SESSION_COOKIE: &str = "kring_session";
/// How long a session lives after its last change (login, CSRF token, flash message).
pub const SESSION_TTL: Duration = Duration::days(14);
/// The session-state key holding the logged-in user's id.
pub const USER_ID_KEY: &str = "uid";

#[derive(Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// The session middleware, configured as the security rules want it.
pub fn middleware(
    db: DatabaseConnection,
    key: Key,
    secure: bool,
) -> SessionMiddleware<DbSessionStore> {
    SessionMiddleware::builder(DbSessionStore::new(db), key)
        .cookie_name(SESSION_COOKIE.into())
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_secure(secure)
        .cookie_path("/".into())
        .cookie_content_security(CookieContentSecurity::Signed)
        .session_lifecycle(
            PersistentSession::default()
                .session_ttl(SESSION_TTL)
                .session_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
        )
        .build()
}

pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn new_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn user_id_of(state: &HashMap<String, String>) -> Option<i64> {
    state
        .get(USER_ID_KEY)
        .and_then(|v| serde_json::from_str::<i64>(v).ok())
}

fn expires(ttl: &Duration) -> chrono::DateTime<Utc> {
    Utc::now() + chrono::Duration::seconds(ttl.whole_seconds())
}

impl DbSessionStore {
    async fn write(
        &self,
        key: &str,
        state: &HashMap<String, String>,
        ttl: &Duration,
    ) -> anyhow::Result<()> {
        let row = sessions::ActiveModel {
            id: Set(hash_key(key)),
            user_id: Set(user_id_of(state)),
            state: Set(serde_json::to_string(state)?),
            expires_at: Set(expires(ttl)),
            created_at: Set(Utc::now()),
        };
        sessions::Entity::insert(row)
            .on_conflict(
                OnConflict::column(sessions::Column::Id)
                    .update_columns([
                        sessions::Column::UserId,
                        sessions::Column::State,
                        sessions::Column::ExpiresAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await?;
        Ok(())
    }
}

impl SessionStore for DbSessionStore {
    async fn load(
        &self,
        session_key: &SessionKey,
    ) -> Result<Option<HashMap<String, String>>, LoadError> {
        // The session, its user, their roles and navigation counts in one statement; the user
        // is left for the `CurrentUser` extractor.
        let found =
            crate::auth::viewer::by_session(&self.db, &hash_key(session_key.as_ref()), Utc::now())
                .await
                .map_err(|e| LoadError::Other(anyhow!(e)))?;
        match found {
            None => Ok(None),
            Some((state, viewer)) => {
                crate::auth::viewer::leave(viewer);
                serde_json::from_str(&state)
                    .map(Some)
                    .map_err(|e| LoadError::Deserialization(anyhow!(e)))
            }
        }
    }

    async fn save(
        &self,
        session_state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        let key = new_key();
        self.write(&key, &session_state, ttl)
            .await
            .map_err(SaveError::Other)?;
        SessionKey::try_from(key).map_err(|e| SaveError::Other(anyhow!(e)))
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        self.write(session_key.as_ref(), &session_state, ttl)
            .await
            .map_err(UpdateError::Other)?;
        Ok(session_key)
    }

    async fn update_ttl(&self, session_key: &SessionKey, ttl: &Duration) -> anyhow::Result<()> {
        sessions::Entity::update_many()
            .col_expr(
                sessions::Column::ExpiresAt,
                sea_orm::sea_query::Expr::value(expires(ttl)),
            )
            .filter(sessions::Column::Id.eq(hash_key(session_key.as_ref())))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> anyhow::Result<()> {
        sessions::Entity::delete_by_id(hash_key(session_key.as_ref()))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

/// The logged-in user's id in this session, if any.
pub fn user_id(session: &Session) -> Option<i64> {
    session.get::<i64>(USER_ID_KEY).ok().flatten()
}

/// Starts an authenticated session: a new session key (against fixation), the user id, and a
/// fresh CSRF token.
pub fn log_in(session: &Session, user_id: i64) -> anyhow::Result<()> {
    session.renew();
    session.insert(USER_ID_KEY, user_id)?;
    super::csrf::rotate(session)?;
    Ok(())
}

/// The session-state key holding the identity provider's logout link, for a session that
/// company sign-in started. After logout the fresh session keeps it for the login page, which
/// offers it once.
pub const PROVIDER_LOGOUT_KEY: &str = "provider_logout";

/// Ends the session: its row is deleted and a fresh, anonymous session replaces it (so a
/// "logged out" message, and the identity provider's logout link, can still reach the next
/// page).
pub fn log_out(session: &Session) {
    let provider_logout = session.get::<String>(PROVIDER_LOGOUT_KEY).ok().flatten();
    session.clear();
    session.renew();
    if let Some(url) = provider_logout {
        let _ = session.insert(PROVIDER_LOGOUT_KEY, url);
    }
}
