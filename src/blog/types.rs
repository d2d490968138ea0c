//! The blog's vocabulary: post states, the editorial review setting and parsed input.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::types::{Role, Roles},
    error::{AppError, AppResult, Msg},
    i18n::Lang,
    settings_store::Setting,
};

pub use crate::status::PostStatus;

/// Who needs an editor's approval before a post goes out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewMode {
    /// Every post.
    Everyone,
    /// Posts by anyone who is not an ambassador.
    NonAmbassadors,
    /// No review (the default).
    #[default]
    Never,
}

impl ReviewMode {
    pub fn required_for(self, author_roles: &Roles) -> bool {
        match self {
            Self::Everyone => true,
            Self::NonAmbassadors => !author_roles.contains(Role::Ambassador),
            Self::Never => false,
        }
    }
}

/// The company's editorial review setting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EditorialReview {
    pub mode: ReviewMode,
}

impl Setting for EditorialReview {
    const KEY: &'static str = "editorial_review";
}

/// A post as written: the body of `POST /api/v1/posts`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PostInput {
    pub title: String,
    /// Markdown.
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub language: Option<Lang>,
    /// A short summary; made from the body when left out.
    pub excerpt: Option<String>,
    /// For leadership posts: until when the announcement stays pinned (default 14 days).
    pub announcement_until: Option<DateTime<Utc>>,
    /// The space it is in (one the author is a member of); none: company-wide.
    #[serde(default)]
    pub space_id: Option<i64>,
}

/// Changes to a post (`PATCH`, autosave): fields left out stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PostPatch {
    pub title: Option<String>,
    pub body: Option<String>,
    pub tags: Option<Vec<String>>,
    pub language: Option<Lang>,
    /// An empty string goes back to the automatic excerpt.
    pub excerpt: Option<String>,
    pub announcement_until: Option<DateTime<Utc>>,
}

pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 100_000;
pub const MAX_EXCERPT: usize = 300;

pub fn parse_title(raw: &str) -> AppResult<String> {
    let title = raw.trim();
    if title.is_empty() {
        return Err(AppError::validation("title", Msg::new("err-title-empty")));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(AppError::validation(
            "title",
            Msg::new("err-title-too-long").arg("max", MAX_TITLE),
        ));
    }
    Ok(title.to_owned())
}

pub fn parse_body(raw: &str) -> AppResult<String> {
    if raw.chars().count() > MAX_BODY {
        return Err(AppError::validation(
            "body",
            Msg::new("err-body-too-long").arg("max", MAX_BODY),
        ));
    }
    Ok(raw.replace("\r\n", "\n"))
}

pub fn parse_excerpt(raw: Option<&str>) -> AppResult<Option<String>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) if text.chars().count() > MAX_EXCERPT => Err(AppError::validation(
            "excerpt",
            Msg::new("err-excerpt-too-long").arg("max", MAX_EXCERPT),
        )),
        Some(text) => Ok(Some(text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_modes() {
        let member = Roles::new([]);
        let ambassador = Roles::new([Role::Ambassador]);
        assert!(ReviewMode::Everyone.required_for(&ambassador));
        assert!(ReviewMode::NonAmbassadors.required_for(&member));
        assert!(!ReviewMode::NonAmbassadors.required_for(&ambassador));
        assert!(!ReviewMode::Never.required_for(&member));
        assert_eq!(EditorialReview::default().mode, ReviewMode::Never);
    }

    #[test]
    fn statuses_round_trip() {
        for s in [
            "draft",
            "in_review",
            "changes_requested",
            "scheduled",
            "published",
            "archived",
        ] {
            assert_eq!(PostStatus::parse(s).unwrap().as_str(), s);
        }
        assert!(PostStatus::parse("approved").is_none());
    }
}
