//! The figures of the dashboard about people (see [`super::service`] for their definitions):
//! points per person and per rule, top and rising contributors, and the ambassadors.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{
    figures::{Contribution, Scope},
    reading::{Person, rows},
    service::{AmbassadorRow, Contributor, RulePoints},
};
use crate::error::AppResult;

/// How many people the contributor lists show.
const TOP: usize = 10;

/// Points per active person in scope, in the period and in the one before it.
pub(super) struct Points {
    current: HashMap<i64, i64>,
    previous: HashMap<i64, i64>,
}

/// The space of a point event's subject (none for the company-wide space), as SQL over
/// `point_events pe`: each kind of subject leads to its post or question.
const SUBJECT_SPACE: &str = "CASE pe.subject_kind \
    WHEN 'question' THEN (SELECT space_id FROM questions WHERE id = pe.subject_id) \
    WHEN 'answer' THEN (SELECT q.space_id FROM answers a JOIN questions q ON q.id = a.question_id \
        WHERE a.id = pe.subject_id) \
    WHEN 'qa_comment' THEN (SELECT q.space_id FROM qa_comments c \
        JOIN questions q ON q.id = c.question_id WHERE c.id = pe.subject_id) \
    WHEN 'post' THEN (SELECT space_id FROM posts WHERE id = pe.subject_id) \
    WHEN 'post_comment' THEN (SELECT p.space_id FROM post_comments c \
        JOIN posts p ON p.id = c.post_id WHERE c.id = pe.subject_id) \
    WHEN 'post_review' THEN (SELECT space_id FROM posts WHERE id = pe.subject_id) END";

/// The condition on `point_events pe` that keeps the points earned in the scope's space
/// (nothing without a space filter; the space id is a number, written into the SQL).
fn in_space(scope: &Scope) -> String {
    scope
        .space
        .map(|s| format!(" AND ({SUBJECT_SPACE}) = {s}"))
        .unwrap_or_default()
}

/// `2026-12-07`: the day as `point_events` stores it.
fn day(d: DateTime<Utc>) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Points per person since `previous_from`, split at `from`; with a space filter, the points
/// earned with content in that space (one query).
pub(super) async fn points(
    db: &DatabaseConnection,
    scope: &Scope,
    previous_from: DateTime<Utc>,
    from: DateTime<Utc>,
) -> AppResult<Points> {
    let mut current: HashMap<i64, i64> = HashMap::new();
    let mut previous: HashMap<i64, i64> = HashMap::new();
    for row in rows(
        db,
        &format!(
            "SELECT pe.user_id, CASE WHEN pe.day >= $2 THEN 1 ELSE 0 END, \
             CAST(SUM(pe.points) AS BIGINT) FROM point_events pe WHERE pe.day >= $1{} \
             GROUP BY pe.user_id, CASE WHEN pe.day >= $2 THEN 1 ELSE 0 END",
            in_space(scope)
        ),
        vec![day(previous_from).into(), day(from).into()],
    )
    .await?
    {
        let user: i64 = row.try_get_by_index(0)?;
        let now_period: i32 = row.try_get_by_index(1)?;
        let points: i64 = row.try_get_by_index(2)?;
        if !scope.in_department(user) || !scope.active.contains(&user) {
            continue;
        }
        if now_period == 1 {
            current.insert(user, points);
        } else {
            previous.insert(user, points);
        }
    }
    Ok(Points { current, previous })
}

