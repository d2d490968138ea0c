//! Membership: joining, join requests, leaving, adding, approving and removing members, and
//! spaces whose members follow a department or a directory group.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QuerySelect,
};
use serde_json::json;

use super::{
    service::{get, is_staff},
    types::{MemberInput, SpaceKind, SpaceMember, SpaceRole, SpaceView},
};
use crate::{
    audit,
    auth::{current_user::CurrentUser, types::UserId},
    entities::{space_members, spaces, users},
    error::{AppError, AppResult},
};

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
    members_of(db, &space).await
}

/// The members of a space already read for `reader` (with [`get`]), in one statement: who may
/// see them is checked here.
pub async fn members_of(db: &DatabaseConnection, space: &SpaceView) -> AppResult<Vec<SpaceMember>> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType};
    if space.kind != SpaceKind::Open && space.my_role.is_none() && !space.can_manage {
        // A closed space shows who is in it to its members only.
        return Err(AppError::NotFound);
    }
    let mut query =
        space_members::Entity::find().filter(space_members::Column::SpaceId.eq(space.id));
    if !space.can_manage {
        query = query.filter(space_members::Column::State.eq("member"));
    }
    let mut select = sea_orm::QueryTrait::into_query(query);
    select
        .join(
            JoinType::InnerJoin,
            users::Entity,
            Expr::col((users::Entity, users::Column::Id))
                .equals((space_members::Entity, space_members::Column::UserId)),
        )
        .expr_as(
            Expr::col((users::Entity, users::Column::DisplayName)),
            Alias::new("display_name_"),
        );
    let mut out: Vec<SpaceMember> = crate::db::all(db, &select)
        .await?
        .iter()
        .map(|row| {
            let m = <space_members::Model as sea_orm::FromQueryResult>::from_query_result(row, "")?;
            Ok(SpaceMember {
                display_name: row.try_get("", "display_name_")?,
                user_id: m.user_id,
                role: SpaceRole::parse(&m.role),
                state: m.state,
                since: m.created_at,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()?;
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
    take_in(conn, space, &people).await
}

/// Makes these people members of the space (a waiting request becomes membership).
async fn take_in<C: ConnectionTrait>(conn: &C, space: i64, people: &[i64]) -> AppResult<()> {
    for user in people.iter().copied() {
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

/// The people of a directory group joined or left it: the spaces linked to the group take in
/// those who joined and let go those who left (moderators stay; they are named by hand).
pub async fn follow_group<C: ConnectionTrait>(
    conn: &C,
    group: i64,
    joined: &[i64],
    left: &[i64],
) -> AppResult<()> {
    let linked = spaces::Entity::find()
        .filter(spaces::Column::DirectoryGroupId.eq(group))
        .all(conn)
        .await?;
    for space in linked {
        take_in(conn, space.id, joined).await?;
        let_go(conn, space.id, left).await?;
    }
    Ok(())
}

/// A person moved from one department to another: the spaces linked to the old one let them
/// go (unless they moderate), those linked to the new one take them in.
pub async fn follow_department<C: ConnectionTrait>(
    conn: &C,
    user: i64,
    before: Option<i64>,
    after: Option<i64>,
) -> AppResult<()> {
    if before == after {
        return Ok(());
    }
    for (department, joining) in [(before, false), (after, true)] {
        let Some(department) = department else {
            continue;
        };
        let linked = spaces::Entity::find()
            .filter(spaces::Column::DepartmentId.eq(department))
            .all(conn)
            .await?;
        for space in linked {
            if joining {
                take_in(conn, space.id, &[user]).await?;
            } else {
                let_go(conn, space.id, &[user]).await?;
            }
        }
    }
    Ok(())
}

async fn let_go<C: ConnectionTrait>(conn: &C, space: i64, people: &[i64]) -> AppResult<()> {
    if people.is_empty() {
        return Ok(());
    }
    space_members::Entity::delete_many()
        .filter(space_members::Column::SpaceId.eq(space))
        .filter(space_members::Column::UserId.is_in(people.to_vec()))
        .filter(space_members::Column::Role.eq("member"))
        .exec(conn)
        .await?;
    Ok(())
}
