//! The boundary of spaces in search. Every document carries its space (0: company-wide), and a
//! search keeps to the spaces its reader sees ([`Visible`], made from
//! `Audience::space_ids`, one statement per request): the filter runs inside tantivy's
//! collectors, so hits, totals, facets and suggestions only ever count what the reader may see,
//! and a membership change counts on the very next request without reindexing.
//!
//! The filter is a collector, not a query clause: a `Must` clause on the space would make every
//! query an intersection tantivy cannot prune (it would score every match), while a collector
//! lets the best-hits pass keep block-max WAND ([`BestVisible`]) and costs the counting pass
//! (`facets::FacetCounts`, which filters as it counts) two array reads per match: the space
//! ordinals sit beside the facets' in `facets::Cache`. [`Only`] filters any other collector
//! (pages by date, suggestions, similar questions).
//!
//! The index may lag the database by a moment (content just moved into a closed space), so the
//! hits and suggestions are checked against the database before they are shown
//! ([`readable`]: the Audience condition, one statement).
use std::{cmp::Ordering, collections::BinaryHeap, collections::HashSet, sync::Arc};

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr,
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType},
};
use tantivy::{
    DocAddress, DocId, Score, SegmentOrdinal, SegmentReader,
    collector::{Collector, SegmentCollector},
    query::Weight,
};

use super::facets::{Cache, SegmentFacets};
use crate::{
    entities::{answers, posts, questions},
    spaces::audience::Audience,
};

/// The spaces a search may find documents in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visible {
    /// Every space (admins and the social team).
    All,
    /// Company-wide content (space 0) and these spaces, sorted.
    Spaces(Arc<Vec<u64>>),
}

impl Visible {
    /// From `Audience::space_ids`: `None` is every space.
    pub fn from_space_ids(ids: Option<Vec<i64>>) -> Self {
        match ids {
            None => Self::All,
            Some(ids) => {
                let mut spaces: Vec<u64> = ids.into_iter().map(|id| id as u64).collect();
                spaces.push(0);
                spaces.sort_unstable();
                spaces.dedup();
                Self::Spaces(Arc::new(spaces))
            }
        }
    }

    /// The spaces `audience` sees, read from the database (no statement for everyone).
    pub async fn of<C: ConnectionTrait>(conn: &C, audience: &Audience) -> Result<Self, DbErr> {
        Ok(Self::from_space_ids(audience.space_ids(conn).await?))
    }

    /// Company-wide content only (someone not signed in, or a reader in no space).
    pub fn company_wide() -> Self {
        Self::from_space_ids(Some(vec![]))
    }

    /// The filter of one segment.
    pub(super) fn filter(&self, facets: Arc<SegmentFacets>) -> SegmentFilter {
        let passing = match self {
            Self::All => None,
            Self::Spaces(spaces) => {
                let passing = facets.spaces_passing(|id| spaces.binary_search(&id).is_ok());
                (!passing.iter().all(|p| *p)).then_some(passing)
            }
        };
        SegmentFilter { facets, passing }
    }

    fn for_segment(
        &self,
        cache: &Cache,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFilter> {
        Ok(self.filter(cache.of(segment)?))
    }
}

/// Whether a document the reader may see holds `word` in `field`: the term's postings read
/// until the first visible, live document (at once for a common word; a closed space's word
/// reads its few postings and answers no).
pub(super) fn holds(
    cache: &Cache,
    searcher: &tantivy::Searcher,
    visible: &Visible,
    field: tantivy::schema::Field,
    word: &str,
) -> bool {
    holders_up_to(cache, searcher, visible, &[field], word, 1) > 0
}

/// How many documents the reader may see hold `word` in any of `fields`, counted up to `limit`
/// (each document once): the postings are read only until `limit` visible, live documents are
/// found, so a common word costs as little as a rare one ("is this word held by at most two
/// texts?" without counting the hundreds of thousands that hold "laptop").
pub(super) fn holders_up_to(
    cache: &Cache,
    searcher: &tantivy::Searcher,
    visible: &Visible,
    fields: &[tantivy::schema::Field],
    word: &str,
    limit: usize,
) -> usize {
    use tantivy::{DocSet, TERMINATED};
    let mut found: Vec<(usize, DocId)> = Vec::with_capacity(limit);
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let Ok(filter) = visible.for_segment(cache, segment) else {
            continue;
        };
        if filter.admits_none() {
            continue;
        }
        let alive = segment.alive_bitset();
        for field in fields {
            let term = tantivy::Term::from_field_text(*field, word);
            let Ok(inverted) = segment.inverted_index(*field) else {
                continue;
            };
            let Ok(Some(mut postings)) =
                inverted.read_postings(&term, tantivy::schema::IndexRecordOption::Basic)
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc))
                    && filter.admits(doc)
                    && !found.contains(&(ord, doc))
                {
                    found.push((ord, doc));
                    if found.len() >= limit {
                        return limit;
                    }
                }
                doc = postings.advance();
            }
        }
    }
    found.len()
}

