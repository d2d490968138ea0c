//! Searching: free text (AND by default, OR when nothing matches), "phrases", -exclusion,
//! `tag:x`, `type:question`, `author:name`, typo tolerance; English and Dutch stemming plus a
//! language-neutral field, so a query in either language finds both. Only published, undeleted
//! content is ever indexed, so results, totals and snippets never leak drafts or deleted items;
//! every search keeps to the spaces its reader sees (`search::boundary`).
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::{
    DocAddress, DocId, Score, SegmentReader, TantivyDocument, Term,
    collector::TopDocs,
    query::{BooleanQuery, Occur, Query, QueryParser, RegexQuery, TermQuery},
    schema::{IndexRecordOption, Value},
    snippet::SnippetGenerator,
};
use utoipa::{IntoParams, ToSchema};

pub(super) use super::rounds::tokens;
use super::{
    boundary::{Only, Visible},
    expand::Expander,
    facets::Tally,
    index::{Generation, SearchIndex},
    ranking::{Order, RankKey, page_of},
    rounds::{Parsed, first_match, parse, plan},
    scores::SegmentVotes,
};

pub use super::ranking::boost;
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
    /// The matches: every one counted up to about 10,000 (the most a search can page through),
    /// an estimate beyond (`total_exact` false), as the facets' counts are then.
    pub total: usize,
    /// Whether `total` and the facets count every match (false: estimated from samples).
    pub total_exact: bool,
    pub took_ms: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// Set when the results are not the index's (it is being rebuilt): why, for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// When not every word matched as typed: the query with the words the index does not hold
    /// replaced by the nearest ones it does (and that find something the reader may see).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SearchSuggestion)]
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

/// Below this many results a query "finds little": "did you mean" is looked for.
const FEW: usize = 5;
/// How many tags the tag facet lists.
const TAG_FACETS: u32 = 12;
const SUGGESTIONS: usize = 8;

/// The counts, largest first (ties by name), at most `limit`.
fn top_counts(counts: std::collections::HashMap<String, u64>, limit: usize) -> Vec<FacetCount> {
    let mut all: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    all.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    all.truncate(limit);
    all
}

/// What a search asks for, checked: the parsed query (with the `type` and `tag` parameters
/// taken in), the order, and the page.
struct Request {
    parsed: Parsed,
    by_date: bool,
    /// 1-based, at most 1000.
    page: usize,
}

/// Checks the parameters: a known type, a known sort, a page up to 1000.
fn request(params: &SearchParams) -> AppResult<Request> {
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
    Ok(Request {
        parsed,
        by_date,
        page,
    })
}

/// `n` to three significant digits.
fn about(n: usize) -> usize {
    let mut unit = 1;
    while n / unit >= 1000 {
        unit *= 10;
    }
    (n + unit / 2) / unit * unit
}

/// No results, in `took_ms`.
fn nothing(took_ms: u64) -> SearchResults {
    SearchResults {
        total: 0,
        total_exact: true,
        took_ms,
        hits: vec![],
        facets: Facets::default(),
        notice: None,
        did_you_mean: None,
    }
}

