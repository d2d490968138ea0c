//! Gamification: point rules, the append-only points ledger with per-month rollups, badges,
//! and Social Guru nominations and awards.
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
enum PointRules {
    Table,
    Action,
    Points,
    DailyCap,
    Enabled,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum PointEvents {
    Table,
    Id,
    UserId,
    Action,
    SubjectKind,
    SubjectId,
    SourceId,
    Points,
    Month,
    Day,
    UniqueKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PointTotals {
    Table,
    Period,
    UserId,
    Points,
}

#[derive(DeriveIden)]
enum Badges {
    Table,
    UserId,
    Badge,
    GrantedAt,
}

#[derive(DeriveIden)]
enum Nominations {
    Table,
    Id,
    Month,
    UserId,
    NominatedBy,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Awards {
    Table,
    Id,
    Month,
    UserId,
    AwardedBy,
    NominationId,
    Note,
    CreatedAt,
    RevokedAt,
    RevokedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PointRules::Table)
                    // `post_published`, `review_completed`, `question_asked`, ...
                    .col(string_len(PointRules::Action, 32).primary_key())
                    .col(integer(PointRules::Points))
                    .col(integer_null(PointRules::DailyCap))
                    .col(boolean(PointRules::Enabled))
                    .col(timestamp_with_time_zone(PointRules::UpdatedAt))
                    .col(big_integer_null(PointRules::UpdatedBy))
                    .foreign_key(&mut fk(
                        (PointRules::Table, PointRules::UpdatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PointEvents::Table)
                    .col(big_pk_auto(PointEvents::Id))
                    .col(big_integer(PointEvents::UserId))
                    .col(string_len(PointEvents::Action, 32))
                    .col(string_len(PointEvents::SubjectKind, 16))
                    .col(big_integer(PointEvents::SubjectId))
                    // Who gave it, for points from other people's acts on the subject (the
                    // voter, the liker): part of the triple, so each vote counts once.
                    .col(big_integer_null(PointEvents::SourceId))
                    // Negative for a reversal.
                    .col(integer(PointEvents::Points))
                    // `2026-11` and `2026-11-28` (UTC), for rollups and daily caps.
                    .col(string_len(PointEvents::Month, 7))
                    .col(string_len(PointEvents::Day, 10))
                    // `{action}:{subject}:{source}:{user}:{n}`: the n-th event of that triple, so an
                    // action is never counted twice, whatever retries or races do.
                    .col(string_len_uniq(PointEvents::UniqueKey, 160))
                    .col(timestamp_with_time_zone(PointEvents::CreatedAt))
                    .foreign_key(&mut fk(
                        (PointEvents::Table, PointEvents::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_point_events_subject",
            PointEvents::Table,
            vec![
                PointEvents::SubjectKind.into_iden(),
                PointEvents::SubjectId.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "ix_point_events_user_day",
            PointEvents::Table,
            vec![
                PointEvents::UserId.into_iden(),
                PointEvents::Day.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PointTotals::Table)
                    // `2026-11`, or `all`.
                    .col(string_len(PointTotals::Period, 7))
                    .col(big_integer(PointTotals::UserId))
                    .col(big_integer(PointTotals::Points))
                    .primary_key(
                        Index::create()
                            .col(PointTotals::Period)
                            .col(PointTotals::UserId),
                    )
                    .foreign_key(&mut fk(
                        (PointTotals::Table, PointTotals::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_point_totals_rank",
            PointTotals::Table,
            vec![
                PointTotals::Period.into_iden(),
                PointTotals::Points.into_iden(),
                PointTotals::UserId.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Badges::Table)
                    .col(big_integer(Badges::UserId))
                    .col(string_len(Badges::Badge, 32))
                    .col(timestamp_with_time_zone(Badges::GrantedAt))
                    .primary_key(Index::create().col(Badges::UserId).col(Badges::Badge))
                    .foreign_key(&mut fk(
                        (Badges::Table, Badges::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Nominations::Table)
                    .col(big_pk_auto(Nominations::Id))
                    .col(string_len(Nominations::Month, 7))
                    .col(big_integer(Nominations::UserId))
                    .col(big_integer(Nominations::NominatedBy))
                    .col(text(Nominations::Reason))
                    .col(timestamp_with_time_zone(Nominations::CreatedAt))
                    .foreign_key(&mut fk(
                        (Nominations::Table, Nominations::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Nominations::Table, Nominations::NominatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_nominations_month_user_by")
                    .table(Nominations::Table)
                    .col(Nominations::Month)
                    .col(Nominations::UserId)
                    .col(Nominations::NominatedBy)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Awards::Table)
                    .col(big_pk_auto(Awards::Id))
                    .col(string_len(Awards::Month, 7))
                    .col(big_integer(Awards::UserId))
                    .col(big_integer_null(Awards::AwardedBy))
                    .col(big_integer_null(Awards::NominationId))
                    .col(text(Awards::Note))
                    .col(timestamp_with_time_zone(Awards::CreatedAt))
                    .col(timestamp_with_time_zone_null(Awards::RevokedAt))
                    .col(big_integer_null(Awards::RevokedBy))
                    .foreign_key(&mut fk(
                        (Awards::Table, Awards::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Awards::Table, Awards::AwardedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Awards::Table, Awards::NominationId),
                        (Nominations::Table, Nominations::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Awards::Table, Awards::RevokedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // At most one standing Social Guru per month (a revoked award frees the month).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_awards_month_standing ON awards (month) \
                 WHERE revoked_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Awards::Table.into_iden(),
            Nominations::Table.into_iden(),
            Badges::Table.into_iden(),
            PointTotals::Table.into_iden(),
            PointEvents::Table.into_iden(),
            PointRules::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
