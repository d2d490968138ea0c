//! SCIM Users: a Kring account linked to the directory (`scim_users`). The directory's
//! attributes are kept as sent; Kring's own fields follow them: the address from `emails`
//! (primary, else work, else first; else `userName` when it is an address), the display name
//! from `displayName` (else `name`), the department from the enterprise extension's
//! `department` when Kring has one of that name, and `active`. Deactivating or deleting ends
//! every session and API token at once; content stays, shown as a former colleague.
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::{Map, Value, json};

use super::{
    groups,
    paths::{self, Operation},
    protocol::{
        ENTERPRISE_SCHEMA, ListQuery, ScimError, ScimResult, USER_SCHEMA, find_key, lenient_bool,
        list_response,
    },
};
use crate::{
    admin::service::{end_access_if_deactivated, guard_administrators},
    auth::{
        repo as users_repo,
        service::{CreatedBy, NewAccount, insert_new_account},
        types::{DisplayName, Email, Roles, UserId},
    },
    entities::{departments, scim_users, users},
};

/// Where resources live: `https://kring.example/scim/v2`.
#[derive(Debug, Clone)]
pub struct Base(pub String);

impl Base {
    pub fn user(&self, id: i64) -> String {
        format!("{}/Users/{id}", self.0)
    }

    pub fn group(&self, id: i64) -> String {
        format!("{}/Groups/{id}", self.0)
    }
}

pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A user as the directory describes it, checked.
struct UserInput {
    user_name: String,
    external_id: Option<String>,
    active: bool,
    attributes: Map<String, Value>,
    email: Email,
    display_name: DisplayName,
    department: Option<String>,
}

fn text(map: &Map<String, Value>, name: &str) -> ScimResult<Option<String>> {
    match find_key(map, name).and_then(|k| map.get(&k)) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) if s.chars().count() > 255 || s.chars().any(char::is_control) => {
            Err(ScimError::bad(
                "invalidValue",
                format!("{name} is too long or has control characters"),
            ))
        }
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ScimError::bad(
            "invalidValue",
            format!("{name} must be a string"),
        )),
    }
}

/// The sub-attributes of `name` Kring keeps, as strings.
fn complex(map: &Map<String, Value>, subs: &[&str]) -> ScimResult<Map<String, Value>> {
    let mut out = Map::new();
    for sub in subs {
        if let Some(v) = text(map, sub)? {
            out.insert((*sub).to_owned(), Value::String(v));
        }
    }
    Ok(out)
}

fn read_emails(value: Option<&Value>) -> ScimResult<Vec<Value>> {
    let items = match value {
        None | Some(Value::Null) => return Ok(vec![]),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ScimError::bad("invalidValue", "emails must be a list")),
    };
    let mut out = Vec::new();
    for item in items {
        let Value::Object(map) = item else {
            return Err(ScimError::bad("invalidValue", "each email is an object"));
        };
        let mut email = complex(map, &["value", "type", "display"])?;
        let Some(address) = email.get("value").and_then(Value::as_str) else {
            continue;
        };
        Email::parse(address).map_err(|_| {
            ScimError::bad(
                "invalidValue",
                format!("{address:?} is not an email address"),
            )
        })?;
        if let Some(primary) = find_key(map, "primary").and_then(|k| map.get(&k)) {
            let primary = lenient_bool(primary)
                .ok_or_else(|| ScimError::bad("invalidValue", "primary must be a boolean"))?;
            email.insert("primary".into(), Value::Bool(primary));
        }
        out.push(Value::Object(email));
    }
    Ok(out)
}

