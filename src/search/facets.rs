//! Facet counts (matches per type and per tag) over every match of a query, not one page.
//!
//! Reading tantivy's `kind` and `tags` fast-field columns for each match costs about 30 ns
//! (column index, bit-unpacking, dictionary ordinals), which made facets a third of a search
//! over hundreds of thousands of matches. So each segment's ordinals are read once into plain
//! arrays ([`SegmentFacets`]: a byte per document for the type, a compact list for the tags)
//! and kept per segment (segments never change; a merge makes a new one), and counting a
//! match is then two array reads. The same arrays hold each document's space, which the
//! reader's space filter (`search::boundary`) reads per match.
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
};

use super::boundary::{SegmentFilter, Visible};
use tantivy::{
    DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED,
    collector::{Collector, SegmentCollector},
    columnar::StrColumn,
    index::SegmentId,
};

/// The type, tags and space of every document of one segment, as ordinals.
pub struct SegmentFacets {
    /// The ordinal of each document's type (`NO_KIND` when it has none).
    kinds: Vec<u8>,
    kind_names: Vec<String>,
    /// Document `d`'s tags are `tags[tag_starts[d]..tag_starts[d + 1]]`.
    tag_starts: Vec<u32>,
    tags: Vec<u32>,
    tag_names: Vec<String>,
    /// The ordinal of each document's space in `space_ids`.
    spaces: Vec<u32>,
    /// The spaces of this segment's documents (0: company-wide), by ordinal.
    space_ids: Vec<u64>,
    /// The documents' entity ids, opened once (opening the column reads its block metadata:
    /// per query and segment that was 2 % of a search).
    entity_ids: Option<Arc<dyn tantivy::columnar::ColumnValues<i64>>>,
}

const NO_KIND: u8 = u8::MAX;

fn names(column: Option<&StrColumn>) -> tantivy::Result<Vec<String>> {
    let Some(column) = column else {
        return Ok(vec![]);
    };
    let mut out = Vec::with_capacity(column.num_terms());
    let mut name = String::new();
    for ord in 0..column.num_terms() as u64 {
        name.clear();
        column.ord_to_str(ord, &mut name)?;
        out.push(name.clone());
    }
    Ok(out)
}

impl SegmentFacets {
    /// Reads the ordinals of every document of `segment`.
    fn read(segment: &SegmentReader) -> tantivy::Result<Self> {
        let kind = segment.fast_fields().str("kind")?;
        let tags = segment.fast_fields().str("tags")?;
        let space = segment.fast_fields().u64("space")?;
        let kind_names = names(kind.as_ref())?;
        if kind_names.len() >= NO_KIND as usize {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "{} document types; facets count at most {}",
                kind_names.len(),
                NO_KIND
            )));
        }
        let max_doc = segment.max_doc();
        let mut kinds = vec![NO_KIND; max_doc as usize];
        let mut tag_starts = Vec::with_capacity(max_doc as usize + 1);
        let mut tag_ords = Vec::new();
        let mut spaces = Vec::with_capacity(max_doc as usize);
        let mut space_ords: HashMap<u64, u32> = HashMap::new();
        let mut space_ids = Vec::new();
        for doc in 0..max_doc {
            let id = space.first(doc).unwrap_or(0);
            spaces.push(*space_ords.entry(id).or_insert_with(|| {
                space_ids.push(id);
                space_ids.len() as u32 - 1
            }));
            if let Some(kind) = &kind
                && let Some(ord) = kind.term_ords(doc).next()
            {
                kinds[doc as usize] = ord as u8;
            }
            tag_starts.push(tag_ords.len() as u32);
            if let Some(tags) = &tags {
                tag_ords.extend(tags.term_ords(doc).map(|o| o as u32));
            }
        }
        tag_starts.push(tag_ords.len() as u32);
        Ok(Self {
            kinds,
            kind_names,
            tag_starts,
            tags: tag_ords,
            tag_names: names(tags.as_ref())?,
            spaces,
            space_ids,
            entity_ids: segment
                .fast_fields()
                .i64("entity_id")
                .ok()
                .map(|c| c.first_or_default_col(0)),
        })
    }

    /// The column of the documents' entity ids.
    pub fn entity_ids(&self) -> Option<&Arc<dyn tantivy::columnar::ColumnValues<i64>>> {
        self.entity_ids.as_ref()
    }

    /// Whether each of this segment's spaces passes `keep`, by ordinal.
    pub fn spaces_passing(&self, keep: impl Fn(u64) -> bool) -> Vec<bool> {
        self.space_ids.iter().map(|id| keep(*id)).collect()
    }

    /// The ordinal of document `doc`'s space.
    #[inline]
    pub fn space_of(&self, doc: DocId) -> usize {
        self.spaces[doc as usize] as usize
    }

    /// The ordinal of type `kind` in this segment, if any document has it.
    pub fn kind_ordinal(&self, kind: &str) -> Option<u8> {
        self.kind_names
            .iter()
            .position(|name| name == kind)
            .map(|i| i as u8)
    }

    /// The ordinal of document `doc`'s type.
    #[inline]
    pub fn kind_of(&self, doc: DocId) -> u8 {
        self.kinds[doc as usize]
    }
}

