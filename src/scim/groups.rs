//! SCIM Groups: the directory's groups with their members (users linked to the directory).
//! A person's groups, by display name and by external id, feed the group mapping of company
//! sign-in (`sso::mapping`): when a group's members or name change, the roles and departments
//! of everyone affected follow at once.
use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use serde_json::{Map, Value, json};

use super::{
    paths::{self, Operation},
    protocol::{GROUP_SCHEMA, ListQuery, ScimError, ScimResult, find_key, list_response},
    users::{self, Base, timestamp},
};
use crate::{
    auth::types::UserId,
    entities::{directory_group_members as members, directory_groups},
};

struct GroupInput {
    display_name: String,
    external_id: Option<String>,
    members: BTreeSet<i64>,
}

fn read_input(body: &Map<String, Value>) -> ScimResult<GroupInput> {
    let text = |name: &str| -> ScimResult<Option<String>> {
        match find_key(body, name).and_then(|k| body.get(&k)) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s))
                if s.chars().count() <= 255 && !s.chars().any(char::is_control) =>
            {
                Ok(Some(s.clone()))
            }
            Some(_) => Err(ScimError::bad(
                "invalidValue",
                format!("{name} must be a short string"),
            )),
        }
    };
    let display_name = text("displayName")?
        .ok_or_else(|| ScimError::bad("invalidValue", "displayName is required"))?;
    let mut ids = BTreeSet::new();
    match find_key(body, "members").and_then(|k| body.get(&k)) {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let value = item.get("value").and_then(|v| match v {
                    Value::String(s) => s.parse::<i64>().ok(),
                    Value::Number(n) => n.as_i64(),
                    _ => None,
                });
                let kind = item.get("type").and_then(Value::as_str).unwrap_or("User");
                match value {
                    Some(id) if kind.eq_ignore_ascii_case("User") => {
                        ids.insert(id);
                    }
                    Some(_) => {
                        return Err(ScimError::bad(
                            "invalidValue",
                            "groups in groups are not supported",
                        ));
                    }
                    None => {
                        return Err(ScimError::bad(
                            "invalidValue",
                            "a member's value is a user id",
                        ));
                    }
                }
            }
        }
        Some(_) => return Err(ScimError::bad("invalidValue", "members must be a list")),
    }
    Ok(GroupInput {
        display_name,
        external_id: text("externalId")?,
        members: ids,
    })
}

fn represent(base: &Base, group: &directory_groups::Model, member_ids: &[i64]) -> Value {
    let mut out = Map::new();
    out.insert("schemas".into(), json!([GROUP_SCHEMA]));
    out.insert("id".into(), json!(group.id.to_string()));
    if let Some(external) = &group.external_id {
        out.insert("externalId".into(), json!(external));
    }
    out.insert("displayName".into(), json!(group.display_name));
    let listed: Vec<Value> = member_ids
        .iter()
        .map(|id| json!({"value": id.to_string(), "$ref": base.user(*id), "type": "User"}))
        .collect();
    out.insert("members".into(), Value::Array(listed));
    out.insert(
        "meta".into(),
        json!({
            "resourceType": "Group",
            "created": timestamp(group.created_at),
            "lastModified": timestamp(group.updated_at),
            "location": base.group(group.id),
            "version": format!("W/\"{}\"", group.updated_at.timestamp_micros()),
        }),
    );
    Value::Object(out)
}

async fn member_ids<C: ConnectionTrait>(
    conn: &C,
    groups: &[i64],
) -> ScimResult<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in members::Entity::find()
        .filter(members::Column::GroupId.is_in(groups.to_vec()))
        .order_by_asc(members::Column::UserId)
        .all(conn)
        .await?
    {
        out.entry(row.group_id).or_default().push(row.user_id);
    }
    Ok(out)
}

async fn represent_many<C: ConnectionTrait>(
    conn: &C,
    base: &Base,
    groups: Vec<directory_groups::Model>,
) -> ScimResult<Vec<Value>> {
    let ids: Vec<i64> = groups.iter().map(|g| g.id).collect();
    let mut listed = member_ids(conn, &ids).await?;
    Ok(groups
        .iter()
        .map(|g| represent(base, g, &listed.remove(&g.id).unwrap_or_default()))
        .collect())
}