fn read_input(body: &Map<String, Value>) -> ScimResult<UserInput> {
    let user_name = text(body, "userName")?
        .ok_or_else(|| ScimError::bad("invalidValue", "userName is required"))?;
    let external_id = text(body, "externalId")?;
    let active = match find_key(body, "active").and_then(|k| body.get(&k)) {
        None | Some(Value::Null) => true,
        Some(v) => lenient_bool(v)
            .ok_or_else(|| ScimError::bad("invalidValue", "active must be a boolean"))?,
    };
    let mut attributes = Map::new();
    if let Some(Value::Object(name)) = find_key(body, "name").and_then(|k| body.get(&k)) {
        let name = complex(name, &["formatted", "familyName", "givenName"])?;
        if !name.is_empty() {
            attributes.insert("name".into(), Value::Object(name));
        }
    }
    if let Some(display) = text(body, "displayName")? {
        attributes.insert("displayName".into(), Value::String(display));
    }
    let emails = read_emails(find_key(body, "emails").and_then(|k| body.get(&k)))?;
    let mut department = None;
    if let Some(Value::Object(ext)) = find_key(body, ENTERPRISE_SCHEMA).and_then(|k| body.get(&k)) {
        let ext = complex(ext, &["department"])?;
        department = ext
            .get("department")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if !ext.is_empty() {
            attributes.insert(ENTERPRISE_SCHEMA.into(), Value::Object(ext));
        }
    }
    let pick = |test: &dyn Fn(&Value) -> bool| {
        emails
            .iter()
            .find(|e| test(e))
            .and_then(|e| e["value"].as_str())
            .map(str::to_owned)
    };
    let address = pick(&|e| e.get("primary") == Some(&Value::Bool(true)))
        .or_else(|| pick(&|e| e.get("type").and_then(Value::as_str) == Some("work")))
        .or_else(|| pick(&|_| true))
        .unwrap_or_else(|| user_name.clone());
    let email = Email::parse(&address).map_err(|_| {
        ScimError::bad(
            "invalidValue",
            "an email address is needed: in emails, or as the userName",
        )
    })?;
    if !emails.is_empty() {
        attributes.insert("emails".into(), Value::Array(emails));
    }
    let name = attributes.get("name");
    let shown = attributes
        .get("displayName")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            name.and_then(|n| n.get("formatted"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .or_else(|| {
            let part = |k: &str| {
                name.and_then(|n| n.get(k))
                    .and_then(Value::as_str)
                    .unwrap_or("")
            };
            let joined = format!("{} {}", part("givenName"), part("familyName"));
            (!joined.trim().is_empty()).then(|| joined.trim().to_owned())
        })
        .unwrap_or_else(|| user_name.clone());
    let shown: String = shown.chars().take(100).collect();
    let display_name = DisplayName::parse(&shown)
        .map_err(|_| ScimError::bad("invalidValue", "displayName is not a usable name"))?;
    Ok(UserInput {
        user_name,
        external_id,
        active,
        attributes,
        email,
        display_name,
        department,
    })
}

/// A user's SCIM representation.
fn represent(
    base: &Base,
    user: &users::Model,
    link: &scim_users::Model,
    member_of: &[(i64, String)],
) -> Value {
    let mut out = Map::new();
    let attributes: Map<String, Value> = serde_json::from_str(&link.attributes).unwrap_or_default();
    let mut schemas = vec![json!(USER_SCHEMA)];
    if attributes.contains_key(ENTERPRISE_SCHEMA) {
        schemas.push(json!(ENTERPRISE_SCHEMA));
    }
    out.insert("schemas".into(), Value::Array(schemas));
    out.insert("id".into(), json!(user.id.to_string()));
    if let Some(external) = &link.external_id {
        out.insert("externalId".into(), json!(external));
    }
    out.insert("userName".into(), json!(link.user_name));
    out.extend(attributes);
    out.insert("active".into(), json!(user.is_active));
    if !member_of.is_empty() {
        let groups: Vec<Value> = member_of
            .iter()
            .map(|(id, name)| json!({"value": id.to_string(), "$ref": base.group(*id), "display": name}))
            .collect();
        out.insert("groups".into(), Value::Array(groups));
    }
    let modified = link.updated_at.max(user.updated_at);
    out.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": timestamp(link.created_at),
            "lastModified": timestamp(modified),
            "location": base.user(user.id),
            "version": format!("W/\"{}\"", modified.timestamp_micros()),
        }),
    );
    Value::Object(out)
}

