//! Rewards: the Social Guru (suggestions, nominations, one award per month, revoking),
//! badges granted by the background job, recomputing points from a date, and the privacy
//! setting that hides individual leaderboards.
use chrono::{Datelike, Utc};
use futures_util::future::join_all;
use kring::{
    auth::types::Role,
    gamification::{badges, guru, leaderboard::LeaderboardSettings},
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ApiClient, TestApp, error_code, spawn_app};

fn last_month() -> String {
    guru::closed_month(Utc::now())
}

fn this_month() -> String {
    guru::month_of(Utc::now())
}

fn next_month() -> String {
    let now = Utc::now();
    if now.month() == 12 {
        format!("{:04}-01", now.year() + 1)
    } else {
        format!("{:04}-{:02}", now.year(), now.month() + 1)
    }
}

async fn nominate(
    client: &ApiClient,
    user_id: i64,
    month: &str,
    reason: &str,
) -> reqwest::Response {
    client
        .post_json(
            "/api/v1/nominations",
            &json!({"user_id": user_id, "month": month, "reason": reason}),
        )
        .await
}

/// The tags the tests' questions use (members may not create new tags).
async fn seed_tags(app: &TestApp) {
    app.exec(
        "INSERT INTO tags (name, created_at) VALUES \
         ('it', CURRENT_TIMESTAMP), ('hr', CURRENT_TIMESTAMP), ('office', CURRENT_TIMESTAMP)",
    )
    .await;
}

