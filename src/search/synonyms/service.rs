//! Managing the company's search synonyms (the social team and admins): listing, adding,
//! changing and removing groups, each change audited and applied to the next search (the
//! groups live in memory beside the index, `SearchIndex::set_synonyms`, reloaded here after
//! every change and by the background lanes, so other processes follow within a tick). A tag
//! with synonyms is a group too: its name and its synonyms mean the same in search.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Synonyms;
use crate::{
    audit,
    auth::{current_user::CurrentUser, types::Role},
    entities::{search_synonyms, tag_synonyms, tags},
    error::{AppError, AppResult, Msg},
    search::index::SearchIndex,
};

/// At most this many members in a group, and this many characters and words per member.
const MAX_TERMS: usize = 20;
const MAX_TERM_CHARS: usize = 60;
const MAX_TERM_WORDS: usize = super::super::expand::LONGEST_RUN;

/// A group of words that mean the same in search.
#[derive(Debug, Serialize, ToSchema)]
pub struct SynonymGroup {
    pub id: i64,
    pub terms: Vec<String>,
    pub updated_at: chrono::DateTime<Utc>,
}

/// A tag and its tag synonyms, which search treats as a group too (edited on the tag's page).
#[derive(Debug, Serialize, ToSchema)]
pub struct TagSynonyms {
    pub tag: String,
    pub synonyms: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SynonymList {
    pub groups: Vec<SynonymGroup>,
    pub from_tags: Vec<TagSynonyms>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SynonymInput {
    /// Two to twenty words or phrases of up to three words ("wfh", "thuiswerken", "remote work").
    pub terms: Vec<String>,
}

/// Whether the user manages search synonyms.
pub fn can_manage(user: &CurrentUser) -> bool {
    user.has(Role::SocialTeam) || user.has(Role::Admin)
}

fn group_of(row: search_synonyms::Model) -> SynonymGroup {
    SynonymGroup {
        id: row.id,
        terms: row.terms.lines().map(str::to_owned).collect(),
        updated_at: row.updated_at,
    }
}

/// The members, checked: trimmed, inner spaces collapsed, duplicates (ignoring case) dropped;
/// 2 to [`MAX_TERMS`] of them, each with a letter or digit, at most [`MAX_TERM_CHARS`]
/// characters and [`MAX_TERM_WORDS`] words.
pub fn validate(terms: &[String]) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for term in terms {
        let term = term.split_whitespace().collect::<Vec<_>>().join(" ");
        if term.is_empty() {
            continue;
        }
        let words = term
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count();
        if words == 0 {
            return Err(AppError::validation(
                "terms",
                Msg::new("err-synonym-term-empty").arg("term", &term),
            ));
        }
        if term.chars().count() > MAX_TERM_CHARS || words > MAX_TERM_WORDS {
            return Err(AppError::validation(
                "terms",
                Msg::new("err-synonym-term-long").arg("term", &term),
            ));
        }
        if !out.iter().any(|t| t.to_lowercase() == term.to_lowercase()) {
            out.push(term);
        }
    }
    if out.len() < 2 {
        return Err(AppError::validation(
            "terms",
            Msg::new("err-synonym-too-few"),
        ));
    }
    if out.len() > MAX_TERMS {
        return Err(AppError::validation(
            "terms",
            Msg::new("err-synonym-too-many"),
        ));
    }
    Ok(out)
}

/// Every group, and every tag with synonyms (social team, admins).
pub async fn list(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<SynonymList> {
    if !can_manage(actor) {
        return Err(AppError::forbidden());
    }
    let (groups, from_tags) = load(db).await?;
    Ok(SynonymList {
        groups: groups.into_iter().map(group_of).collect(),
        from_tags,
    })
}

/// The groups and the tags with synonyms, in two statements.
async fn load(
    db: &DatabaseConnection,
) -> Result<(Vec<search_synonyms::Model>, Vec<TagSynonyms>), sea_orm::DbErr> {
    let groups = search_synonyms::Entity::find()
        .order_by_asc(search_synonyms::Column::Id)
        .all(db)
        .await?;
    let synonyms = tag_synonyms::Entity::find()
        .order_by_asc(tag_synonyms::Column::TagId)
        .order_by_asc(tag_synonyms::Column::Name)
        .all(db)
        .await?;
    let mut ids: Vec<i64> = synonyms.iter().map(|s| s.tag_id).collect();
    ids.dedup();
    let names: std::collections::HashMap<i64, String> = if ids.is_empty() {
        Default::default()
    } else {
        tags::Entity::find()
            .filter(tags::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect()
    };
    let mut from_tags: Vec<TagSynonyms> = Vec::new();
    for synonym in synonyms {
        let Some(tag) = names.get(&synonym.tag_id) else {
            continue;
        };
        match from_tags.last_mut() {
            Some(last) if &last.tag == tag => last.synonyms.push(synonym.name),
            _ => from_tags.push(TagSynonyms {
                tag: tag.clone(),
                synonyms: vec![synonym.name],
            }),
        }
    }
    from_tags.sort_by(|a, b| a.tag.cmp(&b.tag));
    Ok((groups, from_tags))
}

/// One reload at a time: otherwise the housekeeping tick's reload, reading the table just
/// before an edit commits and handing its groups over just after the edit's own reload, would
/// put the old groups back until the next tick.
static RELOADING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Reads the groups and tag synonyms and hands them to search: the next query uses them.
pub async fn reload(db: &DatabaseConnection, idx: &SearchIndex) -> Result<(), sea_orm::DbErr> {
    let _one_at_a_time = RELOADING.lock().await;
    let (groups, from_tags) = load(db).await?;
    let groups = groups
        .into_iter()
        .map(|g| g.terms.lines().map(str::to_owned).collect::<Vec<_>>())
        .chain(from_tags.into_iter().map(|t| {
            // A tag's words are joined by hyphens ("remote-work"): as words for search.
            std::iter::once(t.tag)
                .chain(t.synonyms)
                .map(|name| name.replace('-', " "))
                .collect()
        }));
    idx.set_synonyms(Synonyms::new(groups));
    Ok(())
}

/// Adds a group (social team, admins); audited.
pub async fn create(
    db: &DatabaseConnection,
    idx: &SearchIndex,
    actor: &CurrentUser,
    input: &SynonymInput,
) -> AppResult<SynonymGroup> {
    if !can_manage(actor) {
        return Err(AppError::forbidden());
    }
    let terms = validate(&input.terms)?;
    let now = Utc::now();
    let txn = crate::db::begin(db).await?;
    let row = search_synonyms::ActiveModel {
        terms: Set(terms.join("\n")),
        created_by: Set(Some(actor.id.0)),
        updated_by: Set(Some(actor.id.0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor.id),
        "search.synonyms_added",
        None,
        serde_json::json!({ "id": row.id, "terms": terms }),
    )
    .await?;
    txn.commit().await?;
    reload(db, idx).await?;
    Ok(group_of(row))
}

/// Replaces a group's members (social team, admins); audited with before and after.
pub async fn update(
    db: &DatabaseConnection,
    idx: &SearchIndex,
    actor: &CurrentUser,
    id: i64,
    input: &SynonymInput,
) -> AppResult<SynonymGroup> {
    if !can_manage(actor) {
        return Err(AppError::forbidden());
    }
    let terms = validate(&input.terms)?;
    let txn = crate::db::begin(db).await?;
    let row = search_synonyms::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let before: Vec<String> = row.terms.lines().map(str::to_owned).collect();
    let mut active: search_synonyms::ActiveModel = row.into();
    active.terms = Set(terms.join("\n"));
    active.updated_by = Set(Some(actor.id.0));
    active.updated_at = Set(Utc::now());
    let row = active.update(&txn).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "search.synonyms_changed",
        None,
        serde_json::json!({ "id": id, "before": before, "after": terms }),
    )
    .await?;
    txn.commit().await?;
    reload(db, idx).await?;
    Ok(group_of(row))
}

/// Removes a group (social team, admins); audited with its members.
pub async fn delete(
    db: &DatabaseConnection,
    idx: &SearchIndex,
    actor: &CurrentUser,
    id: i64,
) -> AppResult<()> {
    if !can_manage(actor) {
        return Err(AppError::forbidden());
    }
    let txn = crate::db::begin(db).await?;
    let row = search_synonyms::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    search_synonyms::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "search.synonyms_removed",
        None,
        serde_json::json!({ "id": id, "terms": row.terms.lines().collect::<Vec<_>>() }),
    )
    .await?;
    txn.commit().await?;
    reload(db, idx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_checked() {
        let terms = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            validate(&terms(&[" WFH ", "thuis   werken", "wfh", ""])).unwrap(),
            ["WFH", "thuis werken"]
        );
        for bad in [
            terms(&["only"]),
            terms(&["a", "A"]),
            terms(&["a", "--"]),
            terms(&["a", "one two three four"]),
            terms(&["a", &"x".repeat(61)]),
            (0..21).map(|i| format!("w{i}")).collect(),
        ] {
            assert!(validate(&bad).is_err(), "{bad:?}");
        }
    }
}
