//! Keeping search answering when the index fails. A corrupt index is found when it is opened
//! (every file's checksum is verified) or after a search fails (the live generation is verified
//! then). Either way it is rebuilt from the database in the background, and meanwhile searches
//! are answered from the database's plain matching (`fallback`) with a notice, suggestions are
//! empty, the indexer waits, and `/healthz` says `"index": "rebuilding"`.
use std::{panic::AssertUnwindSafe, time::Duration};

use super::{
    boundary::{self, Visible},
    fallback,
    query::{self, SearchParams, SearchResults, Suggestions},
};
use crate::{
    error::{AppError, AppResult},
    spaces::audience::Audience,
    state::AppState,
};

const REBUILDING: &str = "The search index is being rebuilt; these results come from a plain \
                          text match and may miss word forms and typos.";
const FAILED: &str = "The search index could not answer; these results come from a plain text \
                      match and may miss word forms and typos.";

/// Runs `f` on the blocking pool with the index; `Err` when it failed for a reason of the
/// index's own (an internal error or a panic), which the caller answers from elsewhere.
async fn with_index<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&super::index::SearchIndex) -> AppResult<T> + Send + 'static,
) -> Result<AppResult<T>, String> {
    let idx = state.search.clone();
    let outcome =
        tokio::task::spawn_blocking(move || std::panic::catch_unwind(AssertUnwindSafe(|| f(&idx))))
            .await;
    match outcome {
        Ok(Ok(Err(AppError::Internal(e)))) => Err(format!("{e:#}")),
        Ok(Ok(result)) => Ok(result),
        Ok(Err(panic)) => Err(format!("panicked: {}", super::panic_message(&panic))),
        Err(e) => Err(format!("the search task failed: {e}")),
    }
}

/// A search for `audience`: from the index, or from the database while the index is rebuilt or
/// after it failed (which starts a verification). The index keeps to the reader's spaces (one
/// statement reads them), and its hits are checked against the database before they are shown
/// (a second statement), in case the index has not caught up with a move into a closed space.
pub async fn search(
    state: &AppState,
    params: SearchParams,
    audience: Audience,
) -> AppResult<SearchResults> {
    if state.search.rebuilding().is_some() {
        return fallback::search(&state.db, &params, &audience, REBUILDING.into()).await;
    }
    let visible = Visible::of(&state.db, &audience).await?;
    let q = (params.q.clone(), params.kind.clone(), params.page);
    match with_index(state, move |idx| query::search(idx, &params, &visible)).await {
        Ok(result) => {
            let mut results = result?;
            boundary::keep_readable(&state.db, &audience, &mut results.hits, |h| {
                (h.kind.clone(), h.id)
            })
            .await?;
            Ok(results)
        }
        Err(failure) => {
            tracing::error!(error = failure, "a search failed in the index");
            verify_in_background(state);
            let params = SearchParams {
                q: q.0,
                kind: q.1,
                page: q.2,
                ..Default::default()
            };
            fallback::search(&state.db, &params, &audience, FAILED.into()).await
        }
    }
}

/// Suggestions while typing, within the spaces `audience` sees and checked against the
/// database like hits: none while the index is rebuilt or when it fails.
pub async fn suggest(state: &AppState, text: String, audience: Audience) -> AppResult<Suggestions> {
    let none = || Suggestions {
        suggestions: vec![],
    };
    if state.search.rebuilding().is_some() {
        return Ok(none());
    }
    let visible = Visible::of(&state.db, &audience).await?;
    match with_index(state, move |idx| query::suggest(idx, &text, &visible)).await {
        Ok(result) => {
            let mut found = result?;
            boundary::keep_readable(&state.db, &audience, &mut found.suggestions, |s| {
                (s.kind.clone(), s.id)
            })
            .await?;
            Ok(found)
        }
        Err(failure) => {
            tracing::error!(error = failure, "suggestions failed in the index");
            verify_in_background(state);
            Ok(none())
        }
    }
}

/// The ids of questions similar to a title within the spaces `audience` sees, from the index;
/// `Ok(None)` while it is rebuilt or when it fails (the caller matches in the database
/// instead). The caller loads them with the audience's condition.
pub async fn similar(
    state: &AppState,
    title: String,
    audience: &Audience,
) -> AppResult<Option<Vec<i64>>> {
    if state.search.rebuilding().is_some() {
        return Ok(None);
    }
    let visible = Visible::of(&state.db, audience).await?;
    Ok(
        match with_index(state, move |idx| {
            super::similar::similar(idx, &title, 10, &visible)
        })
        .await
        {
            Ok(Ok(ids)) => Some(ids),
            Ok(Err(_)) => None,
            Err(failure) => {
                tracing::error!(error = failure, "similar questions failed in the index");
                verify_in_background(state);
                None
            }
        },
    )
}

/// Verifies the live generation (one verification at a time); a damaged one is rebuilt.
pub fn verify_in_background(state: &AppState) {
    if !state.search.begin_check() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let generation = state.search.current();
        let verified = tokio::task::spawn_blocking(move || {
            std::panic::catch_unwind(AssertUnwindSafe(|| generation.verify()))
        })
        .await;
        let problem = match verified {
            Ok(Ok(Ok(()))) => None,
            Ok(Ok(Err(e))) => Some(format!("{e:#}")),
            Ok(Err(panic)) => Some(format!("panicked: {}", super::panic_message(&panic))),
            Err(e) => Some(format!("the check failed: {e}")),
        };
        match problem {
            Some(problem) => rebuild_in_background(&state, &format!("corrupt: {problem}")),
            None => tracing::warn!("a search failed, but every file of the index checks out"),
        }
        state.search.end_check();
    });
}

/// Rebuilds the index from the database in the background, unless a rebuild is under way;
/// retried every 30 seconds until it succeeds.
pub fn rebuild_in_background(state: &AppState, reason: &str) {
    if !state.search.begin_rebuild(reason) {
        return;
    }
    tracing::warn!(
        reason,
        "rebuilding the search index; searches come from the database meanwhile"
    );
    let state = state.clone();
    tokio::spawn(async move {
        let lock = state.search.rebuild_lock();
        let _held = lock.lock().await;
        loop {
            let started = std::time::Instant::now();
            match super::indexer::rebuild(&state.db, &state.search).await {
                Ok(documents) => {
                    tracing::info!(
                        documents,
                        ms = started.elapsed().as_millis() as u64,
                        "search index rebuilt"
                    );
                    break;
                }
                Err(e) => {
                    tracing::error!(
                        error = format!("{e:#}"),
                        "rebuilding the search index failed; trying again in 30 s"
                    );
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
            }
        }
        state.search.end_rebuild();
    });
}

/// Waits until no rebuild is under way, at most `limit`; whether none is.
pub async fn wait_rebuilt(state: &AppState, limit: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + limit;
    while state.search.rebuilding().is_some() {
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    true
}
