//! "Did you mean": when the words of a query do not all match exactly, the query with each
//! word the index does not hold replaced by the most frequent indexed word one or two typos
//! away (the index's own terms, Dutch and English alike). A correction is offered only when
//! it finds something the reader may see, so it never reveals a word of content they cannot
//! read (a closed space's, say).
use std::collections::HashMap;

use tantivy::{Searcher, Term, query::FuzzyTermQuery};

use super::index::Generation;

/// Words shorter than this are left as typed.
const MIN_CHARS: usize = 4;
/// Words this long may have two typos.
const TWO_TYPOS_FROM: usize = 8;

/// How many documents hold `word` in the neutral title or body.
fn frequency(idx: &Generation, searcher: &Searcher, word: &str) -> u64 {
    [idx.fields.title, idx.fields.body]
        .into_iter()
        .map(|field| {
            searcher
                .doc_freq(&Term::from_field_text(field, word))
                .unwrap_or(0)
        })
        .sum()
}

/// The most frequent indexed word near `word` (ties: alphabetical), if any.
fn nearest(idx: &Generation, searcher: &Searcher, word: &str) -> Option<String> {
    let distance = if word.chars().count() >= TWO_TYPOS_FROM {
        2
    } else {
        1
    };
    let mut found: HashMap<String, u64> = HashMap::new();
    for field in [idx.fields.title, idx.fields.body] {
        let automaton = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true)
            .automaton()
            .ok()?;
        for segment in searcher.segment_readers() {
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
    found
        .into_iter()
        .filter(|(term, _)| term != word)
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(term, _)| term)
}

/// A Dutch compound with a typo in its last part ("thuiswerkvergoedng"): the longest head that
/// is a word of the list, and the nearest indexed word to the rest ("thuiswerk" +
/// "vergoeding").
fn nearest_compound(idx: &Generation, searcher: &Searcher, word: &str) -> Option<String> {
    let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
    let n = bounds.len();
    (MIN_CHARS..n.saturating_sub(MIN_CHARS - 1))
        .rev()
        .find_map(|cut| {
            let (head, rest) = word.split_at(bounds[cut]);
            if !idx.language.is_word(head) || frequency(idx, searcher, rest) > 0 {
                return None;
            }
            nearest(idx, searcher, rest).map(|better| format!("{head}{better}"))
        })
}

/// The corrected query text, when a word of `text` is not in the index and one close to it
/// is; `None` otherwise. Quoted phrases, exclusions and filters leave the text as typed.
pub(super) fn correction(idx: &Generation, searcher: &Searcher, text: &str) -> Option<String> {
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
        if plain
            && frequency(idx, searcher, &lower) == 0
            && let Some(better) =
                nearest(idx, searcher, &lower).or_else(|| nearest_compound(idx, searcher, &lower))
        {
            out.push(better);
            changed = true;
        } else {
            out.push(word.to_owned());
        }
    }
    changed.then(|| out.join(" "))
}
