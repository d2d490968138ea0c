//! The test harness: every test starts the real application on port 0 with its own database
//! and data directory, and talks to it over HTTP like a browser or an API client would.
//!
//! - SQLite (default): a fresh file in a temporary directory.
//! - PostgreSQL, when `KRING_TEST_DATABASE_URL` is set (e.g. `postgres://postgres@127.0.0.1/postgres`):
//!   a database per test, cloned from a migrated template (`CREATE DATABASE .. TEMPLATE ..`
//!   costs milliseconds, migrating costs more) and dropped when the test ends.
use std::{
    collections::hash_map::DefaultHasher,
    hash::{Hash, Hasher},
    path::PathBuf,
    sync::LazyLock,
};

use kring::{
    auth::{
        service::{self, AccountInput, NewUser},
        types::{Role, Roles, UserId},
    },
    config::{DatabaseUrl, Settings},
    startup::Application,
    state::AppState,
};
use reqwest::{Response, StatusCode, header};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::Value;
use tempfile::TempDir;
use url::Url;

pub const PASSWORD: &str = "a long test password";

static SECRET: &str = "test-secret-key-that-is-long-enough-for-the-cookie-signing-key-0123456789";

pub struct TestApp {
    pub address: String,
    pub state: AppState,
    pub database_url: String,
    pub data_dir: PathBuf,
    _dir: TempDir,
    pg: Option<PgTestDatabase>,
    users: std::sync::atomic::AtomicUsize,
}

/// A test user with the password [`PASSWORD`].
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: i64,
    pub email: String,
}

/// The settings of a test application: its database and data directory, a fixed secret key,
/// a loopback address on a free port and short retry delays. Background lanes keep their
/// 15-second tick, so tests decide when queued work runs (`drain`) unless they shorten it.
pub fn test_settings(database_url: &str, data_dir: PathBuf) -> Settings {
    let mut settings = Settings::with_defaults(
        DatabaseUrl::parse(database_url).expect("test database URL"),
        data_dir,
    );
    settings.bind = "127.0.0.1:0".parse().unwrap();
    settings.base_url = Url::parse("http://127.0.0.1").unwrap();
    settings.base_url_is_default = true;
    settings.secret_key = Some(SECRET.into());
    settings.mail_retry = std::time::Duration::from_millis(100);
    settings.webhook_retry = std::time::Duration::from_millis(100);
    settings.diagnostic_headers = true;
    settings
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns the app after letting the test adjust its settings (e.g. an https base URL).
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let (database_url, pg) = match std::env::var("KRING_TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let db = PgTestDatabase::create(&admin_url).await;
            (db.url.clone(), Some(db))
        }
        _ => (
            format!("sqlite://{}/kring.db?mode=rwc", dir.path().display()),
            None,
        ),
    };
    let mut settings = test_settings(&database_url, dir.path().join("data"));
    adjust(&mut settings);
    let data_dir = settings.data_dir.clone();
    let app = Application::build(settings)
        .await
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let lanes = app.start_lanes().await;
    tokio::spawn(app.serve(lanes));
    TestApp {
        address,
        state,
        database_url,
        data_dir,
        _dir: dir,
        pg,
        users: Default::default(),
    }
}

impl TestApp {
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// A new browser: its own cookie jar, no automatic redirects.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.address)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Creates an active user with these roles, as the command line would.
    pub async fn create_user(&self, roles: &[Role]) -> TestUser {
        let n = self.users.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let email = format!("user{n}@example.com");
        self.create_user_with(&email, &format!("User {n}"), roles)
            .await
    }

    pub async fn create_user_with(&self, email: &str, name: &str, roles: &[Role]) -> TestUser {
        let new = NewUser::parse(
            &AccountInput {
                email: email.into(),
                display_name: name.into(),
                password: PASSWORD.into(),
            },
            Roles::new(roles.iter().copied()),
        )
        .unwrap();
        let user = service::create_user_as_operator(self.db(), new)
            .await
            .unwrap();
        TestUser {
            id: user.id,
            email: user.email,
        }
    }

    /// A user with these roles, logged in through the login form in a new browser.
    pub async fn login_as(&self, roles: &[Role]) -> (Browser, TestUser) {
        let user = self.create_user(roles).await;
        let browser = self.browser();
        let response = browser.login(&user.email, PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "login of {} failed",
            user.email
        );
        (browser, user)
    }

