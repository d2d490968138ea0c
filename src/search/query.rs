//! Searching: free text (AND by default, OR when nothing matches), "phrases", -exclusion,
//! `tag:x`, `type:question`, `author:name`, typo tolerance; English and Dutch stemming plus a
//! language-neutral field, so a query in either language finds both. Only content everyone may
//! see is ever indexed, so results, totals and snippets never leak drafts or deleted items.
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::{
    DocAddress, DocId, Score, SegmentReader, TantivyDocument, Term,
    collector::{Count, TopDocs},
    query::{BooleanQuery, Occur, Query, QueryParser, RegexQuery, TermQuery},
    schema::{IndexRecordOption, Value},
    snippet::SnippetGenerator,
};
use utoipa::{IntoParams, ToSchema};

use super::{
    facets::{self, Counts, FacetCounts},
    index::{Generation, SearchIndex},
};
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
    /// Set when the results are not the index's (it is being rebuilt): why, for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
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

/// How many tags the tag facet lists.
const TAG_FACETS: u32 = 12;
const SUGGESTIONS: usize = 8;

/// The ranking formula: BM25 over the document's text field (where the title is indexed three
/// times, so its words weigh more) multiplied by
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

/// One part of the query text: a word or a "quoted phrase", possibly `-`excluded.
#[derive(Debug, PartialEq)]
struct Part {
    text: String,
    phrase: bool,
    excluded: bool,
}

/// The words and phrases of the query text (its filters taken out already).
fn parts(text: &str) -> Vec<Part> {
    let mut out = Vec::new();
    for (i, chunk) in text.split('"').enumerate() {
        if i % 2 == 1 {
            // Inside quotes; `-"a b"` excludes the phrase (the `-` ended the chunk before).
            let excluded = out.last().is_some_and(|p: &Part| p.text == "-");
            if excluded {
                out.pop();
            }
            if !chunk.trim().is_empty() {
                out.push(Part {
                    text: chunk.to_owned(),
                    phrase: true,
                    excluded,
                });
            }
            continue;
        }
        for word in chunk.split_whitespace() {
            let (excluded, word) = match word.strip_prefix('-') {
                Some(rest) if !rest.is_empty() => (true, rest),
                _ => (false, word),
            };
            out.push(Part {
                text: word.to_owned(),
                phrase: false,
                excluded,
            });
        }
    }
    out.retain(|p| p.text != "-");
    out
}

