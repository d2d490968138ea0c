//! The queries a search tries, in rounds: the query text parsed into its filters, words,
//! "phrases" and -exclusions, and the tantivy queries made of them (every word exactly, then
//! longer words with a typo allowed, then any word), in English and Dutch.
use tantivy::{
    Term,
    query::{BooleanQuery, Occur, Query, TermQuery},
    schema::IndexRecordOption,
};

use super::{
    expand::{Expander, LONGEST_RUN},
    facets::{FacetCounts, Tally},
    index::Generation,
    tiers,
};
use crate::error::AppResult;

/// The words of the query and its `key:value` filters.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Parsed {
    pub(super) text: String,
    pub(super) kind: Option<String>,
    pub(super) tag: Option<String>,
    pub(super) author: Option<String>,
}

/// Takes the `type:`, `tag:` and `author:` filters out of the query text.
pub(super) fn parse(q: &str) -> Parsed {
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
pub(super) type Round = Vec<Box<dyn Query>>;

/// The exact round (`missing` 0: every word and phrase must match) or a fallback (all but
/// `missing` of them, at least one), per language: the words analysed as each language field
/// analyses its text, so a query in either language finds both, each word with what else it
/// may match (`search::expand`). `None` when no word is left to look for.
pub(super) fn text_round(ex: &Expander, parsed: &Parsed, missing: usize) -> Option<Round> {
    let all = missing == 0;
    let idx = ex.idx;
    let parts = parts(&parsed.text);
    let f = &idx.fields;
    let mut round = Round::new();
    for field in [f.text_en, f.text_nl] {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Where the last run's clause is, and its words (fallback rounds only).
        let mut last_run = None;
        let plain = |p: &Part| !p.phrase && !p.excluded;
        let mut i = 0;
        while i < parts.len() {
            let part = &parts[i];
            let occur = match (part.excluded, all) {
                (true, _) => Occur::MustNot,
                (false, true) => Occur::Must,
                (false, false) => Occur::Should,
            };
            if !plain(part) {
                if let Some(query) = part_query(idx, field, part) {
                    clauses.push((occur, query));
                }
                i += 1;
                continue;
            }
            // The longest run of plain words from here that is a phrase of the dictionary or
            // a synonym, else the word alone.
            let words: Vec<&str> = parts[i..]
                .iter()
                .take(LONGEST_RUN)
                .take_while(|p| plain(p))
                .map(|p| p.text.as_str())
                .collect();
            let run = ex.longest_run(field, &words, LONGEST_RUN);
            if let Some((len, query)) = run {
                if !all {
                    last_run = Some((clauses.len(), i, len));
                }
                clauses.push((occur, query));
                i += len;
                continue;
            }
            if let Some(query) = ex.word(field, &part.text) {
                clauses.push((occur, query));
            }
            i += 1;
        }
        let wanted = clauses.iter().filter(|(o, _)| *o != Occur::MustNot).count();
        if wanted == 0 {
            return None;
        }
        if wanted == 1 {
            if let Some((at, start, len)) = last_run {
                // A fallback of a query that is one run (a phrase the dictionary or the
                // synonyms know) is met by any of its words, the best of the run and its words
                // scoring: else it would have no fallback ("draadloze muis" found nothing when
                // the text says "wireless mice", not "wireless mouse").
                let (occur, run) = clauses.swap_remove(at);
                let mut options = vec![run];
                for word in &parts[start..start + len] {
                    options.extend(ex.word(field, &word.text));
                }
                clauses.push((
                    occur,
                    Box::new(tantivy::query::DisjunctionMaxQuery::new(options)),
                ));
            }
            // One word or run to match: required, else a filter clause (`type:`) beside it
            // would make it optional and every text of the type would match, once per field.
            require_all(&mut clauses);
        }
        // How many of the optional clauses a fallback round needs (`None`: all are required).
        let mut at_least = (!all && wanted > 1).then(|| wanted.saturating_sub(missing).max(1));
        if let Some(required) = at_least {
            // A word no text holds in this field, whatever it expands to, cannot be one of
            // those met: without it the same documents match with the same scores, and when
            // the rest are all required the query is a plain AND (or one word's query) whose
            // best hits tantivy finds without scoring every match ("laptop kahellix").
            clauses.retain(|(o, q)| *o != Occur::Should || matches_any(idx, &**q));
            let live = clauses.iter().filter(|(o, _)| *o == Occur::Should).count();
            if live < required {
                continue;
            }
            if live == required {
                require_all(&mut clauses);
                at_least = None;
            }
        }
        clauses.extend(filter_clauses(idx, parsed));
        round.push(match at_least {
            None => combine(clauses),
            Some(n) => Box::new(BooleanQuery::with_minimum_required_clauses(clauses, n)),
        });
    }
    (!round.is_empty()).then_some(round)
}

/// Makes every optional clause required.
fn require_all(clauses: &mut [(Occur, Box<dyn Query>)]) {
    for clause in clauses.iter_mut().filter(|(o, _)| *o == Occur::Should) {
        clause.0 = Occur::Must;
    }
}

/// Whether any document of `idx` (visible or not: leaving out a query that matches none
/// changes no result) matches `query`; a scorer's first document, not a count.
fn matches_any(idx: &Generation, query: &dyn Query) -> bool {
    let searcher = idx.reader.searcher();
    let Ok(weight) = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        &searcher,
    )) else {
        return true;
    };
    searcher.segment_readers().iter().any(|reader| {
        weight
            .scorer(reader, 1.0)
            .map_or(true, |scorer| scorer.doc() != tantivy::TERMINATED)
    })
}

