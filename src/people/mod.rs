//! People: profiles, departments, ambassadors, the directory, follows, the following feed and
//! the expert finder.
pub mod api;
pub mod departments;
pub mod feed;
pub mod finder;
pub mod reading;
pub mod repo;
pub mod routes;
pub mod service;
pub mod types;
pub mod views;
