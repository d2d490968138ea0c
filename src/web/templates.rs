//! Loading tera templates and locating the `templates/` and `assets/` folders.
use std::{
    collections::HashMap,
    hash::{DefaultHasher, Hash, Hasher},
    path::{Path, PathBuf},
};

use anyhow::Context;
use tera::Tera;

use crate::i18n::resolve::Templates;

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

pub fn load(resources: &Path) -> anyhow::Result<Templates> {
    Ok(Templates::new(load_written(resources)?))
}

/// The templates as written, with Kring's functions and filters.
fn load_written(resources: &Path) -> anyhow::Result<Tera> {
    let glob = resources.join("templates").join("**").join("*");
    let glob = glob.to_str().context("the templates path is not UTF-8")?;
    let mut tera =
        Tera::new(glob).with_context(|| format!("cannot load the templates in {glob}"))?;
    tera.autoescape_on(vec![".html"]);
    tera.register_function("t", crate::i18n::TeraTranslate);
    tera.register_filter("datetime", datetime_filter);
    tera.register_filter("when", when_filter);
    tera.register_filter("number", number_filter);
    tera.register_filter("percent", percent_filter);
    tera.register_filter("month", month_filter);
    tera.register_filter("tag_links", tag_links_filter);
    Ok(tera)
}

/// The `lang` and `tz` arguments of a date filter, and its value as a UTC time.
fn date_args(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> Option<(
    chrono::DateTime<chrono::Utc>,
    crate::i18n::Lang,
    chrono_tz::Tz,
)> {
    let at = chrono::DateTime::parse_from_rfc3339(value.as_str()?).ok()?;
    let lang = args
        .get("lang")
        .and_then(|l| l.as_str())
        .and_then(|l| l.parse().ok())
        .unwrap_or_default();
    let tz = args
        .get("tz")
        .and_then(|t| t.as_str())
        .and_then(crate::company::parse_time_zone)
        .unwrap_or(chrono_tz::Europe::Amsterdam);
    Some((at.with_timezone(&chrono::Utc), lang, tz))
}

/// `{{ value | datetime(lang=lang, tz=tz) }}`: a date and time as people of the language write
/// it, in the reader's time zone: `5 dec. 2026 14:05` or `5 Dec 2026, 14:05`.
fn datetime_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(tera::Value::String(match date_args(value, args) {
        Some((at, lang, tz)) => crate::i18n::format::full_date(at, lang, tz),
        None => value.as_str().unwrap_or_default().to_owned(),
    }))
}

/// `{{ value | when(lang=lang, tz=tz) | safe }}`: a `<time>` element saying how long ago
/// ("3 uur geleden", "yesterday"), with the full date and time on hover.
fn when_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(tera::Value::String(match date_args(value, args) {
        Some((at, lang, tz)) => when_html(at, chrono::Utc::now(), lang, tz),
        None => String::new(),
    }))
}

/// The `when` filter's element for `at` seen at `now`, written into one buffer: lists show a
/// date or two in every row.
fn when_html(
    at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    lang: crate::i18n::Lang,
    tz: chrono_tz::Tz,
) -> String {
    use crate::i18n::format;
    let mut out = String::with_capacity(112);
    out.push_str("<time datetime=\"");
    out.push_str(&at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    out.push_str("\" title=\"");
    let start = out.len();
    format::write_full_date(&mut out, at, lang, tz);
    escape_from(&mut out, start);
    out.push_str("\">");
    let start = out.len();
    format::write_relative(&mut out, at, now, lang, tz);
    escape_from(&mut out, start);
    out.push_str("</time>");
    out
}

/// Escapes for HTML what `out` holds from `start` on (dates and times seldom need it).
fn escape_from(out: &mut String, start: usize) {
    let text = &out[start..];
    if text
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'/'))
    {
        let escaped = tera::escape_html(text);
        out.truncate(start);
        out.push_str(&escaped);
    }
}

/// `{{ value | number(lang=lang, decimals=1) }}`: a number with the language's decimal comma
/// or point and digit grouping (`1.234,5` / `1,234.5`).
fn number_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let Some(n) = value.as_f64() else {
        return Ok(value.clone());
    };
    let lang = args
        .get("lang")
        .and_then(|l| l.as_str())
        .and_then(|l| l.parse().ok())
        .unwrap_or_default();
    let decimals = args.get("decimals").and_then(|d| d.as_u64()).unwrap_or(0) as usize;
    Ok(tera::Value::String(crate::i18n::format::number(
        n, decimals, lang,
    )))
}

