//! Candidates for the Social Guru of a month: the top of its leaderboard (without the excluded
//! roles), and the authors of its most up-voted answer and most liked post. The settings are
//! one statement; the board and both notable items are one more (`db::union_lists`), each
//! notable author with their name and their points in the month as columns.
use chrono::Utc;
use sea_orm::{
    DatabaseConnection, DbErr, QueryResult,
    sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Order, Query, SelectStatement},
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    guru::{check_month, require_social_team},
    leaderboard,
};
use crate::{
    auth::current_user::CurrentUser,
    entities::{answers, point_totals, post_likes, posts, questions, users},
    error::AppResult,
};

/// Why someone is suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Among the top of the month's leaderboard.
    Leaderboard,
    /// Wrote the month's most up-voted answer.
    TopAnswer,
    /// Wrote the month's most liked post.
    TopPost,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    pub user_id: i64,
    pub display_name: String,
    /// Points in the month.
    pub points: i64,
    /// Rank on the month's leaderboard, when on its top.
    pub rank: Option<u64>,
    pub reasons: Vec<Reason>,
    /// The notable answer or post, as a link.
    pub url: Option<String>,
    pub title: Option<String>,
}

/// How many of the month's leaderboard are suggested.
const TOP: u64 = 5;

/// The columns a notable item adds to a board row (none on the board's rows): its id, title,
/// the answer's id or the post's slug. Typed, so PostgreSQL can match the union's arms.
fn item_columns(
    select: &mut SelectStatement,
    item: Option<(Expr, Expr, Expr, Expr)>,
) -> &mut SelectStatement {
    let (id, title, answer, slug) = item.unwrap_or_else(|| {
        (
            Expr::cust("CAST(NULL AS BIGINT)"),
            Expr::cust("CAST(NULL AS TEXT)"),
            Expr::cust("CAST(NULL AS BIGINT)"),
            Expr::cust("CAST(NULL AS TEXT)"),
        )
    });
    select
        .expr_as(id, Alias::new("item_id_"))
        .expr_as(title, Alias::new("item_title_"))
        .expr_as(answer, Alias::new("answer_id_"))
        .expr_as(slug, Alias::new("slug_"))
}

/// `user_id`, `points` (in the month) and `member_name_` of a notable item's author, like a
/// board row's.
fn author_columns(select: &mut SelectStatement, author: Expr, month: &str) {
    let points = crate::db::scalar(
        Query::select()
            .column(point_totals::Column::Points)
            .from(point_totals::Entity)
            .and_where(Expr::col(point_totals::Column::Period).eq(month))
            .and_where(Expr::col(point_totals::Column::UserId).eq(author.clone()))
            .to_owned(),
    );
    select
        .expr_as(author.clone(), Alias::new("user_id"))
        .expr_as(
            Func::coalesce([points, Expr::cust("0")]),
            Alias::new("points"),
        )
        .expr_as(
            crate::people::repo::name_column("member", author),
            Alias::new("member_name_"),
        );
}

/// `YYYY-MM` of a timestamp column, in UTC.
fn month_of_column(backend: sea_orm::DatabaseBackend, column: &str) -> Expr {
    Expr::cust(match backend {
        sea_orm::DatabaseBackend::Postgres => {
            format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')")
        }
        _ => format!("strftime('%Y-%m', {column})"),
    })
}

/// The month's most up-voted answer by an active person (in a question not deleted).
fn top_answer(backend: sea_orm::DatabaseBackend, month: &str) -> SelectStatement {
    let (a, q, u) = (Alias::new("a"), Alias::new("q"), Alias::new("u"));
    let mut select = Query::select();
    author_columns(
        &mut select,
        Expr::col((a.clone(), answers::Column::AuthorId)),
        month,
    );
    item_columns(
        &mut select,
        Some((
            Expr::col((q.clone(), questions::Column::Id)),
            Expr::col((q.clone(), questions::Column::Title)),
            Expr::col((a.clone(), answers::Column::Id)),
            Expr::cust("CAST(NULL AS TEXT)"),
        )),
    )
    .from_as(answers::Entity, a.clone())
    .join_as(
        JoinType::InnerJoin,
        questions::Entity,
        q.clone(),
        Expr::col((q.clone(), questions::Column::Id))
            .equals((a.clone(), answers::Column::QuestionId)),
    )
    .join_as(
        JoinType::InnerJoin,
        users::Entity,
        u.clone(),
        Expr::col((u.clone(), users::Column::Id)).equals((a.clone(), answers::Column::AuthorId)),
    )
    .and_where(Expr::col((a.clone(), answers::Column::DeletedAt)).is_null())
    .and_where(Expr::col((q.clone(), questions::Column::DeletedAt)).is_null())
    .and_where(Expr::col((u, users::Column::IsActive)).eq(true))
    .and_where(Expr::col((a.clone(), answers::Column::Score)).gt(0))
    .and_where(month_of_column(backend, "a.created_at").eq(month))
    .order_by((a.clone(), answers::Column::Score), Order::Desc)
    .order_by((a, answers::Column::Id), Order::Asc)
    .limit(1);
    select
}

