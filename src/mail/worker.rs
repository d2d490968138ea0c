//! The mail worker: renders due emails and sends them over SMTP, with retries and exponential
//! backoff; gives up after [`MAX_ATTEMPTS`] (or at once on a permanent SMTP refusal) and leaves
//! the email `failed` for admins to see and retry.
use std::time::Duration;

use chrono::Utc;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor, message::MultiPart};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use tera::Context;

use crate::{entities::mail_outbox, i18n::Lang, state::AppState};

/// Attempts before an email is given up as failed.
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a worker may hold an email it is sending before another may take it.
const LEASE: Duration = Duration::from_secs(300);
/// Emails sent per round.
const BATCH: u64 = 50;

/// The delay before attempt `attempts + 1`: the base, doubled per attempt, at most six hours.
pub fn backoff(base: Duration, attempts: i32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.clamp(1, 20) as u32 - 1);
    base.saturating_mul(factor)
        .min(Duration::from_secs(6 * 3600))
}

/// Subject, plain text and HTML of an email.
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Renders an outbox row's template in its language.
pub fn render(state: &AppState, row: &mail_outbox::Model) -> anyhow::Result<Rendered> {
    let lang: Lang = row
        .language
        .parse()
        .unwrap_or_else(|_| state.company.get().language);
    let params: serde_json::Value = serde_json::from_str(&row.params)?;
    let mut ctx = Context::from_value(params.clone()).map_err(|e| {
        anyhow::anyhow!("the parameters of email {} are not an object: {e}", row.id)
    })?;
    let base_url = state.settings.base_url.as_str().trim_end_matches('/');
    ctx.insert("base_url", base_url);
    ctx.insert("lang", lang.code());
    ctx.insert("category", &row.category);
    if let Some(user_id) = row.user_id
        && !matches!(row.category.as_str(), "account")
    {
        let path = super::unsubscribe::path(state.cookie_key.signing(), user_id, &row.category);
        ctx.insert("unsubscribe_url", &format!("{base_url}{path}"));
    }
    let args: Vec<(&'static str, String)> = ["title", "actor", "site", "period"]
        .into_iter()
        .filter_map(|k| {
            params
                .get(k)
                .and_then(|v| v.as_str())
                .map(|v| (k, v.to_owned()))
        })
        .collect();
    let key = params
        .get("subject_key")
        .and_then(|k| k.as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("email-{}-subject", row.template));
    let subject = crate::i18n::tr_args(lang, &key, &args);
    let text = state
        .templates
        .render(&format!("emails/{}.txt", row.template), &ctx)?;
    let html = state
        .templates
        .render(&format!("emails/{}.html", row.template), &ctx)?;
    Ok(Rendered {
        subject,
        text,
        html,
    })
}

fn message(state: &AppState, row: &mail_outbox::Model, r: &Rendered) -> anyhow::Result<Message> {
    Ok(Message::builder()
        .from(state.settings.mail_from.clone())
        .to(row.to_address.parse()?)
        .subject(r.subject.clone())
        .message_id(Some(row.message_id.clone()))
        .multipart(MultiPart::alternative_plain_html(
            r.text.clone(),
            r.html.clone(),
        ))?)
}

/// Claims a due email for this worker; false when another worker has it.
async fn claim(state: &AppState, id: i64) -> anyhow::Result<bool> {
    let now = Utc::now();
    let claimed = mail_outbox::Entity::update_many()
        .col_expr(
            mail_outbox::Column::LockedUntil,
            Expr::value(now + chrono::Duration::from_std(LEASE)?),
        )
        .col_expr(
            mail_outbox::Column::Attempts,
            Expr::col(mail_outbox::Column::Attempts).add(1),
        )
        .filter(mail_outbox::Column::Id.eq(id))
        .filter(mail_outbox::Column::Status.eq("pending"))
        .filter(
            Condition::any()
                .add(mail_outbox::Column::LockedUntil.is_null())
                .add(mail_outbox::Column::LockedUntil.lt(now)),
        )
        .exec(&state.db)
        .await?
        .rows_affected;
    Ok(claimed == 1)
}

/// Sends every due email once; returns how many were sent. Without `KRING_SMTP_URL` mail
/// stays queued.
pub async fn send_pending(state: &AppState) -> anyhow::Result<usize> {
    let Some(url) = &state.settings.smtp_url else {
        return Ok(0);
    };
    let now = Utc::now();
    let due: Vec<i64> = mail_outbox::Entity::find()
        .select_only()
        .column(mail_outbox::Column::Id)
        .filter(mail_outbox::Column::Status.eq("pending"))
        .filter(mail_outbox::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(mail_outbox::Column::LockedUntil.is_null())
                .add(mail_outbox::Column::LockedUntil.lt(now)),
        )
        .order_by_asc(mail_outbox::Column::Id)
        .limit(BATCH)
        .into_tuple()
        .all(&state.db)
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.as_str())?
        .timeout(Some(Duration::from_secs(20)))
        .build();
    let mut sent = 0;
    for id in due {
        if !claim(state, id).await? {
            continue;
        }
        let Some(row) = mail_outbox::Entity::find_by_id(id).one(&state.db).await? else {
            continue;
        };
        let rendered = match render(state, &row) {
            Ok(r) => r,
            Err(e) => {
                record_failure(state, &row, &format!("rendering: {e:#}"), true).await?;
                continue;
            }
        };
        let message = match message(state, &row, &rendered) {
            Ok(m) => m,
            Err(e) => {
                record_failure(state, &row, &format!("building: {e:#}"), true).await?;
                continue;
            }
        };
        match transport.send(message).await {
            Ok(_) => {
                // Account emails carry one-time links: once sent, the database forgets them.
                let secret = row.category == "account";
                let kept = |body: String| if secret { String::new() } else { body };
                mail_outbox::Entity::update(mail_outbox::ActiveModel {
                    id: Set(row.id),
                    status: Set("sent".into()),
                    sent_at: Set(Some(Utc::now())),
                    locked_until: Set(None),
                    last_error: Set(None),
                    subject: Set(rendered.subject),
                    body_text: Set(kept(rendered.text)),
                    body_html: Set(kept(rendered.html)),
                    params: Set(if secret {
                        "{}".into()
                    } else {
                        row.params.clone()
                    }),
                    ..Default::default()
                })
                .exec(&state.db)
                .await?;
                sent += 1;
            }
            Err(e) => {
                record_failure(state, &row, &e.to_string(), e.is_permanent()).await?;
            }
        }
    }
    Ok(sent)
}

async fn record_failure(
    state: &AppState,
    row: &mail_outbox::Model,
    error: &str,
    permanent: bool,
) -> anyhow::Result<()> {
    let give_up = permanent || row.attempts >= MAX_ATTEMPTS;
    tracing::warn!(
        mail_id = row.id,
        attempts = row.attempts,
        give_up,
        error,
        "an email was not sent"
    );
    let next =
        Utc::now() + chrono::Duration::from_std(backoff(state.settings.mail_retry, row.attempts))?;
    mail_outbox::Entity::update(mail_outbox::ActiveModel {
        id: Set(row.id),
        status: Set(if give_up { "failed" } else { "pending" }.into()),
        next_attempt_at: Set(next),
        locked_until: Set(None),
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
    fn the_backoff_doubles_and_stops_at_six_hours() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 4), Duration::from_secs(240));
        assert_eq!(backoff(base, 30), Duration::from_secs(6 * 3600));
    }
}
