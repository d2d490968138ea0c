//! The blog's rules: who sees and edits which post, the publication lifecycle with editorial
//! review, announcements, likes and revisions. Every state change is a conditional update
//! (`WHERE status IN (...)`), so two racing requests cannot both move a post.
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, OnConflict},
};

use super::{
    repo::{self, Cursor, ListFilter, SlugLookup},
    types::{
        EditorialReview, PostInput, PostPatch, PostStatus, ReviewMode, parse_body, parse_excerpt,
        parse_title,
    },
    views::{Decision, PostPage, PostSummary, PostView, Revision},
};
use crate::{
    audit,
    auth::{current_user::CurrentUser, types::Role},
    content,
    entities::{
        announcement_reads, post_likes, post_reviews, post_revisions, post_slugs, posts, users,
    },
    error::{AppError, AppResult, Msg},
    events::{self, Actor, Doc, Event},
    settings_store, tags,
};

/// How long a leadership post stays pinned when its author sets no date.
pub const ANNOUNCEMENT_DAYS: i64 = 14;
const EXCERPT_CHARS: usize = 200;
pub const PAGE_SIZE: u64 = 20;

// ---- permissions ----------------------------------------------------------------------------

fn status_of(post: &posts::Model) -> PostStatus {
    PostStatus::parse(&post.status).unwrap_or(PostStatus::Draft)
}

pub fn is_moderator(user: &CurrentUser) -> bool {
    user.moderates_posts()
}

/// Published and archived posts are for every colleague; drafts, posts in review and
/// scheduled posts for their author, editors and admins; deleted posts for admins only.
pub fn can_view(post: &posts::Model, viewer: &CurrentUser) -> bool {
    if post.deleted_at.is_some() {
        return viewer.has(Role::Admin);
    }
    status_of(post).is_public() || post.author_id == viewer.id.0 || is_moderator(viewer)
}

pub fn can_edit(post: &posts::Model, viewer: &CurrentUser) -> bool {
    post.deleted_at.is_none() && (post.author_id == viewer.id.0 || is_moderator(viewer))
}

/// The post if the viewer may see it; "not found" otherwise, so its existence is not revealed.
async fn visible<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<posts::Model> {
    let post = repo::find(conn, id).await?.ok_or(AppError::NotFound)?;
    if can_view(&post, viewer) {
        Ok(post)
    } else {
        Err(AppError::NotFound)
    }
}

async fn editable<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<posts::Model> {
    let post = visible(conn, viewer, id).await?;
    if can_edit(&post, viewer) {
        Ok(post)
    } else {
        Err(AppError::forbidden())
    }
}

// ---- settings -------------------------------------------------------------------------------

pub async fn review_mode<C: ConnectionTrait>(conn: &C) -> AppResult<ReviewMode> {
    Ok(settings_store::get::<EditorialReview, _>(conn).await?.mode)
}

/// Sets who needs review (admins); the change is audited.
pub async fn set_review_mode(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    mode: ReviewMode,
) -> AppResult<EditorialReview> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let old: EditorialReview = settings_store::get(&txn).await?;
    let new = EditorialReview { mode };
    if old != new {
        settings_store::put(&txn, &new).await?;
        audit::record(
            &txn,
            Some(actor.id),
            "settings.editorial_review_changed",
            None,
            serde_json::json!({ "mode": mode }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(new)
}

// ---- writing --------------------------------------------------------------------------------

async fn unique_slug<C: ConnectionTrait>(
    conn: &C,
    title: &str,
    post_id: Option<i64>,
) -> AppResult<String> {
    let base = content::slugify(title, 200);
    let mut candidate = base.clone();
    for n in 2..1000 {
        if !repo::slug_taken(conn, &candidate, post_id).await? {
            return Ok(candidate);
        }
        candidate = format!("{base}-{n}");
    }
    Ok(format!("{base}-{}", hex::encode(rand::random::<[u8; 4]>())))
}

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

/// Starts a draft.
pub async fn create(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &PostInput,
) -> AppResult<PostView> {
    let title = parse_title(&input.title)?;
    let body = parse_body(&input.body)?;
    let tag_names = tags::parse_list(&input.tags)?;
    let excerpt = parse_excerpt(input.excerpt.as_deref())?;
    let language = input.language.or(actor.locale).unwrap_or_default();
    let body_html = crate::content::mentions::render(db, &body, "body")
        .await?
        .html;
    let txn = crate::db::begin(db).await?;
    let slug = unique_slug(&txn, &title, None).await?;
    let now = Utc::now();
    let post = posts::ActiveModel {
        author_id: Set(actor.id.0),
        title: Set(title),
        slug: Set(slug),
        body_html: Set(body_html),
        body_md: Set(body),
        excerpt: Set(excerpt.unwrap_or_default()),
        language: Set(language.code().to_owned()),
        status: Set(PostStatus::Draft.as_str().to_owned()),
        cover_path: Set(None),
        scheduled_at: Set(None),
        published_at: Set(None),
        is_announcement: Set(false),
        announcement_until: Set(input.announcement_until),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    tags::set_for_post(&txn, post.id, &tag_names).await?;
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Post(post.id)],
        },
    )
    .await?;
    txn.commit().await?;
    view(db, actor, post).await
}

