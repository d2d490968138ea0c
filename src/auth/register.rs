//! Self-registration, for the email domains an admin allows.
//!
//! Registering answers the same, after the same work, whether or not the address has an
//! account, so it cannot be used to find out who works here: the password is hashed in every
//! case, and the outcome travels by email only. A new address gets an inactive account and a
//! link that proves the mailbox (single-use, two days); an address that registered before but
//! never opened its link gets a new one (and its name and password are replaced); the owner of
//! an existing account is told that someone tried, with a way to reset their password. Each
//! client address may register ten times an hour.
use std::net::IpAddr;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde_json::json;

use super::{
    password, repo,
    reset::{self, Purpose},
    service::{AccountInput, CreatedBy, NewUser, RegistrationSettings, insert_account},
    throttle::LoginThrottle,
    types::{Roles, UserId},
};
use crate::{
    audit,
    entities::users,
    error::{AppError, AppResult, Msg},
    i18n::Lang,
    mail, settings_store,
};

/// Registers an address; see the module documentation. `Ok` says nothing about the address.
pub async fn register(
    db: &DatabaseConnection,
    throttle: &LoginThrottle,
    input: &AccountInput,
    locale: Lang,
    ip: Option<IpAddr>,
) -> AppResult<()> {
    super::policy::check_password_use(db, None).await?;
    let settings: RegistrationSettings = settings_store::get(db).await?;
    if !settings.enabled {
        return Err(AppError::NotFound);
    }
    throttle
        .registration(ip)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    let mut new = NewUser::parse(input, Roles::new([]))?;
    if !settings.allows(&new.email) {
        return Err(AppError::validation(
            "email",
            Msg::new("err-registration-domain").arg("domains", settings.allowed_domains.join(", ")),
        ));
    }
    new.locale = Some(locale);
    // Hashed whatever the address, so both answers take the same time.
    let hash = password::hash(new.password.expose()).await?;
    let txn = crate::db::begin(db).await?;
    match repo::find_by_email(&txn, &new.email).await? {
        None => {
            let user = insert_account(&txn, CreatedBy::Themselves, &new, hash).await?;
            send_link(&txn, &user, locale).await?;
        }
        Some(user) if reset::is_pending(&user) => {
            let user = users::Entity::update(users::ActiveModel {
                id: Set(user.id),
                display_name: Set(new.display_name.as_str().to_owned()),
                password_hash: Set(Some(hash)),
                locale: Set(Some(locale.code().to_owned())),
                updated_at: Set(Utc::now()),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
            send_link(&txn, &user, locale).await?;
        }
        Some(user) if user.is_active => {
            mail::enqueue(
                &txn,
                mail::Outgoing {
                    user_id: Some(user.id),
                    to: user.email.clone(),
                    category: "account".into(),
                    template: "account_exists".into(),
                    params: json!({"name": user.display_name, "email": user.email}),
                    language: crate::company::language_of(&txn, &user)
                        .await?
                        .code()
                        .into(),
                    dedupe_key: None,
                },
            )
            .await?;
        }
        // A deactivated account: an admin decides about it, not a registration form.
        Some(_) => {}
    }
    txn.commit().await?;
    Ok(())
}

/// Queues the email with a new link that proves the mailbox (earlier links stop working).
async fn send_link<C: sea_orm::ConnectionTrait>(
    conn: &C,
    user: &users::Model,
    locale: Lang,
) -> AppResult<()> {
    let token = reset::issue(conn, user.id, Purpose::Verify).await?;
    mail::enqueue(
        conn,
        mail::Outgoing {
            user_id: Some(user.id),
            to: user.email.clone(),
            category: "account".into(),
            template: "verify_email".into(),
            params: json!({
                "name": user.display_name,
                "email": user.email,
                "url": format!("/register/verify/{token}"),
            }),
            language: locale.code().into(),
            dedupe_key: None,
        },
    )
    .await?;
    Ok(())
}

/// The account a verification link would activate, if the link still works.
pub async fn pending_holder(
    db: &DatabaseConnection,
    token: &str,
) -> AppResult<Option<users::Model>> {
    reset::holder(db, token, Purpose::Verify).await
}

/// Opens a verification link: the account becomes active and findable, once. A used, expired
/// or unknown link fails with `err-verify-link-invalid`; in SSO-only mode every link is refused
/// (a self-registered account is a password account).
pub async fn verify(db: &DatabaseConnection, token: &str) -> AppResult<users::Model> {
    super::policy::check_password_use(db, None).await?;
    let txn = crate::db::begin(db).await?;
    let Some(user_id) = reset::consume(&txn, token, Purpose::Verify).await? else {
        return Err(Purpose::Verify.invalid());
    };
    let user = repo::find(&txn, UserId(user_id))
        .await?
        .filter(reset::is_pending)
        .ok_or_else(|| Purpose::Verify.invalid())?;
    let now = Utc::now();
    let user = users::Entity::update(users::ActiveModel {
        id: Set(user.id),
        is_active: Set(true),
        email_verified_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    reset::void_unused(&txn, user.id, None).await?;
    crate::events::changed(&txn, &[crate::events::Doc::Person(user.id)]).await?;
    audit::record(
        &txn,
        Some(UserId(user.id)),
        "user.verified",
        Some(UserId(user.id)),
        json!({ "email": user.email }),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}
