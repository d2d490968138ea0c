//! Password reset by email, and the single-use account tokens behind it (invitations use them
//! too, see [`super::invite`]).
//!
//! A token is 32 random bytes, written as 64 hex characters into the emailed link; the
//! database keeps only its SHA-256, so a leaked database holds no usable link. A token is
//! redeemed by one `UPDATE ... WHERE used_at IS NULL AND expires_at > now`, in the transaction
//! that sets the password: of two simultaneous uses exactly one succeeds. Redeeming a token
//! also ends every session of the user, revokes their personal access tokens (a reset means
//! the account may have been taken) and voids their other unused tokens.
//!
//! Asking for a reset answers the same whether or not the address has an account: the lookup
//! and the email happen after the answer ([`request_reset_in_background`]), and the rate limits
//! count every typed address alike.
use std::net::IpAddr;

use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, sea_query::Expr,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{
    password, repo,
    throttle::LoginThrottle,
    types::{Email, NewPassword, UserId},
};
use crate::{
    audit,
    entities::{account_tokens, users},
    error::{AppError, AppResult, Msg},
    mail,
};

/// How long a reset link works.
pub const RESET_VALIDITY: Duration = Duration::hours(1);
/// How long an invitation link works.
pub const INVITE_VALIDITY: Duration = Duration::days(7);
/// How long the link that proves a registration's mailbox works.
pub const VERIFY_VALIDITY: Duration = Duration::days(2);

/// What a token is for; a token of one purpose never works for the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Reset,
    Invite,
    /// Proving the mailbox of a self-registered account (whose user is inactive until then).
    Verify,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::Invite => "invite",
            Purpose::Verify => "verify",
        }
    }

    pub fn validity(self) -> Duration {
        match self {
            Purpose::Reset => RESET_VALIDITY,
            Purpose::Invite => INVITE_VALIDITY,
            Purpose::Verify => VERIFY_VALIDITY,
        }
    }

    /// The error for a link that is unknown, used, expired or of another purpose.
    pub fn invalid(self) -> AppError {
        let key = match self {
            Purpose::Reset => "err-reset-link-invalid",
            Purpose::Invite => "err-invitation-invalid",
            Purpose::Verify => "err-verify-link-invalid",
        };
        AppError::validation("token", Msg::new(key))
    }
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Only a string shaped like one of our tokens is looked up.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Creates a token for the user, inside the caller's transaction, and voids their earlier
/// unused tokens of the same purpose (only the newest link works). Returns the token itself,
/// which is stored nowhere but in the email.
pub(crate) async fn issue<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    purpose: Purpose,
) -> Result<String, DbErr> {
    // Two requests at once would each void the tokens they see and both insert one.
    crate::db::serialize(conn, crate::db::locks::account_tokens(user_id)).await?;
    void_unused(conn, user_id, Some(purpose)).await?;
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let token = hex::encode(secret);
    let now = Utc::now();
    account_tokens::Entity::insert(account_tokens::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(token_hash(&token)),
        expires_at: Set(now + purpose.validity()),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(conn)
    .await?;
    Ok(token)
}

/// Ends the validity of the user's unused tokens (of one purpose, or all).
pub(crate) async fn void_unused<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    purpose: Option<Purpose>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let mut update = account_tokens::Entity::update_many()
        .col_expr(account_tokens::Column::ExpiresAt, Expr::value(now))
        .filter(account_tokens::Column::UserId.eq(user_id))
        .filter(account_tokens::Column::UsedAt.is_null())
        .filter(account_tokens::Column::ExpiresAt.gt(now));
    if let Some(purpose) = purpose {
        update = update.filter(account_tokens::Column::Purpose.eq(purpose.as_str()));
    }
    update.exec(conn).await?;
    Ok(())
}

/// The user a valid (unused, unexpired) token of this purpose belongs to: an active one, or
/// for [`Purpose::Verify`] one still waiting for it. Changes nothing: for showing the form the
/// link leads to.
pub async fn holder<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    purpose: Purpose,
) -> AppResult<Option<users::Model>> {
    if !well_formed(token) {
        return Ok(None);
    }
    let found = account_tokens::Entity::find()
        .filter(account_tokens::Column::TokenHash.eq(token_hash(token)))
        .filter(account_tokens::Column::Purpose.eq(purpose.as_str()))
        .filter(account_tokens::Column::UsedAt.is_null())
        .filter(account_tokens::Column::ExpiresAt.gt(Utc::now()))
        .one(conn)
        .await?;
    let Some(row) = found else {
        return Ok(None);
    };
    Ok(repo::find(conn, UserId(row.user_id))
        .await?
        .filter(|u| match purpose {
            Purpose::Verify => is_pending(u),
            _ => u.is_active,
        }))
}

/// Registered by themselves and not verified yet.
pub fn is_pending(user: &users::Model) -> bool {
    !user.is_active && user.email_verified_at.is_none()
}

