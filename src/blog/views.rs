//! What the blog shows: posts as lists and pages show them, and the JSON API returns them.
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{repo::Author, types::PostStatus};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostSummary {
    pub id: i64,
    pub title: String,
    pub slug: String,
    /// The post's page, e.g. `/blog/thuiswerken-zo-doe-je-dat`.
    pub url: String,
    pub excerpt: String,
    pub tags: Vec<String>,
    pub language: String,
    pub status: PostStatus,
    pub author: Author,
    pub cover_url: Option<String>,
    /// Published by leadership: pinned on the home page until read or expired.
    pub is_announcement: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub reading_minutes: u32,
    pub like_count: i64,
    pub comment_count: i64,
}

/// One entry of a post's history: submissions, review decisions, publication and so on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Decision {
    /// `submitted`, `approved`, `changes_requested`, `scheduled`, `published`, `unpublished`,
    /// `archived`, `deleted`, `restored`.
    pub decision: String,
    pub comment: Option<String>,
    /// `null` when the scheduler published the post.
    pub actor_name: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostView {
    #[serde(flatten)]
    pub summary: PostSummary,
    /// The space it is in; none: company-wide.
    pub space: Option<crate::spaces::types::SpaceRef>,
    /// The Markdown source.
    pub body: String,
    /// The rendered, sanitised HTML.
    pub body_html: String,
    /// The excerpt as the author typed it; empty when it is made from the body.
    pub custom_excerpt: String,
    pub announcement_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub liked_by_me: bool,
    /// Whether the viewer may edit this post.
    pub can_edit: bool,
    /// The post's history, for its author, editors and admins (empty for other readers).
    pub history: Vec<Decision>,
    /// The comment of the last send-back, while the post waits for the author's changes.
    pub changes_requested: Option<String>,
}

/// A page of published posts.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostPage {
    pub items: Vec<PostSummary>,
    /// Pass as `before` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Revision {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub editor_name: Option<String>,
    pub created_at: DateTime<Utc>,
}
