//! Leaderboards: the current or any past month, or all time; overall or per department;
//! without the roles the company excludes (e.g. the social team itself). Read from the
//! per-period rollups, so a board costs one indexed query whatever the size of the ledger.
//! Equal points share a rank ("1, 2, 2, 4"), listed by name then id, the same every time.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, IntoColumnRef, Query, SelectStatement},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::types::Role,
    entities::{point_totals, profiles, user_roles, users},
    settings_store::Setting,
};

/// The company's choices about leaderboards.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct LeaderboardSettings {
    /// People with any of these roles are left out of leaderboards.
    #[serde(default)]
    pub excluded_roles: Vec<Role>,
    /// Hide individual leaderboards (works councils may require it); badges and one's own
    /// points stay visible.
    #[serde(default)]
    pub hide_individuals: bool,
}

impl LeaderboardSettings {
    /// Whether `viewer` may see `user_id`'s points: always while boards are public; when they
    /// are hidden, only their own, or as the social team or an admin.
    pub fn may_see_points_of(
        &self,
        viewer: &crate::auth::current_user::CurrentUser,
        user_id: i64,
    ) -> bool {
        !self.hide_individuals
            || viewer.id.0 == user_id
            || viewer.has(Role::SocialTeam)
            || viewer.has(Role::Admin)
    }
}

