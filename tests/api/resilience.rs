//! Kring on a bad day: a full disk, a corrupt index, hostile Markdown, a slow webhook receiver
//! and huge images must not take it down. Several tests run the `kring` binary as a process of
//! its own, so they can fill its disk, kill it, corrupt its files and read its memory use.
use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::process::{self, Server};

/// A word per number that the analysers keep whole ("probeab"), so each question is found by
/// its own word.
fn word(i: usize) -> String {
    let letters: String = format!("{i:03}")
        .bytes()
        .map(|d| (b'a' + (d - b'0')) as char)
        .collect();
    format!("probe{letters}")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn ask(base: &str, token: &str, i: usize) -> StatusCode {
    client()
        .post(format!("{base}/api/v1/questions"))
        .bearer_auth(token)
        .json(&json!({
            "title": format!("Where is the {} kept?", word(i)),
            "body": format!("I looked for the {} everywhere.", word(i)),
            "tags": ["facilities"],
        }))
        .send()
        .await
        .map(|r| r.status())
        .unwrap_or(StatusCode::GATEWAY_TIMEOUT)
}

async fn search_total(base: &str, token: &str, q: &str) -> Option<u64> {
    let response = client()
        .get(format!("{base}/api/v1/search?q={q}&type=question"))
        .bearer_auth(token)
        .send()
        .await
        .ok()?;
    if response.status() != StatusCode::OK {
        return None;
    }
    let body: Value = response.json().await.ok()?;
    body["total"].as_u64()
}

async fn health(base: &str) -> (StatusCode, Value) {
    let response = client()
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or_default())
}

/// Polls `check` until it is true or `limit` has passed.
async fn eventually<F, Fut>(limit: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + limit;
    while !check().await {
        assert!(Instant::now() < deadline, "{what} (waited {limit:?})");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A size-limited tmpfs, unmounted when dropped. `None` where this machine cannot mount one
/// (not root); with `KRING_REQUIRE_TMPFS=1` (CI sets it) that is a failure instead.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size_mib: u64) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_mib}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if mounted {
            return Some(Self { dir });
        }
        assert!(
            std::env::var("KRING_REQUIRE_TMPFS").as_deref() != Ok("1"),
            "cannot mount a tmpfs (run as root), and KRING_REQUIRE_TMPFS=1 forbids skipping"
        );
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        None
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the file system: writes `filler` until there is no space left.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.path().join("filler");
        let mut file = std::fs::File::create(&path).unwrap();
        let chunk = vec![0u8; 4096];
        while file.write_all(&chunk).is_ok() {}
        let _ = file.flush();
        path
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// The data directory and the SQLite database on a small file system that runs full: writes
/// fail with a clear 500 and `/healthz` says 503 while they cannot succeed; once space is freed,
/// writes and search recover by themselves (no restart), and every question the API
/// acknowledged is found.
#[tokio::test]
async fn after_a_full_disk_writes_and_search_recover_without_a_restart() {
    let Some(fs) = Tmpfs::mount(24) else {
        return;
    };
    let data_dir = fs.path().join("data");
    let database_url = format!("sqlite://{}/kring.db?mode=rwc", fs.path().display());
    let server = Server::start(process::command(&database_url, &data_dir));
    let base = server.base.clone();
    let token = process::user_token(
        &base,
        &database_url,
        &data_dir,
        "ops@example.com",
        &["social_team"],
    )
    .await;

    let mut acknowledged = Vec::new();
    for i in 0..5 {
        assert_eq!(ask(&base, &token, i).await, StatusCode::CREATED);
        acknowledged.push(i);
    }
    let filler = fs.fill();

    // Four writers ask until writes fail for good (a WAL with room left takes a few more).
    let mut writers = Vec::new();
    for w in 0..4usize {
        let (base, token) = (base.clone(), token.clone());
        writers.push(tokio::spawn(async move {
            let (mut acknowledged, mut failures, mut unhealthy) = (Vec::new(), 0, false);
            let mut i = 5 + w;
            while failures < 5 && i < 800 {
                let status = ask(&base, &token, i).await;
                if status == StatusCode::CREATED {
                    acknowledged.push(i);
                    failures = 0;
                } else {
                    assert!(status.is_server_error(), "a write on a full disk: {status}");
                    failures += 1;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    let (health_status, body) = health(&base).await;
                    if health_status == StatusCode::SERVICE_UNAVAILABLE {
                        unhealthy = true;
                        assert_eq!(body["status"], "unavailable", "{body}");
                    }
                }
                i += 4;
            }
            (acknowledged, failures, unhealthy)
        }));
    }
    let mut failures = usize::MAX;
    let mut unhealthy_while_failing = false;
    for writer in writers {
        let (acked, failed, unhealthy) = writer.await.unwrap();
        acknowledged.extend(acked);
        failures = failures.min(failed);
        unhealthy_while_failing |= unhealthy;
    }
    assert!(failures >= 5, "the disk never ran full");
    assert!(
        unhealthy_while_failing,
        "/healthz says 503 while writes cannot succeed"
    );

    std::fs::remove_file(&filler).unwrap();

    // Writes recover by themselves: a login (a session row) and a question.
    let login = || async {
        client()
            .post(format!("{base}/api/v1/session"))
            .json(&json!({"email": "ops@example.com", "password": crate::helpers::PASSWORD}))
            .send()
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK)
    };
    eventually(Duration::from_secs(30), "a login works again", login).await;
    assert_eq!(ask(&base, &token, 999).await, StatusCode::CREATED);
    acknowledged.push(999);
    eventually(
        Duration::from_secs(30),
        "/healthz says ok again",
        || async { health(&base).await.0 == StatusCode::OK },
    )
    .await;

    // Every acknowledged question is found, without a restart.
    for i in &acknowledged {
        let q = word(*i);
        eventually(
            Duration::from_secs(30),
            &format!("the acknowledged question {q} is found"),
            || async { search_total(&base, &token, &q).await == Some(1) },
        )
        .await;
    }
    drop(server);
}

