//! The company's search synonyms: groups of words or short phrases that mean the same here
//! ("wfh", "thuiswerken", "remote work"), edited by the social team and applied by search at
//! query time (no reindex). `terms` holds the members, one per line.
use sea_orm_migration::{prelude::*, schema::*};

use crate::util::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SearchSynonyms {
    Table,
    Id,
    Terms,
    CreatedBy,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SearchSynonyms::Table)
                    .col(big_pk_auto(SearchSynonyms::Id))
                    .col(text(SearchSynonyms::Terms))
                    .col(big_integer_null(SearchSynonyms::CreatedBy))
                    .col(big_integer_null(SearchSynonyms::UpdatedBy))
                    .col(timestamp_with_time_zone(SearchSynonyms::CreatedAt))
                    .col(timestamp_with_time_zone(SearchSynonyms::UpdatedAt))
                    .foreign_key(&mut fk(
                        (SearchSynonyms::Table, SearchSynonyms::CreatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (SearchSynonyms::Table, SearchSynonyms::UpdatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SearchSynonyms::Table).to_owned())
            .await
    }
}
