//! Searching: free text (AND by default, OR when nothing matches), "phrases", -exclusion,
//! `tag:x`, `type:question`, `author:name`, typo tolerance; English and Dutch stemming plus a
//! language-neutral field, so a query in either language finds both. Only content everyone may
//! see is ever indexed, so results, totals and snippets never leak drafts or deleted items.
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::{
    DocAddress, Score, TantivyDocument, Term,
    collector::{Count, TopDocs},
    query::{BooleanQuery, Occur, Query, QueryParser, TermQuery},
    schema::{IndexRecordOption, Value},
    snippet::SnippetGenerator,
};
use utoipa::{IntoParams, ToSchema};

use super::index::SearchIndex;
use crate::error::{AppError, AppResult};

pub const PAGE_SIZE: usize = 10;
const KINDS: [&str; 4] = ["post", "question", "answer", "person"];

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query: words, "phrases", -excluded, tag:x, type:question, author:name.
    pub q: Option<String>,
    /// `post`, `question`, `answer` or `person`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    pub tag: Option<String>,
    /// 1-based.
    pub page: Option<usize>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Hit {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: i64,
    pub title: String,
    /// HTML: the matching passage with `<b>` around the matched words (text is escaped).
    pub snippet: String,
    pub url: String,
    pub score: f32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    pub total: usize,
    pub took_ms: u64,
    pub hits: Vec<Hit>,
}

/// The words of the query and its `key:value` filters.
#[derive(Debug, Default, PartialEq)]
struct Parsed {
    text: String,
    kind: Option<String>,
    tag: Option<String>,
    author: Option<String>,
}

fn parse(q: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut words = Vec::new();
    for part in q.split_whitespace() {
        match part.split_once(':') {
            Some(("type", v)) if !v.is_empty() => parsed.kind = Some(v.to_lowercase()),
            Some(("tag", v)) if !v.is_empty() => {
                parsed.tag = Some(v.trim_start_matches('#').to_lowercase())
            }
            Some(("author", v)) if !v.is_empty() => parsed.author = Some(v.to_lowercase()),
            // Other colons are plain text (no field syntax from outside).
            _ => words.push(part.replace(':', " ")),
        }
    }
    parsed.text = words.join(" ");
    parsed
}

fn parser(idx: &SearchIndex, conjunction: bool) -> QueryParser {
    let f = &idx.fields;
    let mut parser = QueryParser::for_index(
        &idx.index,
        vec![
            f.title, f.title_en, f.title_nl, f.body, f.body_en, f.body_nl, f.answers, f.author,
        ],
    );
    if conjunction {
        parser.set_conjunction_by_default();
    }
    for field in [f.title, f.title_en, f.title_nl] {
        parser.set_field_boost(field, 3.0);
    }
    parser.set_field_boost(f.answers, 0.5);
    // Typo tolerance in the language-neutral fields.
    parser.set_field_fuzzy(f.title, false, 1, true);
    parser.set_field_fuzzy(f.body, false, 1, true);
    parser
}

fn filtered(idx: &SearchIndex, text: Box<dyn Query>, p: &Parsed) -> Box<dyn Query> {
    let f = &idx.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    let term = |field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    };
    if let Some(kind) = &p.kind {
        clauses.push((Occur::Must, term(f.kind, kind)));
    }
    if let Some(tag) = &p.tag {
        clauses.push((Occur::Must, term(f.tags, tag)));
    }
    if let Some(author) = &p.author {
        for word in author
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            clauses.push((Occur::Must, term(f.author, word)));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

pub fn search(idx: &SearchIndex, params: &SearchParams) -> AppResult<SearchResults> {
    let started = Instant::now();
    let mut parsed = parse(params.q.as_deref().unwrap_or(""));
    if let Some(kind) = params.kind.as_deref().filter(|k| !k.is_empty()) {
        parsed.kind = Some(kind.to_lowercase());
    }
    if let Some(tag) = params.tag.as_deref().filter(|t| !t.is_empty()) {
        parsed.tag = Some(tag.to_lowercase());
    }
    if let Some(kind) = &parsed.kind
        && !KINDS.contains(&kind.as_str())
    {
        return Err(AppError::BadRequest(format!(
            "unknown type '{kind}'; use post, question, answer or person"
        )));
    }
    let page = params.page.unwrap_or(1).max(1);
    if parsed.text.trim().is_empty() && parsed.tag.is_none() && parsed.author.is_none() {
        return Ok(SearchResults {
            total: 0,
            took_ms: 0,
            hits: vec![],
        });
    }
    let searcher = idx.reader.searcher();
    let run = |conjunction: bool| -> AppResult<(usize, Vec<(Score, DocAddress)>)> {
        let text: Box<dyn Query> = if parsed.text.trim().is_empty() {
            Box::new(tantivy::query::AllQuery)
        } else {
            parser(idx, conjunction).parse_query_lenient(&parsed.text).0
        };
        let query = filtered(idx, text, &parsed);
        let collector = (
            TopDocs::with_limit(PAGE_SIZE)
                .and_offset((page - 1) * PAGE_SIZE)
                .order_by_score(),
            Count,
        );
        let (top, total) = searcher
            .search(&query, &collector)
            .map_err(|e| anyhow::anyhow!("search failed: {e}"))?;
        Ok((total, top))
    };
    let (mut total, mut top) = run(true)?;
    if total == 0 {
        (total, top) = run(false)?;
    }
    let f = &idx.fields;
    // Highlights come from the plain words (fuzzy queries name no terms to highlight).
    let plain = QueryParser::for_index(&idx.index, vec![f.body])
        .parse_query_lenient(&parsed.text)
        .0;
    let snippets = SnippetGenerator::create(&searcher, &*plain, f.body)
        .map_err(|e| anyhow::anyhow!("snippets: {e}"))?;
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| anyhow::anyhow!("reading a hit: {e}"))?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let snippet = snippets.snippet_from_doc(&doc);
        let snippet = if snippet.is_empty() {
            let body = text(f.body);
            let short: String = body.chars().take(160).collect();
            tantivy::snippet::Snippet::empty().to_html() + &html_escape(&short)
        } else {
            snippet.to_html()
        };
        hits.push(Hit {
            kind: text(f.kind),
            id: doc
                .get_first(f.entity_id)
                .and_then(|v| v.as_i64())
                .unwrap_or_default(),
            title: text(f.title),
            snippet,
            url: text(f.url),
            score,
        });
    }
    Ok(SearchResults {
        total,
        took_ms: started.elapsed().as_millis() as u64,
        hits,
    })
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_taken_out_of_the_text() {
        let p = parse("vpn tag:#Remote-Work type:Question author:anna \"split tunnel\" -mac");
        assert_eq!(p.text, "vpn \"split tunnel\" -mac");
        assert_eq!(p.tag.as_deref(), Some("remote-work"));
        assert_eq!(p.kind.as_deref(), Some("question"));
        assert_eq!(p.author.as_deref(), Some("anna"));
        assert_eq!(
            parse("title:x").text,
            "title x",
            "no field syntax from outside"
        );
    }
}
