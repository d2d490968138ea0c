//! Invitations: an admin creates an account without a password and Kring emails the person a
//! link to choose one. The account, its single-use token (valid [`INVITE_VALIDITY`]), the email
//! and the audit entry are written in one transaction. Until the password is set nobody can
//! log in to the account; an admin can send a fresh link ([`resend`]), which voids the old one.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{
    current_user::CurrentUser,
    repo,
    reset::{self, INVITE_VALIDITY, Purpose},
    service::{CreatedBy, NewAccount, UserView, insert_new_account},
    types::{DisplayName, Email, Role, Roles, UserId},
};
use crate::{
    audit,
    entities::{account_tokens, users},
    error::{AppError, AppResult},
    i18n::Lang,
    mail,
};

/// Whom to invite.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InvitationInput {
    pub email: String,
    pub display_name: String,
    /// Roles besides `member`.
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub is_leadership: bool,
    /// The invitee's language (`en` or `nl`); the email is written in it. Without it, the email
    /// is in the inviting admin's language.
    pub locale: Option<Lang>,
}

/// Whether the account still waits for its invitee to choose a password. An account that
/// signed in with the company's identity provider has no password either, but has logged in.
pub fn is_pending(user: &users::Model) -> bool {
    user.is_active && user.password_hash.is_none() && user.last_login_at.is_none()
}

/// Queues the invitation email with a fresh token, inside the caller's transaction.
async fn send<C: ConnectionTrait>(
    conn: &C,
    inviter: &CurrentUser,
    user: &users::Model,
    lang: Lang,
) -> AppResult<()> {
    let token = reset::issue(conn, user.id, Purpose::Invite).await?;
    mail::enqueue(
        conn,
        mail::Outgoing {
            user_id: Some(user.id),
            to: user.email.clone(),
            category: "account".into(),
            template: "invitation".into(),
            params: json!({
                "name": user.display_name,
                "email": user.email,
                "actor": inviter.display_name,
                "url": format!("/invitations/{token}"),
                "days": INVITE_VALIDITY.num_days(),
            }),
            language: lang.code().into(),
            dedupe_key: None,
        },
    )
    .await?;
    Ok(())
}

/// Creates the account and emails the invitation (admins only; 409 when the address is taken).
pub async fn invite(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &InvitationInput,
) -> AppResult<UserView> {
    actor.require(Role::Admin)?;
    let email = Email::parse(&input.email)?;
    let display_name = DisplayName::parse(&input.display_name)?;
    let roles = Roles::new(input.roles.iter().copied());
    let account = NewAccount {
        pending: false,
        email: &email,
        display_name: &display_name,
        roles: &roles,
        is_leadership: input.is_leadership,
        locale: input.locale,
    };
    let lang = input.locale.or(actor.locale).unwrap_or_default();
    let txn = crate::db::begin(db).await?;
    let user = insert_new_account(&txn, CreatedBy::Invitation(actor.id), &account, None).await?;
    send(&txn, actor, &user, lang).await?;
    txn.commit().await?;
    tracing::info!(user_id = user.id, by = actor.id.0, "invitation queued");
    Ok(UserView::new(user, &roles))
}

/// Emails a new invitation link to an account still waiting for its password (admins only);
/// the earlier link stops working. 409 when the person has set a password already.
pub async fn resend(db: &DatabaseConnection, actor: &CurrentUser, id: UserId) -> AppResult<()> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let user = repo::find(&txn, id).await?.ok_or(AppError::NotFound)?;
    if !is_pending(&user) {
        return Err(AppError::conflict("err-invitation-accepted"));
    }
    let lang = user
        .locale
        .as_deref()
        .and_then(|l| l.parse().ok())
        .or(actor.locale)
        .unwrap_or_default();
    send(&txn, actor, &user, lang).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "user.invitation_resent",
        Some(id),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets the invitee's password with the invitation's token (single use, see
/// [`reset::redeem`]); returns the account, for logging in.
pub async fn accept(
    db: &DatabaseConnection,
    token: &str,
    new_password: &str,
) -> AppResult<users::Model> {
    reset::redeem(
        db,
        token,
        Purpose::Invite,
        new_password,
        "user.invitation_accepted",
    )
    .await
}

/// An account waiting for its invitee, with the end of its newest link.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingInvitation {
    pub user: UserView,
    /// When the newest invitation link stops working (`null` when none was sent).
    pub expires_at: Option<DateTime<Utc>>,
    pub expired: bool,
}

/// The accounts still waiting for their invitees to choose a password, newest first (admins
/// only; at most 200).
pub async fn pending(
    db: &DatabaseConnection,
    actor: &CurrentUser,
) -> AppResult<Vec<PendingInvitation>> {
    actor.require(Role::Admin)?;
    let rows = users::Entity::find()
        .filter(users::Column::PasswordHash.is_null())
        .filter(users::Column::LastLoginAt.is_null())
        .filter(users::Column::IsActive.eq(true))
        .order_by_desc(users::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|u| u.id).collect();
    let mut roles = repo::roles_of_many(db, &ids).await?;
    let mut expiry: HashMap<i64, DateTime<Utc>> = HashMap::new();
    let tokens = account_tokens::Entity::find()
        .filter(account_tokens::Column::UserId.is_in(ids.iter().copied()))
        .filter(account_tokens::Column::Purpose.eq(Purpose::Invite.as_str()))
        .all(db)
        .await?;
    for token in tokens {
        let e = expiry.entry(token.user_id).or_insert(token.expires_at);
        *e = (*e).max(token.expires_at);
    }
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|u| {
            let expires_at = expiry.get(&u.id).copied();
            let user_roles = roles.remove(&u.id).unwrap_or_default();
            PendingInvitation {
                user: UserView::new(u, &user_roles),
                expires_at,
                expired: expires_at.is_none_or(|t| t <= now),
            }
        })
        .collect())
}
