//! The KPI dashboard and webhooks: `activity_weeks` (who used Kring in which ISO week, for
//! weekly readers), `readiness_assessments` (the social team's quarterly self-assessment),
//! `webhooks` (admin-configured URL per event) and `webhook_deliveries` (their outbox); and an
//! index for a person's points per month and rule.
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
enum PointEvents {
    Table,
    UserId,
    Month,
    Action,
    Points,
}

#[derive(DeriveIden)]
enum ActivityWeeks {
    Table,
    UserId,
    /// `2026-W49` (ISO week).
    Week,
}

#[derive(DeriveIden)]
enum ReadinessAssessments {
    Table,
    Id,
    /// `2026-Q4`.
    Quarter,
    /// JSON: the score (1-5) per statement.
    Answers,
    /// 1 (Social Junior) to 5 (Social Guru).
    Level,
    Note,
    CreatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    Event,
    Url,
    Secret,
    Active,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    Event,
    Payload,
    DedupeKey,
    Attempts,
    NextAttemptAt,
    LeasedUntil,
    DeliveredAt,
    FailedAt,
    LastStatus,
    LastError,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ActivityWeeks::Table)
                    .col(big_integer(ActivityWeeks::UserId))
                    .col(string_len(ActivityWeeks::Week, 8))
                    .primary_key(
                        Index::create()
                            .col(ActivityWeeks::UserId)
                            .col(ActivityWeeks::Week),
                    )
                    .foreign_key(&mut fk(
                        (ActivityWeeks::Table, ActivityWeeks::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_activity_weeks_week",
            ActivityWeeks::Table,
            vec![ActivityWeeks::Week.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReadinessAssessments::Table)
                    .col(big_pk_auto(ReadinessAssessments::Id))
                    .col(string_len_uniq(ReadinessAssessments::Quarter, 7))
                    .col(text(ReadinessAssessments::Answers))
                    .col(integer(ReadinessAssessments::Level))
                    .col(text(ReadinessAssessments::Note))
                    .col(big_integer_null(ReadinessAssessments::CreatedBy))
                    .col(timestamp_with_time_zone(ReadinessAssessments::UpdatedAt))
                    .foreign_key(&mut fk(
                        (ReadinessAssessments::Table, ReadinessAssessments::CreatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Webhooks::Table)
                    .col(big_pk_auto(Webhooks::Id))
                    // `post_published`, `question_asked`, `answer_posted`.
                    .col(string_len(Webhooks::Event, 32))
                    .col(string_len(Webhooks::Url, 2000))
                    .col(string_len(Webhooks::Secret, 128))
                    .col(boolean(Webhooks::Active))
                    .col(big_integer_null(Webhooks::CreatedBy))
                    .col(timestamp_with_time_zone(Webhooks::CreatedAt))
                    .foreign_key(&mut fk(
                        (Webhooks::Table, Webhooks::CreatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(big_pk_auto(WebhookDeliveries::Id))
                    .col(big_integer(WebhookDeliveries::WebhookId))
                    .col(string_len(WebhookDeliveries::Event, 32))
                    .col(text(WebhookDeliveries::Payload))
                    // `{webhook}:{event}:{subject}`: one delivery per webhook and event.
                    .col(string_len_uniq(WebhookDeliveries::DedupeKey, 128))
                    .col(integer(WebhookDeliveries::Attempts))
                    .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::LeasedUntil,
                    ))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::DeliveredAt,
                    ))
                    .col(timestamp_with_time_zone_null(WebhookDeliveries::FailedAt))
                    .col(integer_null(WebhookDeliveries::LastStatus))
                    .col(text_null(WebhookDeliveries::LastError))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .foreign_key(&mut fk(
                        (WebhookDeliveries::Table, WebhookDeliveries::WebhookId),
                        (Webhooks::Table, Webhooks::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // A person's points per month and rule, read from the index alone (the breakdown on
        // the leaderboard page and in the API).
        index(
            manager,
            "ix_point_events_user_month_action",
            PointEvents::Table,
            vec![
                PointEvents::UserId.into_iden(),
                PointEvents::Month.into_iden(),
                PointEvents::Action.into_iden(),
                PointEvents::Points.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "ix_webhook_deliveries_due",
            WebhookDeliveries::Table,
            vec![
                WebhookDeliveries::DeliveredAt.into_iden(),
                WebhookDeliveries::FailedAt.into_iden(),
                WebhookDeliveries::NextAttemptAt.into_iden(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookDeliveries::Table.into_iden(),
            Webhooks::Table.into_iden(),
            ReadinessAssessments::Table.into_iden(),
            ActivityWeeks::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