/// The facet arrays of some segments, by segment.
pub type BySegment = HashMap<SegmentId, Arc<SegmentFacets>>;

/// The facet arrays of the segments a generation has served, by segment.
#[derive(Default)]
pub struct Cache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl Cache {
    /// Forgets the segments `searcher` no longer has (merged away).
    pub fn keep_only(&self, searcher: &Searcher) {
        let live: HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        let mut segments = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        if segments.keys().any(|id| !live.contains(id)) {
            segments.retain(|id, _| live.contains(id));
        }
    }

    /// The arrays of every segment of `searcher` (a segment that cannot be read is left out),
    /// for a collector that cannot borrow the cache.
    pub fn by_segment(&self, searcher: &Searcher) -> Arc<BySegment> {
        Arc::new(
            searcher
                .segment_readers()
                .iter()
                .filter_map(|segment| Some((segment.segment_id(), self.of(segment).ok()?)))
                .collect(),
        )
    }

    pub fn of(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(found) = self
            .segments
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
        {
            return Ok(found.clone());
        }
        // Read outside the lock; two queries racing on a new segment both read it once.
        let read = Arc::new(SegmentFacets::read(segment)?);
        self.segments
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, read.clone());
        Ok(read)
    }
}

/// Matches per type name and per tag name.
pub type Counts = (HashMap<String, u64>, HashMap<String, u64>);

/// Adds the counts of `more` (another segment, or another query of the same round) to `into`.
pub fn add(into: &mut Counts, more: Counts) {
    for (kind, n) in more.0 {
        *into.0.entry(kind).or_default() += n;
    }
    for (tag, n) in more.1 {
        *into.1.entry(tag).or_default() += n;
    }
}

/// Matches walked one by one before the rest of a large result is estimated, over the whole
/// index (each segment its share): as many as the pages a search can show (1,000 of 10).
pub const EXACT_UP_TO: usize = 10_000;
/// The fewest matches walked in a segment before estimating its rest.
const SEGMENT_MIN: usize = 500;
/// The windows sampled in the rest of a segment with more matches than its share.
const WINDOWS: u32 = 16;

/// How many matches a round has, in all and per type and tag, and whether every one was
/// counted (`exact`) or the count is an estimate (more than [`EXACT_UP_TO`]).
#[derive(Debug)]
pub struct Tally {
    pub total: usize,
    pub counts: Counts,
    pub exact: bool,
}

impl Default for Tally {
    /// No matches, counted exactly.
    fn default() -> Self {
        Self {
            total: 0,
            counts: Counts::default(),
            exact: true,
        }
    }
}

