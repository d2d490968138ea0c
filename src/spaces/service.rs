//! Spaces and their members. Admins and the social team create spaces and manage every space;
//! a space's moderators manage its members and join requests. A secret space one is not in,
//! and anything in it, answers 404 (its existence is not revealed).
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;

use super::types::{MemberInput, NewSpace, SpaceKind, SpaceMember, SpaceRole, SpaceView};
use crate::{
    audit,
    auth::{
        current_user::CurrentUser,
        types::{Role, UserId},
    },
    entities::{departments, directory_groups, space_members, spaces, users},
    error::{AppError, AppResult, Msg},
};

/// Admins and the social team manage every space.
pub fn is_staff(user: &CurrentUser) -> bool {
    user.has(Role::Admin) || user.has(Role::SocialTeam)
}

fn member_row(rows: &[space_members::Model], space: i64) -> Option<&space_members::Model> {
    rows.iter().find(|m| m.space_id == space)
}

async fn memberships_of<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
) -> AppResult<Vec<space_members::Model>> {
    Ok(space_members::Entity::find()
        .filter(space_members::Column::UserId.eq(user.0))
        .all(conn)
        .await?)
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

async fn views<C: ConnectionTrait>(
    conn: &C,
    reader: &CurrentUser,
    rows: Vec<spaces::Model>,
) -> AppResult<Vec<SpaceView>> {
    let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let counts: HashMap<i64, i64> = space_members::Entity::find()
        .select_only()
        .column(space_members::Column::SpaceId)
        .column_as(space_members::Column::UserId.count(), "n")
        .filter(space_members::Column::SpaceId.is_in(ids))
        .filter(space_members::Column::State.eq("member"))
        .group_by(space_members::Column::SpaceId)
        .into_tuple::<(i64, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let mine = memberships_of(conn, reader.id).await?;
    Ok(rows
        .into_iter()
        .map(|s| {
            let me = member_row(&mine, s.id);
            let my_role = me
                .filter(|m| m.state == "member")
                .map(|m| SpaceRole::parse(&m.role));
            SpaceView {
                member_count: counts.get(&s.id).copied().unwrap_or(0) as u64,
                requested: me.is_some_and(|m| m.state == "requested"),
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
            }
        })
        .collect())
}

/// The directory: every space the reader may know of, by name.
pub async fn list(db: &DatabaseConnection, reader: &CurrentUser) -> AppResult<Vec<SpaceView>> {
    let rows = spaces::Entity::find()
        .filter(listed_condition(reader))
        .order_by_asc(spaces::Column::Name)
        .all(db)
        .await?;
    views(db, reader, rows).await
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
    let row = query.one(conn).await?.ok_or(AppError::NotFound)?;
    views(conn, reader, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
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
    sync_linked(&txn, row.id).await?;
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

/// Joins an open space, or asks to join a closed one. A secret space cannot be asked for.
pub async fn join(db: &DatabaseConnection, user: &CurrentUser, key: &str) -> AppResult<SpaceView> {
    let space = get(db, user, key).await?;
    if space.my_role.is_some() || space.requested {
        return Ok(space);
    }
    let state = match space.kind {
        SpaceKind::Open => "member",
        SpaceKind::Closed => "requested",
        // Listed to the reader only when already a member (or staff, who add themselves).
        SpaceKind::Secret if is_staff(user) => "member",
        SpaceKind::Secret => return Err(AppError::NotFound),
    };
    let txn = crate::db::begin(db).await?;
    space_members::ActiveModel {
        space_id: Set(space.id),
        user_id: Set(user.id.0),
        role: Set("member".into()),
        state: Set(state.into()),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    let action = if state == "member" {
        "space.joined"
    } else {
        "space.join_requested"
    };
    audit::record(
        &txn,
        Some(user.id),
        action,
        Some(user.id),
        json!({ "space_id": space.id }),
    )
    .await?;
    let view = get(&txn, user, &space.id.to_string()).await?;
    txn.commit().await?;
    Ok(view)
}

/// Leaves a space (or withdraws a request). The last moderator stays until another is named.
pub async fn leave(db: &DatabaseConnection, user: &CurrentUser, key: &str) -> AppResult<()> {
    let space = get(db, user, key).await?;
    remove(db, user, space.id, user.id.0).await
}

/// Adds a member, approves a join request, or changes a member's role (the space's moderators
/// and staff).
pub async fn put_member(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    space: i64,
    user: i64,
    input: &MemberInput,
) -> AppResult<SpaceMember> {
    let view = get(db, actor, &space.to_string()).await?;
    if !view.can_manage {
        return Err(AppError::forbidden());
    }
    let txn = crate::db::begin(db).await?;
    let person = users::Entity::find_by_id(user)
        .one(&txn)
        .await?
        .filter(|u| u.is_active)
        .ok_or(AppError::NotFound)?;
    let role = input.role.unwrap_or(SpaceRole::Member);
    let existing = space_members::Entity::find_by_id((space, user))
        .one(&txn)
        .await?;
    let row = match existing {
        Some(row) => {
            let was = (row.role.clone(), row.state.clone());
            let mut active = row.into_active_model();
            active.role = Set(role.as_str().to_owned());
            active.state = Set("member".into());
            let row = active.update(&txn).await?;
            if was != (row.role.clone(), row.state.clone()) {
                audit::record(&txn, Some(actor.id), "space.member_changed", Some(UserId(user)),
                    json!({ "space_id": space, "role": row.role, "was": was.0, "state_was": was.1 })).await?;
            }
            row
        }
        None => {
            let row = space_members::ActiveModel {
                space_id: Set(space),
                user_id: Set(user),
                role: Set(role.as_str().to_owned()),
                state: Set("member".into()),
                created_at: Set(Utc::now()),
            }
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                Some(actor.id),
                "space.member_added",
                Some(UserId(user)),
                json!({ "space_id": space, "role": row.role }),
            )
            .await?;
            row
        }
    };
    ensure_a_moderator(&txn, space).await?;
    txn.commit().await?;
    Ok(SpaceMember {
        user_id: user,
        display_name: person.display_name,
        role: SpaceRole::parse(&row.role),
        state: row.state,
        since: row.created_at,
    })
}

/// Removes a member or refuses a join request (moderators, staff, or the person themselves).
pub async fn remove(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    space: i64,
    user: i64,
) -> AppResult<()> {
    let view = get(db, actor, &space.to_string()).await?;
    if !view.can_manage && actor.id.0 != user {
        return Err(AppError::forbidden());
    }
    let txn = crate::db::begin(db).await?;
    let deleted = space_members::Entity::delete_by_id((space, user))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    ensure_a_moderator(&txn, space).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "space.member_removed",
        Some(UserId(user)),
        json!({ "space_id": space }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A space keeps at least one moderator once it has members.
async fn ensure_a_moderator<C: ConnectionTrait>(conn: &C, space: i64) -> AppResult<()> {
    let members = space_members::Entity::find()
        .filter(space_members::Column::SpaceId.eq(space))
        .filter(space_members::Column::State.eq("member"));
    let moderators = members
        .clone()
        .filter(space_members::Column::Role.eq("moderator"))
        .count(conn)
        .await?;
    if moderators == 0 && members.count(conn).await? > 0 {
        return Err(AppError::conflict("err-space-last-moderator"));
    }
    Ok(())
}

/// Members and (for those who manage the space) join requests, moderators first.
pub async fn members(
    db: &DatabaseConnection,
    reader: &CurrentUser,
    key: &str,
) -> AppResult<Vec<SpaceMember>> {
    let space = get(db, reader, key).await?;
    if space.kind != SpaceKind::Open && space.my_role.is_none() && !space.can_manage {
        // A closed space shows who is in it to its members only.
        return Err(AppError::NotFound);
    }
    let mut query =
        space_members::Entity::find().filter(space_members::Column::SpaceId.eq(space.id));
    if !space.can_manage {
        query = query.filter(space_members::Column::State.eq("member"));
    }
    let rows = query.all(db).await?;
    let names: HashMap<i64, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(rows.iter().map(|m| m.user_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut out: Vec<SpaceMember> = rows
        .into_iter()
        .filter_map(|m| {
            Some(SpaceMember {
                display_name: names.get(&m.user_id)?.clone(),
                user_id: m.user_id,
                role: SpaceRole::parse(&m.role),
                state: m.state,
                since: m.created_at,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (
            a.state != "member",
            a.role != SpaceRole::Moderator,
            a.display_name.to_lowercase(),
        )
            .cmp(&(
                b.state != "member",
                b.role != SpaceRole::Moderator,
                b.display_name.to_lowercase(),
            ))
    });
    Ok(out)
}

/// Spaces linked to a department or a directory group: their members follow it (people of the
/// department or group are members; nobody else is removed).
pub async fn sync_linked<C: ConnectionTrait>(conn: &C, space: i64) -> AppResult<()> {
    let Some(row) = spaces::Entity::find_by_id(space).one(conn).await? else {
        return Ok(());
    };
    let mut people: Vec<i64> = Vec::new();
    if let Some(d) = row.department_id {
        people.extend(
            crate::entities::profiles::Entity::find()
                .filter(crate::entities::profiles::Column::DepartmentId.eq(d))
                .select_only()
                .column(crate::entities::profiles::Column::UserId)
                .into_tuple::<i64>()
                .all(conn)
                .await?,
        );
    }
    if let Some(g) = row.directory_group_id {
        people.extend(
            crate::entities::directory_group_members::Entity::find()
                .filter(crate::entities::directory_group_members::Column::GroupId.eq(g))
                .select_only()
                .column(crate::entities::directory_group_members::Column::UserId)
                .into_tuple::<i64>()
                .all(conn)
                .await?,
        );
    }
    for user in people {
        let existing = space_members::Entity::find_by_id((space, user))
            .one(conn)
            .await?;
        match existing {
            Some(m) if m.state == "member" => {}
            Some(m) => {
                let mut active = m.into_active_model();
                active.state = Set("member".into());
                active.update(conn).await?;
            }
            None => {
                space_members::ActiveModel {
                    space_id: Set(space),
                    user_id: Set(user),
                    role: Set("member".into()),
                    state: Set("member".into()),
                    created_at: Set(Utc::now()),
                }
                .insert(conn)
                .await?;
            }
        }
    }
    Ok(())
}
