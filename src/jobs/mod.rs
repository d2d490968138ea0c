//! Background work, in lanes. Each lane is a task of its own with its own interval, so slow work
//! in one (a webhook receiver that never answers, an SMTP server that stalls) delays that lane
//! only, never a scheduled post, an email or the search index. Every job is safe to run on
//! several nodes at once and after a restart.
//!
//! | lane | every | what |
//! | --- | --- | --- |
//! | `publishing` | tick | scheduled posts whose time has come |
//! | `indexing` | 200 ms | follows a published rebuild, applies the search outbox |
//! | `mail` | 500 ms | sends due emails |
//! | `webhooks` | 1 s | starts due deliveries, concurrently, a few per receiving host |
//! | `digests` | tick | daily and weekly digests, the closed month for the social team |
//! | `badges` | 5 min | grants badges (first run 5 minutes after start) |
//! | `housekeeping` | tick | expired sessions, tokens and rate-limiter keys |
//! | `bookkeeping` | 1 s | writes the weekly activity and token uses requests noted in memory |
//! | `write-probe` | 1 s | while writes are failing, one small write to find out when they work again |
//!
//! The tick is `KRING_JOB_TICK_SECONDS` (15 s by default; tests shorten it).
use std::time::Duration;

use chrono::Utc;
use futures_util::future::BoxFuture;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::task::JoinHandle;

use crate::{
    config::Settings,
    entities::{account_tokens, sessions},
    health::{Fault, Store},
    state::AppState,
};

/// One lane of background work.
pub struct Lane {
    pub name: &'static str,
    every: fn(&Settings) -> Duration,
    /// One round. `wait` is false in the lane's own loop (deliveries may outlive the round)
    /// and true when tests drain queued work.
    run: for<'a> fn(&'a AppState, bool) -> BoxFuture<'a, anyhow::Result<()>>,
    /// Where a storage fault in this lane is reported.
    store: Store,
    /// Whether the first round runs at start (otherwise one interval later).
    at_start: bool,
}

fn tick(settings: &Settings) -> Duration {
    settings.job_tick
}

/// Every lane, in the order `run_pending` runs them.
pub const LANES: &[Lane] = &[
    Lane {
        name: "publishing",
        every: tick,
        run: |state, _| Box::pin(publishing(state)),
        store: Store::Database,
        at_start: true,
    },
    Lane {
        name: "housekeeping",
        every: tick,
        run: |state, _| Box::pin(housekeeping(state)),
        store: Store::Database,
        at_start: true,
    },
    Lane {
        name: "indexing",
        every: |_| Duration::from_millis(200),
        run: |state, _| Box::pin(indexing(state)),
        store: Store::Index,
        at_start: true,
    },
    Lane {
        name: "digests",
        every: tick,
        run: |state, _| Box::pin(digests(state)),
        store: Store::Database,
        at_start: true,
    },
    Lane {
        name: "badges",
        every: |_| Duration::from_secs(300),
        run: |state, _| Box::pin(badges(state)),
        store: Store::Database,
        // A scan of the content tables: not while the node is starting.
        at_start: false,
    },
    Lane {
        name: "mail",
        every: |_| Duration::from_millis(500),
        run: |state, _| {
            Box::pin(async move {
                crate::mail::worker::send_pending(state).await?;
                Ok(())
            })
        },
        store: Store::Database,
        at_start: true,
    },
    Lane {
        name: "webhooks",
        every: |_| Duration::from_secs(1),
        run: |state, wait| {
            Box::pin(async move {
                crate::webhooks::worker::deliver_due(state, wait).await?;
                Ok(())
            })
        },
        store: Store::Database,
        at_start: true,
    },
    Lane {
        name: "bookkeeping",
        every: |_| Duration::from_secs(1),
        run: |state, _| {
            Box::pin(async move {
                crate::auth::activity::flush(&state.db, &state.bookkeeping).await?;
                Ok(())
            })
        },
        store: Store::Database,
        at_start: true,
    },
    Lane {
        name: "write-probe",
        every: |_| Duration::from_secs(1),
        run: |state, _| Box::pin(write_probe(state)),
        store: Store::Database,
        at_start: true,
    },
];

async fn publishing(state: &AppState) -> anyhow::Result<()> {
    let published = crate::blog::service::publish_due(&state.db)
        .await
        .map_err(|e| anyhow::Error::new(e).context("publishing scheduled posts"))?;
    if published > 0 {
        tracing::info!(published, "scheduled posts published");
    }
    Ok(())
}

async fn housekeeping(state: &AppState) -> anyhow::Result<()> {
    let removed = sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiresAt.lte(Utc::now()))
        .exec(&state.db)
        .await?
        .rows_affected;
    if removed > 0 {
        tracing::debug!(removed, "expired sessions removed");
    }
    state.throttle.shrink();
    // Another node may have changed them.
    state.company.refresh(&state.db).await?;
    // Search synonyms changed by another process (this one reloads at once).
    crate::search::synonyms::service::reload(&state.db, &state.search).await?;
    // Used and expired password-reset and invitation tokens, a week on.
    account_tokens::Entity::delete_many()
        .filter(account_tokens::Column::ExpiresAt.lte(Utc::now() - chrono::Duration::days(7)))
        .exec(&state.db)
        .await?;
    Ok(())
}

