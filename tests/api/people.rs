//! People: profiles and who may edit them, photos, the directory and its filters, follows and
//! the following feed, ambassadors, the expert finder, departments.
use std::io::Cursor;

use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ApiClient, error_code, location, spawn_app};

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([20, 120, 90]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn department(admin: &ApiClient, name: &str) -> i64 {
    let response = admin
        .post_json("/api/v1/departments", &json!({ "name": name }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn patch_profile(client: &ApiClient, id: i64, body: Value) -> reqwest::Response {
    client
        .patch_json(&format!("/api/v1/people/{id}/profile"), &body)
        .await
}

async fn ids(page: Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn people_edit_their_own_profile_and_only_admins_edit_others() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let sales = department(&admin, "Sales").await;
    let (anna, anna_user) = app.api_user(&[]).await;
    let (ben, ben_user) = app.api_user(&[]).await;

    let response = anna
        .patch_json(
            "/api/v1/me/profile",
            &json!({
                "display_name": "Anna de Vries",
                "job_title": "Account manager",
                "department_id": sales,
                "location": "Utrecht, NL",
                "languages": ["nl", "EN"],
                "bio": "I <script>x</script>**love** spreadsheets.",
                "expertise": ["Excel", "crm"],
                "links": ["https://example.com/anna"]
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["display_name"], "Anna de Vries");
    assert_eq!(me["department"], "Sales");
    assert_eq!(me["languages"], json!(["nl", "en"]));
    assert_eq!(me["expertise"], json!(["crm", "excel"]));
    let bio = me["bio_html"].as_str().unwrap();
    assert!(bio.contains("<strong>love</strong>") && !bio.contains("<script"));

    // Someone else's profile: 403 for a colleague (API and page), allowed for an admin.
    let response = patch_profile(&ben, anna_user.id, json!({"job_title": "Intern"})).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(response).await, "forbidden");
    let (ben_browser, _) = {
        let browser = app.browser();
        let r = browser
            .login(&ben_user.email, crate::helpers::PASSWORD)
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        (browser, ())
    };
    let response = ben_browser
        .get(&format!("/people/{}/edit", anna_user.id))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = ben_browser
        .post_form(
            &format!("/people/{}/edit", anna_user.id),
            &[("display_name", "Hacked")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let anna_now = ben
        .get_json(&format!("/api/v1/people/{}", anna_user.id))
        .await;
    assert_eq!(anna_now["display_name"], "Anna de Vries");
    assert_eq!(anna_now["job_title"], "Account manager");
    assert_eq!(anna_now["can_edit"], false);

    let response = patch_profile(
        &admin,
        anna_user.id,
        json!({"job_title": "Senior account manager"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.profile_corrected'")
            .await,
        1
    );

    // Bad input is explained and changes nothing.
    for (body, field) in [
        (json!({"links": ["javascript:alert(1)"]}), "links"),
        (json!({"languages": ["dutch"]}), "languages"),
        (json!({"department_id": 999}), "department_id"),
        (json!({"job_title": "x".repeat(101)}), "job_title"),
    ] {
        let response = anna.patch_json("/api/v1/me/profile", &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let err: Value = response.json().await.unwrap();
        assert_eq!(err["error"]["field"], field);
    }
    let anna_now = anna
        .get_json(&format!("/api/v1/people/{}", anna_user.id))
        .await;
    assert_eq!(anna_now["links"], json!(["https://example.com/anna"]));
    assert_eq!(anna_now["job_title"], "Senior account manager");

    // Through the page: her own edit form saves.
    let browser = app.browser();
    browser
        .login(&anna_user.email, crate::helpers::PASSWORD)
        .await;
    let response = browser
        .post_form(
            &format!("/people/{}/edit", anna_user.id),
            &[
                ("display_name", "Anna de Vries"),
                ("job_title", "Team lead"),
                ("department_id", ""),
                ("location", "Utrecht"),
                ("languages", "nl, en"),
                ("bio", "Hi"),
                ("expertise", "excel"),
                ("links", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/people/{}", anna_user.id));
    let html = browser.get_html(&format!("/people/{}", anna_user.id)).await;
    assert!(html.contains("Team lead"));
    let anna_now = anna
        .get_json(&format!("/api/v1/people/{}", anna_user.id))
        .await;
    assert_eq!(
        anna_now["department"],
        Value::Null,
        "an empty choice clears the department"
    );
}

#[tokio::test]
async fn a_photo_is_checked_cropped_square_and_stored_in_two_sizes() {
    let app = spawn_app().await;
    let (browser, user) = app.login_as(&[]).await;
    let response = browser
        .post_multipart(
            &format!("/people/{}/photo", user.id),
            "file",
            "me.png",
            png(300, 200),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let me: Value = browser
        .get(&format!("/api/v1/people/{}", user.id))
        .await
        .json()
        .await
        .unwrap();
    for (field, size) in [("photo_url", 64), ("photo_large_url", 256)] {
        let url = me[field].as_str().expect("a photo URL");
        let response = browser.get(url).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let bytes = response.bytes().await.unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (size, size), "{field}");
    }
    // The directory and the profile show it.
    // (Templates escape `/` in attributes, so look for the file name.)
    let file = |field: &str| {
        me[field]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned()
    };
    let html = browser.get_html("/people").await;
    assert!(html.contains(&file("photo_url")));
    let html = browser.get_html(&format!("/people/{}", user.id)).await;
    assert!(html.contains(&file("photo_large_url")));
    // Not an image, or a lying extension: refused with the form again.
    let response = browser
        .post_multipart(
            &format!("/people/{}/photo", user.id),
            "file",
            "me.png",
            b"GIF89a-not-really".to_vec(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = browser
        .post_multipart(
            &format!("/people/{}/photo", user.id),
            "file",
            "me.jpg",
            png(50, 50),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Someone else's photo: no.
    let (other, _) = app.login_as(&[]).await;
    let response = other
        .post_multipart(
            &format!("/people/{}/photo", user.id),
            "file",
            "x.png",
            png(50, 50),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn directory_filters_combine_and_deactivated_people_disappear_but_keep_their_content() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    let it = department(&admin, "IT").await;
    let hr = department(&admin, "HR").await;
    let mut people = Vec::new();
    // (department, expertise, ambassador)
    for (n, (dept, tag, amb)) in [
        (it, "vpn", true),
        (it, "vpn", false),
        (it, "excel", true),
        (hr, "vpn", true),
        (it, "vpn", true),
    ]
    .into_iter()
    .enumerate()
    {
        let (client, user) = app.api_user(&[]).await;
        let response = client
            .patch_json(
                "/api/v1/me/profile",
                &json!({"display_name": format!("Person {n}"), "department_id": dept, "expertise": [tag], "location": if n == 0 { "Gent" } else { "Utrecht" }}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        if amb {
            let response = social
                .request(
                    reqwest::Method::PUT,
                    &format!("/api/v1/people/{}/ambassador", user.id),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
        }
        people.push((client, user));
    }
    let all = [
        people[0].1.id,
        people[1].1.id,
        people[2].1.id,
        people[3].1.id,
        people[4].1.id,
    ];

    let page = social
        .get_json(&format!(
            "/api/v1/people?department={it}&tag=vpn&ambassador=true"
        ))
        .await;
    assert_eq!(
        ids(page).await,
        vec![all[0], all[4]],
        "IT AND vpn AND ambassador, by name"
    );
    let page = social
        .get_json("/api/v1/people?department=IT&tag=vpn")
        .await;
    assert_eq!(
        ids(page).await,
        vec![all[0], all[1], all[4]],
        "department by name"
    );
    let page = social.get_json("/api/v1/people?location=gent").await;
    assert_eq!(ids(page).await, vec![all[0]]);
    let page = social.get_json("/api/v1/people?q=person%203").await;
    assert_eq!(ids(page).await, vec![all[3]]);
    let page = social.get_json("/api/v1/people?tag=unknown-tag").await;
    assert_eq!(page["total"], 0);

    // Person 4 asks a question, then leaves the company.
    let q: Value = people[4]
        .0
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Where is the VPN manual kept?", "body": "?", "tags": ["vpn"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let response = admin
        .patch_json(
            &format!("/api/v1/admin/users/{}", all[4]),
            &json!({"is_active": false}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
    let page = social
        .get_json(&format!(
            "/api/v1/people?department={it}&tag=vpn&ambassador=true"
        ))
        .await;
    assert_eq!(ids(page).await, vec![all[0]]);
    let page = social.get_json("/api/v1/people?per_page=100").await;
    assert!(!ids(page).await.contains(&all[4]));
    let question = social
        .get_json(&format!("/api/v1/questions/{}", q["id"]))
        .await;
    assert_eq!(
        question["author"]["display_name"], "Person 4",
        "content stays theirs"
    );
    let profile = social.get_json(&format!("/api/v1/people/{}", all[4])).await;
    assert_eq!(profile["is_active"], false);
}

async fn ask(client: &ApiClient, title: &str, tag: &str) {
    let body = json!({"title": title, "body": "Details.", "tags": [tag]});
    let response = client.post_json("/api/v1/questions", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

/// The titles of a feed page's items.
fn titles_of(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn feed_titles(client: &ApiClient) -> Vec<String> {
    titles_of(&client.get_json("/api/v1/feed").await)
}

#[tokio::test]
async fn following_a_tag_or_a_person_fills_the_feed_and_unfollowing_stops_it() {
    let app = spawn_app().await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    let (reader, _) = app.api_user(&[]).await;
    let (writer, writer_user) = app.api_user(&[]).await;
    ask(&social, "An old question about the VPN", "vpn").await;
    assert!(feed_titles(&reader).await.is_empty());

    let response = reader
        .post_json("/api/v1/tags/vpn/follow", &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    ask(&social, "A new question about the VPN", "vpn").await;
    ask(&social, "A question about lunch", "lunch").await;
    let titles = feed_titles(&reader).await;
    assert!(titles.contains(&"A new question about the VPN".to_owned()));
    assert!(!titles.contains(&"A question about lunch".to_owned()));

    let response = reader.delete("/api/v1/tags/vpn/follow").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    ask(&social, "Another VPN question after unfollowing", "vpn").await;
    assert!(
        !feed_titles(&reader)
            .await
            .contains(&"Another VPN question after unfollowing".to_owned())
    );

    // Following a person brings their questions and answers.
    let response = reader
        .post_json(
            &format!("/api/v1/people/{}/follow", writer_user.id),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    ask(&writer, "The writer asks about lunch", "lunch").await;
    let titles = feed_titles(&reader).await;
    assert_eq!(titles[0], "The writer asks about lunch");
    let profile = reader
        .get_json(&format!("/api/v1/people/{}", writer_user.id))
        .await;
    assert_eq!(profile["stats"]["followers"], 1);
    assert_eq!(profile["followed_by_me"], true);
    let response = writer
        .post_json(
            &format!("/api/v1/people/{}/follow", writer_user.id),
            &json!({}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not yourself"
    );
}

/// The feed pages with its cursor, for a colleague and for the social team (who see every
/// space): two pages of 30 and 2, nothing twice, nothing left out, newest first.
#[tokio::test]
async fn the_feed_pages_with_its_cursor() {
    let app = spawn_app().await;
    let (writer, writer_user) = app.api_user(&[]).await;
    let (reader, _) = app.api_user(&[]).await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    for follower in [&reader, &social] {
        let response = follower
            .post_json(
                &format!("/api/v1/people/{}/follow", writer_user.id),
                &json!({}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
    let asked: Vec<String> = (0..32)
        .map(|i| format!("Paged question number {i:02}"))
        .collect();
    for title in &asked {
        ask(&writer, title, "paging").await;
    }
    for follower in [&reader, &social] {
        let first = follower.get_json("/api/v1/feed").await;
        let cursor = first["next_cursor"]
            .as_str()
            .expect("a next page")
            .to_owned();
        let second = follower
            .get_json(&format!("/api/v1/feed?before={cursor}"))
            .await;
        assert!(second["next_cursor"].is_null(), "{second}");
        let mut seen = titles_of(&first);
        assert_eq!(seen.len(), 30);
        seen.extend(titles_of(&second));
        let newest_first: Vec<String> = asked.iter().rev().cloned().collect();
        assert_eq!(seen, newest_first);
    }
}

#[tokio::test]
async fn the_expert_finder_ranks_by_evidence_and_shows_it() {
    let app = spawn_app().await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    let (answerer, answerer_user) = app.api_user(&[]).await;
    let (declarer, declarer_user) = app.api_user(&[]).await;
    let response = declarer
        .patch_json("/api/v1/me/profile", &json!({"expertise": ["vpn"]}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    for n in 0..5 {
        let q: Value = social
            .post_json(
                "/api/v1/questions",
                &json!({"title": format!("VPN question number {n}"), "body": "?", "tags": ["vpn"]}),
            )
            .await
            .json()
            .await
            .unwrap();
        let a: Value = answerer
            .post_json(
                &format!("/api/v1/questions/{}/answers", q["id"]),
                &json!({"body": "Here is how."}),
            )
            .await
            .json()
            .await
            .unwrap();
        let response = social
            .post_json(&format!("/api/v1/answers/{}/accept", a["id"]), &json!({}))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let results = social.get_json("/api/v1/experts?topic=VPN").await;
    assert_eq!(results["tags"], json!(["vpn"]));
    let experts = results["experts"].as_array().unwrap();
    assert_eq!(experts[0]["person"]["id"], answerer_user.id);
    assert_eq!(experts[1]["person"]["id"], declarer_user.id);
    assert!(experts[0]["score"].as_i64() > experts[1]["score"].as_i64());
    assert_eq!(
        experts[0]["evidence"][0],
        json!({"kind": "accepted_answers", "count": 5, "tag": "vpn"})
    );
    assert_eq!(
        experts[1]["evidence"],
        json!([{"kind": "declared", "count": 1, "tag": "vpn"}])
    );

    // The page shows why.
    let browser = app.browser();
    let user = app.create_user(&[]).await;
    browser.login(&user.email, crate::helpers::PASSWORD).await;
    let html = browser.get_html("/people/experts?topic=vpn").await;
    assert!(html.contains("5 accepted answers in vpn"));
    assert!(html.contains("Says: ask me about vpn"));
    let results = social.get_json("/api/v1/experts?topic=knitting").await;
    assert_eq!(results["experts"], json!([]));
}

#[tokio::test]
async fn only_the_social_team_marks_ambassadors_and_it_is_audited() {
    let app = spawn_app().await;
    let (social, social_user) = app.api_user(&[Role::SocialTeam]).await;
    let (_, target) = app.api_user(&[]).await;
    for roles in [vec![], vec![Role::Editor], vec![Role::Ambassador]] {
        let (client, _) = app.api_user(&roles).await;
        let response = client
            .request(
                reqwest::Method::PUT,
                &format!("/api/v1/people/{}/ambassador", target.id),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{roles:?}");
    }
    assert!(!app.roles_of(target.id).await.contains(Role::Ambassador));

    let person: Value = social
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/people/{}/ambassador", target.id),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(person["is_ambassador"], true);
    assert!(app.roles_of(target.id).await.contains(Role::Ambassador));
    let groups = social.get_json("/api/v1/people/ambassadors").await;
    assert_eq!(groups[0]["people"][0]["person"]["id"], target.id);
    let response = social
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/people/{}/ambassador", target.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE target_user_id = {} AND actor_id = {} AND action IN ('user.ambassador_marked', 'user.ambassador_unmarked')",
            target.id, social_user.id
        ))
        .await,
        2
    );
    // Through the page, as the social team.
    let browser = app.browser();
    let social_person = app.create_user(&[Role::SocialTeam]).await;
    browser
        .login(&social_person.email, crate::helpers::PASSWORD)
        .await;
    let response = browser
        .post_form(
            &format!("/people/{}/ambassador", target.id),
            &[("mark", "true")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(app.roles_of(target.id).await.contains(Role::Ambassador));
}

#[tokio::test]
async fn admins_manage_departments_and_members_cannot() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (member, _) = app.api_user(&[]).await;
    let response = member
        .post_json("/api/v1/departments", &json!({"name": "Finance"}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let id = department(&admin, "Finance").await;
    let response = admin
        .post_json("/api/v1/departments", &json!({"name": "finance "}))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let response = admin
        .post_json("/api/v1/departments", &json!({"name": "  "}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = member
        .patch_json("/api/v1/me/profile", &json!({"department_id": id}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = admin
        .patch_json(
            &format!("/api/v1/departments/{id}"),
            &json!({"name": "Finance & Control"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        member.get_json("/api/v1/departments").await[0]["name"],
        "Finance & Control"
    );
    let response = admin.delete(&format!("/api/v1/departments/{id}")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(member.get_json("/api/v1/departments").await, json!([]));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM profiles WHERE department_id IS NOT NULL")
            .await,
        0
    );
}

/// A profile counts the answers one can still read: an answer to a deleted question is gone
/// from the count, as it is from every page.
#[tokio::test]
async fn answers_to_a_deleted_question_leave_the_profile_count() {
    let app = spawn_app().await;
    let (asker, _) = app.api_user(&[]).await;
    let (helper, helper_user) = app.api_user(&[]).await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let question = asker
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Where is the printer on floor two?", "body": "It moved.",
                    "tags": ["office"]}),
        )
        .await;
    assert_eq!(question.status(), StatusCode::CREATED);
    let question: Value = question.json().await.unwrap();
    let answered = helper
        .post_json(
            &format!("/api/v1/questions/{}/answers", question["id"]),
            &json!({"body": "Next to the kitchen."}),
        )
        .await;
    assert_eq!(answered.status(), StatusCode::CREATED);
    let answer: Value = answered.json().await.unwrap();
    let accepted = asker
        .post_json(
            &format!("/api/v1/answers/{}/accept", answer["id"]),
            &json!({}),
        )
        .await;
    assert!(accepted.status().is_success(), "{}", accepted.status());
    let stats = |p: Value| {
        (
            p["stats"]["answers"].as_i64().unwrap(),
            p["stats"]["accepted_answers"].as_i64().unwrap(),
        )
    };
    let profile = format!("/api/v1/people/{}", helper_user.id);
    assert_eq!(stats(asker.get_json(&profile).await), (1, 1));
    let deleted = admin
        .delete(&format!("/api/v1/questions/{}", question["id"]))
        .await;
    assert!(deleted.status().is_success(), "{}", deleted.status());
    assert_eq!(stats(asker.get_json(&profile).await), (0, 0));
}
