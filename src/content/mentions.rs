//! @mentions in Markdown: `@anna` names the colleague whose email address starts `anna@`
//! (when exactly one active colleague does). Mentions become links to the profile; whom a
//! text mentions goes with its event, and `effects` notifies each person once per text.
use std::collections::HashMap;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{content, entities::users};

/// At most this many people are notified from one text.
const MAX_MENTIONS: usize = 20;

fn is_handle_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// The mentions in ordinary text (not code), as (byte range of `@handle`, lower-cased handle).
fn find(md: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut found = Vec::new();
    // Inside code blocks and links an @ is not a mention.
    let mut skip = 0usize;
    for (event, range) in Parser::new(md).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. }) => skip += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link) => skip = skip.saturating_sub(1),
            Event::Text(_) if skip == 0 => {}
            _ => continue,
        }
        let Event::Text(_) = event else {
            continue;
        };
        let text = &md[range.clone()];
        let mut prev: Option<char> = None;
        for (i, c) in text.char_indices() {
            if c == '@' && !prev.is_some_and(|p| p.is_alphanumeric() || is_handle_char(p)) {
                let rest = &text[i + 1..];
                let len = rest
                    .find(|c: char| !is_handle_char(c))
                    .unwrap_or(rest.len());
                // A handle does not end with a dot or dash ("@anna." ends a sentence).
                let handle = rest[..len].trim_end_matches(['.', '-']);
                if !handle.is_empty() {
                    let start = range.start + i;
                    found.push((start..start + 1 + handle.len(), handle.to_lowercase()));
                }
            }
            prev = Some(c);
        }
    }
    found
}

/// Active colleagues these handles name unambiguously: handle → (id, display name).
async fn resolve<C: ConnectionTrait>(
    conn: &C,
    handles: &[String],
) -> Result<HashMap<String, i64>, sea_orm::DbErr> {
    if handles.is_empty() {
        return Ok(HashMap::new());
    }
    let mut any = Condition::any();
    for h in handles {
        any = any.add(users::Column::Email.starts_with(format!("{h}@")));
    }
    let mut by_handle: HashMap<String, Vec<i64>> = HashMap::new();
    for u in users::Entity::find()
        .filter(users::Column::IsActive.eq(true))
        .filter(any)
        .all(conn)
        .await?
    {
        if let Some((local, _)) = u.email.split_once('@') {
            by_handle
                .entry(local.to_lowercase())
                .or_default()
                .push(u.id);
        }
    }
    Ok(by_handle
        .into_iter()
        .filter(|(_, ids)| ids.len() == 1)
        .map(|(h, ids)| (h, ids[0]))
        .collect())
}

/// A text rendered for display, and whom it mentions.
pub struct Rendered {
    pub html: String,
    pub mentioned: Vec<i64>,
}

/// Renders Markdown with mentions linked to profiles (looked up with one read), within the
/// limits of [`content::render`] and off the threads that answer requests; a refused text is a
/// validation error on `field`. Call it before the write transaction begins, so rendering never
/// holds the write lock.
pub async fn render<C: ConnectionTrait>(
    conn: &C,
    md: &str,
    field: &'static str,
) -> crate::error::AppResult<Rendered> {
    let (linked, mentioned) = link(conn, md).await?;
    let html = content::render(&linked, field).await?;
    Ok(Rendered { html, mentioned })
}

/// Whom a text mentions, without rendering it.
pub async fn mentioned<C: ConnectionTrait>(conn: &C, md: &str) -> Result<Vec<i64>, sea_orm::DbErr> {
    Ok(link(conn, md).await?.1)
}

/// The Markdown with each mention made a link to the profile, and who was mentioned.
async fn link<C: ConnectionTrait>(
    conn: &C,
    md: &str,
) -> Result<(String, Vec<i64>), sea_orm::DbErr> {
    let found = find(md);
    let mut handles: Vec<String> = found.iter().map(|(_, h)| h.clone()).collect();
    handles.sort_unstable();
    handles.dedup();
    handles.truncate(MAX_MENTIONS);
    let people = resolve(conn, &handles).await?;
    if people.is_empty() {
        return Ok((md.to_owned(), vec![]));
    }
    let mut linked = String::with_capacity(md.len() + 32 * found.len());
    let mut at = 0;
    let mut mentioned = Vec::new();
    for (range, handle) in found {
        let Some(id) = people.get(&handle) else {
            continue;
        };
        linked.push_str(&md[at..range.start]);
        linked.push_str(&format!("[{}](/people/{id})", &md[range.clone()]));
        at = range.end;
        if !mentioned.contains(id) {
            mentioned.push(*id);
        }
    }
    linked.push_str(&md[at..]);
    Ok((linked, mentioned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_found_in_text_but_not_in_code_or_addresses() {
        let md = "Hi @anna and @Bob.Smith! Mail me at erik@example.com.\n\n`@code` and\n\n    @block\n\nEnd: @carla.";
        let handles: Vec<String> = find(md).into_iter().map(|(_, h)| h).collect();
        assert_eq!(handles, vec!["anna", "bob.smith", "carla"]);
        let (range, _) = &find(md)[0];
        assert_eq!(&md[range.clone()], "@anna");
    }
}
