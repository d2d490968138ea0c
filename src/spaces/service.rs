//! Spaces and their members. Admins and the social team create spaces and manage every space;
//! a space's moderators manage its members and join requests. A secret space one is not in,
//! and anything in it, answers 404 (its existence is not revealed).
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use super::types::{NewSpace, SpaceKind, SpaceRef, SpaceRole, SpaceView};
use crate::{
    audit,
    auth::{current_user::CurrentUser, types::Role},
    entities::{departments, directory_groups, space_members, spaces},
    error::{AppError, AppResult, Msg},
};

/// Admins and the social team manage every space.
pub fn is_staff(user: &CurrentUser) -> bool {
    user.has(Role::Admin) || user.has(Role::SocialTeam)
}

/// Spaces the reader may know of: open and closed ones, and secret ones they are in.
fn listed_condition(reader: &CurrentUser) -> Condition {
    if is_staff(reader) {
        return Condition::all();
    }
    Condition::any().add(spaces::Column::Kind.ne("secret")).add(
        spaces::Column::Id.in_subquery(
            sea_orm::sea_query::Query::select()
                .column(space_members::Column::SpaceId)
                .from(space_members::Entity)
                .and_where(space_members::Column::UserId.eq(reader.id.0))
                .and_where(space_members::Column::State.eq("member"))
                .to_owned(),
        ),
    )
}

/// Spaces of `query` as the reader sees them, in one statement: each space with its member
/// count and the reader's own membership (state and role) as columns.
async fn views<C: ConnectionTrait>(
    conn: &C,
    reader: &CurrentUser,
    query: sea_orm::Select<spaces::Entity>,
) -> AppResult<Vec<SpaceView>> {
    use sea_orm::{
        FromQueryResult, QueryTrait,
        sea_query::{Alias, Expr, ExprTrait, Query},
    };
    let space_id = || Expr::col((space_members::Entity, space_members::Column::SpaceId));
    let own = |column: space_members::Column| {
        crate::db::scalar(
            Query::select()
                .column(column)
                .from(space_members::Entity)
                .and_where(space_id().equals((spaces::Entity, spaces::Column::Id)))
                .and_where(space_members::Column::UserId.eq(reader.id.0))
                .to_owned(),
        )
    };
    let mut select = query.into_query();
    select
        .expr_as(
            crate::db::count_of(
                space_members::Entity,
                [
                    space_id().equals((spaces::Entity, spaces::Column::Id)),
                    space_members::Column::State.eq("member"),
                ],
            ),
            Alias::new("member_count_"),
        )
        .expr_as(own(space_members::Column::State), Alias::new("my_state_"))
        .expr_as(own(space_members::Column::Role), Alias::new("my_role_"));
    let rows = crate::db::all(conn, &select).await?;
    rows.iter()
        .map(|row| {
            let s = spaces::Model::from_query_result(row, "")?;
            let state: Option<String> = row.try_get("", "my_state_")?;
            let role: Option<String> = row.try_get("", "my_role_")?;
            let member_count: i64 = row.try_get("", "member_count_")?;
            let my_role = role
                .filter(|_| state.as_deref() == Some("member"))
                .map(|r| SpaceRole::parse(&r));
            Ok(SpaceView {
                member_count: member_count as u64,
                requested: state.as_deref() == Some("requested"),
                can_manage: is_staff(reader) || my_role == Some(SpaceRole::Moderator),
                my_role,
                id: s.id,
                kind: SpaceKind::parse(&s.kind).unwrap_or(SpaceKind::Secret),
                slug: s.slug,
                name: s.name,
                description: s.description,
                language: s.language,
                department_id: s.department_id,
                directory_group_id: s.directory_group_id,
                created_at: s.created_at,
            })
        })
        .collect()
}

/// The directory: every space the reader may know of, by name.
pub async fn list(db: &DatabaseConnection, reader: &CurrentUser) -> AppResult<Vec<SpaceView>> {
    views(
        db,
        reader,
        spaces::Entity::find()
            .filter(listed_condition(reader))
            .order_by_asc(spaces::Column::Name),
    )
    .await
}

