//! Questions similar to a title being typed, from the index: every word of the title may match
//! (stemmed in English and in Dutch, or with one typo in a question's title), and the questions
//! matching the most words of it come first, then the best text match. Common words count for
//! nothing. Only questions are considered, within the spaces the reader sees; the caller
//! replaces a duplicate by its original.
use tantivy::{
    DocAddress, Score, TantivyDocument, Term,
    query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery},
    schema::{IndexRecordOption, Value},
};

use super::{
    boundary::{BestVisible, Visible},
    expand::Expander,
    index::SearchIndex,
    query::tokens,
};
use crate::error::AppResult;

/// Words that say nothing about what a question is about, in English and Dutch.
const COMMON: &[&str] = &[
    "a", "an", "the", "and", "or", "to", "of", "in", "on", "at", "is", "it", "do", "does", "i",
    "my", "me", "we", "our", "you", "for", "how", "what", "why", "who", "can", "with", "are",
    "when", "where", "which", "not", "from", "be", "de", "het", "een", "en", "of", "in", "op",
    "te", "van", "voor", "hoe", "wat", "waar", "wie", "kan", "ik", "mijn", "me", "met", "die",
    "dat", "niet", "zijn", "is", "wordt", "welke", "bij", "moet", "er", "je", "aan", "om",
];

/// How many candidates the re-ranking by matched words looks at.
const CANDIDATES: usize = 40;
/// Words of at least this many letters may match with one typo.
const FUZZY_MIN_CHARS: usize = 5;

/// The significant words of a typed title, lower-cased, at most eight.
fn words(title: &str) -> Vec<String> {
    let mut out: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !COMMON.contains(&w.as_str()))
        .collect();
    out.dedup();
    out.truncate(8);
    out
}

/// One typed word, as the index could hold it: its English and Dutch stems, and the word
/// itself with one typo allowed in titles.
struct Word {
    plain: String,
    en: Option<String>,
    nl: Option<String>,
}

impl Word {
    /// The clauses of the word: in either language with what else it may match (its
    /// translations, compound parts and synonyms: `search::expand`), and in a title as typed
    /// or, when no visible text holds it, with one typo. Flat beside the other words' (a
    /// union's score is the sum either way), so a plain word stays a term query and the union
    /// keeps tantivy's pruning.
    fn clauses(&self, ex: &Expander, searcher: &tantivy::Searcher) -> Vec<Box<dyn Query>> {
        let idx = ex.idx;
        let f = &idx.fields;
        let mut any: Vec<Box<dyn Query>> = Vec::new();
        for field in [f.text_en, f.text_nl] {
            any.extend(ex.word(field, &self.plain));
        }
        // A typo is a word no text the reader may see holds: only such a word is looked for
        // with one typo (a union over every near term is what makes this query slow).
        let typo =
            self.plain.chars().count() >= FUZZY_MIN_CHARS && !ex.knows(searcher, &self.plain);
        any.push(if typo {
            Box::new(BoostQuery::new(
                Box::new(FuzzyTermQuery::new(
                    Term::from_field_text(f.title, &self.plain),
                    1,
                    true,
                )),
                2.0,
            ))
        } else {
            Box::new(TermQuery::new(
                Term::from_field_text(f.title, &self.plain),
                IndexRecordOption::WithFreqs,
            ))
        });
        any
    }

    /// Whether a question's title holds this word (by stem, or with one typo).
    fn in_title(&self, en: &[String], nl: &[String], plain: &[String]) -> bool {
        self.en.as_ref().is_some_and(|w| en.contains(w))
            || self.nl.as_ref().is_some_and(|w| nl.contains(w))
            || plain.iter().any(|t| {
                t == &self.plain
                    || (self.plain.chars().count() >= FUZZY_MIN_CHARS
                        && strsim::damerau_levenshtein(t, &self.plain) <= 1)
            })
    }
}

/// The best [`CANDIDATES`] questions the reader may see by BM25 matching any of the `typed`
/// words (the type and the spaces filtered in the collector, with pruning).
fn candidates(
    ex: &Expander,
    typed: &[Word],
    searcher: &tantivy::Searcher,
) -> AppResult<Vec<(Score, DocAddress)>> {
    let idx = ex.idx;
    let any_word: Vec<(Occur, Box<dyn Query>)> = typed
        .iter()
        .flat_map(|w| w.clauses(ex, searcher))
        .map(|q| (Occur::Should, q))
        .collect();
    Ok(searcher
        .search(
            &BooleanQuery::new(any_word),
            &BestVisible::new(CANDIDATES, &idx.facets, ex.visible).of_kind("question"),
        )
        .map_err(|e| anyhow::anyhow!("similar questions: {e}"))?)
}

/// The ids of the questions most similar to `title` within the `visible` spaces, best first, at
/// most `limit`.
pub fn similar(
    idx: &SearchIndex,
    title: &str,
    limit: usize,
    visible: &Visible,
) -> AppResult<Vec<i64>> {
    let synonyms = idx.synonyms();
    let idx = &*idx.current();
    let expander = Expander {
        idx,
        synonyms: &synonyms,
        visible,
        translate: false,
    };
    let f = &idx.fields;
    let typed: Vec<Word> = words(title)
        .into_iter()
        .map(|plain| Word {
            en: tokens(idx, f.text_en, &plain).into_iter().next(),
            nl: tokens(idx, f.text_nl, &plain).into_iter().next(),
            plain,
        })
        .collect();
    if typed.is_empty() {
        return Ok(vec![]);
    }
    let searcher = idx.reader.searcher();
    // The space filter reads the facet arrays: forget those of merged-away segments.
    idx.facets.keep_only(&searcher);
    // The words with the narrow expansion first; the wide one (translations, compound parts)
    // only when that finds fewer than asked for, as search does.
    let mut top = candidates(&expander, &typed, &searcher)?;
    if top.len() < limit {
        top = candidates(
            &Expander {
                translate: true,
                ..expander
            },
            &typed,
            &searcher,
        )?;
    }
    let mut ranked: Vec<(usize, Score, i64)> = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| anyhow::anyhow!("similar questions: {e}"))?;
        let (Some(id), Some(stored_title)) = (
            doc.get_first(f.entity_id).and_then(|v| v.as_i64()),
            doc.get_first(f.title).and_then(|v| v.as_str()),
        ) else {
            continue;
        };
        let en = tokens(idx, f.text_en, stored_title);
        let nl = tokens(idx, f.text_nl, stored_title);
        let plain = tokens(idx, f.title, stored_title);
        let matched = typed
            .iter()
            .filter(|w| w.in_title(&en, &nl, &plain))
            .count();
        ranked.push((matched, score, id));
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
    Ok(ranked
        .into_iter()
        .take(limit)
        .map(|(_, _, id)| id)
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn common_words_count_for_nothing() {
        assert_eq!(
            super::words("Bij wie moet ik me ziekmelden?"),
            vec!["ziekmelden"]
        );
        assert_eq!(
            super::words("How do I reset my VPN password?"),
            vec!["reset", "vpn", "password"]
        );
    }
}
