//! Applies the search outbox to the index, in order, in small batches; each commit stores the
//! last applied row id in the index. A rebuild (`kring reindex`, or a new index at start) writes
//! a new generation from the database and swaps it in atomically.
use std::collections::{HashMap, HashSet};

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};
use tantivy::TantivyDocument;

use super::{
    index::{self, Generation, SearchIndex},
    language::Language,
    loader::{QUESTION_ANSWERS, load_many},
    outbox::Doc,
    scores::Scored,
};
use crate::entities::{answers, posts, questions, search_outbox, users};
use crate::status::PostStatus;

/// Outbox rows applied per commit.
const BATCH: u64 = 500;
/// Documents loaded per round of queries during a rebuild.
const LOAD_BATCH: usize = 1000;

fn parse_doc(kind: &str, id: i64) -> Option<Doc> {
    Some(match kind {
        "post" => Doc::Post(id),
        "question" => Doc::Question(id),
        "answer" => Doc::Answer(id),
        "person" => Doc::Person(id),
        _ => return None,
    })
}

/// How long an id missing from the outbox is waited for. PostgreSQL hands out ids when a row
/// is inserted, so a transaction that took id 10 may commit after the one that took id 11: id
/// 10 is a gap until it shows up (or, rolled back, never does).
const GAP_TTL_SECONDS: i64 = 600;
/// At most this many gaps are remembered (the oldest go first).
const MAX_GAPS: usize = 10_000;

/// How far the outbox has been applied, stored as the index's commit payload: every row up to
/// `last` except the `gaps`, ids not seen yet (with when they were first missed, unix seconds).
/// Written as the bare number while there are no gaps (the format before gaps existed).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    pub last: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<(i64, i64)>,
}

impl Position {
    pub fn parse(payload: Option<&str>) -> Self {
        let Some(payload) = payload else {
            return Self::default();
        };
        match payload.trim().parse::<i64>() {
            Ok(last) => Self { last, gaps: vec![] },
            Err(_) => serde_json::from_str(payload).unwrap_or_default(),
        }
    }

    pub fn payload(&self) -> String {
        if self.gaps.is_empty() {
            self.last.to_string()
        } else {
            serde_json::to_string(self).unwrap_or_else(|_| self.last.to_string())
        }
    }

    /// The position after applying `seen` (row ids, any order): ids between the old `last` and
    /// the highest seen that did not come are gaps from now on; gaps that came are filled; gaps
    /// older than the time-to-live are given up.
    pub fn advance(&self, seen: &[i64], now: i64) -> Self {
        let seen_set: HashSet<i64> = seen.iter().copied().collect();
        let mut gaps: Vec<(i64, i64)> = self
            .gaps
            .iter()
            .filter(|(id, since)| !seen_set.contains(id) && now - since < GAP_TTL_SECONDS)
            .copied()
            .collect();
        let last = seen
            .iter()
            .copied()
            .max()
            .unwrap_or(self.last)
            .max(self.last);
        // A jump of millions of ids (a restored sequence) is not walked id by id.
        for id in (self.last + 1).max(last - 1_000_000)..last {
            if !seen_set.contains(&id) {
                gaps.push((id, now));
            }
        }
        if gaps.len() > MAX_GAPS {
            gaps.drain(..gaps.len() - MAX_GAPS);
        }
        Self { last, gaps }
    }
}

/// Replaces (or removes) these documents and commits with `position` as the new outbox
/// position.
async fn write(
    db: &DatabaseConnection,
    generation: &Generation,
    docs: &[Doc],
    position: &Position,
) -> anyhow::Result<()> {
    let built = load_many(db, &generation.fields, generation.language.as_ref(), docs).await?;
    generation
        .write(|writer| {
            for (doc, document) in built {
                writer.delete_term(generation.key_term(&format!("{}:{}", doc.kind(), doc.id())));
                if let Some(document) = document {
                    writer.add_document(document)?;
                }
            }
            let mut commit = writer.prepare_commit()?;
            commit.set_payload(&position.payload());
            commit.commit()
        })
        .await?;
    generation.committed(position);
    generation.reader.reload()?;
    Ok(())
}

