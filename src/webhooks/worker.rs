//! The webhook worker: POSTs due deliveries, signed, with retries and exponential backoff;
//! gives up after [`MAX_ATTEMPTS`] and leaves the delivery failed for admins to retry.
//!
//! Each request carries `X-Kring-Event`, `X-Kring-Delivery` (the delivery's id, the same on
//! every attempt, so receivers can drop duplicates), `X-Kring-Timestamp` (unix seconds) and
//! `X-Kring-Signature: sha256=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>`, where the key is
//! the webhook's secret as shown to admins (its UTF-8 bytes) and `body` the exact bytes sent.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::Utc;
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use serde_json::Value;
use sha2::Sha256;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::guard::{AllowedNetworks, GuardedResolver, NotAllowed, Resolver, may_connect};
use crate::{
    entities::{webhook_deliveries, webhooks},
    state::AppState,
};

/// Attempts before a delivery is given up as failed.
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a worker may hold a delivery it is sending before another may take it; well over
/// the request timeout.
const LEASE: Duration = Duration::from_secs(120);
/// The receiver's time to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Due deliveries looked at per round.
const BATCH: u64 = 100;

/// `sha256=<hex>` of `"{timestamp}.{body}"` under `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Due: neither delivered nor failed, its time has come, not leased by a live worker, and its
/// webhook is active (a deactivated webhook's deliveries wait).
fn due(now: chrono::DateTime<Utc>) -> Condition {
    Condition::all()
        .add(webhook_deliveries::Column::DeliveredAt.is_null())
        .add(webhook_deliveries::Column::FailedAt.is_null())
        .add(webhook_deliveries::Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(webhook_deliveries::Column::LeasedUntil.is_null())
                .add(webhook_deliveries::Column::LeasedUntil.lt(now)),
        )
        .add(
            webhook_deliveries::Column::WebhookId.in_subquery(
                Query::select()
                    .column(webhooks::Column::Id)
                    .from(webhooks::Entity)
                    .and_where(webhooks::Column::Active.eq(true))
                    .to_owned(),
            ),
        )
}

/// Claims a due delivery for this worker (and counts the attempt); false when another worker
/// has it or it is no longer due.
async fn claim(state: &AppState, id: i64) -> anyhow::Result<bool> {
    let now = Utc::now();
    let claimed = webhook_deliveries::Entity::update_many()
        .col_expr(
            webhook_deliveries::Column::LeasedUntil,
            Expr::value(now + chrono::Duration::from_std(LEASE)?),
        )
        .col_expr(
            webhook_deliveries::Column::Attempts,
            Expr::col(webhook_deliveries::Column::Attempts).add(1),
        )
        .filter(webhook_deliveries::Column::Id.eq(id))
        .filter(due(now))
        .exec(&state.db)
        .await?
        .rows_affected;
    Ok(claimed == 1)
}

/// The body as sent: the stored payload, its `url` made absolute when `KRING_BASE_URL` is set.
fn body(state: &AppState, payload: &str) -> anyhow::Result<Vec<u8>> {
    let mut value: Value = serde_json::from_str(payload)?;
    if !state.settings.base_url_is_default
        && let Some(url) = value.get_mut("url")
        && let Some(path) = url.as_str().filter(|p| p.starts_with('/'))
    {
        let base = state.settings.base_url.as_str().trim_end_matches('/');
        *url = Value::String(format!("{base}{path}"));
    }
    Ok(serde_json::to_vec(&value)?)
}

/// What one attempt came to.
enum Outcome {
    Delivered(u16),
    Refused(u16, String),
    Unreachable(String),
}

/// Why a delivery may not be sent to this URL before anything is resolved: credentials in it,
/// or an internal address written into it.
fn refused_url(url: &str, state: &AppState) -> Option<String> {
    let Ok(url) = url::Url::parse(url) else {
        return Some("refused: the URL does not parse".into());
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Some("refused: the URL carries credentials".into());
    }
    let ip = match url.host()? {
        url::Host::Ipv4(ip) => std::net::IpAddr::V4(ip),
        url::Host::Ipv6(ip) => std::net::IpAddr::V6(ip),
        url::Host::Domain(_) => return None,
    };
    (!may_connect(ip, &state.webhooks.guard.allowed())).then(|| NotAllowed(ip).to_string())
}