/// Which documents of one segment the reader may see.
pub struct SegmentFilter {
    facets: Arc<SegmentFacets>,
    /// Per space ordinal of the segment; `None` when every document passes.
    passing: Option<Vec<bool>>,
}

impl SegmentFilter {
    #[inline]
    pub(super) fn admits(&self, doc: DocId) -> bool {
        match &self.passing {
            None => true,
            Some(passing) => passing[self.facets.space_of(doc)],
        }
    }

    /// No document of the segment passes.
    pub(super) fn admits_none(&self) -> bool {
        self.passing
            .as_ref()
            .is_some_and(|passing| !passing.iter().any(|p| *p))
    }
}

/// Any collector, fed only the documents the reader may see.
pub struct Only<'a, C> {
    inner: C,
    cache: &'a Cache,
    visible: &'a Visible,
}

impl<'a, C> Only<'a, C> {
    pub fn new(inner: C, cache: &'a Cache, visible: &'a Visible) -> Self {
        Self {
            inner,
            cache,
            visible,
        }
    }
}

pub struct OnlySegment<S> {
    inner: S,
    filter: SegmentFilter,
    buffer: Vec<DocId>,
}

impl<C: Collector> Collector for Only<'_, C> {
    type Fruit = C::Fruit;
    type Child = OnlySegment<C::Child>;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(OnlySegment {
            inner: self.inner.for_segment(segment_ord, segment)?,
            filter: self.visible.for_segment(self.cache, segment)?,
            buffer: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<C::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<C::Fruit> {
        self.inner.merge_fruits(fruits)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<<C::Child as SegmentCollector>::Fruit> {
        if *self.visible == Visible::All {
            // Nothing to filter: the inner collector's own way (a count without iterating,
            // pruning).
            return self.inner.collect_segment(weight, segment_ord, reader);
        }
        let mut child = self.for_segment(segment_ord, reader)?;
        if !child.filter.admits_none() {
            collect_all(&mut child, weight, reader, self.requires_scoring())?;
        }
        Ok(child.harvest())
    }
}

/// What tantivy's default `collect_segment` does: every match, without deleted documents.
pub(super) fn collect_all(
    child: &mut impl SegmentCollector,
    weight: &dyn Weight,
    reader: &SegmentReader,
    scoring: bool,
) -> tantivy::Result<()> {
    let alive = reader.alive_bitset();
    let is_alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
    if scoring {
        weight.for_each(reader, &mut |doc, score| {
            if is_alive(doc) {
                child.collect(doc, score);
            }
        })
    } else {
        weight.for_each_no_score(reader, &mut |docs| match alive {
            None => child.collect_block(docs),
            Some(_) => docs
                .iter()
                .filter(|doc| is_alive(**doc))
                .for_each(|doc| child.collect(*doc, 0.0)),
        })
    }
}

impl<S: SegmentCollector> SegmentCollector for OnlySegment<S> {
    type Fruit = S::Fruit;

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        if self.filter.admits(doc) {
            self.inner.collect(doc, score);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        if self.filter.passing.is_none() {
            return self.inner.collect_block(docs);
        }
        self.buffer.clear();
        self.buffer
            .extend(docs.iter().copied().filter(|doc| self.filter.admits(*doc)));
        self.inner.collect_block(&self.buffer);
    }

    fn harvest(self) -> S::Fruit {
        self.inner.harvest()
    }
}

/// The best `limit` documents by score among those the reader may see, with tantivy's pruning
/// (block-max WAND for a term or an intersection or union of terms): a document the filter
/// refuses just does not raise the threshold.
pub struct BestVisible<'a> {
    limit: usize,
    cache: &'a Cache,
    visible: &'a Visible,
    /// Only documents of this type (`question`, ...), when set.
    kind: Option<&'static str>,
}

impl<'a> BestVisible<'a> {
    pub fn new(limit: usize, cache: &'a Cache, visible: &'a Visible) -> Self {
        Self {
            limit,
            cache,
            visible,
            kind: None,
        }
    }

    /// Keeps to documents of type `kind`, filtered like the spaces (so a union of terms keeps
    /// its pruning, which a `kind:` clause in the query would end).
    pub fn of_kind(mut self, kind: &'static str) -> Self {
        self.kind = Some(kind);
        self
    }
}

/// A candidate: ordered worst first (lower score, then the later document), for a min-heap.
#[derive(Clone, Copy)]
struct Candidate(Score, DocId);

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Candidate {
    /// `Greater` is better: a higher score, or the same score and an earlier document. The heap
    /// holds `Reverse`d candidates, so its top is the worst kept.
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(other.1.cmp(&self.1))
    }
}