/// Applies the next outbox rows (at most one batch, plus rows that fill gaps); returns how
/// many were applied.
pub async fn apply_pending(db: &DatabaseConnection, idx: &SearchIndex) -> anyhow::Result<usize> {
    let scores = idx.scores();
    if !scores.loaded() {
        // Before the first row is applied: a score changed after this read has a row still
        // to come.
        scores.load(db).await?;
    }
    let generation = idx.current();
    let position = generation.position();
    let mut rows = search_outbox::Entity::find()
        .filter(search_outbox::Column::Id.gt(position.last))
        .order_by_asc(search_outbox::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    if !position.gaps.is_empty() {
        rows.extend(
            search_outbox::Entity::find()
                .filter(search_outbox::Column::Id.is_in(position.gaps.iter().map(|(id, _)| *id)))
                .all(db)
                .await?,
        );
    }
    let now = chrono::Utc::now().timestamp();
    let seen: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let next = position.advance(&seen, now);
    if rows.is_empty() {
        if next != position {
            // Gaps given up: remember that, with nothing to index.
            write(db, &generation, &[], &next).await?;
        }
        return Ok(0);
    }
    // Each document once, and an answer's question with it (its text and ranking use the
    // answer). A vote or a like rewrites no document: the new score goes to the scores beside
    // the index. Only a vote on an answer of a question with more than `QUESTION_ANSWERS`
    // answers rewrites that question (its document carries them all otherwise, in a fixed
    // order, so the vote does not change it).
    let mut seen: HashSet<(&'static str, i64)> = HashSet::new();
    let mut docs = Vec::new();
    let mut answer_ids = HashSet::new();
    let mut rescored: HashMap<Scored, HashSet<i64>> = HashMap::new();
    for row in &rows {
        if let Some(scored) = Scored::from_outbox_kind(&row.kind) {
            rescored.entry(scored).or_default().insert(row.entity_id);
            continue;
        }
        let Some(doc) = parse_doc(&row.kind, row.entity_id) else {
            continue;
        };
        if seen.insert((doc.kind(), doc.id())) {
            docs.push(doc);
        }
        if let Doc::Answer(id) = doc {
            answer_ids.insert(id);
        }
    }
    let voted = rescored.remove(&Scored::Answer).unwrap_or_default();
    if !answer_ids.is_empty() || !voted.is_empty() {
        let found: Vec<(i64, i64, i32, i64)> = answers::Entity::find()
            .select_only()
            .column(answers::Column::Id)
            .column(answers::Column::QuestionId)
            .column(answers::Column::Score)
            .expr(Expr::cust(
                "(SELECT COUNT(*) FROM answers AS sibling \
                 WHERE sibling.question_id = answers.question_id AND sibling.deleted_at IS NULL)",
            ))
            .filter(answers::Column::Id.is_in(answer_ids.iter().chain(&voted).copied()))
            .into_tuple()
            .all(db)
            .await?;
        scores.set(
            Scored::Answer,
            found
                .iter()
                .map(|(id, _, score, _)| (*id, i64::from(*score))),
        );
        for (answer_id, question_id, _, answers) in found {
            let fixed = !answer_ids.contains(&answer_id) && answers <= QUESTION_ANSWERS as i64;
            if !fixed && seen.insert(("question", question_id)) {
                docs.push(Doc::Question(question_id));
            }
        }
    }
    if let Some(ids) = rescored.remove(&Scored::Question) {
        let found: Vec<(i64, i32)> = questions::Entity::find()
            .select_only()
            .column(questions::Column::Id)
            .column(questions::Column::Score)
            .filter(questions::Column::Id.is_in(ids))
            .into_tuple()
            .all(db)
            .await?;
        scores.set(
            Scored::Question,
            found.into_iter().map(|(id, score)| (id, i64::from(score))),
        );
    }
    if let Some(ids) = rescored.remove(&Scored::Post) {
        let ids: Vec<i64> = ids.into_iter().collect();
        let likes = crate::blog::repo::like_counts(db, &ids).await?;
        scores.set(
            Scored::Post,
            ids.iter()
                .map(|id| (*id, likes.get(id).copied().unwrap_or(0))),
        );
    }
    write(db, &generation, &docs, &next).await?;
    Ok(rows.len())
}

/// The outbox position a rebuild starts from, read before the data: the highest id, with the
/// ids missing among the last 100,000 as gaps (a transaction still running when the data is
/// read may commit one of them later).
async fn rebuild_position(db: &DatabaseConnection) -> anyhow::Result<Position> {
    let last: Option<i64> = search_outbox::Entity::find()
        .select_only()
        .column_as(search_outbox::Column::Id.max(), "max")
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let Some(last) = last else {
        return Ok(Position::default());
    };
    let recent: Vec<i64> = search_outbox::Entity::find()
        .select_only()
        .column(search_outbox::Column::Id)
        .filter(search_outbox::Column::Id.gt(last - 100_000))
        .into_tuple()
        .all(db)
        .await?;
    let floor = Position {
        last: (last - 100_000).max(0),
        gaps: vec![],
    };
    Ok(floor.advance(&recent, chrono::Utc::now().timestamp()))
}

/// Ids of everything that belongs in the index.
async fn all_documents(db: &DatabaseConnection) -> anyhow::Result<Vec<Doc>> {
    let mut docs: Vec<Doc> = Vec::new();
    let ids = |rows: Vec<i64>, f: fn(i64) -> Doc| rows.into_iter().map(f).collect::<Vec<_>>();
    docs.extend(ids(
        posts::Entity::find()
            .select_only()
            .column(posts::Column::Id)
            .filter(posts::Column::Status.eq(PostStatus::Published.as_str()))
            .filter(posts::Column::DeletedAt.is_null())
            .order_by_asc(posts::Column::Id)
            .into_tuple()
            .all(db)
            .await?,
        Doc::Post,
    ));
    docs.extend(ids(
        questions::Entity::find()
            .select_only()
            .column(questions::Column::Id)
            .filter(questions::Column::DeletedAt.is_null())
            .order_by_asc(questions::Column::Id)
            .into_tuple()
            .all(db)
            .await?,
        Doc::Question,
    ));
    docs.extend(ids(
        answers::Entity::find()
            .select_only()
            .column(answers::Column::Id)
            .filter(answers::Column::DeletedAt.is_null())
            .order_by_asc(answers::Column::Id)
            .into_tuple()
            .all(db)
            .await?,
        Doc::Answer,
    ));
    docs.extend(ids(
        users::Entity::find()
            .select_only()
            .column(users::Column::Id)
            .filter(users::Column::IsActive.eq(true))
            .order_by_asc(users::Column::Id)
            .into_tuple()
            .all(db)
            .await?,
        Doc::Person,
    ));
    Ok(docs)
}

/// Builds a new generation from the database, beside the live one, and returns its name and
/// the number of documents. `progress(done, total)` is called after every batch. The outbox
/// position is read first, so changes made meanwhile are applied again afterwards (applying
/// is idempotent). The new generation is committed, merged and closed, but not published.
pub async fn build_generation(
    db: &DatabaseConnection,
    root: &std::path::Path,
    language: &Language,
    progress: &(dyn Fn(usize, usize) + Send + Sync),
) -> anyhow::Result<(String, usize)> {
    let position = rebuild_position(db).await?;
    let docs = all_documents(db).await?;
    let total = docs.len();
    let (name, dir, index, fields) = index::create_index(root, language)?;
    let built = async {
        let mut writer = index.writer::<TantivyDocument>(index::REBUILD_HEAP)?;
        let mut done = 0;
        progress(0, total);
        for chunk in docs.chunks(LOAD_BATCH) {
            for (_, document) in load_many(db, &fields, language, chunk).await? {
                if let Some(document) = document {
                    writer.add_document(document)?;
                }
            }
            done += chunk.len();
            progress(done, total);
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&position.payload());
        commit.commit()?;
        writer.wait_merging_threads()?;
        anyhow::Ok(())
    }
    .await;
    if let Err(e) = built {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(e);
    }
    Ok((name, total))
}

/// Rebuilds the index from the database into a new generation and swaps it in for this
/// process (at start, when the index is new or was lost). Returns the number of documents.
pub async fn rebuild(db: &DatabaseConnection, idx: &SearchIndex) -> anyhow::Result<usize> {
    let language = idx.language();
    let (name, total) = build_generation(db, idx.root(), language.as_ref(), &|_, _| {}).await?;
    index::publish(idx.root(), &name)?;
    idx.swap(Generation::open(idx.root(), &name, language)?);
    Ok(total)
}

/// `kring reindex`: rebuilds into a new generation and publishes it; running servers on this
/// data directory pick it up on their next indexer tick and keep answering meanwhile.
pub async fn reindex(
    db: &DatabaseConnection,
    root: &std::path::Path,
    language: &Language,
    progress: &(dyn Fn(usize, usize) + Send + Sync),
) -> anyhow::Result<usize> {
    let (name, total) = build_generation(db, root, language, progress).await?;
    index::publish(root, &name)?;
    Ok(total)
}

/// Applies every pending outbox row now (tests and the job runner use it).
pub async fn drain(db: &DatabaseConnection, idx: &SearchIndex) -> anyhow::Result<usize> {
    let mut total = 0;
    loop {
        let applied = apply_pending(db, idx).await?;
        if applied == 0 {
            return Ok(total);
        }
        total += applied;
    }
}

#[cfg(test)]
mod tests {
    use super::Position;

    #[test]
    fn gaps_are_waited_for_filled_and_given_up() {
        let start = Position::parse(Some("10"));
        assert_eq!(
            start,
            Position {
                last: 10,
                gaps: vec![]
            }
        );
        // 11 and 13 came, 12 (a transaction still running) did not.
        let next = start.advance(&[11, 13], 1_000);
        assert_eq!(
            next,
            Position {
                last: 13,
                gaps: vec![(12, 1_000)]
            }
        );
        assert_eq!(Position::parse(Some(&next.payload())), next);
        // 12 comes later, with 14.
        let filled = next.advance(&[14, 12], 1_001);
        assert_eq!(
            filled,
            Position {
                last: 14,
                gaps: vec![]
            }
        );
        assert_eq!(filled.payload(), "14");
        // A gap that never comes (a rollback) is given up after ten minutes.
        let waiting = Position {
            last: 14,
            gaps: vec![(12, 1_000)],
        };
        assert_eq!(waiting.advance(&[], 1_599).gaps, vec![(12, 1_000)]);
        assert_eq!(waiting.advance(&[], 1_600).gaps, vec![]);
        assert_eq!(Position::parse(None), Position::default());
    }
}