/// Edits a post. After its first publication every change of title or body keeps the previous
/// version as a revision, and a new title leaves the old slug redirecting to the new one.
pub async fn update(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    patch: &PostPatch,
) -> AppResult<PostView> {
    // A new body is rendered before the transaction: rendering never holds the write lock.
    let new_body = match &patch.body {
        Some(raw) => {
            let body = parse_body(raw)?;
            let html = crate::content::mentions::render(db, &body, "body")
                .await?
                .html;
            Some((body, html))
        }
        None => None,
    };
    let txn = crate::db::begin(db).await?;
    let post = editable(&txn, actor, id).await?;
    let mut row = post.clone().into_active_model();
    let mut text_changed = false;
    if let Some(raw) = &patch.title {
        let title = parse_title(raw)?;
        if title != post.title {
            let slug = unique_slug(&txn, &title, Some(id)).await?;
            if slug != post.slug && post.published_at.is_some() {
                post_slugs::Entity::insert(post_slugs::ActiveModel {
                    slug: Set(post.slug.clone()),
                    post_id: Set(id),
                    created_at: Set(Utc::now()),
                })
                .on_conflict(
                    OnConflict::column(post_slugs::Column::Slug)
                        .update_column(post_slugs::Column::PostId)
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
            }
            row.slug = Set(slug);
            row.title = Set(title);
            text_changed = true;
        }
    }
    if let Some((body, html)) = new_body
        && body != post.body_md
    {
        row.body_html = Set(html);
        row.body_md = Set(body);
        text_changed = true;
    }
    if let Some(raw) = &patch.tags {
        let names = tags::parse_list(raw)?;
        tags::set_for_post(&txn, id, &names).await?;
    }
    if let Some(language) = patch.language {
        row.language = Set(language.code().to_owned());
    }
    if patch.excerpt.is_some() {
        row.excerpt = Set(parse_excerpt(patch.excerpt.as_deref())?.unwrap_or_default());
    }
    if let Some(until) = patch.announcement_until {
        row.announcement_until = Set(Some(until));
    }
    if text_changed && post.published_at.is_some() {
        post_revisions::ActiveModel {
            post_id: Set(id),
            editor_id: Set(Some(actor.id.0)),
            title: Set(post.title.clone()),
            body_md: Set(post.body_md.clone()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    row.updated_at = Set(Utc::now());
    let post = row.update(&txn).await?;
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Post(post.id)],
        },
    )
    .await?;
    txn.commit().await?;
    view(db, actor, post).await
}

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

/// Makes a post public now: published, dated now, an announcement when its author is
/// leadership. False when it was no longer in one of `from`.
pub(crate) async fn go_public(
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
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Post(id)],
        },
    )
    .await?;
    txn.commit().await?;
    get(db, actor, id).await
}

fn require_moderator(actor: &CurrentUser) -> AppResult<()> {
    if is_moderator(actor) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// An editor approves a post in review: it is published, or scheduled for the author's time.
pub async fn approve(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    comment: Option<&str>,
) -> AppResult<PostView> {
    require_moderator(actor)?;
    let txn = crate::db::begin(db).await?;
    let post = visible(&txn, actor, id).await?;
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
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Post(id)],
        },
    )
    .await?;
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