/// The representation of one linked user (two statements); none when the account is gone.
async fn represent_one<C: ConnectionTrait>(
    conn: &C,
    base: &Base,
    link: scim_users::Model,
) -> ScimResult<Option<Value>> {
    let user = users::Entity::find_by_id(link.user_id).one(conn).await?;
    Ok(represent_linked(conn, base, vec![(link, user)])
        .await?
        .pop())
}
/// The representations of linked users read with their accounts
/// (`find_also_related(users::Entity)`), in the order given, with their groups (one statement).
async fn represent_linked<C: ConnectionTrait>(
    conn: &C,
    base: &Base,
    linked: Vec<(scim_users::Model, Option<users::Model>)>,
) -> ScimResult<Vec<Value>> {
    let ids: Vec<i64> = linked.iter().map(|(l, _)| l.user_id).collect();
    let mut member_of = groups::groups_of(conn, &ids).await?;
    Ok(linked
        .into_iter()
        .filter_map(|(link, user)| {
            let user = user?;
            let groups = member_of.remove(&link.user_id).unwrap_or_default();
            Some(represent(base, &user, &link, &groups))
        })
        .collect())
}
async fn link_of<C: ConnectionTrait>(conn: &C, id: &str) -> ScimResult<scim_users::Model> {
    let id: i64 = id.parse().map_err(|_| ScimError::not_found("user"))?;
    scim_users::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ScimError::not_found("user"))
}

pub async fn get(db: &DatabaseConnection, base: &Base, id: &str) -> ScimResult<Value> {
    let id: i64 = id.parse().map_err(|_| ScimError::not_found("user"))?;
    let linked = scim_users::Entity::find_by_id(id)
        .find_also_related(users::Entity)
        .one(db)
        .await?
        .ok_or_else(|| ScimError::not_found("user"))?;
    represent_linked(db, base, vec![linked])
        .await?
        .pop()
        .ok_or_else(|| ScimError::not_found("user"))
}

/// `userName eq`, `externalId eq` and `id eq` narrow the rows read from the database; the
/// whole filter is then evaluated on each representation.
fn narrowing(filter: &scim_v2::filter::Filter) -> Option<sea_orm::Condition> {
    use scim_v2::filter::{AttrExp, CompValue, CompareOp, Filter};
    match filter {
        Filter::Attr(AttrExp::Comparison(path, CompareOp::Eq, CompValue::Str(v)))
            if path.sub_attr.is_none() =>
        {
            let name = path.name.to_ascii_lowercase();
            match name.as_str() {
                "username" => Some(scim_users::Column::UserNameKey.eq(v.to_lowercase()).into()),
                "externalid" => Some(scim_users::Column::ExternalId.eq(v.clone()).into()),
                "id" => Some(
                    scim_users::Column::UserId
                        .eq(v.parse::<i64>().unwrap_or(-1))
                        .into(),
                ),
                _ => None,
            }
        }
        Filter::And(a, b) => narrowing(a).or_else(|| narrowing(b)),
        _ => None,
    }
}

pub async fn list(db: &DatabaseConnection, base: &Base, query: &ListQuery) -> ScimResult<Value> {
    let page = query.page()?;
    let projection = query.projection();
    let filter = query
        .filter
        .as_deref()
        .map(paths::parse_filter)
        .transpose()?;
    let mut select = scim_users::Entity::find().order_by_asc(scim_users::Column::UserId);
    let (total, resources) = match &filter {
        None => {
            let total = select.clone().count(db).await?;
            let linked = select
                .offset(page.start_index - 1)
                .limit(page.count)
                .find_also_related(users::Entity)
                .all(db)
                .await?;
            (total, represent_linked(db, base, linked).await?)
        }
        Some(filter) => {
            if let Some(condition) = narrowing(filter) {
                select = select.filter(condition);
            }
            let linked = select.find_also_related(users::Entity).all(db).await?;
            let all = represent_linked(db, base, linked).await?;
            let hits: Vec<Value> = all
                .into_iter()
                .filter(|r| paths::matches(filter, r))
                .collect();
            let total = hits.len() as u64;
            let shown = hits
                .into_iter()
                .skip((page.start_index - 1) as usize)
                .take(page.count as usize)
                .collect();
            (total, shown)
        }
    };
    let resources = resources.into_iter().map(|r| projection.apply(r)).collect();
    Ok(list_response(total, page, resources))
}

