//! Company sign-in (OpenID Connect): `sso_identities` links a person to the identity provider's
//! issuer + subject (never to an email alone); `sso_group_mappings` maps the provider's groups
//! to Kring roles and departments, applied at every sign-in.
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
enum SsoIdentities {
    Table,
    Id,
    UserId,
    Issuer,
    Subject,
    CreatedAt,
    LastLoginAt,
}

#[derive(DeriveIden)]
enum SsoGroupMappings {
    Table,
    Id,
    /// The group's name as the provider sends it in the groups claim.
    GroupName,
    /// `ambassador`, `editor`, `social_team` or `admin`; null when the row maps a department.
    Role,
    DepartmentId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SsoIdentities::Table)
                    .col(big_pk_auto(SsoIdentities::Id))
                    .col(big_integer(SsoIdentities::UserId))
                    .col(string_len(SsoIdentities::Issuer, 512))
                    .col(string_len(SsoIdentities::Subject, 255))
                    .col(timestamp_with_time_zone(SsoIdentities::CreatedAt))
                    .col(timestamp_with_time_zone(SsoIdentities::LastLoginAt))
                    .foreign_key(&mut fk(
                        (SsoIdentities::Table, SsoIdentities::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_sso_identities_issuer_subject")
                    .table(SsoIdentities::Table)
                    .col(SsoIdentities::Issuer)
                    .col(SsoIdentities::Subject)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_sso_identities_user",
            SsoIdentities::Table,
            vec![SsoIdentities::UserId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SsoGroupMappings::Table)
                    .col(big_pk_auto(SsoGroupMappings::Id))
                    .col(string_len(SsoGroupMappings::GroupName, 255))
                    .col(string_len_null(SsoGroupMappings::Role, 32))
                    .col(big_integer_null(SsoGroupMappings::DepartmentId))
                    .col(timestamp_with_time_zone(SsoGroupMappings::CreatedAt))
                    .foreign_key(&mut fk(
                        (SsoGroupMappings::Table, SsoGroupMappings::DepartmentId),
                        (Departments::Table, Departments::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_sso_group_mappings_group",
            SsoGroupMappings::Table,
            vec![SsoGroupMappings::GroupName.into_iden()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SsoGroupMappings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SsoIdentities::Table).to_owned())
            .await
    }
}