/// One space by id or slug; a secret space the reader is not in is "not found".
pub async fn get<C: ConnectionTrait>(
    conn: &C,
    reader: &CurrentUser,
    key: &str,
) -> AppResult<SpaceView> {
    let mut query = spaces::Entity::find().filter(listed_condition(reader));
    query = match key.parse::<i64>() {
        Ok(id) => query.filter(spaces::Column::Id.eq(id)),
        Err(_) => query.filter(spaces::Column::Slug.eq(key)),
    };
    views(conn, reader, query.limit(1))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// The space content is in, for a reader who may read that content (so may know the space):
/// none for the company-wide space, without a query.
pub async fn reference<C: ConnectionTrait>(
    conn: &C,
    space: Option<i64>,
) -> AppResult<Option<SpaceRef>> {
    let Some(id) = space else {
        return Ok(None);
    };
    Ok(spaces::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(|s| SpaceRef {
            id: s.id,
            kind: SpaceKind::parse(&s.kind).unwrap_or(SpaceKind::Secret),
            slug: s.slug,
            name: s.name,
        }))
}

/// Left-joins `spaces` on `space` (a content row's space column) and selects what a
/// [`SpaceRef`] needs, read back with [`space_ref_of`]: the space beside the content in one
/// statement.
pub fn join_space_ref(
    select: &mut sea_orm::sea_query::SelectStatement,
    space: sea_orm::sea_query::SimpleExpr,
) {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType};
    select.join(
        JoinType::LeftJoin,
        spaces::Entity,
        Expr::col((spaces::Entity, spaces::Column::Id)).eq(space),
    );
    for (column, alias) in [
        (spaces::Column::Id, "space_ref_id"),
        (spaces::Column::Slug, "space_slug"),
        (spaces::Column::Name, "space_name"),
        (spaces::Column::Kind, "space_kind"),
    ] {
        select.expr_as(Expr::col((spaces::Entity, column)), Alias::new(alias));
    }
}

/// The space of a row of a statement made with [`join_space_ref`] (none: company-wide).
pub fn space_ref_of(row: &sea_orm::QueryResult) -> Result<Option<SpaceRef>, sea_orm::DbErr> {
    let Some(id) = row.try_get::<Option<i64>>("", "space_ref_id")? else {
        return Ok(None);
    };
    Ok(Some(SpaceRef {
        id,
        slug: row.try_get("", "space_slug")?,
        name: row.try_get("", "space_name")?,
        kind: SpaceKind::parse(&row.try_get::<String>("", "space_kind")?)
            .unwrap_or(SpaceKind::Secret),
    }))
}

fn parse_name(raw: &str) -> AppResult<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AppError::validation("name", Msg::new("err-space-name")));
    }
    if name.chars().count() > 80 {
        return Err(AppError::validation(
            "name",
            Msg::new("err-field-too-long").arg("max", 80),
        ));
    }
    Ok(name)
}

/// Creates a space (admins and the social team); its creator is its first moderator.
pub async fn create(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &NewSpace,
) -> AppResult<SpaceView> {
    if !is_staff(actor) {
        return Err(AppError::forbidden());
    }
    let name = parse_name(&input.name)?;
    let kind = SpaceKind::parse(input.kind.trim())?;
    let description = input.description.as_deref().unwrap_or("").trim().to_owned();
    if description.chars().count() > 2000 {
        return Err(AppError::validation(
            "description",
            Msg::new("err-field-too-long").arg("max", 2000),
        ));
    }
    let language = match input.language.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(l @ ("nl" | "en")) => Some(l.to_owned()),
        Some(_) => {
            return Err(AppError::validation(
                "language",
                Msg::new("err-space-language"),
            ));
        }
    };
    let txn = crate::db::begin(db).await?;
    if let Some(d) = input.department_id
        && departments::Entity::find_by_id(d)
            .one(&txn)
            .await?
            .is_none()
    {
        return Err(AppError::validation(
            "department_id",
            Msg::new("err-department-unknown"),
        ));
    }
    if let Some(g) = input.directory_group_id
        && directory_groups::Entity::find_by_id(g)
            .one(&txn)
            .await?
            .is_none()
    {
        return Err(AppError::validation(
            "directory_group_id",
            Msg::new("err-space-group-unknown"),
        ));
    }
    let base = crate::content::slugify(&name, 60);
    let mut slug = base.clone();
    let mut n = 2;
    while spaces::Entity::find()
        .filter(spaces::Column::Slug.eq(&slug))
        .one(&txn)
        .await?
        .is_some()
    {
        slug = format!("{base}-{n}");
        n += 1;
    }
    let now = Utc::now();
    let row = spaces::ActiveModel {
        slug: Set(slug),
        name: Set(name),
        description: Set(description),
        language: Set(language),
        kind: Set(kind.as_str().to_owned()),
        department_id: Set(input.department_id),
        directory_group_id: Set(input.directory_group_id),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    space_members::ActiveModel {
        space_id: Set(row.id),
        user_id: Set(actor.id.0),
        role: Set(SpaceRole::Moderator.as_str().to_owned()),
        state: Set("member".into()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor.id),
        "space.created",
        None,
        json!({ "space_id": row.id, "name": row.name, "kind": row.kind }),
    )
    .await?;
    super::members::sync_linked(&txn, row.id).await?;
    let view = get(&txn, actor, &row.id.to_string()).await?;
    txn.commit().await?;
    Ok(view)
}