impl Tally {
    /// Adds `more` (another segment, or another query of the same round).
    pub fn add(&mut self, more: Tally) {
        self.total += more.total;
        add(&mut self.counts, more.counts);
        self.exact &= more.exact;
    }
}

/// Counts the matches the reader may see (within the `visible` spaces), in all and per type
/// and tag, without scoring: the space check and the counts read the same per-segment arrays.
/// Up to about [`EXACT_UP_TO`] matches every one is counted; beyond, a segment's first share
/// of them is counted and its rest estimated from evenly spaced samples, so a word in most
/// documents costs a fixed walk instead of one over all of them (as a search engine says
/// "about 700,000 results").
pub struct FacetCounts<'a> {
    cache: &'a Cache,
    visible: &'a Visible,
    /// The documents of the whole index, which the segments share [`EXACT_UP_TO`] by.
    index_docs: u32,
}

impl<'a> FacetCounts<'a> {
    pub fn new(cache: &'a Cache, visible: &'a Visible, searcher: &Searcher) -> Self {
        let index_docs = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::max_doc)
            .sum();
        Self {
            cache,
            visible,
            index_docs,
        }
    }

    /// The matches of a segment of `max_doc` documents walked before its rest is estimated.
    fn budget(&self, max_doc: u32) -> usize {
        let share = EXACT_UP_TO as u64 * u64::from(max_doc) / u64::from(self.index_docs.max(1));
        (share as usize).max(SEGMENT_MIN)
    }
}

pub struct SegmentCounts {
    facets: Arc<SegmentFacets>,
    filter: SegmentFilter,
    kinds: Vec<u64>,
    tags: Vec<u64>,
    /// What the estimated windows add beyond what they counted, per type and tag.
    extra_kinds: Vec<f64>,
    extra_tags: Vec<f64>,
    exact: bool,
}

