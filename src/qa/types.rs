//! Parsed input for Q&A: what the API and the forms accept, validated once.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    error::{AppError, AppResult, Msg},
    i18n::Lang,
};

pub const MAX_TITLE: usize = 200;
pub const MIN_TITLE: usize = 10;
pub const MAX_BODY: usize = 50_000;
pub const MIN_TAGS: usize = 1;

/// A question as asked: the body of `POST /api/v1/questions`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct QuestionInput {
    pub title: String,
    /// Markdown.
    pub body: String,
    /// One to five tags; synonyms are replaced by their main tag.
    #[serde(default)]
    pub tags: Vec<String>,
    pub language: Option<Lang>,
    /// The space it is in (one the asker is a member of); none: company-wide.
    #[serde(default)]
    pub space_id: Option<i64>,
}

/// Changes to a question: fields left out stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct QuestionPatch {
    pub title: Option<String>,
    pub body: Option<String>,
    pub tags: Option<Vec<String>>,
    pub language: Option<Lang>,
}

/// An answer: the body of `POST /api/v1/questions/{id}/answers` and `PATCH /api/v1/answers/{id}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerInput {
    /// Markdown.
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VoteInput {
    /// 1 (up) or -1 (down).
    pub value: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    Duplicate,
    OffTopic,
}

impl CloseReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Duplicate => "duplicate",
            Self::OffTopic => "off_topic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "duplicate" => Some(Self::Duplicate),
            "off_topic" => Some(Self::OffTopic),
            _ => None,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseInput {
    pub reason: CloseReason,
    /// For `duplicate`: the question this one duplicates.
    pub duplicate_of: Option<i64>,
}

/// How a question list is ordered and filtered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Newest first.
    #[default]
    Newest,
    /// Most recent activity (asked, answered, edited) first.
    Active,
    /// Open questions without an accepted or positively scored (and not outdated) answer,
    /// newest first.
    Unanswered,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Newest, Sort::Active, Sort::Unanswered];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Active => "active",
            Self::Unanswered => "unanswered",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A vote's value: +1 or -1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoteValue(pub i16);

impl VoteValue {
    pub fn parse(value: i64) -> AppResult<Self> {
        match value {
            1 | -1 => Ok(Self(value as i16)),
            _ => Err(AppError::validation("value", Msg::new("err-vote-value"))),
        }
    }
}

pub fn parse_title(raw: &str) -> AppResult<String> {
    let title = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = title.chars().count();
    if len < MIN_TITLE {
        return Err(AppError::validation(
            "title",
            Msg::new("err-question-title-short").arg("min", MIN_TITLE),
        ));
    }
    if len > MAX_TITLE {
        return Err(AppError::validation(
            "title",
            Msg::new("err-title-too-long").arg("max", MAX_TITLE),
        ));
    }
    Ok(title)
}

pub fn parse_body(raw: &str, empty_key: &'static str) -> AppResult<String> {
    let body = raw.replace("\r\n", "\n");
    if body.trim().is_empty() {
        return Err(AppError::validation("body", Msg::new(empty_key)));
    }
    if body.chars().count() > MAX_BODY {
        return Err(AppError::validation(
            "body",
            Msg::new("err-body-too-long").arg("max", MAX_BODY),
        ));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(
            parse_title("  How do I   reach the VPN?  ").unwrap(),
            "How do I reach the VPN?"
        );
        assert!(parse_title("VPN?").is_err());
        assert!(parse_title(&"x".repeat(201)).is_err());
    }

    #[test]
    fn votes_are_plus_or_minus_one() {
        assert_eq!(VoteValue::parse(1).unwrap().0, 1);
        assert_eq!(VoteValue::parse(-1).unwrap().0, -1);
        assert!(VoteValue::parse(0).is_err());
        assert!(VoteValue::parse(2).is_err());
    }

    #[test]
    fn sorts_and_reasons_round_trip() {
        for s in Sort::ALL {
            assert_eq!(Sort::parse(s.as_str()), Some(s));
        }
        assert_eq!(CloseReason::parse("off_topic"), Some(CloseReason::OffTopic));
        assert!(CloseReason::parse("spam").is_none());
    }
}
