//! Activity: what people wrote (posts, questions, answers), for profiles, the ambassadors page
//! and the following feed. The kinds are three branches of one statement, merged by time.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QueryResult, QuerySelect,
    sea_query::{
        Alias, Asterisk, Expr, ExprTrait, IntoColumnRef, Order, Query, SelectStatement, UnionType,
    },
};

use super::{
    repo::{author_of, authors, join_author},
    views::{Activity, FeedPage},
};
use crate::spaces::audience::Audience;
use crate::status::PostStatus;
use crate::{
    auth::current_user::CurrentUser,
    db::{Reused, id_of, time_of},
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
    authors: Authors,
    /// Posts and questions in these tags (any author). Given as a subquery on `tag_follows`.
    tags_followed_by: Option<i64>,
}

/// Whose activity: these people, or the people someone follows (a subquery on `user_follows`,
/// so the following feed needs no statement to find them first).
#[derive(Clone, Debug)]
enum Authors {
    These(Vec<i64>),
    FollowedBy(i64),
}

impl Default for Authors {
    fn default() -> Self {
        Self::These(vec![])
    }
}

impl Authors {
    /// `column` holds one of these authors.
    fn condition(&self, column: impl ColumnTrait) -> sea_orm::sea_query::SimpleExpr {
        match self {
            Self::These(ids) => column.is_in(ids.iter().copied()),
            Self::FollowedBy(follower) => column.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(user_follows::Column::FolloweeId)
                    .from(user_follows::Entity)
                    .and_where(user_follows::Column::FollowerId.eq(*follower))
                    .to_owned(),
            ),
        }
    }
}

/// Items (posts or questions) by the authors, or in the tags the reader follows: one
/// `id IN (…)` over a `UNION ALL` of the two, so the database starts from the few items these
/// pick out (an `OR` of the two would read every item).
fn by_authors_or_tags<I, L>(
    sources: &Sources,
    (id, author): (I, I),
    (link_item, link_tag): (L, L),
) -> sea_orm::sea_query::SimpleExpr
where
    I: ColumnTrait,
    L: ColumnTrait,
{
    let by_authors = sources.authors.condition(author);
    let Some(user) = sources.tags_followed_by else {
        return by_authors;
    };
    let mut ids = Query::select()
        .column((id.entity_name(), id))
        .from(id.entity_name())
        .and_where(by_authors)
        .to_owned();
    ids.union(
        sea_orm::sea_query::UnionType::All,
        Query::select()
            .column(link_item)
            .from(link_item.entity_name())
            .and_where(
                link_tag.in_subquery(
                    Query::select()
                        .column(tag_follows::Column::TagId)
                        .from(tag_follows::Entity)
                        .and_where(tag_follows::Column::UserId.eq(user))
                        .to_owned(),
                ),
            )
            .to_owned(),
    );
    id.in_subquery(ids)
}

/// The columns of every branch of [`collect_select`]'s statement, in this order (then the author's,
/// [`join_author`]): `slug` is a post's, `question_id` a question's or an answer's question, and
/// `title` an answer's question's title (`NULL` once that question is deleted).
const COLUMNS: [&str; 7] = [
    "kind",
    "id",
    "title",
    "slug",
    "question_id",
    "at",
    "tag_names",
];

/// One branch of [`collect_select`]'s statement: the latest `limit` rows of `select` (which selects
/// [`COLUMNS`] and filters) by `at`, before `before`, as a derived table so that its order and
/// limit hold inside the `UNION ALL`.
fn branch(
    mut select: SelectStatement,
    at: impl IntoColumnRef + Clone,
    before: Option<DateTime<Utc>>,
    limit: u64,
    name: &str,
) -> SelectStatement {
    if let Some(before) = before {
        select.and_where(Expr::col(at.clone()).lt(before));
    }
    select.order_by(at, Order::Desc).limit(limit);
    Query::select()
        .column(Asterisk)
        .from_subquery(select, Alias::new(name))
        .to_owned()
}

/// `values` as the [`COLUMNS`], then the author of `author`.
fn columns(select: &mut SelectStatement, values: [Expr; 7], author: Expr) {
    for (name, value) in COLUMNS.into_iter().zip(values) {
        select.expr_as(value, Alias::new(name));
    }
    join_author(select, author);
}

