//! Text for people: Markdown rendered to sanitised HTML, plain text and excerpts, reading time,
//! and slugs. One implementation serves posts, comments, questions and answers, and the live
//! preview, so what the editor shows is what readers get.
pub mod derived;
pub mod mentions;
pub mod text;

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

/// How deeply a text may nest quotes, lists, emphasis and HTML tags. Real writing stays far
/// below; the sanitiser's HTML parser costs time in proportion to depth × elements, so a text
/// of 99,000 `>` would keep a core busy for minutes.
pub const MAX_NESTING: usize = 32;
/// How many Markdown events (a start, an end, a piece of text) one text may produce: more than
/// the longest allowed body (100,000 characters) of real prose does, fewer than it takes to make
/// the renderer allocate without end.
pub const MAX_EVENTS: usize = 200_000;

/// Why a text is refused before it is rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TooComplex {
    /// Deeper than [`MAX_NESTING`] (Markdown containers or HTML tags).
    Nesting,
    /// More than [`MAX_EVENTS`] Markdown events.
    Events,
}

impl TooComplex {
    /// The validation error on `field`, as forms and the API show it.
    pub fn error(self, field: &'static str) -> crate::error::AppError {
        use crate::error::{AppError, Msg};
        match self {
            Self::Nesting => AppError::validation(
                field,
                Msg::new("err-markdown-nested").arg("max", MAX_NESTING),
            ),
            Self::Events => AppError::validation(
                field,
                Msg::new("err-markdown-elements").arg("max", MAX_EVENTS),
            ),
        }
    }
}

/// What rendering a text took: Markdown events read, their deepest nesting, and the deepest
/// nesting of the HTML handed to the sanitiser.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    pub events: usize,
    pub depth: usize,
    pub html_depth: usize,
}

/// Markdown (raw HTML allowed in the source) to HTML that is safe to insert in a page, within
/// the limits. The parser's events are counted as they come and the nesting of the HTML is
/// measured in one linear pass before the sanitiser sees it, so a refused text costs time in
/// proportion to its length, whatever its shape.
pub fn render_checked(markdown: &str) -> Result<(String, Work), TooComplex> {
    let mut work = Work::default();
    let mut depth = 0usize;
    let mut refused = None;
    let events = Parser::new_ext(markdown, options()).map_while(|event| {
        work.events += 1;
        match &event {
            Event::Start(_) => {
                depth += 1;
                work.depth = work.depth.max(depth);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_NESTING {
            refused = Some(TooComplex::Nesting);
        } else if work.events > MAX_EVENTS {
            refused = Some(TooComplex::Events);
        }
        refused.is_none().then_some(event)
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    if let Some(refused) = refused {
        return Err(refused);
    }
    work.html_depth = html_nesting(&unsafe_html, MAX_NESTING)?;
    Ok((sanitize(&unsafe_html), work))
}

/// [`render_checked`] without the accounting.
pub fn render_markdown(markdown: &str) -> Result<String, TooComplex> {
    render_checked(markdown).map(|(html, _)| html)
}

/// Renders on the blocking pool, at most one text per core at a time, so long texts never hold
/// up the threads that answer requests; refusals become a validation error on `field`.
pub async fn render(markdown: &str, field: &'static str) -> crate::error::AppResult<String> {
    static SLOTS: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get()))
    });
    let _slot = SLOTS
        .acquire()
        .await
        .map_err(|e| anyhow::anyhow!("render slots closed: {e}"))?;
    let markdown = markdown.to_owned();
    tokio::task::spawn_blocking(move || render_markdown(&markdown))
        .await
        .map_err(|e| anyhow::anyhow!("the render task failed: {e}"))?
        .map_err(|refused| refused.error(field))
}

/// Elements the HTML parser closes by itself when a sibling starts (or that cannot hold
/// content), so they never deepen its stack of open elements.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input", "li",
    "link", "meta", "option", "optgroup", "p", "param", "rp", "rt", "source", "tbody", "td",
    "tfoot", "th", "thead", "tr", "track", "wbr",
];

/// The deepest nesting of open elements in `html`, counted the way an HTML parser keeps them: a
/// start tag opens an element, an end tag closes the nearest open element of its name (an end
/// tag nothing matches closes nothing, so `<b></i>` repeated still nests). It may count more
/// than a parser keeps open, never less. Stops with [`TooComplex::Nesting`] past `limit`.
fn html_nesting(html: &str, limit: usize) -> Result<usize, TooComplex> {
    let bytes = html.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    let mut deepest = 0;
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let rest = &html[start + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            at = match comment.find("-->") {
                Some(end) => start + 4 + end + 3,
                None => html.len(),
            };
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = html[name_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            // Text (`a < b`), a declaration or a processing instruction.
            at = start + 1;
            continue;
        }
        let name = &html[name_start..name_start + name_len];
        // The end of the tag: the first `>` outside a quoted attribute value.
        let mut quote = None;
        let mut end = html.len();
        let mut self_closing = false;
        for (i, b) in html[name_start + name_len..].bytes().enumerate() {
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'>') => {
                    let tag_end = name_start + name_len + i;
                    self_closing = bytes[tag_end - 1] == b'/';
                    end = tag_end + 1;
                    break;
                }
                _ => {}
            }
        }
        at = end;
        if closing {
            if let Some(pos) = open.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                open.truncate(pos);
            }
        } else if !self_closing && !NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            open.push(name);
            deepest = deepest.max(open.len());
            if open.len() > limit {
                return Err(TooComplex::Nesting);
            }
        }
    }
    Ok(deepest)
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
    cut(&plain_text(markdown), max_chars)
}

