//! Translations: Fluent catalogues in `assets/locales/<lang>/*.ftl`, compiled into the binary.
//!
//! Templates call `{{ t(key="nav-home", lang=lang) }}` (extra arguments become Fluent
//! variables); Rust code calls [`tr`]. The language of a request is the user's choice (a cookie
//! set by the language switch and at login, else their profile's language), else the browser's
//! `Accept-Language` (by primary subtag, so `nl-NL` and `nl-BE` are Dutch), else the company's
//! default language.
use std::{borrow::Cow, collections::HashMap, fmt, str::FromStr};

use actix_web::HttpRequest;
use fluent_templates::{Loader, fluent_bundle::FluentValue};
use serde::{Deserialize, Serialize};
use unic_langid::{LanguageIdentifier, langid};

pub mod format;
pub mod resolve;

fluent_templates::static_loader! {
    pub static LOCALES = {
        locales: "./assets/locales",
        fallback_language: "en",
        // No Unicode isolation marks around variables: they show up in plain-text output.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "kring_lang";

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    pub fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::En => langid!("en"),
            Lang::Nl => langid!("nl"),
        }
    }

    /// The language of a request by someone without a language of their own: the language
    /// cookie, else `Accept-Language`, else the company's default.
    pub fn of_request(req: &HttpRequest) -> Lang {
        Self::of_request_for(req, None)
    }

    /// The language of a request: the language cookie, else the person's own language, else
    /// `Accept-Language`, else the company's default.
    pub fn of_request_for(req: &HttpRequest, own: Option<Lang>) -> Lang {
        if let Some(lang) = req
            .cookie(LANG_COOKIE)
            .and_then(|c| c.value().parse::<Lang>().ok())
        {
            return lang;
        }
        if let Some(lang) = own {
            return lang;
        }
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
            .unwrap_or_else(|| {
                req.app_data::<actix_web::web::Data<crate::state::AppState>>()
                    .map(|state| state.company.get().language)
                    .unwrap_or_default()
            })
    }

    /// The first language of an `Accept-Language` header (by quality, then order) whose
    /// primary subtag is one we speak: `nl-NL` and `nl-BE` are Dutch, `en-GB` English. `None`
    /// when it names neither (or only `*`).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranges: Vec<(f32, usize, &str)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (!tag.is_empty() && quality > 0.0).then_some((quality, i, tag))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranges.into_iter().find_map(|(_, _, tag)| {
            tag.split('-')
                .next()
                .and_then(|primary| primary.parse().ok())
        })
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "nl" => Ok(Lang::Nl),
            _ => Err(()),
        }
    }
}

/// Translates `key` into `lang`.
pub fn tr(lang: Lang, key: &str) -> String {
    plain(lang, key).unwrap_or_else(|| LOCALES.lookup(&lang.langid(), key))
}

/// Translates `key`, or gives `fallback` when no catalogue has it (labels made from data, such as
/// a point rule's action, that an older row may hold after the rule is gone).
pub fn tr_or(lang: Lang, key: &str, fallback: &str) -> String {
    plain(lang, key).unwrap_or_else(|| fallback.to_owned())
}

/// The most keys [`plain`] remembers per thread (templates use about a thousand; keys made from
/// stored data add a few).
const PLAIN_CACHE_KEYS: usize = 4096;

/// Formatted messages by key (`None`: no catalogue has the key).
type Formatted = HashMap<Box<str>, Option<Box<str>>>;

thread_local! {
    /// Messages without variables, formatted once per thread and language: the same key always
    /// gives the same text, and a page asks for a hundred of them.
    static PLAIN: std::cell::RefCell<[Formatted; 2]> =
        std::cell::RefCell::new([HashMap::new(), HashMap::new()]);
}

/// The message `key` in `lang` (falling back to English), formatted without variables; `None`
/// when no catalogue has it.
fn plain(lang: Lang, key: &str) -> Option<String> {
    PLAIN.with(|cache| {
        let slot = lang as usize;
        if let Some(found) = cache.borrow()[slot].get(key) {
            return found.as_deref().map(str::to_owned);
        }
        let text = LOCALES.try_lookup(&lang.langid(), key);
        let known = &mut cache.borrow_mut()[slot];
        if known.len() < PLAIN_CACHE_KEYS {
            known.insert(Box::from(key), text.as_deref().map(Box::from));
        }
        text
    })
}

thread_local! {
    /// Messages whose variables are all numbers ("{ $count } answers"), formatted once per
    /// thread and language for each set of values: a list asks for the same few counts in every
    /// row. Keyed by the key and the variables in name order (see [`counted`]).
    static COUNTED: std::cell::RefCell<[HashMap<String, Box<str>>; 2]> =
        std::cell::RefCell::new([HashMap::new(), HashMap::new()]);
}

