//! Accounts: login and logout, the one-time setup, self-registration, the own account
//! (password, language) and personal access tokens.
pub mod api;
pub mod current_user;
pub mod password;
pub mod repo;
pub mod routes;
pub mod service;
pub mod throttle;
pub mod types;