/// The month's most liked published post by an active person.
fn top_post(backend: sea_orm::DatabaseBackend, month: &str) -> SelectStatement {
    let (p, l, u) = (Alias::new("p"), Alias::new("l"), Alias::new("u"));
    let mut select = Query::select();
    author_columns(
        &mut select,
        Expr::col((p.clone(), posts::Column::AuthorId)),
        month,
    );
    item_columns(
        &mut select,
        Some((
            Expr::col((p.clone(), posts::Column::Id)),
            Expr::col((p.clone(), posts::Column::Title)),
            Expr::cust("CAST(NULL AS BIGINT)"),
            Expr::col((p.clone(), posts::Column::Slug)),
        )),
    )
    .from_as(posts::Entity, p.clone())
    .join_as(
        JoinType::InnerJoin,
        post_likes::Entity,
        l.clone(),
        Expr::col((l.clone(), post_likes::Column::PostId)).equals((p.clone(), posts::Column::Id)),
    )
    .join_as(
        JoinType::InnerJoin,
        users::Entity,
        u.clone(),
        Expr::col((u.clone(), users::Column::Id)).equals((p.clone(), posts::Column::AuthorId)),
    )
    .and_where(Expr::col((p.clone(), posts::Column::Status)).eq("published"))
    .and_where(Expr::col((p.clone(), posts::Column::DeletedAt)).is_null())
    .and_where(Expr::col((u, users::Column::IsActive)).eq(true))
    .and_where(month_of_column(backend, "p.published_at").eq(month))
    .group_by_columns([
        (p.clone(), posts::Column::AuthorId),
        (p.clone(), posts::Column::Id),
        (p.clone(), posts::Column::Title),
        (p.clone(), posts::Column::Slug),
    ])
    .order_by_expr(
        Expr::col((l, post_likes::Column::UserId)).count(),
        Order::Desc,
    )
    .order_by((p, posts::Column::Id), Order::Asc)
    .limit(1);
    select
}

/// A notable item of a row of the second or third arm.
fn notable(reason: Reason, row: &QueryResult) -> Result<(Reason, String, String), DbErr> {
    let id: i64 = row.try_get("", "item_id_")?;
    let title: String = row.try_get("", "item_title_")?;
    let url = match reason {
        Reason::TopAnswer => {
            let answer: i64 = row.try_get("", "answer_id_")?;
            format!("/questions/{id}#answer-{answer}")
        }
        _ => {
            let slug: String = row.try_get("", "slug_")?;
            format!("/blog/{slug}")
        }
    };
    Ok((reason, url, title))
}

/// Candidates for a month: the top of its leaderboard (without the excluded roles), and the
/// authors of its most up-voted answer and most liked post.
pub async fn suggestions(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    month: &str,
) -> AppResult<Vec<Suggestion>> {
    require_social_team(actor)?;
    check_month(month, Utc::now())?;
    let settings: leaderboard::LeaderboardSettings = crate::settings_store::get(db).await?;
    let backend = db.get_database_backend();
    let mut board = leaderboard::board_select(&settings, month, None, TOP);
    item_columns(&mut board, None);
    let arms = [board, top_answer(backend, month), top_post(backend, month)];
    let union = crate::db::union_lists(arms).ok_or_else(|| anyhow::anyhow!("no lists"))?;
    let rows = crate::db::all(db, &union).await?;
    let arm = |row: &QueryResult| row.try_get::<i32>("", "list_").unwrap_or(-1);
    let mut out: Vec<Suggestion> = leaderboard::entries_of(rows.iter().filter(|r| arm(r) == 0))?
        .into_iter()
        .map(|e| Suggestion {
            user_id: e.user_id,
            display_name: e.display_name,
            points: e.points,
            rank: Some(e.rank),
            reasons: vec![Reason::Leaderboard],
            url: None,
            title: None,
        })
        .collect();
    for (list, reason) in [(1, Reason::TopAnswer), (2, Reason::TopPost)] {
        let Some(row) = rows.iter().find(|r| arm(r) == list) else {
            continue;
        };
        let user_id: i64 = row.try_get("", "user_id")?;
        let (reason, url, title) = notable(reason, row)?;
        match out.iter_mut().find(|s| s.user_id == user_id) {
            Some(s) => {
                s.reasons.push(reason);
                s.url.get_or_insert(url);
                s.title.get_or_insert(title);
            }
            None => out.push(Suggestion {
                user_id,
                display_name: row
                    .try_get::<Option<String>>("", "member_name_")?
                    .unwrap_or_default(),
                points: row.try_get("", "points")?,
                rank: None,
                reasons: vec![reason],
                url: Some(url),
                title: Some(title),
            }),
        }
    }
    Ok(out)
}
