//! Gamification: points from configurable rules into an append-only ledger (`rules`,
//! `ledger`), monthly and all-time leaderboards from per-period rollups (`leaderboard`), and
//! the JSON API and pages (`api`).
pub mod api;
pub mod leaderboard;
pub mod ledger;
pub mod rules;
