//! The blog: posts by employees, ambassadors and leadership, with editorial review,
//! scheduled publishing, announcements, likes, comments and Atom feeds.
pub mod api;
pub mod comments;
pub mod feeds;
pub mod reader_routes;
pub mod repo;
pub mod routes;
pub mod service;
pub mod types;
pub mod views;
