//! Scores beside the index: the votes of questions and answers and the likes of posts. A vote
//! or a like changes a document's score and nothing else of it, but rewriting the document for
//! it (load, analyse, a new segment, merges) made the index the larger part of a vote's cost on
//! the server. So the ranking reads these scores from here, as Solr reads an external file
//! field: filled from the database when the indexer starts, and kept current by the indexer
//! from the outbox's score rows (`answer_score`, `question_score`, `post_score`: one statement
//! per kind and round, no index write). Until they are loaded, and for people, the ranking
//! reads the `score` column of the document.
use rustc_hash::FxHashMap;
use std::sync::{
    Arc, RwLock,
    atomic::{AtomicBool, Ordering},
};

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr,
};
use tantivy::{DocId, SegmentReader};

use super::{facets::SegmentFacets, outbox::Doc};
use crate::entities::{answers, post_likes, questions};

/// A kind of document with a score kept here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scored {
    /// Likes.
    Post,
    /// Votes.
    Question,
    /// Votes.
    Answer,
}

const ALL: [Scored; 3] = [Scored::Post, Scored::Question, Scored::Answer];

impl Scored {
    /// The document's type in the index.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Post => "post",
            Self::Question => "question",
            Self::Answer => "answer",
        }
    }

    /// The kind of the outbox row saying only this document's score changed.
    pub fn outbox_kind(self) -> &'static str {
        match self {
            Self::Post => "post_score",
            Self::Question => "question_score",
            Self::Answer => "answer_score",
        }
    }

    pub fn from_outbox_kind(kind: &str) -> Option<Self> {
        ALL.into_iter().find(|s| s.outbox_kind() == kind)
    }

    /// The document with a score, and its id (people have none).
    pub fn of(doc: Doc) -> Option<(Self, i64)> {
        match doc {
            Doc::Post(id) => Some((Self::Post, id)),
            Doc::Question(id) => Some((Self::Question, id)),
            Doc::Answer(id) => Some((Self::Answer, id)),
            Doc::Person(_) => None,
        }
    }
}

/// The current scores of posts, questions and answers, once loaded.
#[derive(Default)]
pub struct Scores {
    loaded: AtomicBool,
    /// Scores that are not 0 (or were not 0 when they last changed).
    scores: RwLock<FxHashMap<(Scored, i64), i64>>,
}

impl Scores {
    /// Whether the scores have been read from the database; until then the ranking uses the
    /// documents' own.
    pub fn loaded(&self) -> bool {
        self.loaded.load(Ordering::Acquire)
    }

    /// Reads every score that is not 0 (three statements). A score changed after its read has
    /// an outbox row the indexer applies afterwards, so nothing is lost between the two.
    pub async fn load<C: ConnectionTrait>(&self, db: &C) -> Result<(), DbErr> {
        let mut loaded = FxHashMap::default();
        let answers: Vec<(i64, i32)> = answers::Entity::find()
            .select_only()
            .column(answers::Column::Id)
            .column(answers::Column::Score)
            .filter(answers::Column::Score.ne(0))
            .into_tuple()
            .all(db)
            .await?;
        let questions: Vec<(i64, i32)> = questions::Entity::find()
            .select_only()
            .column(questions::Column::Id)
            .column(questions::Column::Score)
            .filter(questions::Column::Score.ne(0))
            .into_tuple()
            .all(db)
            .await?;
        let likes: Vec<(i64, i64)> = post_likes::Entity::find()
            .select_only()
            .column(post_likes::Column::PostId)
            .expr(Expr::cust("COUNT(*)"))
            .group_by(post_likes::Column::PostId)
            .into_tuple()
            .all(db)
            .await?;
        let votes = |kind: Scored, rows: Vec<(i64, i32)>| {
            rows.into_iter()
                .map(move |(id, score)| ((kind, id), i64::from(score)))
        };
        loaded.extend(votes(Scored::Answer, answers));
        loaded.extend(votes(Scored::Question, questions));
        loaded.extend(likes.into_iter().map(|(id, n)| ((Scored::Post, id), n)));
        *self.scores.write().unwrap_or_else(|e| e.into_inner()) = loaded;
        self.loaded.store(true, Ordering::Release);
        Ok(())
    }

    /// Records scores read now (the indexer, after the outbox named these documents).
    pub fn set(&self, kind: Scored, scores: impl IntoIterator<Item = (i64, i64)>) {
        let mut map = self.scores.write().unwrap_or_else(|e| e.into_inner());
        for (id, score) in scores {
            map.insert((kind, id), score);
        }
    }

    /// The score of a post, question or answer, once loaded.
    pub fn get(&self, kind: Scored, id: i64) -> Option<i64> {
        if !self.loaded() {
            return None;
        }
        let map = self.scores.read().unwrap_or_else(|e| e.into_inner());
        Some(map.get(&(kind, id)).copied().unwrap_or(0))
    }
}

type I64Column = Arc<dyn tantivy::columnar::ColumnValues<i64>>;

/// The columns one segment's documents' scores are read from.
pub struct SegmentVotes {
    score: Option<I64Column>,
    /// While the scores are loaded: the segment's document types (the facet arrays, read once
    /// per segment), which type ordinal is which scored kind, the documents' entity ids, and
    /// the scores.
    kept: Option<Kept>,
}

struct Kept {
    facets: Arc<SegmentFacets>,
    kinds: Vec<(u8, Scored)>,
    ids: I64Column,
    scores: Arc<Scores>,
}

impl SegmentVotes {
    /// `facets` are the segment's facet arrays (`facets::Cache::of`), which name each
    /// document's type without a dictionary lookup.
    pub fn new(
        segment: &SegmentReader,
        facets: Option<Arc<SegmentFacets>>,
        scores: &Arc<Scores>,
    ) -> Self {
        let fast = segment.fast_fields();
        let score = fast.i64("score").ok().map(|c| c.first_or_default_col(0));
        let kept = facets.filter(|_| scores.loaded()).and_then(|facets| {
            let kinds = ALL
                .into_iter()
                .filter_map(|s| Some((facets.kind_ordinal(s.kind())?, s)))
                .collect();
            let ids = facets.entity_ids()?.clone();
            Some(Kept {
                facets,
                kinds,
                ids,
                scores: scores.clone(),
            })
        });
        Self { score, kept }
    }

    /// The score of document `doc`: the one kept here, else its document's.
    pub fn get(&self, doc: DocId) -> i64 {
        if let Some(kept) = &self.kept {
            let ord = kept.facets.kind_of(doc);
            if let Some((_, kind)) = kept.kinds.iter().find(|(o, _)| *o == ord)
                && let Some(score) = kept.scores.get(*kind, kept.ids.get_val(doc))
            {
                return score;
            }
        }
        self.score.as_ref().map_or(0, |c| c.get_val(doc))
    }
}
