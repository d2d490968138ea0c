//! Building the application: database, templates, keys, routes and middleware, bound to a
//! listener (port 0 in tests), plus the background jobs.
use std::{
    net::{SocketAddr, TcpListener},
    path::{Path, PathBuf},
};

use actix_files::Files;
use actix_web::{
    App, HttpServer,
    cookie::Key,
    dev::Server,
    http::Method,
    middleware::{Compress, from_fn},
    web,
};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::{
    admin, auth, blog,
    config::Settings,
    db, jobs, openapi, people, qa, site,
    state::AppState,
    web::{
        caching, csrf, errors,
        routes::{Access, Kind, RouteInfo, Routes},
        security, session, templates,
    },
};

pub struct Application {
    server: Server,
    addr: SocketAddr,
    state: AppState,
}

/// Derives the excerpts and reading times that rows written before they were kept lack
/// (`content::derived`); lists derive them on read until then.
fn fill_derived_in_background(state: &AppState) {
    let db = state.db.clone();
    tokio::spawn(async move {
        match crate::content::derived::fill_missing(&db).await {
            Ok(0) => {}
            Ok(filled) => tracing::info!(
                filled,
                "derived the excerpts of earlier posts and questions"
            ),
            Err(e) => {
                tracing::warn!(error = %e, "cannot derive the excerpts of earlier posts and questions")
            }
        }
    });
}

impl Application {
    /// Prepares the data directory, connects and migrates the database, and binds the server.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        crate::effects::install();
        crate::auth::viewer::install_nav_counts(nav_count_exprs);
        prepare_data_dir(&settings.data_dir)?;
        let db = db::connect(&settings.database).await?;
        db::migrate(&db).await?;
        let resources = templates::resources_dir();
        let tera = templates::load(&resources)?;
        let asset_version = templates::asset_version(&resources);
        let key = cookie_key(&settings)?;
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("cannot listen on {} (KRING_BIND)", settings.bind))?;
        let addr = listener.local_addr()?;
        let language =
            crate::search::language::Language::shared(&crate::search::language::dir(&settings));
        let search =
            crate::search::index::SearchIndex::open(&settings.data_dir.join("index"), language)
                .context("cannot open the search index (KRING_DATA_DIR/index)")?;
        let fresh = search.fresh;
        let state = AppState::new(db, settings, tera, key, asset_version, search);
        state.company.refresh(&state.db).await?;
        crate::search::synonyms::service::reload(&state.db, &state.search).await?;
        if fresh {
            // A lost or corrupt index is rebuilt in the background; a small one is ready before
            // the server listens, a large one answers from the database meanwhile.
            crate::search::recovery::rebuild_in_background(
                &state,
                "missing, unreadable or corrupt at start",
            );
            crate::search::recovery::wait_rebuilt(&state, std::time::Duration::from_secs(5)).await;
        }
        fill_derived_in_background(&state);
        let server = server(listener, state.clone(), resources)?;
        Ok(Self {
            server,
            addr,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The address to open in a browser.
    pub fn url(&self) -> String {
        if self.state.settings.base_url_is_default {
            format!("http://{}", self.addr)
        } else {
            self.state
                .settings
                .base_url
                .as_str()
                .trim_end_matches('/')
                .to_owned()
        }
    }

    /// Serves until the process is asked to stop, running the background lanes beside it.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let lanes = jobs::spawn(self.state.clone());
        self.serve(lanes).await
    }

    /// Starts the background lanes and waits for their first round (tests begin after the
    /// start-up work, as a person would); then [`Application::serve`] with them.
    pub async fn start_lanes(&self) -> jobs::Lanes {
        let mut lanes = jobs::spawn(self.state.clone());
        lanes.first_rounds().await;
        lanes
    }

    /// Serves until the process is asked to stop, then stops the lanes.
    pub async fn serve(self, lanes: jobs::Lanes) -> anyhow::Result<()> {
        let result = self.server.await;
        lanes.abort();
        // What requests noted in their last second (weekly activity, token uses).
        if let Err(e) = crate::auth::activity::flush(&self.state.db, &self.state.bookkeeping).await
        {
            tracing::warn!(error = %e, "cannot write the last bookkeeping notes");
        }
        result.context("the web server stopped with an error")
    }
}

fn prepare_data_dir(dir: &Path) -> anyhow::Result<()> {
    for sub in [dir.to_path_buf(), dir.join("uploads")] {
        std::fs::create_dir_all(&sub).with_context(|| {
            format!(
                "cannot create the data directory {} (KRING_DATA_DIR)",
                sub.display()
            )
        })?;
    }
    Ok(())
}