/// The tokens `field`'s analyser makes of `text`.
pub(super) fn tokens(idx: &Generation, field: tantivy::schema::Field, text: &str) -> Vec<String> {
    let Ok(mut analyzer) = idx.index.tokenizer_for_field(field) else {
        return vec![];
    };
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// A term query that reads frequencies (for BM25), not positions.
pub(super) fn term(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// The query for a part's analysed `words` in one language's text field: a term, or a phrase
/// when there are several: a two-word phrase is one term of the pairs field, a longer one
/// needs each of its pairs and then the words in order. `None` when no word is left
/// (punctuation only, say).
fn words_query(
    idx: &Generation,
    field: tantivy::schema::Field,
    words: &[String],
) -> Option<Box<dyn Query>> {
    let f = &idx.fields;
    let pairs_field = if field == f.text_nl {
        f.pairs_nl
    } else {
        f.pairs_en
    };
    match words {
        [] => None,
        [word] => Some(term(field, word)),
        [first, second] => Some(term(pairs_field, &super::index::pair(first, second))),
        _ => {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
                .windows(2)
                .map(|w| {
                    (
                        Occur::Must,
                        term(pairs_field, &super::index::pair(&w[0], &w[1])),
                    )
                })
                .collect();
            clauses.push((
                Occur::Must,
                Box::new(tantivy::query::PhraseQuery::new(
                    words
                        .iter()
                        .map(|w| Term::from_field_text(field, w))
                        .collect(),
                )),
            ));
            Some(Box::new(BooleanQuery::new(clauses)))
        }
    }
}

/// [`words_query`] for one part of the query text.
fn part_query(
    idx: &Generation,
    field: tantivy::schema::Field,
    part: &Part,
) -> Option<Box<dyn Query>> {
    words_query(idx, field, &tokens(idx, field, &part.text))
}

/// The `key:value` filters as clauses every hit must satisfy.
fn filter_clauses(idx: &Generation, p: &Parsed) -> Vec<(Occur, Box<dyn Query>)> {
    let f = &idx.fields;
    let term = |field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
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
    clauses
}

/// `clauses` as one query, left flat: a lone term stays a `TermQuery` and an intersection or
/// union of terms stays one `BooleanQuery`, so tantivy can skip whole blocks that cannot
/// reach the top (block-max WAND) instead of scoring every match.
fn combine(mut clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if clauses.len() == 1 && clauses[0].0 != Occur::MustNot {
        return clauses.pop().expect("one clause").1;
    }
    Box::new(BooleanQuery::new(clauses))
}

/// One attempt at the query: a query per language text field, or one query over both. The
/// queries of a round never match the same document (every document has the text field of
/// its own language only), so their counts add up.
type Round = Vec<Box<dyn Query>>;

/// The exact round (`all`: every word and phrase must match) or the fallback (`!all`: any of
/// them), per language: the words analysed as each language field analyses its text, so a
/// query in either language finds both. `None` when no word is left to look for.
fn text_round(idx: &Generation, parsed: &Parsed, all: bool) -> Option<Round> {
    let parts = parts(&parsed.text);
    let f = &idx.fields;
    let mut round = Round::new();
    for field in [f.text_en, f.text_nl] {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for part in &parts {
            let occur = match (part.excluded, all) {
                (true, _) => Occur::MustNot,
                (false, true) => Occur::Must,
                (false, false) => Occur::Should,
            };
            let words = tokens(idx, field, &part.text);
            if !part.phrase && !part.excluded && words.len() > 1 {
                // A word the analyser splits ("keep-alive", "e-mail") counts as its words, as
                // Elasticsearch's match query does; quote it to ask for them side by side.
                clauses.extend(words.iter().map(|word| (occur, term(field, word))));
            } else if let Some(query) = words_query(idx, field, &words) {
                clauses.push((occur, query));
            }
        }
        if !clauses.iter().any(|(occur, _)| *occur != Occur::MustNot) {
            return None;
        }
        clauses.extend(filter_clauses(idx, parsed));
        round.push(combine(clauses));
    }
    Some(round)
}

/// Words this long or longer tolerate one typo (in the second round, when nothing matched).
const FUZZY_MIN_CHARS: usize = 5;

/// Every word again, longer ones with one typo allowed (edit distance 1, a transposition
/// counting as one) in the neutral title (×3) and body; `None` when no word is long enough.
fn fuzzy(idx: &Generation, parsed: &Parsed) -> Option<Round> {
    let f = &idx.fields;
    let parts = parts(&parsed.text);
    let words: Vec<&Part> = parts.iter().filter(|p| !p.excluded).collect();
    if !words.iter().any(|p| {
        !p.phrase && p.text.chars().filter(|c| c.is_alphanumeric()).count() >= FUZZY_MIN_CHARS
    }) {
        return None;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for part in words {
        let word: String = part
            .text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        if part.phrase || word.chars().count() < FUZZY_MIN_CHARS {
            // Exactly, in either language.
            let exact: Vec<(Occur, Box<dyn Query>)> = [f.text_en, f.text_nl]
                .into_iter()
                .filter_map(|field| part_query(idx, field, part))
                .map(|q| (Occur::Should, q))
                .collect();
            if !exact.is_empty() {
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(exact))));
            }
            continue;
        }
        let fuzzy = |field| -> Box<dyn Query> {
            Box::new(tantivy::query::FuzzyTermQuery::new(
                Term::from_field_text(field, &word),
                1,
                true,
            ))
        };
        let title: Box<dyn Query> = Box::new(tantivy::query::BoostQuery::new(fuzzy(f.title), 3.0));
        clauses.push((
            Occur::Must,
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, title),
                (Occur::Should, fuzzy(f.body)),
            ])),
        ));
    }
    for part in parts.iter().filter(|p| p.excluded) {
        for field in [f.text_en, f.text_nl] {
            if let Some(q) = part_query(idx, field, part) {
                clauses.push((Occur::MustNot, q));
            }
        }
    }
    clauses.extend(filter_clauses(idx, parsed));
    Some(vec![Box::new(BooleanQuery::new(clauses))])
}

/// What hits are ordered by: (date, BM25) when sorting by date, else (0, ranking score).
type RankKey = (i64, f32);

/// The collector of the best `limit` hits (by the ranking formula, or newest first).
fn ranked(
    limit: usize,
    by_date: bool,
    now: i64,
) -> impl tantivy::collector::Collector<Fruit = Vec<(RankKey, DocAddress)>> {
    TopDocs::with_limit(limit).tweak_score(move |segment: &SegmentReader| {
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

/// A fast-field column of one segment.
type I64Column = std::sync::Arc<dyn tantivy::columnar::ColumnValues<i64>>;

/// How many of the best BM25 matches the ranking formula re-orders. Pages within them are
/// found with tantivy's pruning (block-max WAND) instead of scoring every match.
const RERANK: usize = 200;

/// Orders hits best first (ties by address, so pages are stable).
fn best_first(hits: &mut [(RankKey, DocAddress)]) {
    hits.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.1.cmp(&b.1))
    });
}