/// Points per rule since `from` (in the scope's space), biggest first, without the rules that
/// add up to nothing (one query).
pub(super) async fn points_by_rule(
    db: &DatabaseConnection,
    scope: &Scope,
    from: DateTime<Utc>,
) -> AppResult<Vec<RulePoints>> {
    let mut points_by_rule: Vec<RulePoints> = Vec::new();
    for row in rows(
        db,
        &format!(
            "SELECT pe.user_id, pe.action, CAST(SUM(pe.points) AS BIGINT) FROM point_events pe \
             WHERE pe.day >= $1{} GROUP BY pe.user_id, pe.action",
            in_space(scope)
        ),
        vec![day(from).into()],
    )
    .await?
    {
        let user: i64 = row.try_get_by_index(0)?;
        let action: String = row.try_get_by_index(1)?;
        let points: i64 = row.try_get_by_index(2)?;
        if !scope.in_department(user) {
            continue;
        }
        match points_by_rule.iter_mut().find(|r| r.action == action) {
            Some(r) => r.points += points,
            None => points_by_rule.push(RulePoints { action, points }),
        }
    }
    points_by_rule.retain(|r| r.points != 0);
    points_by_rule.sort_by(|a, b| b.points.cmp(&a.points).then(a.action.cmp(&b.action)));
    Ok(points_by_rule)
}

/// Everyone's display name, by id.
pub(super) fn names(people: &[Person]) -> HashMap<i64, String> {
    people.iter().map(|p| (p.id, p.name.clone())).collect()
}

fn person(
    names: &HashMap<i64, String>,
    user: i64,
    points: i64,
    previous: Option<i64>,
) -> Contributor {
    Contributor {
        user_id: user,
        display_name: names.get(&user).cloned().unwrap_or_default(),
        points,
        previous,
    }
}

/// The people with the most points in the period.
pub(super) fn top_contributors(points: &Points, names: &HashMap<i64, String>) -> Vec<Contributor> {
    let mut top: Vec<(i64, i64)> = points.current.iter().map(|(u, p)| (*u, *p)).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.iter()
        .filter(|(_, p)| *p > 0)
        .take(TOP)
        .map(|(u, p)| person(names, *u, *p, None))
        .collect()
}

/// The people whose points grew the most over the period before.
pub(super) fn rising_contributors(
    points: &Points,
    names: &HashMap<i64, String>,
) -> Vec<Contributor> {
    let mut rising: Vec<(i64, i64, i64)> = points
        .current
        .iter()
        .map(|(u, p)| (*u, *p, points.previous.get(u).copied().unwrap_or(0)))
        .filter(|(_, p, before)| p > before)
        .collect();
    rising.sort_by(|a, b| (b.1 - b.2).cmp(&(a.1 - a.2)).then(a.0.cmp(&b.0)));
    rising
        .iter()
        .take(TOP)
        .map(|(u, p, before)| person(names, *u, *p, Some(*before)))
        .collect()
}

/// The active ambassadors in scope and what they did since `from` (in the scope's space), the
/// busiest first.
pub(super) fn ambassadors(
    scope: &Scope,
    people: &[Person],
    all_contributions: &[Contribution],
    from: DateTime<Utc>,
) -> Vec<AmbassadorRow> {
    // (posts, answers, comments) in the period per author, in one pass.
    let mut done: HashMap<i64, [u64; 3]> = HashMap::new();
    for (kind, author, at, space) in all_contributions {
        if !scope.counts(*author, *space) {
            continue;
        }
        let slot = match *kind {
            "post" => 0,
            "answer" => 1,
            "comment" => 2,
            _ => continue,
        };
        if *at >= from {
            done.entry(*author).or_default()[slot] += 1;
        }
    }
    // People come by id, so ambassadors as busy as each other and of the same name do too.
    let mut ambassadors: Vec<AmbassadorRow> = people
        .iter()
        .filter(|p| p.ambassador && scope.active.contains(&p.id) && scope.member(p.id))
        .map(|p| {
            let [posts, answers, comments] = done.get(&p.id).copied().unwrap_or_default();
            AmbassadorRow {
                user_id: p.id,
                display_name: p.name.clone(),
                posts,
                answers,
                comments,
            }
        })
        .collect();
    ambassadors.sort_by(|a, b| {
        (b.posts + b.answers + b.comments)
            .cmp(&(a.posts + a.answers + a.comments))
            .then(a.display_name.cmp(&b.display_name))
    });
    ambassadors
}
