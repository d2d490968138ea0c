//! Creating, listing and reading notifications, and delivery preferences.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
    sea_query::{OnConflict, Query},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::{Category, Delivery, Notice};
use crate::{
    auth::current_user::CurrentUser,
    entities::{notification_preferences, notifications, users},
    error::{AppError, AppResult},
    i18n::Lang,
    mail::{self, Outgoing},
    web::pagination::{Paged, Pagination},
};

/// The preference row that switches the weekly digest on (`weekly`) or off (`in_app`).
pub const DIGEST: &str = "digest";

/// Delivery preferences of these users for `category` (defaults filled in).
async fn deliveries<C: ConnectionTrait>(
    conn: &C,
    user_ids: &[i64],
    category: &str,
    default: Delivery,
) -> Result<HashMap<i64, Delivery>, sea_orm::DbErr> {
    let chosen: HashMap<i64, Delivery> = notification_preferences::Entity::find()
        .filter(notification_preferences::Column::UserId.is_in(user_ids.iter().copied()))
        .filter(notification_preferences::Column::Category.eq(category))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|p| Some((p.user_id, Delivery::parse(&p.delivery)?)))
        .collect();
    Ok(user_ids
        .iter()
        .map(|id| (*id, chosen.get(id).copied().unwrap_or(default)))
        .collect())
}

/// Creates these notifications (each at most once per recipient and dedupe key; none for the
/// actor themself or for deactivated people) and queues an email for those who want one at
/// once. Call it inside the transaction of the event.
pub async fn notify<C: ConnectionTrait>(
    conn: &C,
    notices: Vec<Notice>,
) -> Result<(), sea_orm::DbErr> {
    let notices: Vec<Notice> = notices
        .into_iter()
        .filter(|n| n.actor_id != Some(n.user_id))
        .collect();
    if notices.is_empty() {
        return Ok(());
    }
    let people = people_of(conn, &notices).await?;
    let mut seen = HashSet::new();
    let notices: Vec<Notice> = notices
        .into_iter()
        .filter(|n| people.get(&n.user_id).is_some_and(|u| u.is_active))
        .filter(|n| seen.insert((n.user_id, n.dedupe_key.clone())))
        .collect();
    let stored = insert_new(conn, &notices, Utc::now()).await?;
    let notices: Vec<Notice> = notices
        .into_iter()
        .filter(|n| stored.contains(&(n.user_id, n.dedupe_key.clone())))
        .collect();
    let delivery = deliveries_of(conn, &notices).await?;
    // Read only when an email goes to someone without a language of their own.
    let mut company_language: Option<Lang> = None;
    let mut mails = vec![];
    for notice in notices {
        if delivery.get(&(notice.user_id, notice.category)) != Some(&Delivery::Immediate) {
            continue;
        }
        let Some(recipient) = people.get(&notice.user_id) else {
            continue;
        };
        let actor = notice
            .actor_id
            .and_then(|a| people.get(&a))
            .map(|u| u.display_name.clone())
            .unwrap_or_default();
        let language = language_of(conn, recipient, &mut company_language).await?;
        mails.push(email(&notice, recipient, actor, language));
    }
    mail::enqueue_all(conn, mails).await
}

