//! The order of hits: the ranking formula ([`boost`]) over BM25, the collectors that apply it,
//! and one page of hits, re-ranked from the best BM25 matches or ordered by date.
use std::sync::Arc;

use tantivy::{DocAddress, DocId, Score, SegmentReader, collector::TopDocs};

use super::{
    boundary::{BestVisible, Only, Visible},
    facets::BySegment,
    index::Generation,
    query::PAGE_SIZE,
    rounds::Round,
    scores::{Scores, SegmentVotes},
};

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

/// What hits are ordered by: (date, BM25) when sorting by date, else (tier, ranking score).
pub(super) type RankKey = (i64, f32);

/// The rank of a match by relevance from its BM25 score and its `[votes, accepted, expert,
/// date]` columns: its tier first (in the wide round, a document with the typed words,
/// `tiers::tier`), then the ranking formula, whose nudges order a tier but never lift a
/// document above it.
fn rank_key(bm25: f32, [votes, accepted, expert, date]: [i64; 4], now: i64) -> RankKey {
    let (tier, bm25) = super::tiers::tier(bm25);
    let age = (date > 0).then(|| (now - date) as f64 / 86_400_000.0);
    (tier, bm25 * boost(votes, accepted > 0, expert > 0, age))
}

/// How a page is ordered: newest first or by the ranking formula (its recency as of `now`,
/// unix milliseconds), with the current scores of posts, questions and answers.
pub(super) struct Order {
    pub by_date: bool,
    pub now: i64,
    pub scores: Arc<Scores>,
}

/// The collector of the best `limit` hits (by the ranking formula, or newest first).
fn ranked(
    limit: usize,
    order: &Order,
    facets: Arc<BySegment>,
) -> impl tantivy::collector::Collector<Fruit = Vec<(RankKey, DocAddress)>> {
    let (by_date, now, scores) = (order.by_date, order.now, order.scores.clone());
    TopDocs::with_limit(limit).tweak_score(move |segment: &SegmentReader| {
        let column = |name: &str| {
            segment
                .fast_fields()
                .i64(name)
                .map(|c| c.first_or_default_col(0))
        };
        let votes = (!by_date).then(|| {
            SegmentVotes::new(segment, facets.get(&segment.segment_id()).cloned(), &scores)
        });
        let (accepted, expert, date) = (column("accepted"), column("expert"), column("date"));
        move |doc: DocId, bm25: Score| {
            let get =
                |c: &tantivy::Result<I64Column>| c.as_ref().map(|c| c.get_val(doc)).unwrap_or(0);
            let date = get(&date);
            if by_date {
                // Newest first; the relevance breaks ties.
                return (date, bm25);
            }
            rank_key(
                bm25,
                [
                    votes.as_ref().map_or(0, |v| v.get(doc)),
                    get(&accepted),
                    get(&expert),
                    date,
                ],
                now,
            )
        }
    })
}

/// A fast-field column of one segment.
type I64Column = Arc<dyn tantivy::columnar::ColumnValues<i64>>;

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
pub(super) fn page_of(
    idx: &Generation,
    searcher: &tantivy::Searcher,
    visible: &Visible,
    round: &Round,
    page: usize,
    order: &Order,
) -> tantivy::Result<Vec<(RankKey, DocAddress)>> {
    let Order {
        by_date,
        now,
        ref scores,
    } = *order;
    let end = page * PAGE_SIZE;
    let mut ranked_hits: Vec<(RankKey, DocAddress)> = Vec::new();
    if by_date || end > RERANK {
        let facets = idx.facets.by_segment(searcher);
        for query in round {
            let collector = Only::new(ranked(end, order, facets.clone()), &idx.facets, visible);
            ranked_hits.extend(searcher.search(&**query, &collector)?);
        }
    } else {
        let mut columns: std::collections::HashMap<u32, (SegmentVotes, [Option<I64Column>; 3])> =
            std::collections::HashMap::new();
        for query in round {
            let best =
                searcher.search(&**query, &BestVisible::new(RERANK, &idx.facets, visible))?;
            for (bm25, address) in best {
                let (votes, cols) = columns.entry(address.segment_ord).or_insert_with(|| {
                    let segment = searcher.segment_reader(address.segment_ord);
                    let fast = segment.fast_fields();
                    (
                        SegmentVotes::new(segment, idx.facets.of(segment).ok(), scores),
                        ["accepted", "expert", "date"]
                            .map(|name| fast.i64(name).ok().map(|c| c.first_or_default_col(0))),
                    )
                });
                let get = |i: usize| {
                    cols[i]
                        .as_ref()
                        .map(|c| c.get_val(address.doc_id))
                        .unwrap_or(0)
                };
                ranked_hits.push((
                    rank_key(
                        bm25,
                        [votes.get(address.doc_id), get(0), get(1), get(2)],
                        now,
                    ),
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
}
