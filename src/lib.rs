//! Kring: an internal community and knowledge-sharing platform.
//!
//! The binary (`src/main.rs`) is a thin command line over this library, so integration tests
//! link the same code and start the real application on port 0.
pub mod admin;
pub mod audit;
pub mod auth;
pub mod bench_seed;
pub mod blog;
pub mod cli;
pub mod company;
pub mod config;
pub mod content;
pub mod db;
pub mod demo;
pub mod effects;
pub mod entities;
pub mod error;
pub mod events;
pub mod gamification;
pub mod health;
pub mod i18n;
pub mod jobs;
pub mod kpi;
pub mod mail;
pub mod notify;
pub mod openapi;
pub mod people;
pub mod qa;
pub mod scim;
pub mod search;
pub mod settings_store;
pub mod site;
pub mod spaces;
pub mod sso;
pub mod startup;
pub mod state;
pub mod status;
pub mod tags;
pub mod telemetry;
pub mod uploads;
pub mod web;
pub mod webhooks;