// ---- Markdown that would make the parser and sanitiser work without end -------------------

/// Bodies nested far beyond any real text, each about `len` characters.
fn nested_bodies(len: usize) -> Vec<(&'static str, String)> {
    vec![
        ("quotes", ">".repeat(len)),
        ("spaced quotes", "> ".repeat(len / 2) + "x"),
        ("lists", "- ".repeat(len / 2) + "x"),
        ("ordered lists", "1. ".repeat(len / 3) + "x"),
        ("mixed containers", "- > ".repeat(len / 4) + "x"),
        ("raw HTML", "<div>".repeat(len / 5)),
        (
            "raw HTML closed by other tags",
            "<b title=1></i>".repeat(len / 15),
        ),
    ]
}

fn timeout_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn send(
    method: reqwest::Method,
    url: String,
    token: &str,
    body: &Value,
) -> Result<(StatusCode, Value), String> {
    let response = timeout_client()
        .request(method, &url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let status = response.status();
    Ok((status, response.json().await.unwrap_or_default()))
}

/// Every path that renders Markdown refuses hostile nesting with a 422 that says why, at once
/// (the request would otherwise keep a worker busy for minutes), and stores nothing.
#[tokio::test]
async fn deeply_nested_markdown_is_refused_with_a_422_on_every_path() {
    let app = crate::helpers::spawn_app().await;
    let (client, _) = app.api_user(&[kring::auth::types::Role::SocialTeam]).await;
    let token = client.token().to_owned();
    let url = |path: &str| app.url(path);
    let question = client
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Where do I find the style guide?", "body": "Plain.", "tags": ["design"]}),
        )
        .await;
    assert_eq!(question.status(), StatusCode::CREATED);
    let question: Value = question.json().await.unwrap();
    let qid = question["id"].as_i64().unwrap();

    // Each path with its own length limit (posts 100,000, Q&A 50,000, bios 5,000, comments
    // 2,000 characters).
    let paths: [(&str, reqwest::Method, String, &str, usize, Value); 6] = [
        (
            "preview",
            reqwest::Method::POST,
            url("/api/v1/preview"),
            "body",
            99_000,
            json!({}),
        ),
        (
            "post",
            reqwest::Method::POST,
            url("/api/v1/posts"),
            "body",
            99_000,
            json!({"title": "Nested"}),
        ),
        (
            "question",
            reqwest::Method::POST,
            url("/api/v1/questions"),
            "body",
            49_000,
            json!({"title": "Nested question here", "tags": ["design"]}),
        ),
        (
            "answer",
            reqwest::Method::POST,
            url(&format!("/api/v1/questions/{qid}/answers")),
            "body",
            49_000,
            json!({}),
        ),
        (
            "comment",
            reqwest::Method::POST,
            url(&format!("/api/v1/questions/{qid}/comments")),
            "body",
            1_900,
            json!({}),
        ),
        (
            "profile",
            reqwest::Method::PATCH,
            url("/api/v1/me/profile"),
            "bio",
            4_900,
            json!({}),
        ),
    ];
    for (path, method, url, field, len, base) in paths {
        for (name, body) in nested_bodies(len) {
            let mut request = base.clone();
            request[field] = Value::String(body);
            let (status, response) = send(method.clone(), url.clone(), &token, &request)
                .await
                .unwrap_or_else(|e| panic!("{name} through {path}: {e}"));
            let shown: String = response.to_string().chars().take(300).collect();
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name} through {path}: {shown}"
            );
            assert_eq!(response["error"]["code"], "validation_failed", "{shown}");
            assert_eq!(response["error"]["field"], field, "{shown}");
            let message = response["error"]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains("nested"),
                "{name} through {path} says why: {message}"
            );
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM posts").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM qa_comments").await, 0);

    // Real nesting (lists in quotes in lists, a dozen levels) is fine.
    let fine = "> - item\n>   > quoted\n>   > - deeper\n>   >   1. deepest **bold _both_**\n";
    let (status, response) = send(
        reqwest::Method::POST,
        url("/api/v1/preview"),
        &token,
        &json!({"body": fine}),
    )
    .await
    .unwrap();
    assert_eq!(status, StatusCode::OK, "{response}");
    assert!(response["html"].as_str().unwrap().contains("<strong>bold"));
}

