//! CSV export of every table on the dashboard, with the same figures as the page and the JSON.
use super::service::Kpis;

/// The tables that can be exported, as named in `/kpis/export/{table}.csv`.
pub const TABLES: [&str; 10] = [
    "weekly",
    "answers",
    "unanswered_by_tag",
    "departments",
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

/// The header and rows of one table.
pub fn table(kpis: &Kpis, name: &str) -> Option<(Vec<&'static str>, Vec<Vec<Cell>>)> {
    let s = num;
    let t = |v: &dyn ToString| Cell::Text(v.to_string());
    Some(match name {
        "weekly" => (
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
                        t(&w.week),
                        s(&w.starts),
                        s(&w.contributors),
                        s(&w.readers),
                        s(&w.posts),
                        s(&w.questions),
                        s(&w.answers),
                        s(&w.comments),
                    ]
                })
                .collect(),
        ),
        "answers" => {
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
                    s(&a.questions),
                    s(&a.answered),
                    opt(a.answer_rate),
                    opt(a.median_hours_to_first_answer),
                    s(&a.accepted),
                    opt(a.median_hours_to_accepted_answer),
                ]],
            )
        }
        "unanswered_by_tag" => (
            vec!["tag", "questions"],
            kpis.unanswered_by_tag
                .iter()
                .map(|row| vec![t(&row.tag), s(&row.questions)])
                .collect(),
        ),
        "departments" => (
            vec!["department", "people", "contributors", "participation"],
            kpis.departments
                .iter()
                .map(|d| {
                    vec![
                        t(&d.name),
                        s(&d.people),
                        s(&d.contributors),
                        opt(d.participation),
                    ]
                })
                .collect(),
        ),
        "cross_department" => {
            let c = &kpis.cross_department;
            (
                vec!["answers_known", "across", "share"],
                vec![vec![s(&c.answers_known), s(&c.across), opt(c.share)]],
            )
        }
        "top_contributors" | "rising_contributors" => (
            vec!["user_id", "name", "points", "previous"],
            if name == "top_contributors" {
                &kpis.top_contributors
            } else {
                &kpis.rising_contributors
            }
            .iter()
            .map(|c| {
                vec![
                    s(&c.user_id),
                    t(&c.display_name),
                    s(&c.points),
                    opt(c.previous),
                ]
            })
            .collect(),
        ),
        "ambassadors" => (
            vec!["user_id", "name", "posts", "answers", "comments"],
            kpis.ambassadors
                .iter()
                .map(|a| {
                    vec![
                        s(&a.user_id),
                        t(&a.display_name),
                        s(&a.posts),
                        s(&a.answers),
                        s(&a.comments),
                    ]
                })
                .collect(),
        ),
        "points_by_rule" => (
            vec!["rule", "points"],
            kpis.points_by_rule
                .iter()
                .map(|r| vec![t(&r.action), s(&r.points)])
                .collect(),
        ),
        "readiness" => (
            vec!["quarter", "level", "score"],
            kpis.readiness
                .iter()
                .map(|r| vec![t(&r.quarter), t(&r.level), s(&r.score)])
                .collect(),
        ),
        _ => return None,
    })
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
