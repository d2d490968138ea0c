//! The blog's rules: who sees and edits which post, the review setting, writing, reading and
//! listing posts, and revisions. The publication lifecycle lives in `lifecycle`, likes in
//! `likes`, announcements in `announcements`; their public functions are re-exported here.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, sea_query::OnConflict,
};

use super::{
    announcements::record_read,
    lifecycle::history,
    reading::{self, summaries, summary_of},
    repo::{self, Cursor, ListFilter, SlugLookup},
    types::{
        EditorialReview, PostInput, PostPatch, PostStatus, ReviewMode, parse_body, parse_excerpt,
        parse_title,
    },
    views::{PostPage, PostSummary, PostView, Revision},
};
use crate::spaces::audience::Audience;
use crate::{
    audit,
    auth::{current_user::CurrentUser, types::Role},
    content::{self, derived::Derived},
    entities::{post_revisions, post_slugs, posts},
    error::{AppError, AppResult},
    events::{self, Doc},
    settings_store, tags,
};

pub use super::{
    announcements::{announcements, mark_read, with_latest},
    lifecycle::{approve, archive, delete, publish, publish_due, restore, send_back, unpublish},
    likes::like,
};

pub const PAGE_SIZE: u64 = 20;

// ---- permissions ----------------------------------------------------------------------------

pub(super) fn status_of(post: &posts::Model) -> PostStatus {
    status_named(&post.status)
}

