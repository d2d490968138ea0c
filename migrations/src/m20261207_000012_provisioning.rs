//! Provisioning with SCIM 2.0: `scim_tokens` are the directory's credentials (only a hash is
//! stored); `scim_users` links a Kring account to the directory and keeps the attributes as the
//! directory sent them; `directory_groups` and their members feed the group mapping.
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
enum ScimTokens {
    Table,
    Id,
    Name,
    TokenHash,
    Prefix,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ScimUsers {
    Table,
    UserId,
    UserName,
    /// `user_name` lower-cased: userName is unique regardless of case (RFC 7643 §4.1.1).
    UserNameKey,
    ExternalId,
    /// The attributes as the directory sent them (JSON): name, emails, displayName, ...
    Attributes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DirectoryGroups {
    Table,
    Id,
    DisplayName,
    ExternalId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DirectoryGroupMembers {
    Table,
    GroupId,
    UserId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ScimTokens::Table)
                    .col(big_pk_auto(ScimTokens::Id))
                    .col(string_len(ScimTokens::Name, 100))
                    .col(string_len_uniq(ScimTokens::TokenHash, 64))
                    .col(string_len(ScimTokens::Prefix, 16))
                    .col(big_integer_null(ScimTokens::CreatedBy))
                    .col(timestamp_with_time_zone(ScimTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ScimTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ScimTokens::RevokedAt))
                    .foreign_key(&mut fk(
                        (ScimTokens::Table, ScimTokens::CreatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ScimUsers::Table)
                    .col(big_integer(ScimUsers::UserId).primary_key())
                    .col(string_len(ScimUsers::UserName, 255))
                    .col(string_len_uniq(ScimUsers::UserNameKey, 255))
                    .col(string_len_null(ScimUsers::ExternalId, 255))
                    .col(text(ScimUsers::Attributes))
                    .col(timestamp_with_time_zone(ScimUsers::CreatedAt))
                    .col(timestamp_with_time_zone(ScimUsers::UpdatedAt))
                    .foreign_key(&mut fk(
                        (ScimUsers::Table, ScimUsers::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_scim_users_external_id",
            ScimUsers::Table,
            vec![ScimUsers::ExternalId.into_iden()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(DirectoryGroups::Table)
                    .col(big_pk_auto(DirectoryGroups::Id))
                    .col(string_len(DirectoryGroups::DisplayName, 255))
                    .col(string_len_null(DirectoryGroups::ExternalId, 255))
                    .col(timestamp_with_time_zone(DirectoryGroups::CreatedAt))
                    .col(timestamp_with_time_zone(DirectoryGroups::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_directory_groups_display_name",
            DirectoryGroups::Table,
            vec![DirectoryGroups::DisplayName.into_iden()],
        )
        .await?;
        index(
            manager,
            "ix_directory_groups_external_id",
            DirectoryGroups::Table,
            vec![DirectoryGroups::ExternalId.into_iden()],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(DirectoryGroupMembers::Table)
                    .col(big_integer(DirectoryGroupMembers::GroupId))
                    .col(big_integer(DirectoryGroupMembers::UserId))
                    .primary_key(
                        Index::create()
                            .col(DirectoryGroupMembers::GroupId)
                            .col(DirectoryGroupMembers::UserId),
                    )
                    .foreign_key(&mut fk(
                        (DirectoryGroupMembers::Table, DirectoryGroupMembers::GroupId),
                        (DirectoryGroups::Table, DirectoryGroups::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (DirectoryGroupMembers::Table, DirectoryGroupMembers::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_directory_group_members_user",
            DirectoryGroupMembers::Table,
            vec![DirectoryGroupMembers::UserId.into_iden()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DirectoryGroupMembers::Table.into_iden(),
            DirectoryGroups::Table.into_iden(),
            ScimUsers::Table.into_iden(),
            ScimTokens::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