impl Collector for FacetCounts<'_> {
    /// The number of matches, and the matches per type and tag.
    type Fruit = Tally;
    type Child = SegmentCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let facets = self.cache.of(segment)?;
        Ok(SegmentCounts {
            kinds: vec![0; facets.kind_names.len() + 1],
            tags: vec![0; facets.tag_names.len()],
            extra_kinds: vec![],
            extra_tags: vec![],
            exact: true,
            filter: self.visible.filter(facets.clone()),
            facets,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut merged = Tally::default();
        for fruit in fruits {
            merged.add(fruit);
        }
        Ok(merged)
    }

    /// A segment with nothing the reader may see is skipped.
    fn collect_segment(
        &self,
        weight: &dyn tantivy::query::Weight,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Tally> {
        let mut child = self.for_segment(segment_ord, reader)?;
        if !child.filter.admits_none() {
            child.exact = walk(&mut child, weight, reader, self.budget(reader.max_doc()))?;
        }
        Ok(child.harvest())
    }
}

/// Counts the matches of `weight` in `reader` into `child`: every one when there are at most
/// `budget`; else the first `budget`, and in each of [`WINDOWS`] evenly spaced windows over
/// the rest of the segment up to `budget / WINDOWS` more, a window's count scaled by the share
/// of the window its matches covered. Returns whether every match was counted.
fn walk(
    child: &mut SegmentCounts,
    weight: &dyn tantivy::query::Weight,
    reader: &SegmentReader,
    budget: usize,
) -> tantivy::Result<bool> {
    let alive = reader.alive_bitset();
    let mut scorer = weight.scorer(reader, 1.0)?;
    let doc = child.count_until(&mut *scorer, alive, TERMINATED, budget);
    if doc == TERMINATED {
        return Ok(true);
    }
    let (from, to) = (doc, reader.max_doc());
    let width = (to - from).div_ceil(WINDOWS);
    let per_window = (budget / WINDOWS as usize).max(1);
    child.extra_kinds = vec![0.0; child.kinds.len()];
    child.extra_tags = vec![0.0; child.tags.len()];
    for window in 0..WINDOWS {
        let start = from + window * width;
        if start >= to {
            break;
        }
        let end = (start + width).min(to);
        let before = (child.kinds.clone(), child.tags.clone());
        if scorer.doc() < start {
            scorer.seek(start);
        }
        let doc = child.count_until(&mut *scorer, alive, end, per_window);
        if doc < end {
            // Stopped early: what was counted stands for the whole window.
            let covered = (doc - start).max(1);
            child.scale_since(&before, f64::from(end - start) / f64::from(covered));
        }
    }
    Ok(false)
}

impl SegmentCounts {
    #[inline]
    fn count(&mut self, doc: DocId) {
        if !self.filter.admits(doc) {
            return;
        }
        let f = &*self.facets;
        let kind = f.kinds[doc as usize];
        // `NO_KIND` lands in the extra last slot, which is never named.
        self.kinds[(kind as usize).min(f.kind_names.len())] += 1;
        let (start, end) = (
            f.tag_starts[doc as usize] as usize,
            f.tag_starts[doc as usize + 1] as usize,
        );
        for &ord in &f.tags[start..end] {
            self.tags[ord as usize] += 1;
        }
    }

    /// Counts the live matches of `scorer` from its current one until `end`, at most `limit`;
    /// returns the first match not counted.
    fn count_until(
        &mut self,
        scorer: &mut dyn tantivy::query::Scorer,
        alive: Option<&tantivy::fastfield::AliveBitSet>,
        end: DocId,
        limit: usize,
    ) -> DocId {
        let mut doc = scorer.doc();
        let mut walked = 0;
        while doc < end && walked < limit {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                self.count(doc);
            }
            walked += 1;
            doc = scorer.advance();
        }
        doc
    }

    /// Adds `scale - 1` times what was counted since `before` to the estimate.
    fn scale_since(&mut self, before: &(Vec<u64>, Vec<u64>), scale: f64) {
        let grow = |extra: &mut [f64], now: &[u64], then: &[u64]| {
            for ((e, n), t) in extra.iter_mut().zip(now).zip(then) {
                *e += (n - t) as f64 * (scale - 1.0);
            }
        };
        grow(&mut self.extra_kinds, &self.kinds, &before.0);
        grow(&mut self.extra_tags, &self.tags, &before.1);
    }
}

