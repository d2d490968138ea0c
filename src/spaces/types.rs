//! Kinds, roles and the views of spaces.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, Msg};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SpaceKind {
    /// Anyone may join and read.
    Open,
    /// Anyone sees it exists; joining needs approval; content for members only.
    Closed,
    /// Invisible to non-members.
    Secret,
}

impl SpaceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Secret => "secret",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, AppError> {
        match raw {
            "open" => Ok(Self::Open),
            "closed" => Ok(Self::Closed),
            "secret" => Ok(Self::Secret),
            _ => Err(AppError::validation("kind", Msg::new("err-space-kind"))),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpaceRole {
    Member,
    /// Manages members and join requests and moderates the space.
    Moderator,
}

impl SpaceRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Moderator => "moderator",
        }
    }

    pub fn parse(raw: &str) -> Self {
        if raw == "moderator" {
            Self::Moderator
        } else {
            Self::Member
        }
    }
}

/// A space as its reader may see it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SpaceView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// `nl` or `en`, when the space has one language.
    pub language: Option<String>,
    pub kind: SpaceKind,
    pub member_count: u64,
    /// The reader's role, when a member.
    pub my_role: Option<SpaceRole>,
    /// True while the reader's join request waits.
    pub requested: bool,
    /// Whether the reader may manage members and requests.
    pub can_manage: bool,
    pub department_id: Option<i64>,
    pub directory_group_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// The space a post or question is in, as its page names and links it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SpaceRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: SpaceKind,
}

/// A member of a space, or someone asking to join.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SpaceMember {
    pub user_id: i64,
    pub display_name: String,
    pub role: SpaceRole,
    /// `member`, or `requested` while the request waits.
    pub state: String,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NewSpace {
    pub name: String,
    /// `open`, `closed` or `secret`.
    pub kind: String,
    pub description: Option<String>,
    /// `nl` or `en`.
    pub language: Option<String>,
    /// Members follow this department.
    pub department_id: Option<i64>,
    /// Members follow this directory group (SCIM).
    pub directory_group_id: Option<i64>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MemberInput {
    /// `member` (default) or `moderator`.
    pub role: Option<SpaceRole>,
}

/// Where to move a question or post.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveInput {
    /// The target space; null: company-wide.
    pub space_id: Option<i64>,
}
