//! Who a verified identity is: the account made at the first sign-in, or the local account
//! it is linked to; its name and address follow the directory at every sign-in. (Roles and
//! department: `mapping`; the admin's settings: `settings`.)
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter,
};
use serde_json::json;

use super::provider::{self, FailureKind, Identity, fail};
use crate::{
    audit,
    auth::{
        repo as users_repo,
        service::{CreatedBy, NewAccount, insert_new_account},
        types::{DisplayName, Email, Roles, UserId},
    },
    entities::{sso_identities, users},
    error::{AppError, AppResult},
    i18n::Lang,
};

// ---- signing in -----------------------------------------------------------------------------

/// The account a verified identity signs in as, created on first sign-in, with its name,
/// address, roles and department brought up to date. Fails (creating nothing) when the
/// identity may not sign in.
pub async fn sign_in(
    db: &DatabaseConnection,
    identity: &Identity,
) -> Result<users::Model, SignInError> {
    // The subject and issuer are stored as they come; text no one may store (a NUL stops
    // PostgreSQL) means a broken provider, not a person.
    if [&identity.issuer, &identity.subject]
        .iter()
        .any(|s| crate::content::text::forbidden(s).is_some())
    {
        return Err(fail(
            FailureKind::Token,
            "the issuer or subject holds a control character",
        )
        .into());
    }
    let email = identity
        .email
        .as_deref()
        .and_then(|e| Email::parse(e).ok())
        .ok_or_else(|| fail(FailureKind::NoEmail, "the provider sent no valid email"))?;
    let name = display_name(identity, &email);
    let txn = crate::db::begin(db).await?;
    // Two first sign-ins of one person at once must not make two accounts; the admin lock
    // also keeps the last-admin rule honest while roles move.
    crate::db::serialize(&txn, crate::db::locks::ADMINS).await?;
    let linked = sso_identities::Entity::find()
        .filter(sso_identities::Column::Issuer.eq(&identity.issuer))
        .filter(sso_identities::Column::Subject.eq(&identity.subject))
        .one(&txn)
        .await?;
    let now = Utc::now();
    let user = match linked {
        Some(link) => {
            let user = users_repo::find(&txn, UserId(link.user_id))
                .await?
                .ok_or(AppError::NotFound)?;
            let mut link = link.into_active_model();
            link.last_login_at = Set(now);
            link.update(&txn).await?;
            update_person(&txn, user, &email, &name).await?
        }
        None => match users_repo::find_by_email(&txn, &email).await? {
            // Only the provider's word that it checked the address links a local account:
            // anyone can put any address in an unverified profile.
            Some(_) if !identity.email_verified => {
                return Err(fail(
                    FailureKind::Unverified,
                    "a local account has this address and the provider did not verify it",
                )
                .into());
            }
            Some(user) => {
                link(&txn, identity, user.id).await?;
                audit::record(
                    &txn,
                    Some(UserId(user.id)),
                    "user.sso_linked",
                    Some(UserId(user.id)),
                    json!({ "issuer": identity.issuer }),
                )
                .await?;
                update_person(&txn, user, &email, &name).await?
            }
            None => {
                let locale = identity
                    .locale
                    .as_deref()
                    .and_then(|l| l.get(..2))
                    .and_then(|l| l.parse::<Lang>().ok());
                let roles = Roles::new([]);
                let user = insert_new_account(
                    &txn,
                    CreatedBy::CompanySignIn,
                    &NewAccount {
                        email: &email,
                        display_name: &name,
                        roles: &roles,
                        is_leadership: false,
                        locale,
                        pending: false,
                    },
                    None,
                )
                .await?;
                link(&txn, identity, user.id).await?;
                user
            }
        },
    };
    if !user.is_active {
        return Err(fail(FailureKind::Deactivated, "the account is deactivated").into());
    }
    // The groups of the ID token, and those the directory provisioned (SCIM).
    let mut groups = identity.groups.clone();
    groups.extend(
        super::mapping::directory_groups(&txn, &[user.id])
            .await?
            .remove(&user.id)
            .unwrap_or_default(),
    );
    super::mapping::apply(&txn, UserId(user.id), &groups, "company_sign_in").await?;
    let mut active = user.into_active_model();
    active.last_login_at = Set(Some(now));
    let user = active.update(&txn).await?;
    crate::events::changed(&txn, &[crate::events::Doc::Person(user.id)]).await?;
    txn.commit().await?;
    Ok(user)
}

/// Why a sign-in did not happen: the provider's side, or ours.
#[derive(Debug)]
pub enum SignInError {
    Refused(provider::Failure),
    App(AppError),
}

impl From<provider::Failure> for SignInError {
    fn from(f: provider::Failure) -> Self {
        SignInError::Refused(f)
    }
}
impl From<AppError> for SignInError {
    fn from(e: AppError) -> Self {
        SignInError::App(e)
    }
}
impl From<sea_orm::DbErr> for SignInError {
    fn from(e: sea_orm::DbErr) -> Self {
        SignInError::App(e.into())
    }
}

fn display_name(identity: &Identity, email: &Email) -> DisplayName {
    let fallback = email.as_str().split('@').next().unwrap_or("?").to_owned();
    let raw = identity.name.clone().unwrap_or(fallback.clone());
    let cleaned: String = raw.chars().filter(|c| !c.is_control()).take(100).collect();
    DisplayName::parse(&cleaned)
        .or_else(|_| DisplayName::parse(&fallback))
        .unwrap_or_else(|_| DisplayName::parse("?").expect("a name"))
}

async fn link(txn: &DatabaseTransaction, identity: &Identity, user_id: i64) -> AppResult<()> {
    let now = Utc::now();
    sso_identities::ActiveModel {
        user_id: Set(user_id),
        issuer: Set(identity.issuer.clone()),
        subject: Set(identity.subject.clone()),
        created_at: Set(now),
        last_login_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The directory is the source of name and address; both follow it at every sign-in.
async fn update_person(
    txn: &DatabaseTransaction,
    user: users::Model,
    email: &Email,
    name: &DisplayName,
) -> AppResult<users::Model> {
    let mut changes = serde_json::Map::new();
    let mut active = user.clone().into_active_model();
    if user.display_name != name.as_str() {
        changes.insert("display_name".into(), json!(name.as_str()));
        active.display_name = Set(name.as_str().to_owned());
    }
    if user.email != email.as_str() {
        if users_repo::find_by_email(txn, email).await?.is_some() {
            // Another account holds the new address: keep the old one rather than merge.
            tracing::warn!(
                user_id = user.id,
                "company sign-in: the new address belongs to another account; kept the old one"
            );
        } else {
            changes.insert("email".into(), json!(email.as_str()));
            active.email = Set(email.as_str().to_owned());
        }
    }
    if changes.is_empty() {
        return Ok(user);
    }
    active.updated_at = Set(Utc::now());
    let user = active.update(txn).await?;
    audit::record(
        txn,
        None,
        "user.sso_updated",
        Some(UserId(user.id)),
        serde_json::Value::Object(changes),
    )
    .await?;
    Ok(user)
}
