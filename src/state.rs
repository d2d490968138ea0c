//! Shared application state, cloned into every worker.
use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use actix_web::cookie::Key;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::{
    auth::throttle::LoginThrottle, config::Settings, entities::prelude::Users,
    i18n::resolve::Templates, search::index::SearchIndex,
};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub templates: Arc<Templates>,
    pub throttle: Arc<LoginThrottle>,
    /// Signs session cookies; derived from the secret key.
    pub cookie_key: Key,
    /// Fingerprint of the static assets, for cache-busting URLs.
    pub asset_version: String,
    /// The search index and its writer (one per node).
    pub search: SearchIndex,
    /// The outcome of the last real writes, for `/healthz`.
    pub write_health: Arc<crate::health::WriteHealth>,
    /// The company's default language and time zone (this node's copy).
    pub company: Arc<crate::company::Defaults>,
    /// The limits on webhook deliveries in flight.
    pub webhooks: Arc<crate::webhooks::worker::Dispatcher>,
    /// Weekly activity and token uses noted by requests, written by the `bookkeeping` lane
    /// (see `auth::activity`).
    pub bookkeeping: Arc<crate::auth::activity::Bookkeeping>,
    /// The digest periods this process has queued already (see `notify::digest`).
    pub digests_queued: Arc<LastDone>,
    /// The month whose Social Guru nominations this process has announced already.
    pub guru_announced: Arc<LastDone>,
    /// The most used tags, which the home page offers a new member (this node's copy).
    pub popular_tags: Arc<crate::tags::popular::PopularTags>,
    setup_done: Arc<AtomicBool>,
}

impl AppState {
    /// Hands search the company's synonyms again after a tag's synonyms changed (a tag and its
    /// synonyms are a search synonym group): the next search uses them.
    pub async fn refresh_search_synonyms(&self) -> Result<(), sea_orm::DbErr> {
        crate::search::synonyms::service::reload(&self.db, &self.search).await
    }

    pub fn new(
        db: DatabaseConnection,
        settings: Settings,
        templates: Templates,
        cookie_key: Key,
        asset_version: String,
        search: SearchIndex,
    ) -> Self {
        Self {
            db,
            settings: Arc::new(settings),
            templates: Arc::new(templates),
            throttle: Arc::new(LoginThrottle::default()),
            cookie_key,
            asset_version,
            search,
            write_health: Arc::default(),
            company: Arc::default(),
            webhooks: Arc::default(),
            bookkeeping: Arc::default(),
            digests_queued: Arc::default(),
            guru_announced: Arc::default(),
            popular_tags: Arc::default(),
            setup_done: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Whether the first administrator exists. Once true it stays true, so only an empty
    /// database costs a query per request.
    pub async fn setup_done(&self) -> Result<bool, sea_orm::DbErr> {
        if self.setup_done.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let done = Users::find().count(&self.db).await? > 0;
        if done {
            self.setup_done.store(true, Ordering::Relaxed);
        }
        Ok(done)
    }
}

/// The label of the last period a periodic job finished in this application state (a day, a
/// week, a month), so it skips work it has done; a job's own dedupe keys guard across
/// processes.
#[derive(Debug, Default)]
pub struct LastDone(std::sync::Mutex<Option<String>>);

impl LastDone {
    pub fn is(&self, label: &str) -> bool {
        self.0
            .lock()
            .is_ok_and(|done| done.as_deref() == Some(label))
    }

    pub fn set(&self, label: String) {
        if let Ok(mut done) = self.0.lock() {
            *done = Some(label);
        }
    }
}