/// Four of the heaviest renders at once (two refused, two accepted at the limits) leave the
/// server free to answer `/healthz` in time.
#[tokio::test]
async fn health_answers_while_four_maximal_renders_run() {
    let app = crate::helpers::spawn_app().await;
    let (client, _) = app.api_user(&[]).await;
    let token = client.token().to_owned();
    // The heaviest text still accepted: many separate quotes, each nested just under the limit.
    let accepted = format!("{} deep\n\n", ">".repeat(30)).repeat(99_000 / 38);
    let bodies = [
        ">".repeat(99_000),
        accepted.clone(),
        "- ".repeat(49_000) + "x",
        accepted,
    ];
    let mut renders = Vec::new();
    for body in bodies {
        let (url, token) = (app.url("/api/v1/preview"), token.clone());
        renders.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&json!({"body": body}))
                .send()
                .await
                .map(|r| r.status())
        }));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let response = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap()
        .get(app.url("/healthz"))
        .send()
        .await;
    let took = started.elapsed();
    assert!(
        response.is_ok_and(|r| r.status() == StatusCode::OK),
        "/healthz did not answer within 2 s while renders ran ({took:?})"
    );
    for render in renders {
        let status = render.await.unwrap().unwrap();
        assert!(
            status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{status}"
        );
    }
}

// ---- Background work that must not wait on one slow receiver ------------------------------

