//! Searching: free text (AND by default, OR when nothing matches), "phrases", -exclusion,
//! `tag:x`, `type:question`, `author:name`, typo tolerance; English and Dutch stemming plus a
//! language-neutral field, so a query in either language finds both. Only content everyone may
//! see is ever indexed, so results, totals and snippets never leak drafts or deleted items.
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::{
    DocAddress, DocId, Score, SegmentReader, TantivyDocument, Term,
    aggregation::{AggregationCollector, agg_req::Aggregations},
    collector::{Count, TopDocs},
    query::{BooleanQuery, Occur, Query, QueryParser, RegexQuery, TermQuery},
    schema::{IndexRecordOption, Value},
    snippet::SnippetGenerator,
};
use utoipa::{IntoParams, ToSchema};

use super::index::{Generation, SearchIndex};
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
    /// `relevance` (the default) or `date` (newest first).
    pub sort: Option<String>,
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
    /// The ranking score (relevance nudged by recency, votes, acceptance and expertise).
    pub score: f32,
    /// Publication or creation time (RFC 3339); absent for people.
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// How the matching documents divide by type and by tag (over all matches, not one page).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Facets {
    pub types: Vec<FacetCount>,
    pub tags: Vec<FacetCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    pub total: usize,
    pub took_ms: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestions {
    pub suggestions: Vec<Suggestion>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What has been typed so far; its last word is taken as a prefix.
    pub q: Option<String>,
}

/// How many tags the tag facet lists.
const TAG_FACETS: u32 = 12;
const SUGGESTIONS: usize = 8;

