//! A profile (`/people/{id}`, `GET /api/v1/people/{id}`, the profile editor) reads the person in
//! one statement (issue 25's budget): the user with their profile, department, ambassador mark
//! and declared expertise, the counts of what they wrote that the viewer may see, their
//! followers and whom they follow, and whether the viewer follows them. Their latest activity
//! is one more (`feed::by_author`).
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, QueryResult,
    sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement},
};

use super::{
    repo::{ambassador_expr, photo_url},
    views::{PersonSummary, ProfileStats},
};
use crate::{
    auth::current_user::CurrentUser,
    db::{Reused, count_of},
    entities::{
        answers, departments, posts, profile_expertise, profiles, questions, user_follows, users,
    },
    spaces::audience::Audience,
    status::PostStatus,
};

/// A person as their profile shows them (what the viewer may do is the service's question).
pub struct PersonRow {
    pub summary: PersonSummary,
    /// The profile's fields as stored (empty without a profile).
    pub photo_key: Option<String>,
    pub languages: String,
    pub bio_md: String,
    pub bio_html: String,
    pub links: String,
    pub stats: ProfileStats,
    pub followed_by_me: bool,
}

/// People as directory lists show them ([`PersonSummary`], read back with [`summary_of`]): the
/// user with their profile, department, ambassador mark and declared expertise, one row each.
/// The caller adds its filter, order and limit.
pub fn summary_select(backend: sea_orm::DatabaseBackend) -> SelectStatement {
    let mut select = Query::select();
    select
        .columns([
            (users::Entity, users::Column::Id),
            (users::Entity, users::Column::DisplayName),
            (users::Entity, users::Column::IsLeadership),
            (users::Entity, users::Column::IsActive),
        ])
        .columns([
            (profiles::Entity, profiles::Column::JobTitle),
            (profiles::Entity, profiles::Column::DepartmentId),
            (profiles::Entity, profiles::Column::Location),
            (profiles::Entity, profiles::Column::PhotoKey),
        ])
        .expr_as(
            Expr::col((departments::Entity, departments::Column::Name)),
            Alias::new("department"),
        )
        .expr_as(ambassador_expr(), Alias::new("ambassador"))
        .expr_as(
            crate::tags::names_column(
                backend,
                profile_expertise::Entity,
                profile_expertise::Column::UserId,
                profile_expertise::Column::TagId,
                Expr::col((users::Entity, users::Column::Id)),
            ),
            Alias::new("expertise"),
        )
        .from(users::Entity)
        .join(
            JoinType::LeftJoin,
            profiles::Entity,
            Expr::col((profiles::Entity, profiles::Column::UserId))
                .equals((users::Entity, users::Column::Id)),
        )
        .join(
            JoinType::LeftJoin,
            departments::Entity,
            Expr::col((departments::Entity, departments::Column::Id))
                .equals((profiles::Entity, profiles::Column::DepartmentId)),
        );
    select
}

/// The people a [`summary_select`] (with the caller's filter, order and limit) finds, in its
/// order.
pub async fn summaries_of<C: ConnectionTrait>(
    conn: &C,
    select: &SelectStatement,
) -> Result<Vec<PersonSummary>, DbErr> {
    crate::db::all(conn, select)
        .await?
        .iter()
        .map(summary_of)
        .collect()
}

/// A row of a [`summary_select`].
pub fn summary_of(row: &QueryResult) -> Result<PersonSummary, DbErr> {
    let text = |column: &str| -> Result<String, DbErr> {
        Ok(row
            .try_get::<Option<String>>("", column)?
            .unwrap_or_default())
    };
    let id: i64 = row.try_get("", "id")?;
    let photo_key: Option<String> = row.try_get("", "photo_key")?;
    Ok(PersonSummary {
        id,
        display_name: row.try_get("", "display_name")?,
        url: format!("/people/{id}"),
        job_title: text("job_title")?,
        department: row.try_get("", "department")?,
        department_id: row.try_get("", "department_id")?,
        location: text("location")?,
        photo_url: photo_url(photo_key.as_deref(), 64),
        is_ambassador: row.try_get::<i64>("", "ambassador")? > 0,
        is_leadership: row.try_get("", "is_leadership")?,
        is_active: row.try_get("", "is_active")?,
        expertise: crate::tags::split_names(row.try_get("", "expertise")?),
    })
}

