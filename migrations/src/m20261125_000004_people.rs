//! People: departments as managed data, profiles, declared expertise and follows between people.
use sea_orm_migration::{prelude::*, schema::*};

use crate::util::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Tags {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Profiles {
    Table,
    UserId,
    JobTitle,
    DepartmentId,
    Location,
    Languages,
    BioMd,
    BioHtml,
    Links,
    PhotoKey,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProfileExpertise {
    Table,
    UserId,
    TagId,
}

#[derive(DeriveIden)]
enum UserFollows {
    Table,
    FollowerId,
    FolloweeId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Departments::Table)
                    .col(big_pk_auto(Departments::Id))
                    .col(string_len_uniq(Departments::Name, 100))
                    .col(timestamp_with_time_zone(Departments::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Profiles::Table)
                    .col(big_integer(Profiles::UserId).primary_key())
                    .col(string_len(Profiles::JobTitle, 100).default(""))
                    .col(big_integer_null(Profiles::DepartmentId))
                    // City and/or country, as people write it.
                    .col(string_len(Profiles::Location, 100).default(""))
                    // Language codes, comma-separated (`nl,en`).
                    .col(string_len(Profiles::Languages, 50).default(""))
                    .col(text(Profiles::BioMd))
                    .col(text(Profiles::BioHtml))
                    // http(s) links, one per line.
                    .col(text(Profiles::Links))
                    .col(string_len_null(Profiles::PhotoKey, 200))
                    .col(timestamp_with_time_zone(Profiles::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Profiles::Table, Profiles::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Profiles::Table, Profiles::DepartmentId),
                        (Departments::Table, Departments::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_profiles_department")
                    .table(Profiles::Table)
                    .col(Profiles::DepartmentId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProfileExpertise::Table)
                    .col(big_integer(ProfileExpertise::UserId))
                    .col(big_integer(ProfileExpertise::TagId))
                    .primary_key(
                        Index::create()
                            .col(ProfileExpertise::UserId)
                            .col(ProfileExpertise::TagId),
                    )
                    .foreign_key(&mut fk(
                        (ProfileExpertise::Table, ProfileExpertise::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (ProfileExpertise::Table, ProfileExpertise::TagId),
                        (Tags::Table, Tags::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_profile_expertise_tag")
                    .table(ProfileExpertise::Table)
                    .col(ProfileExpertise::TagId)
                    .col(ProfileExpertise::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserFollows::Table)
                    .col(big_integer(UserFollows::FollowerId))
                    .col(big_integer(UserFollows::FolloweeId))
                    .col(timestamp_with_time_zone(UserFollows::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(UserFollows::FollowerId)
                            .col(UserFollows::FolloweeId),
                    )
                    .foreign_key(&mut fk(
                        (UserFollows::Table, UserFollows::FollowerId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (UserFollows::Table, UserFollows::FolloweeId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_user_follows_followee")
                    .table(UserFollows::Table)
                    .col(UserFollows::FolloweeId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UserFollows::Table.into_iden(),
            ProfileExpertise::Table.into_iden(),
            Profiles::Table.into_iden(),
            Departments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