/// The message `key` in `lang` formatted with the template's arguments `args`, when each of its
/// variables is a number, from [`COUNTED`] or formatted and remembered there (at most
/// [`PLAIN_CACHE_KEYS`] per language, then formatted each time). `None` when a variable is not a
/// number or no catalogue has the key: the caller formats it as before.
fn counted(lang: Lang, key: &str, args: &HashMap<String, tera::Value>) -> Option<String> {
    let mut vars: Vec<(&str, f64)> = Vec::with_capacity(args.len());
    for (name, value) in args {
        if matches!(name.as_str(), "key" | "lang" | "fallback") {
            continue;
        }
        vars.push((name, value.as_number()?.as_f64()?));
    }
    counted_with(lang, key, vars)
}

/// [`counted`] with the variables given as numbers.
fn counted_with(lang: Lang, key: &str, mut vars: Vec<(&str, f64)>) -> Option<String> {
    vars.sort_by(|a, b| a.0.cmp(b.0));
    let mut id = String::with_capacity(key.len() + 16 * vars.len());
    id.push_str(key);
    for (name, value) in &vars {
        use std::fmt::Write;
        let _ = write!(id, "\0{name}\0{}", value.to_bits());
    }
    COUNTED.with(|cache| {
        let slot = lang as usize;
        if let Some(found) = cache.borrow()[slot].get(&id) {
            return Some(found.to_string());
        }
        let fluent_args: HashMap<Cow<'static, str>, FluentValue> = vars
            .iter()
            .map(|(name, value)| (Cow::Owned((*name).to_owned()), FluentValue::from(*value)))
            .collect();
        let text = LOCALES.try_lookup_complete(&lang.langid(), key, Some(&fluent_args))?;
        let known = &mut cache.borrow_mut()[slot];
        if known.len() < PLAIN_CACHE_KEYS {
            known.insert(id, Box::from(text.as_str()));
        }
        Some(text)
    })
}

/// Translates `key` with Fluent variables.
/// Whole numbers become Fluent numbers, so plural variants (`[one]`) apply to them.
pub fn tr_args(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    // Whole numbers only ("5 minutes ago"): the remembered text.
    let numbers: Option<Vec<(&str, f64)>> = args
        .iter()
        .map(|(k, v)| v.parse::<i64>().ok().map(|n| (*k, n as f64)))
        .collect();
    if let Some(text) = numbers.and_then(|vars| counted_with(lang, key, vars)) {
        return text;
    }
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| {
            let value = match v.parse::<i64>() {
                Ok(n) => FluentValue::from(n),
                Err(_) => FluentValue::from(v.clone()),
            };
            (Cow::Borrowed(*k), value)
        })
        .collect();
    LOCALES.lookup_with_args(&lang.langid(), key, &args)
}

/// The tera function `t(key=..., lang=..., ...args)`; a key no catalogue has is an error, unless
/// `fallback=...` gives the text to show instead (for keys made from data).
pub struct TeraTranslate;

