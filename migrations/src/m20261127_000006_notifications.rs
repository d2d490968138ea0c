//! Notifications and email: in-app notifications, delivery preferences per category, the mail
//! outbox (every email is a row written with the event it tells about), and single-use account
//! tokens for password resets and invitations.
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
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    Category,
    ActorId,
    Title,
    Url,
    DedupeKey,
    ReadAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    UserId,
    Category,
    Delivery,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MailOutbox {
    Table,
    Id,
    UserId,
    ToAddress,
    Category,
    Template,
    Params,
    Language,
    Subject,
    BodyText,
    BodyHtml,
    MessageId,
    DedupeKey,
    Status,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastError,
    SentAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccountTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(big_pk_auto(Notifications::Id))
                    .col(big_integer(Notifications::UserId))
                    // What happened: `answer`, `comment`, `accepted`, `mention`, `question`,
                    // `invited`, `post_approved`, `post_returned`, `badge`, `award`, `nomination`.
                    .col(string_len(Notifications::Kind, 32))
                    // The preference category it belongs to (see `notify::Category`).
                    .col(string_len(Notifications::Category, 32))
                    .col(big_integer_null(Notifications::ActorId))
                    .col(string_len(Notifications::Title, 300))
                    .col(string_len(Notifications::Url, 500))
                    // One notification per event and recipient, whatever retries or edits do.
                    .col(string_len(Notifications::DedupeKey, 200))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .foreign_key(&mut fk(
                        (Notifications::Table, Notifications::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Notifications::Table, Notifications::ActorId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_notifications_user_dedupe")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::DedupeKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_notifications_user_id",
            Notifications::Table,
            vec![
                Notifications::UserId.into_iden(),
                Notifications::Id.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(NotificationPreferences::Table)
                    .col(big_integer(NotificationPreferences::UserId))
                    .col(string_len(NotificationPreferences::Category, 32))
                    // `in_app`, `immediate`, `daily` or `weekly`.
                    .col(string_len(NotificationPreferences::Delivery, 16))
                    .col(timestamp_with_time_zone(NotificationPreferences::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(NotificationPreferences::UserId)
                            .col(NotificationPreferences::Category),
                    )
                    .foreign_key(&mut fk(
                        (
                            NotificationPreferences::Table,
                            NotificationPreferences::UserId,
                        ),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MailOutbox::Table)
                    .col(big_pk_auto(MailOutbox::Id))
                    .col(big_integer_null(MailOutbox::UserId))
                    .col(string_len(MailOutbox::ToAddress, 320))
                    // A notification category, `digest` or `account` (resets, invitations).
                    .col(string_len(MailOutbox::Category, 32))
                    // What to say: a template under templates/emails/ and its parameters (JSON),
                    // rendered in `language` by the worker; the rendering is kept below.
                    .col(string_len(MailOutbox::Template, 64))
                    .col(text(MailOutbox::Params))
                    .col(string_len(MailOutbox::Language, 8))
                    .col(string_len(MailOutbox::Subject, 300).default(""))
                    .col(text(MailOutbox::BodyText).default(""))
                    .col(text(MailOutbox::BodyHtml).default(""))
                    // The Message-ID header: the same on every attempt.
                    .col(string_len_uniq(MailOutbox::MessageId, 200))
                    // At most one email per key (e.g. one digest per user and period).
                    .col(string_len_null(MailOutbox::DedupeKey, 200).unique_key())
                    // `pending`, `sent` or `failed`.
                    .col(string_len(MailOutbox::Status, 16))
                    .col(integer(MailOutbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(MailOutbox::NextAttemptAt))
                    // A worker's claim on the row while it talks to the SMTP server.
                    .col(timestamp_with_time_zone_null(MailOutbox::LockedUntil))
                    .col(text_null(MailOutbox::LastError))
                    .col(timestamp_with_time_zone_null(MailOutbox::SentAt))
                    .col(timestamp_with_time_zone(MailOutbox::CreatedAt))
                    .foreign_key(&mut fk(
                        (MailOutbox::Table, MailOutbox::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_mail_outbox_status_next",
            MailOutbox::Table,
            vec![
                MailOutbox::Status.into_iden(),
                MailOutbox::NextAttemptAt.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccountTokens::Table)
                    .col(big_pk_auto(AccountTokens::Id))
                    .col(big_integer(AccountTokens::UserId))
                    // `reset` or `invite`.
                    .col(string_len(AccountTokens::Purpose, 16))
                    // SHA-256 of the token: the token itself is only in the email.
                    .col(string_len_uniq(AccountTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(AccountTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AccountTokens::UsedAt))
                    .col(timestamp_with_time_zone(AccountTokens::CreatedAt))
                    .foreign_key(&mut fk(
                        (AccountTokens::Table, AccountTokens::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AccountTokens::Table.into_iden(),
            MailOutbox::Table.into_iden(),
            NotificationPreferences::Table.into_iden(),
            Notifications::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
