//! Tags shared by posts (and, later, questions): normalised names and their rows.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};

use crate::{
    content::slugify,
    entities::{post_tags, tags},
    error::{AppError, AppResult, Msg},
};

pub mod popular;

/// The status of a tag the social team has not decided on yet.
pub const PROPOSED: &str = "proposed";

pub const MAX_TAGS: usize = 5;
pub const MAX_TAG_LEN: usize = 30;

/// Normalises typed tags ("Thuis Werken", "#VPN") to `thuis-werken`, `vpn`; drops empties and
/// duplicates; refuses more than five.
pub fn parse_list<S: AsRef<str>>(raw: &[S]) -> AppResult<Vec<String>> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw {
        let tag = tag.as_ref().trim().trim_start_matches('#');
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > MAX_TAG_LEN {
            return Err(AppError::validation(
                "tags",
                Msg::new("err-tag-too-long").arg("max", MAX_TAG_LEN),
            ));
        }
        let name = slugify(tag, MAX_TAG_LEN);
        if !tags.contains(&name) {
            tags.push(name);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(AppError::validation(
            "tags",
            Msg::new("err-too-many-tags").arg("max", MAX_TAGS),
        ));
    }
    Ok(tags)
}

/// Splits a form field ("vpn, thuiswerken security") into tags.
pub fn split_field(field: &str) -> Vec<String> {
    field
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The rows of these (normalised) tags, created when missing.
pub async fn ensure<C: ConnectionTrait>(
    conn: &C,
    names: &[String],
) -> Result<Vec<tags::Model>, DbErr> {
    if names.is_empty() {
        return Ok(vec![]);
    }
    let rows: Vec<_> = names
        .iter()
        .map(|name| tags::ActiveModel {
            name: Set(name.clone()),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .collect();
    tags::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(tags::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    tags::Entity::find()
        .filter(tags::Column::Name.is_in(names.iter().cloned()))
        .all(conn)
        .await
}

/// Replaces the tags of a post.
pub async fn set_for_post<C: ConnectionTrait>(
    conn: &C,
    post_id: i64,
    names: &[String],
) -> Result<(), DbErr> {
    post_tags::Entity::delete_many()
        .filter(post_tags::Column::PostId.eq(post_id))
        .exec(conn)
        .await?;
    let rows: Vec<_> = ensure(conn, names)
        .await?
        .into_iter()
        .map(|tag| post_tags::ActiveModel {
            post_id: Set(post_id),
            tag_id: Set(tag.id),
        })
        .collect();
    if !rows.is_empty() {
        post_tags::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Tag names of many posts in one query, each list sorted.
pub async fn of_posts<C: ConnectionTrait>(
    conn: &C,
    post_ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    names_by::<_, post_tags::Entity>(conn, post_tags::Column::PostId, post_ids, |l| l.post_id).await
}

/// Tag names of many items in one query through their link table `L` (e.g. `post_tags`),
/// keyed by the item (`owner` column, read back by `owner_of`), each list sorted.
/// The tag names of one owner (a question, a post) as one column of a statement over the
/// owners: `(SELECT STRING_AGG(tags.name, ',') FROM link JOIN tags … WHERE link.owner = owner)`;
/// split with [`split_names`] (tag names hold no comma).
pub fn names_column<L: EntityTrait>(
    backend: sea_orm::DatabaseBackend,
    link: L,
    owner_column: L::Column,
    tag_column: L::Column,
    owner: sea_orm::sea_query::SimpleExpr,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Query};
    crate::db::scalar(
        Query::select()
            .expr(crate::db::comma_list(
                backend,
                Expr::col((tags::Entity, tags::Column::Name)),
            ))
            .from(link)
            .join(
                JoinType::InnerJoin,
                tags::Entity,
                Expr::col((tags::Entity, tags::Column::Id)).equals((link, tag_column)),
            )
            .and_where(Expr::col((link, owner_column)).eq(owner))
            .to_owned(),
    )
}

/// The names of a [`names_column`], sorted.
pub fn split_names(joined: Option<String>) -> Vec<String> {
    let mut names: Vec<String> = joined
        .iter()
        .flat_map(|j| j.split(','))
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect();
    names.sort();
    names
}

pub async fn names_by<C, L>(
    conn: &C,
    owner: L::Column,
    ids: &[i64],
    owner_of: impl Fn(&L::Model) -> i64,
) -> Result<HashMap<i64, Vec<String>>, DbErr>
where
    C: ConnectionTrait,
    L: EntityTrait + sea_orm::Related<tags::Entity>,
{
    let rows = L::find()
        .filter(owner.is_in(ids.iter().copied()))
        .find_also_related(tags::Entity)
        .all(conn)
        .await?;
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    for (link, tag) in rows {
        if let Some(tag) = tag {
            map.entry(owner_of(&link)).or_default().push(tag.name);
        }
    }
    for names in map.values_mut() {
        names.sort();
    }
    Ok(map)
}

/// The tag with this name, if it exists.
pub async fn find<C: ConnectionTrait>(conn: &C, name: &str) -> Result<Option<tags::Model>, DbErr> {
    tags::Entity::find()
        .filter(tags::Column::Name.eq(name))
        .one(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_deduplicated_and_limited() {
        assert_eq!(
            parse_list(&["Thuis Werken", "#VPN", "vpn", " ", "Zó"]).unwrap(),
            vec!["thuis-werken", "vpn", "zo"]
        );
        assert!(parse_list(&["a", "b", "c", "d", "e", "f"]).is_err());
        assert!(parse_list(&["x".repeat(31)]).is_err());
        assert_eq!(
            split_field("vpn, thuiswerken  security"),
            vec!["vpn", "thuiswerken", "security"]
        );
    }
}
