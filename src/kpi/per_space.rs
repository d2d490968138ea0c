//! The figures per space: who is in it and what happened in it in the period. Closed and
//! secret spaces are listed too (the dashboard is the social team's and admins', who manage
//! every space); no title of their content is shown.
use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::{
    figures::{AnswerData, Contribution, Scope},
    service::SpaceRow,
};
use crate::entities::spaces;

/// One row per space (the one filtered on, or all), by name: its active members in the
/// department filtered on, and the contributions in it since `from` by people in that
/// department.
pub(super) fn rows(
    all_spaces: &[spaces::Model],
    scope: &Scope,
    all_contributions: &[Contribution],
    answers: &AnswerData,
    from: DateTime<Utc>,
) -> Vec<SpaceRow> {
    let mut rows: Vec<SpaceRow> = all_spaces
        .iter()
        .filter(|s| scope.space.is_none_or(|q| q == s.id))
        .map(|s| {
            let mut counts = [0u64; 4];
            let mut contributors: HashSet<i64> = HashSet::new();
            for (kind, author, at, space) in all_contributions {
                if *at < from || *space != Some(s.id) || !scope.in_department(*author) {
                    continue;
                }
                contributors.insert(*author);
                counts[match *kind {
                    "post" => 0,
                    "question" => 1,
                    "answer" => 2,
                    _ => 3,
                }] += 1;
            }
            let members = scope.members_of.get(&s.id).map_or(0, |m| {
                m.iter()
                    .filter(|u| scope.active.contains(u) && scope.in_department(**u))
                    .count() as u64
            });
            let stats =
                answers.stats(|asker, space| space == Some(s.id) && scope.in_department(asker));
            SpaceRow {
                id: s.id,
                slug: s.slug.clone(),
                name: s.name.clone(),
                kind: s.kind.clone(),
                members,
                contributors: contributors.len() as u64,
                posts: counts[0],
                questions: counts[1],
                answers: counts[2],
                comments: counts[3],
                answer_rate: stats.answer_rate,
            }
        })
        .collect();
    rows.sort_by_key(|r| r.name.to_lowercase());
    rows
}