/// The number of posts waiting for a moderator's review (their own excepted: nobody reviews
/// their own post).
pub async fn waiting_for_review<C: ConnectionTrait>(
    conn: &C,
    moderator: &CurrentUser,
) -> AppResult<u64> {
    Ok(posts::Entity::find()
        .filter(posts::Column::Status.eq(PostStatus::InReview.as_str()))
        .filter(posts::Column::DeletedAt.is_null())
        .filter(posts::Column::AuthorId.ne(moderator.id.0))
        .count(conn)
        .await?)
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
    require_moderator(actor)?;
    let comment = parse_comment(comment, true)?;
    let txn = crate::db::begin(db).await?;
    let post = visible(&txn, actor, id).await?;
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
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Post(id)],
        },
    )
    .await?;
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
    if !transition(
        &txn,
        id,
        &from,
        PostStatus::Draft,
        vec![(
            posts::Column::ScheduledAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )],
    )
    .await?
    {
        return Err(AppError::conflict("err-post-not-published"));
    }
    record(&txn, id, Some(actor), "unpublished", reason).await?;
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Post(id)],
        },
    )
    .await?;
    // Its points go: publication and likes.
    events::record(&txn, Event::PostWithdrawn { post_id: id }).await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// The author or a moderator archives a published post: it leaves the lists, its link works.
pub async fn archive(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<PostView> {
    let txn = crate::db::begin(db).await?;
    editable(&txn, actor, id).await?;
    if !transition(
        &txn,
        id,
        &[PostStatus::Published],
        PostStatus::Archived,
        vec![],
    )
    .await?
    {
        return Err(AppError::conflict("err-post-not-published"));
    }
    record(&txn, id, Some(actor), "archived", None).await?;
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Post(id)],
        },
    )
    .await?;
    // Its points go: publication and likes.
    events::record(&txn, Event::PostWithdrawn { post_id: id }).await?;
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
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Post(id)],
        },
    )
    .await?;
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
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Post(id)],
        },
    )
    .await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// Sets (or with `None` removes) the cover; returns the previous file to delete after commit.
pub async fn set_cover(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    path: Option<String>,
) -> AppResult<Option<String>> {
    let post = editable(db, actor, id).await?;
    let old = post.cover_path.clone();
    let mut row = post.into_active_model();
    row.cover_path = Set(path);
    row.updated_at = Set(Utc::now());
    row.update(db).await?;
    Ok(old)
}

// ---- reading --------------------------------------------------------------------------------

/// Summaries of many posts with their authors, tags and counts (four extra queries in all).
pub async fn summaries<C: ConnectionTrait>(
    conn: &C,
    posts: Vec<posts::Model>,
) -> AppResult<Vec<PostSummary>> {
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let author_ids: Vec<i64> = posts.iter().map(|p| p.author_id).collect();
    let authors = repo::authors(conn, &author_ids).await?;
    let mut tags = tags::of_posts(conn, &ids).await?;
    let likes = repo::like_counts(conn, &ids).await?;
    let comments = repo::comment_counts(conn, &ids).await?;
    Ok(posts
        .into_iter()
        .filter_map(|p| {
            let author = authors.get(&p.author_id)?.clone();
            Some(PostSummary {
                url: format!("/blog/{}", p.slug),
                excerpt: if p.excerpt.is_empty() {
                    content::excerpt(&p.body_md, EXCERPT_CHARS)
                } else {
                    p.excerpt.clone()
                },
                tags: tags.remove(&p.id).unwrap_or_default(),
                status: status_of(&p),
                cover_url: p.cover_path.as_ref().map(|c| format!("/uploads/{c}")),
                reading_minutes: content::reading_minutes(&p.body_md),
                like_count: likes.get(&p.id).copied().unwrap_or(0),
                comment_count: comments.get(&p.id).copied().unwrap_or(0),
                id: p.id,
                title: p.title,
                slug: p.slug,
                language: p.language,
                author,
                is_announcement: p.is_announcement,
                published_at: p.published_at,
                scheduled_at: p.scheduled_at,
                updated_at: p.updated_at,
            })
        })
        .collect())
}