/// `text` (plain, its words one space apart), cut at a word boundary: at most `max_chars`
/// characters plus "…".
pub fn cut(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max_chars).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// Minutes to read at 200 words a minute, at least one.
pub fn reading_minutes(markdown: &str) -> u32 {
    minutes_to_read(&plain_text(markdown))
}

/// [`reading_minutes`] of a text already made plain.
pub fn minutes_to_read(text: &str) -> u32 {
    let words = text.split_whitespace().count() as u32;
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
        )
        .unwrap();
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

    #[test]
    fn nesting_past_the_limit_is_refused_whatever_makes_it() {
        let deep = |unit: &str, n: usize| unit.repeat(n) + "x";
        for (name, text) in [
            ("quotes", deep(">", 99_000)),
            ("lists", deep("- ", 40)),
            ("ordered lists", deep("1. ", 40)),
            (
                "emphasis",
                format!("{}x{}", "*".repeat(200), "*".repeat(200)),
            ),
            ("raw HTML", "<div>".repeat(40)),
            (
                "raw HTML closed by other tags",
                "<b title=\"x>y\"></i>".repeat(40),
            ),
            ("unclosed formatting", "<b><i><u><s>".repeat(10)),
        ] {
            assert_eq!(
                render_checked(&text).map(|(_, w)| w),
                Err(TooComplex::Nesting),
                "{name}"
            );
        }
        // What people write: lists in quotes in lists, tables, code, some HTML.
        let real = "> - item\n>   > quoted\n>   > - deeper\n>   >   1. deepest **bold _both_**\n\n\
                    <details><summary>More</summary><p>Hidden <em>text</em></p></details>\n\n\
                    | a | b |\n|---|---|\n| `x` | <br> |\n";
        let (html, work) = render_checked(real).unwrap();
        assert!(html.contains("<strong>bold"), "{html}");
        assert!(work.depth <= 12 && work.html_depth <= 12, "{work:?}");
        assert_eq!(html_nesting("<p>a<p>b<li>c<br><img src=x>", 32), Ok(0));
        assert_eq!(html_nesting("<div><!-- <div><div> --></div>", 32), Ok(1));
        assert_eq!(html_nesting("a < b and <3", 32), Ok(0));
    }

    #[test]
    fn too_many_events_are_refused() {
        let text = "*a* ".repeat(MAX_EVENTS / 3);
        assert_eq!(
            render_checked(&text).map(|(_, w)| w),
            Err(TooComplex::Events)
        );
    }

    mod bounded_work {
        use proptest::prelude::*;

        use super::super::*;

        /// Pieces that make nesting, in every combination a generator finds.
        const PIECES: &[&str] = &[
            ">",
            "> ",
            "- ",
            "* ",
            "+ ",
            "1. ",
            "  ",
            "    ",
            "\n",
            "\n\n",
            "*",
            "**",
            "_",
            "~~",
            "[",
            "](",
            ")",
            "`",
            "<div>",
            "</div>",
            "<b>",
            "</i>",
            "<p>",
            "<table><tr><td>",
            "<!--",
            "-->",
            "|",
            "---",
            "word ",
            "@anna ",
        ];

        fn text() -> impl Strategy<Value = String> {
            prop::collection::vec((0..PIECES.len(), 1usize..400), 1..60).prop_map(|parts| {
                parts
                    .into_iter()
                    .map(|(piece, times)| PIECES[piece].repeat(times))
                    .collect()
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

            /// Whatever the text, the parser reads at most MAX_EVENTS events and the sanitiser
            /// only ever sees HTML nested at most MAX_NESTING deep; the outcome is the same
            /// every time.
            #[test]
            fn the_work_of_any_text_is_bounded(text in text()) {
                let first = render_checked(&text);
                if let Ok((html, work)) = &first {
                    prop_assert!(work.events <= MAX_EVENTS);
                    prop_assert!(work.depth <= MAX_NESTING);
                    prop_assert!(work.html_depth <= MAX_NESTING);
                    prop_assert!(html_nesting(html, usize::MAX).unwrap() <= MAX_NESTING);
                }
                prop_assert_eq!(first, render_checked(&text));
            }
        }
    }
}