/// The recipients and actors of these notices, by id.
async fn people_of<C: ConnectionTrait>(
    conn: &C,
    notices: &[Notice],
) -> Result<HashMap<i64, users::Model>, sea_orm::DbErr> {
    let mut ids: Vec<i64> = notices.iter().map(|n| n.user_id).collect();
    ids.extend(notices.iter().filter_map(|n| n.actor_id));
    ids.sort_unstable();
    ids.dedup();
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

/// Each recipient's delivery for each category involved, in one query per category.
async fn deliveries_of<C: ConnectionTrait>(
    conn: &C,
    notices: &[Notice],
) -> Result<HashMap<(i64, Category), Delivery>, sea_orm::DbErr> {
    let mut delivery: HashMap<(i64, Category), Delivery> = HashMap::new();
    let mut categories: Vec<Category> = notices.iter().map(|n| n.category).collect();
    categories.sort_by_key(|c| c.as_str());
    categories.dedup();
    for category in categories {
        let recipients: Vec<i64> = notices
            .iter()
            .filter(|n| n.category == category)
            .map(|n| n.user_id)
            .collect();
        for (user, d) in deliveries(
            conn,
            &recipients,
            category.as_str(),
            category.default_delivery(),
        )
        .await?
        {
            delivery.insert((user, category), d);
        }
    }
    Ok(delivery)
}

/// The most notifications one statement stores: 9 values each, well within the bound
/// parameters PostgreSQL (65,535) and SQLite (32,766) take.
const INSERT_ROWS: usize = 1000;

/// Stores the notifications whose recipient has none with the same dedupe key yet, in one
/// statement per [`INSERT_ROWS`] (an event can notify every expert of a tag, or everyone): the
/// (recipient, dedupe key) of those stored.
async fn insert_new<C: ConnectionTrait>(
    conn: &C,
    notices: &[Notice],
    now: DateTime<Utc>,
) -> Result<HashSet<(i64, String)>, sea_orm::DbErr> {
    use notifications::Column as N;
    let mut stored = HashSet::new();
    for chunk in notices.chunks(INSERT_ROWS) {
        let mut insert = Query::insert()
            .into_table(notifications::Entity)
            .columns([
                N::UserId,
                N::Kind,
                N::Category,
                N::ActorId,
                N::Title,
                N::Url,
                N::DedupeKey,
                N::ReadAt,
                N::CreatedAt,
            ])
            .on_conflict(
                OnConflict::columns([N::UserId, N::DedupeKey])
                    .do_nothing()
                    .to_owned(),
            )
            .returning(Query::returning().columns([N::UserId, N::DedupeKey]))
            .to_owned();
        for notice in chunk {
            insert.values_panic([
                notice.user_id.into(),
                notice.kind.into(),
                notice.category.as_str().into(),
                notice.actor_id.into(),
                notice.title.chars().take(300).collect::<String>().into(),
                notice.url.clone().into(),
                notice.dedupe_key.clone().into(),
                Option::<DateTime<Utc>>::None.into(),
                now.into(),
            ]);
        }
        for row in crate::db::all(conn, &insert).await? {
            stored.insert((row.try_get_by_index(0)?, row.try_get_by_index(1)?));
        }
    }
    Ok(stored)
}

/// The recipient's language, else the company's (read once, into `company_language`).
async fn language_of<C: ConnectionTrait>(
    conn: &C,
    recipient: &users::Model,
    company_language: &mut Option<Lang>,
) -> Result<Lang, sea_orm::DbErr> {
    if let Some(lang) = recipient.locale.as_deref().and_then(|l| l.parse().ok()) {
        return Ok(lang);
    }
    if let Some(lang) = *company_language {
        return Ok(lang);
    }
    let lang = crate::company::default_language(conn).await?;
    *company_language = Some(lang);
    Ok(lang)
}

/// The notification's email to its recipient, in `language`.
fn email(notice: &Notice, recipient: &users::Model, actor: String, language: Lang) -> Outgoing {
    let params = serde_json::json!({
        "subject_key": format!("notify-{}", notice.kind),
        "kind": notice.kind,
        "title": notice.title,
        "actor": actor,
        "url": notice.url,
        "name": recipient.display_name,
    });
    Outgoing {
        user_id: Some(recipient.id),
        to: recipient.email.clone(),
        category: notice.category.as_str().to_owned(),
        template: "notification".into(),
        params,
        language: language.code().to_owned(),
        dedupe_key: Some(format!(
            "notification:{}:{}",
            recipient.id, notice.dedupe_key
        )),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub kind: String,
    pub category: String,
    pub actor: Option<String>,
    pub title: String,
    pub url: String,
    pub read: bool,
    pub created_at: String,
}

pub async fn list(
    db: &DatabaseConnection,
    user: &CurrentUser,
    unread_only: bool,
    pagination: Pagination,
) -> AppResult<Paged<NotificationView>> {
    let mut query = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user.id.0))
        .order_by_desc(notifications::Column::Id);
    if unread_only {
        query = query.filter(notifications::Column::ReadAt.is_null());
    }
    let paginator = query.paginate(db, pagination.per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(pagination.page - 1).await?;
    let mut actor_ids: Vec<i64> = rows.iter().filter_map(|n| n.actor_id).collect();
    actor_ids.sort_unstable();
    actor_ids.dedup();
    let actors: HashMap<i64, String> = crate::auth::repo::display_names(db, actor_ids).await?;
    let items = rows
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            actor: n.actor_id.and_then(|a| actors.get(&a).cloned()),
            kind: n.kind,
            category: n.category,
            title: n.title,
            url: n.url,
            read: n.read_at.is_some(),
            created_at: n.created_at.to_rfc3339(),
        })
        .collect();
    Ok(Paged::new(items, total, pagination))
}