async fn find<C: ConnectionTrait>(conn: &C, id: &str) -> ScimResult<directory_groups::Model> {
    let id: i64 = id.parse().map_err(|_| ScimError::not_found("group"))?;
    directory_groups::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ScimError::not_found("group"))
}

pub async fn get(db: &DatabaseConnection, base: &Base, id: &str) -> ScimResult<Value> {
    let group = find(db, id).await?;
    Ok(represent_many(db, base, vec![group]).await?.remove(0))
}

/// Groups are few (hundreds, not millions): the filter is evaluated on every representation.
pub async fn list(db: &DatabaseConnection, base: &Base, query: &ListQuery) -> ScimResult<Value> {
    let page = query.page()?;
    let projection = query.projection();
    let filter = query
        .filter
        .as_deref()
        .map(paths::parse_filter)
        .transpose()?;
    let all = directory_groups::Entity::find()
        .order_by_asc(directory_groups::Column::Id)
        .all(db)
        .await?;
    let hits: Vec<Value> = represent_many(db, base, all)
        .await?
        .into_iter()
        .filter(|g| filter.as_ref().is_none_or(|f| paths::matches(f, g)))
        .collect();
    let total = hits.len() as u64;
    let shown = hits
        .into_iter()
        .skip((page.start_index - 1) as usize)
        .take(page.count as usize)
        .map(|g| projection.apply(g))
        .collect();
    Ok(list_response(total, page, shown))
}

