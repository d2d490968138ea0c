//! Q&A: questions, answers, comments, votes, acceptance, closing as duplicate or off-topic,
//! tags with synonyms, followers and experts, invitations to answer, and outdated answers.
pub mod answer_routes;
mod answering;
pub mod api;
pub mod comments;
mod lists;
mod moderation;
pub mod proposals;
pub mod reading;
pub mod repo;
pub mod revisions;
pub mod routes;
pub mod service;
pub mod tag_api;
pub mod tag_pages;
pub mod tag_routes;
pub mod tagging;
pub mod types;
pub mod views;
mod visible;
pub mod votes;
