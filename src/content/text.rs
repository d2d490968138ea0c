//! Characters no text in Kring may hold, and where they hide in structured input.
//!
//! The rule is XML 1.0's `Char` production: NUL and the other C0 control characters except tab,
//! line feed and carriage return, and the noncharacters U+FFFE and U+FFFF. PostgreSQL cannot
//! store NUL in text, the Atom feeds cannot carry any of them, and no one types them: they come
//! from scripts, fuzzers and attackers. `web::text_guard` refuses them at the edge of every
//! request; [`xml_safe`] cleans text that was stored before that rule existed.
use std::borrow::Cow;

use serde_json::Value;

/// Whether `c` may appear in text.
pub fn allowed(c: char) -> bool {
    !matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// The first character of `text` no text may hold.
pub fn forbidden(text: &str) -> Option<char> {
    // The refused characters are all below U+0020 or start with the byte 0xEF in UTF-8.
    if !text.bytes().any(|b| b < 0x20 || b == 0xEF) {
        return None;
    }
    text.chars().find(|&c| !allowed(c))
}

/// `text` without the characters XML cannot carry (borrowed when there are none).
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    match forbidden(text) {
        None => Cow::Borrowed(text),
        Some(_) => Cow::Owned(text.chars().filter(|&c| allowed(c)).collect()),
    }
}

/// The character written as people read it in an error message: `U+0000`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// The first forbidden character in a JSON document, in an object key or a string at any depth,
/// with where it is: `title`, `tags[1]`, `name.givenName`.
pub fn forbidden_in_json(value: &Value) -> Option<(String, char)> {
    fn walk(value: &Value, path: &mut String) -> Option<char> {
        match value {
            Value::String(s) => forbidden(s),
            Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = walk(item, path);
                if found.is_none() {
                    path.truncate(len);
                }
                found
            }),
            Value::Object(map) => map.iter().find_map(|(key, item)| {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                let found = forbidden(key).or_else(|| walk(item, path));
                if found.is_none() {
                    path.truncate(len);
                }
                found
            }),
            _ => None,
        }
    }
    let mut path = String::new();
    walk(value, &mut path).map(|c| (path, c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tab_and_line_breaks_are_text_other_controls_are_not() {
        assert_eq!(forbidden("a\tb\r\nc\n"), None);
        assert_eq!(forbidden("héllo — ünïcode 🙂 \u{7f} \u{85}"), None);
        for c in [
            '\0', '\u{1}', '\u{b}', '\u{c}', '\u{1f}', '\u{fffe}', '\u{ffff}',
        ] {
            assert_eq!(
                forbidden(&format!("ok {c} ok")),
                Some(c),
                "{}",
                code_point(c)
            );
        }
        assert_eq!(xml_safe("a\u{1}b\u{ffff}c\td"), "abc\td");
        assert!(matches!(xml_safe("plain"), Cow::Borrowed("plain")));
        assert_eq!(code_point('\0'), "U+0000");
        assert_eq!(code_point('\u{ffff}'), "U+FFFF");
    }

    #[test]
    fn json_paths_name_the_place() {
        let doc = json!({"title": "fine", "tags": ["ok", "b\u{0}d"], "n": 3});
        assert_eq!(forbidden_in_json(&doc), Some(("tags[1]".into(), '\0')));
        let doc = json!({"name": {"givenName": "Piet\u{1}"}});
        assert_eq!(
            forbidden_in_json(&doc),
            Some(("name.givenName".into(), '\u{1}'))
        );
        let doc = json!({"a\u{0}": 1});
        assert_eq!(forbidden_in_json(&doc), Some(("a\u{0}".into(), '\0')));
        assert_eq!(
            forbidden_in_json(&json!([{"x": ["\u{2}"]}])),
            Some(("[0].x[0]".into(), '\u{2}'))
        );
        assert_eq!(forbidden_in_json(&json!({"body": "\\u0000 is text"})), None);
    }
}