impl tera::Function for TeraTranslate {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("t(): `key` is required"))?;
        let lang = args
            .get("lang")
            .and_then(tera::Value::as_str)
            .and_then(|l| l.parse::<Lang>().ok())
            .ok_or_else(|| tera::Error::msg(format!("t(key=\"{key}\"): `lang` is required")))?;
        let fallback = args.get("fallback").and_then(tera::Value::as_str);
        if args.len() == 2 + usize::from(fallback.is_some()) {
            // No variables: the remembered text.
            return plain(lang, key)
                .or_else(|| fallback.map(str::to_owned))
                .map(tera::Value::String)
                .ok_or_else(|| tera::Error::msg(format!("no translation for \"{key}\"")));
        }
        if let Some(text) = counted(lang, key, args) {
            return Ok(tera::Value::String(text));
        }
        let fluent_args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "key" | "lang" | "fallback"))
            .map(|(name, value)| {
                let value = match value {
                    tera::Value::Number(n) => FluentValue::from(n.as_f64().unwrap_or_default()),
                    tera::Value::String(s) => FluentValue::from(s.clone()),
                    other => FluentValue::from(other.to_string()),
                };
                (Cow::Owned(name.clone()), value)
            })
            .collect();
        let text = LOCALES
            .try_lookup_complete(&lang.langid(), key, Some(&fluent_args))
            .or_else(|| fallback.map(str::to_owned))
            .ok_or_else(|| tera::Error::msg(format!("no translation for \"{key}\"")))?;
        Ok(tera::Value::String(text))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_with_numbers_read_the_same_from_the_cache() {
        use tera::Function;
        let call = |lang: &str, key: &str, vars: &[(&str, tera::Value)]| {
            let mut args: HashMap<String, tera::Value> = vars
                .iter()
                .map(|(name, value)| ((*name).to_owned(), value.clone()))
                .collect();
            args.insert("key".into(), key.into());
            args.insert("lang".into(), lang.into());
            TeraTranslate.call(&args).unwrap()
        };
        let cases = [
            ("en", "qa-answer-count", 1, "1 answer"),
            ("en", "qa-answer-count", 3, "3 answers"),
            ("nl", "qa-answer-count", 1, "1 antwoord"),
            ("nl", "qa-answer-count", 3, "3 antwoorden"),
            ("en", "qa-answer-count", 0, "0 answers"),
            ("nl", "qa-answers-short", 1, "antwoord"),
        ];
        // Twice: formatted, then remembered.
        for _ in 0..2 {
            for (lang, key, count, expected) in cases {
                assert_eq!(
                    call(lang, key, &[("count", count.into())]),
                    expected,
                    "{lang} {key} {count}"
                );
            }
            assert_eq!(
                call("en", "qa-score", &[("score", 2.5.into())]),
                "Score 2.5"
            );
            // Rust's own calls with whole numbers share the cache.
            for (lang, n, expected) in [
                (Lang::Nl, "1", "1 minuut geleden"),
                (Lang::Nl, "5", "5 minuten geleden"),
                (Lang::En, "5", "5 minutes ago"),
            ] {
                let args = [("count", n.to_owned())];
                assert_eq!(tr_args(lang, "time-minutes-ago", &args), expected);
            }
            let named = [("name", "Ada".to_owned())];
            assert!(tr_args(Lang::En, "nav-account-menu", &named).contains("Ada"));
        }
        // A message with a number and a text is formatted as before, not remembered.
        let mixed = call(
            "en",
            "nav-account-menu",
            &[("name", "Ada".into()), ("count", 1.into())],
        );
        assert!(mixed.as_str().unwrap().contains("Ada"), "{mixed}");
        COUNTED.with(|cache| {
            assert!(
                cache.borrow()[Lang::En as usize]
                    .keys()
                    .all(|k| !k.contains("name"))
            );
        });
    }

    #[test]
    fn accept_language_picks_a_supported_language() {
        for (header, expected) in [
            ("nl-NL,nl;q=0.9,en;q=0.8", Some(Lang::Nl)),
            ("nl", Some(Lang::Nl)),
            ("nl-NL", Some(Lang::Nl)),
            ("nl-BE", Some(Lang::Nl)),
            ("de-DE,nl;q=0.8", Some(Lang::Nl)),
            ("de-DE,en;q=0.5", Some(Lang::En)),
            ("en-GB", Some(Lang::En)),
            ("en-GB,nl;q=0.9", Some(Lang::En)),
            ("nl;q=0.2,en;q=0.8", Some(Lang::En)),
            ("en;q=0,nl", Some(Lang::Nl)),
            ("fr", None),
            ("*", None),
            ("", None),
        ] {
            assert_eq!(Lang::from_accept_language(header), expected, "{header}");
        }
    }

    /// Every key used in a template or in Rust exists in every catalogue, so no page shows a
    /// raw key in one language.
    #[test]
    fn every_used_key_is_translated_in_every_language() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut keys = std::collections::BTreeSet::new();
        let key_re = regex_lite_keys();
        for dir in ["templates", "src"] {
            for entry in walk(&root.join(dir)) {
                let text = std::fs::read_to_string(&entry).unwrap();
                for key in key_re(&text) {
                    keys.insert(key);
                }
            }
        }
        // Keys built in templates from a prefix: every member of the family.
        for role in crate::auth::types::Role::ALL {
            keys.insert(format!("role-{role}"));
        }
        for status in [
            "draft",
            "in_review",
            "changes_requested",
            "scheduled",
            "published",
            "archived",
        ] {
            keys.insert(format!("status-post-{status}"));
        }
        for decision in [
            "submitted",
            "approved",
            "changes_requested",
            "scheduled",
            "published",
            "unpublished",
            "archived",
            "deleted",
            "restored",
        ] {
            keys.insert(format!("decision-{decision}"));
        }
        for mode in ["never", "non_ambassadors", "everyone"] {
            keys.insert(format!("review-mode-{mode}"));
        }
        for lang in Lang::ALL {
            keys.insert(format!("language-{lang}"));
        }
        for reason in ["duplicate", "off_topic"] {
            keys.insert(format!("qa-closed-{reason}"));
            keys.insert(format!("qa-close-reason-{reason}"));
        }
        for kind in ["post", "question", "answer"] {
            keys.insert(format!("activity-{kind}"));
        }
        for kind in ["post", "question", "answer", "person"] {
            keys.insert(format!("search-type-{kind}"));
        }
        for kind in [
            "accepted_answers",
            "upvoted_answers",
            "posts",
            "declared",
            "marked_expert",
        ] {
            keys.insert(format!("evidence-{kind}"));
        }
        for kind in [
            "answer",
            "comment",
            "accepted",
            "mention",
            "question",
            "invited",
            "post_approved",
            "post_returned",
            "badge",
            "award",
            "nomination",
        ] {
            keys.insert(format!("notify-{kind}"));
        }
        for category in crate::notify::types::Category::ALL {
            keys.insert(format!("notif-category-{}", category.as_str()));
        }
        keys.insert("notif-category-digest".into());
        for delivery in crate::notify::types::Delivery::ALL {
            keys.insert(format!("notif-delivery-{}", delivery.as_str()));
        }
        for status in ["failed", "pending", "sent"] {
            keys.insert(format!("mail-status-{status}"));
        }
        for event in crate::webhooks::Event::ALL {
            keys.insert(format!("webhook-event-{event}"));
        }
        for status in ["pending", "delivered", "failed"] {
            keys.insert(format!("webhook-delivery-{status}"));
        }
        for template in ["digest_daily", "digest_weekly"] {
            keys.insert(format!("email-{template}-subject"));
        }
        for template in ["password_reset", "invitation"] {
            keys.insert(format!("email-{template}-subject"));
        }
        for sort in crate::qa::types::Sort::ALL {
            keys.insert(format!("qa-sort-{}", sort.as_str()));
        }
        for kind in ["400", "403", "404", "429", "500"] {
            keys.insert(format!("error-{kind}-title"));
            keys.insert(format!("error-{kind}-text"));
        }
        assert!(keys.len() > 50, "found only {} keys", keys.len());
        let mut missing = vec![];
        let catalogues: Vec<_> = Lang::ALL
            .iter()
            .map(|l| (l, catalogue_keys(root, *l)))
            .collect();
        for (lang, defined) in &catalogues {
            for key in &keys {
                if !defined.contains(key) {
                    missing.push(format!("{lang}: {key}"));
                }
            }
        }
        assert!(missing.is_empty(), "missing translations: {missing:#?}");
        // And the catalogues define the same keys, so nothing falls back to English silently.
        assert_eq!(
            catalogues[0].1, catalogues[1].1,
            "en and nl define different keys"
        );
    }

    fn catalogue_keys(root: &std::path::Path, lang: Lang) -> std::collections::BTreeSet<String> {
        let mut keys = std::collections::BTreeSet::new();
        for file in walk(&root.join("assets/locales").join(lang.code())) {
            for line in std::fs::read_to_string(file).unwrap().lines() {
                if let Some((key, _)) = line.split_once(" =")
                    && !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    keys.insert(key.to_string());
                }
            }
        }
        keys
    }

    /// Finds `key="..."` in templates and string literals that look like catalogue keys
    /// (`"err-..."`, `"flash-..."`, `"page-..."`, `"nav-..."`, `"role-..."`, `"error-..."`) in
    /// Rust and templates.
    fn regex_lite_keys() -> impl Fn(&str) -> Vec<String> {
        |text: &str| {
            let mut out = vec![];
            let is_key = |k: &str| {
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            };
            let mut rest = text;
            while let Some(i) = rest.find("key=\"") {
                rest = &rest[i + 5..];
                if let Some(end) = rest.find('"')
                    && is_key(&rest[..end])
                    && !rest[..end].ends_with('-')
                {
                    out.push(rest[..end].to_string());
                }
            }
            for prefix in [
                "\"err-", "\"flash-", "\"page-", "\"nav-", "\"role-", "\"error-",
            ] {
                let mut rest = text;
                while let Some(i) = rest.find(prefix) {
                    rest = &rest[i + 1..];
                    if let Some(end) = rest.find('"') {
                        let key = &rest[..end];
                        if is_key(key) && !key.ends_with('-') {
                            out.push(key.to_string());
                        }
                    }
                }
            }
            out
        }
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = vec![];
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("html" | "txt" | "rs" | "ftl")
            ) {
                out.push(path);
            }
        }
        out
    }
}
