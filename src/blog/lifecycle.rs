//! The publication lifecycle: publishing (straight away, scheduled, or through editorial
//! review), approving and sending back, unpublishing, archiving, deleting and restoring, the
//! scheduled publications, and the review history each step leaves. Every state change is a
//! conditional update (`WHERE status IN (...)`), so two racing requests cannot both move a post.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    IntoActiveModel, QueryFilter, QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, Order, Query},
};

use super::{
    repo,
    service::{editable, get, require_moderator, review_mode, status_of, visible},
    types::PostStatus,
    views::{Decision, PostView},
};
use crate::{
    auth::{current_user::CurrentUser, types::Role},
    content,
    entities::{post_reviews, posts, users},
    error::{AppError, AppResult, Msg},
    events::{self, Actor, Doc, Event},
};

/// How long a leadership post stays pinned when its author sets no date.
const ANNOUNCEMENT_DAYS: i64 = 14;

// ---- transitions and history ---------------------------------------------------------------

/// Moves a post from one of `from` to `to`, setting more columns; false when it was no longer
/// in one of `from` (someone else moved it first).
async fn transition<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    from: &[PostStatus],
    to: PostStatus,
    more: Vec<(posts::Column, Expr)>,
) -> AppResult<bool> {
    let mut update = posts::Entity::update_many()
        .col_expr(posts::Column::Status, Expr::value(to.as_str()))
        .col_expr(posts::Column::UpdatedAt, Expr::value(Utc::now()));
    for (col, expr) in more {
        update = update.col_expr(col, expr);
    }
    let result = update
        .filter(posts::Column::Id.eq(id))
        .filter(posts::Column::Status.is_in(from.iter().map(|s| s.as_str())))
        .filter(posts::Column::DeletedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

fn moved_meanwhile() -> AppError {
    AppError::conflict("err-post-changed")
}

/// Adds a step to the post's review history.
async fn record<C: ConnectionTrait>(
    conn: &C,
    post_id: i64,
    actor: Option<&CurrentUser>,
    decision: &str,
    comment: Option<String>,
) -> AppResult<()> {
    post_reviews::ActiveModel {
        post_id: Set(post_id),
        actor_id: Set(actor.map(|a| a.id.0)),
        decision: Set(decision.to_owned()),
        comment: Set(comment),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The post's review history, oldest first: every step of its lifecycle with who took it.
pub(super) async fn history<C: ConnectionTrait>(
    conn: &C,
    post_id: i64,
) -> AppResult<Vec<Decision>> {
    // One statement: the decisions with the names of who made them.
    let mut select = Query::select();
    crate::db::all_columns(&mut select, post_reviews::Entity);
    select
        .from(post_reviews::Entity)
        .and_where(Expr::col((post_reviews::Entity, post_reviews::Column::PostId)).eq(post_id))
        .expr_as(
            crate::people::repo::name_column(
                "actor",
                Expr::col((post_reviews::Entity, post_reviews::Column::ActorId)),
            ),
            Alias::new("actor_name"),
        )
        .order_by((post_reviews::Entity, post_reviews::Column::Id), Order::Asc);
    crate::db::all(conn, &select)
        .await?
        .iter()
        .map(|row| {
            let r = post_reviews::Model::from_query_result(row, "")?;
            Ok(Decision {
                actor_name: row.try_get("", "actor_name")?,
                decision: r.decision,
                comment: r.comment,
                at: r.created_at,
            })
        })
        .collect()
}

// ---- publishing ----------------------------------------------------------------------------

/// Makes a post public now: published, dated now, an announcement when its author is
/// leadership. False when it was no longer in one of `from`.
async fn go_public(
    conn: &sea_orm::DatabaseTransaction,
    id: i64,
    from: &[PostStatus],
    actor: Option<&CurrentUser>,
) -> AppResult<bool> {
    let post = repo::find(conn, id).await?.ok_or(AppError::NotFound)?;
    let author = users::Entity::find_by_id(post.author_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = Utc::now();
    let until = post
        .announcement_until
        .filter(|u| *u > now)
        .unwrap_or(now + Duration::days(ANNOUNCEMENT_DAYS));
    let moved = transition(
        conn,
        id,
        from,
        PostStatus::Published,
        vec![
            (posts::Column::PublishedAt, Expr::value(now)),
            (
                posts::Column::ScheduledAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            ),
            (
                posts::Column::IsAnnouncement,
                Expr::value(author.is_leadership),
            ),
            (
                posts::Column::AnnouncementUntil,
                Expr::value(
                    author
                        .is_leadership
                        .then_some(until)
                        .or(post.announcement_until),
                ),
            ),
        ],
    )
    .await?;
    if moved {
        record(conn, id, actor, "published", None).await?;
        events::record(
            conn,
            Event::PostPublished {
                post,
                author: Actor {
                    id: author.id,
                    display_name: author.display_name,
                },
                at: now,
            },
        )
        .await?;
    }
    Ok(moved)
}

/// Publishes now or at `at`, or schedules; used once a post may go out.
async fn release(
    conn: &sea_orm::DatabaseTransaction,
    id: i64,
    from: &[PostStatus],
    at: Option<DateTime<Utc>>,
    actor: &CurrentUser,
) -> AppResult<()> {
    match at.filter(|t| *t > Utc::now()) {
        Some(at) => {
            if !transition(
                conn,
                id,
                from,
                PostStatus::Scheduled,
                vec![(posts::Column::ScheduledAt, Expr::value(at))],
            )
            .await?
            {
                return Err(moved_meanwhile());
            }
            record(conn, id, Some(actor), "scheduled", Some(at.to_rfc3339())).await
        }
        None => {
            if !go_public(conn, id, from, Some(actor)).await? {
                return Err(moved_meanwhile());
            }
            Ok(())
        }
    }
}

/// The author publishes (now or at `at`); where review is required the post goes to the
/// editors instead, keeping the wished time.
pub async fn publish(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    at: Option<DateTime<Utc>>,
) -> AppResult<PostView> {
    let txn = crate::db::begin(db).await?;
    let post = visible(&txn, actor, id).await?;
    if post.author_id != actor.id.0 {
        return Err(AppError::Forbidden(Msg::new("err-publish-not-author")));
    }
    if !status_of(&post).is_editable_draft() {
        return Err(AppError::conflict("err-post-not-draft"));
    }
    if content::plain_text(&post.body_md).is_empty() {
        return Err(AppError::validation("body", Msg::new("err-body-empty")));
    }
    let from = [PostStatus::Draft, PostStatus::ChangesRequested];
    if review_mode(&txn).await?.required_for(&actor.roles) {
        let wished = at.filter(|t| *t > Utc::now());
        if !transition(
            &txn,
            id,
            &from,
            PostStatus::InReview,
            vec![(posts::Column::ScheduledAt, Expr::value(wished))],
        )
        .await?
        {
            return Err(moved_meanwhile());
        }
        let resubmitted = post_reviews::Entity::find()
            .filter(post_reviews::Column::PostId.eq(id))
            .filter(post_reviews::Column::Decision.eq("changes_requested"))
            .one(&txn)
            .await?
            .is_some();
        record(&txn, id, Some(actor), "submitted", None).await?;
        events::record(
            &txn,
            Event::ReviewRequested {
                post,
                actor: actor.actor(),
                resubmitted,
            },
        )
        .await?;
    } else {
        release(&txn, id, &from, at, actor).await?;
    }
    events::changed(&txn, &[Doc::Post(id)]).await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// Publishes every scheduled post whose time has come (called by the scheduler, also right
/// after a start). Each post moves in its own transaction with a conditional update, so two
/// nodes or two runs never publish one post twice.
pub async fn publish_due(db: &DatabaseConnection) -> AppResult<usize> {
    let due: Vec<i64> = posts::Entity::find()
        .select_only()
        .column(posts::Column::Id)
        .filter(posts::Column::Status.eq(PostStatus::Scheduled.as_str()))
        .filter(posts::Column::ScheduledAt.lte(Utc::now()))
        .filter(posts::Column::DeletedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut published = 0;
    for id in due {
        let txn = crate::db::begin(db).await?;
        if go_public(&txn, id, &[PostStatus::Scheduled], None).await? {
            published += 1;
            tracing::info!(post_id = id, "scheduled post published");
        }
        events::changed(&txn, &[Doc::Post(id)]).await?;
        txn.commit().await?;
    }
    Ok(published)
}

// ---- review --------------------------------------------------------------------------------

/// An editor approves a post in review: it is published, or scheduled for the author's time.
pub async fn approve(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    comment: Option<&str>,
) -> AppResult<PostView> {
    let txn = crate::db::begin(db).await?;
    super::service::require_reviewer(&txn, actor).await?;
    let post = visible(&txn, actor, id).await?;
    if !super::service::reviews(&txn, actor, &post).await? {
        return Err(AppError::forbidden());
    }
    if status_of(&post) != PostStatus::InReview {
        return Err(AppError::conflict("err-post-not-in-review"));
    }
    if post.author_id == actor.id.0 {
        return Err(AppError::Forbidden(Msg::new("err-review-own-post")));
    }
    let comment = comment
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    record(&txn, id, Some(actor), "approved", comment).await?;
    release(&txn, id, &[PostStatus::InReview], post.scheduled_at, actor).await?;
    events::changed(&txn, &[Doc::Post(id)]).await?;
    events::record(
        &txn,
        Event::ReviewCompleted {
            post,
            editor: actor.actor(),
            kind: "post_approved",
        },
    )
    .await?;
    txn.commit().await?;
    get(db, actor, id).await
}

fn parse_comment(raw: &str, required: bool) -> AppResult<Option<String>> {
    let text = raw.trim();
    if text.is_empty() {
        return if required {
            Err(AppError::validation(
                "comment",
                Msg::new("err-review-comment-required"),
            ))
        } else {
            Ok(None)
        };
    }
    if text.chars().count() > 2000 {
        return Err(AppError::validation(
            "comment",
            Msg::new("err-comment-too-long").arg("max", 2000),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// An editor sends a post back to its author with a comment.
pub async fn send_back(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    comment: &str,
) -> AppResult<PostView> {
    let comment = parse_comment(comment, true)?;
    let txn = crate::db::begin(db).await?;
    super::service::require_reviewer(&txn, actor).await?;
    let post = visible(&txn, actor, id).await?;
    if !super::service::reviews(&txn, actor, &post).await? {
        return Err(AppError::forbidden());
    }
    if post.author_id == actor.id.0 {
        return Err(AppError::Forbidden(Msg::new("err-review-own-post")));
    }
    if !transition(
        &txn,
        id,
        &[PostStatus::InReview],
        PostStatus::ChangesRequested,
        vec![],
    )
    .await?
    {
        return Err(AppError::conflict("err-post-not-in-review"));
    }
    record(&txn, id, Some(actor), "changes_requested", comment).await?;
    events::changed(&txn, &[Doc::Post(id)]).await?;
    events::record(
        &txn,
        Event::ReviewCompleted {
            post,
            editor: actor.actor(),
            kind: "post_returned",
        },
    )
    .await?;
    txn.commit().await?;
    get(db, actor, id).await
}

// ---- withdrawing and deleting --------------------------------------------------------------

/// Takes a post out of public view: moves it from one of `from` to `to` (setting `more`),
/// records `decision` in its history and withdraws its points; 409 when it was in none of
/// `from`.
async fn withdraw(
    txn: &sea_orm::DatabaseTransaction,
    actor: &CurrentUser,
    id: i64,
    (from, to): (&[PostStatus], PostStatus),
    more: Vec<(posts::Column, Expr)>,
    decision: &str,
    comment: Option<String>,
) -> AppResult<()> {
    if !transition(txn, id, from, to, more).await? {
        return Err(AppError::conflict("err-post-not-published"));
    }
    record(txn, id, Some(actor), decision, comment).await?;
    events::changed(txn, &[Doc::Post(id)]).await?;
    // Its points go: publication and likes.
    events::record(txn, Event::PostWithdrawn { post_id: id }).await?;
    Ok(())
}

/// Editors and admins take a published or scheduled post back to draft.
pub async fn unpublish(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    reason: &str,
) -> AppResult<PostView> {
    require_moderator(actor)?;
    let reason = parse_comment(reason, false)?;
    let txn = crate::db::begin(db).await?;
    visible(&txn, actor, id).await?;
    let from = [
        PostStatus::Published,
        PostStatus::Scheduled,
        PostStatus::Archived,
    ];
    withdraw(
        &txn,
        actor,
        id,
        (&from, PostStatus::Draft),
        vec![(
            posts::Column::ScheduledAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )],
        "unpublished",
        reason,
    )
    .await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// The author or a moderator archives a published post: it leaves the lists, its link works.
pub async fn archive(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<PostView> {
    let txn = crate::db::begin(db).await?;
    editable(&txn, actor, id).await?;
    withdraw(
        &txn,
        actor,
        id,
        (&[PostStatus::Published], PostStatus::Archived),
        vec![],
        "archived",
        None,
    )
    .await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// Soft delete by the author (or an admin); admins can restore.
pub async fn delete(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    let txn = crate::db::begin(db).await?;
    let post = visible(&txn, actor, id).await?;
    if post.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    if post.author_id != actor.id.0 && !actor.has(Role::Admin) {
        return Err(AppError::forbidden());
    }
    let mut row = post.into_active_model();
    row.deleted_at = Set(Some(Utc::now()));
    row.update(&txn).await?;
    record(&txn, id, Some(actor), "deleted", None).await?;
    events::changed(&txn, &[Doc::Post(id)]).await?;
    // Its points go: publication and likes.
    events::record(&txn, Event::PostWithdrawn { post_id: id }).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn restore(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<PostView> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let post = repo::find(&txn, id).await?.ok_or(AppError::NotFound)?;
    if post.deleted_at.is_none() {
        return Err(AppError::conflict("err-post-not-deleted"));
    }
    let mut row = post.into_active_model();
    row.deleted_at = Set(None);
    row.update(&txn).await?;
    record(&txn, id, Some(actor), "restored", None).await?;
    events::changed(&txn, &[Doc::Post(id)]).await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// Moves a post into another space or company-wide: a moderator of both ends (blog moderators
/// for company-wide). Audited; every read path follows at once.
pub async fn move_to_space(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    to: Option<i64>,
) -> AppResult<PostView> {
    let txn = crate::db::begin(db).await?;
    let post = visible(&txn, actor, id).await?;
    let from = post.space_id;
    if from != to {
        crate::spaces::service::require_existing(&txn, to).await?;
        if to.is_some()
            && !crate::spaces::audience::Audience::of(actor)
                .sees(&txn, to)
                .await?
        {
            return Err(AppError::validation(
                "space_id",
                Msg::new("err-space-not-member"),
            ));
        }
        let company_moderator = super::service::is_moderator(actor);
        if !crate::spaces::service::may_move(&txn, actor, from, to, company_moderator).await? {
            return Err(AppError::forbidden());
        }
        let mut active = post.into_active_model();
        active.space_id = Set(to);
        active.update(&txn).await?;
        crate::audit::record(
            &txn,
            Some(actor.id),
            "post.moved",
            None,
            serde_json::json!({ "post_id": id, "from": from, "to": to }),
        )
        .await?;
        events::changed(&txn, &[Doc::Post(id)]).await?;
    }
    txn.commit().await?;
    get(db, actor, id).await
}
