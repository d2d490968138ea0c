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
    DocId, Score, Searcher, SegmentOrdinal, SegmentReader,
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
        })
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

/// Counts the matches the reader may see (within the `visible` spaces), in all and per type
/// and tag, without scoring: the space check and the counts read the same per-segment arrays.
pub struct FacetCounts<'a> {
    cache: &'a Cache,
    visible: &'a Visible,
}

impl<'a> FacetCounts<'a> {
    pub fn new(cache: &'a Cache, visible: &'a Visible) -> Self {
        Self { cache, visible }
    }
}

pub struct SegmentCounts {
    facets: Arc<SegmentFacets>,
    filter: SegmentFilter,
    kinds: Vec<u64>,
    tags: Vec<u64>,
}

impl Collector for FacetCounts<'_> {
    /// The number of matches, and the matches per type and tag.
    type Fruit = (usize, Counts);
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
            filter: self.visible.filter(facets.clone()),
            facets,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(usize, Counts)>) -> tantivy::Result<(usize, Counts)> {
        let mut merged = (0, Counts::default());
        for (total, counts) in fruits {
            merged.0 += total;
            add(&mut merged.1, counts);
        }
        Ok(merged)
    }

    /// A segment with nothing the reader may see is skipped.
    fn collect_segment(
        &self,
        weight: &dyn tantivy::query::Weight,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<(usize, Counts)> {
        let mut child = self.for_segment(segment_ord, reader)?;
        if !child.filter.admits_none() {
            super::boundary::collect_all(&mut child, weight, reader, false)?;
        }
        Ok(child.harvest())
    }
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
}

impl SegmentCollector for SegmentCounts {
    type Fruit = (usize, Counts);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.count(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.count(doc);
        }
    }

    fn harvest(self) -> (usize, Counts) {
        let named = |counts: &[u64], names: &[String]| -> HashMap<String, u64> {
            counts
                .iter()
                .zip(names)
                .filter(|(n, _)| **n > 0)
                .map(|(n, name)| (name.clone(), *n))
                .collect()
        };
        // Every match has one type (or none: the last slot), so the types add up to the total.
        (
            self.kinds.iter().sum::<u64>() as usize,
            (
                named(&self.kinds, &self.facets.kind_names),
                named(&self.tags, &self.facets.tag_names),
            ),
        )
    }
}
