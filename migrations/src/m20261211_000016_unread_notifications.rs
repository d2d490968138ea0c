//! The navigation's unread count on every page read each unread notification's row: the index
//! on `(user_id, id)` found them, and `read_at` was in the table (12 ms for a person with 1,300
//! notifications, on a cold cache). This partial index holds only the unread ones, so the count
//! (capped at 100, see `notify::service::unread_count_expr`) reads the index alone.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Partial indexes read the same in SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_notifications_unread ON notifications (user_id, id) \
                 WHERE read_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX ix_notifications_unread")
            .await?;
        Ok(())
    }
}
