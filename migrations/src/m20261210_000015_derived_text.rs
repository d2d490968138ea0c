//! What lists show of a post or question beside its title, derived from its Markdown when it is
//! written, as `body_html` is: the body's excerpt and, for posts, the minutes it takes to read.
//! Lists used to parse every body on every read for them.
//!
//! NULL means "not derived yet": rows written before this migration. The application fills them
//! in the background after start (`content::derived`) and derives them on read until then.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Posts {
    Table,
    BodyExcerpt,
    ReadingMinutes,
}

#[derive(DeriveIden)]
enum Questions {
    Table,
    BodyExcerpt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in [
            (Posts::Table.into_iden(), text_null(Posts::BodyExcerpt)),
            (
                Posts::Table.into_iden(),
                integer_null(Posts::ReadingMinutes),
            ),
            (
                Questions::Table.into_iden(),
                text_null(Questions::BodyExcerpt),
            ),
        ] {
            let (table, mut def) = column;
            manager
                .alter_table(Table::alter().table(table).add_column(&mut def).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [
            (Posts::Table.into_iden(), Posts::BodyExcerpt.into_iden()),
            (Posts::Table.into_iden(), Posts::ReadingMinutes.into_iden()),
            (
                Questions::Table.into_iden(),
                Questions::BodyExcerpt.into_iden(),
            ),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