/// The person, in one statement; `None` for no such user. Built once per backend and
/// audience shape (see `Reused`): building it was a sixth of a profile's instructions.
pub async fn person<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> Result<Option<PersonRow>, DbErr> {
    static STATEMENTS: [Reused; Audience::SHAPES] = [const { Reused::new() }; Audience::SHAPES];
    let backend = conn.get_database_backend();
    let statement =
        Audience::reused_for(&STATEMENTS, backend, viewer, id, |audience, viewer, id| {
            let mut select = summary_select(backend);
            select
                .columns([
                    (profiles::Entity, profiles::Column::Languages),
                    (profiles::Entity, profiles::Column::BioMd),
                    (profiles::Entity, profiles::Column::BioHtml),
                    (profiles::Entity, profiles::Column::Links),
                ])
                .and_where(Expr::col((users::Entity, users::Column::Id)).eq(id));
            counts(&mut select, viewer, audience, id);
            select
        });
    let Some(row) = conn.query_one_raw(statement).await? else {
        return Ok(None);
    };
    person_of(&row).map(Some)
}

/// The counts a profile shows, as columns: content only where the viewer may see it (closed
/// spaces stay out).
fn counts(select: &mut SelectStatement, viewer: i64, audience: Audience, id: i64) {
    // The answer's question, if the viewer can read it (in a space they see, not deleted):
    // correlated, so only their answers' questions are looked up.
    let readable_question = |accepted: bool| {
        let mut question = Query::select()
            .expr(Expr::cust("1"))
            .from(questions::Entity)
            .and_where(
                Expr::col((questions::Entity, questions::Column::Id))
                    .equals((answers::Entity, answers::Column::QuestionId)),
            )
            .and_where(questions::Column::DeletedAt.is_null())
            .cond_where(audience.condition(questions::Column::SpaceId))
            .to_owned();
        if accepted {
            question.and_where(
                Expr::col((questions::Entity, questions::Column::AcceptedAnswerId))
                    .equals((answers::Entity, answers::Column::Id)),
            );
        }
        Expr::exists(question)
    };
    let columns = [
        (
            "posts_",
            count_of(
                posts::Entity,
                [
                    audience.condition(posts::Column::SpaceId).into(),
                    posts::Column::AuthorId.eq(id),
                    posts::Column::Status.eq(PostStatus::Published.as_str()),
                    posts::Column::DeletedAt.is_null(),
                ],
            ),
        ),
        (
            "questions_",
            count_of(
                questions::Entity,
                [
                    audience.condition(questions::Column::SpaceId).into(),
                    questions::Column::AuthorId.eq(id),
                    questions::Column::DeletedAt.is_null(),
                ],
            ),
        ),
        (
            "answers_",
            count_of(
                answers::Entity,
                [
                    answers::Column::AuthorId.eq(id),
                    answers::Column::DeletedAt.is_null(),
                    readable_question(false),
                ],
            ),
        ),
        (
            "accepted_answers_",
            count_of(
                answers::Entity,
                [
                    answers::Column::AuthorId.eq(id),
                    answers::Column::DeletedAt.is_null(),
                    readable_question(true),
                ],
            ),
        ),
        (
            "followers_",
            count_of(
                user_follows::Entity,
                [user_follows::Column::FolloweeId.eq(id)],
            ),
        ),
        (
            "following_",
            count_of(
                user_follows::Entity,
                [user_follows::Column::FollowerId.eq(id)],
            ),
        ),
        (
            "followed_by_me_",
            count_of(
                user_follows::Entity,
                [
                    user_follows::Column::FollowerId.eq(viewer),
                    user_follows::Column::FolloweeId.eq(id),
                ],
            ),
        ),
    ];
    for (alias, count) in columns {
        select.expr_as(count, Alias::new(alias));
    }
}

fn person_of(row: &QueryResult) -> Result<PersonRow, DbErr> {
    let text = |column: &str| -> Result<String, DbErr> {
        Ok(row
            .try_get::<Option<String>>("", column)?
            .unwrap_or_default())
    };
    Ok(PersonRow {
        summary: summary_of(row)?,
        photo_key: row.try_get("", "photo_key")?,
        languages: text("languages")?,
        bio_md: text("bio_md")?,
        bio_html: text("bio_html")?,
        links: text("links")?,
        stats: ProfileStats {
            posts: row.try_get("", "posts_")?,
            questions: row.try_get("", "questions_")?,
            answers: row.try_get("", "answers_")?,
            accepted_answers: row.try_get("", "accepted_answers_")?,
            followers: row.try_get("", "followers_")?,
            following: row.try_get("", "following_")?,
        },
        followed_by_me: row.try_get::<i64>("", "followed_by_me_")? > 0,
    })
}