/// A stored status; an unknown one reads as a draft (shown to its author and editors only).
pub(super) fn status_named(status: &str) -> PostStatus {
    PostStatus::parse(status).unwrap_or(PostStatus::Draft)
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

/// [`can_view`], and the post's space is one the viewer sees (company-wide, open, or theirs);
/// a post in review is also for the reviewers of its space.
pub async fn can_read<C: ConnectionTrait>(
    conn: &C,
    post: &posts::Model,
    viewer: &CurrentUser,
) -> AppResult<bool> {
    if !Audience::of(viewer).sees(conn, post.space_id).await? {
        return Ok(false);
    }
    readable(conn, post, viewer).await
}

/// [`can_read`] but for the space, which the caller checked (`reading::post` does in SQL).
async fn readable<C: ConnectionTrait>(
    conn: &C,
    post: &posts::Model,
    viewer: &CurrentUser,
) -> AppResult<bool> {
    if can_view(post, viewer) {
        return Ok(true);
    }
    Ok(post.deleted_at.is_none()
        && status_of(post) == PostStatus::InReview
        && reviews(conn, viewer, post).await?)
}

/// Refuses (403) someone who reviews no post at all: not a blog moderator, not a reviewer of
/// any space.
pub async fn require_reviewer<C: ConnectionTrait>(conn: &C, actor: &CurrentUser) -> AppResult<()> {
    if is_moderator(actor)
        || !crate::spaces::service::reviewed_by(conn, actor, actor.has(Role::Editor))
            .await?
            .is_empty()
    {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Whether `actor` reviews this post: for a company-wide post editors and admins; for a post in
/// a space that space's moderators, editors who are its members, admins and the social team.
pub async fn reviews<C: ConnectionTrait>(
    conn: &C,
    actor: &CurrentUser,
    post: &posts::Model,
) -> AppResult<bool> {
    match post.space_id {
        None => Ok(is_moderator(actor)),
        Some(space) => {
            crate::spaces::service::reviews_in(conn, actor, space, actor.has(Role::Editor)).await
        }
    }
}

/// The post if the viewer may see it; "not found" otherwise, so its existence is not revealed.
pub(super) async fn visible<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<posts::Model> {
    let post = repo::find(conn, id).await?.ok_or(AppError::NotFound)?;
    if can_read(conn, &post, viewer).await? {
        Ok(post)
    } else {
        Err(AppError::NotFound)
    }
}

pub(super) async fn editable<C: ConnectionTrait>(
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

pub(super) fn require_moderator(actor: &CurrentUser) -> AppResult<()> {
    if is_moderator(actor) {
        Ok(())
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
    let space = crate::spaces::service::check_target(&txn, actor, input.space_id).await?;
    let slug = unique_slug(&txn, &title, None).await?;
    let now = Utc::now();
    let derived = Derived::of(&body);
    let post = posts::ActiveModel {
        author_id: Set(actor.id.0),
        space_id: Set(space),
        title: Set(title),
        slug: Set(slug),
        body_html: Set(body_html),
        body_excerpt: Set(Some(derived.excerpt)),
        reading_minutes: Set(Some(derived.reading_minutes)),
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
    events::changed(&txn, &[Doc::Post(post.id)]).await?;
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
        let derived = Derived::of(&body);
        row.body_excerpt = Set(Some(derived.excerpt));
        row.reading_minutes = Set(Some(derived.reading_minutes));
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
    events::changed(&txn, &[Doc::Post(post.id)]).await?;
    txn.commit().await?;
    view(db, actor, post).await
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

/// The post as `viewer` sees it, after a change (they may: they just made it).
async fn view<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    post: posts::Model,
) -> AppResult<PostView> {
    let row = reading::post(conn, viewer, reading::Key::Id(post.id))
        .await?
        .ok_or(AppError::NotFound)?;
    view_of(conn, viewer, row).await
}

/// The page of a post read with [`reading::post`]: one more statement, its history, for its
/// author and moderators.
async fn view_of<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    row: reading::PostRow,
) -> AppResult<PostView> {
    let reading::PostRow {
        post,
        author,
        tags,
        likes,
        comments,
        liked_by_me,
        space,
    } = row;
    let insider = post.author_id == viewer.id.0 || is_moderator(viewer);
    let history = if insider {
        history(conn, post.id).await?
    } else {
        vec![]
    };
    let can_edit = can_edit(&post, viewer);
    let (body, body_html, custom_excerpt) = (
        post.body_md.clone(),
        post.body_html.clone(),
        post.excerpt.clone(),
    );
    let (announcement_until, created_at) = (post.announcement_until, post.created_at);
    let summary = summary_of(post.into(), author, tags, likes, comments);
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
        space,
        liked_by_me,
        can_edit,
        body,
        body_html,
        custom_excerpt,
        announcement_until,
        created_at,
        history,
        changes_requested,
        summary,
    })
}

pub async fn get(db: &DatabaseConnection, viewer: &CurrentUser, id: i64) -> AppResult<PostView> {
    let row = reading::post(db, viewer, reading::Key::Id(id))
        .await?
        .ok_or(AppError::NotFound)?;
    if !readable(db, &row.post, viewer).await? {
        return Err(AppError::NotFound);
    }
    view_of(db, viewer, row).await
}

pub enum Opened {
    Post(Box<PostView>),
    /// An old slug: redirect here.
    Moved(String),
}

/// A post by its slug, for its page; reading an announcement marks it read.
pub async fn open(db: &DatabaseConnection, viewer: &CurrentUser, slug: &str) -> AppResult<Opened> {
    let Some(row) = reading::post(db, viewer, reading::Key::Slug(slug)).await? else {
        // An old slug, or a post out of the viewer's sight.
        return match repo::find_by_slug(db, slug).await? {
            SlugLookup::Moved(post) if can_read(db, &post, viewer).await? => {
                Ok(Opened::Moved(post.slug))
            }
            _ => Err(AppError::NotFound),
        };
    };
    if !readable(db, &row.post, viewer).await? {
        return Err(AppError::NotFound);
    }
    if row.post.is_announcement && status_of(&row.post) == PostStatus::Published {
        record_read(db, viewer, row.post.id).await?;
    }
    Ok(Opened::Post(Box::new(view_of(db, viewer, row).await?)))
}

/// A page of `limit` posts from `limit + 1` read, with the cursor to the next one.
fn page(mut items: Vec<PostSummary>, limit: u64) -> PostPage {
    let next_cursor = (items.len() as u64 > limit)
        .then(|| items.get(limit as usize - 1))
        .flatten()
        .and_then(|p| p.published_at.map(|at| Cursor { at, id: p.id }.encode()));
    items.truncate(limit as usize);
    PostPage { items, next_cursor }
}

/// Published posts `audience` may see, newest first, optionally by tag, author or space, or
/// announcements only.
pub async fn list(
    db: &DatabaseConnection,
    audience: Audience,
    filter: &ListFilter,
    before: Option<&str>,
    limit: u64,
) -> AppResult<PostPage> {
    let filter = &ListFilter {
        audience,
        ..filter.clone()
    };
    let cursor = match before {
        Some(raw) => Some(Cursor::parse(raw)?),
        None => None,
    };
    let limit = limit.clamp(1, 100);
    let items = summaries(db, repo::published(filter, cursor, limit)).await?;
    Ok(page(items, limit))
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
    let query = posts::Entity::find()
        .filter(posts::Column::AuthorId.eq(actor.id.0))
        .filter(posts::Column::DeletedAt.is_null())
        .order_by_desc(posts::Column::UpdatedAt)
        .limit(200);
    summaries(db, query).await
}

/// Posts waiting for an editor, oldest first.
pub async fn review_queue(
    db: &DatabaseConnection,
    actor: &CurrentUser,
) -> AppResult<Vec<PostSummary>> {
    let spaces = crate::spaces::service::reviewed_by(db, actor, actor.has(Role::Editor)).await?;
    if !is_moderator(actor) && spaces.is_empty() {
        return Err(AppError::forbidden());
    }
    let mut scope = sea_orm::Condition::any().add(posts::Column::SpaceId.is_in(spaces));
    if is_moderator(actor) {
        scope = scope.add(posts::Column::SpaceId.is_null());
    }
    let query = posts::Entity::find()
        .filter(posts::Column::Status.eq(PostStatus::InReview.as_str()))
        .filter(posts::Column::DeletedAt.is_null())
        .filter(scope)
        .order_by_asc(posts::Column::UpdatedAt)
        .limit(200);
    summaries(db, query).await
}

/// Deleted posts, for admins to restore.
pub async fn deleted(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<PostSummary>> {
    actor.require(Role::Admin)?;
    let query = posts::Entity::find()
        .filter(posts::Column::DeletedAt.is_not_null())
        .order_by_desc(posts::Column::DeletedAt)
        .limit(200);
    summaries(db, query).await
}

/// Earlier versions of a published post, newest first (author, editors, admins).
pub async fn revisions(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
) -> AppResult<Vec<Revision>> {
    Ok(revisions_of(db, actor, id).await?.1)
}

/// The post and its earlier versions: the post with the checks of [`editable`] (404 when the
/// viewer may not read it, 403 when they may not edit it), then the revisions in one statement.
pub async fn revisions_of(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
) -> AppResult<(posts::Model, Vec<Revision>)> {
    let post = editable(db, actor, id).await?;
    let revisions = reading::revisions(db, id).await?;
    Ok((post, revisions))
}