/// One page of results from the index, with the total and the facets of every match, all of
/// them within the `visible` spaces.
pub fn search(
    idx: &SearchIndex,
    params: &SearchParams,
    visible: &Visible,
) -> AppResult<SearchResults> {
    let started = Instant::now();
    let synonyms = idx.synonyms();
    let scores = idx.scores().clone();
    let idx = &*idx.current();
    let Request {
        parsed,
        by_date,
        page,
    } = request(params)?;
    if parsed.text.trim().is_empty() && parsed.tag.is_none() && parsed.author.is_none() {
        return Ok(nothing(0));
    }
    let searcher = idx.reader.searcher();
    let order = Order {
        by_date,
        now: chrono::Utc::now().timestamp_millis(),
        scores,
    };
    let expander = Expander {
        idx,
        synonyms: &synonyms,
        visible,
        translate: true,
    };
    idx.facets.keep_only(&searcher);
    let (found, tried, exact) =
        first_match(&expander, &searcher, &parsed, plan(&expander, &parsed))?;
    let matched = started.elapsed();
    let wants_suggestion = !exact || found.as_ref().is_none_or(|f| f.0.total < FEW);
    let Some((
        Tally {
            total,
            counts: (kinds, tags),
            exact: total_exact,
        },
        round,
    )) = found
    else {
        // Nothing left to look for (only punctuation, say).
        return Ok(nothing(started.elapsed().as_millis() as u64));
    };
    // An estimate is shown to three significant digits ("about 708,000"), not as a count;
    // so are the facets' then.
    let total = if total_exact { total } else { about(total) };
    let mut facets = Facets {
        types: top_counts(kinds, KINDS.len()),
        tags: top_counts(tags, TAG_FACETS as usize),
    };
    if !total_exact {
        for facet in facets.types.iter_mut().chain(facets.tags.iter_mut()) {
            facet.count = about(facet.count as usize) as u64;
        }
    }
    let rank = || -> AppResult<Vec<(RankKey, DocAddress)>> {
        if total == 0 {
            return Ok(vec![]);
        }
        page_of(idx, &searcher, visible, &round, page, &order)
            .map_err(|e| anyhow::anyhow!("search failed: {e}").into())
    };
    // A suggestion (a walk over the term dictionaries, then the corrected query's rounds) and
    // the page are independent: when both are needed they run side by side.
    let (did_you_mean, top) = if wants_suggestion {
        std::thread::scope(|scope| {
            let suggested =
                scope.spawn(|| super::did_you_mean::offered(&expander, &searcher, &parsed));
            let top = rank();
            let suggested = suggested.join().unwrap_or_else(|panic| {
                Err(anyhow::anyhow!("did you mean: {}", super::panic_message(&*panic)).into())
            });
            (suggested, top)
        })
    } else {
        (Ok(None), rank())
    };
    let (did_you_mean, top) = (did_you_mean?, top?);
    let ranked_at = started.elapsed();
    let hits = read_hits(idx, &searcher, &parsed.text, top)?;
    tracing::debug!(
        rounds = tried,
        count_us = matched.as_micros() as u64,
        suggest = wants_suggestion,
        page_us = (ranked_at - matched).as_micros() as u64,
        read_us = (started.elapsed() - ranked_at).as_micros() as u64,
        "search timing"
    );
    Ok(SearchResults {
        total,
        total_exact,
        took_ms: started.elapsed().as_millis() as u64,
        hits,
        facets,
        notice: None,
        did_you_mean,
    })
}

/// The hits of a page as shown: stored fields, and a snippet with the words of `text`
/// highlighted (or the start of the body).
fn read_hits(
    idx: &Generation,
    searcher: &tantivy::Searcher,
    text: &str,
    top: Vec<(RankKey, DocAddress)>,
) -> AppResult<Vec<Hit>> {
    let f = &idx.fields;
    // Highlights come from the plain words (fuzzy queries name no terms to highlight).
    let plain = QueryParser::for_index(&idx.index, vec![f.body])
        .parse_query_lenient(text)
        .0;
    let snippets = SnippetGenerator::create(searcher, &*plain, f.body)
        .map_err(|e| anyhow::anyhow!("snippets: {e}"))?;
    let mut hits = Vec::with_capacity(top.len());
    for ((_, score), address) in top {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| anyhow::anyhow!("reading a hit: {e}"))?;
        hits.push(hit_of(idx, &snippets, &doc, score));
    }
    Ok(hits)
}

/// One hit from its stored document.
fn hit_of(idx: &Generation, snippets: &SnippetGenerator, doc: &TantivyDocument, score: f32) -> Hit {
    let f = &idx.fields;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let snippet = snippets.snippet_from_doc(doc);
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
    Hit {
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
    }
}

/// As-you-type suggestions: titles of posts, questions and people containing the words typed,
/// the last one as a prefix. Only indexed (published) content within the `visible` spaces can
/// be suggested.
pub fn suggest(idx: &SearchIndex, q: &str, visible: &Visible) -> AppResult<Suggestions> {
    let scores = idx.scores().clone();
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
    // The space filter reads the facet arrays: forget those of merged-away segments.
    idx.facets.keep_only(&searcher);
    let facets = idx.facets.by_segment(&searcher);
    let top = searcher
        .search(
            &BooleanQuery::new(clauses),
            &Only::new(
                TopDocs::with_limit(SUGGESTIONS).tweak_score(move |segment: &SegmentReader| {
                    let facets = facets.get(&segment.segment_id()).cloned();
                    let votes = SegmentVotes::new(segment, facets, &scores);
                    move |doc: DocId, _: Score| votes.get(doc)
                }),
                &idx.facets,
                visible,
            ),
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

pub(super) fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_estimate_keeps_three_significant_digits() {
        assert_eq!(about(0), 0);
        assert_eq!(about(987), 987);
        assert_eq!(about(10_049), 10_000);
        assert_eq!(about(10_050), 10_100);
        assert_eq!(about(708_412), 708_000);
        assert_eq!(about(1_234_567), 1_230_000);
    }
}