/// The ranking formula: BM25 (titles ×3, answers ×0.5) multiplied by
///
/// - votes: `1 + 0.1·ln(1 + score)` for a positive score (likes for posts), and
///   `1 / (1 + 0.1·ln(1 − score))` for a negative one;
/// - acceptance: ×1.2 for a question with an accepted answer and for an accepted answer;
/// - expertise: ×1.15 when the author declared expertise in one of the document's tags;
/// - recency: `0.7 + 0.3·2^(−age/365 days)`, so a year-old text keeps 85 % and an old one 70 %;
///   people have no date and no recency factor.
///
/// The nudges are small on purpose: a much better text match still wins.
pub fn boost(votes: i64, accepted: bool, expert: bool, age_days: Option<f64>) -> f32 {
    let votes = if votes >= 0 {
        1.0 + 0.1 * (1.0 + votes as f64).ln()
    } else {
        1.0 / (1.0 + 0.1 * (1.0 - votes as f64).ln())
    };
    let accepted = if accepted { 1.2 } else { 1.0 };
    let expert = if expert { 1.15 } else { 1.0 };
    let recency = age_days.map_or(1.0, |age| 0.7 + 0.3 * (-age.max(0.0) / 365.0).exp2());
    (votes * accepted * expert * recency) as f32
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

fn parser(idx: &Generation, conjunction: bool) -> QueryParser {
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

fn filtered(idx: &Generation, text: Box<dyn Query>, p: &Parsed) -> Box<dyn Query> {
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

/// What hits are ordered by: (date, BM25) when sorting by date, else (0, ranking score).
type RankKey = (i64, f32);
/// The total, one page of ranked hits, and the facets.
type Matches = (usize, Vec<(RankKey, DocAddress)>, Facets);

/// The collector of one page of ranked hits (by the ranking formula, or newest first).
fn ranked(
    page: usize,
    by_date: bool,
    now: i64,
) -> impl tantivy::collector::Collector<Fruit = Vec<(RankKey, DocAddress)>> {
    TopDocs::with_limit(PAGE_SIZE)
        .and_offset((page - 1) * PAGE_SIZE)
        .tweak_score(move |segment: &SegmentReader| {
            let column = |name: &str| {
                segment
                    .fast_fields()
                    .i64(name)
                    .map(|c| c.first_or_default_col(0))
            };
            let (votes, accepted, expert, date) = (
                column("score"),
                column("accepted"),
                column("expert"),
                column("date"),
            );
            move |doc: DocId, bm25: Score| {
                let get = |c: &tantivy::Result<
                    std::sync::Arc<dyn tantivy::columnar::ColumnValues<i64>>,
                >| { c.as_ref().map(|c| c.get_val(doc)).unwrap_or(0) };
                let date = get(&date);
                if by_date {
                    // Newest first; the relevance breaks ties.
                    return (date, bm25);
                }
                let age = (date > 0).then(|| (now - date) as f64 / 86_400_000.0);
                (
                    0,
                    bm25 * boost(get(&votes), get(&accepted) > 0, get(&expert) > 0, age),
                )
            }
        })
}

fn facet_aggregations() -> Aggregations {
    serde_json::from_value(serde_json::json!({
        "types": { "terms": { "field": "kind", "size": 4 } },
        "tags": { "terms": { "field": "tags", "size": TAG_FACETS } },
    }))
    .expect("the facet aggregations are valid")
}

fn facets_of(results: tantivy::aggregation::agg_result::AggregationResults) -> Facets {
    let json = serde_json::to_value(results).unwrap_or_default();
    let buckets = |name: &str| -> Vec<FacetCount> {
        json[name]["buckets"]
            .as_array()
            .map(|b| {
                b.iter()
                    .filter_map(|b| {
                        Some(FacetCount {
                            value: b["key"].as_str()?.to_owned(),
                            count: b["doc_count"].as_u64()?,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    Facets {
        types: buckets("types"),
        tags: buckets("tags"),
    }
}

pub fn search(idx: &SearchIndex, params: &SearchParams) -> AppResult<SearchResults> {
    let started = Instant::now();
    let idx = &*idx.current();
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
    let by_date = match params.sort.as_deref().unwrap_or("relevance") {
        "relevance" | "" => false,
        "date" => true,
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown sort '{other}'; use relevance or date"
            )));
        }
    };
    let page = params.page.unwrap_or(1).max(1);
    if page > 1000 {
        return Err(AppError::BadRequest("page must be at most 1000".into()));
    }
    if parsed.text.trim().is_empty() && parsed.tag.is_none() && parsed.author.is_none() {
        return Ok(SearchResults {
            total: 0,
            took_ms: 0,
            hits: vec![],
            facets: Facets::default(),
        });
    }
    let searcher = idx.reader.searcher();
    let now = chrono::Utc::now().timestamp_millis();
    let run = |conjunction: bool| -> AppResult<Matches> {
        let text: Box<dyn Query> = if parsed.text.trim().is_empty() {
            Box::new(tantivy::query::AllQuery)
        } else {
            parser(idx, conjunction).parse_query_lenient(&parsed.text).0
        };
        let query = filtered(idx, text, &parsed);
        let collector = (
            ranked(page, by_date, now),
            Count,
            AggregationCollector::from_aggs(facet_aggregations(), Default::default()),
        );
        let (top, total, facets) = searcher
            .search(&query, &collector)
            .map_err(|e| anyhow::anyhow!("search failed: {e}"))?;
        Ok((total, top, facets_of(facets)))
    };
    let (mut total, mut top, mut facets) = run(true)?;
    if total == 0 {
        (total, top, facets) = run(false)?;
    }
    let f = &idx.fields;
    // Highlights come from the plain words (fuzzy queries name no terms to highlight).
    let plain = QueryParser::for_index(&idx.index, vec![f.body])
        .parse_query_lenient(&parsed.text)
        .0;
    let snippets = SnippetGenerator::create(&searcher, &*plain, f.body)
        .map_err(|e| anyhow::anyhow!("snippets: {e}"))?;
    let mut hits = Vec::with_capacity(top.len());
    for ((_, score), address) in top {
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
            html_escape(&short)
        } else {
            snippet.to_html()
        };
        let date = doc
            .get_first(f.date)
            .and_then(|v| v.as_i64())
            .filter(|d| *d > 0)
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(|d| d.to_rfc3339());
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
            date,
        });
    }
    Ok(SearchResults {
        total,
        took_ms: started.elapsed().as_millis() as u64,
        hits,
        facets,
    })
}

/// As-you-type suggestions: titles of posts, questions and people containing the words typed,
/// the last one as a prefix. Only indexed (public) content can be suggested.
pub fn suggest(idx: &SearchIndex, q: &str) -> AppResult<Suggestions> {
    let idx = &*idx.current();
    let f = &idx.fields;
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let Some((last, before)) = words.split_last() else {
        return Ok(Suggestions {
            suggestions: vec![],
        });
    };
    if last.chars().count() < 2 && before.is_empty() {
        return Ok(Suggestions {
            suggestions: vec![],
        });
    }
    let last: String = last.chars().take(40).collect();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(
            RegexQuery::from_pattern(&format!("{last}.*"), f.title)
                .map_err(|e| anyhow::anyhow!("suggestions: {e}"))?,
        ),
    )];
    for word in before {
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.title, word),
                IndexRecordOption::Basic,
            )),
        ));
    }
    // Answers repeat their question's title.
    clauses.push((
        Occur::MustNot,
        Box::new(TermQuery::new(
            Term::from_field_text(f.kind, "answer"),
            IndexRecordOption::Basic,
        )),
    ));
    let searcher = idx.reader.searcher();
    let top = searcher
        .search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(SUGGESTIONS).tweak_score(move |segment: &SegmentReader| {
                let votes = segment
                    .fast_fields()
                    .i64("score")
                    .map(|c| c.first_or_default_col(0));
                move |doc: DocId, _: Score| votes.as_ref().map(|c| c.get_val(doc)).unwrap_or(0)
            }),
        )
        .map_err(|e| anyhow::anyhow!("suggestions: {e}"))?;
    let mut suggestions = Vec::with_capacity(top.len());
    for (_, address) in top {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| anyhow::anyhow!("reading a suggestion: {e}"))?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        suggestions.push(Suggestion {
            kind: text(f.kind),
            id: doc
                .get_first(f.entity_id)
                .and_then(|v| v.as_i64())
                .unwrap_or_default(),
            title: text(f.title),
            url: text(f.url),
        });
    }
    Ok(Suggestions { suggestions })
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
    fn the_ranking_nudges_by_votes_acceptance_expertise_and_recency() {
        let plain = boost(0, false, false, Some(0.0));
        assert!(
            (plain - 1.0).abs() < 1e-6,
            "a new, unvoted text keeps its BM25"
        );
        assert!(boost(10, false, false, Some(0.0)) > boost(1, false, false, Some(0.0)));
        assert!(boost(-5, false, false, Some(0.0)) < plain);
        assert!((boost(0, true, false, Some(0.0)) / plain - 1.2).abs() < 1e-5);
        assert!((boost(0, false, true, Some(0.0)) / plain - 1.15).abs() < 1e-5);
        assert!((boost(0, false, false, Some(365.0)) - 0.85).abs() < 1e-5);
        assert!((boost(0, false, false, Some(36_500.0)) - 0.7).abs() < 1e-3);
        assert!(
            (boost(0, false, false, None) - 1.0).abs() < 1e-6,
            "people do not age"
        );
        // 10 votes: ×1.24; 100 votes ×1.46: votes grow slowly.
        assert!((boost(10, false, false, Some(0.0)) - 1.2398).abs() < 1e-3);
        assert!((boost(100, false, false, Some(0.0)) - 1.4615).abs() < 1e-3);
        // Everything at once, on a year-old text: 1.46 × 1.2 × 1.15 × 0.85.
        assert!((boost(100, true, true, Some(365.0)) - 1.7145).abs() < 1e-3);
    }

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