    /// An API token for a new user with these roles.
    pub async fn token_for(&self, roles: &[Role]) -> (String, TestUser) {
        let (browser, user) = self.login_as(roles).await;
        let response = browser
            .post_json("/api/v1/tokens", &serde_json::json!({"name": "test"}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        (body["token"].as_str().unwrap().to_owned(), user)
    }

    /// A new user with these roles and a bearer-token client for them, made without the login
    /// form (so many users do not run into the per-address login throttle).
    pub async fn api_user(&self, roles: &[Role]) -> (ApiClient, TestUser) {
        let user = self.create_user(roles).await;
        (self.client_for(user.id).await, user)
    }

    /// A bearer-token client for an existing, active user.
    pub async fn client_for(&self, user_id: i64) -> ApiClient {
        let current = service::active_user(self.db(), UserId(user_id))
            .await
            .unwrap()
            .expect("the user is active");
        let token = service::create_token(self.db(), &current, "test")
            .await
            .unwrap()
            .token;
        ApiClient::new(self, &token)
    }

    /// Runs all queued background work now.
    pub async fn drain(&self) {
        kring::jobs::run_pending(&self.state)
            .await
            .expect("background jobs succeed");
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let row = self
            .db()
            .query_one_raw(sea_orm::Statement::from_string(
                self.db().get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    pub async fn roles_of(&self, id: i64) -> Roles {
        kring::auth::repo::roles_of(self.db(), UserId(id))
            .await
            .unwrap()
    }

    /// Marks a user as leadership (the CEO): their published posts become announcements.
    pub async fn make_leadership(&self, id: i64) {
        self.exec(&format!(
            "UPDATE users SET is_leadership = true WHERE id = {id}"
        ))
        .await;
    }

    pub async fn exec(&self, sql: &str) {
        self.db().execute_unprepared(sql).await.unwrap();
    }

    /// Sets who needs editorial review: `never`, `non_ambassadors` or `everyone`.
    pub async fn set_review_mode(&self, mode: &str) {
        let mode: kring::blog::types::ReviewMode =
            serde_json::from_value(Value::String(mode.into())).unwrap();
        kring::settings_store::put(self.db(), &kring::blog::types::EditorialReview { mode })
            .await
            .unwrap();
    }

    /// Another application node on the same database (its own data directory), as after a
    /// restart or beside the first node.
    pub async fn second_node(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = test_settings(&self.database_url, dir.path().join("data"));
        settings.smtp_url = self.state.settings.smtp_url.clone();
        let data_dir = settings.data_dir.clone();
        let app = Application::build(settings)
            .await
            .expect("the second node builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let lanes = app.start_lanes().await;
        tokio::spawn(app.serve(lanes));
        TestApp {
            address,
            state,
            database_url: self.database_url.clone(),
            data_dir,
            _dir: dir,
            pg: None,
            users: Default::default(),
        }
    }

    /// A second, empty database of the same kind (for `kring migrate` on a fresh database).
    pub async fn fresh_database_url(&self) -> String {
        match &self.pg {
            Some(pg) => pg.create_empty_sibling().await,
            None => format!("sqlite://{}/fresh.db?mode=rwc", self._dir.path().display()),
        }
    }
}

/// An HTTP client with its own cookies, like one browser.
pub struct Browser {
    pub client: reqwest::Client,
    base: String,
}

/// A client for the test server. The server closes a keep-alive connection after 5 idle
/// seconds (actix-web's default); a client that keeps it longer may send its next request just
/// as the server closes it and get `IncompleteMessage` (seen on a loaded machine). So the
/// client lets idle connections go first.
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().pool_idle_timeout(std::time::Duration::from_secs(2))
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Self {
            client: client_builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .build()
                .unwrap(),
            base: base.to_owned(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_html(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.text().await.unwrap()
    }

    /// The CSRF token of this browser's session, read from a page's form.
    pub async fn csrf_token(&self) -> String {
        // Any page with a form will do; which one renders depends on the app's state.
        for page in ["/login", "/setup", "/account"] {
            let html = self.get(page).await.text().await.unwrap();
            if let Some(token) = extract_csrf(&html) {
                return token;
            }
        }
        panic!("no page with a CSRF token")
    }

    /// POSTs a form with this session's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_form_raw(path, &all).await
    }

    /// POSTs a form exactly as given (no CSRF token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post_form("/login", &[("email", email), ("password", password)])
            .await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .patch(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Creates a draft through the API; returns the post as JSON.
    pub async fn create_post(&self, title: &str, body: &str, tags: &[&str]) -> Value {
        let response = self
            .post_json(
                "/api/v1/posts",
                &serde_json::json!({"title": title, "body": body, "tags": tags}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create {title}");
        response.json().await.unwrap()
    }

    /// Publishes (or submits, or schedules) a post through the API; returns it.
    pub async fn publish(
        &self,
        id: i64,
        scheduled_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Value {
        let response = self
            .post_json(
                &format!("/api/v1/posts/{id}/publish"),
                &serde_json::json!({"scheduled_at": scheduled_at}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "publish {id}");
        response.json().await.unwrap()
    }

    /// Writes and publishes a post; returns it.
    pub async fn publish_post(&self, title: &str, body: &str, tags: &[&str]) -> Value {
        let post = self.create_post(title, body, tags).await;
        self.publish(post["id"].as_i64().unwrap(), None).await
    }

    /// POSTs a multipart form with this session's CSRF token as its first field.
    pub async fn post_multipart(
        &self,
        path: &str,
        file_field: &str,
        filename: &str,
        bytes: Vec<u8>,
    ) -> Response {
        let token = self.csrf_token().await;
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token)
            .part(
                file_field.to_owned(),
                reqwest::multipart::Part::bytes(bytes).file_name(filename.to_owned()),
            );
        self.client
            .post(self.url(path))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.client.delete(self.url(path)).send().await.unwrap()
    }
}

/// A client that authenticates with a bearer token only (no cookies).
#[derive(Clone)]
pub struct ApiClient {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl ApiClient {
    pub fn new(app: &TestApp, token: &str) -> Self {
        Self {
            client: client_builder().build().unwrap(),
            base: app.address.clone(),
            token: token.to_owned(),
        }
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{}", self.base, path))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap()
    }

    /// GETs JSON, insisting on 200.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.unwrap()
    }

    pub async fn send_json(&self, method: reqwest::Method, path: &str, body: &Value) -> Response {
        self.request(method, path).json(body).send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.send_json(reqwest::Method::POST, path, body).await
    }

    pub async fn patch_json(&self, path: &str, body: &Value) -> Response {
        self.send_json(reqwest::Method::PATCH, path, body).await
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Response {
        self.send_json(reqwest::Method::PUT, path, body).await
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(reqwest::Method::DELETE, path)
            .send()
            .await
            .unwrap()
    }
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// Reads a JSON error body and checks its shape.
pub async fn error_code(response: Response) -> String {
    let body: Value = response.json().await.expect("a JSON error body");
    assert!(body["error"]["message"].is_string(), "{body}");
    body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_owned()
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

// ---- PostgreSQL -------------------------------------------------------------------------------

struct PgTestDatabase {
    admin_url: String,
    name: String,
    url: String,
}

/// The template's name changes whenever a migration file changes.
static TEMPLATE_NAME: LazyLock<String> = LazyLock::new(|| {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations/src");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        std::fs::read(&file).unwrap().hash(&mut hasher);
    }
    format!("kring_tpl_{:016x}", hasher.finish())
});

static TEMPLATE_READY: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();

fn with_database(admin_url: &str, name: &str) -> String {
    let mut url = Url::parse(admin_url).expect("KRING_TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

async fn admin_connection(admin_url: &str) -> DatabaseConnection {
    let mut options = sea_orm::ConnectOptions::new(admin_url.to_owned());
    options.max_connections(1).sqlx_logging(false);
    Database::connect(options)
        .await
        .expect("connect to KRING_TEST_DATABASE_URL")
}

impl PgTestDatabase {
    async fn create(admin_url: &str) -> Self {
        TEMPLATE_READY
            .get_or_init(|| ensure_template(admin_url.to_owned()))
            .await;
        let name = format!("kring_test_{}", hex::encode(rand::random::<[u8; 8]>()));
        let admin = admin_connection(admin_url).await;
        admin
            .execute_unprepared(&format!(
                "CREATE DATABASE {name} TEMPLATE {}",
                *TEMPLATE_NAME
            ))
            .await
            .expect("create the test database from the template");
        admin.close().await.ok();
        Self {
            admin_url: admin_url.to_owned(),
            url: with_database(admin_url, &name),
            name,
        }
    }

    async fn create_empty_sibling(&self) -> String {
        let name = format!("{}_fresh", self.name);
        let admin = admin_connection(&self.admin_url).await;
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        admin.close().await.ok();
        with_database(&self.admin_url, &name)
    }
}

/// Creates the migrated template once per schema version; an advisory lock keeps parallel
/// test binaries from building it twice.
async fn ensure_template(admin_url: String) {
    let admin = admin_connection(&admin_url).await;
    admin
        .execute_unprepared("SELECT pg_advisory_lock(7271)")
        .await
        .unwrap();
    let exists = admin
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!(
                "SELECT 1 FROM pg_database WHERE datname = '{}'",
                *TEMPLATE_NAME
            ),
        ))
        .await
        .unwrap()
        .is_some();
    if !exists {
        let building = format!("{}_building", *TEMPLATE_NAME);
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .await
            .unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE {building}"))
            .await
            .unwrap();
        let db = Database::connect(with_database(&admin_url, &building))
            .await
            .unwrap();
        kring::db::migrate(&db).await.expect("migrate the template");
        db.close().await.unwrap();
        admin
            .execute_unprepared(&format!(
                "ALTER DATABASE {building} RENAME TO {}",
                *TEMPLATE_NAME
            ))
            .await
            .unwrap();
        // Templates of older schema versions are of no more use.
        let old = admin
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!(
                    "SELECT datname FROM pg_database WHERE datname LIKE 'kring\\_tpl\\_%' AND datname <> '{}'",
                    *TEMPLATE_NAME
                ),
            ))
            .await
            .unwrap();
        for row in old {
            let name: String = row.try_get_by_index(0).unwrap();
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
    admin
        .execute_unprepared("SELECT pg_advisory_unlock(7271)")
        .await
        .unwrap();
    admin.close().await.ok();
}

impl Drop for PgTestDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let names = [self.name.clone(), format!("{}_fresh", self.name)];
        // Drop runs inside the test's runtime; use a thread with its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let admin = admin_connection(&admin_url).await;
                for name in names {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                }
                admin.close().await.ok();
            });
        })
        .join();
    }
}

/// A `width`×`height` PNG of one colour (photos, covers).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([20, 120, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}
