//! Managing webhooks (admins only): create with a generated secret, switch on and off, delete,
//! look at deliveries and queue a failed one again. Every change is audited.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Event, guard, guard::AllowedNetworks};
use crate::{
    audit,
    auth::{current_user::CurrentUser, types::Role},
    entities::{webhook_deliveries, webhooks},
    error::{AppError, AppResult, Msg},
};

/// Deliveries shown per webhook (API) or on the admin page.
pub const RECENT_DELIVERIES: u64 = 50;
const MAX_URL_LEN: usize = 2000;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: i64,
    /// `post_published`, `question_asked` or `answer_posted`.
    pub event: String,
    pub url: String,
    /// The key of the `X-Kring-Signature` HMAC; shown to admins only.
    pub secret: String,
    pub active: bool,
    /// The space whose content it receives; none: company-wide content.
    pub space_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: String,
}

impl From<webhooks::Model> for WebhookView {
    fn from(m: webhooks::Model) -> Self {
        Self {
            id: m.id,
            event: m.event,
            url: m.url,
            secret: m.secret,
            active: m.active,
            space_id: m.space_id,
            created_by: m.created_by,
            created_at: m.created_at.to_rfc3339(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryView {
    /// Also the `X-Kring-Delivery` header, the same on every attempt.
    pub id: i64,
    pub webhook_id: i64,
    pub event: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i32,
    /// The HTTP status of the last attempt (none after a network error).
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub next_attempt_at: String,
    pub delivered_at: Option<String>,
    pub failed_at: Option<String>,
    pub created_at: String,
}

impl From<webhook_deliveries::Model> for DeliveryView {
    fn from(m: webhook_deliveries::Model) -> Self {
        let status = if m.delivered_at.is_some() {
            "delivered"
        } else if m.failed_at.is_some() {
            "failed"
        } else {
            "pending"
        };
        Self {
            id: m.id,
            webhook_id: m.webhook_id,
            event: m.event,
            status: status.into(),
            attempts: m.attempts,
            last_status: m.last_status,
            last_error: m.last_error,
            next_attempt_at: m.next_attempt_at.to_rfc3339(),
            delivered_at: m.delivered_at.map(|t| t.to_rfc3339()),
            failed_at: m.failed_at.map(|t| t.to_rfc3339()),
            created_at: m.created_at.to_rfc3339(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookInput {
    /// `post_published`, `question_asked` or `answer_posted`.
    pub event: String,
    /// An `https://` (or `http://`) URL.
    pub url: String,
    /// Only the content of this space (none: company-wide content only).
    #[serde(default)]
    pub space_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookPatch {
    pub active: bool,
}

fn parse_event(raw: &str) -> AppResult<Event> {
    Event::parse(raw).ok_or_else(|| AppError::validation("event", Msg::new("err-webhook-event")))
}

/// An absolute http(s) URL with a host, at most 2,000 characters.
pub fn parse_url(raw: &str) -> AppResult<url::Url> {
    let invalid = || AppError::validation("url", Msg::new("err-webhook-url"));
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > MAX_URL_LEN {
        return Err(invalid());
    }
    let url = url::Url::parse(raw).map_err(|_| invalid())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(invalid());
    }
    Ok(url)
}

/// A webhook URL may not carry credentials, and an address written into it must be public or
/// in a range an admin allowed (a host name is checked at every delivery, see `guard`).
pub fn check_destination(url: &url::Url, allowed: &[ipnet::IpNet]) -> AppResult<()> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(AppError::validation(
            "url",
            Msg::new("err-webhook-credentials"),
        ));
    }
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
        _ => return Ok(()),
    };
    if guard::may_connect(ip, allowed) {
        Ok(())
    } else {
        Err(AppError::validation(
            "url",
            Msg::new("err-webhook-internal").arg("address", ip),
        ))
    }
}

/// The internal ranges webhooks may reach (admins).
pub async fn allowed_networks(
    db: &DatabaseConnection,
    actor: &CurrentUser,
) -> AppResult<AllowedNetworks> {
    actor.require(Role::Admin)?;
    Ok(crate::settings_store::get(db).await?)
}

/// Sets the internal ranges webhooks may reach (admins; audited). Each must be a CIDR range or
/// an address; they are stored normalised (`10.20.1.2/16` becomes `10.20.0.0/16`).
pub async fn set_allowed_networks(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &AllowedNetworks,
) -> AppResult<AllowedNetworks> {
    actor.require(Role::Admin)?;
    let mut allowed = Vec::new();
    for raw in input
        .allowed
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
    {
        let net = guard::parse_net(raw).ok_or_else(|| {
            AppError::validation(
                "allowed",
                Msg::new("err-webhook-network").arg("network", raw),
            )
        })?;
        if !allowed.contains(&net.to_string()) {
            allowed.push(net.to_string());
        }
    }
    if allowed.len() > 50 {
        return Err(AppError::validation(
            "allowed",
            Msg::new("err-webhook-networks-too-many").arg("max", 50),
        ));
    }
    let value = AllowedNetworks { allowed };
    let txn = crate::db::begin(db).await?;
    let before: AllowedNetworks = crate::settings_store::get(&txn).await?;
    crate::settings_store::put(&txn, &value).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "webhooks.networks_changed",
        None,
        serde_json::json!({"before": before.allowed, "after": value.allowed}),
    )
    .await?;
    txn.commit().await?;
    Ok(value)
}

pub async fn list(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<WebhookView>> {
    actor.require(Role::Admin)?;
    Ok(webhooks::Entity::find()
        .order_by_asc(webhooks::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(WebhookView::from)
        .collect())
}

/// A space a new webhook may be limited to, as the admin page's select shows it.
#[derive(Debug, Clone, Serialize, sea_orm::FromQueryResult)]
pub struct SpaceChoice {
    pub id: i64,
    pub name: String,
}

/// Every space by name, for the admin page's select (admins, who see every space; one
/// statement).
pub async fn space_choices(
    db: &DatabaseConnection,
    actor: &CurrentUser,
) -> AppResult<Vec<SpaceChoice>> {
    use crate::entities::spaces;
    actor.require(Role::Admin)?;
    Ok(spaces::Entity::find()
        .select_only()
        .column(spaces::Column::Id)
        .column(spaces::Column::Name)
        .order_by_asc(spaces::Column::Name)
        .into_model::<SpaceChoice>()
        .all(db)
        .await?)
}

/// Registers a webhook, active, with a new random secret.
pub async fn create(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &WebhookInput,
) -> AppResult<WebhookView> {
    actor.require(Role::Admin)?;
    let event = parse_event(&input.event)?;
    let url = parse_url(&input.url)?;
    let allowed: AllowedNetworks = crate::settings_store::get(db).await?;
    check_destination(&url, &allowed.networks())?;
    let txn = crate::db::begin(db).await?;
    if let Some(space) = input.space_id
        && crate::entities::spaces::Entity::find_by_id(space)
            .one(&txn)
            .await?
            .is_none()
    {
        return Err(AppError::validation(
            "space_id",
            crate::error::Msg::new("err-space-unknown"),
        ));
    }
    let row = webhooks::ActiveModel {
        space_id: Set(input.space_id),
        event: Set(event.as_str().to_owned()),
        url: Set(url.to_string()),
        secret: Set(hex::encode(rand::random::<[u8; 32]>())),
        active: Set(true),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor.id),
        "webhook.created",
        None,
        serde_json::json!({"webhook_id": row.id, "event": row.event, "url": row.url}),
    )
    .await?;
    txn.commit().await?;
    Ok(row.into())
}

/// Switches a webhook on or off. While off it gets no new deliveries and its queued ones wait.
pub async fn set_active(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    active: bool,
) -> AppResult<WebhookView> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let row = webhooks::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.active == active {
        return Ok(row.into());
    }
    let mut model = row.into_active_model();
    model.active = Set(active);
    let row = model.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.id),
        if active {
            "webhook.activated"
        } else {
            "webhook.deactivated"
        },
        None,
        serde_json::json!({"webhook_id": row.id, "event": row.event, "url": row.url}),
    )
    .await?;
    txn.commit().await?;
    Ok(row.into())
}

/// Deletes a webhook and (by the foreign key) its deliveries.
pub async fn delete(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let row = webhooks::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    webhook_deliveries::Entity::delete_many()
        .filter(webhook_deliveries::Column::WebhookId.eq(id))
        .exec(&txn)
        .await?;
    webhooks::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "webhook.deleted",
        None,
        serde_json::json!({"webhook_id": row.id, "event": row.event, "url": row.url}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The newest deliveries of one webhook (`Some`), or of all (`None`).
pub async fn deliveries(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    webhook_id: Option<i64>,
) -> AppResult<Vec<DeliveryView>> {
    actor.require(Role::Admin)?;
    let mut query = webhook_deliveries::Entity::find();
    if let Some(id) = webhook_id {
        webhooks::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        query = query.filter(webhook_deliveries::Column::WebhookId.eq(id));
    }
    Ok(query
        .order_by_desc(webhook_deliveries::Column::Id)
        .limit(RECENT_DELIVERIES)
        .all(db)
        .await?
        .into_iter()
        .map(DeliveryView::from)
        .collect())
}

/// Puts a failed delivery back in the queue with a fresh set of attempts; audited.
pub async fn retry(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    delivery_id: i64,
) -> AppResult<DeliveryView> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let row = webhook_deliveries::Entity::find_by_id(delivery_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.failed_at.is_none() {
        return Err(AppError::conflict("err-webhook-delivery-not-failed"));
    }
    let webhook_id = row.webhook_id;
    let mut model = row.into_active_model();
    model.failed_at = Set(None);
    model.attempts = Set(0);
    model.next_attempt_at = Set(Utc::now());
    model.leased_until = Set(None);
    let row = model.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "webhook.delivery_retried",
        None,
        serde_json::json!({"webhook_id": webhook_id, "delivery_id": delivery_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(row.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_with_a_host_are_accepted() {
        assert!(parse_url("https://chat.example.com/hooks/abc").is_ok());
        assert!(parse_url(" http://127.0.0.1:9000/in ").is_ok());
        for bad in [
            "",
            "chat.example.com/hook",
            "ftp://example.com/x",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
        assert!(parse_url(&format!("https://x.example/{}", "a".repeat(2000))).is_err());
    }
}
