//! Parsed profile input.
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult, Msg};

pub const MAX_FIELD: usize = 100;
pub const MAX_BIO: usize = 5_000;
pub const MAX_LINKS: usize = 5;
pub const MAX_LANGUAGES: usize = 8;
/// Sizes of the stored profile photo (square, pixels).
pub const PHOTO_SIZES: &[u32] = &[64, 256];

/// `Some(None)` for an explicit `null`, `None` when the field is left out.
fn explicit<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Changes to a profile (`PATCH /api/v1/me/profile`): fields left out stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProfilePatch {
    pub display_name: Option<String>,
    pub job_title: Option<String>,
    /// A department id from `GET /api/v1/departments`; `null` clears it.
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<i64>)]
    pub department_id: Option<Option<i64>>,
    /// City and/or country.
    pub location: Option<String>,
    /// Language codes, e.g. `["nl", "en"]`.
    pub languages: Option<Vec<String>>,
    /// Markdown.
    pub bio: Option<String>,
    /// "Ask me about": up to five tags.
    pub expertise: Option<Vec<String>>,
    /// http(s) links, up to five.
    pub links: Option<Vec<String>>,
}

pub fn parse_field(field: &'static str, raw: &str) -> AppResult<String> {
    let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.chars().count() > MAX_FIELD {
        return Err(AppError::validation(
            field,
            Msg::new("err-field-too-long").arg("max", MAX_FIELD),
        ));
    }
    Ok(value)
}

pub fn parse_bio(raw: &str) -> AppResult<String> {
    let bio = raw.trim().replace("\r\n", "\n");
    if bio.chars().count() > MAX_BIO {
        return Err(AppError::validation(
            "bio",
            Msg::new("err-body-too-long").arg("max", MAX_BIO),
        ));
    }
    Ok(bio)
}

pub fn parse_languages<S: AsRef<str>>(raw: &[S]) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for code in raw {
        let code = code.as_ref().trim().to_ascii_lowercase();
        if code.is_empty() {
            continue;
        }
        if code.len() != 2 || !code.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(AppError::validation(
                "languages",
                Msg::new("err-language-code").arg("code", code),
            ));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    if out.len() > MAX_LANGUAGES {
        return Err(AppError::validation(
            "languages",
            Msg::new("err-too-many").arg("max", MAX_LANGUAGES),
        ));
    }
    Ok(out)
}

pub fn parse_links<S: AsRef<str>>(raw: &[S]) -> AppResult<Vec<String>> {
    let mut out = Vec::new();
    for link in raw {
        let link = link.as_ref().trim();
        if link.is_empty() {
            continue;
        }
        let url = url::Url::parse(link)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && link.len() <= 300)
            .ok_or_else(|| {
                AppError::validation("links", Msg::new("err-link-invalid").arg("link", link))
            })?;
        out.push(url.to_string());
    }
    if out.len() > MAX_LINKS {
        return Err(AppError::validation(
            "links",
            Msg::new("err-too-many").arg("max", MAX_LINKS),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_and_links_are_checked() {
        assert_eq!(
            parse_languages(&["NL", " en", "nl", ""]).unwrap(),
            vec!["nl", "en"]
        );
        assert!(parse_languages(&["dutch"]).is_err());
        assert_eq!(
            parse_links(&["https://example.com/me", " "]).unwrap(),
            vec!["https://example.com/me"]
        );
        assert!(parse_links(&["javascript:alert(1)"]).is_err());
        assert!(parse_links(&["ftp://example.com"]).is_err());
        assert!(parse_field("job_title", &"x".repeat(101)).is_err());
    }

    #[test]
    fn null_and_absent_department_differ() {
        let p: ProfilePatch = serde_json::from_str(r#"{"department_id": null}"#).unwrap();
        assert_eq!(p.department_id, Some(None));
        let p: ProfilePatch = serde_json::from_str("{}").unwrap();
        assert_eq!(p.department_id, None);
    }
}
