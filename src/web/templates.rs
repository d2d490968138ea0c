//! Loading tera templates and locating the `templates/` and `assets/` folders.
use std::{
    collections::HashMap,
    hash::{DefaultHasher, Hash, Hasher},
    path::{Path, PathBuf},
};

use anyhow::Context;
use tera::Tera;

/// The folder holding `templates/` and `assets/`: the working directory when it has them (a
/// checkout, a container's /app), else the source tree the binary was built from.
pub fn resources_dir() -> PathBuf {
    let cwd = PathBuf::from(".");
    if cwd.join("templates").is_dir() && cwd.join("assets").is_dir() {
        cwd
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }
}

pub fn load(resources: &Path) -> anyhow::Result<Tera> {
    let glob = resources.join("templates").join("**").join("*");
    let glob = glob.to_str().context("the templates path is not UTF-8")?;
    let mut tera =
        Tera::new(glob).with_context(|| format!("cannot load the templates in {glob}"))?;
    tera.autoescape_on(vec![".html"]);
    tera.register_function("t", crate::i18n::TeraTranslate);
    tera.register_filter("datetime", datetime_filter);
    Ok(tera)
}

/// `{{ value | datetime }}`: an RFC 3339 timestamp as `2026-11-22 17:04 UTC`.
fn datetime_filter(
    value: &tera::Value,
    _: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let Some(text) = value.as_str() else {
        return Ok(tera::Value::String(String::new()));
    };
    let formatted = chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        })
        .unwrap_or_else(|_| text.to_owned());
    Ok(tera::Value::String(formatted))
}

/// A short fingerprint of the static assets, appended to their URLs (`?v=...`) so browsers may
/// cache them for long and still see a new release at once.
pub fn asset_version(resources: &Path) -> String {
    let mut hasher = DefaultHasher::new();
    let mut stack = vec![resources.join("assets")];
    let mut files = vec![];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    for file in files {
        file.hash(&mut hasher);
        std::fs::read(&file).unwrap_or_default().hash(&mut hasher);
    }
    format!("{:x}", hasher.finish())[..8].to_owned()
}
