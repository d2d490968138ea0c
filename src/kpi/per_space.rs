//! The figures per space: who is in it and what happened in it in the period. Closed and
//! secret spaces are listed too (the dashboard is the social team's and admins', who manage
//! every space); no title of their content is shown.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::{
    figures::{AnswerData, Scope},
    reading::{Contribution, SpaceEntry},
    service::SpaceRow,
};

/// What was contributed in one space: posts, questions, answers and comments, and by whom.
#[derive(Default)]
struct Activity {
    counts: [u64; 4],
    contributors: HashSet<i64>,
}

/// One row per space (the one filtered on, or all), by name: its active members in the
/// department filtered on, and the contributions in it since `from` by people in that
/// department (one pass over the contributions and one over the questions).
pub(super) fn rows(
    all_spaces: &[SpaceEntry],
    scope: &Scope,
    all_contributions: &[Contribution],
    answers: &AnswerData,
    from: DateTime<Utc>,
) -> Vec<SpaceRow> {
    let mut activity: HashMap<i64, Activity> = HashMap::new();
    for (kind, author, at, space) in all_contributions {
        let Some(space) = space else { continue };
        if *at < from || !scope.in_department(*author) {
            continue;
        }
        let a = activity.entry(*space).or_default();
        a.contributors.insert(*author);
        a.counts[match *kind {
            "post" => 0,
            "question" => 1,
            "answer" => 2,
            _ => 3,
        }] += 1;
    }
    let mut rates = answers.stats_by(|asker, space| space.filter(|_| scope.in_department(asker)));
    let mut rows: Vec<SpaceRow> = all_spaces
        .iter()
        .filter(|s| scope.space.is_none_or(|q| q == s.id))
        .map(|s| {
            let a = activity.remove(&s.id).unwrap_or_default();
            let members = scope.members_of.get(&s.id).map_or(0, |m| {
                m.iter()
                    .filter(|u| scope.active.contains(u) && scope.in_department(**u))
                    .count() as u64
            });
            SpaceRow {
                id: s.id,
                slug: s.slug.clone(),
                name: s.name.clone(),
                kind: s.kind.clone(),
                members,
                contributors: a.contributors.len() as u64,
                posts: a.counts[0],
                questions: a.counts[1],
                answers: a.counts[2],
                comments: a.counts[3],
                answer_rate: rates.remove(&s.id).and_then(|r| r.answer_rate),
            }
        })
        .collect();
    // The spaces come in the database's order of names; the table is by name regardless of case
    // (and by id, the order they were read in before, between names that differ only in case).
    rows.sort_by_key(|r| (r.name.to_lowercase(), r.id));
    rows
}
