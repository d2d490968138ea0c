//! Acceptance 5 (Markdown renders inert), 6 (uploads) and 7 (valid Atom feeds).
use std::io::Cursor;

use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ApiClient, error_code, spawn_app};

/// Known XSS payloads (OWASP filter-evasion cheat sheet and friends), in Markdown and raw HTML.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" ONERROR=\"alert(1)\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\"&#106;avascript:alert(1)\">click</a>",
    "<a href=\" javascript:alert(1)\">click</a>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "![img](javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<object data=\"https://evil.example/x.swf\"></object>",
    "<embed src=\"https://evil.example/x.swf\">",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<style>body{background:red}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<form action=\"https://evil.example\"><button>go</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<p onmouseover=\"alert(1)\">hover</p>",
    "<a href=\"https://example.com\" onclick=\"alert(1)\">ok</a>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=`x`onerror=alert(1)>",
];

/// Every tag of an HTML text, with quoted attribute values kept whole.
fn tags_of(html: &str) -> Vec<String> {
    let mut tags = vec![];
    let chars: Vec<char> = html.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '<' && chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            let mut j = i + 1;
            let mut quote: Option<char> = None;
            while j < chars.len() {
                match (quote, chars[j]) {
                    (None, '"' | '\'') => quote = Some(chars[j]),
                    (Some(q), c) if c == q => quote = None,
                    (None, '>') => break,
                    _ => {}
                }
                j += 1;
            }
            tags.push(
                chars[i..j.min(chars.len())]
                    .iter()
                    .collect::<String>()
                    .to_lowercase(),
            );
            i = j;
        }
        i += 1;
    }
    tags
}

/// Problems that would make an HTML fragment active.
fn active_parts(html: &str) -> Vec<String> {
    const FORBIDDEN_TAGS: &[&str] = &[
        "script", "iframe", "object", "embed", "style", "svg", "math", "form", "input", "button",
        "base", "meta", "link", "body",
    ];
    let mut problems = vec![];
    for tag in tags_of(html) {
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if FORBIDDEN_TAGS.contains(&name.as_str()) {
            problems.push(format!("tag {tag}"));
        }
        let attrs = &tag[1 + name.len()..];
        for attr in attrs.split(|c: char| c.is_whitespace() || c == '/') {
            let attr_name = attr.split('=').next().unwrap_or_default();
            if attr_name.starts_with("on") || attr_name == "style" || attr_name == "srcdoc" {
                problems.push(format!("attribute in {tag}"));
            }
        }
        for scheme in ["javascript:", "vbscript:", "data:"] {
            if attrs.contains(scheme) {
                problems.push(format!("{scheme} in {tag}"));
            }
        }
    }
    problems
}

#[test]
fn the_checker_itself_catches_active_html() {
    assert!(!active_parts("<p onclick=\"x\">a</p>").is_empty());
    assert!(!active_parts("<a href=\"javascript:x\">a</a>").is_empty());
    assert!(!active_parts("<script>x</script>").is_empty());
    assert!(
        active_parts(
            "<p>javascript: is just a word here</p><a href=\"https://x\" rel=\"noopener\">a</a>"
        )
        .is_empty()
    );
}

