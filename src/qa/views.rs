//! What Q&A shows: questions and answers as lists and pages show them and the API returns them.
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::blog::repo::Author;

/// A question in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionSummary {
    pub id: i64,
    pub title: String,
    /// The question's page, e.g. `/questions/12/how-do-i-reach-the-vpn`.
    pub url: String,
    pub excerpt: String,
    pub tags: Vec<String>,
    pub language: String,
    pub author: Author,
    pub score: i32,
    pub answer_count: i32,
    /// Has an accepted or positively scored answer that is not outdated.
    pub is_answered: bool,
    pub accepted_answer_id: Option<i64>,
    /// `open` or `closed`.
    pub status: String,
    /// `duplicate` or `off_topic` while closed.
    pub close_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
}

/// A link to another question (duplicates, similar questions).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionLink {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub answer_count: i32,
    pub is_answered: bool,
    /// It has an accepted answer.
    pub accepted: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = QaCommentView)]
pub struct CommentView {
    pub id: i64,
    pub author: Author,
    pub body: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
    pub can_delete: bool,
}

/// Who marked an answer outdated, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Outdated {
    pub at: DateTime<Utc>,
    pub by_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnswerView {
    pub id: i64,
    pub question_id: i64,
    pub author: Author,
    /// The Markdown source.
    pub body: String,
    /// The rendered, sanitised HTML.
    pub body_html: String,
    pub score: i32,
    pub is_accepted: bool,
    /// The viewer's vote: 1, -1 or 0.
    pub my_vote: i16,
    /// Set while the answer is marked outdated; editing the answer clears it.
    pub outdated: Option<Outdated>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub edited: bool,
    pub can_edit: bool,
    pub can_accept: bool,
    pub can_mark_outdated: bool,
    pub comments: Vec<CommentView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionView {
    #[serde(flatten)]
    pub summary: QuestionSummary,
    /// The space it is in; none: company-wide.
    pub space: Option<crate::spaces::types::SpaceRef>,
    pub body: String,
    pub body_html: String,
    pub my_vote: i16,
    pub edited: bool,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by_name: Option<String>,
    /// The original, when closed as a duplicate.
    pub duplicate_of: Option<QuestionLink>,
    /// Questions closed as duplicates of this one.
    pub duplicates: Vec<QuestionLink>,
    pub can_edit: bool,
    pub can_close: bool,
    pub can_accept: bool,
    pub can_delete: bool,
    pub comments: Vec<CommentView>,
    /// Accepted answer first, then by score, then oldest first.
    pub answers: Vec<AnswerView>,
}

/// A page of questions.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionPage {
    pub items: Vec<QuestionSummary>,
    /// Pass as `before` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QaRevision {
    pub id: i64,
    pub title: Option<String>,
    pub body: String,
    pub tags: Option<String>,
    pub editor_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The score after a vote, and the voter's vote.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VoteResult {
    pub score: i32,
    pub my_vote: i16,
}

/// A tag as its Q&A page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagView {
    pub name: String,
    pub question_count: i64,
    pub synonyms: Vec<String>,
    pub experts: Vec<Author>,
    pub followed: bool,
    pub is_expert: bool,
    /// Whether the viewer manages synonyms and experts (the social team and admins).
    pub can_manage: bool,
}
