//! CSV export of every table on the dashboard, with the same figures as the page and the JSON.
use super::service::{Contributor, Kpis};

/// The tables that can be exported, as named in `/kpis/export/{table}.csv`.
pub const TABLES: [&str; 11] = [
    "weekly",
    "answers",
    "unanswered_by_tag",
    "departments",
    "spaces",
    "cross_department",
    "top_contributors",
    "rising_contributors",
    "ambassadors",
    "points_by_rule",
    "readiness",
];

/// One cell: a number (written as it is) or text people typed or the system made (written
/// inert when a spreadsheet would take it for a formula).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Number(String),
    Text(String),
}

impl Cell {
    /// The cell as written to the file. Text starting with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return gets a leading `'`, as OWASP advises against CSV injection: the
    /// spreadsheet shows the text instead of running it. Numbers, negative ones included,
    /// stay numbers.
    pub fn written(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Self::Number(n) => n.into(),
            Self::Text(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                format!("'{t}").into()
            }
            Self::Text(t) => t.into(),
        }
    }
}

fn num(value: &dyn ToString) -> Cell {
    Cell::Number(value.to_string())
}

fn opt<T: ToString>(value: Option<T>) -> Cell {
    Cell::Number(value.map(|v| v.to_string()).unwrap_or_default())
}

fn text(value: &dyn ToString) -> Cell {
    Cell::Text(value.to_string())
}

/// A table: its header and its rows.
type Table = (Vec<&'static str>, Vec<Vec<Cell>>);

/// The header and rows of one table.
pub fn table(kpis: &Kpis, name: &str) -> Option<(Vec<&'static str>, Vec<Vec<Cell>>)> {
    Some(match name {
        "weekly" => weekly(kpis),
        "answers" => answers(kpis),
        "unanswered_by_tag" => unanswered_by_tag(kpis),
        "departments" => departments(kpis),
        "spaces" => spaces(kpis),
        "cross_department" => cross_department(kpis),
        "top_contributors" => contributors(&kpis.top_contributors),
        "rising_contributors" => contributors(&kpis.rising_contributors),
        "ambassadors" => ambassadors(kpis),
        "points_by_rule" => points_by_rule(kpis),
        "readiness" => readiness(kpis),
        _ => return None,
    })
}

/// Activity per week.
fn weekly(kpis: &Kpis) -> Table {
    (
        vec![
            "week",
            "starts",
            "contributors",
            "readers",
            "posts",
            "questions",
            "answers",
            "comments",
        ],
        kpis.weekly
            .iter()
            .map(|w| {
                vec![
                    text(&w.week),
                    num(&w.starts),
                    num(&w.contributors),
                    num(&w.readers),
                    num(&w.posts),
                    num(&w.questions),
                    num(&w.answers),
                    num(&w.comments),
                ]
            })
            .collect(),
    )
}

/// The answer statistics, in one row.
fn answers(kpis: &Kpis) -> Table {
    let a = &kpis.answers;
    (
        vec![
            "questions",
            "answered",
            "answer_rate",
            "median_hours_to_first_answer",
            "accepted",
            "median_hours_to_accepted_answer",
        ],
        vec![vec![
            num(&a.questions),
            num(&a.answered),
            opt(a.answer_rate),
            opt(a.median_hours_to_first_answer),
            num(&a.accepted),
            opt(a.median_hours_to_accepted_answer),
        ]],
    )
}

/// Unanswered open questions per tag.
fn unanswered_by_tag(kpis: &Kpis) -> Table {
    (
        vec!["tag", "questions"],
        kpis.unanswered_by_tag
            .iter()
            .map(|row| vec![text(&row.tag), num(&row.questions)])
            .collect(),
    )
}

/// Participation per department.
fn departments(kpis: &Kpis) -> Table {
    (
        vec!["department", "people", "contributors", "participation"],
        kpis.departments
            .iter()
            .map(|d| {
                vec![
                    text(&d.name),
                    num(&d.people),
                    num(&d.contributors),
                    opt(d.participation),
                ]
            })
            .collect(),
    )
}

/// The figures per space.
fn spaces(kpis: &Kpis) -> Table {
    (
        vec![
            "space",
            "kind",
            "members",
            "contributors",
            "posts",
            "questions",
            "answers",
            "comments",
            "answer_rate",
        ],
        kpis.spaces
            .iter()
            .map(|s| {
                vec![
                    text(&s.name),
                    text(&s.kind),
                    num(&s.members),
                    num(&s.contributors),
                    num(&s.posts),
                    num(&s.questions),
                    num(&s.answers),
                    num(&s.comments),
                    opt(s.answer_rate),
                ]
            })
            .collect(),
    )
}

/// Cross-department answers, in one row.
fn cross_department(kpis: &Kpis) -> Table {
    let c = &kpis.cross_department;
    (
        vec!["answers_known", "across", "share"],
        vec![vec![num(&c.answers_known), num(&c.across), opt(c.share)]],
    )
}

/// Top or rising contributors.
fn contributors(list: &[Contributor]) -> Table {
    (
        vec!["user_id", "name", "points", "previous"],
        list.iter()
            .map(|c| {
                vec![
                    num(&c.user_id),
                    text(&c.display_name),
                    num(&c.points),
                    opt(c.previous),
                ]
            })
            .collect(),
    )
}

/// The ambassadors and what they did.
fn ambassadors(kpis: &Kpis) -> Table {
    (
        vec!["user_id", "name", "posts", "answers", "comments"],
        kpis.ambassadors
            .iter()
            .map(|a| {
                vec![
                    num(&a.user_id),
                    text(&a.display_name),
                    num(&a.posts),
                    num(&a.answers),
                    num(&a.comments),
                ]
            })
            .collect(),
    )
}

/// Points per rule.
fn points_by_rule(kpis: &Kpis) -> Table {
    (
        vec!["rule", "points"],
        kpis.points_by_rule
            .iter()
            .map(|r| vec![text(&r.action), num(&r.points)])
            .collect(),
    )
}

/// The social-readiness trend.
fn readiness(kpis: &Kpis) -> Table {
    (
        vec!["quarter", "level", "score"],
        kpis.readiness
            .iter()
            .map(|r| vec![text(&r.quarter), text(&r.level), num(&r.score)])
            .collect(),
    )
}

/// One table as CSV (RFC 4180, a header row first).
pub fn csv(kpis: &Kpis, name: &str) -> Option<String> {
    let (header, rows) = table(kpis, name)?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).ok()?;
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| cell.written().into_owned()))
            .ok()?;
    }
    String::from_utf8(writer.into_inner().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::Cell;

    #[test]
    fn text_that_looks_like_a_formula_is_made_inert_and_numbers_are_not() {
        for formula in ["=1+2", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(Cell::Text(formula.into()).written(), format!("'{formula}"));
        }
        assert_eq!(Cell::Text("Sales".into()).written(), "Sales");
        assert_eq!(Cell::Number("-3".into()).written(), "-3");
        assert_eq!(Cell::Number("0.25".into()).written(), "0.25");
    }
}
