//! Indexes for statements every page or the home page runs, whose cost grew with the data:
//!
//! - The navigation's unread count on every page read each unread notification's row: the
//!   index on `(user_id, id)` found them, and `read_at` was in the table (12 ms for a person
//!   with 1,300 notifications, on a cold cache). `ix_notifications_unread` holds only the unread
//!   ones, so the count (capped at 100, see `notify::service::unread_count_expr`) reads the
//!   index alone.
//! - The home page's unread announcements scanned every post (4 ms at 4,000 posts): no index
//!   led with `is_announcement`. `ix_posts_announcements` finds the newest published ones.
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
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_posts_announcements ON posts \
                 (is_announcement, status, published_at)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in ["ix_posts_announcements", "ix_notifications_unread"] {
            manager
                .get_connection()
                .execute_unprepared(&format!("DROP INDEX {index}"))
                .await?;
        }
        Ok(())
    }
}
