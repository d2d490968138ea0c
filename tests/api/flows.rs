//! Flows a new user walks through (issue 18): editorial review that tells editors and
//! authors where to go, links that open, tags a newcomer can use, the language people's
//! browsers ask for, and pages that read naturally in Dutch and English.
use std::collections::{BTreeMap, HashMap};

use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Browser, PASSWORD, spawn_app};

/// The notifications of a browser's user, newest first.
async fn notifications(browser: &Browser) -> Vec<Value> {
    let body: Value = browser
        .get("/api/v1/notifications")
        .await
        .json()
        .await
        .unwrap();
    body["items"].as_array().cloned().unwrap_or_default()
}

/// Opens a notification's link as its recipient: the page must be there.
async fn opens(browser: &Browser, notification: &Value) {
    let url = notification["url"].as_str().unwrap();
    let path = url.split('#').next().unwrap();
    let response = browser.get(path).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the link of a {} notification: {url}",
        notification["kind"]
    );
}

/// The number the Review link of the navigation shows (0 when it shows none).
async fn review_count(browser: &Browser) -> u64 {
    let html = browser.get_html("/").await;
    let marker = "data-test=\"review-count\">";
    html.find(marker)
        .map(|i| {
            html[i + marker.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap()
        })
        .unwrap_or(0)
}

/// Acceptance 1 in HTTP terms (the browser test walks it in Chromium): an ambassador submits,
/// every editor hears of it and sees the count, one sends it back, the author's link opens the
/// editor, the author resubmits, the editors hear again, one approves; every link opens.
#[tokio::test]
async fn editorial_review_tells_editors_and_authors_where_to_go() {
    let app = spawn_app().await;
    app.set_review_mode("everyone").await;
    let (first_editor, first_user) = app.login_as(&[Role::Editor]).await;
    let (second_editor, second_user) = app.login_as(&[Role::Editor]).await;
    let (author, _) = app.login_as(&[Role::Ambassador]).await;
    // The second editor reads review requests in the app only; the first keeps the default,
    // an email right away.
    let mut prefs: Value = second_editor
        .get("/api/v1/me/notification-preferences")
        .await
        .json()
        .await
        .unwrap();
    for p in prefs["categories"].as_array_mut().unwrap() {
        if p["category"] == "reviews" {
            p["delivery"] = json!("in_app");
        }
    }
    let response = second_editor
        .put_json("/api/v1/me/notification-preferences", &prefs)
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{:?}",
        response.text().await
    );
    let post = author
        .create_post("Our new bike lease plan", "Sign up before May.", &[])
        .await;
    let id = post["id"].as_i64().unwrap();
    let submitted = author.publish(id, None).await;
    assert_eq!(submitted["status"], "in_review");

    for editor in [&first_editor, &second_editor] {
        let waiting = notifications(editor).await;
        let notice = waiting
            .iter()
            .find(|n| n["kind"] == "post_submitted")
            .unwrap_or_else(|| panic!("an editor is told a post waits: {waiting:?}"));
        assert_eq!(notice["title"], "Our new bike lease plan");
        opens(editor, notice).await;
        assert_eq!(
            review_count(editor).await,
            1,
            "the Review link shows the count"
        );
    }
    assert_eq!(
        review_count(&author).await,
        0,
        "authors see no review count"
    );
    let mails = |email: String| {
        let sql = format!(
            "SELECT COUNT(*) FROM mail_outbox WHERE to_address = '{email}' \
             AND category = 'reviews' AND params LIKE '%post_submitted%'"
        );
        let app = &app;
        async move { app.count(&sql).await }
    };
    assert_eq!(mails(first_user.email.clone()).await, 1, "email by default");
    assert_eq!(mails(second_user.email.clone()).await, 0, "in the app only");

    let response = first_editor
        .post_json(
            &format!("/api/v1/posts/{id}/reject"),
            &json!({"comment": "Add the price, please."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let sent_back = notifications(&author).await;
    let notice = sent_back
        .iter()
        .find(|n| n["kind"] == "post_returned")
        .unwrap_or_else(|| panic!("the author is told: {sent_back:?}"));
    opens(&author, notice).await;
    assert!(
        notice["url"].as_str().unwrap().ends_with("/edit"),
        "it opens the editor: {notice}"
    );
    assert_eq!(review_count(&first_editor).await, 0);

    let resubmitted = author.publish(id, None).await;
    assert_eq!(resubmitted["status"], "in_review");
    for editor in [&first_editor, &second_editor] {
        let kinds: Vec<Value> = notifications(editor)
            .await
            .iter()
            .map(|n| n["kind"].clone())
            .collect();
        assert!(
            kinds.contains(&json!("post_resubmitted")),
            "the editors hear of the new version: {kinds:?}"
        );
        assert_eq!(review_count(editor).await, 1);
    }

    let response = second_editor
        .post_json(&format!("/api/v1/posts/{id}/approve"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let approved = notifications(&author).await;
    let notice = approved
        .iter()
        .find(|n| n["kind"] == "post_approved")
        .unwrap_or_else(|| panic!("the author is told: {approved:?}"));
    opens(&author, notice).await;
    for editor in [&first_editor, &second_editor] {
        assert_eq!(review_count(editor).await, 0);
    }
}

// ---- Following every link ----------------------------------------------------------------------

/// The route pattern of a path: numbers and slugs become placeholders, so a crawler visits one
/// URL of each kind of page.
fn pattern(path_and_query: &str) -> String {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let mut parts: Vec<String> = path
        .split('/')
        .map(|s| {
            if s.chars().any(|c| c.is_ascii_digit()) || s.contains('-') || s.len() > 24 {
                "{x}".to_owned()
            } else {
                s.to_owned()
            }
        })
        .collect();
    // A post's page is /blog/{slug}.
    if parts.len() == 3
        && parts[1] == "blog"
        && !["mine", "review", "new", "feed.atom"].contains(&parts[2].as_str())
    {
        parts[2] = "{x}".to_owned();
    }
    let mut keys: Vec<&str> = query
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    format!("{}?{}", parts.join("/"), keys.join("&"))
}

/// The same-origin links of a page (`<a href>`), as paths with their query.
fn links(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("a[href]").unwrap();
    document
        .select(&selector)
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| href.split('#').next().unwrap().to_owned())
        .filter(|href| !href.is_empty())
        .collect()
}

/// Follows every same-origin GET link from the home page, one URL per route pattern, at most
/// `cap` pages; returns the pages that answered neither 200 nor a redirect, and the first URL
/// seen of each pattern.
async fn crawl(browser: &Browser, cap: usize) -> (Vec<String>, BTreeMap<String, String>) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = vec!["/".to_owned()];
    let mut broken = Vec::new();
    let mut visited = 0;
    while let Some(path) = queue.pop() {
        if visited >= cap {
            break;
        }
        visited += 1;
        let response = browser.get(&path).await;
        let status = response.status();
        if status.is_redirection() {
            let to = crate::helpers::location(&response);
            if to.starts_with('/')
                && let std::collections::btree_map::Entry::Vacant(slot) = seen.entry(pattern(&to))
            {
                slot.insert(to.clone());
                queue.push(to);
            }
            continue;
        }
        if status != StatusCode::OK {
            broken.push(format!("{status} {path}"));
            continue;
        }
        let is_html = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if !is_html {
            continue;
        }
        let html = response.text().await.unwrap();
        for link in links(&html) {
            if let std::collections::btree_map::Entry::Vacant(slot) = seen.entry(pattern(&link)) {
                slot.insert(link.clone());
                queue.push(link);
            }
        }
    }
    (broken, seen)
}

/// Acceptance 2: logged in as each role of the demo community (with review, notifications,
/// badges and a closed month to look at), every link from the home page leads somewhere: no
/// 404, no 5xx, within a cap of 250 pages per role.
#[tokio::test]
async fn every_link_a_role_can_follow_opens() {
    let app = spawn_app().await;
    kring::demo::seed(app.db()).await.unwrap();
    app.set_review_mode("everyone").await;
    // Something waiting for review, sent back and approved, so those links exist too.
    let ambassador = app.browser();
    ambassador
        .login("ambassador@kring.example", kring::demo::DEMO_PASSWORD)
        .await;
    for title in ["Waiting for an editor", "Sent back to its author"] {
        let post = ambassador.create_post(title, "Draft text.", &[]).await;
        ambassador.publish(post["id"].as_i64().unwrap(), None).await;
    }
    app.drain().await;

    let mut report: HashMap<&str, Vec<String>> = HashMap::new();
    for email in [
        "admin@kring.example",
        "ceo@kring.example",
        "social@kring.example",
        "editor@kring.example",
        "ambassador@kring.example",
        "anna@kring.example",
        "ben@kring.example",
    ] {
        let browser = app.browser();
        let response = browser.login(email, kring::demo::DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{email} logs in");
        let (broken, seen) = crawl(&browser, 250).await;
        assert!(seen.len() > 20, "{email} reached only {seen:?}");
        if !broken.is_empty() {
            report.insert(email, broken);
        }
    }
    assert!(report.is_empty(), "links that do not open: {report:#?}");
}

// ---- Tags a newcomer can use ---------------------------------------------------------------

/// A member without the points to create tags still posts a first question with a new tag:
/// the tag is proposed, visible, and the social team approves, merges or rejects it (with a
/// replacement), audited.
#[tokio::test]
async fn a_newcomers_new_tag_is_proposed_and_the_social_team_decides() {
    let app = spawn_app().await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    social
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Where is the travel policy?", "body": "?", "tags": ["travel"]}),
        )
        .await;
    let (member, _) = app.api_user(&[]).await;

    // Autocomplete over existing tags.
    let suggestions = member.get_json("/api/v1/tags?q=tra").await;
    assert!(
        suggestions.to_string().contains("\"travel\""),
        "{suggestions}"
    );

    let mut asked = Vec::new();
    for tag in ["bike-lease", "ev-charging", "vpn-issues"] {
        let response = member
            .post_json(
                "/api/v1/questions",
                &json!({"title": format!("My first question about {tag}"), "body": "?", "tags": [tag]}),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "a new tag is proposed, not refused"
        );
        let question: Value = response.json().await.unwrap();
        assert_eq!(
            question["tags"],
            json!([tag]),
            "the tag shows on the question"
        );
        asked.push(question);
    }
    let queue = social.get_json("/api/v1/tags/proposed").await;
    let proposed: Vec<&str> = queue
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for tag in ["bike-lease", "ev-charging", "vpn-issues"] {
        assert!(
            proposed.contains(&tag),
            "{tag} waits for the social team: {queue}"
        );
    }
    // A member may not decide.
    let response = member
        .post_json("/api/v1/tags/proposed/bike-lease/approve", &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let response = social
        .post_json("/api/v1/tags/proposed/bike-lease/approve", &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = social
        .post_json(
            "/api/v1/tags/proposed/ev-charging/merge",
            &json!({"into": "travel"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = social
        .post_json("/api/v1/tags/proposed/vpn-issues/reject", &json!({}))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a rejection names the tag the questions get instead"
    );
    let response = social
        .post_json(
            "/api/v1/tags/proposed/vpn-issues/reject",
            &json!({"replacement": "travel"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let tags_of = |q: &Value| {
        let member = member.clone();
        let id = q["id"].clone();
        async move { member.get_json(&format!("/api/v1/questions/{id}")).await["tags"].clone() }
    };
    assert_eq!(tags_of(&asked[0]).await, json!(["bike-lease"]));
    assert_eq!(
        tags_of(&asked[1]).await,
        json!(["travel"]),
        "merged into travel"
    );
    assert_eq!(
        tags_of(&asked[2]).await,
        json!(["travel"]),
        "replaced by travel"
    );
    assert_eq!(social.get_json("/api/v1/tags/proposed").await, json!([]));
    // ev-charging is now a synonym: asking with it gives travel.
    let response = member
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Can I charge at the office?", "body": "?", "tags": ["ev-charging"]}),
        )
        .await;
    let question: Value = response.json().await.unwrap();
    assert_eq!(question["tags"], json!(["travel"]));
    for action in ["tag.approved", "tag.merged", "tag.rejected"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action} is audited"
        );
    }
}

// ---- Languages -------------------------------------------------------------------------------

/// Browsers ask for languages in many ways; Dutch ones get Dutch.
#[tokio::test]
async fn browsers_get_their_language_by_its_primary_subtag() {
    let app = spawn_app().await;
    app.create_user(&[]).await;
    for (header, expected) in [
        ("nl", "nl"),
        ("nl-NL", "nl"),
        ("nl-BE", "nl"),
        ("de-DE,nl;q=0.8", "nl"),
        ("en-GB", "en"),
        ("en-GB,nl;q=0.9", "en"),
        ("fr", "en"),
    ] {
        let html = reqwest::Client::new()
            .get(app.url("/login"))
            .header("Accept-Language", header)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&format!("<html lang=\"{expected}\"")),
            "{header} gives {expected}"
        );
    }
}

/// A person created on the command line has no language of their own: they follow the
/// company's default, in pages and in email.
#[tokio::test]
async fn people_without_a_language_follow_the_company_default() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let response = admin
        .put_json(
            "/api/v1/admin/settings/company",
            &json!({"language": "nl", "time_zone": "Europe/Amsterdam"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let user = app.create_user(&[]).await;
    let browser = app.browser();
    // A browser that asks for nothing in particular.
    let response = browser.login(&user.email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = browser
        .client
        .get(app.url("/"))
        .header("Accept-Language", "*")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"nl\""), "the company default");
}

// ---- Pages that read naturally -----------------------------------------------------------------

/// Texts of one catalogue that the other lacks or words differently, long enough to be
/// unmistakable on a page.
fn only_in(lang: &str, other: &str) -> Vec<String> {
    let read = |lang: &str| -> HashMap<String, String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/locales")
            .join(lang);
        let mut messages = HashMap::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for line in text.lines() {
                if let Some((key, value)) = line.split_once(" = ")
                    && !key.starts_with(' ')
                    && !key.starts_with('#')
                    && !value.contains('{')
                {
                    messages.insert(key.trim().to_owned(), value.trim().to_owned());
                }
            }
        }
        messages
    };
    let (mine, theirs) = (read(lang), read(other));
    mine.into_iter()
        .filter(|(key, value)| {
            value.chars().count() >= 12
                && value.contains(' ')
                && theirs.get(key).is_some_and(|t| t != value)
        })
        .map(|(_, value)| value)
        .collect()
}

/// The visible text of a page without what people wrote (marked `data-user` in templates, and
/// what form fields hold), without scripts and styles.
fn interface_text(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let user = scraper::Selector::parse("[data-user], textarea, script, style, code, pre").unwrap();
    let skip: Vec<_> = document.select(&user).map(|e| e.id()).collect();
    let mut text = String::new();
    for node in document.tree.nodes() {
        if let scraper::node::Node::Text(t) = node.value()
            && !node.ancestors().any(|a| skip.contains(&a.id()))
        {
            text.push_str(t);
            text.push(' ');
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Acceptance 6: twenty and more pages per language, as each role sees them: no Dutch page
/// shows interface text found only in the English catalogue (and the reverse), no raw
/// timestamps, no "1 antwoorden" or "1 answers", no decimal point in a Dutch number.
#[tokio::test]
async fn pages_read_naturally_in_dutch_and_english() {
    let app = spawn_app().await;
    kring::demo::seed(app.db()).await.unwrap();
    app.drain().await;
    let raw_time = regex_lite::Regex::new(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}( UTC)?").unwrap();
    let one_plural = regex_lite::Regex::new(
        r"\b1 (antwoorden|answers|vragen|questions|punten|points|reacties|comments)\b",
    )
    .unwrap();
    // A number with a decimal point (66.7), not an address or a version (10.20.0.0).
    let decimal_point = |text: &str| {
        text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map(|t| t.trim_matches('.'))
            .any(|t| {
                t.matches('.').count() == 1
                    && t.split('.')
                        .all(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
            })
    };
    for (lang, other) in [("nl", "en"), ("en", "nl")] {
        let foreign = only_in(other, lang);
        assert!(foreign.len() > 100, "the catalogues differ");
        let mut swept = 0;
        for email in [
            "admin@kring.example",
            "social@kring.example",
            "anna@kring.example",
        ] {
            let browser = app.browser();
            browser.login(email, kring::demo::DEMO_PASSWORD).await;
            browser
                .post_form("/language", &[("lang", lang), ("next", "/")])
                .await;
            let (_, patterns) = crawl(&browser, 80).await;
            let pages: Vec<String> = patterns
                .into_values()
                .filter(|p| {
                    !p.contains("export") && !p.contains(".atom") && !p.starts_with("/uploads")
                })
                .collect();
            for page in pages {
                let response = browser.get(&page).await;
                if response.status() != StatusCode::OK {
                    continue;
                }
                let html = response.text().await.unwrap();
                if !html.contains("<html") {
                    continue;
                }
                swept += 1;
                let text = interface_text(&html);
                for message in &foreign {
                    assert!(
                        !text.contains(message.as_str()),
                        "{lang} {page} as {email} shows {other} text: {message:?}"
                    );
                }
                assert!(
                    !raw_time.is_match(&text),
                    "{page} ({lang}): a raw timestamp in {text}"
                );
                assert!(
                    !one_plural.is_match(&text),
                    "{page} ({lang}): a wrong plural in {text}"
                );
                if lang == "nl" {
                    assert!(
                        !decimal_point(&text),
                        "{page} (nl): a decimal point in {text}"
                    );
                }
            }
        }
        assert!(swept >= 20, "{swept} {lang} pages swept");
    }
}

/// Every member can read how points are earned, from the leaderboard and their profile.
#[tokio::test]
async fn members_read_how_points_are_earned() {
    let app = spawn_app().await;
    let (member, user) = app.login_as(&[]).await;
    let html = member.get_html("/leaderboard").await;
    assert!(
        html.contains("href=\"/points/rules\""),
        "the leaderboard links the rules"
    );
    let html = member.get_html(&format!("/people/{}", user.id)).await;
    assert!(
        html.contains("href=\"/points/rules\""),
        "the profile links the rules"
    );
    let response = member.get("/points/rules").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.to_lowercase().contains("answer accepted"), "{html}");
    assert!(
        !html.contains("action=\"/points/rules\""),
        "read-only for members"
    );
}

/// Times show relative ("just now"), with the full date in the reader's own time zone on
/// hover; a zone people choose on their account page replaces the company's.
#[tokio::test]
async fn times_are_relative_with_the_full_date_in_the_readers_zone() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[Role::SocialTeam]).await;
    let post = browser.publish_post("Zones and times", "Body.", &[]).await;
    let slug = post["slug"].as_str().unwrap().to_owned();
    let full_time = |html: &str| {
        let start = html.find("<time datetime=\"").expect("a time element") + 16;
        let utc = &html[start..start + 20];
        let title_start = html[start..].find("title=\"").unwrap() + start + 7;
        let title = &html[title_start..title_start + html[title_start..].find('"').unwrap()];
        let text_start = html[title_start..].find('>').unwrap() + title_start + 1;
        let text = &html[text_start..text_start + html[text_start..].find('<').unwrap()];
        (utc.to_owned(), title.to_owned(), text.to_owned())
    };
    let html = browser.get_html(&format!("/blog/{slug}")).await;
    let (utc, title, text) = full_time(&html);
    assert_eq!(text, "just now");
    let at = chrono::DateTime::parse_from_rfc3339(&utc).unwrap();
    let amsterdam = at
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%H:%M")
        .to_string();
    assert!(
        title.ends_with(&amsterdam),
        "the company zone: {title} vs {amsterdam}"
    );

    let response = browser
        .post_form("/account/time-zone", &[("time_zone", "America/New_York")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = browser.get_html(&format!("/blog/{slug}")).await;
    let (_, title, _) = full_time(&html);
    let new_york = at
        .with_timezone(&chrono_tz::America::New_York)
        .format("%H:%M")
        .to_string();
    assert!(
        title.ends_with(&new_york),
        "the reader's zone: {title} vs {new_york}"
    );
    let response = browser
        .post_form("/account/time-zone", &[("time_zone", "Mars/Olympus")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
