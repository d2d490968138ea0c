//! Integration tests: the real application on port 0, its own database per test.
//! `cargo test` runs them on SQLite; with `KRING_TEST_DATABASE_URL=postgres://...` on
//! PostgreSQL.
mod admin;
mod blog_content;
mod blog_editing;
mod blog_lifecycle;
mod blog_social;
mod blog_visibility;
mod cli;
mod csrf;
mod health;
mod helpers;
mod i18n;
mod login;
mod password;
mod people;
mod qa_api;
mod qa_lists;
mod qa_pages;
mod qa_rules;
mod qa_votes;
mod registration;
mod search;
mod search_outbox;
mod setup;
mod tokens;
