//! Accounts: login and logout, the one-time setup, self-registration, the own account
//! (password, language), personal access tokens, password reset by email and invitations.
pub mod activity;
pub mod api;
pub mod current_user;
pub mod invite;
pub mod password;
pub mod policy;
pub mod register;
pub mod repo;
pub mod reset;
pub mod reset_api;
pub mod reset_routes;
pub mod routes;
pub mod service;
pub mod throttle;
pub mod types;
pub mod viewer;
