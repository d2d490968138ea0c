//! The `kring` binary as a process of its own: started with a clean environment, killed when the
//! test ends (or earlier, to play a crash), and measured from outside (`/proc`).
use std::{
    io::{BufRead, BufReader, Write},
    path::Path,
    process::{Command, Output, Stdio},
    sync::mpsc::Receiver,
    time::Duration,
};

/// `kring` with only `PATH`, the database URL and the data directory set.
pub fn command(database_url: &str, data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kring"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("KRING_CONFIG", "/nonexistent/kring.toml")
        .env("KRING_DATABASE_URL", database_url)
        .env("KRING_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn");
    command
}

/// Runs a command to its end with `stdin` piped in.
pub fn run(mut command: Command, stdin: &str) -> Output {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the kring binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Kills the child process when dropped, so a failing test leaves no server behind.
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `kring serve` and waits for its start-up line; the receiver has the log that follows.
pub fn start_server(command: Command) -> (KillOnDrop, String, Receiver<String>) {
    let (child, ready, log, _) = start_logged(command);
    (child, ready, log)
}

/// [`start_server`], also returning the lines logged before the start-up line.
fn start_logged(mut command: Command) -> (KillOnDrop, String, Receiver<String>, Vec<String>) {
    command.stdout(Stdio::null()).stderr(Stdio::piped());
    let mut child = KillOnDrop(command.spawn().expect("the kring binary runs"));
    let stderr = child.0.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut before = Vec::new();
    let ready = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("a start-up line within 60 s ({e}); logged: {before:?}"));
        if line.contains("Kring is ready") {
            break line;
        }
        before.push(line);
    };
    (child, ready, rx, before)
}

/// A running `kring serve` on a free loopback port.
pub struct Server {
    pub child: KillOnDrop,
    pub base: String,
    /// What it logs from now on.
    pub log: Receiver<String>,
    /// What it logged while starting.
    pub startup_log: Vec<String>,
}

impl Server {
    /// Serves with `command` (from [`command`]) on a free port.
    pub fn start(mut command: Command) -> Self {
        command
            .arg("serve")
            .env("KRING_BIND", "127.0.0.1:0")
            .env("RUST_LOG", "info");
        let (child, ready, log, startup_log) = start_logged(command);
        let base = ready
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .expect("the URL to open")
            .to_owned();
        Self {
            child,
            base,
            log,
            startup_log,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.0.id()
    }

    /// A line of `/proc/<pid>/status` in KiB, e.g. `VmHWM` (the peak resident set).
    pub fn status_kib(&self, key: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("no {key} in /proc status"))
    }
}

/// Creates a user with the CLI (before or beside a running server) and returns a bearer token
/// for them, made through the running server's API.
pub async fn user_token(
    base: &str,
    database_url: &str,
    data_dir: &Path,
    email: &str,
    roles: &[&str],
) -> String {
    let mut create = command(database_url, data_dir);
    create.args([
        "create-user",
        "--email",
        email,
        "--name",
        email,
        "--password-stdin",
    ]);
    for role in roles {
        create.args(["--role", role]);
    }
    let output = run(create, &format!("{}\n", crate::helpers::PASSWORD));
    assert!(
        output.status.success(),
        "create-user: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let response = client
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({"email": email, "password": crate::helpers::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "login of {email}");
    let body: serde_json::Value = client
        .post(format!("{base}/api/v1/tokens"))
        .json(&serde_json::json!({"name": "process"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["token"].as_str().expect("a token").to_owned()
}
