//! The KPI dashboard for the social team: the figures (`service`), weekly activity tracking
//! (`activity`), the social-readiness self-assessment (`readiness`), server-side SVG charts
//! (`charts`), CSV export (`export`), the JSON API (`api`) and the pages (`routes`).
pub mod activity;
pub mod api;
pub mod charts;
pub mod export;
pub mod readiness;
pub mod routes;
pub mod service;
