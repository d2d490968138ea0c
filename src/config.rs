//! Settings: defaults < `kring.toml` < `KRING_*` environment variables.
//!
//! Everything is validated once, here, so the rest of the program works with parsed values
//! (`SocketAddr`, `Url`, ...) and a bad value stops the start with one clear line that names the
//! variable that holds it.
use std::{
    fmt,
    net::SocketAddr,
    path::{Path, PathBuf},
};

use figment::{
    Figment, Metadata,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};
use url::Url;

/// The keys a `kring.toml` (lower case) or the environment (`KRING_` + upper case) may set.
const KEYS: [&str; 14] = [
    "database_url",
    "data_dir",
    "bind",
    "base_url",
    "smtp_url",
    "secret_key",
    "mail_from",
    "mail_retry_seconds",
    "webhook_retry_seconds",
    "job_tick_seconds",
    "oidc_issuer",
    "oidc_client_id",
    "oidc_client_secret",
    "language_dir",
];

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/kring.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080";
pub const DEFAULT_MAIL_FROM: &str = "Kring <kring@localhost>";

/// Settings as written by people: strings, before validation.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RawSettings {
    database_url: String,
    data_dir: PathBuf,
    bind: String,
    base_url: String,
    smtp_url: Option<String>,
    secret_key: Option<String>,
    mail_from: String,
    mail_retry_seconds: f64,
    webhook_retry_seconds: f64,
    job_tick_seconds: f64,
    oidc_issuer: Option<String>,
    oidc_client_id: Option<String>,
    oidc_client_secret: Option<String>,
    language_dir: Option<PathBuf>,
}

impl Default for RawSettings {
    fn default() -> Self {
        Self {
            database_url: DEFAULT_DATABASE_URL.into(),
            data_dir: PathBuf::from("data"),
            bind: DEFAULT_BIND.into(),
            base_url: DEFAULT_BASE_URL.into(),
            smtp_url: None,
            secret_key: None,
            mail_from: DEFAULT_MAIL_FROM.into(),
            mail_retry_seconds: 30.0,
            webhook_retry_seconds: 60.0,
            job_tick_seconds: 15.0,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            language_dir: None,
        }
    }
}

/// Validated settings.
#[derive(Clone)]
pub struct Settings {
    pub database: DatabaseUrl,
    pub data_dir: PathBuf,
    pub bind: SocketAddr,
    pub base_url: Url,
    /// True when `base_url` was not configured, so the start-up line can show the real address.
    pub base_url_is_default: bool,
    pub smtp_url: Option<Url>,
    pub secret_key: Option<String>,
    /// The sender of every email.
    pub mail_from: lettre::message::Mailbox,
    /// The first retry delay of a failed email; it doubles with every attempt.
    pub mail_retry: std::time::Duration,
    /// The first retry delay of a failed webhook delivery; it doubles with every attempt.
    pub webhook_retry: std::time::Duration,
    /// How often the background lanes run (publishing, digests, webhooks, housekeeping); a
    /// scheduled post goes out at most this late.
    pub job_tick: std::time::Duration,
    /// Answers every request with diagnostic headers: `X-Kring-Statements`, how many database
    /// statements it ran, and `X-Kring-Route`, the registry pattern that served it. Not
    /// configurable from outside: tests and benchmarks turn it on.
    pub diagnostic_headers: bool,
    /// Company sign-in as set by the environment (`KRING_OIDC_*`); each value set here wins
    /// over what an admin saved.
    pub oidc: OidcEnv,
    /// Where search's language data is read from (`KRING_LANGUAGE_DIR`); by default
    /// `assets/lang` of the installation. A folder without it leaves search with stemming only.
    pub language_dir: Option<PathBuf>,
}

/// `KRING_OIDC_ISSUER`, `KRING_OIDC_CLIENT_ID`, `KRING_OIDC_CLIENT_SECRET`.
#[derive(Clone, Default)]
pub struct OidcEnv {
    pub issuer: Option<Url>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

impl fmt::Debug for OidcEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcEnv")
            .field("issuer", &self.issuer.as_ref().map(Url::as_str))
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<set>"),
            )
            .finish()
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database", &self.database)
            .field("data_dir", &self.data_dir)
            .field("bind", &self.bind)
            .field("base_url", &self.base_url.as_str())
            .field("smtp_url", &self.smtp_url.as_ref().map(redact))
            .field("secret_key", &self.secret_key.as_ref().map(|_| "<set>"))
            .field("oidc", &self.oidc)
            .finish()
    }
}

