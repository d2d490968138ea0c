//! Who used Kring in which ISO week (`activity_weeks`), read by the KPI dashboard for its
//! weekly readers. Recorded when a request resolves its user: at most one insert per person, week
//! and process (an in-memory set remembers the current week), so reading costs no write.
use std::{collections::HashSet, sync::Mutex};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};

use crate::entities::activity_weeks;

/// `2026-W49`: the ISO week of a day.
pub fn week_of(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{:04}-W{:02}", week.year(), week.week())
}

/// The people this process has recorded in the current week (one per application state).
#[derive(Default)]
pub struct SeenThisWeek(Mutex<Option<(String, HashSet<i64>)>>);

fn already_seen(seen: &SeenThisWeek, week: &str, user_id: i64) -> bool {
    seen.0.lock().is_ok_and(|seen| {
        seen.as_ref()
            .is_some_and(|(w, users)| w == week && users.contains(&user_id))
    })
}

fn remember(seen: &SeenThisWeek, week: &str, user_id: i64) {
    if let Ok(mut seen) = seen.0.lock() {
        match seen.as_mut() {
            Some((w, users)) if w == week => {
                users.insert(user_id);
            }
            _ => *seen = Some((week.to_owned(), HashSet::from([user_id]))),
        }
    }
}

/// Records that `user_id` used Kring in the week of `now`. Never fails the request: a
/// database error is logged.
pub async fn seen<C: ConnectionTrait>(
    conn: &C,
    memo: &SeenThisWeek,
    user_id: i64,
    now: DateTime<Utc>,
) {
    let week = week_of(now.date_naive());
    if already_seen(memo, &week, user_id) {
        return;
    }
    let result = activity_weeks::Entity::insert(activity_weeks::ActiveModel {
        user_id: Set(user_id),
        week: Set(week.clone()),
    })
    .on_conflict(
        OnConflict::columns([activity_weeks::Column::UserId, activity_weeks::Column::Week])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await;
    match result {
        Ok(_) => remember(memo, &week, user_id),
        Err(e) => tracing::warn!(error = %e, "cannot record weekly activity"),
    }
}
