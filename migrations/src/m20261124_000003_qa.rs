//! Q&A: questions and answers with their tags, revisions, comments, votes, tag synonyms,
//! followed tags, experts per tag and invitations to answer.
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
enum Tags {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Questions {
    Table,
    Id,
    AuthorId,
    Title,
    BodyMd,
    BodyHtml,
    Language,
    Status,
    CloseReason,
    DuplicateOfId,
    ClosedBy,
    ClosedAt,
    Score,
    AnswerCount,
    AcceptedAnswerId,
    LastActivityAt,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Answers {
    Table,
    Id,
    QuestionId,
    AuthorId,
    BodyMd,
    BodyHtml,
    Score,
    OutdatedAt,
    OutdatedBy,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum QuestionTags {
    Table,
    QuestionId,
    TagId,
}

#[derive(DeriveIden)]
enum QaRevisions {
    Table,
    Id,
    QuestionId,
    AnswerId,
    EditorId,
    Title,
    BodyMd,
    Tags,
    CreatedAt,
}

#[derive(DeriveIden)]
enum QaComments {
    Table,
    Id,
    QuestionId,
    AnswerId,
    AuthorId,
    BodyMd,
    BodyHtml,
    CreatedAt,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum QuestionVotes {
    Table,
    QuestionId,
    UserId,
    Value,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AnswerVotes {
    Table,
    AnswerId,
    UserId,
    Value,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TagSynonyms {
    Table,
    Name,
    TagId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TagFollows {
    Table,
    UserId,
    TagId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TagExperts {
    Table,
    TagId,
    UserId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AnswerInvitations {
    Table,
    QuestionId,
    InviteeId,
    InviterId,
    CreatedAt,
}

/// A vote table: one row per (item, user), value +1 or -1.
fn votes_table(
    table: impl IntoIden + Clone,
    item: impl IntoIden + Clone,
    user: impl IntoIden + Clone,
    value: impl IntoIden,
    created_at: impl IntoIden,
    items: (impl IntoIden, impl IntoIden),
) -> TableCreateStatement {
    Table::create()
        .table(table.clone())
        .col(big_integer(item.clone()))
        .col(big_integer(user.clone()))
        .col(small_integer(value))
        .col(timestamp_with_time_zone(created_at))
        .primary_key(Index::create().col(item.clone()).col(user.clone()))
        .foreign_key(&mut fk(
            (table.clone(), item),
            items,
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            (table, user),
            (Users::Table, Users::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Questions::Table)
                    .col(big_pk_auto(Questions::Id))
                    .col(big_integer(Questions::AuthorId))
                    .col(string_len(Questions::Title, 200))
                    .col(text(Questions::BodyMd))
                    .col(text(Questions::BodyHtml))
                    .col(string_len(Questions::Language, 8))
                    // `open` or `closed`.
                    .col(string_len(Questions::Status, 16))
                    // `duplicate` or `off_topic` while closed.
                    .col(string_len_null(Questions::CloseReason, 16))
                    .col(big_integer_null(Questions::DuplicateOfId))
                    .col(big_integer_null(Questions::ClosedBy))
                    .col(timestamp_with_time_zone_null(Questions::ClosedAt))
                    // Kept in the same transaction as the vote rows, by `score = score + delta`.
                    .col(integer(Questions::Score).default(0))
                    .col(integer(Questions::AnswerCount).default(0))
                    // No foreign key: answers refer to questions; the service keeps this valid.
                    .col(big_integer_null(Questions::AcceptedAnswerId))
                    .col(timestamp_with_time_zone(Questions::LastActivityAt))
                    .col(timestamp_with_time_zone(Questions::CreatedAt))
                    .col(timestamp_with_time_zone(Questions::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Questions::DeletedAt))
                    .foreign_key(&mut fk(
                        (Questions::Table, Questions::AuthorId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (Questions::Table, Questions::DuplicateOfId),
                        (Questions::Table, Questions::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Questions::Table, Questions::ClosedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_questions_created",
            Questions::Table,
            vec![Questions::CreatedAt.into_iden(), Questions::Id.into_iden()],
        )
        .await?;
        index(
            manager,
            "idx_questions_activity",
            Questions::Table,
            vec![
                Questions::LastActivityAt.into_iden(),
                Questions::Id.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "idx_questions_author",
            Questions::Table,
            vec![Questions::AuthorId.into_iden(), Questions::Id.into_iden()],
        )
        .await?;
        index(
            manager,
            "idx_questions_duplicate_of",
            Questions::Table,
            vec![Questions::DuplicateOfId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Answers::Table)
                    .col(big_pk_auto(Answers::Id))
                    .col(big_integer(Answers::QuestionId))
                    .col(big_integer(Answers::AuthorId))
                    .col(text(Answers::BodyMd))
                    .col(text(Answers::BodyHtml))
                    .col(integer(Answers::Score).default(0))
                    .col(timestamp_with_time_zone_null(Answers::OutdatedAt))
                    .col(big_integer_null(Answers::OutdatedBy))
                    .col(timestamp_with_time_zone(Answers::CreatedAt))
                    .col(timestamp_with_time_zone(Answers::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Answers::DeletedAt))
                    .foreign_key(&mut fk(
                        (Answers::Table, Answers::QuestionId),
                        (Questions::Table, Questions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Answers::Table, Answers::AuthorId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (Answers::Table, Answers::OutdatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_answers_question",
            Answers::Table,
            vec![Answers::QuestionId.into_iden(), Answers::Id.into_iden()],
        )
        .await?;
        index(
            manager,
            "idx_answers_author",
            Answers::Table,
            vec![Answers::AuthorId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(QuestionTags::Table)
                    .col(big_integer(QuestionTags::QuestionId))
                    .col(big_integer(QuestionTags::TagId))
                    .primary_key(
                        Index::create()
                            .col(QuestionTags::QuestionId)
                            .col(QuestionTags::TagId),
                    )
                    .foreign_key(&mut fk(
                        (QuestionTags::Table, QuestionTags::QuestionId),
                        (Questions::Table, Questions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (QuestionTags::Table, QuestionTags::TagId),
                        (Tags::Table, Tags::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_question_tags_tag",
            QuestionTags::Table,
            vec![
                QuestionTags::TagId.into_iden(),
                QuestionTags::QuestionId.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(QaRevisions::Table)
                    .col(big_pk_auto(QaRevisions::Id))
                    // Exactly one of question_id and answer_id is set.
                    .col(big_integer_null(QaRevisions::QuestionId))
                    .col(big_integer_null(QaRevisions::AnswerId))
                    .col(big_integer_null(QaRevisions::EditorId))
                    .col(string_len_null(QaRevisions::Title, 200))
                    .col(text(QaRevisions::BodyMd))
                    // Comma-separated tag names of a question revision.
                    .col(text_null(QaRevisions::Tags))
                    .col(timestamp_with_time_zone(QaRevisions::CreatedAt))
                    .foreign_key(&mut fk(
                        (QaRevisions::Table, QaRevisions::QuestionId),
                        (Questions::Table, Questions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (QaRevisions::Table, QaRevisions::AnswerId),
                        (Answers::Table, Answers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (QaRevisions::Table, QaRevisions::EditorId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_qa_revisions_question",
            QaRevisions::Table,
            vec![QaRevisions::QuestionId.into_iden()],
        )
        .await?;
        index(
            manager,
            "idx_qa_revisions_answer",
            QaRevisions::Table,
            vec![QaRevisions::AnswerId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(QaComments::Table)
                    .col(big_pk_auto(QaComments::Id))
                    // The question the comment shows under (also for comments on answers).
                    .col(big_integer(QaComments::QuestionId))
                    .col(big_integer_null(QaComments::AnswerId))
                    .col(big_integer(QaComments::AuthorId))
                    .col(text(QaComments::BodyMd))
                    .col(text(QaComments::BodyHtml))
                    .col(timestamp_with_time_zone(QaComments::CreatedAt))
                    .col(timestamp_with_time_zone_null(QaComments::DeletedAt))
                    .foreign_key(&mut fk(
                        (QaComments::Table, QaComments::QuestionId),
                        (Questions::Table, Questions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (QaComments::Table, QaComments::AnswerId),
                        (Answers::Table, Answers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (QaComments::Table, QaComments::AuthorId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_qa_comments_question",
            QaComments::Table,
            vec![
                QaComments::QuestionId.into_iden(),
                QaComments::Id.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(votes_table(
                QuestionVotes::Table,
                QuestionVotes::QuestionId,
                QuestionVotes::UserId,
                QuestionVotes::Value,
                QuestionVotes::CreatedAt,
                (Questions::Table, Questions::Id),
            ))
            .await?;
        manager
            .create_table(votes_table(
                AnswerVotes::Table,
                AnswerVotes::AnswerId,
                AnswerVotes::UserId,
                AnswerVotes::Value,
                AnswerVotes::CreatedAt,
                (Answers::Table, Answers::Id),
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TagSynonyms::Table)
                    .col(string_len(TagSynonyms::Name, 50).primary_key())
                    .col(big_integer(TagSynonyms::TagId))
                    .col(big_integer_null(TagSynonyms::CreatedBy))
                    .col(timestamp_with_time_zone(TagSynonyms::CreatedAt))
                    .foreign_key(&mut fk(
                        (TagSynonyms::Table, TagSynonyms::TagId),
                        (Tags::Table, Tags::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (TagSynonyms::Table, TagSynonyms::CreatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TagFollows::Table)
                    .col(big_integer(TagFollows::UserId))
                    .col(big_integer(TagFollows::TagId))
                    .col(timestamp_with_time_zone(TagFollows::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(TagFollows::UserId)
                            .col(TagFollows::TagId),
                    )
                    .foreign_key(&mut fk(
                        (TagFollows::Table, TagFollows::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (TagFollows::Table, TagFollows::TagId),
                        (Tags::Table, Tags::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TagExperts::Table)
                    .col(big_integer(TagExperts::TagId))
                    .col(big_integer(TagExperts::UserId))
                    .col(big_integer_null(TagExperts::CreatedBy))
                    .col(timestamp_with_time_zone(TagExperts::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(TagExperts::TagId)
                            .col(TagExperts::UserId),
                    )
                    .foreign_key(&mut fk(
                        (TagExperts::Table, TagExperts::TagId),
                        (Tags::Table, Tags::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (TagExperts::Table, TagExperts::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (TagExperts::Table, TagExperts::CreatedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AnswerInvitations::Table)
                    .col(big_integer(AnswerInvitations::QuestionId))
                    .col(big_integer(AnswerInvitations::InviteeId))
                    .col(big_integer(AnswerInvitations::InviterId))
                    .col(timestamp_with_time_zone(AnswerInvitations::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(AnswerInvitations::QuestionId)
                            .col(AnswerInvitations::InviteeId),
                    )
                    .foreign_key(&mut fk(
                        (AnswerInvitations::Table, AnswerInvitations::QuestionId),
                        (Questions::Table, Questions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (AnswerInvitations::Table, AnswerInvitations::InviteeId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (AnswerInvitations::Table, AnswerInvitations::InviterId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_answer_invitations_invitee",
            AnswerInvitations::Table,
            vec![AnswerInvitations::InviteeId.into_iden()],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AnswerInvitations::Table.into_iden(),
            TagExperts::Table.into_iden(),
            TagFollows::Table.into_iden(),
            TagSynonyms::Table.into_iden(),
            AnswerVotes::Table.into_iden(),
            QuestionVotes::Table.into_iden(),
            QaComments::Table.into_iden(),
            QaRevisions::Table.into_iden(),
            QuestionTags::Table.into_iden(),
            Answers::Table.into_iden(),
            Questions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