/// The latest activity from `sources` (before `before`): the latest `limit` posts, questions
/// and answers, each with its author, tags and (answers) its question's title, as three
/// branches of one `UNION ALL` statement; [`activities`] merges them by time.
fn collect_select(
    backend: DatabaseBackend,
    sources: &Sources,
    before: Option<DateTime<Utc>>,
    limit: u64,
) -> SelectStatement {
    let mut statement = branch(
        recent_posts(backend, sources),
        (posts::Entity, posts::Column::PublishedAt),
        before,
        limit,
        "recent_posts",
    );
    statement
        .union(
            UnionType::All,
            branch(
                recent_questions(backend, sources),
                (questions::Entity, questions::Column::CreatedAt),
                before,
                limit,
                "recent_questions",
            ),
        )
        .union(
            UnionType::All,
            branch(
                recent_answers(sources),
                (answers::Entity, answers::Column::CreatedAt),
                before,
                limit,
                "recent_answers",
            ),
        );
    statement
}

/// The rows of a [`collect_select`], merged by time, at most `limit`.
fn activities(rows: Vec<QueryResult>, limit: u64) -> AppResult<Vec<Activity>> {
    let mut items = Vec::new();
    for row in rows {
        items.extend(activity_of(&row)?);
    }
    items.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    items.truncate(limit as usize);
    Ok(items)
}

/// A row of [`collect_select`]'s statement as an activity item; none for a post without a publication
/// time or an answer whose question is deleted.
fn activity_of(row: &QueryResult) -> Result<Option<Activity>, DbErr> {
    let (Some(title), Some(at)) = (
        row.try_get::<Option<String>>("", "title")?,
        row.try_get::<Option<DateTime<Utc>>>("", "at")?,
    ) else {
        return Ok(None);
    };
    let kind: String = row.try_get("", "kind")?;
    let id: i64 = row.try_get("", "id")?;
    let question = || -> Result<String, DbErr> {
        Ok(crate::qa::service::url_of(
            row.try_get("", "question_id")?,
            &title,
        ))
    };
    let url = match kind.as_str() {
        "post" => format!("/blog/{}", row.try_get::<String>("", "slug")?),
        "question" => question()?,
        _ => format!("{}#answer-{id}", question()?),
    };
    Ok(Some(Activity {
        kind,
        id,
        url,
        title,
        author: author_of(row)?,
        tags: crate::tags::split_names(row.try_get("", "tag_names")?),
        at,
    }))
}

/// The published posts by the authors or in the followed tags (a branch of [`collect_select`]).
fn recent_posts(backend: DatabaseBackend, sources: &Sources) -> SelectStatement {
    let who = by_authors_or_tags(
        sources,
        (posts::Column::Id, posts::Column::AuthorId),
        (post_tags::Column::PostId, post_tags::Column::TagId),
    );
    let post = |column: posts::Column| Expr::col((posts::Entity, column));
    let mut select = Query::select();
    columns(
        &mut select,
        [
            Expr::val("post"),
            post(posts::Column::Id),
            post(posts::Column::Title),
            post(posts::Column::Slug),
            Expr::val(None::<i64>),
            post(posts::Column::PublishedAt),
            crate::tags::names_column(
                backend,
                post_tags::Entity,
                post_tags::Column::PostId,
                post_tags::Column::TagId,
                post(posts::Column::Id),
            ),
        ],
        post(posts::Column::AuthorId),
    );
    select
        .from(posts::Entity)
        .and_where(posts::Column::Status.eq(PostStatus::Published.as_str()))
        .and_where(posts::Column::DeletedAt.is_null())
        .cond_where(sources.audience.condition(posts::Column::SpaceId))
        .cond_where(who)
        .to_owned()
}

/// The questions by the authors or in the followed tags (a branch of [`collect_select`]).
fn recent_questions(backend: DatabaseBackend, sources: &Sources) -> SelectStatement {
    let who = by_authors_or_tags(
        sources,
        (questions::Column::Id, questions::Column::AuthorId),
        (
            question_tags::Column::QuestionId,
            question_tags::Column::TagId,
        ),
    );
    let question = |column: questions::Column| Expr::col((questions::Entity, column));
    let mut select = Query::select();
    columns(
        &mut select,
        [
            Expr::val("question"),
            question(questions::Column::Id),
            question(questions::Column::Title),
            Expr::val(None::<String>),
            question(questions::Column::Id),
            question(questions::Column::CreatedAt),
            crate::tags::names_column(
                backend,
                question_tags::Entity,
                question_tags::Column::QuestionId,
                question_tags::Column::TagId,
                question(questions::Column::Id),
            ),
        ],
        question(questions::Column::AuthorId),
    );
    select
        .from(questions::Entity)
        .and_where(questions::Column::DeletedAt.is_null())
        .cond_where(sources.audience.condition(questions::Column::SpaceId))
        .cond_where(who)
        .to_owned()
}

