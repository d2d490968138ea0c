//! Categories of notifications and how each may be delivered.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a notification is about; preferences are per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Answers and comments on your questions, answers and posts; your answer accepted.
    Replies,
    /// Someone @mentioned you.
    Mentions,
    /// A new question in a tag you are an expert in, or an invitation to answer.
    Questions,
    /// Your post approved or sent back by an editor.
    Reviews,
    /// A badge or the Social Guru award.
    Rewards,
    /// Nominations for the Social Guru (the social team).
    Nominations,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Self::Replies,
        Self::Mentions,
        Self::Questions,
        Self::Reviews,
        Self::Rewards,
        Self::Nominations,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Replies => "replies",
            Self::Mentions => "mentions",
            Self::Questions => "questions",
            Self::Reviews => "reviews",
            Self::Rewards => "rewards",
            Self::Nominations => "nominations",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Delivery when a person has not chosen: new questions in one's tags come as a daily
    /// digest, everything else as an immediate email.
    pub fn default_delivery(self) -> Delivery {
        match self {
            Self::Questions => Delivery::Daily,
            _ => Delivery::Immediate,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Only in the app.
    InApp,
    /// An email right away.
    Immediate,
    /// Collected in a daily digest email.
    Daily,
    /// Collected in the weekly digest email.
    Weekly,
}

impl Delivery {
    pub const ALL: [Delivery; 4] = [Self::InApp, Self::Immediate, Self::Daily, Self::Weekly];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InApp => "in_app",
            Self::Immediate => "immediate",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// One notification to create: for `user_id`, about `title` at `url`, once per `dedupe_key`.
#[derive(Debug, Clone)]
pub struct Notice {
    pub user_id: i64,
    /// `answer`, `comment`, `accepted`, `mention`, `question`, `invited`, `post_approved`,
    /// `post_returned`, `badge`, `award`, `nomination`.
    pub kind: &'static str,
    pub category: Category,
    pub actor_id: Option<i64>,
    pub title: String,
    pub url: String,
    pub dedupe_key: String,
}
