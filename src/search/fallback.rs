//! Searching without the index, while it is being rebuilt: every word of the query must appear
//! (case-insensitively) in the title or text of a published post, an undeleted question or
//! answer, or the name of an active person, newest first. No stemming, typo tolerance or
//! ranking; the answer says so (`notice`), and keeps the shape and the visibility rules of the
//! indexed search: posts, questions and answers (by their question's space) only within the
//! reader's spaces (`Audience::condition` in each statement).
use std::time::Instant;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait, Func, SimpleExpr},
};

use super::query::{FacetCount, Facets, Hit, PAGE_SIZE, SearchParams, SearchResults};
use crate::status::PostStatus;
use crate::{
    content,
    entities::{answers, posts, questions, users},
    error::AppResult,
    spaces::audience::Audience,
};

/// Words of at least two characters, at most five of them, lower-cased; filters (`tag:`...)
/// and exclusions are left out.
fn words(q: &str) -> Vec<String> {
    q.split_whitespace()
        .filter(|w| !w.starts_with('-') && !w.contains(':'))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.chars().count() >= 2)
        .take(5)
        .collect()
}

/// `LOWER(column) LIKE '%word%'`, with LIKE's wildcards in the word taken literally.
fn contains(column: impl sea_orm::sea_query::IntoColumnRef + Clone, word: &str) -> SimpleExpr {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Expr::expr(Func::lower(Expr::col(column)))
        .like(sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}

/// Every word in one of these columns.
fn all_words<C>(columns: &[C], words: &[String]) -> Condition
where
    C: sea_orm::sea_query::IntoColumnRef + Clone,
{
    words.iter().fold(Condition::all(), |all, word| {
        all.add(columns.iter().fold(Condition::any(), |any, c| {
            any.add(contains(c.clone(), word))
        }))
    })
}

fn hit(kind: &str, id: i64, title: String, text: &str, url: String, date: Option<String>) -> Hit {
    Hit {
        kind: kind.to_owned(),
        id,
        title,
        snippet: super::query::html_escape(&content::excerpt(text, 160)),
        url,
        score: 0.0,
        date,
    }
}

/// The first page of plain matches (a page past the first gives no more hits).
pub async fn search<C: ConnectionTrait>(
    conn: &C,
    params: &SearchParams,
    audience: &Audience,
    notice: String,
) -> AppResult<SearchResults> {
    let started = Instant::now();
    let words = words(params.q.as_deref().unwrap_or_default());
    let kind = params.kind.as_deref().filter(|k| !k.is_empty());
    let wanted = |k: &str| kind.is_none_or(|kind| kind == k);
    let first_page = params.page.unwrap_or(1) <= 1;
    let mut hits = Vec::new();
    let mut types = Vec::new();
    if !words.is_empty() && wanted("post") {
        let (count, found) = matching_posts(conn, &words, audience, first_page).await?;
        types.push(("post", count));
        hits.extend(found);
    }
    if !words.is_empty() && wanted("question") {
        let (count, found) = matching_questions(conn, &words, audience, first_page).await?;
        types.push(("question", count));
        hits.extend(found);
    }
    if !words.is_empty() && wanted("answer") {
        let (count, found) = matching_answers(conn, &words, audience, first_page).await?;
        types.push(("answer", count));
        hits.extend(found);
    }
    if !words.is_empty() && wanted("person") {
        let (count, found) = matching_people(conn, &words, first_page).await?;
        types.push(("person", count));
        hits.extend(found);
    }
    hits.sort_by(|a, b| b.date.cmp(&a.date));
    hits.truncate(PAGE_SIZE);
    let total = types.iter().map(|(_, n)| *n as usize).sum();
    Ok(SearchResults {
        total,
        total_exact: true,
        took_ms: started.elapsed().as_millis() as u64,
        hits,
        facets: Facets {
            types: types
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| FacetCount {
                    value: k.to_owned(),
                    count: n,
                })
                .collect(),
            tags: vec![],
        },
        notice: Some(notice),
        did_you_mean: None,
    })
}

/// How many hits one kind has, and the hits of the first page (none for a later page).
type Matches = (u64, Vec<Hit>);