/// The most unread notifications the navigation counts: the bell shows "99+" beyond 99, and
/// the count reads at most this many entries of the unread index, however many there are.
pub const NAV_UNREAD_CAP: u64 = 100;

/// A user's unread notifications, up to [`NAV_UNREAD_CAP`], as a scalar sub-select (the
/// navigation's bell, read with the session: see `auth::viewer`): `(SELECT COUNT(*) FROM
/// (SELECT 1 FROM notifications WHERE user_id = … AND read_at IS NULL LIMIT 100))`, which the
/// partial index `ix_notifications_unread` answers alone.
pub fn unread_count_expr(
    user_id: sea_orm::sea_query::SimpleExpr,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let unread = Query::select()
        .expr(Expr::val(1))
        .from(notifications::Entity)
        .and_where(Expr::col((notifications::Entity, notifications::Column::UserId)).eq(user_id))
        .and_where(Expr::col((notifications::Entity, notifications::Column::ReadAt)).is_null())
        .limit(NAV_UNREAD_CAP)
        .to_owned();
    crate::db::scalar(
        Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(unread, Alias::new("unread"))
            .to_owned(),
    )
}

pub async fn unread_count<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
) -> Result<u64, sea_orm::DbErr> {
    notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user_id))
        .filter(notifications::Column::ReadAt.is_null())
        .count(conn)
        .await
}

/// Marks one of the user's notifications read; returns its URL (to go there).
pub async fn mark_read(db: &DatabaseConnection, user: &CurrentUser, id: i64) -> AppResult<String> {
    let Some(n) = notifications::Entity::find_by_id(id)
        .filter(notifications::Column::UserId.eq(user.id.0))
        .one(db)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    if n.read_at.is_none() {
        notifications::Entity::update_many()
            .col_expr(
                notifications::Column::ReadAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(notifications::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    Ok(n.url)
}

pub async fn mark_all_read(db: &DatabaseConnection, user: &CurrentUser) -> AppResult<u64> {
    Ok(notifications::Entity::update_many()
        .col_expr(
            notifications::Column::ReadAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(notifications::Column::UserId.eq(user.id.0))
        .filter(notifications::Column::ReadAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// A person's delivery choice per category, and whether they get the weekly digest.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Preferences {
    pub categories: Vec<CategoryPreference>,
    pub weekly_digest: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CategoryPreference {
    pub category: Category,
    pub delivery: Delivery,
}

pub async fn preferences<C: ConnectionTrait>(conn: &C, user_id: i64) -> AppResult<Preferences> {
    let chosen: HashMap<String, String> = notification_preferences::Entity::find()
        .filter(notification_preferences::Column::UserId.eq(user_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.category, p.delivery))
        .collect();
    Ok(Preferences {
        categories: Category::ALL
            .into_iter()
            .map(|category| CategoryPreference {
                category,
                delivery: chosen
                    .get(category.as_str())
                    .and_then(|d| Delivery::parse(d))
                    .unwrap_or(category.default_delivery()),
            })
            .collect(),
        weekly_digest: chosen.get(DIGEST).is_none_or(|d| d != "in_app"),
    })
}

async fn set<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    category: &str,
    delivery: &str,
) -> Result<(), sea_orm::DbErr> {
    notification_preferences::Entity::insert(notification_preferences::ActiveModel {
        user_id: Set(user_id),
        category: Set(category.to_owned()),
        delivery: Set(delivery.to_owned()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            notification_preferences::Column::UserId,
            notification_preferences::Column::Category,
        ])
        .update_columns([
            notification_preferences::Column::Delivery,
            notification_preferences::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

pub async fn set_preferences(
    db: &DatabaseConnection,
    user: &CurrentUser,
    prefs: &Preferences,
) -> AppResult<Preferences> {
    let txn = crate::db::begin(db).await?;
    for p in &prefs.categories {
        set(&txn, user.id.0, p.category.as_str(), p.delivery.as_str()).await?;
    }
    set(
        &txn,
        user.id.0,
        DIGEST,
        if prefs.weekly_digest {
            "weekly"
        } else {
            "in_app"
        },
    )
    .await?;
    txn.commit().await?;
    preferences(db, user.id.0).await
}

/// Stops emails of one category for one person (from a signed link, without logging in):
/// the category stays in the app only; `digest` stops the weekly digest.
pub async fn unsubscribe(db: &DatabaseConnection, user_id: i64, category: &str) -> AppResult<()> {
    if category != DIGEST && Category::parse(category).is_none() {
        return Err(AppError::NotFound);
    }
    set(db, user_id, category, "in_app").await?;
    Ok(())
}
