//! The Social Guru of the month. When a month closes the social team is told and shown
//! candidates (the top of that month's leaderboard, and the authors of the month's most
//! up-voted answer and most liked post). Social-team members nominate people with a reason and
//! see each other's nominations; one of them awards a nomination. At most one standing award
//! per month: a second is refused (409) by a partial unique index, so concurrent awards cannot
//! both win. Only admins revoke an award, with a reason, audited; a revoked month may be
//! awarded again.
use crate::state::LastDone;
use chrono::{DateTime, Datelike, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::leaderboard::valid_period;
use crate::{
    auth::{
        current_user::CurrentUser,
        types::{Role, UserId},
    },
    entities::{awards, nominations, users},
    error::{AppError, AppResult, Msg},
    notify::{
        self,
        types::{Category, Notice},
    },
};

/// `YYYY-MM` of a moment.
pub fn month_of(at: DateTime<Utc>) -> String {
    at.format("%Y-%m").to_string()
}

/// The month before the one `at` falls in: the month that closed last.
pub fn closed_month(at: DateTime<Utc>) -> String {
    let (year, month) = if at.month() == 1 {
        (at.year() - 1, 12)
    } else {
        (at.year(), at.month() - 1)
    };
    format!("{year:04}-{month:02}")
}

/// An insert refused by a unique index becomes a 409 with this message.
fn conflict_if_taken<T>(inserted: Result<T, DbErr>, message: &'static str) -> AppResult<T> {
    match inserted {
        Ok(row) => Ok(row),
        Err(e) if crate::db::is_unique_violation(&e) => Err(AppError::conflict(message)),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn require_social_team(actor: &CurrentUser) -> AppResult<()> {
    if actor.has(Role::SocialTeam) {
        Ok(())
    } else {
        Err(AppError::Forbidden(Msg::new("err-guru-social-team")))
    }
}

pub(super) fn check_month(month: &str, now: DateTime<Utc>) -> AppResult<()> {
    if month == "all" || !valid_period(month) {
        return Err(AppError::validation("month", Msg::new("err-guru-month")));
    }
    if month > month_of(now).as_str() {
        return Err(AppError::validation("month", Msg::new("err-guru-future")));
    }
    Ok(())
}

pub use super::suggestions::{Reason, Suggestion, suggestions};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewNomination {
    pub user_id: i64,
    /// `YYYY-MM`, this month or an earlier one.
    pub month: String,
    /// Why (1 to 2,000 characters).
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NominationView {
    pub id: i64,
    pub month: String,
    pub user_id: i64,
    pub display_name: String,
    pub nominated_by: i64,
    pub nominated_by_name: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// Nominates someone for a month (the social team). Notifies the rest of the social team.
pub async fn nominate(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    new: &NewNomination,
) -> AppResult<NominationView> {
    require_social_team(actor)?;
    let now = Utc::now();
    check_month(&new.month, now)?;
    let reason = new.reason.trim();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(AppError::validation(
            "reason",
            Msg::new("err-guru-reason").arg("max", 2000),
        ));
    }
    let nominee = users::Entity::find_by_id(new.user_id)
        .one(db)
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| AppError::validation("user_id", Msg::new("err-guru-nominee")))?;
    let txn = crate::db::begin(db).await?;
    let inserted = nominations::ActiveModel {
        month: Set(new.month.clone()),
        user_id: Set(nominee.id),
        nominated_by: Set(actor.id.0),
        reason: Set(reason.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let row = conflict_if_taken(inserted, "err-guru-nominated-already")?;
    let team = crate::people::repo::with_role(&txn, Role::SocialTeam).await?;
    notify::service::notify(
        &txn,
        team.into_iter()
            .map(|member| Notice {
                user_id: member,
                kind: "nomination",
                category: Category::Nominations,
                actor_id: Some(actor.id.0),
                title: format!("{} ({})", nominee.display_name, row.month),
                url: format!("/social-guru?month={}", row.month),
                dedupe_key: format!("nomination:{}", row.id),
            })
            .collect(),
    )
    .await?;
    txn.commit().await?;
    Ok(NominationView {
        id: row.id,
        month: row.month,
        user_id: nominee.id,
        display_name: nominee.display_name,
        nominated_by: actor.id.0,
        nominated_by_name: actor.display_name.clone(),
        reason: row.reason,
        created_at: row.created_at,
    })
}

/// The nominations of a month, oldest first (the social team).
pub async fn nominations(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    month: &str,
) -> AppResult<Vec<NominationView>> {
    use sea_orm::{
        FromQueryResult, QueryTrait,
        sea_query::{Alias, Expr},
    };
    require_social_team(actor)?;
    check_month(month, Utc::now())?;
    // The nominee's and the nominator's names are columns (one statement).
    let mut select = nominations::Entity::find()
        .filter(nominations::Column::Month.eq(month))
        .order_by_asc(nominations::Column::Id)
        .into_query();
    let name = |alias: &str, column: nominations::Column| {
        crate::people::repo::name_column(alias, Expr::col((nominations::Entity, column)))
    };
    select
        .expr_as(
            name("nominee", nominations::Column::UserId),
            Alias::new("nominee_name_"),
        )
        .expr_as(
            name("nominator", nominations::Column::NominatedBy),
            Alias::new("nominator_name_"),
        );
    let text = |row: &sea_orm::QueryResult, column: &str| -> Result<String, DbErr> {
        Ok(row
            .try_get::<Option<String>>("", column)?
            .unwrap_or_default())
    };
    crate::db::all(db, &select)
        .await?
        .iter()
        .map(|row| {
            let r = nominations::Model::from_query_result(row, "")?;
            Ok(NominationView {
                id: r.id,
                display_name: text(row, "nominee_name_")?,
                nominated_by_name: text(row, "nominator_name_")?,
                month: r.month,
                user_id: r.user_id,
                nominated_by: r.nominated_by,
                reason: r.reason,
                created_at: r.created_at,
            })
        })
        .collect::<Result<_, DbErr>>()
        .map_err(Into::into)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AwardView {
    pub id: i64,
    pub month: String,
    pub user_id: i64,
    pub display_name: String,
    pub awarded_by: Option<i64>,
    pub awarded_by_name: Option<String>,
    pub nomination_id: Option<i64>,
    /// The nomination's reason (or the awarder's note).
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The winner's and the awarder's names as columns of a statement over `awards` (read back
/// with [`award_of`]).
fn name_columns(select: &mut sea_orm::sea_query::SelectStatement) {
    use crate::people::repo::name_column;
    use sea_orm::sea_query::{Alias, Expr};
    select
        .expr_as(
            name_column(
                "winner",
                Expr::col((awards::Entity, awards::Column::UserId)),
            ),
            Alias::new("winner_name_"),
        )
        .expr_as(
            name_column(
                "awarder",
                Expr::col((awards::Entity, awards::Column::AwardedBy)),
            ),
            Alias::new("awarder_name_"),
        );
}

/// An award of a row with every column of `awards` and its [`name_columns`].
fn award_of(row: &sea_orm::QueryResult) -> Result<AwardView, DbErr> {
    use sea_orm::FromQueryResult;
    let r = awards::Model::from_query_result(row, "")?;
    Ok(AwardView {
        id: r.id,
        display_name: row
            .try_get::<Option<String>>("", "winner_name_")?
            .unwrap_or_default(),
        awarded_by_name: row.try_get("", "awarder_name_")?,
        month: r.month,
        user_id: r.user_id,
        awarded_by: r.awarded_by,
        nomination_id: r.nomination_id,
        note: r.note,
        created_at: r.created_at,
        revoked_at: r.revoked_at,
    })
}

/// The awards `query` selects, in its order, with the winner's and the awarder's names (one
/// statement).
async fn views<C: ConnectionTrait>(
    conn: &C,
    query: sea_orm::Select<awards::Entity>,
) -> Result<Vec<AwardView>, DbErr> {
    use sea_orm::QueryTrait;
    let mut select = query.into_query();
    name_columns(&mut select);
    crate::db::all(conn, &select)
        .await?
        .iter()
        .map(award_of)
        .collect()
}

/// The Guru to show on the home page, the standing award of the month that closed last:
/// left-joins it onto a one-row statement, with its names, read back with [`latest_of`] (the
/// home page's facts statement carries it).
pub fn join_latest(select: &mut sea_orm::sea_query::SelectStatement, now: DateTime<Utc>) {
    use sea_orm::{
        Condition,
        sea_query::{Expr, ExprTrait, JoinType},
    };
    select.join(
        JoinType::LeftJoin,
        awards::Entity,
        Condition::all()
            .add(Expr::col((awards::Entity, awards::Column::Month)).eq(closed_month(now)))
            .add(Expr::col((awards::Entity, awards::Column::RevokedAt)).is_null()),
    );
    crate::db::all_columns(select, awards::Entity);
    name_columns(select);
}

/// The award of a row of a statement made with [`join_latest`] (none that month).
pub fn latest_of(row: &sea_orm::QueryResult) -> Result<Option<AwardView>, DbErr> {
    if row.try_get::<Option<i64>>("", "id")?.is_none() {
        return Ok(None);
    }
    award_of(row).map(Some)
}

/// Awards a nomination: its nominee becomes the Social Guru of its month (the social team;
/// only for a month that has closed). Refused with 409 when the month has a Guru already.
pub async fn award(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    nomination_id: i64,
) -> AppResult<AwardView> {
    require_social_team(actor)?;
    let nomination = nominations::Entity::find_by_id(nomination_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = Utc::now();
    if nomination.month >= month_of(now) {
        return Err(AppError::validation(
            "month",
            Msg::new("err-guru-open-month"),
        ));
    }
    let winner = users::Entity::find_by_id(nomination.user_id)
        .one(db)
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| AppError::validation("user_id", Msg::new("err-guru-nominee")))?;
    let txn = crate::db::begin(db).await?;
    let taken = awards::Entity::find()
        .filter(awards::Column::Month.eq(&nomination.month))
        .filter(awards::Column::RevokedAt.is_null())
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::conflict("err-guru-awarded-already"));
    }
    let inserted = awards::ActiveModel {
        month: Set(nomination.month.clone()),
        user_id: Set(winner.id),
        awarded_by: Set(Some(actor.id.0)),
        nomination_id: Set(Some(nomination.id)),
        note: Set(nomination.reason.clone()),
        created_at: Set(now),
        revoked_at: Set(None),
        revoked_by: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let row = conflict_if_taken(inserted, "err-guru-awarded-already")?;
    crate::audit::record(
        &txn,
        Some(actor.id),
        "guru.awarded",
        Some(UserId(winner.id)),
        serde_json::json!({"award": row.id, "month": row.month, "nomination": nomination.id}),
    )
    .await?;
    notify::service::notify(
        &txn,
        vec![Notice {
            user_id: winner.id,
            kind: "award",
            category: Category::Rewards,
            actor_id: Some(actor.id.0),
            title: row.month.clone(),
            url: "/hall-of-fame".into(),
            dedupe_key: format!("award:{}", row.id),
        }],
    )
    .await?;
    txn.commit().await?;
    Ok(views(db, awards::Entity::find_by_id(row.id))
        .await?
        .remove(0))
}

/// Revokes an award (admins), with a reason; audited. The month may then be awarded again.
pub async fn revoke(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    award_id: i64,
    reason: &str,
) -> AppResult<AwardView> {
    actor.require(Role::Admin)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(AppError::validation(
            "reason",
            Msg::new("err-guru-reason").arg("max", 2000),
        ));
    }
    let txn = crate::db::begin(db).await?;
    let row = awards::Entity::find_by_id(award_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.revoked_at.is_some() {
        return Err(AppError::conflict("err-guru-revoked-already"));
    }
    let mut active: awards::ActiveModel = row.into();
    active.revoked_at = Set(Some(Utc::now()));
    active.revoked_by = Set(Some(actor.id.0));
    let row = active.update(&txn).await?;
    crate::audit::record(
        &txn,
        Some(actor.id),
        "guru.revoked",
        Some(UserId(row.user_id)),
        serde_json::json!({"award": row.id, "month": row.month, "reason": reason}),
    )
    .await?;
    txn.commit().await?;
    Ok(views(db, awards::Entity::find_by_id(row.id))
        .await?
        .remove(0))
}

/// The standing awards, newest month first (the hall of fame), or one person's.
pub async fn awards<C: ConnectionTrait>(
    conn: &C,
    user_id: Option<i64>,
) -> Result<Vec<AwardView>, DbErr> {
    let mut query = awards::Entity::find().filter(awards::Column::RevokedAt.is_null());
    if let Some(user_id) = user_id {
        query = query.filter(awards::Column::UserId.eq(user_id));
    }
    views(conn, query.order_by_desc(awards::Column::Month)).await
}

/// Tells the social team, once per month, that the month has closed and nominations are open.
pub async fn announce_closed_month<C: ConnectionTrait>(
    conn: &C,
    announced: &LastDone,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // The month this application state has announced already (the dedupe key guards across
    // processes).
    let month = closed_month(now);
    if announced.is(&month) {
        return Ok(());
    }
    let team = crate::people::repo::with_role(conn, Role::SocialTeam).await?;
    notify::service::notify(
        conn,
        team.into_iter()
            .map(|member| Notice {
                user_id: member,
                kind: "guru_open",
                category: Category::Nominations,
                actor_id: None,
                title: month.clone(),
                url: format!("/social-guru?month={month}"),
                dedupe_key: format!("guru-open:{month}"),
            })
            .collect(),
    )
    .await?;
    announced.set(month);
    Ok(())
}