#[tokio::test]
async fn markdown_with_xss_payloads_renders_inert_when_stored_and_shown() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let (reader, _) = app.login_as(&[]).await;
    assert!(PAYLOADS.len() >= 20);
    let body = PAYLOADS.join("\n\n");
    let post = author.publish_post("Payloads", &body, &[]).await;
    let id = post["id"].as_i64().unwrap();

    // Stored HTML.
    let stored: String = {
        let backend = sea_orm::ConnectionTrait::get_database_backend(app.db());
        let row = sea_orm::ConnectionTrait::query_one_raw(
            app.db(),
            sea_orm::Statement::from_string(
                backend,
                format!("SELECT body_html FROM posts WHERE id = {id}"),
            ),
        )
        .await
        .unwrap()
        .unwrap();
        row.try_get_by_index(0).unwrap()
    };
    assert_eq!(
        active_parts(&stored),
        Vec::<String>::new(),
        "stored: {stored}"
    );
    // Harmless parts of a payload survive (the link, without its handler).
    let safe = author
        .create_post(
            "Safe part",
            "<a href=\"https://example.com\" onclick=\"alert(1)\">ok</a>",
            &[],
        )
        .await;
    let safe_html = safe["body_html"].as_str().unwrap();
    assert!(
        safe_html.contains("href=\"https://example.com\"") && safe_html.contains(">ok</a>"),
        "{safe_html}"
    );

    // Each payload alone, through the API, the preview and a comment.
    for payload in PAYLOADS {
        let single = author.create_post("One payload", payload, &[]).await;
        let html = single["body_html"].as_str().unwrap();
        assert_eq!(
            active_parts(html),
            Vec::<String>::new(),
            "{payload} -> {html}"
        );
        let preview: Value = author
            .post_json("/api/v1/preview", &json!({"body": payload}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            active_parts(preview["html"].as_str().unwrap()),
            Vec::<String>::new(),
            "preview of {payload}"
        );
        let comment: Value = reader
            .post_json(
                &format!("/api/v1/posts/{id}/comments"),
                &json!({"body": payload}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            active_parts(comment["body_html"].as_str().unwrap()),
            Vec::<String>::new(),
            "comment {payload}"
        );
    }

    // The rendered page: the only tags are ours.
    let page = reader
        .get_html(&format!("/blog/{}", post["slug"].as_str().unwrap()))
        .await;
    let body = &page[page.find("<div class=\"prose\" data-user>").unwrap()
        ..page.find("<div class=\"post-actions\">").unwrap()];
    assert_eq!(active_parts(body), Vec::<String>::new(), "{body}");
    // No script element but Kring's own (external) ones.
    let lower = page.to_lowercase();
    let scripts: Vec<&str> = lower
        .match_indices("<script")
        .map(|(at, _)| &lower[at..(at + 40).min(lower.len())])
        .collect();
    assert!(
        scripts
            .iter()
            .all(|s| s.starts_with("<script src=\"/assets/js/")),
        "{scripts:?}"
    );
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn files_under(dir: &std::path::Path) -> usize {
    walk(dir).len()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[tokio::test]
async fn bad_uploads_are_refused_clearly_and_nothing_is_written() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let post = author.create_post("With a cover", "text", &[]).await;
    let id = post["id"].as_i64().unwrap();
    let uploads = app.data_dir.join("uploads");

    let big = {
        let mut bytes = png(10, 10);
        bytes.resize(kring::uploads::MAX_IMAGE_BYTES + 10, 0);
        bytes
    };
    for (name, bytes, message) in [
        (
            "notes.png",
            b"this is plain text, not a picture".to_vec(),
            "The file is not an image",
        ),
        ("huge.png", big, "The file is larger than 5 MB."),
        (
            "photo.jpg",
            png(20, 20),
            "The file is a PNG image but its name ends in .jpg.",
        ),
        (
            "photo",
            png(20, 20),
            "The file is a PNG image but its name ends in (none).",
        ),
    ] {
        // Through the page.
        let response = author
            .post_multipart(
                &format!("/blog/posts/{id}/cover"),
                "cover",
                name,
                bytes.clone(),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}"
        );
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{name}: expected '{message}'");
        // Through the API.
        let form = reqwest::multipart::Form::new().part(
            "cover",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
        let response = author
            .client
            .put(app.url(&format!("/api/v1/posts/{id}/cover")))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "API {name}"
        );
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"]["message"].as_str().unwrap().contains(message),
            "API {name}: {body}"
        );
        assert_eq!(files_under(&uploads), 0, "nothing written for {name}");
    }
    let post: Value = author
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(post["cover_url"].is_null());

    // Without the CSRF token the upload form is refused too.
    let form = reqwest::multipart::Form::new().part(
        "cover",
        reqwest::multipart::Part::bytes(png(20, 20)).file_name("ok.png"),
    );
    let response = author
        .client
        .post(app.url(&format!("/blog/posts/{id}/cover")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(files_under(&uploads), 0);
}

#[tokio::test]
async fn a_good_cover_is_re_encoded_stored_and_served_to_colleagues_only() {
    let app = spawn_app().await;
    let (author, _) = app.login_as(&[]).await;
    let (other, _) = app.login_as(&[]).await;
    let post = author.create_post("Cover test", "text", &[]).await;
    let id = post["id"].as_i64().unwrap();
    let response = author
        .post_multipart(
            &format!("/blog/posts/{id}/cover"),
            "cover",
            "Wide.PNG",
            png(2400, 600),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let post: Value = author
        .get(&format!("/api/v1/posts/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let url = post["cover_url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("/uploads/covers/") && url.ends_with(".png"),
        "{url}"
    );
    let files = walk(&app.data_dir.join("uploads"));
    assert_eq!(files.len(), 1);
    let stored = image::open(&files[0]).unwrap();
    assert_eq!(
        (stored.width(), stored.height()),
        (1600, 400),
        "scaled to the maximum width"
    );

    let response = other.get(&url).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(
        app.browser().get(&url).await.status(),
        StatusCode::SEE_OTHER,
        "anonymous visitors log in first"
    );
    assert_eq!(
        other
            .get("/uploads/covers/..%2F..%2Fsecret_key")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Replacing the cover removes the old file; only the author (or editors) may change it.
    let response = other
        .post_multipart(
            &format!("/blog/posts/{id}/cover"),
            "cover",
            "x.png",
            png(10, 10),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "a draft is not even visible to others"
    );
    let form = reqwest::multipart::Form::new().part(
        "cover",
        reqwest::multipart::Part::bytes(png(300, 200)).file_name("second.png"),
    );
    let response = author
        .client
        .put(app.url(&format!("/api/v1/posts/{id}/cover")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        walk(&app.data_dir.join("uploads")).len(),
        1,
        "the old cover is gone"
    );
    assert_eq!(
        author
            .delete(&format!("/api/v1/posts/{id}/cover"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(walk(&app.data_dir.join("uploads")).len(), 0);
}

/// Checks a feed with Python's feedparser when it is installed (CI installs it and sets
/// `KRING_REQUIRE_FEEDPARSER=1`); returns whether it ran.
fn feedparser_accepts(xml: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, xml).unwrap();
    let script = "import sys, feedparser\nd = feedparser.parse(sys.argv[1])\nprint(d.version, int(bool(d.bozo)), len(d.entries))\nsys.exit(3 if d.bozo else 0)";
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output();
    let required = std::env::var("KRING_REQUIRE_FEEDPARSER").is_ok_and(|v| v == "1");
    match output {
        Ok(out) if out.status.success() => {
            assert!(
                String::from_utf8_lossy(&out.stdout).starts_with("atom10 0"),
                "{}",
                String::from_utf8_lossy(&out.stdout)
            );
            true
        }
        Ok(out) if out.status.code() == Some(3) => panic!(
            "feedparser: bozo feed: {}\n{xml}",
            String::from_utf8_lossy(&out.stdout)
        ),
        _ if required => {
            panic!("KRING_REQUIRE_FEEDPARSER=1 but python3 with feedparser is not available")
        }
        _ => false,
    }
}

#[tokio::test]
async fn atom_feeds_are_valid_and_hold_only_published_posts() {
    let app = spawn_app().await;
    let (author, author_user) = app.login_as(&[Role::Ambassador]).await;
    let (token, _) = app.token_for(&[]).await;
    let api = ApiClient::new(&app, &token);
    author
        .publish_post(
            "Published & <fine>",
            "Tekst met **opmaak** en een [link](https://example.com).",
            &["feeds"],
        )
        .await;
    author
        .publish_post("Second published", "More.", &["feeds"])
        .await;
    author
        .create_post("Draft not in feed", "x", &["feeds"])
        .await;
    let archived = author
        .publish_post("Archived not in feed", "x", &["feeds"])
        .await;
    author
        .post_json(
            &format!("/api/v1/posts/{}/archive", archived["id"]),
            &json!({}),
        )
        .await;

    for path in [
        "/blog/feed.atom",
        "/tags/feeds/feed.atom",
        &format!("/blog/authors/{}/feed.atom", author_user.id),
    ] {
        let response = api.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/atom+xml; charset=utf-8"
        );
        let xml = response.text().await.unwrap();
        let feed: atom_syndication::Feed =
            xml.parse().unwrap_or_else(|e| panic!("{path}: {e}\n{xml}"));
        let titles: Vec<String> = feed
            .entries()
            .iter()
            .map(|e| e.title().value.clone())
            .collect();
        assert_eq!(
            titles,
            vec!["Second published", "Published & <fine>"],
            "{path}"
        );
        for entry in feed.entries() {
            assert!(entry.id().starts_with("http://127.0.0.1/blog/posts/"));
            assert!(
                entry
                    .links()
                    .iter()
                    .any(|l| l.rel() == "alternate"
                        && l.href().starts_with("http://127.0.0.1/blog/"))
            );
            assert!(!entry.authors().is_empty() && entry.published().is_some());
            assert!(
                entry
                    .content()
                    .and_then(|c| c.value())
                    .is_some_and(|v| v.contains("<strong>opmaak</strong>") || v.contains("More"))
            );
        }
        assert!(feed.links().iter().any(|l| l.rel() == "self"));
        feedparser_accepts(&xml);
    }
    assert_eq!(
        app.browser().get("/blog/feed.atom").await.status(),
        StatusCode::SEE_OTHER,
        "feeds need a login"
    );
    let response = api.get("/tags/no-such-tag/feed.atom").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        api.get("/api/v1/posts?tag=no-such-tag").await.status(),
        StatusCode::NOT_FOUND
    );
    let _ = error_code;
}
