//! The tiers of the wide and near-miss rounds: documents holding the typed words in their own
//! language rank above those found only through the wide expansion (translations, compound
//! parts), and those above documents holding all but one word, whatever their BM25 scores.
use tantivy::query::{BooleanQuery, Occur, Query};

use super::{
    expand::Expander,
    rounds::{Parsed, Round, text_round, wanted},
};

/// Added to the score of a document the narrow expansion finds (every word in its own
/// language, as typed, as a compound typed apart or through a synonym), far above any BM25
/// score, so in the wide round those documents stay above the ones found only through a
/// translation or a compound part, whatever the two language fields' word statistics.
const OWN_WORDS_FIRST: f32 = 10_000.0;

/// A score's tier (1 for a document the narrow expansion found in the wide round, else 0) and
/// its BM25 score without the tier's constant.
pub(super) fn tier(score: f32) -> (i64, f32) {
    let tier = (score / OWN_WORDS_FIRST).floor().max(0.0);
    (tier as i64, score - tier * OWN_WORDS_FIRST)
}

/// `query` with each mark's constant added to the score of the documents the mark matches
/// (unchanged without marks, so a flat query stays flat).
fn marked(query: Box<dyn Query>, marks: Vec<(Box<dyn Query>, f32)>) -> Box<dyn Query> {
    if marks.is_empty() {
        return query;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    for (mark, boost) in marks {
        clauses.push((
            Occur::Should,
            Box::new(tantivy::query::ConstScoreQuery::new(mark, boost)),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// `base` with each tier's queries (one per language field, as `base`'s) as marks of their
/// weight; a tier that is `None` is left out.
fn tiered(base: Round, tiers: Vec<(Option<Round>, f32)>) -> Round {
    let mut tiers: Vec<_> = tiers
        .into_iter()
        .filter_map(|(round, weight)| Some((round?.into_iter(), weight)))
        .collect();
    base.into_iter()
        .map(|query| {
            let marks = tiers
                .iter_mut()
                .filter_map(|(queries, weight)| Some((queries.next()?, *weight)))
                .collect();
            marked(query, marks)
        })
        .collect()
}

/// Whether the language data tells a narrow expansion from a wide one (without it both are
/// the typed words and their stems).
pub(super) fn narrows(ex: &Expander) -> bool {
    let language = &ex.idx.language;
    language.translates() || language.splits()
}

/// Every word with the narrow expansion ([`Step::Own`]), when there is a narrow one.
fn narrow(ex: &Expander, parsed: &Parsed) -> Option<Round> {
    if !narrows(ex) {
        return None;
    }
    text_round(
        &Expander {
            translate: false,
            ..*ex
        },
        parsed,
        0,
    )
}

/// The wide round: every word with the wide expansion too, the documents the narrow one
/// (`Step::Own`) finds ranked first. BM25 scores of the two language fields are not
/// comparable (a word rare in the Dutch texts weighs more there), so the translations' lower
/// weight alone cannot keep a document with the typed words first.
pub(super) fn wide(ex: &Expander, parsed: &Parsed) -> Option<Round> {
    let every = text_round(
        &Expander {
            translate: true,
            ..*ex
        },
        parsed,
        0,
    )?;
    Some(tiered(every, vec![(narrow(ex, parsed), OWN_WORDS_FIRST)]))
}

/// Below this many documents with every word, the page is filled with documents holding all
/// but one of them, ranked below ([`Step::Partial`]); the total and the facets count the
/// documents with every word.
pub(super) const FILL_BELOW: usize = 10;

/// Every word or all but one (wide expansion included), in tiers: the documents with every
/// word in their own language first, then those with every word through the wide expansion
/// (as in [`wide`]), then those missing one word. `None` for a query of one word.
pub(super) fn partial(ex: &Expander, parsed: &Parsed) -> Option<Round> {
    if wanted(parsed) < 2 {
        return None;
    }
    let wide = Expander {
        translate: true,
        ..*ex
    };
    let missing_one = text_round(&wide, parsed, 1)?;
    Some(tiered(
        missing_one,
        vec![
            (text_round(&wide, parsed, 0), 2.0 * OWN_WORDS_FIRST),
            (narrow(ex, parsed), OWN_WORDS_FIRST),
        ],
    ))
}