/// A webhook receiver that accepts connections and never answers; counts them.
struct SilentReceiver {
    url: String,
    accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl SilentReceiver {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                held.push(stream);
            }
        });
        Self { url, accepted }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }
}

async fn publish(client: &crate::helpers::ApiClient, title: &str) -> i64 {
    let response = client
        .post_json("/api/v1/posts", &json!({"title": title, "body": "Hello."}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let response = client
        .post_json(&format!("/api/v1/posts/{id}/publish"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    id
}

/// A receiver that never answers holds up its own deliveries only: a post scheduled meanwhile
/// still goes out on time.
#[tokio::test]
async fn a_webhook_receiver_that_never_answers_does_not_delay_a_scheduled_post() {
    let tick = Duration::from_millis(300);
    let app = crate::helpers::spawn_app_with(|s| s.job_tick = tick).await;
    let (admin, _) = app.api_user(&[kring::auth::types::Role::Admin]).await;
    let receiver = SilentReceiver::start().await;
    let response = admin
        .put_json(
            "/api/v1/admin/webhook-networks",
            &json!({"allowed": ["127.0.0.0/8"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = admin
        .post_json(
            "/api/v1/webhooks",
            &json!({"event": "post_published", "url": receiver.url}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    for n in 0..5 {
        publish(&admin, &format!("Announcement {n}")).await;
    }
    eventually(
        Duration::from_secs(30),
        "a delivery is attempted",
        || async { receiver.accepted() > 0 },
    )
    .await;

    let response = admin
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Scheduled", "body": "Later."}),
        )
        .await;
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let due = chrono::Utc::now() + chrono::Duration::seconds(2);
    let response = admin
        .post_json(
            &format!("/api/v1/posts/{id}/publish"),
            &json!({"scheduled_at": due}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Its time, one tick, and a second for the request and the clock.
    eventually(
        Duration::from_secs(2) + tick + Duration::from_secs(1),
        "the scheduled post is published within a tick of its time",
        || async { admin.get_json(&format!("/api/v1/posts/{id}")).await["status"] == "published" },
    )
    .await;
}

/// A hundred deliveries waiting on a silent receiver do not hold up email.
#[tokio::test]
async fn a_hundred_deliveries_to_a_slow_receiver_do_not_delay_mail() {
    let smtp = crate::smtp::SmtpServer::start().await;
    let url = smtp.url();
    let app = crate::helpers::spawn_app_with(|s| s.smtp_url = Some(url)).await;
    let (admin, _) = app.api_user(&[kring::auth::types::Role::Admin]).await;
    let receiver = SilentReceiver::start().await;
    let response = admin
        .put_json(
            "/api/v1/admin/webhook-networks",
            &json!({"allowed": ["127.0.0.0/8"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = admin
        .post_json(
            "/api/v1/webhooks",
            &json!({"event": "post_published", "url": receiver.url}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    for n in 0..100 {
        publish(&admin, &format!("Newsletter {n}")).await;
    }
    eventually(
        Duration::from_secs(30),
        "deliveries are attempted",
        || async { receiver.accepted() > 0 },
    )
    .await;
    let user = app.create_user(&[]).await;
    let response = app
        .browser()
        .post_json("/api/v1/password/forgot", &json!({"email": user.email}))
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    smtp.wait_for(1, Duration::from_secs(5)).await;
}

// ---- Images -------------------------------------------------------------------------------

/// A square RGBA PNG of one colour: an 8000 px one is about 250 KB on the wire and 256 MB once
/// decoded.
fn png(side: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(side, side, image::Rgba([200, 30, 30, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Eight uploads of one image as post covers at once; their statuses.
async fn upload_covers(base: &str, token: &str, png: &[u8]) -> Vec<StatusCode> {
    let mut uploads = Vec::new();
    for n in 0..8 {
        let (base, token, png) = (base.to_owned(), token.to_owned(), png.to_vec());
        uploads.push(tokio::spawn(async move {
            let post: Value = client()
                .post(format!("{base}/api/v1/posts"))
                .bearer_auth(&token)
                .json(&json!({"title": format!("Cover {n}"), "body": "Big picture."}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let form = reqwest::multipart::Form::new().part(
                "cover",
                reqwest::multipart::Part::bytes(png).file_name("cover.png"),
            );
            reqwest::Client::builder()
                .timeout(Duration::from_secs(300))
                .build()
                .unwrap()
                .put(format!("{base}/api/v1/posts/{}/cover", post["id"]))
                .bearer_auth(&token)
                .multipart(form)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    let mut statuses = Vec::new();
    for upload in uploads {
        statuses.push(upload.await.unwrap());
    }
    statuses
}

/// Eight 8000×8000 uploads at once (refused from their header: too many pixels), then eight
/// 6000×6000 ones (accepted, decoded one after another within the memory budget): the
/// server's peak memory stays under 1 GiB.
#[tokio::test]
async fn eight_concurrent_huge_uploads_stay_under_a_gibibyte() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let database_url = format!("sqlite://{}/kring.db?mode=rwc", dir.path().display());
    let server = Server::start(process::command(&database_url, &data_dir));
    let base = server.base.clone();
    let token =
        process::user_token(&base, &database_url, &data_dir, "cover@example.com", &[]).await;
    let before = server.status_kib("VmHWM");

    let huge = tokio::task::spawn_blocking(|| png(8000)).await.unwrap();
    for status in upload_covers(&base, &token, &huge).await {
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let large = tokio::task::spawn_blocking(|| png(6000)).await.unwrap();
    for status in upload_covers(&base, &token, &large).await {
        assert_eq!(status, StatusCode::OK);
    }
    let peak = server.status_kib("VmHWM");
    assert!(
        peak < 1024 * 1024,
        "peak resident memory {} MiB (before the uploads {} MiB)",
        peak / 1024,
        before / 1024
    );
}

// ---- A corrupt search index ---------------------------------------------------------------

/// Flips bytes in the middle of every file of the live generation that ends in `.{ext}`.
fn corrupt(index_root: &Path, ext: &str) -> usize {
    let current = std::fs::read_to_string(index_root.join("CURRENT")).unwrap();
    let dir = index_root.join(current.trim());
    let mut corrupted = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some(ext) {
            continue;
        }
        // In place, as a failing disk would (the server may have the file mapped).
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        let start = middle.saturating_sub(8);
        let end = (middle + 16).min(bytes.len().saturating_sub(1));
        for b in &mut bytes[start..end] {
            *b ^= 0xA5;
        }
        use std::io::{Seek, Write};
        let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.seek(std::io::SeekFrom::Start(start as u64)).unwrap();
        file.write_all(&bytes[start..end]).unwrap();
        corrupted += 1;
    }
    corrupted
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Flipped bytes in any of the index's files: the server starts, every search answers 200
/// meanwhile, `/healthz` stays 200 and names the index's state, and the index is rebuilt.
#[tokio::test]
async fn a_corrupt_index_is_detected_searches_keep_answering_and_it_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let database_url = format!("sqlite://{}/kring.db?mode=rwc", dir.path().display());
    let server = Server::start(process::command(&database_url, &data_dir));
    let base = server.base.clone();
    let token = process::user_token(
        &base,
        &database_url,
        &data_dir,
        "index@example.com",
        &["social_team"],
    )
    .await;
    for i in 0..30 {
        assert_eq!(ask(&base, &token, i).await, StatusCode::CREATED);
    }
    eventually(Duration::from_secs(30), "all 30 indexed", || async {
        search_total(&base, &token, "everywhere").await == Some(30)
    })
    .await;
    drop(server);
    let index_root = data_dir.join("index");
    let pristine = dir.path().join("pristine-index");
    copy_dir(&index_root, &pristine);

    for ext in ["pos", "term", "idx", "fast"] {
        let _ = std::fs::remove_dir_all(&index_root);
        copy_dir(&pristine, &index_root);
        assert!(corrupt(&index_root, ext) > 0, "no .{ext} file to corrupt");
        let server = Server::start(process::command(&database_url, &data_dir));
        let base = server.base.clone();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let response = client()
                .get(format!("{base}/api/v1/search?q=everywhere&type=question"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::OK,
                "a search with a corrupt .{ext}"
            );
            let body: Value = response.json().await.unwrap();
            let (status, health) = health(&base).await;
            assert_eq!(
                status,
                StatusCode::OK,
                "/healthz with a corrupt .{ext}: {health}"
            );
            let index_state = health["index"].as_str().unwrap_or_default().to_owned();
            assert!(
                index_state == "ok" || index_state == "rebuilding",
                "{health}"
            );
            if body["total"] == 30 && index_state == "ok" {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "not rebuilt after a corrupt .{ext}: {body} {health}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let current = std::fs::read_to_string(index_root.join("CURRENT")).unwrap();
        let pristine_current = std::fs::read_to_string(pristine.join("CURRENT")).unwrap();
        assert_ne!(
            current, pristine_current,
            "a corrupt .{ext}: the index is rebuilt"
        );
        let mut log = server.startup_log.clone();
        log.extend(server.log.try_iter());
        assert!(
            log.iter().any(|l| l.contains("corrupt")),
            "the log says why the index was rebuilt: {log:?}"
        );
        drop(server);
    }
}

/// While the index is rebuilt, searches answer 200 from the database with a notice, `/healthz`
/// says "rebuilding" with 200, suggestions are empty, and what is written meanwhile is in the
/// rebuilt index.
#[tokio::test]
async fn while_the_index_is_rebuilt_searches_come_from_the_database() {
    let app = crate::helpers::spawn_app().await;
    let (client, _) = app.api_user(&[kring::auth::types::Role::SocialTeam]).await;
    for i in 0..3 {
        let response = client
            .post_json(
                "/api/v1/questions",
                &json!({"title": format!("Where is the {} kept?", word(i)), "body": "The gooseberry jam.", "tags": ["canteen"]}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    app.drain().await;
    let search = |q: &'static str| {
        let client = client.clone();
        async move { client.get_json(&format!("/api/v1/search?q={q}")).await }
    };
    assert_eq!(search("gooseberry").await["total"], 3);

    // Hold the rebuild at its start, damage the live index, and verify it as a failed search
    // would.
    let lock = app.state.search.rebuild_lock();
    let held = lock.lock().await;
    let damaged = corrupt(&app.data_dir.join("index"), "term");
    assert!(damaged > 0);
    kring::search::recovery::verify_in_background(&app.state);
    eventually(Duration::from_secs(10), "the damage is found", || async {
        app.state.search.rebuilding().is_some()
    })
    .await;

    let results = search("gooseberry").await;
    assert_eq!(results["total"], 3, "{results}");
    assert!(
        results["notice"].as_str().unwrap().contains("rebuilt"),
        "{results}"
    );
    assert!(
        results["hits"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("/questions/"),
        "{results}"
    );
    let (status, report) = health(&app.address).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["index"], "rebuilding", "{report}");
    let suggestions = client.get_json("/api/v1/search/suggest?q=wher").await;
    assert_eq!(suggestions["suggestions"], json!([]));
    let page = client.get("/search?q=gooseberry").await;
    assert_eq!(page.status(), StatusCode::OK);
    let response = client
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Is the gooseberry jam vegan?", "body": "Asking for a friend.", "tags": ["canteen"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    drop(held);
    eventually(Duration::from_secs(30), "the index is rebuilt", || async {
        health(&app.address).await.1["index"] == "ok"
    })
    .await;
    app.drain().await;
    let results = search("gooseberry").await;
    assert_eq!(results["total"], 4, "{results}");
    assert!(results.get("notice").is_none(), "{results}");
}