/// The answers by the authors, in questions the reader sees, with their question's title (a
/// branch of [`collect_select`]).
fn recent_answers(sources: &Sources) -> SelectStatement {
    let answer = |column: answers::Column| Expr::col((answers::Entity, column));
    let answered = Alias::new("answered");
    let title = crate::db::scalar(
        Query::select()
            .column((answered.clone(), questions::Column::Title))
            .from_as(questions::Entity, answered.clone())
            .and_where(
                Expr::col((answered.clone(), questions::Column::Id))
                    .equals((answers::Entity, answers::Column::QuestionId)),
            )
            .and_where(Expr::col((answered, questions::Column::DeletedAt)).is_null())
            .to_owned(),
    );
    let mut select = Query::select();
    columns(
        &mut select,
        [
            Expr::val("answer"),
            answer(answers::Column::Id),
            title,
            Expr::val(None::<String>),
            answer(answers::Column::QuestionId),
            answer(answers::Column::CreatedAt),
            Expr::val(None::<String>),
        ],
        answer(answers::Column::AuthorId),
    );
    select
        .from(answers::Entity)
        .and_where(answers::Column::DeletedAt.is_null())
        .and_where(sources.authors.condition(answers::Column::AuthorId))
        // Correlated, so each answer looks up its own question (an `IN` over every visible
        // question would read them all).
        .and_where(Expr::exists(
            Query::select()
                .expr(Expr::cust("1"))
                .from(questions::Entity)
                .and_where(
                    Expr::col((questions::Entity, questions::Column::Id))
                        .equals((answers::Entity, answers::Column::QuestionId)),
                )
                .cond_where(sources.audience.condition(questions::Column::SpaceId))
                .to_owned(),
        ))
        .to_owned()
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

/// How many items of their latest activity a profile shows.
pub const PROFILE_ACTIVITY: u64 = 10;

/// The latest activity of one person that the viewer may see (their profile). Built once per
/// audience shape (see `Reused`): building the three branches was a fifth of a profile's
/// instructions.
pub async fn by_author<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<Vec<Activity>> {
    static STATEMENTS: [Reused; Audience::SHAPES] = [const { Reused::new() }; Audience::SHAPES];
    let backend = conn.get_database_backend();
    let statement = Audience::reused_for(&STATEMENTS, backend, viewer, id, |audience, _, id| {
        let sources = Sources {
            audience,
            authors: Authors::These(vec![id]),
            tags_followed_by: None,
        };
        collect_select(backend, &sources, None, PROFILE_ACTIVITY)
    });
    activities(conn.query_all_raw(statement).await?, PROFILE_ACTIVITY)
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
    // Built once per audience shape and cursor (see `Reused`): on the home page, building the
    // three branches was a fifth of the page's instructions.
    static STATEMENTS: [[Reused; 2]; Audience::SHAPES] =
        [const { [const { Reused::new() }; 2] }; Audience::SHAPES];
    let before = before.map(Keyset::parse).transpose()?.map(|k| k.at);
    let backend = db.get_database_backend();
    let audience = Audience::of(viewer);
    let mut params = vec![viewer.id.0.into()];
    params.extend(before.map(sea_orm::Value::from));
    let statement = STATEMENTS[audience.shape()][usize::from(before.is_some())].statement(
        backend,
        params,
        |p| {
            let viewer = id_of(&p[0]);
            let sources = Sources {
                audience: audience.with_reader(viewer),
                authors: Authors::FollowedBy(viewer),
                tags_followed_by: Some(viewer),
            };
            collect_select(backend, &sources, p.get(1).map(time_of), FEED_SIZE + 1)
        },
    );
    let mut items = activities(db.query_all_raw(statement).await?, FEED_SIZE + 1)?;
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
    let mut people =
        super::repo::summaries_with_role(db, crate::auth::types::Role::Ambassador).await?;
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
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
