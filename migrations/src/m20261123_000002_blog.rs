//! The blog: posts with their old slugs, tags, revisions, review decisions, likes, comments and
//! which announcements each reader has seen.
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
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    AuthorId,
    Title,
    Slug,
    BodyMd,
    BodyHtml,
    Excerpt,
    Language,
    Status,
    CoverPath,
    ScheduledAt,
    PublishedAt,
    IsAnnouncement,
    AnnouncementUntil,
    DeletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PostSlugs {
    Table,
    Slug,
    PostId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PostTags {
    Table,
    PostId,
    TagId,
}

#[derive(DeriveIden)]
enum PostRevisions {
    Table,
    Id,
    PostId,
    EditorId,
    Title,
    BodyMd,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PostReviews {
    Table,
    Id,
    PostId,
    ActorId,
    Decision,
    Comment,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PostLikes {
    Table,
    PostId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PostComments {
    Table,
    Id,
    PostId,
    AuthorId,
    ParentId,
    BodyMd,
    BodyHtml,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
    DeletedBy,
}

#[derive(DeriveIden)]
enum AnnouncementReads {
    Table,
    PostId,
    UserId,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tags::Table)
                    .col(big_pk_auto(Tags::Id))
                    // Normalised (lower case, hyphens) by the application.
                    .col(string_len_uniq(Tags::Name, 50))
                    .col(timestamp_with_time_zone(Tags::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Posts::Table)
                    .col(big_pk_auto(Posts::Id))
                    .col(big_integer(Posts::AuthorId))
                    .col(string_len(Posts::Title, 200))
                    .col(string_len_uniq(Posts::Slug, 240))
                    .col(text(Posts::BodyMd))
                    // Rendered and sanitised when saved; pages and feeds serve this.
                    .col(text(Posts::BodyHtml))
                    .col(text(Posts::Excerpt))
                    .col(string_len(Posts::Language, 8))
                    .col(string_len(Posts::Status, 24))
                    .col(string_len_null(Posts::CoverPath, 200))
                    .col(timestamp_with_time_zone_null(Posts::ScheduledAt))
                    .col(timestamp_with_time_zone_null(Posts::PublishedAt))
                    .col(boolean(Posts::IsAnnouncement).default(false))
                    .col(timestamp_with_time_zone_null(Posts::AnnouncementUntil))
                    .col(timestamp_with_time_zone_null(Posts::DeletedAt))
                    .col(timestamp_with_time_zone(Posts::CreatedAt))
                    .col(timestamp_with_time_zone(Posts::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Posts::Table, Posts::AuthorId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_posts_status_published",
                vec![Posts::Status, Posts::PublishedAt, Posts::Id],
            ),
            ("idx_posts_author", vec![Posts::AuthorId, Posts::Id]),
            (
                "idx_posts_scheduled",
                vec![Posts::Status, Posts::ScheduledAt],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Posts::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(PostSlugs::Table)
                    .col(string_len(PostSlugs::Slug, 240).primary_key())
                    .col(big_integer(PostSlugs::PostId))
                    .col(timestamp_with_time_zone(PostSlugs::CreatedAt))
                    .foreign_key(&mut fk(
                        (PostSlugs::Table, PostSlugs::PostId),
                        (Posts::Table, Posts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PostTags::Table)
                    .col(big_integer(PostTags::PostId))
                    .col(big_integer(PostTags::TagId))
                    .primary_key(Index::create().col(PostTags::PostId).col(PostTags::TagId))
                    .foreign_key(&mut fk(
                        (PostTags::Table, PostTags::PostId),
                        (Posts::Table, Posts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (PostTags::Table, PostTags::TagId),
                        (Tags::Table, Tags::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_post_tags_tag")
                    .table(PostTags::Table)
                    .col(PostTags::TagId)
                    .col(PostTags::PostId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PostRevisions::Table)
                    .col(big_pk_auto(PostRevisions::Id))
                    .col(big_integer(PostRevisions::PostId))
                    .col(big_integer_null(PostRevisions::EditorId))
                    .col(string_len(PostRevisions::Title, 200))
                    .col(text(PostRevisions::BodyMd))
                    .col(timestamp_with_time_zone(PostRevisions::CreatedAt))
                    .foreign_key(&mut fk(
                        (PostRevisions::Table, PostRevisions::PostId),
                        (Posts::Table, Posts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (PostRevisions::Table, PostRevisions::EditorId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_post_revisions_post")
                    .table(PostRevisions::Table)
                    .col(PostRevisions::PostId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PostReviews::Table)
                    .col(big_pk_auto(PostReviews::Id))
                    .col(big_integer(PostReviews::PostId))
                    // NULL for the scheduler publishing a post.
                    .col(big_integer_null(PostReviews::ActorId))
                    .col(string_len(PostReviews::Decision, 24))
                    .col(text_null(PostReviews::Comment))
                    .col(timestamp_with_time_zone(PostReviews::CreatedAt))
                    .foreign_key(&mut fk(
                        (PostReviews::Table, PostReviews::PostId),
                        (Posts::Table, Posts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (PostReviews::Table, PostReviews::ActorId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_post_reviews_post")
                    .table(PostReviews::Table)
                    .col(PostReviews::PostId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PostLikes::Table)
                    .col(big_integer(PostLikes::PostId))
                    .col(big_integer(PostLikes::UserId))
                    .col(timestamp_with_time_zone(PostLikes::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(PostLikes::PostId)
                            .col(PostLikes::UserId),
                    )
                    .foreign_key(&mut fk(
                        (PostLikes::Table, PostLikes::PostId),
                        (Posts::Table, Posts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (PostLikes::Table, PostLikes::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PostComments::Table)
                    .col(big_pk_auto(PostComments::Id))
                    .col(big_integer(PostComments::PostId))
                    .col(big_integer(PostComments::AuthorId))
                    .col(big_integer_null(PostComments::ParentId))
                    .col(text(PostComments::BodyMd))
                    .col(text(PostComments::BodyHtml))
                    .col(timestamp_with_time_zone(PostComments::CreatedAt))
                    .col(timestamp_with_time_zone(PostComments::UpdatedAt))
                    .col(timestamp_with_time_zone_null(PostComments::DeletedAt))
                    .col(big_integer_null(PostComments::DeletedBy))
                    .foreign_key(&mut fk(
                        (PostComments::Table, PostComments::PostId),
                        (Posts::Table, Posts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (PostComments::Table, PostComments::AuthorId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        (PostComments::Table, PostComments::ParentId),
                        (PostComments::Table, PostComments::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_post_comments_post")
                    .table(PostComments::Table)
                    .col(PostComments::PostId)
                    .col(PostComments::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AnnouncementReads::Table)
                    .col(big_integer(AnnouncementReads::PostId))
                    .col(big_integer(AnnouncementReads::UserId))
                    .col(timestamp_with_time_zone(AnnouncementReads::ReadAt))
                    .primary_key(
                        Index::create()
                            .col(AnnouncementReads::UserId)
                            .col(AnnouncementReads::PostId),
                    )
                    .foreign_key(&mut fk(
                        (AnnouncementReads::Table, AnnouncementReads::PostId),
                        (Posts::Table, Posts::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (AnnouncementReads::Table, AnnouncementReads::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AnnouncementReads::Table.into_iden(),
            PostComments::Table.into_iden(),
            PostLikes::Table.into_iden(),
            PostReviews::Table.into_iden(),
            PostRevisions::Table.into_iden(),
            PostTags::Table.into_iden(),
            PostSlugs::Table.into_iden(),
            Posts::Table.into_iden(),
            Tags::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