/// The database the settings point at.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    url: String,
    pub backend: Backend,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl DatabaseUrl {
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        let scheme = value.split_once(':').map(|(s, _)| s).unwrap_or_default();
        let backend = match scheme {
            "sqlite" => Backend::Sqlite,
            "postgres" | "postgresql" => Backend::Postgres,
            "" => {
                return Err(format!(
                    "'{value}' is not a database URL; expected sqlite://PATH?mode=rwc or postgres://USER@HOST/DB"
                ));
            }
            other => {
                return Err(format!(
                    "unsupported database '{other}'; expected sqlite://PATH?mode=rwc or postgres://USER@HOST/DB"
                ));
            }
        };
        match backend {
            Backend::Sqlite => {
                let path = value.trim_start_matches("sqlite:").trim_start_matches("//");
                let path = path.split('?').next().unwrap_or_default();
                if path.is_empty() {
                    return Err(
                        "the sqlite URL has no file path (e.g. sqlite://data/kring.db?mode=rwc)"
                            .into(),
                    );
                }
            }
            Backend::Postgres => {
                let url = Url::parse(value).map_err(|e| format!("unparsable URL: {e}"))?;
                if url.host_str().is_none_or(str::is_empty) {
                    return Err("the postgres URL has no host".into());
                }
                if url.path().trim_start_matches('/').is_empty() {
                    return Err(
                        "the postgres URL names no database (postgres://USER@HOST/DB)".into(),
                    );
                }
            }
        }
        Ok(Self {
            url: value.to_string(),
            backend,
        })
    }

    /// The full URL, with password, for the driver only.
    pub fn expose(&self) -> &str {
        &self.url
    }

    /// The file of an SQLite database (None for PostgreSQL or an in-memory database).
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        if self.backend != Backend::Sqlite {
            return None;
        }
        let path = self
            .url
            .trim_start_matches("sqlite:")
            .trim_start_matches("//");
        let path = path.split('?').next().unwrap_or_default();
        (path != ":memory:").then(|| PathBuf::from(path))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Url::parse(&self.url) {
            Ok(url) if self.backend == Backend::Postgres => f.write_str(&redact(&url)),
            _ => f.write_str(&self.url),
        }
    }
}

/// A URL without its password, for messages and logs.
pub fn redact(url: &Url) -> String {
    let mut url = url.clone();
    if url.password().is_some() {
        let _ = url.set_password(Some("***"));
    }
    url.to_string()
}

/// A configuration problem, naming where the bad value came from.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {message}")]
pub struct ConfigError {
    pub source_name: String,
    pub message: String,
}

impl Settings {
    /// Reads `kring.toml` (or the file named by `KRING_CONFIG`) and the environment.
    pub fn load(config_file: Option<&Path>) -> Result<Self, ConfigError> {
        let file = config_file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("KRING_CONFIG").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("kring.toml"));
        let figment = Figment::new()
            .merge(Serialized::defaults(RawSettings::default()))
            .merge(Toml::file(&file))
            .merge(Env::prefixed("KRING_").only(&KEYS));
        Self::from_figment(&figment)
    }

    fn from_figment(figment: &Figment) -> Result<Self, ConfigError> {
        let raw: RawSettings = figment.extract().map_err(|e| {
            let key = e.path.first().cloned().unwrap_or_default();
            ConfigError {
                source_name: source_name(figment, &key),
                message: e.kind.to_string(),
            }
        })?;
        let fail = |key: &str, message: String| ConfigError {
            source_name: source_name(figment, key),
            message,
        };
        let database =
            DatabaseUrl::parse(&raw.database_url).map_err(|m| fail("database_url", m))?;
        let bind: SocketAddr = raw.bind.trim().parse().map_err(|_| {
            fail(
                "bind",
                format!("'{}' is not an address like 127.0.0.1:8080", raw.bind),
            )
        })?;
        let base_url = parse_http_url(&raw.base_url).map_err(|m| fail("base_url", m))?;
        let smtp_url = match raw.smtp_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(value) => {
                let url = Url::parse(value)
                    .map_err(|e| fail("smtp_url", format!("unparsable URL: {e}")))?;
                if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none() {
                    return Err(fail(
                        "smtp_url",
                        "expected smtp://HOST:PORT or smtps://USER:PASSWORD@HOST".into(),
                    ));
                }
                Some(url)
            }
        };
        let secret_key = match raw.secret_key {
            Some(key) if key.trim().is_empty() => None,
            Some(key) if key.len() < 32 => {
                return Err(fail(
                    "secret_key",
                    "must be at least 32 characters of random text".into(),
                ));
            }
            other => other,
        };
        let mail_from: lettre::message::Mailbox = raw.mail_from.trim().parse().map_err(|e| {
            fail(
                "mail_from",
                format!(
                    "'{}' is not an address like Kring <kring@example.com>: {e}",
                    raw.mail_from
                ),
            )
        })?;
        let seconds = |key: &str, value: f64| {
            if value.is_finite() && value > 0.0 && value < 1e9 {
                Ok(std::time::Duration::from_secs_f64(value))
            } else {
                Err(fail(key, "must be a positive number of seconds".into()))
            }
        };
        let mail_retry = seconds("mail_retry_seconds", raw.mail_retry_seconds)?;
        let webhook_retry = seconds("webhook_retry_seconds", raw.webhook_retry_seconds)?;
        let job_tick = seconds("job_tick_seconds", raw.job_tick_seconds)?;
        let non_empty =
            |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let oidc = OidcEnv {
            issuer: non_empty(raw.oidc_issuer)
                .map(|v| parse_http_url(&v))
                .transpose()
                .map_err(|m| fail("oidc_issuer", m))?,
            client_id: non_empty(raw.oidc_client_id),
            client_secret: non_empty(raw.oidc_client_secret),
        };
        if raw.data_dir.as_os_str().is_empty() {
            return Err(fail("data_dir", "must not be empty".into()));
        }
        Ok(Self {
            database,
            data_dir: raw.data_dir,
            bind,
            base_url_is_default: raw.base_url == DEFAULT_BASE_URL,
            base_url,
            smtp_url,
            secret_key,
            mail_from,
            mail_retry,
            webhook_retry,
            job_tick,
            diagnostic_headers: false,
            oidc,
            language_dir: raw.language_dir.filter(|d| !d.as_os_str().is_empty()),
        })
    }

    /// The defaults, with this database and data directory (tests and tools adjust the rest).
    pub fn with_defaults(database: DatabaseUrl, data_dir: PathBuf) -> Self {
        let figment = Figment::new().merge(Serialized::defaults(RawSettings::default()));
        let mut settings = Self::from_figment(&figment).expect("the defaults are valid");
        settings.database = database;
        settings.data_dir = data_dir;
        settings
    }

    /// Whether cookies must be `Secure`.
    pub fn https(&self) -> bool {
        self.base_url.scheme() == "https"
    }
}