/// Whether `user` manages this space: staff, or one of its moderators.
pub async fn manages<C: ConnectionTrait>(
    conn: &C,
    user: &CurrentUser,
    space: i64,
) -> AppResult<bool> {
    if is_staff(user) {
        return Ok(true);
    }
    Ok(space_members::Entity::find_by_id((space, user.id.0))
        .one(conn)
        .await?
        .is_some_and(|m| m.state == "member" && m.role == "moderator"))
}

/// Who reviews posts in `space`: its moderators, editors who are its members, admins and the
/// social team (`editor_role`: whether `user` is an editor).
pub async fn reviews_in<C: ConnectionTrait>(
    conn: &C,
    user: &CurrentUser,
    space: i64,
    editor_role: bool,
) -> AppResult<bool> {
    if is_staff(user) {
        return Ok(true);
    }
    Ok(space_members::Entity::find_by_id((space, user.id.0))
        .one(conn)
        .await?
        .is_some_and(|m| m.state == "member" && (m.role == "moderator" || editor_role)))
}

/// The spaces whose posts `user` reviews (see [`reviews_in`]).
pub async fn reviewed_by<C: ConnectionTrait>(
    conn: &C,
    user: &CurrentUser,
    editor_role: bool,
) -> AppResult<Vec<i64>> {
    let mut query = space_members::Entity::find()
        .filter(space_members::Column::UserId.eq(user.id.0))
        .filter(space_members::Column::State.eq("member"));
    if !editor_role {
        query = query.filter(space_members::Column::Role.eq("moderator"));
    }
    Ok(query
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.space_id)
        .collect())
}

/// Whether `user` may post into this space: a member, or staff.
pub async fn may_post_in<C: ConnectionTrait>(
    conn: &C,
    user: &CurrentUser,
    space: i64,
) -> AppResult<bool> {
    if spaces::Entity::find_by_id(space).one(conn).await?.is_none() {
        return Ok(false);
    }
    if is_staff(user) {
        return Ok(true);
    }
    Ok(space_members::Entity::find_by_id((space, user.id.0))
        .one(conn)
        .await?
        .is_some_and(|m| m.state == "member"))
}

/// A space one may post or ask in.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Postable {
    pub id: i64,
    pub name: String,
}

/// The spaces `user` may post in (member spaces; every space for staff), by name.
pub async fn postable(db: &DatabaseConnection, user: &CurrentUser) -> AppResult<Vec<Postable>> {
    let mut query = spaces::Entity::find().order_by_asc(spaces::Column::Name);
    if !is_staff(user) {
        query = query.filter(
            spaces::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(space_members::Column::SpaceId)
                    .from(space_members::Entity)
                    .and_where(space_members::Column::UserId.eq(user.id.0))
                    .and_where(space_members::Column::State.eq("member"))
                    .to_owned(),
            ),
        );
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|s| Postable {
            id: s.id,
            name: s.name,
        })
        .collect())
}

/// Checks that `user` may put content into `space` (none: company-wide). The same answer for
/// a space that does not exist, a secret one, and one the person is not in.
pub async fn check_target<C: ConnectionTrait>(
    conn: &C,
    user: &CurrentUser,
    space: Option<i64>,
) -> AppResult<Option<i64>> {
    match space {
        None => Ok(None),
        Some(id) if may_post_in(conn, user, id).await? => Ok(Some(id)),
        Some(_) => Err(AppError::validation(
            "space_id",
            Msg::new("err-space-not-member"),
        )),
    }
}

/// Fails with 422 (`space_id`) unless the target space exists: staff pass every membership
/// check, so without this a move to an unknown id reached the database's foreign key (a 500 on
/// PostgreSQL).
pub async fn require_existing<C: ConnectionTrait>(conn: &C, space: Option<i64>) -> AppResult<()> {
    let Some(id) = space else { return Ok(()) };
    if spaces::Entity::find_by_id(id).one(conn).await?.is_none() {
        return Err(AppError::validation(
            "space_id",
            Msg::new("err-space-not-member"),
        ));
    }
    Ok(())
}

/// Whether `actor` may move content from one space to another (none: company-wide): they
/// manage both ends; company-wide counts as managed by the feature's moderators
/// (`moderates_company_wide`) and by staff.
pub async fn may_move<C: ConnectionTrait>(
    conn: &C,
    actor: &CurrentUser,
    from: Option<i64>,
    to: Option<i64>,
    moderates_company_wide: bool,
) -> AppResult<bool> {
    for end in [from, to] {
        let ok = match end {
            None => moderates_company_wide || is_staff(actor),
            Some(space) => manages(conn, actor, space).await?,
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}
