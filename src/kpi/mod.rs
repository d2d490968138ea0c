//! The KPI dashboard for the social team: the figures (`service`, computed in `figures`,
//! `contributors` and `per_space`), weekly activity tracking (`activity`), the social-readiness
//! self-assessment (`readiness`), server-side SVG charts (`charts`), CSV export (`export`), the
//! JSON API (`api`) and the pages (`routes`).
pub mod api;
pub mod charts;
mod contributors;
pub mod export;
mod figures;
mod per_space;
pub mod readiness;
mod reading;
pub mod routes;
pub mod service;
