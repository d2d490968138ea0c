//! One error type for the whole application.
//!
//! Services return [`AppError`]; it answers as JSON (`{"error": {"code", "message"}}`) by itself,
//! and [`crate::web::errors`] turns the same error into an HTML page for requests outside `/api`.
//! Internal errors are logged with their whole cause chain and shown without detail.
use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::{Lang, tr, tr_args};

pub type AppResult<T> = Result<T, AppError>;

/// A message for people: a key into the translation catalogues plus its variables. The API
/// shows it in English, pages in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Self {
        Self { key, args: vec![] }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn text(&self, lang: Lang) -> String {
        tr_args(lang, self.key, &self.args)
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed (unparsable JSON, a wrong query parameter).
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed input that breaks a rule; `field` names the offending input when known.
    #[error("{msg}")]
    Validation {
        field: Option<&'static str>,
        msg: Msg,
    },
    #[error("you need to log in")]
    Unauthenticated,
    /// A failed login: the same answer for a wrong password, an unknown email and a
    /// deactivated account.
    #[error("invalid email or password")]
    InvalidCredentials,
    #[error("{0}")]
    Forbidden(Msg),
    #[error("the CSRF token is missing or invalid; reload the page and try again")]
    Csrf,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(Msg),
    #[error("too many attempts; try again in {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn validation(field: &'static str, msg: Msg) -> Self {
        Self::Validation {
            field: Some(field),
            msg,
        }
    }

    pub fn conflict(key: &'static str) -> Self {
        Self::Conflict(Msg::new(key))
    }

    pub fn forbidden() -> Self {
        Self::Forbidden(Msg::new("err-forbidden"))
    }

    /// The stable machine-readable code of the JSON error body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::Validation { .. } => "validation_failed",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden(_) => "forbidden",
            Self::Csrf => "csrf_failed",
            Self::NotFound => "not_found",
            Self::Conflict(_) => "conflict",
            Self::TooManyRequests { .. } => "rate_limited",
            Self::Internal(_) => "internal",
        }
    }

    /// The message shown to people, in `lang` where translated; internal details stay in the
    /// log.
    pub fn message_in(&self, lang: Lang) -> String {
        match self {
            Self::Internal(_) => tr(lang, "err-internal"),
            Self::Validation { msg, .. } | Self::Forbidden(msg) | Self::Conflict(msg) => {
                msg.text(lang)
            }
            Self::InvalidCredentials => tr(lang, "err-invalid-credentials"),
            other => other.to_string(),
        }
    }

    pub fn public_message(&self) -> String {
        self.message_in(Lang::En)
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Internal(anyhow::Error::new(err).context("database error"))
    }
}

impl From<actix_web::error::HttpError> for AppError {
    fn from(err: actix_web::error::HttpError) -> Self {
        Self::Internal(anyhow::anyhow!("HTTP error: {err}"))
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(e) => e.into(),
            sea_orm::TransactionError::Transaction(e) => e,
        }
    }
}

/// The JSON error body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code, e.g. `not_found`, `validation_failed`, `rate_limited`.
    pub code: String,
    pub message: String,
    /// The input field at fault, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::Csrf => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(err) = self {
            tracing::error!(error = format!("{err:#}"), "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let Self::TooManyRequests { retry_after } = self {
            response.insert_header(("Retry-After", retry_after.to_string()));
        }
        if let Self::Unauthenticated = self {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(ErrorBody {
            error: ErrorDetail {
                code: self.code().into(),
                message: self.public_message(),
                field: match self {
                    Self::Validation { field, .. } => field.map(str::to_owned),
                    _ => None,
                },
            },
        })
    }
}
