//! The figures of the dashboard about content (see [`super::service`] for their definitions):
//! weekly activity, answer statistics, unanswered questions by tag, participation per
//! department and cross-department answers; with the people and content in scope. They are
//! made of what [`super::reading`] read. Figures count content in every space, closed and
//! secret ones too; they never carry a title.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{
    reading::{AskedQuestion, Contribution, Person, Reply},
    service::{AnswerStats, CrossDepartment, DepartmentRow, Period, TagCount, WeekRow},
};
use crate::{auth::activity::week_of, people::departments::Department};

/// Who is where, who is active, and what counts: everyone's content or that of the people of
/// one department; content anywhere or in one space.
pub(super) struct Scope {
    /// The department filter.
    department: Option<i64>,
    /// The space filter.
    pub(super) space: Option<i64>,
    /// Department per user, for the users who have one.
    department_of: HashMap<i64, i64>,
    /// The members of each space (not those who asked to join).
    pub(super) members_of: HashMap<i64, HashSet<i64>>,
    /// The active users.
    pub(super) active: HashSet<i64>,
}

impl Scope {
    /// Who is where and who is active, of everyone.
    pub(super) fn new(department: Option<i64>, space: Option<i64>, people: &[Person]) -> Self {
        let mut members_of: HashMap<i64, HashSet<i64>> = HashMap::new();
        for person in people {
            for space in &person.spaces {
                members_of.entry(*space).or_default().insert(person.id);
            }
        }
        Self {
            department,
            space,
            department_of: people
                .iter()
                .filter_map(|p| Some((p.id, p.department?)))
                .collect(),
            members_of,
            active: people.iter().filter(|p| p.active).map(|p| p.id).collect(),
        }
    }

    /// Whether `user` is in the department filtered on (always without a filter).
    pub(super) fn in_department(&self, user: i64) -> bool {
        match self.department {
            None => true,
            Some(d) => self.department_of.get(&user) == Some(&d),
        }
    }

    /// Whether `user` is one of the people in scope: in the department and, with a space
    /// filter, a member of the space.
    pub(super) fn member(&self, user: i64) -> bool {
        self.in_department(user)
            && self
                .space
                .is_none_or(|s| self.members_of.get(&s).is_some_and(|m| m.contains(&user)))
    }

    /// Whether content by `author` in `space` counts: its author is in the department and,
    /// with a space filter, it is in that space (whoever wrote it).
    pub(super) fn counts(&self, author: i64, space: Option<i64>) -> bool {
        self.in_department(author) && self.space.is_none_or(|s| space == Some(s))
    }
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    let m = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    Some((m * 100.0).round() / 100.0)
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| ((part as f64 / whole as f64) * 10_000.0).round() / 10_000.0)
}

fn hours(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds().max(0) as f64 / 3600.0
}

/// The weeks of the period (`2026-W49`), first to last.
pub(super) fn week_keys(period: &Period) -> Vec<String> {
    (0..period.weeks)
        .map(|w| week_of(period.from + Duration::weeks(i64::from(w))))
        .collect()
}

/// Contributors, readers and contributions per week of the period (from `from`, the start of
/// its first week).
pub(super) fn weekly(
    scope: &Scope,
    period: &Period,
    from: DateTime<Utc>,
    all_contributions: &[Contribution],
    reads: &[(i64, String)],
) -> Vec<WeekRow> {
    let mut weekly: BTreeMap<String, (NaiveDate, HashSet<i64>, [u64; 4])> = BTreeMap::new();
    for w in 0..period.weeks {
        let starts = period.from + Duration::weeks(i64::from(w));
        weekly.insert(week_of(starts), (starts, HashSet::new(), [0; 4]));
    }
    for (kind, author, at, space) in all_contributions {
        if *at < from || !scope.counts(*author, *space) {
            continue;
        }
        if let Some((_, people, counts)) = weekly.get_mut(&week_of(at.date_naive())) {
            people.insert(*author);
            let i = match *kind {
                "post" => 0,
                "question" => 1,
                "answer" => 2,
                _ => 3,
            };
            counts[i] += 1;
        }
    }
    // How many people in scope used Kring in each week.
    let mut readers: HashMap<&str, u64> = HashMap::new();
    for (user, week) in reads {
        if scope.member(*user) {
            *readers.entry(week.as_str()).or_default() += 1;
        }
    }
    weekly
        .into_iter()
        .map(|(week, (starts, people, c))| WeekRow {
            readers: readers.get(week.as_str()).copied().unwrap_or(0),
            week,
            starts,
            contributors: people.len() as u64,
            posts: c[0],
            questions: c[1],
            answers: c[2],
            comments: c[3],
        })
        .collect()
}

/// The questions asked since a day and their answers: what the answer statistics are made of,
/// for the whole scope or per space.
pub(super) struct AnswerData {
    questions: Vec<AskedQuestion>,
    /// The first answer by someone other than the asker, per question.
    first_answer: HashMap<i64, DateTime<Utc>>,
    /// When each answer was written.
    answer_time: HashMap<i64, DateTime<Utc>>,
}

