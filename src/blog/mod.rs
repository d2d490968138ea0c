//! The blog: posts by employees, ambassadors and leadership, with editorial review,
//! scheduled publishing, announcements, likes, comments and Atom feeds.
mod announcements;
pub mod api;
pub mod comments;
pub mod feeds;
mod lifecycle;
mod likes;
pub mod reader_routes;
pub mod reading;
pub mod repo;
pub mod routes;
pub mod service;
pub mod types;
pub mod views;
