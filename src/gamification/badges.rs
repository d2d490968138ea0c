//! Badges: a small declarative set ([`DEFINITIONS`]), each a query for the people who
//! qualify, granted by the background job ([`grant_due`]). Granting is idempotent (one row per
//! person and badge, the first grant's date kept) and a badge, once earned, stays: deleting the
//! content later does not take it back, as on Stack Overflow. Deactivated people are not
//! granted badges. Each new badge is a `rewards` notification.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Statement, sea_query::OnConflict,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    entities::{badges, users},
    i18n::{self, Lang},
    notify::{
        self,
        types::{Category, Notice},
    },
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Bronze,
    Silver,
    Gold,
}

/// One badge: its key (`badge-{key}` and `badge-{key}-desc` name and describe it in each
/// language), its tier, and the SQL selecting `user_id`s that qualify. `{month}` in the SQL
/// stands for the `YYYY-MM` of `published_at` on the running database.
pub struct Definition {
    pub key: &'static str,
    pub tier: Tier,
    qualifies: &'static str,
}

/// Every badge, in the order profiles show them.
pub const DEFINITIONS: &[Definition] = &[
    Definition {
        key: "first_post",
        tier: Tier::Bronze,
        qualifies: "SELECT author_id AS user_id FROM posts \
                    WHERE status = 'published' AND deleted_at IS NULL GROUP BY author_id",
    },
    Definition {
        key: "first_question",
        tier: Tier::Bronze,
        qualifies: "SELECT author_id AS user_id FROM questions \
                    WHERE deleted_at IS NULL GROUP BY author_id",
    },
    Definition {
        key: "first_accepted",
        tier: Tier::Bronze,
        qualifies: ACCEPTED_1,
    },
    Definition {
        key: "accepted_10",
        tier: Tier::Silver,
        qualifies: ACCEPTED_10,
    },
    Definition {
        key: "accepted_50",
        tier: Tier::Gold,
        qualifies: ACCEPTED_50,
    },
    Definition {
        key: "good_answer",
        tier: Tier::Silver,
        qualifies: "SELECT author_id AS user_id FROM answers \
                    WHERE deleted_at IS NULL AND score >= 5 GROUP BY author_id",
    },
    Definition {
        key: "prolific_month",
        tier: Tier::Silver,
        qualifies: "SELECT author_id AS user_id FROM posts \
                    WHERE status = 'published' AND deleted_at IS NULL \
                    GROUP BY author_id, {month} HAVING COUNT(*) >= 5",
    },
    Definition {
        key: "helpful_commenter",
        tier: Tier::Bronze,
        qualifies: "SELECT c.author_id AS user_id FROM qa_comments c \
                    JOIN questions q ON q.id = c.question_id \
                    LEFT JOIN answers a ON a.id = c.answer_id \
                    WHERE c.deleted_at IS NULL \
                      AND c.author_id <> COALESCE(a.author_id, q.author_id) \
                    GROUP BY c.author_id HAVING COUNT(*) >= 10",
    },
];

/// Answers of one person accepted on other people's questions, at least N.
macro_rules! accepted_at_least {
    ($n:literal) => {
        concat!(
            "SELECT a.author_id AS user_id FROM answers a \
             JOIN questions q ON q.accepted_answer_id = a.id \
             WHERE a.deleted_at IS NULL AND q.deleted_at IS NULL AND q.author_id <> a.author_id \
             GROUP BY a.author_id HAVING COUNT(*) >= ",
            $n
        )
    };
}
const ACCEPTED_1: &str = accepted_at_least!("1");
const ACCEPTED_10: &str = accepted_at_least!("10");
const ACCEPTED_50: &str = accepted_at_least!("50");

pub fn definition(key: &str) -> Option<&'static Definition> {
    DEFINITIONS.iter().find(|d| d.key == key)
}

