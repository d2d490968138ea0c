//! Webhooks: admins register a URL per event (a post published, a question asked, an answer
//! posted) so a company can push new content to its chat tool.
//!
//! Deliveries are an outbox like the mail outbox: [`enqueue`] inserts one `webhook_deliveries`
//! row per active webhook of the event, inside the event's own transaction, so a rolled-back
//! event sends nothing; the [`worker`] POSTs each row, signed with the webhook's secret
//! (HMAC-SHA256), retrying with exponential backoff. Guarantee: at least once, and once unless
//! the process dies between the receiver's 2xx and the `delivered_at` update; then, after the
//! lease, the same delivery (same `X-Kring-Delivery` id) is sent again, by which receivers can
//! recognise it.
pub mod api;
pub mod guard;
pub mod routes;
pub mod service;
pub mod worker;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    sea_query::OnConflict,
};
use serde_json::{Value, json};

use crate::entities::{webhook_deliveries, webhooks};

/// What a webhook can be told about. Only content every colleague may see triggers one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    PostPublished,
    QuestionAsked,
    AnswerPosted,
}

impl Event {
    pub const ALL: [Event; 3] = [Self::PostPublished, Self::QuestionAsked, Self::AnswerPosted];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PostPublished => "post_published",
            Self::QuestionAsked => "question_asked",
            Self::AnswerPosted => "answer_posted",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == value.trim())
    }
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The author named in a payload.
pub struct Author<'a> {
    pub id: i64,
    pub display_name: &'a str,
}

/// The body every webhook gets: small, public facts only (never a draft, a body or an email
/// address). `path` is a local path; the worker makes it absolute with `KRING_BASE_URL` when
/// one is configured.
pub fn payload(
    event: Event,
    id: i64,
    title: &str,
    path: &str,
    author: Author<'_>,
    created_at: DateTime<Utc>,
) -> Value {
    json!({
        "event": event.as_str(),
        "id": id,
        "title": title,
        "url": path,
        "author": {"id": author.id, "display_name": author.display_name},
        "created_at": created_at.to_rfc3339(),
    })
}

/// Queues `payload` for every active webhook of `event`; call it inside the transaction of the
/// event. The dedupe key `{webhook}:{event}:{subject}` makes a second call for the same subject
/// (a post published again) harmless. Returns how many deliveries were queued.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    event: Event,
    subject_id: i64,
    space: Option<i64>,
    payload: Value,
) -> Result<u64, DbErr> {
    // Content of a space goes only to the webhooks of that space; company-wide content only to
    // company-wide webhooks.
    let scope = match space {
        Some(space) => webhooks::Column::SpaceId.eq(space),
        None => webhooks::Column::SpaceId.is_null(),
    };
    let hooks: Vec<i64> = webhooks::Entity::find()
        .select_only()
        .column(webhooks::Column::Id)
        .filter(scope)
        .filter(webhooks::Column::Event.eq(event.as_str()))
        .filter(webhooks::Column::Active.eq(true))
        .into_tuple()
        .all(conn)
        .await?;
    if hooks.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    let body = payload.to_string();
    let rows = hooks
        .into_iter()
        .map(|webhook_id| webhook_deliveries::ActiveModel {
            webhook_id: Set(webhook_id),
            event: Set(event.as_str().to_owned()),
            payload: Set(body.clone()),
            dedupe_key: Set(format!("{webhook_id}:{}:{subject_id}", event.as_str())),
            attempts: Set(0),
            next_attempt_at: Set(now),
            leased_until: Set(None),
            delivered_at: Set(None),
            failed_at: Set(None),
            last_status: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            ..Default::default()
        });
    webhook_deliveries::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(webhook_deliveries::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip() {
        for event in Event::ALL {
            assert_eq!(Event::parse(event.as_str()), Some(event));
        }
        assert_eq!(Event::parse("post_deleted"), None);
    }
}
