//! The statuses of posts and questions, as types: every module compares and filters with
//! these instead of restating string literals.
use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// draft -> (in_review -> changes_requested | approved) -> scheduled | published -> archived.
/// An approval publishes (or schedules) at once, so "approved" is a recorded decision rather
/// than a state a post rests in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    Draft,
    InReview,
    ChangesRequested,
    Scheduled,
    Published,
    Archived,
}

impl PostStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::ChangesRequested => "changes_requested",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Draft,
            Self::InReview,
            Self::ChangesRequested,
            Self::Scheduled,
            Self::Published,
            Self::Archived,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }

    /// Readable by every colleague (published, or archived and reachable by its link).
    pub fn is_public(self) -> bool {
        matches!(self, Self::Published | Self::Archived)
    }

    /// States from which the author may publish or submit.
    pub fn is_editable_draft(self) -> bool {
        matches!(self, Self::Draft | Self::ChangesRequested)
    }
}

impl fmt::Display for PostStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A question is open for answers or closed (possibly as a duplicate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    Open,
    Closed,
}

impl QuestionStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}