/// Marks the token used if it is still valid, in one statement; the id of its user when it
/// was. Call inside the transaction that acts on it.
pub(crate) async fn consume<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    purpose: Purpose,
) -> Result<Option<i64>, DbErr> {
    if !well_formed(token) {
        return Ok(None);
    }
    let hash = token_hash(token);
    let now = Utc::now();
    let marked = account_tokens::Entity::update_many()
        .col_expr(account_tokens::Column::UsedAt, Expr::value(now))
        .filter(account_tokens::Column::TokenHash.eq(&hash))
        .filter(account_tokens::Column::Purpose.eq(purpose.as_str()))
        .filter(account_tokens::Column::UsedAt.is_null())
        .filter(account_tokens::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?
        .rows_affected;
    if marked != 1 {
        return Ok(None);
    }
    Ok(account_tokens::Entity::find()
        .filter(account_tokens::Column::TokenHash.eq(hash))
        .one(conn)
        .await?
        .map(|row| row.user_id))
}

/// Redeems a token: sets the password (the rules of a new password apply), ends every session
/// of the user, revokes their personal access tokens, voids their other unused account tokens
/// and writes `action` to the audit log, all in one transaction. A used, expired or unknown token fails with [`Purpose::invalid`].
pub(crate) async fn redeem(
    db: &DatabaseConnection,
    token: &str,
    purpose: Purpose,
    new_password: &str,
    action: &str,
) -> AppResult<users::Model> {
    // Look first, so a wrong link costs no password hashing (and the password is judged
    // against the holder's name and address).
    let Some(holder) = holder(db, token, purpose).await? else {
        return Err(purpose.invalid());
    };
    super::policy::check_password_use(db, Some(&holder)).await?;
    let new = NewPassword::parse(new_password, &[&holder.email, &holder.display_name])?;
    let hash = password::hash(new.expose()).await?;
    let txn = crate::db::begin(db).await?;
    let Some(user_id) = consume(&txn, token, purpose).await? else {
        return Err(purpose.invalid());
    };
    let user = repo::find(&txn, UserId(user_id))
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| purpose.invalid())?;
    let updated = users::Entity::update(users::ActiveModel {
        id: Set(user.id),
        password_hash: Set(Some(hash)),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    // Whoever held the account before may hold its sessions and tokens too.
    repo::delete_sessions_of(&txn, UserId(user.id)).await?;
    repo::revoke_tokens_of(&txn, UserId(user.id)).await?;
    void_unused(&txn, user.id, None).await?;
    audit::record(
        &txn,
        Some(UserId(user.id)),
        action,
        Some(UserId(user.id)),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

// ---- password reset -----------------------------------------------------------------------

/// Checks a reset request before anything is looked up: the address must look like one (422)
/// and the limits per address and per client must allow it (429). Unknown addresses count
/// like known ones.
pub fn admit_request(
    throttle: &LoginThrottle,
    email: &str,
    ip: Option<IpAddr>,
) -> AppResult<Email> {
    let email = Email::parse(email)?;
    throttle
        .reset_request(email.as_str(), ip)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    Ok(email)
}

/// Emails a reset link when the address belongs to an active user who may use a password;
/// does nothing otherwise. The token and the email are written in one transaction.
pub async fn request_reset(db: &DatabaseConnection, email: &Email) -> AppResult<()> {
    let Some(user) = repo::find_by_email(db, email).await? else {
        return Ok(());
    };
    if !user.is_active
        || super::policy::check_password_use(db, Some(&user))
            .await
            .is_err()
    {
        return Ok(());
    }
    let txn = crate::db::begin(db).await?;
    let token = issue(&txn, user.id, Purpose::Reset).await?;
    mail::enqueue(
        &txn,
        mail::Outgoing {
            user_id: Some(user.id),
            to: user.email.clone(),
            category: "account".into(),
            template: "password_reset".into(),
            params: json!({
                "name": user.display_name,
                "email": user.email,
                "url": format!("/password/reset/{token}"),
            }),
            language: crate::company::language_of(&txn, &user)
                .await?
                .code()
                .into(),
            dedupe_key: None,
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(user_id = user.id, "password reset link queued");
    Ok(())
}

/// [`admit_request`], then [`request_reset`] after the answer: the answer neither waits for
/// nor depends on whether the address has an account. In SSO-only mode it is refused
/// (`err-sso-only`) for every address but the break-glass administrator's.
pub async fn request_reset_in_background(
    db: &DatabaseConnection,
    throttle: &LoginThrottle,
    email: &str,
    ip: Option<IpAddr>,
) -> AppResult<()> {
    let email = admit_request(throttle, email, ip)?;
    super::policy::check_password_use_by_email(db, &email).await?;
    let db = db.clone();
    tokio::spawn(async move {
        if let Err(e) = request_reset(&db, &email).await {
            tracing::error!(
                error = format!("{e:#}"),
                "a password reset could not be queued"
            );
        }
    });
    Ok(())
}

/// Sets a new password with a reset link's token; see [`redeem`].
pub async fn reset_password(
    db: &DatabaseConnection,
    token: &str,
    new_password: &str,
) -> AppResult<users::Model> {
    redeem(
        db,
        token,
        Purpose::Reset,
        new_password,
        "user.password_reset",
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_token_shaped_strings_are_looked_up() {
        assert!(well_formed(&"ab".repeat(32)));
        assert!(!well_formed(&"ab".repeat(31)));
        assert!(!well_formed(&"zz".repeat(32)));
        assert!(!well_formed(""));
    }

    #[test]
    fn tokens_are_stored_as_their_sha256() {
        let h = token_hash("abc");
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