/// One page of hits: the best `RERANK` by BM25 of each query of the round re-ranked by the
/// formula, or, deeper or by date, every match ordered by the formula or the date.
fn page_of(
    searcher: &tantivy::Searcher,
    round: &Round,
    page: usize,
    by_date: bool,
    now: i64,
) -> tantivy::Result<Vec<(RankKey, DocAddress)>> {
    let end = page * PAGE_SIZE;
    let mut ranked_hits: Vec<(RankKey, DocAddress)> = Vec::new();
    if by_date || end > RERANK {
        for query in round {
            ranked_hits.extend(searcher.search(&**query, &ranked(end, by_date, now))?);
        }
    } else {
        let mut columns: std::collections::HashMap<u32, [Option<I64Column>; 4]> =
            std::collections::HashMap::new();
        for query in round {
            let best = searcher.search(&**query, &TopDocs::with_limit(RERANK).order_by_score())?;
            for (bm25, address) in best {
                let cols = columns.entry(address.segment_ord).or_insert_with(|| {
                    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                    ["score", "accepted", "expert", "date"]
                        .map(|name| fast.i64(name).ok().map(|c| c.first_or_default_col(0)))
                });
                let get = |i: usize| {
                    cols[i]
                        .as_ref()
                        .map(|c| c.get_val(address.doc_id))
                        .unwrap_or(0)
                };
                let date = get(3);
                let age = (date > 0).then(|| (now - date) as f64 / 86_400_000.0);
                ranked_hits.push((
                    (0, bm25 * boost(get(0), get(1) > 0, get(2) > 0, age)),
                    address,
                ));
            }
        }
    }
    best_first(&mut ranked_hits);
    Ok(ranked_hits
        .into_iter()
        .skip(end - PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect())
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
            notice: None,
        });
    }
    let searcher = idx.reader.searcher();
    let now = chrono::Utc::now().timestamp_millis();
    // Every word exactly; then longer words with a typo allowed; then any word.
    let mut rounds: Vec<Round> = Vec::new();
    if parsed.text.trim().is_empty() {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(tantivy::query::AllQuery))];
        clauses.extend(filter_clauses(idx, &parsed));
        rounds.push(vec![Box::new(BooleanQuery::new(clauses))]);
    } else {
        rounds.extend(text_round(idx, &parsed, true));
        rounds.extend(fuzzy(idx, &parsed));
        rounds.extend(text_round(idx, &parsed, false));
    }
    idx.facets.keep_only(&searcher);
    let mut found: Option<(usize, Round, Counts)> = None;
    let mut tried = 0;
    for round in rounds {
        tried += 1;
        let mut total = 0;
        let mut counts = Counts::default();
        for query in &round {
            let (n, more) = searcher
                .search(&**query, &(Count, FacetCounts(&idx.facets)))
                .map_err(|e| anyhow::anyhow!("search failed: {e}"))?;
            total += n;
            facets::add(&mut counts, more);
        }
        found = Some((total, round, counts));
        if total > 0 {
            break;
        }
    }
    let counted = started.elapsed();
    let Some((total, round, (kinds, tags))) = found else {
        // Nothing left to look for (only punctuation, say).
        return Ok(SearchResults {
            total: 0,
            took_ms: started.elapsed().as_millis() as u64,
            hits: vec![],
            facets: Facets::default(),
            notice: None,
        });
    };
    let facets = Facets {
        types: top_counts(kinds, KINDS.len()),
        tags: top_counts(tags, TAG_FACETS as usize),
    };
    let top = if total == 0 {
        vec![]
    } else {
        page_of(&searcher, &round, page, by_date, now)
            .map_err(|e| anyhow::anyhow!("search failed: {e}"))?
    };
    let ranked_at = started.elapsed();
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
    tracing::debug!(
        rounds = tried,
        count_us = counted.as_micros() as u64,
        page_us = (ranked_at - counted).as_micros() as u64,
        read_us = (started.elapsed() - ranked_at).as_micros() as u64,
        "search timing"
    );
    Ok(SearchResults {
        total,
        took_ms: started.elapsed().as_millis() as u64,
        hits,
        facets,
        notice: None,
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
    fn words_phrases_and_exclusions_are_told_apart() {
        let part = |text: &str, phrase, excluded| Part {
            text: text.to_owned(),
            phrase,
            excluded,
        };
        assert_eq!(
            parts(r#"vpn "split tunnel" -mac -"old client" - c++"#),
            vec![
                part("vpn", false, false),
                part("split tunnel", true, false),
                part("mac", false, true),
                part("old client", true, true),
                part("c++", false, false),
            ]
        );
        assert_eq!(
            parts(r#""unclosed phrase"#),
            vec![part("unclosed phrase", true, false)]
        );
        assert_eq!(parts(r#""" - "  ""#), vec![]);
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
