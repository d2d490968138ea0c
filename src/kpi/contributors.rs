//! The figures of the dashboard about people (see [`super::service`] for their definitions):
//! points per person and per rule, top and rising contributors, and the ambassadors.
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{
    figures::Scope,
    reading::{Contribution, Person, PointsRow},
    service::{AmbassadorRow, Contributor, RulePoints},
};

/// How many people the contributor lists show.
const TOP: usize = 10;

/// Points per active person in scope, in the period and in the one before it.
pub(super) struct Points {
    current: HashMap<i64, i64>,
    previous: HashMap<i64, i64>,
}

/// Points per active person in scope, in the period and in the one before it (the points
/// read are those earned in the scope's space already).
pub(super) fn points(scope: &Scope, rows: &[PointsRow]) -> Points {
    let mut current: HashMap<i64, i64> = HashMap::new();
    let mut previous: HashMap<i64, i64> = HashMap::new();
    for row in rows {
        if !scope.in_department(row.user) || !scope.active.contains(&row.user) {
            continue;
        }
        let period = if row.current {
            &mut current
        } else {
            &mut previous
        };
        *period.entry(row.user).or_default() += row.points;
    }
    Points { current, previous }
}

/// Points per rule in the period (in the scope's space), biggest first, without the rules that
/// add up to nothing.
pub(super) fn points_by_rule(scope: &Scope, rows: &[PointsRow]) -> Vec<RulePoints> {
    let mut points_by_rule: Vec<RulePoints> = Vec::new();
    for row in rows {
        if !row.current || !scope.in_department(row.user) {
            continue;
        }
        match points_by_rule.iter_mut().find(|r| r.action == row.action) {
            Some(r) => r.points += row.points,
            None => points_by_rule.push(RulePoints {
                action: row.action.clone(),
                points: row.points,
            }),
        }
    }
    points_by_rule.retain(|r| r.points != 0);
    points_by_rule.sort_by(|a, b| b.points.cmp(&a.points).then(a.action.cmp(&b.action)));
    points_by_rule
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
