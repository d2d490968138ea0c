//! sea-orm entities, in the shape `sea-orm-cli generate entity` produces. Business rules do not
//! live here: see the feature modules' services.
pub mod account_tokens;
pub mod activity_weeks;
pub mod announcement_reads;
pub mod answer_invitations;
pub mod answer_votes;
pub mod answers;
pub mod api_tokens;
pub mod app_settings;
pub mod audit_log;
pub mod awards;
pub mod badges;
pub mod departments;
pub mod mail_outbox;
pub mod nominations;
pub mod notification_preferences;
pub mod notifications;
pub mod point_events;
pub mod point_rules;
pub mod point_totals;
pub mod post_comments;
pub mod post_likes;
pub mod post_reviews;
pub mod post_revisions;
pub mod post_slugs;
pub mod post_tags;
pub mod posts;
pub mod profile_expertise;
pub mod profiles;
pub mod qa_comments;
pub mod qa_revisions;
pub mod question_tags;
pub mod question_votes;
pub mod questions;
pub mod readiness_assessments;
pub mod search_outbox;
pub mod sessions;
pub mod tag_experts;
pub mod tag_follows;
pub mod tag_synonyms;
pub mod tags;
pub mod user_follows;
pub mod user_roles;
pub mod users;
pub mod webhook_deliveries;
pub mod webhooks;

pub mod prelude {
    pub use super::api_tokens::Entity as ApiTokens;
    pub use super::app_settings::Entity as AppSettings;
    pub use super::audit_log::Entity as AuditLog;
    pub use super::posts::Entity as Posts;
    pub use super::sessions::Entity as Sessions;
    pub use super::tags::Entity as Tags;
    pub use super::user_roles::Entity as UserRoles;
    pub use super::users::Entity as Users;
}