async fn indexing(state: &AppState) -> anyhow::Result<()> {
    if state.search.rebuilding().is_some() {
        // The rebuild reads the outbox position before the data; rows written meanwhile are
        // applied to the new generation once it is in place.
        return Ok(());
    }
    state.search.follow()?;
    let applied = crate::search::indexer::drain(&state.db, &state.search).await?;
    if applied > 0 {
        state.write_health.succeeded(Store::Index);
    }
    Ok(())
}

async fn digests(state: &AppState) -> anyhow::Result<()> {
    let digests =
        crate::notify::digest::queue_due(&state.db, &state.digests_queued, Utc::now()).await?;
    if digests > 0 {
        tracing::info!(digests, "digest emails queued");
    }
    crate::gamification::guru::announce_closed_month(&state.db, &state.guru_announced, Utc::now())
        .await?;
    Ok(())
}

async fn badges(state: &AppState) -> anyhow::Result<()> {
    let badges = crate::gamification::badges::grant_due(&state.db, Utc::now()).await?;
    if badges > 0 {
        tracing::info!(badges, "badges granted");
    }
    Ok(())
}

/// A write only while writes are known to fail: the first one that succeeds clears the fault.
async fn write_probe(state: &AppState) -> anyhow::Result<()> {
    if state.write_health.failing(Store::Database).is_none() {
        return Ok(());
    }
    crate::settings_store::put(
        &state.db,
        &WriteProbe {
            at: Some(Utc::now()),
        },
    )
    .await?;
    state.write_health.succeeded(Store::Database);
    Ok(())
}

/// When this installation last proved it could write (see [`write_probe`]).
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct WriteProbe {
    at: Option<chrono::DateTime<Utc>>,
}

impl crate::settings_store::Setting for WriteProbe {
    const KEY: &'static str = "health.write_probe";
}

/// Runs one round of every lane, waiting for all of it (deliveries included); tests call it to
/// drain background work.
pub async fn run_pending(state: &AppState) -> anyhow::Result<()> {
    for lane in LANES {
        (lane.run)(state, true)
            .await
            .map_err(|e| e.context(format!("background lane {}", lane.name)))?;
    }
    Ok(())
}

/// The running lanes.
pub struct Lanes {
    handles: Vec<JoinHandle<()>>,
    first_rounds: Vec<tokio::sync::oneshot::Receiver<()>>,
}

impl Lanes {
    /// Waits until every lane has done its first round (the start-up work: posts that fell due
    /// while the server was down, the closed month...); tests start acting after it.
    pub async fn first_rounds(&mut self) {
        for done in self.first_rounds.drain(..) {
            let _ = done.await;
        }
    }

    pub fn abort(self) {
        for handle in self.handles {
            handle.abort();
        }
    }
}

/// Starts every lane; the first round of most runs at once, so posts that fell due while the
/// server was down go out at start.
pub fn spawn(state: AppState) -> Lanes {
    let mut lanes = Lanes {
        handles: Vec::new(),
        first_rounds: Vec::new(),
    };
    for lane in LANES {
        let state = state.clone();
        let (first_round, done) = tokio::sync::oneshot::channel();
        lanes.first_rounds.push(done);
        lanes.handles.push(tokio::spawn(async move {
            let every = (lane.every)(&state.settings);
            let first =
                tokio::time::Instant::now() + if lane.at_start { Duration::ZERO } else { every };
            let mut ticker = tokio::time::interval_at(first, every);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut last_error: Option<String> = None;
            let mut first_round = Some(first_round);
            if !lane.at_start {
                let _ = first_round.take().map(|tx| tx.send(()));
            }
            loop {
                ticker.tick().await;
                let result = (lane.run)(&state, false).await;
                report(&state, lane, &result, &mut last_error);
                let _ = first_round.take().map(|tx| tx.send(()));
            }
        }));
    }
    lanes
}

/// Logs a lane's failure once (and again when it changes), its recovery once, and reports a
/// storage fault to `/healthz`.
fn report(
    state: &AppState,
    lane: &Lane,
    result: &anyhow::Result<()>,
    last_error: &mut Option<String>,
) {
    match result {
        Ok(()) => {
            if last_error.take().is_some() {
                tracing::info!(lane = lane.name, "background lane works again");
            }
        }
        Err(e) => {
            if let Some(fault) = Fault::of_anyhow(e) {
                state.write_health.failed(lane.store, fault);
            }
            let message = format!("{e:#}");
            if last_error.as_deref() != Some(message.as_str()) {
                tracing::error!(lane = lane.name, error = message, "background lane failed");
                *last_error = Some(message);
            } else {
                tracing::debug!(lane = lane.name, "background lane failed again");
            }
        }
    }
}