async fn view<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    post: posts::Model,
) -> AppResult<PostView> {
    let summary = summaries(conn, vec![post.clone()])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let insider = post.author_id == viewer.id.0 || is_moderator(viewer);
    let history = if insider {
        history(conn, post.id).await?
    } else {
        vec![]
    };
    let changes_requested = (summary.status == PostStatus::ChangesRequested)
        .then(|| {
            history
                .iter()
                .rev()
                .find(|d| d.decision == "changes_requested")
                .and_then(|d| d.comment.clone())
        })
        .flatten();
    Ok(PostView {
        liked_by_me: repo::liked_by(conn, viewer.id.0, post.id).await?,
        can_edit: can_edit(&post, viewer),
        body: post.body_md,
        body_html: post.body_html,
        custom_excerpt: post.excerpt,
        announcement_until: post.announcement_until,
        created_at: post.created_at,
        history,
        changes_requested,
        summary,
    })
}

async fn history<C: ConnectionTrait>(conn: &C, post_id: i64) -> AppResult<Vec<Decision>> {
    let rows = post_reviews::Entity::find()
        .filter(post_reviews::Column::PostId.eq(post_id))
        .order_by_asc(post_reviews::Column::Id)
        .all(conn)
        .await?;
    let names = user_names(conn, rows.iter().filter_map(|r| r.actor_id)).await?;
    Ok(rows
        .into_iter()
        .map(|r| Decision {
            actor_name: r.actor_id.and_then(|id| names.get(&id).cloned()),
            decision: r.decision,
            comment: r.comment,
            at: r.created_at,
        })
        .collect())
}