pub struct BestSegment {
    filter: SegmentFilter,
    /// The ordinal of the only type kept, when one is (`Some(None)`: no document of the
    /// segment has it).
    kind: Option<Option<u8>>,
    limit: usize,
    segment_ord: SegmentOrdinal,
    best: BinaryHeap<std::cmp::Reverse<Candidate>>,
}

impl BestSegment {
    /// Whether the reader may see `doc` and it is of the type kept.
    #[inline]
    fn admits(&self, doc: DocId) -> bool {
        self.filter.admits(doc)
            && match self.kind {
                None => true,
                Some(ordinal) => ordinal == Some(self.filter.facets.kind_of(doc)),
            }
    }

    /// The score a document must beat to be kept.
    fn threshold(&self) -> Score {
        match self.best.peek() {
            Some(worst) if self.best.len() >= self.limit => worst.0.0,
            _ => Score::MIN,
        }
    }

    fn push(&mut self, doc: DocId, score: Score) {
        let candidate = Candidate(score, doc);
        if self.best.len() < self.limit {
            self.best.push(std::cmp::Reverse(candidate));
        } else if let Some(mut worst) = self.best.peek_mut()
            && candidate > worst.0
        {
            *worst = std::cmp::Reverse(candidate);
        }
    }
}

impl SegmentCollector for BestSegment {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.admits(doc) {
            self.push(doc, score);
        }
    }

    fn harvest(self) -> Self::Fruit {
        let segment_ord = self.segment_ord;
        self.best
            .into_iter()
            .map(|c| (c.0.0, DocAddress::new(segment_ord, c.0.1)))
            .collect()
    }
}

impl Collector for BestVisible<'_> {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = BestSegment;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<BestSegment> {
        let filter = self.visible.for_segment(self.cache, segment)?;
        Ok(BestSegment {
            kind: self.kind.map(|kind| filter.facets.kind_ordinal(kind)),
            filter,
            limit: self.limit,
            segment_ord,
            best: BinaryHeap::with_capacity(self.limit + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    /// Best first (ties: the earlier address), at most `limit`.
    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all: Self::Fruit = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        all.truncate(self.limit);
        Ok(all)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let mut child = self.for_segment(segment_ord, reader)?;
        if self.limit == 0 || child.filter.admits_none() || child.kind == Some(None) {
            return Ok(vec![]);
        }
        let alive = reader.alive_bitset();
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) && child.admits(doc) {
                child.push(doc, score);
            }
            child.threshold()
        })?;
        Ok(child.harvest())
    }
}