/// The key that signs cookies: from `KRING_SECRET_KEY`, else from `secret_key` in the data
/// directory, created with random bytes on first start.
fn cookie_key(settings: &Settings) -> anyhow::Result<Key> {
    if let Some(secret) = &settings.secret_key {
        return Ok(Key::derive_from(secret.as_bytes()));
    }
    let path = settings.data_dir.join("secret_key");
    let secret = match std::fs::read_to_string(&path) {
        Ok(s) if s.trim().len() >= 64 => s.trim().to_owned(),
        Ok(_) => anyhow::bail!(
            "{} is too short; delete it to generate a new key",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let secret = hex::encode(rand::random::<[u8; 64]>());
            write_private(&path, &secret)?;
            tracing::info!(path = %path.display(), "generated a new secret key");
            secret
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    Ok(Key::derive_from(secret.as_bytes()))
}

fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(content.as_bytes())?;
    Ok(())
}

/// Every route of the app, in matching order (the first match wins): the route registry.
pub fn declare_routes(r: &mut Routes) {
    r.kind(Kind::Asset)
        .access(Access::Public)
        .served_elsewhere(Method::GET, "/assets/{path:.*}")
        .group("/api/v1", Kind::Json, |r| {
            r.access(Access::Public)
                .get("/openapi.json", openapi::openapi_json)
                .access(Access::Member)
                .with(auth::api::configure)
                .with(admin::api::configure)
                .with(crate::sso::api::configure)
                .with(crate::scim::admin::configure_api)
                .with(crate::spaces::api::configure)
                .with(blog::api::configure)
                .with(qa::tag_routes::configure_api)
                .with(crate::search::api::configure_similar)
                .with(qa::api::configure)
                .with(people::api::configure)
                .with(crate::search::synonyms::routes::configure_api)
                .with(crate::search::api::configure_api)
                .with(crate::notify::api::configure)
                .with(crate::gamification::api::configure)
                .with(crate::kpi::api::configure)
                .with(crate::mail::admin::configure_api)
                .with(crate::webhooks::api::configure);
        })
        .group("/scim/v2", Kind::Scim, crate::scim::routes::configure)
        .group("", Kind::Html, |r| {
            r.with(site::routes::configure)
                .with(auth::routes::configure)
                .with(admin::routes::configure)
                .with(crate::sso::routes::configure)
                .with(crate::scim::admin::configure_pages)
                // Feeds before the blog's catch-all `/blog/{slug}`.
                .with(blog::feeds::configure)
                .with(qa::tag_routes::configure_pages)
                .with(qa::routes::configure)
                .with(people::routes::configure)
                .with(crate::search::synonyms::routes::configure_pages)
                .with(crate::search::api::configure_pages)
                .with(crate::notify::routes::configure)
                .with(crate::mail::admin::configure_pages)
                .with(crate::webhooks::routes::configure)
                .with(site::spaces::configure)
                .with(crate::gamification::routes::configure)
                .with(crate::kpi::routes::configure)
                .with(blog::routes::configure);
        });
}

/// The navigation counts of a signed-in user, as columns of the statement that reads the
/// session (see `auth::viewer`): unread notifications, and the posts waiting for a moderator's
/// review.
fn nav_count_exprs(user_id: sea_orm::sea_query::SimpleExpr) -> [sea_orm::sea_query::SimpleExpr; 2] {
    [
        crate::notify::service::unread_count_expr(user_id.clone()),
        blog::repo::waiting_for_review_expr(user_id),
    ]
}

/// What no route serves: SCIM answers in its own format, everything else is "not found".
async fn not_served(req: actix_web::HttpRequest) -> actix_web::Result<actix_web::HttpResponse> {
    use actix_web::FromRequest;
    if req.path().starts_with("/scim/") {
        // Before anything reads the bearer token as a person's API token.
        return Ok(crate::scim::routes::fallback(req).await);
    }
    let user = crate::auth::current_user::MaybeUser::extract(&req).await?;
    Ok(errors::not_found(user).await?)
}

/// The route registry as a list.
pub fn route_registry() -> Vec<RouteInfo> {
    let mut routes = Routes::listing();
    declare_routes(&mut routes);
    routes.into_list()
}

fn server(listener: TcpListener, state: AppState, resources: PathBuf) -> anyhow::Result<Server> {
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let state = data.get_ref();
        let https = state.settings.https();
        App::new()
            .app_data(data.clone())
            .configure(errors::configure_extractors)
            // Innermost first. CSRF needs the session; error pages are rendered inside the
            // session too, so they can show the logged-in navigation. Text no one may store
            // is refused after CSRF, before any handler.
            .wrap(from_fn(crate::web::text_guard::guard))
            .wrap(from_fn(crate::scim::routes::text_guard))
            .wrap(from_fn(csrf::guard))
            .wrap(from_fn(errors::record_storage_faults))
            .wrap(errors::html_error_pages())
            .wrap(session::middleware(
                state.db.clone(),
                state.cookie_key.clone(),
                https,
            ))
            // The slot where the session's statement leaves the user (outside the session).
            .wrap(from_fn(crate::auth::viewer::scope))
            .wrap(from_fn(site::routes::setup_redirect))
            .wrap(security::headers(https))
            .wrap(Compress::default())
            .wrap(from_fn(caching::compress_only_where_safe))
            .wrap(TracingLogger::<crate::web::request_log::RedactingRootSpan>::new())
            .wrap(from_fn(crate::web::statements::count))
            .service(
                web::scope("/assets")
                    .wrap(from_fn(caching::asset_cache))
                    .service(
                        Files::new("", resources.join("assets"))
                            .path_filter(|path, _| !path.starts_with("locales"))
                            .use_etag(true)
                            .use_last_modified(true),
                    ),
            )
            .configure(|cfg| declare_routes(&mut Routes::new(cfg)))
            .default_service(web::to(not_served))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