/// `{{ share | percent(lang=lang) }}`: a share (0–1) as `66,7%` or `66.7%`.
fn percent_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let Some(share) = value.as_f64() else {
        return Ok(value.clone());
    };
    Ok(tera::Value::String(crate::i18n::format::percent(
        share,
        lang_arg(args),
    )))
}

/// `{{ "2026-11" | month(lang=lang) }}`: a stored month as `november 2026`.
fn month_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let Some(month) = value.as_str() else {
        return Ok(value.clone());
    };
    Ok(tera::Value::String(crate::i18n::format::month(
        month,
        lang_arg(args),
    )))
}

/// `{{ tags | tag_links(href="/tags/") | safe }}`: a list of tags as `#tag` links to `href`
/// followed by the tag, or nothing without tags. Lists show it in every row, where a macro
/// call would cost a template render of its own.
fn tag_links_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let tags: Vec<&str> = value
        .as_array()
        .map(|tags| tags.iter().filter_map(|t| t.as_str()).collect())
        .unwrap_or_default();
    if tags.is_empty() {
        return Ok(tera::Value::String(String::new()));
    }
    // The link's start is written in the template, like the markup around it.
    let href = args.get("href").and_then(|h| h.as_str()).unwrap_or("");
    let mut out = String::from("<ul class=\"tags\">");
    for tag in tags {
        let tag = tera::escape_html(tag);
        for part in ["<li><a href=\"", href, &tag, "\">#", &tag, "</a></li>"] {
            out.push_str(part);
        }
    }
    out.push_str("</ul>");
    Ok(tera::Value::String(out))
}

fn lang_arg(args: &HashMap<String, tera::Value>) -> crate::i18n::Lang {
    args.get("lang")
        .and_then(|l| l.as_str())
        .and_then(|l| l.parse().ok())
        .unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_links_escape_and_show_nothing_without_tags() {
        let args = HashMap::from([("href".to_owned(), tera::Value::from("/tags/"))]);
        let tags = tera::Value::from(vec!["vpn", "a&b\"<x>"]);
        assert_eq!(
            tag_links_filter(&tags, &args).unwrap(),
            tera::Value::from(
                "<ul class=\"tags\"><li><a href=\"/tags/vpn\">#vpn</a></li>\
                 <li><a href=\"/tags/a&amp;b&quot;&lt;x&gt;\">#a&amp;b&quot;&lt;x&gt;</a></li></ul>"
            )
        );
        for nothing in [tera::Value::from(Vec::<String>::new()), tera::Value::Null] {
            assert_eq!(
                tag_links_filter(&nothing, &args).unwrap(),
                tera::Value::from("")
            );
        }
    }

    /// The element in both languages for each kind of "how long ago", with the full local date
    /// on hover and the UTC time to the second for machines.
    #[test]
    fn when_writes_a_time_element_in_the_readers_words() {
        use crate::i18n::Lang;
        use chrono::TimeZone;
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 12, 4, 21, 26, 7)
            .unwrap();
        let ams = chrono_tz::Europe::Amsterdam;
        let cases = [
            (chrono::Duration::seconds(20), "just now", "zojuist"),
            (
                chrono::Duration::minutes(5),
                "5 minutes ago",
                "5 minuten geleden",
            ),
            (chrono::Duration::hours(3), "3 hours ago", "3 uur geleden"),
            (chrono::Duration::days(1), "yesterday", "gisteren"),
            (chrono::Duration::days(4), "4 days ago", "4 dagen geleden"),
            (chrono::Duration::days(20), "4 Dec", "4 dec"),
            (chrono::Duration::days(40), "4 Dec 2026", "4 dec 2026"),
            (
                chrono::Duration::days(-2),
                "4 Dec 2026, 22:26",
                "4 dec 2026 22:26",
            ),
        ];
        for (since, en, nl) in cases {
            for (lang, title, relative) in [
                (Lang::En, "4 Dec 2026, 22:26", en),
                (Lang::Nl, "4 dec 2026 22:26", nl),
            ] {
                assert_eq!(
                    when_html(at, at + since, lang, ams),
                    format!(
                        "<time datetime=\"2026-12-04T21:26:07Z\" title=\"{title}\">{relative}</time>"
                    ),
                    "{since} in {lang:?}"
                );
            }
        }
        // Text that HTML would read as markup is escaped, the rest kept as written.
        let mut out = String::from("<b title=\"");
        let start = out.len();
        out.push_str("a<b & \"c\"");
        escape_from(&mut out, start);
        assert_eq!(out, "<b title=\"a&lt;b &amp; &quot;c&quot;");
    }
}