pub fn parse_http_url(value: &str) -> Result<Url, String> {
    let url = Url::parse(value.trim()).map_err(|e| format!("'{value}' is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "'{value}' must be an http:// or https:// URL with a host"
        ));
    }
    Ok(url)
}

/// "KRING_BIND" when the environment set the value, "bind in kring.toml" for the file.
fn source_name(figment: &Figment, key: &str) -> String {
    let env_name = format!("KRING_{}", key.to_uppercase());
    match figment.find_metadata(key) {
        Some(Metadata {
            source: Some(figment::Source::File(path)),
            ..
        }) => format!("{key} in {}", path.display()),
        Some(meta) if meta.name.contains("default") => format!("{env_name} (default)"),
        _ => env_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let mut figment = Figment::new().merge(Serialized::defaults(RawSettings::default()));
        for (k, v) in vars {
            figment = figment.merge((k.to_string(), v.to_string()));
        }
        Settings::from_figment(&figment)
    }

    #[test]
    fn defaults_are_valid() {
        let s = load(&[]).unwrap();
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(s.database.backend, Backend::Sqlite);
        assert_eq!(
            s.database.sqlite_path().unwrap(),
            PathBuf::from("data/kring.db")
        );
        assert!(s.base_url_is_default);
        assert!(!s.https());
    }

    #[test]
    fn bad_values_name_their_variable() {
        let e = load(&[("database_url", "mysql://x/y")]).unwrap_err();
        assert!(e.to_string().starts_with("KRING_DATABASE_URL"), "{e}");
        let e = load(&[("database_url", "nonsense")]).unwrap_err();
        assert!(e.to_string().contains("not a database URL"), "{e}");
        let e = load(&[("bind", "localhost")]).unwrap_err();
        assert!(e.to_string().starts_with("KRING_BIND"), "{e}");
        let e = load(&[("base_url", "ftp://x")]).unwrap_err();
        assert!(e.to_string().starts_with("KRING_BASE_URL"), "{e}");
        let e = load(&[("secret_key", "short")]).unwrap_err();
        assert!(e.to_string().starts_with("KRING_SECRET_KEY"), "{e}");
        let e = load(&[("webhook_retry_seconds", "0")]).unwrap_err();
        assert!(
            e.to_string().starts_with("KRING_WEBHOOK_RETRY_SECONDS"),
            "{e}"
        );
        let e = load(&[("job_tick_seconds", "-1")]).unwrap_err();
        assert!(e.to_string().starts_with("KRING_JOB_TICK_SECONDS"), "{e}");
        let e = load(&[("smtp_url", "http://mail")]).unwrap_err();
        assert!(e.to_string().starts_with("KRING_SMTP_URL"), "{e}");
    }

    #[test]
    fn postgres_password_is_redacted() {
        let s = load(&[("database_url", "postgres://kring:hunter2@db/kring")]).unwrap();
        assert_eq!(s.database.backend, Backend::Postgres);
        assert!(!s.database.to_string().contains("hunter2"));
        assert!(s.database.expose().contains("hunter2"));
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
