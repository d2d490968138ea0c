//! The KPI dashboard: every figure equals a hand computation on a fixture with known activity;
//! the CSV exports, the page's tables and the JSON agree; only the social team and admins see
//! it; the readiness assessment.
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use kring::{
    auth::types::Role,
    entities::{answers, questions},
};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};

use crate::helpers::{ApiClient, TestApp, spawn_app};

/// A moment all fixture times can start from and stay within the current week and month.
fn base_time() -> DateTime<Utc> {
    let now = Utc::now();
    let today = now.date_naive();
    let week_start = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let month_start = today.with_day(1).unwrap();
    let midnight = |d: chrono::NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap());
    (now - Duration::hours(7))
        .max(midnight(week_start))
        .max(midnight(month_start))
}

async fn department(admin: &ApiClient, name: &str) -> i64 {
    let r = admin
        .post_json("/api/v1/departments", &json!({"name": name}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// Moves someone into a department, as an admin does (so they are not seen using Kring).
async fn place(admin: &ApiClient, user: i64, department: i64) {
    let r = admin
        .patch_json(
            &format!("/api/v1/people/{user}/profile"),
            &json!({"department_id": department}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
}

async fn ask(app: &TestApp, client: &ApiClient, title: &str, at: DateTime<Utc>) -> i64 {
    let r = client
        .post_json(
            "/api/v1/questions",
            &json!({"title": title, "body": "See the title.", "tags": ["it"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let mut q: questions::ActiveModel = questions::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .into();
    q.created_at = Set(at);
    q.update(app.db()).await.unwrap();
    id
}

async fn answer(app: &TestApp, client: &ApiClient, question: i64, at: DateTime<Utc>) -> i64 {
    let r = client
        .post_json(
            &format!("/api/v1/questions/{question}/answers"),
            &json!({"body": "Here is how it works."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let mut a: answers::ActiveModel = answers::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .into();
    a.created_at = Set(at);
    a.update(app.db()).await.unwrap();
    id
}

struct Fixture {
    app: TestApp,
    team: ApiClient,
    it: i64,
    ids: [i64; 3],
}

/// Sales: Ann. IT: Bob (ambassador), Cee, Eve (reads nothing, writes nothing).
/// q1 by Ann: Bob answers after 2 h, Cee after 6 h, Cee's is accepted.
/// q2 by Bob: Cee answers after 4 h. q3 by Ann: no answer. q4 by Cee: only her own answer.
async fn fixture() -> Fixture {
    let app = spawn_app().await;
    app.exec("INSERT INTO tags (name, created_at) VALUES ('it', CURRENT_TIMESTAMP)")
        .await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (team, _) = app.api_user(&[Role::SocialTeam]).await;
    let sales = department(&admin, "Sales").await;
    let it = department(&admin, "IT").await;
    let (ann, ann_user) = app.api_user(&[]).await;
    let (bob, bob_user) = app.api_user(&[Role::Ambassador]).await;
    let (cee, cee_user) = app.api_user(&[]).await;
    let eve = app.create_user(&[]).await;
    place(&admin, ann_user.id, sales).await;
    place(&admin, bob_user.id, it).await;
    place(&admin, cee_user.id, it).await;
    place(&admin, eve.id, it).await;

    let t = base_time();
    let h = Duration::hours;
    let q1 = ask(&app, &ann, "How do I reset the VPN token?", t).await;
    answer(&app, &bob, q1, t + h(2)).await;
    let accepted = answer(&app, &cee, q1, t + h(6)).await;
    let r = ann
        .post_json(&format!("/api/v1/answers/{accepted}/accept"), &json!({}))
        .await;
    assert!(r.status().is_success());
    let q2 = ask(&app, &bob, "Which laptop do new developers get?", t).await;
    answer(&app, &cee, q2, t + h(4)).await;
    ask(&app, &ann, "Who signs the travel requests?", t).await;
    let q4 = ask(&app, &cee, "Where are the server room keys?", t).await;
    answer(&app, &cee, q4, t + h(1)).await;
    // The team has used Kring this week too; requests note it, the bookkeeping lane writes it.
    team.get("/api/v1/me").await;
    app.drain().await;
    Fixture {
        app,
        team,
        it,
        ids: [ann_user.id, bob_user.id, cee_user.id],
    }
}

/// Acceptance 1: every KPI equals its hand-computed value.
#[tokio::test]
async fn every_kpi_equals_the_hand_computed_value() {
    let f = fixture().await;
    let [ann, bob, cee] = f.ids;
    let k = f.team.get_json("/api/v1/kpis?weeks=4").await;
    assert_eq!(k["period"]["weeks"], 4);
    assert_eq!(k["weekly"].as_array().unwrap().len(), 4);

    let answers = &k["answers"];
    assert_eq!(answers["questions"], 4);
    // q1 and q2 have answers by someone else; q4 only its asker's.
    assert_eq!(answers["answered"], 2);
    assert_eq!(answers["answer_rate"], 0.5);
    // Firsts after 2 h and 4 h.
    assert_eq!(answers["median_hours_to_first_answer"], 3.0);
    assert_eq!(answers["accepted"], 1);
    assert_eq!(answers["median_hours_to_accepted_answer"], 6.0);

    // This week: 4 questions, 4 answers by Ann, Bob and Cee; readers are everyone who used
    // Kring this week (the admin, the social team, Ann, Bob, Cee; not Eve).
    let week = k["weekly"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(week["questions"], 4);
    assert_eq!(week["answers"], 4);
    assert_eq!(week["posts"], 0);
    assert_eq!(week["contributors"], 3);
    assert_eq!(week["readers"], 5);

    // Bob→q1 and Cee→q1 cross from IT to Sales; Cee→q2 and Cee→q4 stay in IT.
    assert_eq!(
        k["cross_department"],
        json!({"answers_known": 4, "across": 2, "share": 0.5})
    );
    // Sales: Ann contributed (1 of 1); IT: Bob and Cee, not Eve (2 of 3).
    assert_eq!(
        k["departments"],
        json!([
            {"id": f.it, "name": "IT", "people": 3, "contributors": 2, "participation": 0.6667},
            {"id": f.it - 1, "name": "Sales", "people": 1, "contributors": 1, "participation": 1.0},
        ])
    );
    assert_eq!(
        k["unanswered_by_tag"],
        json!([{"tag": "it", "questions": 1}])
    );
    // Points: answers 2 each but not on one's own question (6), accepted 5 + 1, asked 1 each.
    assert_eq!(
        k["points_by_rule"],
        json!([
            {"action": "answer_posted", "points": 6},
            {"action": "answer_accepted", "points": 5},
            {"action": "question_asked", "points": 4},
            {"action": "answer_accepted_asker", "points": 1},
        ])
    );
    let top: Vec<(i64, i64)> = k["top_contributors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["user_id"].as_i64().unwrap(),
                c["points"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(top, vec![(cee, 10), (ann, 3), (bob, 3)]);
    assert_eq!(k["rising_contributors"][0]["user_id"], cee);
    assert_eq!(k["rising_contributors"][0]["previous"], 0);
    assert_eq!(
        k["ambassadors"],
        json!([{"user_id": bob, "display_name": k["ambassadors"][0]["display_name"],
                "posts": 0, "answers": 1, "comments": 0}])
    );

    // One department: only its people's questions and contributions.
    let k = f
        .team
        .get_json(&format!("/api/v1/kpis?weeks=4&department={}", f.it))
        .await;
    assert_eq!(k["answers"]["questions"], 2);
    assert_eq!(k["answers"]["answered"], 1);
    assert_eq!(k["answers"]["median_hours_to_first_answer"], 4.0);
    assert_eq!(k["departments"].as_array().unwrap().len(), 1);
    assert_eq!(k["unanswered_by_tag"], json!([]));

    // Bad filters are refused.
    let r = f.team.get("/api/v1/kpis?weeks=7").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = f.team.get("/api/v1/kpis?department=999999").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

/// Rising contributors are measured against the period before, on both databases (SQLite used
/// to bind the two days of the points query the wrong way round and saw no period before).
#[tokio::test]
async fn rising_contributors_gain_over_the_period_before() {
    let f = fixture().await;
    let [ann, bob, cee] = f.ids;
    // Five weeks ago lies in the 4-week period before this one.
    let before = (base_time() - Duration::weeks(5)).format("%Y-%m-%d");
    for (user, points) in [(bob, 2), (ann, 4)] {
        f.app
            .exec(&format!(
                "INSERT INTO point_events (user_id, action, subject_kind, subject_id, points, \
                 month, day, unique_key, created_at) VALUES ({user}, 'answer_posted', \
                 'answer', 1, {points}, '{}', '{before}', 'earlier-{user}', CURRENT_TIMESTAMP)",
                &before.to_string()[..7]
            ))
            .await;
    }
    let k = f.team.get_json("/api/v1/kpis?weeks=4").await;
    let rising: Vec<(i64, i64, i64)> = k["rising_contributors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["user_id"].as_i64().unwrap(),
                c["points"].as_i64().unwrap(),
                c["previous"].as_i64().unwrap(),
            )
        })
        .collect();
    // Cee gains 10, Bob 1 (3 after 2); Ann had more before (4) than now (3).
    assert_eq!(rising, vec![(cee, 10, 0), (bob, 3, 2)]);
}

fn cells(html: &str, test_id: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("data-test=\"{test_id}\""))
        .unwrap_or_else(|| panic!("no table {test_id}"));
    let body = &html[start..];
    let body = &body[body.find("<tbody>").unwrap() + 7..body.find("</tbody>").unwrap()];
    body.split("<tr>")
        .filter(|r| !r.trim().is_empty())
        .map(|row| {
            let mut out = Vec::new();
            let mut rest = row;
            while let Some(open) = rest.find("<t") {
                let after = &rest[open..];
                if !(after.starts_with("<td") || after.starts_with("<th")) {
                    rest = &after[2..];
                    continue;
                }
                let content_start = after.find('>').unwrap() + 1;
                let content_end = after.find("</t").unwrap();
                let text = &after[content_start..content_end];
                // Strip inner tags (links).
                let mut plain = String::new();
                let mut in_tag = false;
                for ch in text.chars() {
                    match ch {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        c if !in_tag => plain.push(c),
                        _ => {}
                    }
                }
                out.push(plain.trim().to_owned());
                rest = &after[content_end + 3..];
            }
            out
        })
        .collect()
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Acceptance 2 and 3: CSV equals the page's table, JSON equals both; only the social team and
/// admins reach any of it.
#[tokio::test]
async fn csv_page_and_json_agree_and_only_the_social_team_and_admins_see_them() {
    let f = fixture().await;
    // Everyone who looks is a reader of this week: let them all look once first.
    f.team.get_json("/api/v1/kpis?weeks=4").await;
    let (browser, _) = f.app.login_as(&[Role::SocialTeam]).await;
    browser.get_html("/kpis?weeks=4").await;
    // Their looks are noted in memory and written every second: write them now, so the
    // background write cannot land between the page and the CSV (it did, under load).
    f.app.drain().await;
    let html = browser.get_html("/kpis?weeks=4").await;
    assert!(html.contains("<svg class=\"chart\""));
    let json = f.team.get_json("/api/v1/kpis?weeks=4").await;

    let r = browser.get("/kpis/export/weekly.csv?weeks=4").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let weekly = csv_rows(&r.text().await.unwrap());
    let page = cells(&html, "table-weekly");
    assert_eq!(weekly.len(), 4);
    for ((csv, row), week) in weekly
        .iter()
        .zip(&page)
        .zip(json["weekly"].as_array().unwrap())
    {
        // CSV: week, starts, contributors, readers, posts, questions, answers, comments.
        // Page: week, contributors, readers, posts, questions, answers, comments.
        assert_eq!(csv[0], row[0]);
        assert_eq!(&csv[2..], &row[1..]);
        assert_eq!(csv[0], week["week"].as_str().unwrap());
        let numbers: Vec<String> = [
            "contributors",
            "readers",
            "posts",
            "questions",
            "answers",
            "comments",
        ]
        .iter()
        .map(|k| week[*k].to_string())
        .collect();
        assert_eq!(&csv[2..], numbers.as_slice());
    }

    let departments = csv_rows(
        &browser
            .get("/kpis/export/departments.csv?weeks=4")
            .await
            .text()
            .await
            .unwrap(),
    );
    let page = cells(&html, "table-departments");
    assert_eq!(departments.len(), 2);
    for ((csv, row), d) in departments
        .iter()
        .zip(&page)
        .zip(json["departments"].as_array().unwrap())
    {
        assert_eq!(csv[0], row[0]);
        assert_eq!(csv[1..3], row[1..3]);
        assert_eq!(csv[0], d["name"].as_str().unwrap());
        assert_eq!(
            csv[3].parse::<f64>().unwrap(),
            d["participation"].as_f64().unwrap()
        );
    }
    assert_eq!(page[0][3], "66.7%");

    let points = csv_rows(
        &browser
            .get("/kpis/export/points_by_rule.csv?weeks=4")
            .await
            .text()
            .await
            .unwrap(),
    );
    let from_json: Vec<Vec<String>> = json["points_by_rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            vec![
                r["action"].as_str().unwrap().to_owned(),
                r["points"].to_string(),
            ]
        })
        .collect();
    assert_eq!(points, from_json);
    let page_points: Vec<String> = cells(&html, "table-points")
        .into_iter()
        .map(|r| r[1].clone())
        .collect();
    assert_eq!(
        page_points,
        from_json.iter().map(|r| r[1].clone()).collect::<Vec<_>>()
    );
    assert_eq!(
        browser.get("/kpis/export/secrets.csv").await.status(),
        StatusCode::NOT_FOUND
    );

    // Acceptance 3.
    let (member, _) = f.app.login_as(&[Role::Ambassador, Role::Editor]).await;
    for path in ["/kpis", "/kpis/export/weekly.csv", "/kpis/readiness"] {
        assert_eq!(
            member.get(path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let (member_api, _) = f.app.api_user(&[]).await;
    assert_eq!(
        member_api.get("/api/v1/kpis").await.status(),
        StatusCode::FORBIDDEN
    );
    assert!(!member.get_html("/").await.contains("href=\"/kpis\""));
    let (admin, _) = f.app.login_as(&[Role::Admin]).await;
    assert_eq!(admin.get("/kpis").await.status(), StatusCode::OK);
    assert!(admin.get_html("/").await.contains("href=\"/kpis\""));
    assert_eq!(
        f.app.browser().get("/kpis").await.status(),
        StatusCode::SEE_OTHER
    );
}

/// The readiness assessment: one per quarter, replaced when filled in again, audited, shown
/// as a trend; bad answers are refused.
#[tokio::test]
async fn the_readiness_assessment_is_kept_per_quarter_and_shown_as_a_trend() {
    let app = spawn_app().await;
    let (team, team_user) = app.api_user(&[Role::SocialTeam]).await;
    let (member, _) = app.api_user(&[]).await;
    let quarter = kring::kpi::readiness::quarter_of(Utc::now());
    let put = |c: &ApiClient, body: Value| {
        let c = c.clone();
        async move {
            c.send_json(reqwest::Method::PUT, "/api/v1/kpis/readiness", &body)
                .await
        }
    };
    let r = put(
        &member,
        json!({"quarter": quarter, "answers": [3,3,3,3,3,3,3,3,3,3]}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    for bad in [
        json!({"quarter": quarter, "answers": [3,3,3]}),
        json!({"quarter": quarter, "answers": [3,3,3,3,3,3,3,3,3,6]}),
        json!({"quarter": "2099-Q1", "answers": [3,3,3,3,3,3,3,3,3,3]}),
        json!({"quarter": "2026-Q5", "answers": [3,3,3,3,3,3,3,3,3,3]}),
    ] {
        assert_eq!(
            put(&team, bad).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let r = put(
        &team,
        json!({"quarter": "2026-Q1", "answers": [1,1,2,1,1,2,1,1,1,1]}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["level"], 1);
    let r = put(
        &team,
        json!({"quarter": quarter, "answers": [3,3,3,4,3,3,3,3,3,3], "note": "Better"}),
    )
    .await;
    assert_eq!(r.json::<Value>().await.unwrap()["score"], 3.1);
    // Filling it in again replaces the quarter's answers.
    let r = put(
        &team,
        json!({"quarter": quarter, "answers": [4,4,4,4,4,4,4,4,4,5]}),
    )
    .await;
    assert_eq!(r.json::<Value>().await.unwrap()["level"], 4);
    let trend = team.get_json("/api/v1/kpis/readiness").await;
    let trend: Vec<(String, i64)> = trend
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["quarter"].as_str().unwrap().to_owned(),
                t["level"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(trend, vec![("2026-Q1".into(), 1), (quarter.clone(), 4)]);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'readiness.assessed' AND actor_id = {}",
            team_user.id
        ))
        .await,
        3
    );
    let k = team.get_json("/api/v1/kpis").await;
    assert_eq!(k["readiness"].as_array().unwrap().len(), 2);

    // The form: a missing score keeps the page with an error.
    let (browser, _) = app.login_as(&[Role::SocialTeam]).await;
    let html = browser.get_html("/kpis/readiness").await;
    assert!(html.contains("name=\"q10\""));
    let r = browser
        .post_form(
            "/kpis/readiness",
            &[("quarter", &quarter), ("q1", "5"), ("note", "Half done")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Half done"));
    let mut fields: Vec<(String, String)> =
        (1..=10).map(|n| (format!("q{n}"), "5".into())).collect();
    fields.push(("quarter".into(), quarter.clone()));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = browser.post_form("/kpis/readiness", &borrowed).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = browser.get_html("/kpis").await;
    assert!(html.contains("Social Guru") && html.contains("data-test=\"table-readiness\""));
}

/// Points earned under an action no rule knows any more (a rule renamed or retired after the
/// fact: the ledger is append-only) are shown under the action's own name on the dashboard and
/// in a person's standing, instead of failing the page.
#[tokio::test]
async fn points_of_a_retired_rule_keep_the_pages_up() {
    let f = fixture().await;
    let [ann, ..] = f.ids;
    let now = Utc::now();
    f.app
        .exec(&format!(
            "INSERT INTO point_events (user_id, action, subject_kind, subject_id, points, \
             month, day, unique_key, created_at) VALUES ({ann}, 'retired_action', 'answer', 1, \
             7, '{}', '{}', 'retired-{ann}', CURRENT_TIMESTAMP)",
            now.format("%Y-%m"),
            now.format("%Y-%m-%d"),
        ))
        .await;
    let (browser, _) = f.app.login_as(&[Role::SocialTeam]).await;
    let html = browser.get_html("/kpis?weeks=4").await;
    let by_rule = cells(&html, "table-points");
    assert!(
        by_rule.contains(&vec!["retired_action".to_owned(), "7".to_owned()]),
        "{by_rule:?}"
    );
    // The person's own standing on the leaderboard page breaks their points down by rule.
    let (own, own_user) = f.app.login_as(&[]).await;
    f.app
        .exec(&format!(
            "INSERT INTO point_events (user_id, action, subject_kind, subject_id, points, \
             month, day, unique_key, created_at) VALUES ({}, 'retired_action', 'answer', 2, \
             3, '{}', '{}', 'retired-own', CURRENT_TIMESTAMP)",
            own_user.id,
            now.format("%Y-%m"),
            now.format("%Y-%m-%d"),
        ))
        .await;
    let page = own.get_html("/leaderboard").await;
    assert!(page.contains("<td>retired_action</td>"), "{page}");
}
