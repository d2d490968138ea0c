//! Background work: publishing scheduled posts, indexing, digests, badges, telling the social
//! team a month has closed, sending mail and webhooks, housekeeping (expired sessions, idle
//! rate-limiter keys). Every job is safe to run on several nodes at once and after a restart.
use std::time::Duration;

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::task::JoinHandle;

use crate::{entities::sessions, state::AppState};

/// How often the jobs run. Scheduled posts go out at most this late; the first run is at
/// start-up, so posts that fell due while the server was down go out then.
const INTERVAL: Duration = Duration::from_secs(15);

/// Runs every pending job once; tests call it to drain background work.
pub async fn run_pending(state: &AppState) -> anyhow::Result<()> {
    crate::blog::service::publish_due(&state.db)
        .await
        .map_err(|e| anyhow::anyhow!("publishing scheduled posts: {e}"))?;
    let removed = sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiresAt.lte(Utc::now()))
        .exec(&state.db)
        .await?
        .rows_affected;
    if removed > 0 {
        tracing::debug!(removed, "expired sessions removed");
    }
    state.throttle.shrink();
    // Used and expired password-reset and invitation tokens, a week on.
    crate::entities::account_tokens::Entity::delete_many()
        .filter(
            crate::entities::account_tokens::Column::ExpiresAt
                .lte(Utc::now() - chrono::Duration::days(7)),
        )
        .exec(&state.db)
        .await?;
    crate::search::indexer::drain(&state.db, &state.search).await?;
    let digests = crate::notify::digest::queue_due(&state.db, Utc::now()).await?;
    if digests > 0 {
        tracing::info!(digests, "digest emails queued");
    }
    if badges_due() {
        let badges = crate::gamification::badges::grant_due(&state.db, Utc::now()).await?;
        if badges > 0 {
            tracing::info!(badges, "badges granted");
        }
    }
    crate::gamification::guru::announce_closed_month(&state.db, Utc::now()).await?;
    crate::mail::worker::send_pending(state).await?;
    crate::webhooks::worker::deliver_due(state).await?;
    Ok(())
}

/// Badges are checked at start and then every [`BADGE_INTERVAL`]: each check scans the
/// content tables, and a badge a few minutes late is fine.
const BADGE_INTERVAL: Duration = Duration::from_secs(300);
static BADGES_CHECKED: std::sync::Mutex<Option<std::time::Instant>> = std::sync::Mutex::new(None);

fn badges_due() -> bool {
    let Ok(mut last) = BADGES_CHECKED.lock() else {
        return true;
    };
    if last.is_some_and(|at| at.elapsed() < BADGE_INTERVAL) {
        return false;
    }
    *last = Some(std::time::Instant::now());
    true
}

/// Starts the scheduler loop.
pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(INTERVAL);
        loop {
            ticker.tick().await;
            if let Err(e) = run_pending(&state).await {
                tracing::error!(error = format!("{e:#}"), "background job failed");
            }
        }
    })
}
