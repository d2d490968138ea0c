//! Spaces: communities with a boundary (open, closed, secret). `space_members` holds members,
//! moderators and join requests; posts and questions are company-wide (`space_id` null) or in
//! exactly one space. A space with content cannot be deleted (its content would otherwise fall
//! back to company-wide: a leak).
use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum DirectoryGroups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    SpaceId,
}

#[derive(DeriveIden)]
enum Questions {
    Table,
    SpaceId,
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    SpaceId,
}

#[derive(DeriveIden)]
enum Spaces {
    Table,
    Id,
    Slug,
    Name,
    Description,
    Language,
    /// `open`, `closed` or `secret`.
    Kind,
    /// Members follow this department (null: none).
    DepartmentId,
    /// Members follow this directory group (null: none).
    DirectoryGroupId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SpaceMembers {
    Table,
    SpaceId,
    UserId,
    /// `member` or `moderator`.
    Role,
    /// `member`, or `requested` while a join request waits.
    State,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Spaces::Table)
                    .col(big_pk_auto(Spaces::Id))
                    .col(string_len_uniq(Spaces::Slug, 80))
                    .col(string_len(Spaces::Name, 80))
                    .col(text(Spaces::Description))
                    .col(string_len_null(Spaces::Language, 8))
                    .col(string_len(Spaces::Kind, 8))
                    .col(big_integer_null(Spaces::DepartmentId))
                    .col(big_integer_null(Spaces::DirectoryGroupId))
                    .col(big_integer_null(Spaces::CreatedBy))
                    .col(timestamp_with_time_zone(Spaces::CreatedAt))
                    .col(timestamp_with_time_zone(Spaces::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Spaces::Table, Spaces::DepartmentId),
                        (Departments::Table, Departments::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Spaces::Table, Spaces::DirectoryGroupId),
                        (DirectoryGroups::Table, DirectoryGroups::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Spaces::Table, Spaces::CreatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SpaceMembers::Table)
                    .col(big_integer(SpaceMembers::SpaceId))
                    .col(big_integer(SpaceMembers::UserId))
                    .col(string_len(SpaceMembers::Role, 16))
                    .col(string_len(SpaceMembers::State, 16))
                    .col(timestamp_with_time_zone(SpaceMembers::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(SpaceMembers::SpaceId)
                            .col(SpaceMembers::UserId),
                    )
                    .foreign_key(&mut fk(
                        (SpaceMembers::Table, SpaceMembers::SpaceId),
                        (Spaces::Table, Spaces::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (SpaceMembers::Table, SpaceMembers::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_space_members_user",
            SpaceMembers::Table,
            vec![
                SpaceMembers::UserId.into_iden(),
                SpaceMembers::State.into_iden(),
            ],
        )
        .await?;
        // A webhook is company-wide (null) or scoped to one space: space content goes only to
        // the webhooks of its space.
        manager
            .alter_table(
                Table::alter()
                    .table(Webhooks::Table)
                    .add_column(big_integer_null(Webhooks::SpaceId))
                    .to_owned(),
            )
            .await?;
        for (table, name) in [
            (Posts::Table.into_iden(), "posts"),
            (Questions::Table.into_iden(), "questions"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table.clone())
                        .add_column(big_integer_null(Posts::SpaceId))
                        .to_owned(),
                )
                .await?;
            if manager.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
                // SQLite cannot add a foreign key to an existing table; the services check the
                // space exists, and spaces with content are never deleted.
                manager
                    .create_foreign_key(
                        ForeignKey::create()
                            .name(format!("fk_{name}_space"))
                            .from(table.clone(), Posts::SpaceId)
                            .to(Spaces::Table, Spaces::Id)
                            .on_delete(ForeignKeyAction::Restrict)
                            .to_owned(),
                    )
                    .await?;
            }
            manager
                .create_index(
                    Index::create()
                        .name(format!("ix_{name}_space"))
                        .table(table)
                        .col(Questions::SpaceId)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name) in [
            (Posts::Table.into_iden(), "posts"),
            (Questions::Table.into_iden(), "questions"),
        ] {
            if manager.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
                manager
                    .drop_foreign_key(
                        ForeignKey::drop()
                            .name(format!("fk_{name}_space"))
                            .table(table.clone())
                            .to_owned(),
                    )
                    .await?;
            }
            manager
                .drop_index(Index::drop().name(format!("ix_{name}_space")).to_owned())
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column(Posts::SpaceId)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Webhooks::Table)
                    .drop_column(Webhooks::SpaceId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(SpaceMembers::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Spaces::Table).to_owned())
            .await
    }
}
