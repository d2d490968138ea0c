//! The home page that starts conversations (open questions in my tags, people I follow, the
//! first-run checklists) and the notification bell's dropdown, fetched on demand.
use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ApiClient, Browser, location, spawn_app};

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(64, 64, image::Rgb([20, 120, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn ask(client: &ApiClient, title: &str, tags: &[&str]) -> Value {
    let response = client
        .post_json(
            "/api/v1/questions",
            &json!({"title": title, "body": format!("{title} Thanks."), "tags": tags, "language": "en"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// The text of the step `key` of the checklist, with whether it is done.
fn step_done(html: &str, key: &str) -> Option<bool> {
    let at = html.find(&format!("data-test=\"step-{key}\""))?;
    let rest = &html[at..];
    Some(rest[..rest.find('>')?].contains("data-done=\"true\""))
}

async fn follow(browser: &Browser, tag: &str, next: Option<&str>) -> String {
    let mut fields = vec![];
    if let Some(next) = next {
        fields.push(("next", next));
    }
    let response = browser
        .post_form(&format!("/questions/tagged/{tag}/follow"), &fields)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
}

#[tokio::test]
async fn a_new_member_sees_the_checklist_until_every_step_is_done() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    for (title, tag) in [
        ("How do I connect to the VPN?", "vpn"),
        ("Which printer prints A3?", "printers"),
        ("How do I freeze a row in Excel?", "excel"),
    ] {
        ask(&admin, title, &[tag]).await;
    }
    let (browser, me) = app.login_as(&[]).await;
    let home = browser.get_html("/").await;
    assert!(home.contains("data-test=\"member-checklist\""));
    assert!(home.contains("0 of 3 done"), "{home}");
    assert!(
        !home.contains("data-test=\"admin-checklist\""),
        "a member sees no admin checklist"
    );
    // The tags to follow are offered on the checklist, most used first, followed in place.
    for tag in ["vpn", "printers", "excel"] {
        assert!(
            home.contains(&format!("action=\"/questions/tagged/{tag}/follow\"")),
            "{tag} is offered"
        );
    }
    assert_eq!(follow(&browser, "vpn", Some("/")).await, "/");
    assert_eq!(follow(&browser, "excel", Some("/")).await, "/");
    let home = browser.get_html("/").await;
    assert_eq!(step_done(&home, "tags"), Some(false), "two of three tags");
    assert!(
        !home.contains("action=\"/questions/tagged/vpn/follow\""),
        "a followed tag is not offered again"
    );
    assert_eq!(follow(&browser, "printers", Some("/")).await, "/");
    let home = browser.get_html("/").await;
    assert_eq!(step_done(&home, "tags"), Some(true));
    assert_eq!(step_done(&home, "question"), Some(false));
    assert!(home.contains("1 of 3 done"));

    let client = app.client_for(me.id).await;
    ask(&client, "Is there a quiet room for calls?", &["excel"]).await;
    let response = browser
        .post_multipart(&format!("/people/{}/photo", me.id), "file", "me.png", png())
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let home = browser.get_html("/").await;
    assert!(
        !home.contains("data-test=\"member-checklist\""),
        "every step is done: the checklist is gone"
    );
}

#[tokio::test]
async fn a_member_who_joined_over_a_month_ago_is_not_asked_to_get_started() {
    use kring::entities::users;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    let app = spawn_app().await;
    let (browser, me) = app.login_as(&[]).await;
    assert!(
        browser
            .get_html("/")
            .await
            .contains("data-test=\"member-checklist\"")
    );
    let row = users::Entity::find_by_id(me.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let mut row: users::ActiveModel = row.into();
    row.created_at = Set(chrono::Utc::now() - chrono::Duration::days(31));
    row.update(app.db()).await.unwrap();
    let home = browser.get_html("/").await;
    assert!(
        !home.contains("data-test=\"member-checklist\""),
        "not new any more"
    );
    assert!(
        home.contains("data-test=\"for-you\""),
        "the rest of the home page stays"
    );
}

#[tokio::test]
async fn following_a_tag_returns_to_the_page_it_came_from_but_never_off_site() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    ask(&admin, "How do I connect to the VPN?", &["vpn"]).await;
    let (browser, _) = app.login_as(&[]).await;
    // Without `next`, to the tag's page, as before.
    assert_eq!(follow(&browser, "vpn", None).await, "/questions/tagged/vpn");
    for hostile in [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:alert(1)",
    ] {
        let to = follow(&browser, "vpn", Some(hostile)).await;
        assert!(
            to.starts_with('/') && !to.starts_with("//"),
            "{hostile} -> {to}"
        );
    }
}

#[tokio::test]
async fn the_admin_checklist_ticks_a_step_once_its_choice_is_saved() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[Role::Admin]).await;
    let home = browser.get_html("/").await;
    assert!(home.contains("data-test=\"admin-checklist\""));
    assert_eq!(step_done(&home, "invite"), Some(false), "nobody else yet");
    assert_eq!(step_done(&home, "departments"), Some(false));
    assert_eq!(step_done(&home, "review"), Some(false));
    assert_eq!(step_done(&home, "sign-in"), Some(false));

    app.create_user(&[]).await;
    let response = browser
        .post_form("/admin/departments", &[("name", "Finance")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    app.set_review_mode("never").await;
    let home = browser.get_html("/").await;
    assert_eq!(step_done(&home, "invite"), Some(true));
    assert_eq!(step_done(&home, "departments"), Some(true));
    assert_eq!(step_done(&home, "review"), Some(true));
    assert_eq!(step_done(&home, "sign-in"), Some(false));
    assert!(home.contains("3 of 4 done"), "{home}");
}

#[tokio::test]
async fn home_shows_open_questions_in_my_tags_and_news_from_people_i_follow() {
    let app = spawn_app().await;
    let (colleague, colleague_user) = app.api_user(&[]).await;
    let (browser, me) = app.login_as(&[]).await;
    let mine = app.client_for(me.id).await;
    ask(
        &colleague,
        "Which printer prints A3 on floor three?",
        &["printers"],
    )
    .await;
    ask(&colleague, "How do I book a meeting room?", &["rooms"]).await;
    ask(&mine, "Where are the printer cartridges?", &["printers"]).await;
    follow(&browser, "printers", Some("/")).await;
    let response = browser
        .post_form(&format!("/people/{}/follow", colleague_user.id), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let home = browser.get_html("/").await;
    let for_you = &home[home.find("data-test=\"for-you\"").unwrap()..];
    let for_you = &for_you[..for_you.find("</section>").unwrap()];
    assert!(for_you.contains("Which printer prints A3 on floor three?"));
    assert!(
        !for_you.contains("Where are the printer cartridges?"),
        "not my own question"
    );
    assert!(
        !for_you.contains("How do I book a meeting room?"),
        "not a tag I do not follow"
    );
    let following = &home[home.find("data-test=\"home-following\"").unwrap()..];
    let following = &following[..following.find("</section>").unwrap()];
    assert!(
        following.contains("How do I book a meeting room?"),
        "{following}"
    );
}

#[tokio::test]
async fn the_bells_dropdown_lists_the_latest_notifications_of_the_signed_in_person_only() {
    let app = spawn_app().await;
    // Not signed in: to the login page, like every member page.
    let response = app.browser().get("/notifications/menu").await;
    assert!(response.status().is_redirection(), "{}", response.status());

    let (browser, me) = app.login_as(&[]).await;
    let empty = browser.get_html("/notifications/menu").await;
    assert!(empty.contains("Nothing new"), "{empty}");
    let mine = app.client_for(me.id).await;
    let question = ask(&mine, "Where is the key of the bike shed?", &["facilities"]).await;
    let (colleague, _) = app.api_user(&[]).await;
    for n in 0..10 {
        let response = colleague
            .post_json(
                &format!("/api/v1/questions/{}/answers", question["id"]),
                &json!({"body": format!("Reception keeps it, answer number {n}.")}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    app.drain().await;
    let response = browser.get("/notifications/menu").await;
    assert_eq!(response.status(), StatusCode::OK);
    let fragment = response.text().await.unwrap();
    assert!(!fragment.contains("<html"), "a fragment, not a page");
    assert_eq!(
        fragment.matches("action=\"/notifications/").count(),
        8,
        "the latest eight"
    );
    assert!(
        fragment.contains("href=\"/notifications\""),
        "a link to all"
    );
    // The page itself still reads no notification list, only the count.
    let home = browser.get_html("/").await;
    assert!(home.contains("data-menu=\"/notifications/menu\""));
    assert!(!home.contains("answered your question"));
}
