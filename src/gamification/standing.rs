//! One person's points as the API shows them (issue 25's budget): whether they exist, the
//! leaderboard settings, their points in a period and the breakdown by rule are one statement
//! ([`head`]); their rank on the overall board is one more, and only when they have one to
//! show ([`rank`]); their ledger one more.
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
    sea_query::{Alias, Expr, Query, UnionType},
};

use super::{
    leaderboard::{LeaderboardSettings, RuleTotal, Standing, off_board, on_board},
    ledger::{self, Event},
};
use crate::{
    auth::current_user::CurrentUser,
    db::scalar,
    entities::{point_events, point_totals, users},
    error::{AppError, AppResult},
    settings_store,
};

/// What [`head`] reads.
struct Head {
    /// The person exists.
    exists: bool,
    settings: LeaderboardSettings,
    points: i64,
    by_rule: Vec<RuleTotal>,
}

/// The person, the settings and their points in `period` as the first row (none when there is
/// no such person), the points per rule below it (`UNION ALL`).
async fn head<C: ConnectionTrait>(conn: &C, period: &str, user_id: i64) -> Result<Head, DbErr> {
    let mut statement = Query::select()
        .expr_as(Expr::val("head"), Alias::new("kind"))
        .expr_as(
            settings_store::value_column::<LeaderboardSettings>(),
            Alias::new("label"),
        )
        .expr_as(
            super::ledger::total_column(period, user_id),
            Alias::new("points"),
        )
        .from(users::Entity)
        .and_where(users::Column::Id.eq(user_id))
        .to_owned();
    let mut by_rule = point_events::Entity::find()
        .select_only()
        .column_as(Expr::val("rule"), "kind")
        .column_as(point_events::Column::Action, "label")
        .column_as(Expr::cust("CAST(SUM(points) AS BIGINT)"), "points")
        .filter(point_events::Column::UserId.eq(user_id))
        .group_by(point_events::Column::Action);
    if period != "all" {
        by_rule = by_rule.filter(point_events::Column::Month.eq(period));
    }
    statement.union(UnionType::All, by_rule.into_query());
    let mut head = Head {
        exists: false,
        settings: LeaderboardSettings::default(),
        points: 0,
        by_rule: Vec::new(),
    };
    for row in crate::db::all(conn, &statement).await? {
        let label: Option<String> = row.try_get("", "label")?;
        let points: Option<i64> = row.try_get("", "points")?;
        if row.try_get::<String>("", "kind")? == "head" {
            head.exists = true;
            head.settings = settings_store::parse(label.as_deref());
            head.points = points.unwrap_or(0);
        } else if let (Some(action), Some(points)) = (label, points.filter(|p| *p != 0)) {
            head.by_rule.push(RuleTotal { action, points });
        }
    }
    Ok(head)
}

/// The rank on the period's overall board (those above, plus one), in one statement: none when
/// boards are hidden or the person is not on it.
///
/// Those above are everyone of the period with more points (a range of `ix_point_totals_rank`)
/// less the few of them kept off the board ([`off_board`], each found by its key), not the
/// people on the board counted one by one against `users`: that read every person above and
/// their user row (a hash of all users) for someone far down the board.
async fn rank<C: ConnectionTrait>(
    conn: &C,
    settings: &LeaderboardSettings,
    period: &str,
    user_id: i64,
    points: i64,
) -> Result<Option<u64>, DbErr> {
    if points <= 0 || settings.hide_individuals {
        return Ok(None);
    }
    let count = |select: sea_orm::Select<point_totals::Entity>| {
        scalar(
            select
                .select_only()
                .expr(Expr::cust("COUNT(*)"))
                .into_query(),
        )
    };
    let more_points = || {
        point_totals::Entity::find()
            .filter(point_totals::Column::Period.eq(period))
            .filter(point_totals::Column::Points.gt(points))
    };
    let statement = Query::select()
        .expr_as(
            count(
                on_board(settings, period, None).filter(point_totals::Column::UserId.eq(user_id)),
            ),
            Alias::new("listed"),
        )
        .expr_as(count(more_points()), Alias::new("more"))
        .expr_as(
            count(
                more_points().filter(point_totals::Column::UserId.in_subquery(off_board(settings))),
            ),
            Alias::new("off_board"),
        )
        .to_owned();
    let Some(row) = crate::db::one(conn, &statement).await? else {
        return Ok(None);
    };
    let listed: i64 = row.try_get("", "listed")?;
    let above = row.try_get::<i64>("", "more")? - row.try_get::<i64>("", "off_board")?;
    Ok((listed > 0).then_some(above as u64 + 1))
}

fn standing_of(period: &str, head: Head, rank: Option<u64>) -> Standing {
    Standing {
        period: period.to_owned(),
        points: head.points,
        rank,
        by_rule: head.by_rule,
    }
}

/// One's own points in a period, rank and breakdown by rule (two statements at most).
pub async fn own<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    period: &str,
) -> Result<Standing, DbErr> {
    of(conn, period, viewer.id.0).await
}

/// [`own`] with the leaderboard settings read in the same statement (the leaderboard page needs
/// both).
pub async fn own_and_settings<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    period: &str,
) -> Result<(Standing, LeaderboardSettings), DbErr> {
    let head = head(conn, period, viewer.id.0).await?;
    let rank = rank(conn, &head.settings, period, viewer.id.0, head.points).await?;
    let settings = head.settings.clone();
    Ok((standing_of(period, head, rank), settings))
}

/// Someone's points in a period, rank and breakdown by rule, without asking who may see them
/// (the leaderboard page shows one's own; the benchmark measures it).
pub async fn of<C: ConnectionTrait>(
    conn: &C,
    period: &str,
    user_id: i64,
) -> Result<Standing, DbErr> {
    let head = head(conn, period, user_id).await?;
    let rank = rank(conn, &head.settings, period, user_id, head.points).await?;
    Ok(standing_of(period, head, rank))
}

/// Someone's points, rank, breakdown by rule and ledger (`limit` events before `before`):
/// 404 for no such person, 403 when the viewer may not see their points, then the period's
/// error (`period` is checked by the caller, reported in that order).
pub async fn of_person<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    user_id: i64,
    period: AppResult<String>,
    before: Option<i64>,
    limit: u64,
) -> AppResult<(Standing, Vec<Event>)> {
    let asked = period.as_deref().unwrap_or("all");
    let head = head(conn, asked, user_id).await?;
    if !head.exists {
        return Err(AppError::NotFound);
    }
    if !head.settings.may_see_points_of(viewer, user_id) {
        return Err(AppError::forbidden());
    }
    let period = period?;
    let rank = rank(conn, &head.settings, &period, user_id, head.points).await?;
    let events = ledger::events(conn, user_id, before, limit).await?;
    Ok((standing_of(&period, head, rank), events))
}
