//! Gamification: points from configurable rules into an append-only ledger (`rules`,
//! `ledger`), monthly and all-time leaderboards from per-period rollups (`leaderboard`),
//! automatic badges (`badges`), the Social Guru of the month (`guru`, its candidates:
//! `suggestions`), what a profile shows of
//! them (`rewards`), one person's points for the API (`standing`), the JSON API (`api`) and the
//! pages (`routes`).
pub mod api;
pub mod badges;
pub mod guru;
pub mod leaderboard;
pub mod ledger;
pub mod rewards;
pub mod routes;
pub mod rules;
pub mod standing;
pub mod suggestions;
