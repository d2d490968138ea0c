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

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The header and rows of one table, as text cells.
pub fn table(kpis: &Kpis, name: &str) -> Option<(Vec<&'static str>, Vec<Vec<String>>)> {
    let s = |v: &dyn ToString| v.to_string();
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
                        s(&w.week),
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
                .map(|t| vec![s(&t.tag), s(&t.questions)])
                .collect(),
        ),
        "departments" => (
            vec!["department", "people", "contributors", "participation"],
            kpis.departments
                .iter()
                .map(|d| {
                    vec![
                        s(&d.name),
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
                    s(&c.display_name),
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
                        s(&a.display_name),
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
                .map(|r| vec![s(&r.action), s(&r.points)])
                .collect(),
        ),
        "readiness" => (
            vec!["quarter", "level", "score"],
            kpis.readiness
                .iter()
                .map(|r| vec![s(&r.quarter), s(&r.level), s(&r.score)])
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
        writer.write_record(&row).ok()?;
    }
    String::from_utf8(writer.into_inner().ok()?).ok()
}
