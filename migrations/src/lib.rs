//! Database migrations for Kring, applied by `kring migrate` and at the start of `kring serve`.
//!
//! Migrations are append-only: once landed, a migration is never edited; a change of schema is a
//! new migration.
pub use sea_orm_migration::prelude::*;

mod m20261122_000001_accounts;
mod m20261123_000002_blog;
mod m20261124_000003_qa;
mod m20261125_000004_people;
mod m20261126_000005_search_outbox;
mod m20261127_000006_notifications;
mod m20261128_000007_gamification;
mod m20261202_000008_kpis_webhooks;
mod m20261205_000009_email_verification;
mod m20261205_000010_proposed_tags;
mod m20261206_000011_company_sign_in;
mod m20261207_000012_provisioning;
mod m20261208_000013_spaces;
mod m20261209_000014_search_synonyms;
mod m20261210_000015_derived_text;
mod m20261211_000016_hot_path_indexes;
mod m20261212_000017_inactive_users_index;
mod util;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_accounts::Migration),
            Box::new(m20261123_000002_blog::Migration),
            Box::new(m20261124_000003_qa::Migration),
            Box::new(m20261125_000004_people::Migration),
            Box::new(m20261126_000005_search_outbox::Migration),
            Box::new(m20261127_000006_notifications::Migration),
            Box::new(m20261128_000007_gamification::Migration),
            Box::new(m20261202_000008_kpis_webhooks::Migration),
            Box::new(m20261205_000009_email_verification::Migration),
            Box::new(m20261205_000010_proposed_tags::Migration),
            Box::new(m20261206_000011_company_sign_in::Migration),
            Box::new(m20261207_000012_provisioning::Migration),
            Box::new(m20261208_000013_spaces::Migration),
            Box::new(m20261209_000014_search_synonyms::Migration),
            Box::new(m20261210_000015_derived_text::Migration),
            Box::new(m20261211_000016_hot_path_indexes::Migration),
            Box::new(m20261212_000017_inactive_users_index::Migration),
        ]
    }
}
