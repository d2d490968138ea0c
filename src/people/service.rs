//! Profiles, the directory, follows and ambassadors. Everyone edits their own profile; admins
//! correct anyone's (audited); the social team marks ambassadors (audited).
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Func, OnConflict, Order, Query},
};

use super::{
    feed, reading,
    repo::{self, photo_url},
    types::{ProfilePatch, parse_bio, parse_field, parse_languages, parse_links},
    views::{PersonSummary, ProfileView},
};
use crate::{
    audit,
    auth::{
        current_user::CurrentUser,
        repo as users_repo,
        types::{DisplayName, Role, UserId},
    },
    content,
    entities::{profile_expertise, profiles, user_follows, users},
    error::{AppError, AppResult, Msg},
    events::Doc,
    web::pagination::{Paged, Pagination},
};

pub fn can_edit(viewer: &CurrentUser, user_id: i64) -> bool {
    viewer.id.0 == user_id || viewer.has(Role::Admin)
}

async fn user_row<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<users::Model> {
    users::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

async fn profile_row<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<Option<profiles::Model>> {
    Ok(profiles::Entity::find_by_id(id).one(conn).await?)
}

/// A person's profile page (also for deactivated people: their content stays theirs): the
/// person in one statement, their latest activity in one more.
pub async fn profile(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<ProfileView> {
    // Counts and activity show only what the viewer may see (closed spaces stay out).
    let person = reading::person(db, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let recent = feed::by_author(db, viewer, id).await?;
    Ok(ProfileView {
        photo_large_url: photo_url(person.photo_key.as_deref(), 256),
        languages: person
            .languages
            .split(',')
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        bio: person.bio_md,
        bio_html: person.bio_html,
        links: person
            .links
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        stats: person.stats,
        followed_by_me: person.followed_by_me,
        is_me: viewer.id.0 == id,
        can_edit: can_edit(viewer, id) && person.summary.is_active,
        can_mark_ambassador: viewer.has(Role::SocialTeam),
        recent,
        summary: person.summary,
    })
}

/// Moves a person to a department (or none), inside the caller's transaction; the department
/// they were in before. Company sign-in uses it to follow the directory's groups.
pub async fn set_department<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    department: Option<i64>,
) -> AppResult<Option<i64>> {
    let row = ensure_profile(conn, id).await?;
    let before = row.department_id;
    if before != department {
        let mut active = row.into_active_model();
        active.department_id = Set(department);
        active.updated_at = Set(Utc::now());
        active.update(conn).await?;
        // Spaces linked to a department follow its people.
        crate::spaces::members::follow_department(conn, id, before, department).await?;
    }
    Ok(before)
}

/// The profile row, created empty on first use.
async fn ensure_profile<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<profiles::Model> {
    profiles::Entity::insert(profiles::ActiveModel {
        user_id: Set(id),
        job_title: Set(String::new()),
        department_id: Set(None),
        location: Set(String::new()),
        languages: Set(String::new()),
        bio_md: Set(String::new()),
        bio_html: Set(String::new()),
        links: Set(String::new()),
        photo_key: Set(None),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(profiles::Column::UserId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    profile_row(conn, id).await?.ok_or(AppError::NotFound)
}

/// A profile patch, validated (and its bio rendered) before the transaction starts.
struct CheckedPatch {
    display_name: Option<DisplayName>,
    job_title: Option<String>,
    location: Option<String>,
    languages: Option<Vec<String>>,
    /// `(html, markdown)`.
    bio: Option<(String, String)>,
    links: Option<Vec<String>>,
    expertise: Option<Vec<String>>,
    /// `Some(None)` clears the department.
    department_id: Option<Option<i64>>,
}

/// Validates every field of the patch, in the order the errors are reported, and renders the
/// bio.
async fn check_patch(patch: &ProfilePatch) -> AppResult<CheckedPatch> {
    let display_name = patch
        .display_name
        .as_deref()
        .map(DisplayName::parse)
        .transpose()?;
    let job_title = patch
        .job_title
        .as_deref()
        .map(|v| parse_field("job_title", v))
        .transpose()?;
    let location = patch
        .location
        .as_deref()
        .map(|v| parse_field("location", v))
        .transpose()?;
    let languages = patch
        .languages
        .as_deref()
        .map(parse_languages)
        .transpose()?;
    let bio = match patch.bio.as_deref().map(parse_bio).transpose()? {
        Some(md) => Some((content::render(&md, "bio").await?, md)),
        None => None,
    };
    let links = patch.links.as_deref().map(parse_links).transpose()?;
    let expertise = patch
        .expertise
        .as_deref()
        .map(crate::tags::parse_list)
        .transpose()?;
    Ok(CheckedPatch {
        display_name,
        job_title,
        location,
        languages,
        bio,
        links,
        expertise,
        department_id: patch.department_id,
    })
}

/// The error for a department that does not exist.
fn unknown_department() -> AppError {
    AppError::validation("department_id", Msg::new("err-department-unknown"))
}

/// Edits a profile: one's own, or anyone's for an admin (then audited).
pub async fn update(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    patch: &ProfilePatch,
) -> AppResult<ProfileView> {
    if !can_edit(actor, id) {
        return Err(AppError::forbidden());
    }
    let mut patch = check_patch(patch).await?;
    let txn = crate::db::begin(db).await?;
    // Checked inside the transaction; a department deleted at the same moment (PostgreSQL lets
    // that commit in between) still answers 422 through the foreign key, not 500.
    if let Some(Some(department)) = patch.department_id
        && crate::entities::departments::Entity::find_by_id(department)
            .one(&txn)
            .await?
            .is_none()
    {
        return Err(unknown_department());
    }
    let user = user_row(&txn, id).await?;
    if !user.is_active {
        return Err(AppError::NotFound);
    }
    if let Some(name) = patch.display_name.take() {
        let mut active = user.into_active_model();
        active.display_name = Set(name.as_str().to_owned());
        active.updated_at = Set(Utc::now());
        active.update(&txn).await?;
    }
    let expertise = patch.expertise.take();
    update_profile_row(&txn, id, patch).await?;
    if let Some(names) = expertise {
        replace_expertise(&txn, id, &names).await?;
    }
    crate::events::changed(&txn, &[Doc::Person(id)]).await?;
    if actor.id.0 != id {
        audit::record(
            &txn,
            Some(actor.id),
            "user.profile_corrected",
            Some(UserId(id)),
            serde_json::json!({}),
        )
        .await?;
    }
    txn.commit().await?;
    profile(db, actor, id).await
}

/// Writes the patched fields to the profile row (created empty on first use); a department
/// deleted meanwhile answers as unknown.
async fn update_profile_row<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    patch: CheckedPatch,
) -> AppResult<()> {
    let row = ensure_profile(conn, id).await?;
    let department_before = row.department_id;
    let department_after = patch.department_id.unwrap_or(department_before);
    let mut active = row.into_active_model();
    if let Some(v) = patch.job_title {
        active.job_title = Set(v);
    }
    if let Some(v) = patch.location {
        active.location = Set(v);
    }
    if let Some(v) = patch.languages {
        active.languages = Set(v.join(","));
    }
    if let Some((html, md)) = patch.bio {
        active.bio_html = Set(html);
        active.bio_md = Set(md);
    }
    if let Some(v) = patch.links {
        active.links = Set(v.join("\n"));
    }
    if let Some(v) = patch.department_id {
        active.department_id = Set(v);
    }
    active.updated_at = Set(Utc::now());
    active.update(conn).await.map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => unknown_department(),
        _ => e.into(),
    })?;
    crate::spaces::members::follow_department(conn, id, department_before, department_after)
        .await?;
    Ok(())
}

/// Replaces a person's declared expertise with these tags (created when new).
async fn replace_expertise<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    names: &[String],
) -> AppResult<()> {
    profile_expertise::Entity::delete_many()
        .filter(profile_expertise::Column::UserId.eq(id))
        .exec(conn)
        .await?;
    let rows: Vec<_> = crate::tags::ensure(conn, names)
        .await?
        .into_iter()
        .map(|t| profile_expertise::ActiveModel {
            user_id: Set(id),
            tag_id: Set(t.id),
        })
        .collect();
    if !rows.is_empty() {
        profile_expertise::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Sets (or with `None` removes) a profile photo; returns the previous key to delete after
/// the commit.
pub async fn set_photo(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    key: Option<String>,
) -> AppResult<Option<String>> {
    if !can_edit(actor, id) {
        return Err(AppError::forbidden());
    }
    let txn = crate::db::begin(db).await?;
    let row = ensure_profile(&txn, id).await?;
    let old = row.photo_key.clone();
    let mut active = row.into_active_model();
    active.photo_key = Set(key);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(old)
}

#[derive(Clone, Debug, Default)]
pub struct DirectoryFilter {
    /// Part of the name.
    pub q: Option<String>,
    pub department_id: Option<i64>,
    /// Part of the location.
    pub location: Option<String>,
    /// Declared expertise (tag id).
    pub tag_id: Option<i64>,
    pub ambassadors_only: bool,
}

fn lower_like(
    col: impl sea_orm::sea_query::IntoColumnRef,
    text: &str,
) -> sea_orm::sea_query::SimpleExpr {
    let escaped = text.to_lowercase().replace(['%', '_'], "");
    Expr::expr(Func::lower(Expr::col(col))).like(format!("%{escaped}%"))
}

/// Active people matching every filter, by name, a page at a time: the count and the page's
/// summaries, two statements.
pub async fn directory(
    db: &DatabaseConnection,
    filter: &DirectoryFilter,
    pagination: Pagination,
) -> AppResult<Paged<PersonSummary>> {
    let mut cond = Condition::all().add(users::Column::IsActive.eq(true));
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        cond = cond.add(lower_like((users::Entity, users::Column::DisplayName), q));
    }
    let mut in_profiles = Query::select()
        .column(profiles::Column::UserId)
        .from(profiles::Entity)
        .to_owned();
    let mut profile_filter = false;
    if let Some(d) = filter.department_id {
        in_profiles.and_where(profiles::Column::DepartmentId.eq(d));
        profile_filter = true;
    }
    if let Some(l) = filter
        .location
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        in_profiles.and_where(lower_like(profiles::Column::Location, l));
        profile_filter = true;
    }
    if profile_filter {
        cond = cond.add(users::Column::Id.in_subquery(in_profiles));
    }
    if let Some(tag_id) = filter.tag_id {
        cond = cond.add(
            users::Column::Id.in_subquery(
                Query::select()
                    .column(profile_expertise::Column::UserId)
                    .from(profile_expertise::Entity)
                    .and_where(profile_expertise::Column::TagId.eq(tag_id))
                    .to_owned(),
            ),
        );
    }
    if filter.ambassadors_only {
        cond = cond.add(repo::holding(Role::Ambassador));
    }
    let total = users::Entity::find().filter(cond.clone()).count(db).await?;
    let mut page = reading::summary_select(db.get_database_backend());
    page.cond_where(cond)
        .order_by((users::Entity, users::Column::DisplayName), Order::Asc)
        .order_by((users::Entity, users::Column::Id), Order::Asc)
        .offset(pagination.offset())
        .limit(pagination.per_page);
    let items = reading::summaries_of(db, &page).await?;
    Ok(Paged::new(items, total, pagination))
}

pub async fn follow(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    if actor.id.0 == id {
        return Err(AppError::validation("id", Msg::new("err-follow-self")));
    }
    let user = user_row(db, id).await?;
    if !user.is_active {
        return Err(AppError::NotFound);
    }
    user_follows::Entity::insert(user_follows::ActiveModel {
        follower_id: Set(actor.id.0),
        followee_id: Set(id),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            user_follows::Column::FollowerId,
            user_follows::Column::FolloweeId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn unfollow(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    user_follows::Entity::delete_by_id((actor.id.0, id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks or unmarks an ambassador: the social team only; audited.
pub async fn set_ambassador(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    ambassador: bool,
) -> AppResult<PersonSummary> {
    actor.require(Role::SocialTeam)?;
    let txn = crate::db::begin(db).await?;
    let user = user_row(&txn, id).await?;
    let roles = users_repo::roles_of(&txn, UserId(user.id)).await?;
    if roles.contains(Role::Ambassador) != ambassador {
        let new = crate::auth::types::Roles::new(
            roles
                .iter()
                .filter(|r| *r != Role::Ambassador)
                .chain(ambassador.then_some(Role::Ambassador)),
        );
        users_repo::set_roles(&txn, UserId(user.id), &new).await?;
        crate::events::changed(&txn, &[Doc::Person(user.id)]).await?;
        audit::record(
            &txn,
            Some(actor.id),
            if ambassador {
                "user.ambassador_marked"
            } else {
                "user.ambassador_unmarked"
            },
            Some(UserId(user.id)),
            serde_json::json!({}),
        )
        .await?;
    }
    txn.commit().await?;
    repo::summaries(db, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}
