//! Question lists: the keyset-paged list with its filters, and similar questions while asking
//! (by the search index's ids, or by shared title words).
use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{
    reading,
    repo::{self, ListFilter},
    service::{links, summaries, summary_from},
    tagging,
    types::Sort,
    views::{QuestionLink, QuestionPage, QuestionSummary},
};
use crate::{
    entities::questions,
    error::{AppError, AppResult},
    spaces::audience::Audience,
    web::pagination::Keyset,
};

const SIMILAR_MAX: usize = 5;

/// Questions `audience` may see, in the filter's order.
pub async fn list(
    db: &DatabaseConnection,
    audience: Audience,
    filter: &ListFilter,
    before: Option<&str>,
    limit: u64,
) -> AppResult<QuestionPage> {
    let filter = &ListFilter {
        audience,
        ..filter.clone()
    };
    let cursor = before.map(Keyset::parse).transpose()?;
    let limit = limit.clamp(1, 100);
    let mut items = summaries(db, repo::list(filter, cursor, limit)).await?;
    let next_cursor = (items.len() as u64 > limit)
        .then(|| items.get(limit as usize - 1))
        .flatten()
        .map(|q| {
            Keyset {
                at: sort_time(filter.sort, q),
                id: q.id,
            }
            .encode()
        });
    items.truncate(limit as usize);
    Ok(QuestionPage { items, next_cursor })
}

/// The first page of several lists (`limit` questions each, in each filter's order) as one
/// statement, for pages that show a few short lists (the home page); none for no lists. Read
/// with [`first_pages_of`].
pub fn first_pages_select(
    backend: sea_orm::DatabaseBackend,
    audience: Audience,
    lists: &[(&ListFilter, u64)],
) -> Option<sea_orm::sea_query::SelectStatement> {
    crate::db::union_lists(lists.iter().map(|(filter, limit)| {
        let filter = ListFilter {
            audience,
            ..(*filter).clone()
        };
        reading::summary_select(backend, repo::list(&filter, None, limit.saturating_sub(1)))
    }))
}

/// The pages of `lists` from the rows of their [`first_pages_select`].
pub fn first_pages_of(
    rows: Vec<sea_orm::QueryResult>,
    lists: &[(&ListFilter, u64)],
) -> AppResult<Vec<Vec<QuestionSummary>>> {
    let mut pages: Vec<Vec<QuestionSummary>> = lists.iter().map(|_| Vec::new()).collect();
    for row in rows {
        let list: i32 = row.try_get("", "list_")?;
        let page = usize::try_from(list)
            .ok()
            .and_then(|i| pages.get_mut(i))
            .ok_or_else(|| anyhow::anyhow!("a row of no list ({list})"))?;
        page.push(summary_from(reading::summary_row(&row)?));
    }
    for (page, (filter, limit)) in pages.iter_mut().zip(lists) {
        page.sort_by_key(|q| std::cmp::Reverse((sort_time(filter.sort, q), q.id)));
        page.truncate(*limit as usize);
    }
    Ok(pages)
}

/// The time a list of `sort` orders by.
fn sort_time(sort: Sort, q: &QuestionSummary) -> chrono::DateTime<chrono::Utc> {
    match sort {
        Sort::Active => q.last_activity_at,
        Sort::Newest | Sort::Unanswered => q.created_at,
    }
}

/// The tag's id for a list filter, or 404 for an unknown tag (synonyms lead to their tag).
pub async fn tag_id(db: &DatabaseConnection, name: &str) -> AppResult<i64> {
    // A filter names a tag that exists: one no tag could be called (too long) is just unknown.
    let name = crate::tags::parse_list(&[name])
        .ok()
        .and_then(|mut names| names.pop())
        .ok_or(AppError::NotFound)?;
    Ok(tagging::find(db, &name).await?.id)
}

/// Words of a title worth matching: lower case, at least three letters, no common words.
fn significant_words(title: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "the", "and", "for", "how", "what", "why", "who", "can", "does", "with", "our", "you",
        "are", "when", "where", "which", "het", "een", "van", "voor", "hoe", "wat", "waar", "wie",
        "kan", "ik", "mijn", "met", "die", "dat", "niet", "zijn", "wordt", "welke",
    ];
    let mut words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !COMMON.contains(&w.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words.truncate(8);
    words
}

/// The questions of these ids (best first) as suggestions while asking: a question closed as a
/// duplicate gives way to its original, deleted ones and those `audience` may not read (the
/// search index may lag a move into a closed space) drop out, at most five.
pub async fn similar_by_ids(
    db: &DatabaseConnection,
    ids: &[i64],
    audience: &Audience,
) -> AppResult<Vec<QuestionLink>> {
    let found: HashMap<i64, questions::Model> = questions::Entity::find()
        .filter(questions::Column::Id.is_in(ids.iter().copied()))
        .filter(questions::Column::DeletedAt.is_null())
        .filter(audience.condition(questions::Column::SpaceId))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let originals: Vec<i64> = found
        .values()
        .filter_map(|q| q.duplicate_of_id)
        .filter(|id| !found.contains_key(id))
        .collect();
    let mut originals: HashMap<i64, questions::Model> = questions::Entity::find()
        .filter(questions::Column::Id.is_in(originals))
        .filter(questions::Column::DeletedAt.is_null())
        .filter(audience.condition(questions::Column::SpaceId))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let mut rows: Vec<questions::Model> = Vec::new();
    for id in ids {
        let Some(q) = found.get(id) else { continue };
        let shown = match q.duplicate_of_id {
            Some(original) => found
                .get(&original)
                .cloned()
                .or_else(|| originals.remove(&original)),
            None => Some(q.clone()),
        };
        if let Some(shown) = shown
            && !rows.iter().any(|r| r.id == shown.id)
        {
            rows.push(shown);
        }
        if rows.len() == SIMILAR_MAX {
            break;
        }
    }
    links(db, rows).await
}

/// Existing questions `audience` may read whose titles share the most words with `title`,
/// matched in the database (while the search index is being rebuilt).
pub async fn similar(
    db: &DatabaseConnection,
    title: &str,
    audience: &Audience,
) -> AppResult<Vec<QuestionLink>> {
    let words = significant_words(title);
    if words.is_empty() {
        return Ok(vec![]);
    }
    let candidates = repo::title_matches(db, &words, audience, 100).await?;
    let mut scored: Vec<(usize, questions::Model)> = candidates
        .into_iter()
        .map(|q| {
            let lower = q.title.to_lowercase();
            (
                words.iter().filter(|w| lower.contains(w.as_str())).count(),
                q,
            )
        })
        .collect();
    // Most shared words first; among equals the newest (candidates come newest first).
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    let best = words.len().min(2);
    let rows = scored
        .into_iter()
        .filter(|(n, _)| *n >= best)
        .take(SIMILAR_MAX)
        .map(|(_, q)| q)
        .collect();
    links(db, rows).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_words_drop_short_and_common_words() {
        assert_eq!(
            significant_words("How do I reach the VPN from home?"),
            vec!["from", "home", "reach", "vpn"]
        );
        assert_eq!(
            significant_words("Hoe werkt de VPN thuis?"),
            vec!["thuis", "vpn", "werkt"]
        );
        assert!(significant_words("a b?").is_empty());
    }
}
