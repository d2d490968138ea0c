//! Spaces: communities with a boundary. *Open* spaces anyone joins and reads; *closed* spaces
//! everyone sees exist, joining needs a moderator's approval and their content is for members;
//! *secret* spaces are invisible to non-members. A post or question is company-wide or in
//! exactly one space.
//!
//! The boundary is one rule, [`audience::Audience`]: every read path that shows posts or
//! questions (or what hangs off them) filters by it in the same SQL statement, so a membership
//! change counts on the very next request.
pub mod api;
pub mod audience;
pub mod members;
pub mod service;
pub mod types;