pub async fn create(
    db: &DatabaseConnection,
    base: &Base,
    body: &Map<String, Value>,
) -> ScimResult<Value> {
    let input = read_input(body)?;
    let txn = crate::db::begin(db).await?;
    crate::db::serialize(&txn, crate::db::locks::ADMINS).await?;
    let now = Utc::now();
    let group = directory_groups::ActiveModel {
        display_name: Set(input.display_name.clone()),
        external_id: Set(input.external_id.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_members(&txn, group.id, &BTreeSet::new(), &input.members).await?;
    crate::audit::record(
        &txn,
        None,
        "scim.group_created",
        None,
        json!({ "id": group.id, "name": group.display_name, "members": input.members.len() }),
    )
    .await?;
    let created = represent_many(&txn, base, vec![group]).await?.remove(0);
    txn.commit().await?;
    Ok(created)
}

pub async fn replace(
    db: &DatabaseConnection,
    base: &Base,
    id: &str,
    body: &Map<String, Value>,
) -> ScimResult<Value> {
    let input = read_input(body)?;
    store(db, base, id, input).await
}

pub async fn patch(
    db: &DatabaseConnection,
    base: &Base,
    id: &str,
    ops: &[Operation],
) -> ScimResult<Value> {
    let mut doc = match get(db, base, id).await? {
        Value::Object(map) => map,
        _ => return Err(ScimError::not_found("group")),
    };
    paths::apply(&mut doc, ops, &["id", "meta", "schemas"])?;
    store(db, base, id, read_input(&doc)?).await
}

async fn store(
    db: &DatabaseConnection,
    base: &Base,
    id: &str,
    input: GroupInput,
) -> ScimResult<Value> {
    let txn = crate::db::begin(db).await?;
    crate::db::serialize(&txn, crate::db::locks::ADMINS).await?;
    let group = find(&txn, id).await?;
    let before: BTreeSet<i64> = member_ids(&txn, &[group.id])
        .await?
        .remove(&group.id)
        .unwrap_or_default()
        .into_iter()
        .collect();
    let renamed =
        group.display_name != input.display_name || group.external_id != input.external_id;
    let mut row = group.into_active_model();
    row.display_name = Set(input.display_name);
    row.external_id = Set(input.external_id);
    row.updated_at = Set(Utc::now());
    let group = row.update(&txn).await?;
    if renamed {
        // The mapping matches names: everyone in the group may gain or lose a role.
        set_members(&txn, group.id, &before, &input.members).await?;
        reapply(
            &txn,
            &before.union(&input.members).copied().collect::<Vec<_>>(),
        )
        .await?;
    } else {
        set_members(&txn, group.id, &before, &input.members).await?;
    }
    let stored = represent_many(&txn, base, vec![group]).await?.remove(0);
    txn.commit().await?;
    Ok(stored)
}

/// Makes the group's members `after`, and applies the group mapping to everyone who joined or
/// left.
async fn set_members(
    txn: &DatabaseTransaction,
    group: i64,
    before: &BTreeSet<i64>,
    after: &BTreeSet<i64>,
) -> ScimResult<()> {
    let joined: Vec<i64> = after.difference(before).copied().collect();
    let left: Vec<i64> = before.difference(after).copied().collect();
    if !joined.is_empty() {
        let known = users::linked(txn, &joined).await?;
        if let Some(unknown) = joined.iter().find(|id| !known.contains(id)) {
            return Err(ScimError::bad(
                "invalidValue",
                format!("no provisioned user has the id {unknown}"),
            ));
        }
        members::Entity::insert_many(joined.iter().map(|user| members::ActiveModel {
            group_id: Set(group),
            user_id: Set(*user),
        }))
        .exec(txn)
        .await?;
    }
    if !left.is_empty() {
        members::Entity::delete_many()
            .filter(members::Column::GroupId.eq(group))
            .filter(members::Column::UserId.is_in(left.clone()))
            .exec(txn)
            .await?;
    }
    // Spaces linked to this group follow it.
    crate::spaces::members::follow_group(txn, group, &joined, &left).await?;
    let changed: Vec<i64> = joined.into_iter().chain(left).collect();
    reapply(txn, &changed).await
}

/// Applies the group mapping to these people with their directory groups now.
async fn reapply(txn: &DatabaseTransaction, people: &[i64]) -> ScimResult<()> {
    if people.is_empty() {
        return Ok(());
    }
    let mut names = crate::sso::mapping::directory_groups(txn, people).await?;
    for id in people {
        let groups = names.remove(id).unwrap_or_default();
        crate::sso::mapping::apply(txn, UserId(*id), &groups, "scim").await?;
    }
    Ok(())
}

pub async fn delete(db: &DatabaseConnection, id: &str) -> ScimResult<()> {
    let txn = crate::db::begin(db).await?;
    crate::db::serialize(&txn, crate::db::locks::ADMINS).await?;
    let group = find(&txn, id).await?;
    let before: Vec<i64> = member_ids(&txn, &[group.id])
        .await?
        .remove(&group.id)
        .unwrap_or_default();
    directory_groups::Entity::delete_by_id(group.id)
        .exec(&txn)
        .await?;
    reapply(&txn, &before).await?;
    crate::audit::record(
        &txn,
        None,
        "scim.group_deleted",
        None,
        json!({ "id": group.id, "name": group.display_name }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A person leaving the directory leaves its groups; the mapping follows.
pub async fn leave_all(txn: &DatabaseTransaction, user: UserId) -> ScimResult<()> {
    let had = members::Entity::delete_many()
        .filter(members::Column::UserId.eq(user.0))
        .exec(txn)
        .await?;
    if had.rows_affected > 0 {
        reapply(txn, &[user.0]).await?;
    }
    Ok(())
}

/// Each person's groups as (id, display name), for their representation.
pub async fn groups_of<C: ConnectionTrait>(
    conn: &C,
    people: &[i64],
) -> ScimResult<HashMap<i64, Vec<(i64, String)>>> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    // Each membership with its group's name (a member of a group that is gone is left out).
    let select = Query::select()
        .column((members::Entity, members::Column::UserId))
        .column((members::Entity, members::Column::GroupId))
        .column((
            directory_groups::Entity,
            directory_groups::Column::DisplayName,
        ))
        .from(members::Entity)
        .inner_join(
            directory_groups::Entity,
            Expr::col((directory_groups::Entity, directory_groups::Column::Id))
                .equals((members::Entity, members::Column::GroupId)),
        )
        .and_where(Expr::col((members::Entity, members::Column::UserId)).is_in(people.to_vec()))
        .to_owned();
    let rows = crate::db::all(conn, &select)
        .await?
        .iter()
        .map(|row| -> Result<(i64, i64, String), sea_orm::DbErr> {
            Ok((
                row.try_get::<i64>("", "user_id")?,
                row.try_get::<i64>("", "group_id")?,
                row.try_get::<String>("", "display_name")?,
            ))
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    let mut out: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (user, group, name) in rows {
        out.entry(user).or_default().push((group, name));
    }
    for groups in out.values_mut() {
        groups.sort();
    }
    Ok(out)
}