impl SegmentCollector for SegmentCounts {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.count(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.count(doc);
        }
    }

    fn harvest(self) -> Tally {
        let estimated = |counts: &[u64], extra: &[f64]| -> Vec<u64> {
            counts
                .iter()
                .enumerate()
                .map(|(i, n)| *n + extra.get(i).map_or(0, |e| e.round() as u64))
                .collect()
        };
        let kinds = estimated(&self.kinds, &self.extra_kinds);
        let tags = estimated(&self.tags, &self.extra_tags);
        let named = |counts: &[u64], names: &[String]| -> HashMap<String, u64> {
            counts
                .iter()
                .zip(names)
                .filter(|(n, _)| **n > 0)
                .map(|(n, name)| (name.clone(), *n))
                .collect()
        };
        // Every match has one type (or none: the last slot), so the types add up to the total.
        Tally {
            total: kinds.iter().sum::<u64>() as usize,
            counts: (
                named(&kinds, &self.facets.kind_names),
                named(&tags, &self.facets.tag_names),
            ),
            exact: self.exact,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::schema;
    use tantivy::{Index, TantivyDocument, Term, query::TermQuery, schema::IndexRecordOption};

    const DOCS: u32 = 30_000;

    /// An index of `DOCS` documents holding the words `has` says, type post for every third,
    /// tag "a" for every second, space `i % 4`.
    fn index(has: impl Fn(u32) -> Vec<&'static str>) -> (Index, tantivy::schema::Field) {
        let (schema, f) = schema();
        let index = Index::create_in_ram(schema);
        crate::search::analysis::register_analyzers(&index);
        let mut writer = index.writer_with_num_threads(1, 50_000_000).unwrap();
        for i in 0..DOCS {
            let mut doc = TantivyDocument::new();
            doc.add_text(f.body, has(i).join(" "));
            doc.add_text(
                f.kind,
                if i.is_multiple_of(3) {
                    "post"
                } else {
                    "question"
                },
            );
            if i % 2 == 0 {
                doc.add_text(f.tags, "a");
            }
            doc.add_u64(f.space, u64::from(i % 4));
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, f.body)
    }

    fn tally(index: &Index, field: tantivy::schema::Field, word: &str, visible: &Visible) -> Tally {
        let searcher = index.reader().unwrap().searcher();
        let cache = Cache::default();
        let query = TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::Basic);
        searcher
            .search(&query, &FacetCounts::new(&cache, visible, &searcher))
            .unwrap()
    }

    /// The true counts of `word` (all, posts, tagged "a") among the documents `keep` keeps.
    fn truth(
        has: impl Fn(u32) -> Vec<&'static str>,
        word: &str,
        keep: impl Fn(u32) -> bool,
    ) -> (usize, usize, usize) {
        let matching: Vec<u32> = (0..DOCS)
            .filter(|i| has(*i).contains(&word) && keep(*i))
            .collect();
        let posts = matching.iter().filter(|i| *i % 3 == 0).count();
        let tagged = matching.iter().filter(|i| *i % 2 == 0).count();
        (matching.len(), posts, tagged)
    }

    fn close(estimate: u64, truth: usize, tolerance: f64) -> bool {
        (estimate as f64 - truth as f64).abs() <= truth as f64 * tolerance
    }

    fn check(
        has: fn(u32) -> Vec<&'static str>,
        word: &str,
        visible: &Visible,
        keep: fn(u32) -> bool,
        tolerance: f64,
    ) {
        let (index, body) = index(has);
        let got = tally(&index, body, word, visible);
        let (total, posts, tagged) = truth(has, word, keep);
        let posts_got = got.counts.0.get("post").copied().unwrap_or(0);
        let tagged_got = got.counts.1.get("a").copied().unwrap_or(0);
        assert!(!got.exact, "{word}: {total} matches are estimated");
        assert!(
            close(got.total as u64, total, tolerance),
            "{word}: {} for {total}",
            got.total
        );
        assert!(
            close(posts_got, posts, tolerance),
            "{word}: {posts_got} posts for {posts}"
        );
        assert!(
            close(tagged_got, tagged, tolerance),
            "{word}: {tagged_got} tagged for {tagged}"
        );
    }

    fn words(i: u32) -> Vec<&'static str> {
        let mut out = vec![];
        if i % 10 < 7 {
            out.push("common");
        }
        if i.is_multiple_of(97) {
            out.push("rare");
        }
        // Clustered: only in the first and the last quarter of the documents.
        if !(DOCS / 4..DOCS * 3 / 4).contains(&i) {
            out.push("clustered");
        }
        out
    }

    #[test]
    fn up_to_the_budget_every_match_is_counted() {
        let (index, body) = index(words);
        let got = tally(&index, body, "rare", &Visible::All);
        let (total, posts, tagged) = truth(words, "rare", |_| true);
        assert!(got.exact);
        assert_eq!(got.total, total);
        assert_eq!(
            got.counts.0.get("post").copied().unwrap_or(0) as usize,
            posts
        );
        assert_eq!(got.counts.1.get("a").copied().unwrap_or(0) as usize, tagged);
    }

    #[test]
    fn beyond_the_budget_the_rest_is_estimated_from_samples() {
        check(words, "common", &Visible::All, |_| true, 0.03);
        check(words, "clustered", &Visible::All, |_| true, 0.05);
        // Only what the reader may see: company-wide (space 0) and space 1.
        let member = Visible::from_space_ids(Some(vec![1]));
        check(words, "common", &member, |i| i % 4 < 2, 0.03);
    }
}