/// How many words and phrases the query text looks for (not the excluded ones).
pub(super) fn wanted(parsed: &Parsed) -> usize {
    parts(&parsed.text).iter().filter(|p| !p.excluded).count()
}

/// Words this long or longer tolerate one typo (in the second round, when nothing matched).
const FUZZY_MIN_CHARS: usize = 5;

/// Every word again, the longer ones the index does not hold with one typo allowed (edit
/// distance 1, a transposition counting as one) in the neutral title (×3) and body; `None`
/// when no word is such a typo.
fn fuzzy(ex: &Expander, parsed: &Parsed) -> Option<Round> {
    let idx = ex.idx;
    let f = &idx.fields;
    let parts = parts(&parsed.text);
    let words: Vec<&Part> = parts.iter().filter(|p| !p.excluded).collect();
    let plain = |part: &Part| -> String {
        part.text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase()
    };
    // A typo is a word no text the reader may see holds: a known word is matched as typed.
    let searcher = idx.reader.searcher();
    let known = |word: &str| ex.knows(&searcher, word);
    let typo = |part: &Part| {
        let word = plain(part);
        !part.phrase && word.chars().count() >= FUZZY_MIN_CHARS && !known(&word)
    };
    if !words.iter().any(|p| typo(p)) {
        return None;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for part in words {
        let word = plain(part);
        if !typo(part) {
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

/// Which round an attempt is (built only when it is reached: most searches stop at the first).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Step {
    /// No text: everything the filters let through.
    Filters,
    /// Every word, with the narrow expansion.
    Own,
    /// Every word, with the wide expansion too.
    Wide,
    /// Every word, the ones no visible text holds with a typo allowed.
    Typo,
    /// All words but this many (at least one), with the narrow expansion.
    AllButOwn(usize),
    /// All words but this many (at least one), wide expansion included.
    AllBut(usize),
    /// Every word, then all but one below: tried when [`Step::Wide`] finds fewer than
    /// [`tiers::FILL_BELOW`] (see [`tiers::partial`]).
    Partial,
}

/// One round to try, and how many matches it needs to be the answer (else the next round is
/// tried).
pub(super) struct Attempt {
    pub(super) step: Step,
    pub(super) enough: usize,
    /// Every typed word matched as typed or through its expansion (not with a typo, not any
    /// one word): no "did you mean" is offered.
    pub(super) exact: bool,
}

/// Below this many matches of every word in its own language (as typed, as a compound typed
/// apart and through synonyms), the words' translations, their appearances as parts of
/// compounds and typed compounds' parts are tried too. Above it, the typed words find enough
/// that a translation-only match would rank below the first pages anyway (translations weigh
/// less, `search::expand`), and leaving them out keeps common words cheap: "vergadering"
/// would otherwise also count every English text with "meeting".
pub(super) const TRANSLATE_BELOW: usize = 50;

/// The rounds to try in turn until one matches enough: every word exactly (as typed, as a
/// compound typed apart and through synonyms); if that finds fewer than [`TRANSLATE_BELOW`],
/// with the wider expansions too (`Expander::translate`); then longer words with a typo
/// allowed; then all words but one, but two, ... down to any one word (wider expansions
/// included), so documents with more of the words come first. Filters alone make one round
/// of everything they let through.
pub(super) fn plan(ex: &Expander, parsed: &Parsed) -> Vec<Attempt> {
    let attempt = |step, enough, exact| Attempt {
        step,
        enough,
        exact,
    };
    if parsed.text.trim().is_empty() {
        return vec![attempt(Step::Filters, 1, true)];
    }
    let mut attempts = Vec::new();
    if tiers::narrows(ex) {
        attempts.push(attempt(Step::Own, TRANSLATE_BELOW, true));
    }
    attempts.push(attempt(Step::Wide, 1, true));
    attempts.push(attempt(Step::Typo, 1, false));
    for missing in 1..wanted(parsed) {
        // As for every word: the wider expansions only when the narrow one finds little (a
        // word's translations and compound parts make it a nested query tantivy must score
        // at every match: "laptop" with a word no text holds).
        if tiers::narrows(ex) {
            attempts.push(attempt(Step::AllButOwn(missing), TRANSLATE_BELOW, false));
        }
        attempts.push(attempt(Step::AllBut(missing), 1, false));
    }
    attempts
}

/// The queries of one step of the [`plan`]; `None` when it has nothing to look for.
pub(super) fn round(ex: &Expander, parsed: &Parsed, step: Step) -> Option<Round> {
    let with = |translate| Expander { translate, ..*ex };
    match step {
        Step::Filters => {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Must, Box::new(tantivy::query::AllQuery))];
            clauses.extend(filter_clauses(ex.idx, parsed));
            Some(vec![Box::new(BooleanQuery::new(clauses))])
        }
        Step::Own => text_round(&with(false), parsed, 0),
        Step::Wide => tiers::wide(ex, parsed),
        Step::Typo => fuzzy(ex, parsed),
        Step::AllButOwn(missing) => text_round(&with(false), parsed, missing),
        Step::AllBut(missing) => text_round(&with(true), parsed, missing),
        Step::Partial => tiers::partial(ex, parsed),
    }
}

/// A round counted (its matches in all and per type and tag), and the round.
pub(super) type Counted = (Tally, Round);

/// Counts the matches of each attempt's round in turn (built when reached), with their
/// facets, until one matches enough. Returns the first that does (or the last tried; `None`
/// without rounds), how many rounds were tried, and whether the one returned is exact (see
/// [`Attempt`]).
pub(super) fn first_match(
    ex: &Expander,
    searcher: &tantivy::Searcher,
    parsed: &Parsed,
    attempts: Vec<Attempt>,
) -> AppResult<(Option<Counted>, usize, bool)> {
    let idx = ex.idx;
    let mut found: Option<Counted> = None;
    let mut tried = 0;
    let mut exact = true;
    let count = |round: Round| -> AppResult<Counted> {
        let mut tally = Tally::default();
        for query in &round {
            let more = searcher
                .search(
                    &**query,
                    &FacetCounts::new(&idx.facets, ex.visible, searcher),
                )
                .map_err(|e| anyhow::anyhow!("search failed: {e}"))?;
            tally.add(more);
        }
        Ok((tally, round))
    };
    for attempt in attempts {
        let Some(round) = round(ex, parsed, attempt.step) else {
            continue;
        };
        tried += 1;
        let started = std::time::Instant::now();
        let counted = count(round)?;
        let total = counted.0.total;
        tracing::debug!(
            step = ?attempt.step,
            total,
            exact = counted.0.exact,
            us = started.elapsed().as_micros() as u64,
            "search round"
        );
        found = Some(counted);
        exact = attempt.exact;
        if total >= attempt.enough {
            if attempt.step == Step::Wide
                && total < tiers::FILL_BELOW
                && let Some(round) = self::round(ex, parsed, Step::Partial)
                && let Some(found) = found.as_mut()
            {
                // Few documents hold every word: the ones holding all but one fill the page
                // below them. The count and facets stay those of every word (counting the
                // near misses would cost a pass over every document with any of the words).
                tried += 1;
                found.1 = round;
            }
            break;
        }
    }
    Ok((found, tried, exact))
}

#[cfg(test)]
mod tests {
    use super::*;

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