/// Published posts `audience` may read with every word in their title or text, newest first.
async fn matching_posts<C: ConnectionTrait>(
    conn: &C,
    words: &[String],
    audience: &Audience,
    first_page: bool,
) -> AppResult<Matches> {
    let filter = Condition::all()
        .add(posts::Column::Status.eq(PostStatus::Published.as_str()))
        .add(posts::Column::DeletedAt.is_null())
        .add(audience.condition(posts::Column::SpaceId))
        .add(all_words(
            &[posts::Column::Title, posts::Column::BodyMd],
            words,
        ));
    let count = posts::Entity::find()
        .filter(filter.clone())
        .count(conn)
        .await?;
    let mut hits = Vec::new();
    if first_page {
        for p in posts::Entity::find()
            .filter(filter)
            .order_by_desc(posts::Column::PublishedAt)
            .limit(PAGE_SIZE as u64)
            .all(conn)
            .await?
        {
            let date = p.published_at.map(|d| d.to_rfc3339());
            hits.push(hit(
                "post",
                p.id,
                p.title,
                &p.body_md,
                format!("/blog/{}", p.slug),
                date,
            ));
        }
    }
    Ok((count, hits))
}

/// Undeleted questions `audience` may read with every word in their title or text, newest
/// first.
async fn matching_questions<C: ConnectionTrait>(
    conn: &C,
    words: &[String],
    audience: &Audience,
    first_page: bool,
) -> AppResult<Matches> {
    let filter = Condition::all()
        .add(questions::Column::DeletedAt.is_null())
        .add(audience.condition(questions::Column::SpaceId))
        .add(all_words(
            &[questions::Column::Title, questions::Column::BodyMd],
            words,
        ));
    let count = questions::Entity::find()
        .filter(filter.clone())
        .count(conn)
        .await?;
    let mut hits = Vec::new();
    if first_page {
        for q in questions::Entity::find()
            .filter(filter)
            .order_by_desc(questions::Column::CreatedAt)
            .limit(PAGE_SIZE as u64)
            .all(conn)
            .await?
        {
            let url = crate::qa::service::url_of(q.id, &q.title);
            let date = Some(q.created_at.to_rfc3339());
            hits.push(hit("question", q.id, q.title, &q.body_md, url, date));
        }
    }
    Ok((count, hits))
}

/// Undeleted answers to undeleted questions `audience` may read with every word in their text,
/// newest first, titled after their question.
async fn matching_answers<C: ConnectionTrait>(
    conn: &C,
    words: &[String],
    audience: &Audience,
    first_page: bool,
) -> AppResult<Matches> {
    let live_questions = sea_orm::sea_query::Query::select()
        .column(questions::Column::Id)
        .from(questions::Entity)
        .and_where(questions::Column::DeletedAt.is_null())
        .cond_where(audience.condition(questions::Column::SpaceId))
        .to_owned();
    let filter = Condition::all()
        .add(answers::Column::DeletedAt.is_null())
        .add(answers::Column::QuestionId.in_subquery(live_questions))
        .add(all_words(&[answers::Column::BodyMd], words));
    let count = answers::Entity::find()
        .filter(filter.clone())
        .count(conn)
        .await?;
    let mut hits = Vec::new();
    if first_page {
        let found = answers::Entity::find()
            .filter(filter)
            .order_by_desc(answers::Column::CreatedAt)
            .limit(PAGE_SIZE as u64)
            .all(conn)
            .await?;
        let titles: std::collections::HashMap<i64, String> = questions::Entity::find()
            .filter(questions::Column::Id.is_in(found.iter().map(|a| a.question_id)))
            .all(conn)
            .await?
            .into_iter()
            .map(|q| (q.id, q.title))
            .collect();
        for a in found {
            let title = titles.get(&a.question_id).cloned().unwrap_or_default();
            let url = format!(
                "{}#answer-{}",
                crate::qa::service::url_of(a.question_id, &title),
                a.id
            );
            let date = Some(a.created_at.to_rfc3339());
            hits.push(hit("answer", a.id, title, &a.body_md, url, date));
        }
    }
    Ok((count, hits))
}

/// Active people with every word in their name, by name.
async fn matching_people<C: ConnectionTrait>(
    conn: &C,
    words: &[String],
    first_page: bool,
) -> AppResult<Matches> {
    let filter = Condition::all()
        .add(users::Column::IsActive.eq(true))
        .add(all_words(&[users::Column::DisplayName], words));
    let count = users::Entity::find()
        .filter(filter.clone())
        .count(conn)
        .await?;
    let mut hits = Vec::new();
    if first_page {
        for u in users::Entity::find()
            .filter(filter)
            .order_by_asc(users::Column::DisplayName)
            .limit(PAGE_SIZE as u64)
            .all(conn)
            .await?
        {
            let url = format!("/people/{}", u.id);
            hits.push(hit("person", u.id, u.display_name, "", url, None));
        }
    }
    Ok((count, hits))
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_leave_out_filters_exclusions_and_punctuation() {
        assert_eq!(
            super::words("Thuiswerken, \"vpn\" -kantine tag:it a 100%"),
            vec!["thuiswerken", "vpn", "100"]
        );
    }
}