/// Creates a user, or links the account that already has this address and is not linked yet
/// (people who signed in before provisioning was set up).
pub async fn create(
    db: &DatabaseConnection,
    base: &Base,
    body: &Map<String, Value>,
) -> ScimResult<Value> {
    let input = read_input(body)?;
    let txn = crate::db::begin(db).await?;
    crate::db::serialize(&txn, crate::db::locks::ADMINS).await?;
    ensure_user_name_free(&txn, &input.user_name, None).await?;
    let user = match users_repo::find_by_email(&txn, &input.email).await? {
        Some(existing) => {
            if scim_users::Entity::find_by_id(existing.id)
                .one(&txn)
                .await?
                .is_some()
            {
                return Err(ScimError::uniqueness(
                    "a user with this email address exists",
                ));
            }
            existing
        }
        None => {
            let account = NewAccount {
                email: &input.email,
                display_name: &input.display_name,
                roles: &Roles::new([]),
                is_leadership: false,
                locale: None,
                pending: false,
            };
            insert_new_account(&txn, CreatedBy::Directory, &account, None).await?
        }
    };
    let now = Utc::now();
    let link = scim_users::ActiveModel {
        user_id: Set(user.id),
        user_name: Set(input.user_name.clone()),
        user_name_key: Set(input.user_name.to_lowercase()),
        external_id: Set(input.external_id.clone()),
        attributes: Set(Value::Object(input.attributes.clone()).to_string()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    update_account(&txn, user, &input).await?;
    let created = represent_one(&txn, base, link).await?;
    txn.commit().await?;
    created.ok_or_else(|| ScimError::not_found("user"))
}

async fn ensure_user_name_free<C: ConnectionTrait>(
    conn: &C,
    user_name: &str,
    except: Option<i64>,
) -> ScimResult<()> {
    let taken = scim_users::Entity::find()
        .filter(scim_users::Column::UserNameKey.eq(user_name.to_lowercase()))
        .one(conn)
        .await?;
    match taken {
        Some(row) if Some(row.user_id) != except => Err(ScimError::uniqueness("userName is taken")),
        _ => Ok(()),
    }
}

/// Kring's fields follow the directory's: address, name, activation, department.
async fn update_account(
    txn: &DatabaseTransaction,
    user: users::Model,
    input: &UserInput,
) -> ScimResult<()> {
    let id = UserId(user.id);
    let mut row = user.clone().into_active_model();
    let mut changed = false;
    if user.email != input.email.as_str() {
        if users_repo::find_by_email(txn, &input.email)
            .await?
            .is_some()
        {
            return Err(ScimError::uniqueness(
                "another account has this email address",
            ));
        }
        row.email = Set(input.email.as_str().to_owned());
        changed = true;
    }
    if user.email_verified_at.is_none() {
        // The company's directory vouches for the address.
        row.email_verified_at = Set(Some(Utc::now()));
        changed = true;
    }
    if user.display_name != input.display_name.as_str() {
        row.display_name = Set(input.display_name.as_str().to_owned());
        changed = true;
    }
    if user.is_active != input.active {
        row.is_active = Set(input.active);
        changed = true;
        end_access_if_deactivated(txn, None, id, input.active, Some("scim")).await?;
    }
    if changed {
        row.updated_at = Set(Utc::now());
        row.update(txn).await?;
    }
    if let Some(name) = &input.department {
        let found = departments::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .find(|d| d.name.eq_ignore_ascii_case(name));
        if let Some(department) = found {
            let before =
                crate::people::service::set_department(txn, id.0, Some(department.id)).await?;
            if before != Some(department.id) {
                crate::audit::record(
                    txn,
                    None,
                    "user.department_changed",
                    Some(id),
                    json!({ "from": before, "to": department.id, "via": "scim" }),
                )
                .await?;
            }
        }
    }
    crate::events::changed(txn, &[crate::events::Doc::Person(id.0)]).await?;
    guard_administrators(txn, id).await?;
    Ok(())
}

/// PUT: the directory's whole description of the user.
pub async fn replace(
    db: &DatabaseConnection,
    base: &Base,
    id: &str,
    body: &Map<String, Value>,
) -> ScimResult<Value> {
    let input = read_input(body)?;
    store(db, base, id, input).await
}

/// PATCH: the operations applied to the current representation, then stored as a PUT would.
pub async fn patch(
    db: &DatabaseConnection,
    base: &Base,
    id: &str,
    ops: &[Operation],
) -> ScimResult<Value> {
    let mut doc = match get(db, base, id).await? {
        Value::Object(map) => map,
        _ => return Err(ScimError::not_found("user")),
    };
    paths::apply(&mut doc, ops, &["id", "meta", "groups", "schemas"])?;
    let input = read_input(&doc)?;
    store(db, base, id, input).await
}

async fn store(
    db: &DatabaseConnection,
    base: &Base,
    id: &str,
    input: UserInput,
) -> ScimResult<Value> {
    let txn = crate::db::begin(db).await?;
    crate::db::serialize(&txn, crate::db::locks::ADMINS).await?;
    let link = link_of(&txn, id).await?;
    ensure_user_name_free(&txn, &input.user_name, Some(link.user_id)).await?;
    let user = users_repo::find(&txn, UserId(link.user_id))
        .await?
        .ok_or_else(|| ScimError::not_found("user"))?;
    update_account(&txn, user, &input).await?;
    let mut row = link.into_active_model();
    row.user_name = Set(input.user_name.clone());
    row.user_name_key = Set(input.user_name.to_lowercase());
    row.external_id = Set(input.external_id.clone());
    row.attributes = Set(Value::Object(input.attributes).to_string());
    row.updated_at = Set(Utc::now());
    let link = row.update(&txn).await?;
    let stored = represent_one(&txn, base, link).await?;
    txn.commit().await?;
    stored.ok_or_else(|| ScimError::not_found("user"))
}

/// DELETE: the person leaves. The account is deactivated (sessions and tokens end at once,
/// content stays) and no longer linked to the directory; their directory groups are left.
pub async fn delete(db: &DatabaseConnection, id: &str) -> ScimResult<()> {
    let txn = crate::db::begin(db).await?;
    crate::db::serialize(&txn, crate::db::locks::ADMINS).await?;
    let link = link_of(&txn, id).await?;
    let uid = UserId(link.user_id);
    let user = users_repo::find(&txn, uid)
        .await?
        .ok_or_else(|| ScimError::not_found("user"))?;
    if user.is_active {
        let mut row = user.into_active_model();
        row.is_active = Set(false);
        row.updated_at = Set(Utc::now());
        row.update(&txn).await?;
        end_access_if_deactivated(&txn, None, uid, false, Some("scim")).await?;
    }
    scim_users::Entity::delete_by_id(link.user_id)
        .exec(&txn)
        .await?;
    groups::leave_all(&txn, uid).await?;
    crate::audit::record(
        &txn,
        None,
        "user.deprovisioned",
        Some(uid),
        json!({ "user_name": link.user_name }),
    )
    .await?;
    crate::events::changed(&txn, &[crate::events::Doc::Person(uid.0)]).await?;
    guard_administrators(&txn, uid).await?;
    txn.commit().await?;
    Ok(())
}

/// The ids of linked users among `ids` (for group members).
pub async fn linked<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> ScimResult<Vec<i64>> {
    Ok(scim_users::Entity::find()
        .select_only()
        .column(scim_users::Column::UserId)
        .filter(scim_users::Column::UserId.is_in(ids.to_vec()))
        .into_tuple()
        .all(conn)
        .await?)
}
