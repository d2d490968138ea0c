//! The people kept off the leaderboards are the deactivated and those of an excluded role. A
//! viewer's rank is everyone of the period with more points less the off-board people among
//! them (`gamification::standing`); `ix_users_inactive` holds only the deactivated, so finding
//! them reads a handful of index entries instead of every user.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Written as the queries write the condition (`is_active = FALSE`), which SQLite needs
        // to match a partial index; TRUE and FALSE read the same in SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_users_inactive ON users (id) WHERE is_active = FALSE",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX ix_users_inactive")
            .await?;
        Ok(())
    }
}