impl Setting for LeaderboardSettings {
    const KEY: &'static str = "leaderboard";
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Entry {
    pub rank: u64,
    pub user_id: i64,
    pub display_name: String,
    pub points: i64,
}

/// `YYYY-MM` or `all`; anything else is refused.
pub fn valid_period(period: &str) -> bool {
    period == "all"
        || (period.len() == 7
            && chrono::NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d").is_ok())
}

/// The people on a period's board: active, with points, without the excluded roles,
/// optionally of one department. Each row is tied to its person by a correlated `EXISTS`, so
/// the top of a board is read in index order (with `IN (subquery)` SQLite read every user).
pub(super) fn on_board(
    settings: &LeaderboardSettings,
    period: &str,
    department: Option<i64>,
) -> sea_orm::Select<point_totals::Entity> {
    // `people` (a select of one user id column) holds this row's person.
    let holds_person = |mut people: SelectStatement, column: sea_orm::sea_query::ColumnRef| {
        Expr::exists(
            people
                .and_where(
                    Expr::col(column).equals((point_totals::Entity, point_totals::Column::UserId)),
                )
                .to_owned(),
        )
    };
    let mut query = point_totals::Entity::find()
        .filter(point_totals::Column::Period.eq(period))
        .filter(point_totals::Column::Points.gt(0))
        .filter(holds_person(
            Query::select()
                .column(users::Column::Id)
                .from(users::Entity)
                .and_where(users::Column::IsActive.eq(true))
                .to_owned(),
            (users::Entity, users::Column::Id).into_column_ref(),
        ));
    if let Some(excluded) = with_excluded_roles(settings) {
        query = query.filter(
            holds_person(
                excluded,
                (user_roles::Entity, user_roles::Column::UserId).into_column_ref(),
            )
            .not(),
        );
    }
    if let Some(department) = department {
        query = query.filter(holds_person(
            Query::select()
                .column(profiles::Column::UserId)
                .from(profiles::Entity)
                .and_where(profiles::Column::DepartmentId.eq(department))
                .to_owned(),
            (profiles::Entity, profiles::Column::UserId).into_column_ref(),
        ));
    }
    query
}

/// The people with a role the company leaves out of leaderboards (none when it leaves out none).
fn with_excluded_roles(settings: &LeaderboardSettings) -> Option<SelectStatement> {
    (!settings.excluded_roles.is_empty()).then(|| {
        Query::select()
            .column(user_roles::Column::UserId)
            .from(user_roles::Entity)
            .and_where(
                user_roles::Column::Role.is_in(settings.excluded_roles.iter().map(|r| r.as_str())),
            )
            .to_owned()
    })
}

/// The people kept off every board although they may have points: the deactivated and those
/// of an excluded role (few: read through `ix_users_inactive` and the roles' index).
pub(super) fn off_board(settings: &LeaderboardSettings) -> SelectStatement {
    let mut people = Query::select()
        .column(users::Column::Id)
        .from(users::Entity)
        .and_where(users::Column::IsActive.eq(false))
        .to_owned();
    if let Some(excluded) = with_excluded_roles(settings) {
        people.union(sea_orm::sea_query::UnionType::Distinct, excluded);
    }
    people
}

/// How many rows the leaderboard page shows (the API's `limit` defaults to 20).
pub const PAGE_ROWS: u64 = 50;

/// The top `limit` of a period, optionally of one department.
pub async fn board<C: ConnectionTrait>(
    conn: &C,
    settings: &LeaderboardSettings,
    period: &str,
    department: Option<i64>,
    limit: u64,
) -> Result<Vec<Entry>, DbErr> {
    let rows = crate::db::all(conn, &board_select(settings, period, department, limit)).await?;
    entries_of(rows.iter())
}

/// The statement of [`board`]: `user_id`, `points` and `member_name_`, the top `limit` rows
/// (read back with [`entries_of`]; other statements take it as a part).
pub fn board_select(
    settings: &LeaderboardSettings,
    period: &str,
    department: Option<i64>,
    limit: u64,
) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::QueryTrait;
    on_board(settings, period, department)
        .select_only()
        .columns([point_totals::Column::UserId, point_totals::Column::Points])
        .expr_as(
            crate::people::repo::name_column(
                "member",
                Expr::col((point_totals::Entity, point_totals::Column::UserId)),
            ),
            "member_name_",
        )
        .order_by_desc(point_totals::Column::Points)
        .order_by_asc(point_totals::Column::UserId)
        .limit(limit)
        .into_query()
}

/// The ranked entries of rows of a [`board_select`], by points, then name.
pub fn entries_of<'a>(
    rows: impl Iterator<Item = &'a sea_orm::QueryResult>,
) -> Result<Vec<Entry>, DbErr> {
    let mut entries = rows
        .map(|row| {
            Ok(Entry {
                rank: 0,
                display_name: row
                    .try_get::<Option<String>>("", "member_name_")?
                    .unwrap_or_default(),
                user_id: row.try_get("", "user_id")?,
                points: row.try_get("", "points")?,
            })
        })
        .collect::<Result<Vec<Entry>, DbErr>>()?;
    entries.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then_with(|| {
                a.display_name
                    .to_lowercase()
                    .cmp(&b.display_name.to_lowercase())
            })
            .then_with(|| a.user_id.cmp(&b.user_id))
    });
    for i in 0..entries.len() {
        entries[i].rank = if i > 0 && entries[i].points == entries[i - 1].points {
            entries[i - 1].rank
        } else {
            i as u64 + 1
        };
    }
    Ok(entries)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleTotal {
    pub action: String,
    pub points: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Standing {
    pub period: String,
    pub points: i64,
    /// Among people with points in the period (left out when leaderboards are hidden or the
    /// person has none).
    pub rank: Option<u64>,
    pub by_rule: Vec<RuleTotal>,
}

/// Changes the leaderboard settings (admins); audited.
pub async fn set_settings(
    db: &sea_orm::DatabaseConnection,
    actor: &crate::auth::current_user::CurrentUser,
    settings: &LeaderboardSettings,
) -> crate::error::AppResult<()> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let old: LeaderboardSettings = crate::settings_store::get(&txn).await?;
    crate::settings_store::put(&txn, settings).await?;
    crate::audit::record(
        &txn,
        Some(actor.id),
        "settings.leaderboard",
        None,
        serde_json::json!({"old": old, "new": settings}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What a profile shows of someone's rewards.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rewards {
    pub badges: Vec<super::badges::Held>,
    /// Their Social Guru months.
    pub awards: Vec<super::guru::AwardView>,
    pub month: String,
    /// Points this month and in all; left out when leaderboards are hidden, except for
    /// themself, the social team and admins.
    pub points_month: Option<i64>,
    pub points_all: Option<i64>,
}