/// A document of a hit or suggestion: its type (`post`, `question`, `answer`, `person`) and id.
pub type DocRef = (String, i64);

/// `ids` of one kind that `audience` may read: a select of `(kind, id)`.
fn readable_select(
    kind: &'static str,
    ids: Vec<i64>,
    audience: &Audience,
) -> Option<SelectStatement> {
    if ids.is_empty() {
        return None;
    }
    let mut select = Query::select();
    select.expr_as(Expr::val(kind), Alias::new("kind"));
    match kind {
        "post" => select
            .column((posts::Entity, posts::Column::Id))
            .from(posts::Entity)
            .and_where(posts::Column::Id.is_in(ids))
            .cond_where(audience.condition(posts::Column::SpaceId)),
        "question" => select
            .column((questions::Entity, questions::Column::Id))
            .from(questions::Entity)
            .and_where(questions::Column::Id.is_in(ids))
            .cond_where(audience.condition(questions::Column::SpaceId)),
        _ => select
            .column((answers::Entity, answers::Column::Id))
            .from(answers::Entity)
            .inner_join(
                questions::Entity,
                Expr::col((questions::Entity, questions::Column::Id))
                    .equals((answers::Entity, answers::Column::QuestionId)),
            )
            .and_where(answers::Column::Id.is_in(ids))
            .cond_where(audience.condition(questions::Column::SpaceId)),
    };
    Some(select.to_owned())
}

/// Which of these documents `audience` may read now, by the rows' spaces in the database (one
/// statement; none for everyone or when only people are asked about). People are readable by
/// everyone.
pub async fn readable<C: ConnectionTrait>(
    conn: &C,
    audience: &Audience,
    docs: &[DocRef],
) -> Result<HashSet<DocRef>, DbErr> {
    let mut readable: HashSet<DocRef> = docs
        .iter()
        .filter(|(kind, _)| *audience == Audience::Everyone || kind == "person")
        .cloned()
        .collect();
    if *audience == Audience::Everyone {
        return Ok(readable);
    }
    let ids = |wanted: &str| -> Vec<i64> {
        docs.iter()
            .filter(|(kind, _)| kind == wanted)
            .map(|(_, id)| *id)
            .collect()
    };
    let mut selects = ["post", "question", "answer"]
        .into_iter()
        .filter_map(|kind| readable_select(kind, ids(kind), audience));
    let Some(mut statement) = selects.next() else {
        return Ok(readable);
    };
    for select in selects {
        statement.union(UnionType::All, select);
    }
    for row in crate::db::all(conn, &statement).await? {
        let kind: String = row.try_get_by_index(0)?;
        let id: i64 = row.try_get_by_index(1)?;
        readable.insert((kind, id));
    }
    Ok(readable)
}

/// Keeps the items whose document `audience` may read now (see [`readable`]).
pub async fn keep_readable<C: ConnectionTrait, T>(
    conn: &C,
    audience: &Audience,
    items: &mut Vec<T>,
    doc: impl Fn(&T) -> DocRef,
) -> Result<(), DbErr> {
    if *audience == Audience::Everyone || items.is_empty() {
        return Ok(());
    }
    let docs: Vec<DocRef> = items.iter().map(&doc).collect();
    let readable = readable(conn, audience, &docs).await?;
    items.retain(|item| readable.contains(&doc(item)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_visible_spaces_always_hold_company_wide_content() {
        assert_eq!(Visible::from_space_ids(None), Visible::All);
        assert_eq!(
            Visible::from_space_ids(Some(vec![7, 3, 7])),
            Visible::Spaces(Arc::new(vec![0, 3, 7]))
        );
        assert_eq!(Visible::company_wide(), Visible::Spaces(Arc::new(vec![0])));
    }

    #[test]
    fn candidates_rank_by_score_then_the_earlier_document() {
        assert!(Candidate(2.0, 9) > Candidate(1.0, 1));
        assert!(Candidate(1.0, 1) > Candidate(1.0, 2));
    }
}
