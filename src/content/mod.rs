//! Text for people: Markdown rendered to sanitised HTML, plain text and excerpts, reading time,
//! and slugs. One implementation serves posts, comments, questions and answers, and the live
//! preview, so what the editor shows is what readers get.
use std::{collections::HashSet, sync::LazyLock};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// The Markdown dialect: CommonMark plus tables and strikethrough.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// ammonia's defaults (no `<script>`, `<style>`, `<iframe>`, no event handlers, no `style`
/// attributes) plus: only http, https and mailto links, which open without a referrer.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        .strip_comments(true);
    builder
});

/// A comment's Markdown source: trimmed, not empty, at most `max` characters (errors on the
/// `body` field).
pub fn comment_body(raw: &str, max: usize) -> crate::error::AppResult<String> {
    use crate::error::{AppError, Msg};
    let body = raw.trim();
    if body.is_empty() {
        return Err(AppError::validation("body", Msg::new("err-comment-empty")));
    }
    if body.chars().count() > max {
        return Err(AppError::validation(
            "body",
            Msg::new("err-comment-too-long").arg("max", max),
        ));
    }
    Ok(body.replace("\r\n", "\n"))
}

/// Markdown (raw HTML allowed in the source) to HTML that is safe to insert in a page.
pub fn render_markdown(markdown: &str) -> String {
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options()));
    sanitize(&unsafe_html)
}

/// Cleans HTML from any source with the same rules.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// The words of a Markdown text, without markup (for excerpts, search and reading time).
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => out.push(' '),
            Event::Start(Tag::CodeBlock(_)) => out.push(' '),
            // Raw HTML is markup, not words.
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first words of a text, cut at a word boundary, at most `max_chars` characters plus "…".
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    let text = plain_text(markdown);
    if text.chars().count() <= max_chars {
        return text;
    }
    let mut cut: String = text.chars().take(max_chars).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// Minutes to read at 200 words a minute, at least one.
pub fn reading_minutes(markdown: &str) -> u32 {
    let words = plain_text(markdown).split_whitespace().count() as u32;
    words.div_ceil(200).max(1)
}

/// A URL-safe slug from a title ("Thuiswerken: zó doe je dat!" -> "thuiswerken-zo-doe-je-dat"),
/// at most `max_len` bytes, never empty.
pub fn slugify(title: &str, max_len: usize) -> String {
    let mut slug = slug::slugify(title);
    if slug.len() > max_len {
        slug.truncate(max_len);
        if let Some(dash) = slug.rfind('-') {
            slug.truncate(dash);
        }
    }
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() {
        "post".to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_the_usual_things() {
        let html = render_markdown(
            "# Title\n\nSome *em* and **strong**, `code`, a [link](https://example.com).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~",
        );
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<em>em</em>") && html.contains("<strong>strong</strong>"));
        assert!(html.contains("<code>code</code>"));
        assert!(
            html.contains(
                r#"<a href="https://example.com" rel="noopener noreferrer nofollow">link</a>"#
            ),
            "{html}"
        );
        assert!(html.contains("<table>") && html.contains("<del>old</del>"));
    }

    #[test]
    fn plain_text_excerpt_and_reading_time() {
        let md = "# Thuiswerken\n\nZo **doe** je dat: <b>rustig</b> aan.\n\n- een\n- twee";
        assert_eq!(
            plain_text(md),
            "Thuiswerken Zo doe je dat: rustig aan. een twee"
        );
        assert_eq!(excerpt(md, 20), "Thuiswerken Zo doe…");
        assert_eq!(excerpt("short", 20), "short");
        assert_eq!(reading_minutes(md), 1);
        assert_eq!(reading_minutes(&"woord ".repeat(401)), 3);
    }

    #[test]
    fn slugs_are_ascii_bounded_and_never_empty() {
        assert_eq!(
            slugify("Thuiswerken: zó doe je dat!", 100),
            "thuiswerken-zo-doe-je-dat"
        );
        assert_eq!(slugify("!!!", 100), "post");
        let long = slugify(&"woord ".repeat(100), 30);
        assert!(long.len() <= 30 && !long.ends_with('-'), "{long}");
    }
}
