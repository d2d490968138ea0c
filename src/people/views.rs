//! What the people pages and API show.
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::repo::Author;

/// A person as the directory lists them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonSummary {
    pub id: i64,
    pub display_name: String,
    /// The profile page, `/people/{id}`.
    pub url: String,
    pub job_title: String,
    pub department: Option<String>,
    pub department_id: Option<i64>,
    pub location: String,
    /// 64 × 64 pixels; absent without a photo.
    pub photo_url: Option<String>,
    pub is_ambassador: bool,
    pub is_leadership: bool,
    pub is_active: bool,
    pub expertise: Vec<String>,
}

/// Something a person wrote, for activity lists and the following feed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Activity {
    /// `post`, `question` or `answer`.
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub url: String,
    pub author: Author,
    pub tags: Vec<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileStats {
    pub posts: i64,
    pub questions: i64,
    pub answers: i64,
    pub accepted_answers: i64,
    pub followers: i64,
    pub following: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileView {
    #[serde(flatten)]
    pub summary: PersonSummary,
    /// 256 × 256 pixels.
    pub photo_large_url: Option<String>,
    pub languages: Vec<String>,
    pub bio: String,
    pub bio_html: String,
    pub links: Vec<String>,
    pub stats: ProfileStats,
    pub followed_by_me: bool,
    pub is_me: bool,
    pub can_edit: bool,
    /// Whether the viewer may mark or unmark them as ambassador (the social team).
    pub can_mark_ambassador: bool,
    /// Their latest posts, questions and answers.
    pub recent: Vec<Activity>,
}

/// One line of evidence for an expert: what and how much.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Evidence {
    /// `accepted_answers`, `upvoted_answers`, `posts`, `declared`, `marked_expert`.
    pub kind: String,
    pub count: i64,
    pub tag: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Expert {
    pub person: PersonSummary,
    pub score: i64,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExpertResults {
    pub topic: String,
    /// The tags the topic was matched to.
    pub tags: Vec<String>,
    pub experts: Vec<Expert>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    pub items: Vec<Activity>,
    /// Pass as `before` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AmbassadorGroup {
    pub department: Option<String>,
    pub people: Vec<AmbassadorEntry>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AmbassadorEntry {
    pub person: PersonSummary,
    pub latest_posts: Vec<Activity>,
}
