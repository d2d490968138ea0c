//! What a profile shows of someone's rewards, in one statement (issue 25's budget): their
//! points this month and in all with the leaderboard settings that decide whether the viewer
//! sees them, their badges and their standing Social Guru awards. The points and the settings
//! are the statement's first row; each badge and each award is a row of its own, below it
//! (`UNION ALL`).
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, QueryResult,
    sea_query::{Alias, Expr, Query, SelectStatement, UnionType},
};

use super::{
    badges,
    guru::AwardView,
    leaderboard::{LeaderboardSettings, Rewards},
};
use crate::{
    auth::current_user::CurrentUser,
    entities::{awards, badges as held},
    people::repo::name_column,
    settings_store,
};

/// The columns of every row, in this order. `kind` is `points`, `badge` or `award`; `label` the
/// settings' stored value, the badge or the award's month; `at` when the badge was granted or
/// the award made; `first` and `second` the points this month and in all, or the award and
/// who made it; the rest are an award's.
const COLUMNS: [&str; 9] = [
    "kind",
    "label",
    "at",
    "first",
    "second",
    "nomination_id",
    "note",
    "awarded_by_name",
    "display_name",
];

fn row(values: [Expr; 9]) -> SelectStatement {
    let mut select = Query::select();
    for (name, value) in COLUMNS.into_iter().zip(values) {
        select.expr_as(value, Alias::new(name));
    }
    select
}

/// Someone's rewards as `viewer` may see them (see [`LeaderboardSettings::may_see_points_of`]).
pub async fn of<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    user_id: i64,
) -> Result<Rewards, DbErr> {
    let month = Utc::now().format("%Y-%m").to_string();
    let points = |period: &str| super::ledger::total_column(period, user_id);
    let no_id = || Expr::val(None::<i64>);
    let no_text = || Expr::val(None::<String>);
    let award = |column: awards::Column| Expr::col((awards::Entity, column));
    let mut statement = row([
        Expr::val("points"),
        settings_store::value_column::<LeaderboardSettings>(),
        Expr::val(None::<DateTime<Utc>>),
        points(&month),
        points("all"),
        no_id(),
        no_text(),
        no_text(),
        no_text(),
    ]);
    let badges = row([
        Expr::val("badge"),
        Expr::col((held::Entity, held::Column::Badge)),
        Expr::col((held::Entity, held::Column::GrantedAt)),
        no_id(),
        no_id(),
        no_id(),
        no_text(),
        no_text(),
        no_text(),
    ])
    .from(held::Entity)
    .and_where(held::Column::UserId.eq(user_id))
    .to_owned();
    let awards = row([
        Expr::val("award"),
        award(awards::Column::Month),
        award(awards::Column::CreatedAt),
        award(awards::Column::Id),
        award(awards::Column::AwardedBy),
        award(awards::Column::NominationId),
        award(awards::Column::Note),
        name_column("giver", award(awards::Column::AwardedBy)),
        name_column("winner", award(awards::Column::UserId)),
    ])
    .from(awards::Entity)
    .and_where(awards::Column::UserId.eq(user_id))
    .and_where(awards::Column::RevokedAt.is_null())
    .to_owned();
    statement
        .union(UnionType::All, badges)
        .union(UnionType::All, awards);
    let mut settings = LeaderboardSettings::default();
    let (mut points_month, mut points_all) = (0, 0);
    let mut badges = Vec::new();
    let mut awards = Vec::new();
    for row in crate::db::all(conn, &statement).await? {
        let kind: String = row.try_get("", "kind")?;
        match kind.as_str() {
            "points" => {
                settings =
                    settings_store::parse(row.try_get::<Option<String>>("", "label")?.as_deref());
                points_month = row.try_get::<Option<i64>>("", "first")?.unwrap_or(0);
                points_all = row.try_get::<Option<i64>>("", "second")?.unwrap_or(0);
            }
            "badge" => badges.push((row.try_get("", "label")?, row.try_get("", "at")?)),
            _ => awards.push(award_of(&row, user_id)?),
        }
    }
    // Newest month first (a month has one standing award).
    awards.sort_by(|a: &AwardView, b| b.month.cmp(&a.month));
    let shown = settings.may_see_points_of(viewer, user_id);
    Ok(Rewards {
        badges: badges::in_catalogue_order(badges),
        awards,
        month,
        points_month: shown.then_some(points_month),
        points_all: shown.then_some(points_all),
    })
}

fn award_of(row: &QueryResult, user_id: i64) -> Result<AwardView, DbErr> {
    Ok(AwardView {
        id: row.try_get("", "first")?,
        month: row.try_get("", "label")?,
        user_id,
        display_name: row
            .try_get::<Option<String>>("", "display_name")?
            .unwrap_or_default(),
        awarded_by: row.try_get("", "second")?,
        awarded_by_name: row.try_get("", "awarded_by_name")?,
        nomination_id: row.try_get("", "nomination_id")?,
        note: row.try_get("", "note")?,
        created_at: row.try_get("", "at")?,
        revoked_at: None,
    })
}