/// What went wrong, for the delivery log: the guard's refusal when it refused, otherwise the
/// kind of network failure (never a response body).
fn network_error(e: &reqwest::Error) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(refused) = err.downcast_ref::<NotAllowed>() {
            return refused.to_string();
        }
        source = err.source();
    }
    if e.is_timeout() {
        "unreachable: no answer in time".into()
    } else if e.is_connect() {
        "unreachable: the connection failed".into()
    } else {
        "unreachable: the request failed".into()
    }
}

async fn send(
    state: &AppState,
    hook: &webhooks::Model,
    row: &webhook_deliveries::Model,
) -> Outcome {
    if let Some(refused) = refused_url(&hook.url, state) {
        return Outcome::Unreachable(refused);
    }
    let body = match body(state, &row.payload) {
        Ok(b) => b,
        Err(e) => return Outcome::Unreachable(format!("unreadable payload: {e}")),
    };
    let timestamp = Utc::now().timestamp();
    let request = state
        .webhooks
        .client
        .post(&hook.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("X-Kring-Event", &row.event)
        .header("X-Kring-Delivery", row.id.to_string())
        .header("X-Kring-Timestamp", timestamp.to_string())
        .header(
            "X-Kring-Signature",
            signature(&hook.secret, timestamp, &body),
        )
        .body(body);
    match request.send().await {
        Ok(response) if response.status().is_success() => {
            Outcome::Delivered(response.status().as_u16())
        }
        // Only the status is kept: a receiver's answer is none of the log's business (and a
        // log of answers from internal services would be a scanner's report).
        Ok(response) => {
            let status = response.status().as_u16();
            Outcome::Refused(status, format!("HTTP {status}"))
        }
        Err(e) => Outcome::Unreachable(network_error(&e)),
    }
}

/// Deliveries in flight at once, in all and per receiving host: one receiver that never
/// answers holds up its own deliveries only.
const MAX_IN_FLIGHT: usize = 32;
const MAX_PER_HOST: usize = 4;

/// The HTTP client of deliveries, the resolver that keeps them out of internal networks, and
/// the limits on deliveries in flight, shared by every round on this node.
pub struct Dispatcher {
    client: reqwest::Client,
    pub guard: Arc<GuardedResolver>,
    total: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Default for Dispatcher {
    fn default() -> Self {
        let guard = Arc::new(GuardedResolver::default());
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            // A redirect is an answer that is not a 2xx: retried, and visible to admins.
            .redirect(reqwest::redirect::Policy::none())
            // No proxy from the environment: it would connect for us, past the guard.
            .no_proxy()
            .dns_resolver(Arc::new(Resolver(guard.clone())))
            .user_agent(concat!("Kring-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the webhook HTTP client builds");
        Self {
            client,
            guard,
            total: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            hosts: Mutex::default(),
        }
    }
}

impl Dispatcher {
    /// Slots for one delivery to `url`'s host, if both limits allow one now.
    fn try_slot(&self, url: &str) -> Option<(OwnedSemaphorePermit, OwnedSemaphorePermit)> {
        let host = url::Url::parse(url)
            .ok()
            .map(|u| {
                format!(
                    "{}:{}",
                    u.host_str().unwrap_or_default(),
                    u.port_or_known_default().unwrap_or(0)
                )
            })
            .unwrap_or_default();
        let per_host = self
            .hosts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(host)
            .or_insert_with(|| Arc::new(Semaphore::new(MAX_PER_HOST)))
            .clone();
        let host_slot = per_host.try_acquire_owned().ok()?;
        let total_slot = self.total.clone().try_acquire_owned().ok()?;
        Some((total_slot, host_slot))
    }
}

/// Starts every due delivery whose host has a free slot, each in a task of its own; with
/// `wait` it waits for them and returns how many were delivered (tests drain this way),
/// otherwise it returns at once (the lane's loop) and the deliveries finish on their own.
pub async fn deliver_due(state: &AppState, wait: bool) -> anyhow::Result<usize> {
    let allowed: AllowedNetworks = crate::settings_store::get(&state.db).await?;
    state.webhooks.guard.set_allowed(allowed.networks());
    let now = Utc::now();
    let due: Vec<(i64, String)> = webhook_deliveries::Entity::find()
        .select_only()
        .column(webhook_deliveries::Column::Id)
        .column(webhooks::Column::Url)
        .join(
            JoinType::InnerJoin,
            webhook_deliveries::Entity::belongs_to(webhooks::Entity)
                .from(webhook_deliveries::Column::WebhookId)
                .to(webhooks::Column::Id)
                .into(),
        )
        .filter(due(now))
        .order_by_asc(webhook_deliveries::Column::Id)
        .limit(BATCH)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut deliveries = tokio::task::JoinSet::new();
    for (id, url) in due {
        let Some(slots) = state.webhooks.try_slot(&url) else {
            continue;
        };
        if !claim(state, id).await? {
            continue;
        }
        let state = state.clone();
        deliveries.spawn(async move {
            let _slots = slots;
            deliver(&state, id).await
        });
    }
    if !wait {
        deliveries.detach_all();
        return Ok(0);
    }
    let mut delivered = 0;
    while let Some(outcome) = deliveries.join_next().await {
        if outcome?? {
            delivered += 1;
        }
    }
    Ok(delivered)
}

/// Sends one claimed delivery and records the outcome; true when it was delivered.
async fn deliver(state: &AppState, id: i64) -> anyhow::Result<bool> {
    let Some(row) = webhook_deliveries::Entity::find_by_id(id)
        .one(&state.db)
        .await?
    else {
        return Ok(false);
    };
    let Some(hook) = webhooks::Entity::find_by_id(row.webhook_id)
        .one(&state.db)
        .await?
    else {
        return Ok(false);
    };
    match send(state, &hook, &row).await {
        Outcome::Delivered(status) => {
            webhook_deliveries::Entity::update(webhook_deliveries::ActiveModel {
                id: Set(row.id),
                delivered_at: Set(Some(Utc::now())),
                leased_until: Set(None),
                last_status: Set(Some(i32::from(status))),
                last_error: Set(None),
                ..Default::default()
            })
            .exec(&state.db)
            .await?;
            Ok(true)
        }
        Outcome::Refused(status, error) => {
            record_failure(state, &row, Some(status), &error).await?;
            Ok(false)
        }
        Outcome::Unreachable(error) => {
            record_failure(state, &row, None, &error).await?;
            Ok(false)
        }
    }
}

async fn record_failure(
    state: &AppState,
    row: &webhook_deliveries::Model,
    status: Option<u16>,
    error: &str,
) -> anyhow::Result<()> {
    let give_up = row.attempts >= MAX_ATTEMPTS;
    tracing::warn!(
        delivery_id = row.id,
        webhook_id = row.webhook_id,
        attempts = row.attempts,
        give_up,
        error,
        "a webhook was not delivered"
    );
    let now = Utc::now();
    let next = now
        + chrono::Duration::from_std(crate::mail::worker::backoff(
            state.settings.webhook_retry,
            row.attempts,
        ))?;
    webhook_deliveries::Entity::update(webhook_deliveries::ActiveModel {
        id: Set(row.id),
        next_attempt_at: Set(next),
        failed_at: Set(give_up.then_some(now)),
        leased_until: Set(None),
        last_status: Set(status.map(i32::from)),
        last_error: Set(Some(error.chars().take(2000).collect())),
        ..Default::default()
    })
    .exec(&state.db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_timestamp_and_body() {
        let a = signature("secret", 1_700_000_000, b"{\"id\":1}");
        assert!(a.starts_with("sha256="));
        assert_eq!(a.len(), "sha256=".len() + 64);
        assert_eq!(a, signature("secret", 1_700_000_000, b"{\"id\":1}"));
        assert_ne!(a, signature("secret", 1_700_000_001, b"{\"id\":1}"));
        assert_ne!(a, signature("secret", 1_700_000_000, b"{\"id\":2}"));
        assert_ne!(a, signature("other", 1_700_000_000, b"{\"id\":1}"));
    }
}