/// `asker` asks a question tagged `tag`; `answerer` answers it. Returns both as JSON.
async fn ask_and_answer(
    asker: &ApiClient,
    answerer: &ApiClient,
    title: &str,
    tag: &str,
    body: &str,
) -> (Value, Value) {
    let r = asker
        .post_json(
            "/api/v1/questions",
            &json!({"title": title, "body": "?", "tags": [tag]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let q: Value = r.json().await.unwrap();
    let r = answerer
        .post_json(
            &format!("/api/v1/questions/{}/answers", q["id"]),
            &json!({"body": body}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    (q, r.json().await.unwrap())
}

/// Acceptance 4: a second award for a month is refused with 409 and changes nothing, even
/// when two social-team members award at the same moment; only the social team nominates,
/// sees nominations and awards.
#[tokio::test]
async fn one_social_guru_per_month_and_only_the_social_team_nominates_and_awards() {
    let app = spawn_app().await;
    let (team_a, a) = app.api_user(&[Role::SocialTeam]).await;
    let (team_b, _) = app.api_user(&[Role::SocialTeam]).await;
    let (member, _) = app.api_user(&[]).await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let ann = app.create_user(&[]).await;
    let bob = app.create_user(&[]).await;
    let month = last_month();

    // Outsiders can neither nominate, nor see nominations, nor see suggestions.
    for client in [&member, &admin] {
        let r = nominate(client, ann.id, &month, "Great answers").await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = client
            .get(&format!("/api/v1/nominations?month={month}"))
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = client
            .get(&format!("/api/v1/guru/suggestions?month={month}"))
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM nominations").await, 0);

    // Bad nominations say why and store nothing.
    let r = nominate(&team_a, ann.id, &next_month(), "Too early").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = nominate(&team_a, ann.id, &month, "   ").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = nominate(&team_a, 999_999, &month, "Nobody").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM nominations").await, 0);

    // Two members nominate two people; each sees the other's nomination.
    let r = nominate(
        &team_a,
        ann.id,
        &month,
        "Answered every onboarding question",
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: Value = r.json().await.unwrap();
    let r = nominate(&team_a, ann.id, &month, "Again").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = nominate(&team_b, bob.id, &month, "Wrote the migration guide").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let second: Value = r.json().await.unwrap();
    let seen = team_b
        .get_json(&format!("/api/v1/nominations?month={month}"))
        .await;
    let seen = seen.as_array().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0]["nominated_by"], a.id);
    assert_eq!(seen[0]["reason"], "Answered every onboarding question");
    // Each member was told about the other's nomination, not about their own.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE kind = 'nomination'")
            .await,
        2
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM notifications WHERE kind = 'nomination' AND user_id = actor_id"
        )
        .await,
        0
    );

    // Outsiders cannot award.
    for client in [&member, &admin] {
        let r = client
            .post_json(
                &format!("/api/v1/nominations/{}/award", first["id"]),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM awards").await, 0);

    // Both members award at the same moment: exactly one wins, the other gets 409.
    let paths = [
        format!("/api/v1/nominations/{}/award", first["id"]),
        format!("/api/v1/nominations/{}/award", second["id"]),
    ];
    let empty = json!({});
    let results = join_all([
        team_a.post_json(&paths[0], &empty),
        team_b.post_json(&paths[1], &empty),
    ])
    .await;
    let mut statuses: Vec<StatusCode> = results.iter().map(|r| r.status()).collect();
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::CREATED, StatusCode::CONFLICT]);
    assert_eq!(app.count("SELECT COUNT(*) FROM awards").await, 1);
    let awards = member.get_json("/api/v1/awards").await;
    let winner = awards[0]["user_id"].as_i64().unwrap();
    assert_eq!(awards[0]["month"], month.as_str());

    // A later second award for that month is refused and changes nothing.
    for path in &paths {
        let r = team_a.post_json(path, &empty).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert_eq!(error_code(r).await, "conflict");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM awards").await, 1);
    assert_eq!(member.get_json("/api/v1/awards").await, awards);

    // The winner is notified and shown on the hall of fame, the home page and their profile.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE kind = 'award' AND user_id = {winner}"
        ))
        .await,
        1
    );
    let winner_name = awards[0]["display_name"].as_str().unwrap().to_owned();
    let (browser, _) = app.login_as(&[]).await;
    let hall = browser.get_html("/hall-of-fame").await;
    // Months read as people say them: "November 2026".
    let month = kring::i18n::format::month(&month, kring::i18n::Lang::En);
    assert!(hall.contains(&winner_name) && hall.contains(&month));
    let home = browser.get_html("/").await;
    assert!(home.contains("data-test=\"home-guru\"") && home.contains(&winner_name));
    let profile = browser.get_html(&format!("/people/{winner}")).await;
    assert!(profile.contains(&format!("Social Guru {month}")));
}

/// A month that has not closed cannot be awarded; nominating for it is fine.
#[tokio::test]
async fn the_current_month_is_awarded_only_once_it_has_closed() {
    let app = spawn_app().await;
    let (team, _) = app.api_user(&[Role::SocialTeam]).await;
    let ann = app.create_user(&[]).await;
    let r = nominate(&team, ann.id, &this_month(), "Early bird").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let n: Value = r.json().await.unwrap();
    let r = team
        .post_json(
            &format!("/api/v1/nominations/{}/award", n["id"]),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("SELECT COUNT(*) FROM awards").await, 0);
    let r = team
        .post_json("/api/v1/nominations/424242/award", &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// Revoking: admins only, with a reason, audited; the month can then be awarded again.
#[tokio::test]
async fn admins_revoke_an_award_with_a_reason_and_the_month_is_free_again() {
    let app = spawn_app().await;
    let (team, _) = app.api_user(&[Role::SocialTeam]).await;
    let (admin, admin_user) = app.api_user(&[Role::Admin]).await;
    let ann = app.create_user(&[]).await;
    let bob = app.create_user(&[]).await;
    let month = last_month();
    let n1: Value = nominate(&team, ann.id, &month, "First")
        .await
        .json()
        .await
        .unwrap();
    let n2: Value = nominate(&team, bob.id, &month, "Second")
        .await
        .json()
        .await
        .unwrap();
    let award: Value = team
        .post_json(
            &format!("/api/v1/nominations/{}/award", n1["id"]),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let revoke = format!("/api/v1/awards/{}/revoke", award["id"]);

    let r = team.post_json(&revoke, &json!({"reason": "Mistake"})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = admin.post_json(&revoke, &json!({"reason": " "})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM awards WHERE revoked_at IS NULL")
            .await,
        1
    );

    let r = admin
        .post_json(&revoke, &json!({"reason": "Awarded to the wrong Ann"}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = admin.post_json(&revoke, &json!({"reason": "Twice"})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'guru.revoked' AND actor_id = {} \
             AND details LIKE '%wrong Ann%'",
            admin_user.id
        ))
        .await,
        1
    );
    assert_eq!(
        admin.get_json("/api/v1/awards").await,
        json!([]),
        "a revoked award leaves the hall of fame"
    );

    let r = team
        .post_json(
            &format!("/api/v1/nominations/{}/award", n2["id"]),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let awards = team.get_json("/api/v1/awards").await;
    assert_eq!(awards.as_array().unwrap().len(), 1);
    assert_eq!(awards[0]["user_id"], bob.id);
}

/// Suggestions: the top of the month's leaderboard, and the author of its most up-voted answer.
#[tokio::test]
async fn suggestions_list_the_top_of_the_month_and_the_best_answer() {
    let app = spawn_app().await;
    seed_tags(&app).await;
    let (team, _) = app.api_user(&[Role::SocialTeam]).await;
    let (asker, asker_user) = app.api_user(&[]).await;
    let (answerer, answerer_user) = app.api_user(&[]).await;
    let (_, a) = ask_and_answer(
        &asker,
        &answerer,
        "Where is the VPN guide?",
        "it",
        "On the intranet.",
    )
    .await;
    let r = asker
        .post_json(
            &format!("/api/v1/answers/{}/vote", a["id"]),
            &json!({"value": 1}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let month = this_month();
    let list = team
        .get_json(&format!("/api/v1/guru/suggestions?month={month}"))
        .await;
    let list = list.as_array().unwrap();
    // The answerer: 2 for the answer and 2 for the up-vote; the asker: 1.
    assert_eq!(list[0]["user_id"], answerer_user.id);
    assert_eq!(list[0]["points"], 4);
    assert_eq!(list[0]["rank"], 1);
    let reasons = list[0]["reasons"].as_array().unwrap();
    assert!(reasons.contains(&json!("leaderboard")) && reasons.contains(&json!("top_answer")));
    assert_eq!(list[1]["user_id"], asker_user.id);
    let r = team
        .get(&format!("/api/v1/guru/suggestions?month={}", next_month()))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// Badges: granted by the job once each, with a notification; never to deactivated people.
#[tokio::test]
async fn badges_are_granted_once_by_the_job_and_shown_on_profiles() {
    let app = spawn_app().await;
    seed_tags(&app).await;
    let (asker, asker_user) = app.api_user(&[]).await;
    let (answerer, answerer_user) = app.api_user(&[]).await;
    let (leaver, leaver_user) = app.api_user(&[]).await;
    let (_, a) = ask_and_answer(
        &asker,
        &answerer,
        "How do I claim travel costs?",
        "hr",
        "In the expenses app.",
    )
    .await;
    let r = asker
        .post_json(&format!("/api/v1/answers/{}/accept", a["id"]), &json!({}))
        .await;
    assert!(r.status().is_success());
    leaver
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Who orders the coffee beans?", "body": "?", "tags": ["office"]}),
        )
        .await;
    app.exec(&format!(
        "UPDATE users SET is_active = FALSE WHERE id = {}",
        leaver_user.id
    ))
    .await;

    let granted = badges::grant_due(app.db(), Utc::now()).await.unwrap();
    // The asker's first question, the answerer's first accepted answer.
    assert_eq!(granted, 2);
    assert_eq!(badges::grant_due(app.db(), Utc::now()).await.unwrap(), 0);
    let held = asker
        .get_json(&format!("/api/v1/people/{}/badges", asker_user.id))
        .await;
    assert_eq!(held[0]["badge"], "first_question");
    let held = asker
        .get_json(&format!("/api/v1/people/{}/badges", answerer_user.id))
        .await;
    assert_eq!(held[0]["badge"], "first_accepted");
    assert_eq!(held[0]["tier"], "bronze");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM badges WHERE user_id = {}",
            leaver_user.id
        ))
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notifications WHERE kind = 'badge'")
            .await,
        2
    );
    let catalogue = asker.get_json("/api/v1/badges").await;
    let first_question = catalogue
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["badge"] == "first_question")
        .unwrap();
    assert_eq!(first_question["holders"], 1);
    let (browser, _) = app.login_as(&[]).await;
    let profile = browser
        .get_html(&format!("/people/{}", answerer_user.id))
        .await;
    assert!(profile.contains("data-test=\"badges\"") && profile.contains("Helper"));
}

/// "Recompute from a date": explicit, for the social team, audited; re-values what was
/// awarded since at today's rules.
#[tokio::test]
async fn recomputing_from_a_date_revalues_awards_at_todays_rules() {
    let app = spawn_app().await;
    seed_tags(&app).await;
    let (team, team_user) = app.api_user(&[Role::SocialTeam]).await;
    let (asker, _) = app.api_user(&[]).await;
    let (answerer, answerer_user) = app.api_user(&[]).await;
    ask_and_answer(
        &asker,
        &answerer,
        "Which printer is on floor 2?",
        "office",
        "The one by the window.",
    )
    .await;
    let points = |c: ApiClient, id: i64| async move {
        c.get_json(&format!("/api/v1/people/{id}/points?period=all"))
            .await["standing"]["points"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(points(team.clone(), answerer_user.id).await, 2);
    let r = team
        .send_json(
            reqwest::Method::PUT,
            "/api/v1/point-rules",
            &json!([{"action": "answer_posted", "points": 4, "daily_cap": null, "enabled": true}]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // A rule change applies from now on only.
    assert_eq!(points(team.clone(), answerer_user.id).await, 2);

    let today = Utc::now().format("%Y-%m-%d").to_string();
    let r = asker
        .post_json("/api/v1/point-rules/recompute", &json!({"from": today}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = team
        .post_json(
            "/api/v1/point-rules/recompute",
            &json!({"from": "last week"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(points(team.clone(), answerer_user.id).await, 2);

    let r = team
        .post_json("/api/v1/point-rules/recompute", &json!({"from": today}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["adjusted"], 1);
    assert_eq!(body["points"], 2);
    assert_eq!(points(team.clone(), answerer_user.id).await, 4);
    // Running it again changes nothing.
    let body: Value = team
        .post_json("/api/v1/point-rules/recompute", &json!({"from": today}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["adjusted"], 0);
    assert_eq!(points(team.clone(), answerer_user.id).await, 4);
    // The ledger shows the correction, and the rollups still equal the ledger.
    let ledger = team
        .get_json(&format!("/api/v1/people/{}/points", answerer_user.id))
        .await;
    let lines: Vec<i64> = ledger["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["points"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![2, 2]);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'points.recomputed' AND actor_id = {}",
            team_user.id
        ))
        .await,
        2
    );
    let before = app
        .count("SELECT CAST(SUM(points) AS BIGINT) FROM point_totals WHERE period = 'all'")
        .await;
    kring::gamification::ledger::rebuild_totals(app.db())
        .await
        .unwrap();
    let after = app
        .count("SELECT CAST(SUM(points) AS BIGINT) FROM point_totals WHERE period = 'all'")
        .await;
    assert_eq!(before, after);
}

/// The privacy setting: no individual leaderboards, nobody else's points; one's own stay.
#[tokio::test]
async fn hidden_leaderboards_keep_ones_own_points_and_badges() {
    let app = spawn_app().await;
    seed_tags(&app).await;
    let (asker, asker_user) = app.api_user(&[]).await;
    let (other, _) = app.api_user(&[]).await;
    asker
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Is there parking for bikes?", "body": "?", "tags": ["office"]}),
        )
        .await;
    let board = other.get_json("/api/v1/leaderboard").await;
    assert_eq!(board["entries"].as_array().unwrap().len(), 1);

    // Only admins change the setting, through the settings page.
    let (browser, _) = app.login_as(&[Role::SocialTeam]).await;
    let r = browser
        .post_form("/admin/settings/leaderboard", &[("hide_individuals", "on")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (admin, admin_user) = app.login_as(&[Role::Admin]).await;
    let r = admin
        .post_form("/admin/settings/leaderboard", &[("hide_individuals", "on")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let settings: LeaderboardSettings = kring::settings_store::get(app.db()).await.unwrap();
    assert!(settings.hide_individuals);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'settings.leaderboard' AND actor_id = {}",
            admin_user.id
        ))
        .await,
        1
    );

    let board = other.get_json("/api/v1/leaderboard").await;
    assert_eq!(board["hidden"], true);
    assert_eq!(board["entries"], json!([]));
    let r = other
        .get(&format!("/api/v1/people/{}/points", asker_user.id))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let mine = asker
        .get_json(&format!(
            "/api/v1/people/{}/points?period=all",
            asker_user.id
        ))
        .await;
    assert_eq!(mine["standing"]["points"], 1);
    assert_eq!(mine["standing"]["rank"], Value::Null);
    let page = app.browser();
    page.login(&app.create_user(&[]).await.email, crate::helpers::PASSWORD)
        .await;
    let html = page.get_html("/leaderboard").await;
    assert!(!html.contains("data-test=\"leaderboard\""));
    let profile = page.get_html(&format!("/people/{}", asker_user.id)).await;
    assert!(!profile.contains("data-test=\"points-month\""));
    let own = admin.get_html(&format!("/people/{}", admin_user.id)).await;
    assert!(own.contains("data-test=\"points-month\""));
}

/// The pages answer: leaderboard, rules (everyone reads them, the social team changes them),
/// the Guru desk (social team only), the hall of fame; forms keep their input on errors.
#[tokio::test]
async fn reward_pages_answer_and_guard_their_forms() {
    let app: TestApp = spawn_app().await;
    let (member, _) = app.login_as(&[]).await;
    assert_eq!(member.get("/leaderboard").await.status(), StatusCode::OK);
    assert_eq!(member.get("/hall-of-fame").await.status(), StatusCode::OK);
    let rules = member.get_html("/points/rules").await;
    assert!(!rules.contains("action=\"/points/rules\""), "read-only");
    assert_eq!(
        member
            .post_form("/points/rules", &[("question_asked_points", "50")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        member.get("/social-guru").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        member.get("/leaderboard?period=yesterday").await.status(),
        StatusCode::BAD_REQUEST
    );

    let (team, _) = app.login_as(&[Role::SocialTeam]).await;
    let html = team.get_html("/points/rules").await;
    assert!(html.contains("answer_accepted_points"));
    let r = team
        .post_form(
            "/social-guru/nominate",
            &[
                ("month", &last_month()),
                ("email", "nobody@example.com"),
                ("reason", "Kept this reason"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Kept this reason") && html.contains("form-error"));
    let ann = app.create_user(&[]).await;
    let r = team
        .post_form(
            "/social-guru/nominate",
            &[
                ("month", &last_month()),
                ("email", &ann.email),
                ("reason", "Kind"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = team
        .get_html(&format!("/social-guru?month={}", last_month()))
        .await;
    assert!(html.contains("data-test=\"nominations\"") && html.contains("Kind"));

    // Rules through the form: a bad number keeps the page with an error; a good one saves.
    let r = team
        .post_form("/points/rules", &[("answer_accepted_points", "lots")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// One's own rank counts only the people on the board: excluded roles and deactivated people
/// are not above anyone, and someone excluded has no rank.
#[tokio::test]
async fn ones_rank_skips_excluded_and_deactivated_people() {
    let app = spawn_app().await;
    seed_tags(&app).await;
    let (team, _) = app.api_user(&[Role::SocialTeam]).await;
    let (leaver, leaver_user) = app.api_user(&[]).await;
    let (member, _) = app.api_user(&[]).await;
    for (client, n) in [(&team, 3), (&leaver, 2), (&member, 1)] {
        for i in 0..n {
            let r = client
                .post_json(
                    "/api/v1/questions",
                    &json!({"title": format!("Question number {i} from someone"), "body": "?", "tags": ["it"]}),
                )
                .await;
            assert_eq!(r.status(), StatusCode::CREATED);
        }
    }
    let rank = |c: ApiClient| async move { c.get_json("/api/v1/me/points").await["rank"].clone() };
    assert_eq!(rank(member.clone()).await, json!(3));
    kring::settings_store::put(
        app.db(),
        &LeaderboardSettings {
            excluded_roles: vec![Role::SocialTeam],
            hide_individuals: false,
        },
    )
    .await
    .unwrap();
    app.exec(&format!(
        "UPDATE users SET is_active = FALSE WHERE id = {}",
        leaver_user.id
    ))
    .await;
    assert_eq!(rank(member.clone()).await, json!(1));
    assert_eq!(rank(team.clone()).await, Value::Null);
    assert_eq!(team.get_json("/api/v1/me/points").await["points"], 3);
}

/// The leaderboard page marks the viewer's own row, and only it.
#[tokio::test]
async fn the_leaderboard_page_marks_the_viewers_own_row() {
    let app = spawn_app().await;
    seed_tags(&app).await;
    let (asker, asker_user) = app.api_user(&[]).await;
    let (answerer, answerer_user) = app.api_user(&[]).await;
    ask_and_answer(&asker, &answerer, "Who has the keys?", "it", "Facilities.").await;
    for (me, other) in [(&asker_user, &answerer_user), (&answerer_user, &asker_user)] {
        let (id, other) = (me.id, other.id);
        let page = app.browser();
        page.login(&me.email, crate::helpers::PASSWORD).await;
        let html = page.get_html("/leaderboard").await;
        let board = html.split("data-test=\"leaderboard\"").nth(1).unwrap();
        let board = &board[..board.find("</table>").unwrap()];
        let rows: Vec<&str> = board.split("<tr").skip(2).collect();
        assert_eq!(rows.len(), 2, "{html}");
        let own: Vec<&&str> = rows.iter().filter(|r| r.contains("class=\"me\"")).collect();
        assert_eq!(own.len(), 1, "{html}");
        assert!(own[0].contains(&format!("href=\"/people/{id}\"")), "{html}");
        assert!(own[0].contains("aria-current=\"true\""), "{html}");
        assert!(!own[0].contains(&format!("href=\"/people/{other}\"")));
    }
}