impl AnswerData {
    /// The questions asked in the period (not deleted) and their answers.
    pub(super) fn new(questions: Vec<AskedQuestion>, answers: &[Reply]) -> Self {
        let mut first_answer: HashMap<i64, DateTime<Utc>> = HashMap::new();
        let mut answer_time: HashMap<i64, DateTime<Utc>> = HashMap::new();
        let asker_of: HashMap<i64, i64> = questions.iter().map(|q| (q.0, q.1)).collect();
        for (id, question, author, at) in answers {
            answer_time.insert(*id, *at);
            if asker_of.get(question) == Some(author) {
                continue;
            }
            let first = first_answer.entry(*question).or_insert(*at);
            if at < first {
                *first = *at;
            }
        }
        Self {
            questions,
            first_answer,
            answer_time,
        }
    }

    /// The answer rate and the median times to the first and to the accepted answer, over the
    /// questions `counts(asker, space)` keeps.
    pub(super) fn stats(&self, counts: impl Fn(i64, Option<i64>) -> bool) -> AnswerStats {
        self.stats_by(|asker, space| counts(asker, space).then_some(()))
            .remove(&())
            .unwrap_or_else(|| Tally::default().stats())
    }

    /// [`Self::stats`] per group, in one pass: `group(asker, space)` names the group a question
    /// counts in (none: it does not count); groups without questions are absent.
    pub(super) fn stats_by<K: std::hash::Hash + Eq>(
        &self,
        group: impl Fn(i64, Option<i64>) -> Option<K>,
    ) -> HashMap<K, AnswerStats> {
        let mut tallies: HashMap<K, Tally> = HashMap::new();
        for (id, author, at, accepted_answer, space) in &self.questions {
            let Some(key) = group(*author, *space) else {
                continue;
            };
            let t = tallies.entry(key).or_default();
            t.asked += 1;
            if let Some(first) = self.first_answer.get(id) {
                t.to_first.push(hours(*at, *first));
            }
            if let Some(when) = accepted_answer.and_then(|a| self.answer_time.get(&a)) {
                t.to_accepted.push(hours(*at, *when));
            }
        }
        tallies.into_iter().map(|(k, t)| (k, t.stats())).collect()
    }
}

/// The questions of one group and their answer times, before the statistics.
#[derive(Default)]
struct Tally {
    asked: u64,
    to_first: Vec<f64>,
    to_accepted: Vec<f64>,
}

impl Tally {
    fn stats(mut self) -> AnswerStats {
        let (answered, accepted) = (self.to_first.len() as u64, self.to_accepted.len() as u64);
        AnswerStats {
            questions: self.asked,
            answered,
            answer_rate: ratio(answered, self.asked),
            median_hours_to_first_answer: median(&mut self.to_first),
            accepted,
            median_hours_to_accepted_answer: median(&mut self.to_accepted),
        }
    }
}

/// Unanswered open questions by tag (now, whatever their age), the 20 biggest tags.
pub(super) fn unanswered_by_tag(
    scope: &Scope,
    unanswered: &[(String, i64, Option<i64>)],
) -> Vec<TagCount> {
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for (tag, author, space) in unanswered {
        if scope.counts(*author, *space) {
            *counts.entry(tag.as_str()).or_default() += 1;
        }
    }
    let mut unanswered_by_tag: Vec<TagCount> = counts
        .into_iter()
        .map(|(tag, questions)| TagCount {
            tag: tag.to_owned(),
            questions,
        })
        .collect();
    unanswered_by_tag.sort_by(|a, b| b.questions.cmp(&a.questions).then(a.tag.cmp(&b.tag)));
    unanswered_by_tag.truncate(20);
    unanswered_by_tag
}

/// Participation per department (the one filtered on, or all), this calendar month (from
/// `month_start`), by department name.
pub(super) fn participation(
    all_departments: &[Department],
    scope: &Scope,
    all_contributions: &[Contribution],
    month_start: DateTime<Utc>,
) -> Vec<DepartmentRow> {
    let contributed_this_month: HashSet<i64> = all_contributions
        .iter()
        .filter(|(_, author, at, space)| *at >= month_start && scope.counts(*author, *space))
        .map(|(_, author, _, _)| *author)
        .collect();
    let mut departments: Vec<DepartmentRow> = all_departments
        .iter()
        .filter(|d| scope.department.is_none_or(|q| q == d.id))
        .map(|d| {
            let people: Vec<i64> = scope
                .department_of
                .iter()
                .filter(|(u, dep)| **dep == d.id && scope.active.contains(u) && scope.member(**u))
                .map(|(u, _)| *u)
                .collect();
            let contributors = people
                .iter()
                .filter(|u| contributed_this_month.contains(u))
                .count() as u64;
            DepartmentRow {
                id: d.id,
                name: d.name.clone(),
                people: people.len() as u64,
                contributors,
                participation: ratio(contributors, people.len() as u64),
            }
        })
        .collect();
    departments.sort_by_key(|d| d.name.to_lowercase());
    departments
}

/// Cross-department answers in the period.
pub(super) fn cross_department(
    scope: &Scope,
    answers: &[(i64, i64, Option<i64>)],
) -> CrossDepartment {
    let (mut known, mut across) = (0u64, 0u64);
    for &(answerer, asker, space) in answers {
        if !(scope.counts(answerer, space) || scope.counts(asker, space)) {
            continue;
        }
        if let (Some(a), Some(b)) = (
            scope.department_of.get(&answerer),
            scope.department_of.get(&asker),
        ) {
            known += 1;
            if a != b {
                across += 1;
            }
        }
    }
    CrossDepartment {
        answers_known: known,
        across,
        share: ratio(across, known),
    }
}