fn sql_for(definition: &Definition, backend: DatabaseBackend) -> String {
    let month = match backend {
        DatabaseBackend::Postgres => "to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM')",
        _ => "strftime('%Y-%m', published_at)",
    };
    format!(
        "SELECT DISTINCT x.user_id FROM ({}) x JOIN users u ON u.id = x.user_id \
         WHERE u.is_active = TRUE AND NOT EXISTS \
           (SELECT 1 FROM badges b WHERE b.user_id = x.user_id AND b.badge = '{}')",
        definition.qualifies.replace("{month}", month),
        definition.key
    )
}

/// Grants every badge someone has come to deserve, notifies them, and returns how many were
/// granted. Safe to run on several nodes at once: a badge already granted is left as it is.
pub async fn grant_due<C: ConnectionTrait>(conn: &C, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let backend = conn.get_database_backend();
    let mut granted = 0;
    for definition in DEFINITIONS {
        let rows = conn
            .query_all_raw(Statement::from_string(
                backend,
                sql_for(definition, backend),
            ))
            .await?;
        for row in rows {
            let user_id: i64 = row.try_get_by_index(0)?;
            let inserted = badges::Entity::insert(badges::ActiveModel {
                user_id: Set(user_id),
                badge: Set(definition.key.to_owned()),
                granted_at: Set(now),
            })
            .on_conflict(
                OnConflict::columns([badges::Column::UserId, badges::Column::Badge])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
            if inserted == 0 {
                continue;
            }
            granted += 1;
            let lang = match users::Entity::find_by_id(user_id).one(conn).await? {
                Some(user) => crate::company::language_of(conn, &user).await?,
                None => Lang::En,
            };
            notify::service::notify(
                conn,
                vec![Notice {
                    user_id,
                    kind: "badge",
                    category: Category::Rewards,
                    actor_id: None,
                    title: i18n::tr(lang, &format!("badge-{}", definition.key)),
                    url: format!("/people/{user_id}#badges"),
                    dedupe_key: format!("badge:{}", definition.key),
                }],
            )
            .await?;
        }
    }
    Ok(granted)
}

/// A badge someone holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Held {
    pub badge: String,
    pub tier: Tier,
    pub granted_at: DateTime<Utc>,
}

/// The badges of one person, in the order of [`DEFINITIONS`].
pub async fn of_user<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<Vec<Held>, DbErr> {
    let rows = badges::Entity::find()
        .filter(badges::Column::UserId.eq(user_id))
        .order_by_asc(badges::Column::GrantedAt)
        .all(conn)
        .await?;
    Ok(in_catalogue_order(
        rows.into_iter().map(|row| (row.badge, row.granted_at)),
    ))
}

/// Badges held (key, when granted) in the order of [`DEFINITIONS`]; keys no longer defined are
/// left out.
pub fn in_catalogue_order(held: impl IntoIterator<Item = (String, DateTime<Utc>)>) -> Vec<Held> {
    let mut held: Vec<(usize, Held)> = held
        .into_iter()
        .filter_map(|(badge, granted_at)| {
            let position = DEFINITIONS.iter().position(|d| d.key == badge)?;
            Some((
                position,
                Held {
                    tier: DEFINITIONS[position].tier,
                    badge,
                    granted_at,
                },
            ))
        })
        .collect();
    held.sort_by_key(|(position, _)| *position);
    held.into_iter().map(|(_, h)| h).collect()
}

/// A badge of the catalogue, with how many people hold it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogueEntry {
    pub badge: &'static str,
    pub tier: Tier,
    pub holders: i64,
}

/// Every badge and how many (active) people hold it.
pub async fn catalogue<C: ConnectionTrait>(conn: &C) -> Result<Vec<CatalogueEntry>, DbErr> {
    let backend = conn.get_database_backend();
    let counts: std::collections::HashMap<String, i64> = conn
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT b.badge, COUNT(*) FROM badges b JOIN users u ON u.id = b.user_id \
             WHERE u.is_active = TRUE GROUP BY b.badge",
        ))
        .await?
        .into_iter()
        .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
        .collect::<Result<_, DbErr>>()?;
    Ok(DEFINITIONS
        .iter()
        .map(|d| CatalogueEntry {
            badge: d.key,
            tier: d.tier,
            holders: counts.get(d.key).copied().unwrap_or(0),
        })
        .collect())
}
