//! Per-request bookkeeping, kept off the hot path: who used Kring in which ISO week
//! (`activity_weeks`, read by the KPI dashboard for its weekly readers) and when a personal
//! access token was last used (`api_tokens.last_used_at`). A request only notes them in memory;
//! the `bookkeeping` background lane writes what is new once a second ([`flush`]), one
//! statement per kind. At most one week row per person, week and process, and one token use
//! per token and minute, ever reach the database.
use std::{
    collections::{HashMap, HashSet},
    sync::Mutex,
};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};

use crate::entities::{activity_weeks, api_tokens};

/// `2026-W49`: the ISO week of a day.
pub fn week_of(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{:04}-W{:02}", week.year(), week.week())
}

/// How long a token's recorded last use may lag behind its real one.
const TOKEN_USE_GRANULARITY: chrono::Duration = chrono::Duration::minutes(1);

#[derive(Default)]
struct Notes {
    /// The current week and who was recorded in it (written or waiting).
    week: String,
    seen: HashSet<i64>,
    /// People seen this week whose row is not written yet.
    unwritten: Vec<i64>,
    /// Token id → when it was last used, as last written.
    token_written: HashMap<i64, DateTime<Utc>>,
    /// Token id → its latest use not written yet.
    token_unwritten: HashMap<i64, DateTime<Utc>>,
}

/// This process's bookkeeping notes (one per application state).
#[derive(Default)]
pub struct Bookkeeping(Mutex<Notes>);

impl Bookkeeping {
    /// Notes that `user_id` used Kring at `now` (written by the next [`flush`]).
    pub fn seen(&self, user_id: i64, now: DateTime<Utc>) {
        let week = week_of(now.date_naive());
        let Ok(mut notes) = self.0.lock() else { return };
        if notes.week != week {
            notes.week = week;
            notes.seen.clear();
        }
        if notes.seen.insert(user_id) {
            notes.unwritten.push(user_id);
        }
    }

    /// Notes that the token `token_id` was used at `now`; `recorded` is the last use the
    /// database holds. Nothing is noted within a minute of the recorded use.
    pub fn token_used(&self, token_id: i64, recorded: Option<DateTime<Utc>>, now: DateTime<Utc>) {
        let Ok(mut notes) = self.0.lock() else { return };
        let last = notes.token_written.get(&token_id).copied().max(recorded);
        if last.is_none_or(|t| now - t > TOKEN_USE_GRANULARITY) {
            notes.token_unwritten.insert(token_id, now);
        }
    }

    fn take(&self) -> (String, Vec<i64>, HashMap<i64, DateTime<Utc>>) {
        let Ok(mut notes) = self.0.lock() else {
            return Default::default();
        };
        let tokens = std::mem::take(&mut notes.token_unwritten);
        for (id, at) in &tokens {
            notes.token_written.insert(*id, *at);
        }
        (
            notes.week.clone(),
            std::mem::take(&mut notes.unwritten),
            tokens,
        )
    }

    /// Puts notes whose write failed back, to be tried again.
    fn give_back(&self, week: &str, people: Vec<i64>, tokens: HashMap<i64, DateTime<Utc>>) {
        let Ok(mut notes) = self.0.lock() else { return };
        if notes.week == week {
            notes.unwritten.extend(people);
        }
        for (id, at) in tokens {
            notes.token_written.remove(&id);
            notes.token_unwritten.entry(id).or_insert(at);
        }
    }
}

/// Writes what was noted since the last flush: one insert for the week's new people, one update
/// per token use (rare: a minute apart per token).
pub async fn flush<C: ConnectionTrait>(conn: &C, book: &Bookkeeping) -> Result<(), DbErr> {
    let (week, people, tokens) = book.take();
    if people.is_empty() && tokens.is_empty() {
        return Ok(());
    }
    let result = write(conn, &week, &people, &tokens).await;
    if result.is_err() {
        book.give_back(&week, people, tokens);
    }
    result
}

async fn write<C: ConnectionTrait>(
    conn: &C,
    week: &str,
    people: &[i64],
    tokens: &HashMap<i64, DateTime<Utc>>,
) -> Result<(), DbErr> {
    if !people.is_empty() {
        activity_weeks::Entity::insert_many(people.iter().map(|id| activity_weeks::ActiveModel {
            user_id: Set(*id),
            week: Set(week.to_owned()),
        }))
        .on_conflict(
            OnConflict::columns([activity_weeks::Column::UserId, activity_weeks::Column::Week])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    }
    for (id, at) in tokens {
        api_tokens::Entity::update_many()
            .col_expr(api_tokens::Column::LastUsedAt, Expr::value(Some(*at)))
            .filter(api_tokens::Column::Id.eq(*id))
            .exec(conn)
            .await?;
    }
    Ok(())
}