async fn user_names<C: ConnectionTrait>(
    conn: &C,
    ids: impl Iterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    let ids: Vec<i64> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

pub async fn get(db: &DatabaseConnection, viewer: &CurrentUser, id: i64) -> AppResult<PostView> {
    let post = visible(db, viewer, id).await?;
    view(db, viewer, post).await
}

pub enum Opened {
    Post(Box<PostView>),
    /// An old slug: redirect here.
    Moved(String),
}

/// A post by its slug, for its page; reading an announcement marks it read.
pub async fn open(db: &DatabaseConnection, viewer: &CurrentUser, slug: &str) -> AppResult<Opened> {
    let post = match repo::find_by_slug(db, slug).await? {
        SlugLookup::Current(post) => post,
        SlugLookup::Moved(post) if can_view(&post, viewer) => return Ok(Opened::Moved(post.slug)),
        SlugLookup::Moved(_) | SlugLookup::Missing => return Err(AppError::NotFound),
    };
    if !can_view(&post, viewer) {
        return Err(AppError::NotFound);
    }
    if post.is_announcement && status_of(&post) == PostStatus::Published {
        mark_read(db, viewer, post.id).await?;
    }
    Ok(Opened::Post(Box::new(view(db, viewer, post).await?)))
}

fn page(posts: Vec<posts::Model>, items: Vec<PostSummary>, limit: u64) -> PostPage {
    let next_cursor = (posts.len() as u64 > limit)
        .then(|| posts.get(limit as usize - 1))
        .flatten()
        .and_then(|p| p.published_at.map(|at| Cursor { at, id: p.id }.encode()));
    PostPage { items, next_cursor }
}

/// Published posts, newest first, optionally by tag or author or announcements only.
pub async fn list(
    db: &DatabaseConnection,
    filter: &ListFilter,
    before: Option<&str>,
    limit: u64,
) -> AppResult<PostPage> {
    let cursor = match before {
        Some(raw) => Some(Cursor::parse(raw)?),
        None => None,
    };
    let limit = limit.clamp(1, 100);
    let mut rows = repo::published(db, filter, cursor, limit).await?;
    let all = rows.clone();
    rows.truncate(limit as usize);
    let items = summaries(db, rows).await?;
    Ok(page(all, items, limit))
}

/// The tag's id, or 404 for an unknown tag.
pub async fn tag_filter(db: &DatabaseConnection, name: &str) -> AppResult<ListFilter> {
    let tag = tags::find(db, name).await?.ok_or(AppError::NotFound)?;
    Ok(ListFilter {
        tag_id: Some(tag.id),
        ..Default::default()
    })
}

/// The viewer's own posts in every state but deleted, recently changed first.
pub async fn mine(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<PostSummary>> {
    let rows = posts::Entity::find()
        .filter(posts::Column::AuthorId.eq(actor.id.0))
        .filter(posts::Column::DeletedAt.is_null())
        .order_by_desc(posts::Column::UpdatedAt)
        .limit(200)
        .all(db)
        .await?;
    summaries(db, rows).await
}

/// Posts waiting for an editor, oldest first.
pub async fn review_queue(
    db: &DatabaseConnection,
    actor: &CurrentUser,
) -> AppResult<Vec<PostSummary>> {
    require_moderator(actor)?;
    let rows = posts::Entity::find()
        .filter(posts::Column::Status.eq(PostStatus::InReview.as_str()))
        .filter(posts::Column::DeletedAt.is_null())
        .order_by_asc(posts::Column::UpdatedAt)
        .limit(200)
        .all(db)
        .await?;
    summaries(db, rows).await
}

/// Deleted posts, for admins to restore.
pub async fn deleted(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<PostSummary>> {
    actor.require(Role::Admin)?;
    let rows = posts::Entity::find()
        .filter(posts::Column::DeletedAt.is_not_null())
        .order_by_desc(posts::Column::DeletedAt)
        .limit(200)
        .all(db)
        .await?;
    summaries(db, rows).await
}

/// The viewer's pinned announcements: published by leadership, unread, not expired.
pub async fn announcements(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
) -> AppResult<Vec<PostSummary>> {
    let rows = repo::unread_announcements(db, viewer.id.0, Utc::now()).await?;
    summaries(db, rows).await
}

pub async fn mark_read(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    post_id: i64,
) -> AppResult<()> {
    let post = visible(db, viewer, post_id).await?;
    if !post.is_announcement {
        return Ok(());
    }
    announcement_reads::Entity::insert(announcement_reads::ActiveModel {
        post_id: Set(post_id),
        user_id: Set(viewer.id.0),
        read_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            announcement_reads::Column::UserId,
            announcement_reads::Column::PostId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Likes a published post (not one's own); idempotent. Returns the new count.
pub async fn like(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    on: bool,
) -> AppResult<(i64, bool)> {
    let post = visible(db, actor, id).await?;
    if status_of(&post) != PostStatus::Published {
        return Err(AppError::conflict("err-post-not-published"));
    }
    // Likes weigh in search ranking: the index hears of them in the same transaction.
    let txn = crate::db::begin(db).await?;
    if on {
        if post.author_id == actor.id.0 {
            return Err(AppError::validation("post", Msg::new("err-like-own-post")));
        }
        post_likes::Entity::insert(post_likes::ActiveModel {
            post_id: Set(id),
            user_id: Set(actor.id.0),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([post_likes::Column::PostId, post_likes::Column::UserId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    } else {
        post_likes::Entity::delete_by_id((id, actor.id.0))
            .exec(&txn)
            .await?;
    }
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Post(id)],
        },
    )
    .await?;
    events::record(
        &txn,
        Event::PostLiked {
            post,
            liker_id: actor.id.0,
            liked: on,
        },
    )
    .await?;
    txn.commit().await?;
    let count = repo::like_counts(db, &[id])
        .await?
        .get(&id)
        .copied()
        .unwrap_or(0);
    Ok((count, on))
}

/// Earlier versions of a published post, newest first (author, editors, admins).
pub async fn revisions(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
) -> AppResult<Vec<Revision>> {
    editable(db, actor, id).await?;
    let rows = post_revisions::Entity::find()
        .filter(post_revisions::Column::PostId.eq(id))
        .order_by_desc(post_revisions::Column::Id)
        .all(db)
        .await?;
    let names = user_names(db, rows.iter().filter_map(|r| r.editor_id)).await?;
    Ok(rows
        .into_iter()
        .map(|r| Revision {
            id: r.id,
            editor_name: r.editor_id.and_then(|e| names.get(&e).cloned()),
            title: r.title,
            body: r.body_md,
            created_at: r.created_at,
        })
        .collect())
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
        events::record(
            &txn,
            Event::ContentChanged {
                docs: vec![Doc::Post(id)],
            },
        )
        .await?;
        txn.commit().await?;
    }
    Ok(published)
}
