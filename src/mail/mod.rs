//! Email. Every email is a row in `mail_outbox`, written in the same transaction as the event it
//! tells about ([`enqueue`]); the worker ([`worker`]) renders it from `templates/emails/` in the
//! recipient's language and sends it over SMTP with lettre, retrying with exponential backoff.
//!
//! Delivery guarantee: at least once, and once in practice. A row is claimed (a lease in
//! `locked_until`) before it is sent, so two workers or nodes never send it at the same time;
//! it is marked sent right after the SMTP server accepted it. Only when the process dies in the
//! instant between the server's acceptance and that update is the email sent again, after the
//! lease expires, with the same `Message-ID`, by which mail clients recognise the duplicate.
//! SMTP offers no way to make that instant disappear.
pub mod admin;
pub mod unsubscribe;
pub mod worker;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, sea_query::OnConflict};
use serde_json::Value;

use crate::entities::mail_outbox;

/// An email to send: a template and its parameters; rendered when sent.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub user_id: Option<i64>,
    pub to: String,
    /// A notification category, `digest`, or `account` (password resets, invitations: they
    /// cannot be unsubscribed from).
    pub category: String,
    /// `templates/emails/<template>.html` and `.txt`; the subject is the message
    /// `email-<template>-subject`.
    pub template: String,
    pub params: Value,
    /// `en` or `nl`.
    pub language: String,
    /// At most one email per key (e.g. one digest per user and week).
    pub dedupe_key: Option<String>,
}

/// Queues an email; call it inside the transaction of the event. Returns false when an email
/// with the same dedupe key exists already.
pub async fn enqueue<C: ConnectionTrait>(conn: &C, mail: Outgoing) -> Result<bool, DbErr> {
    let inserted = mail_outbox::Entity::insert(outbox_row(mail, Utc::now()))
        .on_conflict(once_per_key())
        .exec_without_returning(conn)
        .await?;
    Ok(inserted > 0)
}

/// The most emails [`enqueue_all`] writes in one statement (20 values each, within the bound
/// parameters of both databases).
const ENQUEUE_ROWS: usize = 1000;

/// Queues these emails (each unless one with its dedupe key exists), in one statement per
/// [`ENQUEUE_ROWS`]: an event that notifies many people by email writes their mail at once.
pub async fn enqueue_all<C: ConnectionTrait>(conn: &C, mails: Vec<Outgoing>) -> Result<(), DbErr> {
    use sea_orm::QueryTrait;
    let now = Utc::now();
    let mut rows: Vec<mail_outbox::ActiveModel> = mails
        .into_iter()
        .map(|mail| outbox_row(mail, now))
        .collect();
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(ENQUEUE_ROWS));
        let mut insert = mail_outbox::Entity::insert_many(rows).into_query();
        insert.on_conflict(once_per_key());
        conn.execute(&insert).await?;
        rows = rest;
    }
    Ok(())
}

/// `ON CONFLICT (dedupe_key) DO NOTHING`: at most one email per key.
fn once_per_key() -> OnConflict {
    OnConflict::column(mail_outbox::Column::DedupeKey)
        .do_nothing()
        .to_owned()
}

/// The outbox row of an email, pending from `now`, with its own `Message-ID`.
fn outbox_row(mail: Outgoing, now: chrono::DateTime<Utc>) -> mail_outbox::ActiveModel {
    let message_id = format!(
        "<{}.{}@kring>",
        now.timestamp_millis(),
        hex::encode(rand::random::<[u8; 12]>())
    );
    mail_outbox::ActiveModel {
        user_id: Set(mail.user_id),
        to_address: Set(mail.to),
        category: Set(mail.category),
        template: Set(mail.template),
        params: Set(mail.params.to_string()),
        language: Set(mail.language),
        subject: Set(String::new()),
        body_text: Set(String::new()),
        body_html: Set(String::new()),
        message_id: Set(message_id),
        dedupe_key: Set(mail.dedupe_key),
        status: Set("pending".into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        sent_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
}
