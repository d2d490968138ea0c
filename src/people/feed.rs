//! Activity: what people wrote (posts, questions, answers), for profiles, the ambassadors page
//! and the following feed. Each kind is one query; they are merged by time.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{ExprTrait, Query},
};

use super::{
    repo::authors,
    views::{Activity, FeedPage},
};
use crate::spaces::audience::Audience;
use crate::status::PostStatus;
use crate::{
    auth::current_user::CurrentUser,
    entities::{answers, post_tags, posts, question_tags, questions, tag_follows, user_follows},
    error::AppResult,
    web::pagination::Keyset,
};

pub const FEED_SIZE: u64 = 30;

/// Who and what a list of activity comes from.
#[derive(Clone, Debug, Default)]
struct Sources {
    /// Who reads: only content in spaces they see.
    audience: Audience,
    authors: Vec<i64>,
    /// Posts and questions in these tags (any author). Given as a subquery on `tag_follows`.
    tags_followed_by: Option<i64>,
}

fn tags_of_follower(
    user_id: i64,
    link_item: impl sea_orm::sea_query::IntoColumnRef,
    link_tag: impl sea_orm::sea_query::IntoColumnRef,
    link_table: impl sea_orm::sea_query::IntoTableRef,
) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(link_item)
        .from(link_table)
        .and_where(
            sea_orm::sea_query::Expr::col(link_tag).in_subquery(
                Query::select()
                    .column(tag_follows::Column::TagId)
                    .from(tag_follows::Entity)
                    .and_where(tag_follows::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        )
        .to_owned()
}

/// The latest activity from `sources` (before `before`), newest first, at most `limit` items.
async fn collect<C: ConnectionTrait>(
    conn: &C,
    sources: &Sources,
    before: Option<DateTime<Utc>>,
    limit: u64,
) -> AppResult<Vec<Activity>> {
    let post_rows = recent_posts(conn, sources, before, limit).await?;
    let question_rows = recent_questions(conn, sources, before, limit).await?;
    let answer_rows = recent_answers(conn, sources, before, limit).await?;
    let answered = questions_of(conn, &answer_rows).await?;

    let mut people: Vec<i64> = post_rows.iter().map(|p| p.author_id).collect();
    people.extend(question_rows.iter().map(|q| q.author_id));
    people.extend(answer_rows.iter().map(|a| a.author_id));
    let authors = authors(conn, &people).await?;
    let post_ids: Vec<i64> = post_rows.iter().map(|p| p.id).collect();
    let mut post_tags = crate::tags::of_posts(conn, &post_ids).await?;
    let question_ids: Vec<i64> = question_rows.iter().map(|q| q.id).collect();
    let mut question_tags = crate::qa::repo::tags_of(conn, &question_ids).await?;

    let mut items = Vec::new();
    for p in post_rows {
        let (Some(author), Some(at)) = (authors.get(&p.author_id), p.published_at) else {
            continue;
        };
        let tags = post_tags.remove(&p.id).unwrap_or_default();
        items.push(post_activity(p, author, tags, at));
    }
    for q in question_rows {
        let Some(author) = authors.get(&q.author_id) else {
            continue;
        };
        let tags = question_tags.remove(&q.id).unwrap_or_default();
        items.push(question_activity(q, author, tags));
    }
    for a in answer_rows {
        let (Some(author), Some(q)) = (authors.get(&a.author_id), answered.get(&a.question_id))
        else {
            continue;
        };
        items.push(answer_activity(&a, q, author));
    }
    items.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    items.truncate(limit as usize);
    Ok(items)
}

/// The latest published posts by the authors or in the followed tags (one query).
async fn recent_posts<C: ConnectionTrait>(
    conn: &C,
    sources: &Sources,
    before: Option<DateTime<Utc>>,
    limit: u64,
) -> AppResult<Vec<posts::Model>> {
    let mut who = Condition::any().add(posts::Column::AuthorId.is_in(sources.authors.clone()));
    if let Some(user) = sources.tags_followed_by {
        who = who.add(posts::Column::Id.in_subquery(tags_of_follower(
            user,
            post_tags::Column::PostId,
            post_tags::Column::TagId,
            post_tags::Entity,
        )));
    }
    let mut query = posts::Entity::find()
        .filter(posts::Column::Status.eq(PostStatus::Published.as_str()))
        .filter(posts::Column::DeletedAt.is_null())
        .filter(sources.audience.condition(posts::Column::SpaceId))
        .filter(who);
    if let Some(at) = before {
        query = query.filter(posts::Column::PublishedAt.lt(at));
    }
    Ok(query
        .order_by_desc(posts::Column::PublishedAt)
        .limit(limit)
        .all(conn)
        .await?)
}

/// The latest questions by the authors or in the followed tags (one query).
async fn recent_questions<C: ConnectionTrait>(
    conn: &C,
    sources: &Sources,
    before: Option<DateTime<Utc>>,
    limit: u64,
) -> AppResult<Vec<questions::Model>> {
    let mut who = Condition::any().add(questions::Column::AuthorId.is_in(sources.authors.clone()));
    if let Some(user) = sources.tags_followed_by {
        who = who.add(questions::Column::Id.in_subquery(tags_of_follower(
            user,
            question_tags::Column::QuestionId,
            question_tags::Column::TagId,
            question_tags::Entity,
        )));
    }
    let mut query = questions::Entity::find()
        .filter(questions::Column::DeletedAt.is_null())
        .filter(sources.audience.condition(questions::Column::SpaceId))
        .filter(who);
    if let Some(at) = before {
        query = query.filter(questions::Column::CreatedAt.lt(at));
    }
    Ok(query
        .order_by_desc(questions::Column::CreatedAt)
        .limit(limit)
        .all(conn)
        .await?)
}

/// The latest answers by the authors (one query).
async fn recent_answers<C: ConnectionTrait>(
    conn: &C,
    sources: &Sources,
    before: Option<DateTime<Utc>>,
    limit: u64,
) -> AppResult<Vec<answers::Model>> {
    let mut query = answers::Entity::find()
        .filter(answers::Column::DeletedAt.is_null())
        .filter(answers::Column::AuthorId.is_in(sources.authors.clone()))
        .filter(
            answers::Column::QuestionId.in_subquery(
                Query::select()
                    .column(questions::Column::Id)
                    .from(questions::Entity)
                    .cond_where(sources.audience.condition(questions::Column::SpaceId))
                    .to_owned(),
            ),
        );
    if let Some(at) = before {
        query = query.filter(answers::Column::CreatedAt.lt(at));
    }
    Ok(query
        .order_by_desc(answers::Column::CreatedAt)
        .limit(limit)
        .all(conn)
        .await?)
}

/// The (not deleted) questions these answers belong to, by id (one query).
async fn questions_of<C: ConnectionTrait>(
    conn: &C,
    answer_rows: &[answers::Model],
) -> AppResult<HashMap<i64, questions::Model>> {
    Ok(questions::Entity::find()
        .filter(questions::Column::Id.is_in(answer_rows.iter().map(|a| a.question_id)))
        .filter(questions::Column::DeletedAt.is_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect())
}

/// A question as an activity item.
fn question_activity(
    q: questions::Model,
    author: &super::repo::Author,
    tags: Vec<String>,
) -> Activity {
    Activity {
        kind: "question".into(),
        id: q.id,
        url: crate::qa::service::url_of(q.id, &q.title),
        title: q.title,
        author: author.clone(),
        tags,
        at: q.created_at,
    }
}

/// An answer as an activity item, titled and linked after its question.
fn answer_activity(
    a: &answers::Model,
    q: &questions::Model,
    author: &super::repo::Author,
) -> Activity {
    Activity {
        kind: "answer".into(),
        id: a.id,
        url: format!(
            "{}#answer-{}",
            crate::qa::service::url_of(q.id, &q.title),
            a.id
        ),
        title: q.title.clone(),
        author: author.clone(),
        tags: vec![],
        at: a.created_at,
    }
}

fn post_activity(
    p: posts::Model,
    author: &super::repo::Author,
    tags: Vec<String>,
    at: DateTime<Utc>,
) -> Activity {
    Activity {
        kind: "post".into(),
        id: p.id,
        url: format!("/blog/{}", p.slug),
        title: p.title,
        author: author.clone(),
        tags,
        at,
    }
}

/// The latest activity of these authors.
pub async fn by_authors<C: ConnectionTrait>(
    conn: &C,
    audience: Audience,
    ids: &[i64],
    limit: u64,
) -> AppResult<Vec<Activity>> {
    let sources = Sources {
        audience,
        authors: ids.to_vec(),
        tags_followed_by: None,
    };
    collect(conn, &sources, None, limit).await
}

/// The latest `per_author` published posts of each author (one query).
pub async fn posts_by(
    db: &DatabaseConnection,
    audience: Audience,
    ids: &[i64],
    per_author: usize,
) -> AppResult<HashMap<i64, Vec<Activity>>> {
    let rows = posts::Entity::find()
        .filter(audience.condition(posts::Column::SpaceId))
        .filter(posts::Column::Status.eq(PostStatus::Published.as_str()))
        .filter(posts::Column::DeletedAt.is_null())
        .filter(posts::Column::AuthorId.is_in(ids.iter().copied()))
        .order_by_desc(posts::Column::PublishedAt)
        .limit(500)
        .all(db)
        .await?;
    let authors = authors(db, ids).await?;
    let mut map: HashMap<i64, Vec<Activity>> = HashMap::new();
    for p in rows {
        let list = map.entry(p.author_id).or_default();
        if list.len() >= per_author {
            continue;
        }
        let (Some(author), Some(at)) = (authors.get(&p.author_id), p.published_at) else {
            continue;
        };
        list.push(post_activity(p, author, vec![], at));
    }
    Ok(map)
}

/// New posts, questions and answers from the people the viewer follows, and posts and questions
/// in the tags they follow, newest first.
pub async fn following(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    before: Option<&str>,
) -> AppResult<FeedPage> {
    let before = before.map(Keyset::parse).transpose()?.map(|k| k.at);
    let followees: Vec<i64> = user_follows::Entity::find()
        .select_only()
        .column(user_follows::Column::FolloweeId)
        .filter(user_follows::Column::FollowerId.eq(viewer.id.0))
        .into_tuple()
        .all(db)
        .await?;
    let sources = Sources {
        audience: Audience::of(viewer),
        authors: followees,
        tags_followed_by: Some(viewer.id.0),
    };
    let mut items = collect(db, &sources, before, FEED_SIZE + 1).await?;
    let next_cursor = (items.len() as u64 > FEED_SIZE)
        .then(|| items.get(FEED_SIZE as usize - 1))
        .flatten()
        .map(|last| Keyset { at: last.at, id: 0 }.encode());
    items.truncate(FEED_SIZE as usize);
    Ok(FeedPage { items, next_cursor })
}

/// Ambassadors grouped by department (departments by name, then those without one), each with
/// their three latest posts.
pub async fn ambassadors(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
) -> AppResult<Vec<super::views::AmbassadorGroup>> {
    let ids = super::repo::with_role(db, crate::auth::types::Role::Ambassador).await?;
    let mut people = super::repo::summaries(db, &ids).await?;
    people.sort_by(|a, b| {
        (a.department.is_none(), &a.department, &a.display_name).cmp(&(
            b.department.is_none(),
            &b.department,
            &b.display_name,
        ))
    });
    let posts = posts_by(db, Audience::of(viewer), &ids, 3).await?;
    let mut groups: Vec<super::views::AmbassadorGroup> = Vec::new();
    for person in people {
        let latest_posts = posts.get(&person.id).cloned().unwrap_or_default();
        match groups.last_mut() {
            Some(g) if g.department == person.department => {
                g.people.push(super::views::AmbassadorEntry {
                    person,
                    latest_posts,
                })
            }
            _ => groups.push(super::views::AmbassadorGroup {
                department: person.department.clone(),
                people: vec![super::views::AmbassadorEntry {
                    person,
                    latest_posts,
                }],
            }),
        }
    }
    Ok(groups)
}
