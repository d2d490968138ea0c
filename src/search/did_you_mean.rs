//! "Did you mean": when the words of a query do not all match exactly or find little, the query
//! with each word the reader's texts do not hold (or hold in a text or two, while a word one
//! typo away is in ten times as many) replaced by the indexed word one or two typos away that
//! the most of their texts hold (the index's own terms, Dutch and English alike). Every count is
//! of texts the reader may see (`search::boundary`), so neither a suggestion nor its absence
//! says anything about content they cannot read (a closed space's, say).
use std::collections::HashMap;

use tantivy::{
    Searcher, Term,
    collector::Count,
    query::{BooleanQuery, FuzzyTermQuery, Occur, Query, TermQuery},
    schema::IndexRecordOption,
};

use super::{
    boundary::{Only, Visible},
    expand::Expander,
    index::Generation,
    rounds::{Parsed, first_match, plan},
};
use crate::error::AppResult;

/// Words shorter than this are left as typed.
const MIN_CHARS: usize = 4;
/// A word held by at most this many texts may be a typo of a far more common one...
const RARE: u64 = 2;
/// ... held by at least this many times as many texts.
const MORE_COMMON: u64 = 10;
/// Words this long may have two typos.
const TWO_TYPOS_FROM: usize = 8;
/// How many of the index's nearest words (by documents, all spaces) are counted for the reader.
const CANDIDATES: usize = 5;

/// What the reader may see of the index.
pub(super) struct Reader<'a> {
    pub(super) idx: &'a Generation,
    pub(super) searcher: &'a Searcher,
    pub(super) visible: &'a Visible,
}

impl Reader<'_> {
    /// How many texts the reader may see hold `word` in the neutral title or body.
    pub(super) fn frequency(&self, word: &str) -> u64 {
        let f = &self.idx.fields;
        let term = |field| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::Basic,
            ))
        };
        let query = BooleanQuery::new(vec![
            (Occur::Should, term(f.title)),
            (Occur::Should, term(f.body)),
        ]);
        self.searcher
            .search(&query, &Only::new(Count, &self.idx.facets, self.visible))
            .map_or(0, |n| n as u64)
    }

    /// [`Reader::frequency`] counted only up to `limit` (postings read until then).
    fn frequency_up_to(&self, word: &str, limit: usize) -> u64 {
        let f = &self.idx.fields;
        super::boundary::holders_up_to(
            &self.idx.facets,
            self.searcher,
            self.visible,
            &[f.title, f.body],
            word,
            limit,
        ) as u64
    }

    /// The indexed words near `word`, the most documents first (all spaces: the term
    /// dictionary), at most [`CANDIDATES`].
    fn near(&self, word: &str) -> Vec<String> {
        let distance = if word.chars().count() >= TWO_TYPOS_FROM {
            2
        } else {
            1
        };
        let mut found: HashMap<String, u64> = HashMap::new();
        for field in [self.idx.fields.title, self.idx.fields.body] {
            let Ok(automaton) =
                FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true).automaton()
            else {
                return vec![];
            };
            for segment in self.searcher.segment_readers() {
                let Ok(inverted) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                    continue;
                };
                while stream.advance() {
                    if let Ok(term) = std::str::from_utf8(stream.key()) {
                        *found.entry(term.to_owned()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
        let mut near: Vec<(String, u64)> = found.into_iter().filter(|(t, _)| t != word).collect();
        near.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        near.truncate(CANDIDATES);
        near.into_iter().map(|(t, _)| t).collect()
    }

    /// The near word the most of the reader's texts hold, if at least `at_least` do.
    fn nearest(&self, word: &str, at_least: u64) -> Option<String> {
        self.near(word)
            .into_iter()
            .map(|t| (self.frequency(&t), t))
            .filter(|(n, _)| *n >= at_least.max(1))
            .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
            .map(|(_, t)| t)
    }

    /// A Dutch compound with a typo in its last part ("thuiswerkvergoedng"): the longest head
    /// that is a word of the list, and the nearest word to the rest ("thuiswerk" +
    /// "vergoeding").
    fn nearest_compound(&self, word: &str) -> Option<String> {
        let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
        let n = bounds.len();
        (MIN_CHARS..n.saturating_sub(MIN_CHARS - 1))
            .rev()
            .find_map(|cut| {
                let (head, rest) = word.split_at(bounds[cut]);
                if !self.idx.language.is_word(head) || self.frequency_up_to(rest, 1) > 0 {
                    return None;
                }
                self.nearest(rest, 1)
                    .map(|better| format!("{head}{better}"))
            })
    }

    /// A better word for `word`, if it looks like a typo.
    fn better(&self, word: &str) -> Option<String> {
        // Whether no text, a text or two, or more hold it: counting stops there.
        match self.frequency_up_to(word, RARE as usize + 1) {
            0 => self
                .nearest(word, 1)
                .or_else(|| self.nearest_compound(word)),
            // A word a text or two hold (with the same typo, say) when a near one is far
            // more common: "vergadring" in one text, "vergadering" in dozens.
            held if held <= RARE => self.nearest(word, held * MORE_COMMON),
            _ => None,
        }
    }
}

/// The corrected query text, when a word of `text` looks like a typo and a better one is near;
/// `None` otherwise. Quoted phrases, exclusions and filters leave the text as typed.
pub(super) fn correction(reader: &Reader, text: &str) -> Option<String> {
    if text.contains('"') {
        return None;
    }
    let mut changed = false;
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let lower = word.to_lowercase();
        let plain = !word.starts_with('-')
            && lower.chars().all(char::is_alphabetic)
            && lower.chars().count() >= MIN_CHARS;
        match plain.then(|| reader.better(&lower)).flatten() {
            Some(better) => {
                out.push(better);
                changed = true;
            }
            None => out.push(word.to_owned()),
        }
    }
    changed.then(|| out.join(" "))
}

/// The corrected query text to offer, kept only when it finds something within the spaces the
/// reader sees (through the exact rounds).
pub(super) fn offered(
    expander: &Expander,
    searcher: &Searcher,
    parsed: &Parsed,
) -> AppResult<Option<String>> {
    let reader = Reader {
        idx: expander.idx,
        searcher,
        visible: expander.visible,
    };
    let Some(text) = correction(&reader, &parsed.text) else {
        return Ok(None);
    };
    let corrected = Parsed {
        text: text.clone(),
        kind: parsed.kind.clone(),
        tag: parsed.tag.clone(),
        author: parsed.author.clone(),
    };
    let exact = plan(expander, &corrected)
        .into_iter()
        .filter(|a| a.exact)
        .collect();
    let (found, ..) = first_match(expander, searcher, &corrected, exact)?;
    Ok(found.is_some_and(|f| f.0.total > 0).then_some(text))
}
