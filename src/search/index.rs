//! The tantivy index under `<data_dir>/index`: its schema (the fields' analysers are in
//! `search::analysis`: English and Dutch stemming plus a language-neutral field), and the one
//! writer. The position of the last applied outbox row is stored in the index's commit
//! payload, so a restart resumes exactly there.
//!
//! The index lives in a *generation* directory (`index/gen-…`) named by the file
//! `index/CURRENT`. A rebuild (`kring reindex`, or a lost index at start) writes a new
//! generation beside the live one and then replaces `CURRENT` atomically (write + rename); a
//! running server notices the new name on its next indexer tick, opens it, swaps it in for new
//! queries, and deletes the old one once the queries still using it have finished. Queries never
//! see a half-built index.
use std::{
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
};

use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
    schema::{
        FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
        TextOptions,
    },
};
use tokio::sync::Mutex;

pub use super::analysis::{PAIR_JOINER, pair, word_pairs};
use super::{analysis::register_analyzers, language::Language, synonyms::Synonyms};

/// The fields of a document.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// `post:12`: unique per document, for replacing and deleting it.
    pub key: Field,
    /// `post`, `question`, `answer` or `person`.
    pub kind: Field,
    pub entity_id: Field,
    /// Language-neutral (lower-cased words), stored for display and snippets.
    pub title: Field,
    pub body: Field,
    /// What free text is matched and scored against, stemmed in the document's language
    /// (a document has one of the two): its title three times (so a title word weighs more
    /// than a body word), body, the text of a question's accepted and best answers, and its
    /// author's name. One field per language keeps a query word to one posting list per
    /// language, which lets tantivy intersect and prune them block by block.
    pub text_en: Field,
    pub text_nl: Field,
    /// Every two adjacent words of `text_*` as one term (`deploy_pipelin`), so a two-word
    /// phrase is one posting list instead of two intersected and checked position by
    /// position (what Elasticsearch's `index_phrases` does).
    pub pairs_en: Field,
    pub pairs_nl: Field,
    /// The parts of a Dutch document's compounds, stemmed ("bedrijfsrestaurant" → bedrijf,
    /// restaurant; `search::language`): a query word found only as a part ranks below the
    /// whole word.
    pub parts_nl: Field,
    pub tags: Field,
    pub author: Field,
    pub url: Field,
    /// Unix milliseconds: publication or creation (0 for people).
    pub date: Field,
    /// Votes (questions, answers) or likes (posts).
    pub score: Field,
    /// 1 for a question with an accepted answer and for an accepted answer.
    pub accepted: Field,
    /// 1 when the author declared expertise in one of the document's tags.
    pub expert: Field,
    /// The space a post or question is in (an answer: its question's); 0 for company-wide
    /// content and people. Queries keep to the spaces the reader sees (`search::boundary`).
    pub space: Field,
}

/// The writer's memory budget while serving, and while rebuilding (fewer, larger segments).
const WRITER_HEAP: usize = 50_000_000;
pub const REBUILD_HEAP: usize = 300_000_000;

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// A field of word pairs: frequencies for scoring, no positions.
fn pairs() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("pairs")
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        entity_id: b.add_i64_field("entity_id", INDEXED | STORED | FAST),
        title: b.add_text_field("title", text("neutral", true)),
        body: b.add_text_field("body", text("neutral", true)),
        text_en: b.add_text_field("text_en", text("en_stem", false)),
        text_nl: b.add_text_field("text_nl", text("nl_stem", false)),
        pairs_en: b.add_text_field("pairs_en", pairs()),
        pairs_nl: b.add_text_field("pairs_nl", pairs()),
        parts_nl: b.add_text_field("parts_nl", pairs()),
        tags: b.add_text_field("tags", STRING | STORED | FAST),
        author: b.add_text_field("author", text("neutral", true)),
        url: b.add_text_field("url", STORED),
        date: b.add_i64_field("date", INDEXED | STORED | FAST),
        score: b.add_i64_field("score", STORED | FAST),
        accepted: b.add_i64_field("accepted", FAST),
        expert: b.add_i64_field("expert", FAST),
        space: b.add_u64_field("space", INDEXED | FAST),
    };
    (b.build(), fields)
}

const CURRENT: &str = "CURRENT";
/// The file in a generation's directory holding [`Language::index_fingerprint`] of the
/// language data it was built with.
const LANGUAGE_MARKER: &str = "LANGUAGE";
const GENERATION_PREFIX: &str = "gen-";

/// One generation of the index: its directory, reader and single writer.
pub struct Generation {
    pub name: String,
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub reader: IndexReader,
    /// The single writer; `None` after a failed write (a full disk kills tantivy's writer), so
    /// the next batch opens a new one and applies again from the last committed position.
    pub writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    /// The type and tag of every document, per segment, for facet counts.
    pub facets: super::facets::Cache,
    /// Decompounding, irregular plurals and translations (possibly none).
    pub language: Arc<Language>,
    /// The outbox position last committed, once read: this generation's writer is the only one
    /// that commits to it, so the indexing lane's poll (five a second) need not read and parse
    /// `meta.json` each time.
    committed: std::sync::Mutex<Option<super::indexer::Position>>,
}

impl Generation {
    /// Opens a built generation (its writer is gone). One written with another schema (before a
    /// field was added, such as `space`) or with other index-time language data (decompounding
    /// words, irregular plurals: [`LANGUAGE_MARKER`]) is refused, so it is replaced and rebuilt.
    pub fn open(root: &Path, name: &str, language: Arc<Language>) -> anyhow::Result<Self> {
        let dir = root.join(name);
        let (schema, fields) = schema();
        let index = Index::open_in_dir(&dir)?;
        anyhow::ensure!(index.schema() == schema, "the index has an older schema");
        let built_with = std::fs::read_to_string(dir.join(LANGUAGE_MARKER)).unwrap_or_default();
        anyhow::ensure!(
            built_with.trim() == language.index_fingerprint(),
            "the index was built with other language data (decompounding words or irregular plurals)"
        );
        Self::with_index(name, dir, index, fields, language)
    }

    /// A new, empty generation in a new directory under `root`.
    pub fn create(root: &Path, language: Arc<Language>) -> anyhow::Result<Self> {
        let (name, dir, index, fields) = create_index(root, &language)?;
        Self::with_index(&name, dir, index, fields, language)
    }

    fn with_index(
        name: &str,
        dir: PathBuf,
        mut index: Index,
        fields: Fields,
        language: Arc<Language>,
    ) -> anyhow::Result<Self> {
        register_analyzers(&index);
        // A query searches the segments in parallel, one thread per core.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores > 1 {
            index.set_multithread_executor(cores)?;
        }
        let writer = index.writer(WRITER_HEAP)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            name: name.to_owned(),
            dir,
            index,
            fields,
            reader,
            writer: Mutex::new(Some(writer)),
            facets: Default::default(),
            language,
            committed: Default::default(),
        })
    }

    /// How far the outbox has been applied (nothing for a new index): read from the index's
    /// last commit once, then as [`Self::committed`] leaves it.
    pub fn position(&self) -> super::indexer::Position {
        let mut known = self.committed.lock().unwrap_or_else(|e| e.into_inner());
        known
            .get_or_insert_with(|| {
                let metas = self.index.load_metas().ok();
                super::indexer::Position::parse(metas.and_then(|m| m.payload).as_deref())
            })
            .clone()
    }

    /// Notes the position a successful commit of this generation's writer stored.
    pub fn committed(&self, position: &super::indexer::Position) {
        *self.committed.lock().unwrap_or_else(|e| e.into_inner()) = Some(position.clone());
    }

    /// Runs `write` with the writer, opening a new one when the last write failed. On an error
    /// the writer is dropped with everything it had not committed: the outbox position in the
    /// index is still the last committed one, so the next attempt applies the same rows again.
    pub async fn write<T>(
        &self,
        write: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> tantivy::Result<T>,
    ) -> anyhow::Result<T> {
        let mut slot = self.writer.lock().await;
        if slot.is_none() {
            *slot = Some(self.index.writer(WRITER_HEAP)?);
            tracing::info!(generation = %self.name, "search index writer reopened");
        }
        let writer = slot.as_mut().expect("opened above");
        match write(writer) {
            Ok(value) => Ok(value),
            Err(e) => {
                *slot = None;
                Err(e.into())
            }
        }
    }

    /// Checks every file of this generation against the checksum in its footer; an error names
    /// the damaged files.
    pub fn verify(&self) -> anyhow::Result<()> {
        let damaged = self.index.validate_checksum()?;
        anyhow::ensure!(
            damaged.is_empty(),
            "damaged files: {}",
            damaged
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        Ok(())
    }

    pub fn key_term(&self, key: &str) -> Term {
        Term::from_field_text(self.fields.key, key)
    }

    pub fn publish(&self, root: &Path) -> anyhow::Result<()> {
        publish(root, &self.name)
    }
}

/// A new, empty index in a new generation directory under `root`: its name, directory, index
/// (analysers registered) and fields.
pub fn create_index(
    root: &Path,
    language: &Language,
) -> anyhow::Result<(String, PathBuf, Index, Fields)> {
    std::fs::create_dir_all(root)?;
    let name = format!(
        "{GENERATION_PREFIX}{}-{:08x}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"),
        rand::random::<u32>()
    );
    let dir = root.join(&name);
    std::fs::create_dir_all(&dir)?;
    let (schema, fields) = schema();
    let index = Index::create_in_dir(&dir, schema)?;
    std::fs::write(dir.join(LANGUAGE_MARKER), language.index_fingerprint())?;
    register_analyzers(&index);
    Ok((name, dir, index, fields))
}

/// Makes generation `name` the one every process serves from: `CURRENT` is replaced
/// atomically. Its writer must have committed and be gone.
pub fn publish(root: &Path, name: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let tmp = root.join(format!("{CURRENT}.{name}.tmp"));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(name.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, root.join(CURRENT))?;
    if let Ok(dir) = std::fs::File::open(root) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The generation `CURRENT` names, if any.
fn current_name(root: &Path) -> Option<String> {
    std::fs::read_to_string(root.join(CURRENT))
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| s.starts_with(GENERATION_PREFIX) && !s.contains(['/', '\\']))
}

/// Removes what is not the live generation nor a newer one (a rebuild in progress elsewhere):
/// older generations and the files of the layout before generations.
fn remove_stale(root: &Path, live: &str) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let stale = if name.starts_with(GENERATION_PREFIX) {
            name.as_str() < live
        } else {
            name != CURRENT && !name.ends_with(".tmp")
        };
        if stale {
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            if let Err(e) = removed {
                tracing::warn!(path = %path.display(), error = %e, "cannot remove an old search index");
            }
        }
    }
}

/// The live index: the generation queries and the indexer use now, swapped when a rebuild
/// publishes a new one.
#[derive(Clone)]
pub struct SearchIndex {
    root: PathBuf,
    live: Arc<RwLock<Arc<Generation>>>,
    /// Created empty by [`SearchIndex::open`]: it needs a rebuild.
    pub fresh: bool,
    /// Why the live generation is being rebuilt, while it is (searches then come from the
    /// database, and the indexer waits).
    rebuilding: Arc<std::sync::Mutex<Option<String>>>,
    /// Held by a rebuild from start to swap.
    rebuild_lock: Arc<Mutex<()>>,
    /// A verification of the live generation is running.
    checking: Arc<std::sync::atomic::AtomicBool>,
    /// The company's search synonyms, replaced whole when they change.
    synonyms: Arc<RwLock<Arc<Synonyms>>>,
    /// Posts', questions' and answers' scores, which the ranking reads instead of their
    /// documents' (votes and likes rewrite no document); kept across generations.
    scores: Arc<super::scores::Scores>,
}

/// Opens a generation and verifies every file of it against its checksum (a flipped byte
/// anywhere is found here, before a query decodes it); a panic while opening counts as
/// corruption too.
fn open_verified(root: &Path, name: &str, language: &Arc<Language>) -> anyhow::Result<Generation> {
    let opened = std::panic::catch_unwind(|| -> anyhow::Result<Generation> {
        let generation = Generation::open(root, name, language.clone())?;
        generation.verify()?;
        Ok(generation)
    });
    opened.unwrap_or_else(|panic| {
        Err(anyhow::anyhow!(
            "opening it panicked: {}",
            crate::search::panic_message(&panic)
        ))
    })
}

impl SearchIndex {
    /// Opens the generation `root/CURRENT` names, or creates an empty one when there is none or
    /// it is unreadable or corrupt (the caller then rebuilds it: its outbox position is 0).
    pub fn open(root: &Path, language: Arc<Language>) -> anyhow::Result<Self> {
        std::fs::create_dir_all(root)?;
        let opened = current_name(root).and_then(|name| {
            open_verified(root, &name, &language)
                .map_err(|e| {
                    tracing::warn!(generation = %name, error = format!("{e:#}"), "the search index is corrupt, unreadable or built with other language data; it will be rebuilt");
                })
                .ok()
        });
        let (generation, fresh) = match opened {
            Some(generation) => (generation, false),
            None => {
                tracing::warn!(dir = %root.display(), "search index missing, unreadable or corrupt; creating it anew");
                let generation = Generation::create(root, language.clone())?;
                generation.publish(root)?;
                (generation, true)
            }
        };
        remove_stale(root, &generation.name);
        Ok(Self {
            root: root.to_path_buf(),
            live: Arc::new(RwLock::new(Arc::new(generation))),
            fresh,
            rebuilding: Arc::default(),
            rebuild_lock: Arc::default(),
            checking: Arc::default(),
            synonyms: Arc::default(),
            scores: Arc::default(),
        })
    }

    /// Why the index is being rebuilt, while it is.
    pub fn rebuilding(&self) -> Option<String> {
        self.rebuilding
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Marks the index as being rebuilt; false when a rebuild is already under way.
    pub fn begin_rebuild(&self, reason: &str) -> bool {
        let mut rebuilding = self.rebuilding.lock().unwrap_or_else(|e| e.into_inner());
        if rebuilding.is_some() {
            return false;
        }
        *rebuilding = Some(reason.to_owned());
        true
    }

    pub fn end_rebuild(&self) {
        *self.rebuilding.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Held by a rebuild for its whole run (a test may hold it to watch the index while it is
    /// being rebuilt).
    pub fn rebuild_lock(&self) -> Arc<Mutex<()>> {
        self.rebuild_lock.clone()
    }

    /// Claims the one verification that may run at a time; false when one runs.
    pub fn begin_check(&self) -> bool {
        !self
            .checking
            .swap(true, std::sync::atomic::Ordering::SeqCst)
    }

    pub fn end_check(&self) {
        self.checking
            .store(false, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The search synonyms queries use now.
    pub fn synonyms(&self) -> Arc<Synonyms> {
        self.synonyms
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the search synonyms; the next query uses them.
    pub fn set_synonyms(&self, synonyms: Synonyms) {
        *self.synonyms.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(synonyms);
    }

    /// Posts', questions' and answers' current scores, for the ranking (the indexer keeps
    /// them).
    pub fn scores(&self) -> &Arc<super::scores::Scores> {
        &self.scores
    }

    /// The language resources of the live generation (a rebuild keeps them).
    pub fn language(&self) -> Arc<Language> {
        self.current().language.clone()
    }

    /// The generation to use for one query or one batch of writes.
    pub fn current(&self) -> Arc<Generation> {
        self.live.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Serves `generation` from now on (it has been published); the old one is deleted once
    /// nothing uses it any more.
    pub fn swap(&self, generation: Generation) {
        let old = {
            let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
            std::mem::replace(&mut *live, Arc::new(generation))
        };
        tracing::info!(generation = %self.current().name, "search index swapped");
        retire(old);
    }

    /// Follows a rebuild published by another process: when `CURRENT` names another
    /// generation, opens and swaps it in. Returns whether it did.
    pub fn follow(&self) -> anyhow::Result<bool> {
        let Some(name) = current_name(&self.root) else {
            return Ok(false);
        };
        if name == self.current().name {
            return Ok(false);
        }
        let generation = Generation::open(&self.root, &name, self.language())?;
        self.swap(generation);
        Ok(true)
    }

    /// Whether the live generation is on disk and answers queries.
    pub fn check(&self) -> anyhow::Result<u64> {
        let generation = self.current();
        anyhow::ensure!(
            generation.dir.join("meta.json").is_file(),
            "the search index directory is gone"
        );
        generation.index.load_metas()?;
        Ok(generation.reader.searcher().num_docs())
    }
}

/// Drops an old generation and deletes its directory once the last query holding it is done
/// (at most a minute later), after its writer's merges have finished.
fn retire(old: Arc<Generation>) {
    std::thread::spawn(move || {
        let mut old = old;
        for _ in 0..600 {
            match Arc::try_unwrap(old) {
                Ok(generation) => {
                    let dir = generation.dir.clone();
                    if let Some(writer) = generation.writer.into_inner()
                        && let Err(e) = writer.wait_merging_threads()
                    {
                        tracing::warn!(error = %e, "an old search index did not finish merging");
                    }
                    drop(generation.reader);
                    remove_dir(&dir);
                    return;
                }
                Err(still_used) => {
                    old = still_used;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
            }
        }
        tracing::warn!(dir = %old.dir.display(), "an old search index is still in use; it goes at the next start");
    });
}

/// Removes a directory, retrying briefly while files in it are still being closed.
fn remove_dir(dir: &Path) {
    for attempt in 0..20 {
        match std::fs::remove_dir_all(dir) {
            Ok(()) => return,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) if attempt == 19 => {
                tracing::warn!(dir = %dir.display(), error = %e, "cannot remove an old search index");
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(100)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A missing, corrupt or outdated index is replaced by a fresh one (which the caller
    /// rebuilds); a sound one is opened as it is.
    #[test]
    fn a_missing_or_unreadable_index_is_created_anew() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("index");
        let first = SearchIndex::open(&root, Language::none()).unwrap();
        assert!(first.fresh, "no index yet");
        let name = first.current().name.clone();
        drop(first);

        let reopened = SearchIndex::open(&root, Language::none()).unwrap();
        assert!(!reopened.fresh, "a sound index is kept");
        assert_eq!(reopened.current().name, name);
        drop(reopened);

        std::fs::write(root.join(&name).join("meta.json"), b"{ not json").unwrap();
        let repaired = SearchIndex::open(&root, Language::none()).unwrap();
        assert!(repaired.fresh, "a corrupt index is replaced");
        let new_name = repaired.current().name.clone();
        assert_ne!(new_name, name);
        assert!(
            !root.join(&name).exists(),
            "the corrupt generation is removed"
        );
        assert_eq!(current_name(&root).as_deref(), Some(new_name.as_str()));
        let searcher = repaired.current().reader.searcher();
        assert_eq!(searcher.num_docs(), 0);
    }

    /// A generation written before the `space` field existed is rebuilt, not served: its
    /// documents would pass every space filter as company-wide.
    #[test]
    fn an_index_of_an_older_schema_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("index");
        std::fs::create_dir_all(&root).unwrap();
        let mut older = Schema::builder();
        for (_, entry) in schema().0.fields() {
            if entry.name() != "space" {
                older.add_field(entry.clone());
            }
        }
        let name = "gen-20260101T000000.000000-00000000";
        std::fs::create_dir_all(root.join(name)).unwrap();
        let index = Index::create_in_dir(root.join(name), older.build()).unwrap();
        let mut writer = index.writer::<TantivyDocument>(15_000_000).unwrap();
        writer.commit().unwrap();
        drop(writer);
        publish(&root, name).unwrap();

        let opened = SearchIndex::open(&root, Language::none()).unwrap();
        assert!(opened.fresh, "an index without the space field is rebuilt");
        assert_ne!(opened.current().name, name);
        assert!(!root.join(name).exists(), "the old generation is removed");
    }

    /// A generation built with other decompounding words or irregular plurals is rebuilt: its
    /// documents hold the parts and singulars of the old data, which queries no longer match.
    #[test]
    fn an_index_built_with_other_language_data_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("index");
        let first = SearchIndex::open(&root, Language::none()).unwrap();
        let name = first.current().name.clone();
        drop(first);
        assert!(!SearchIndex::open(&root, Language::none()).unwrap().fresh);

        let data = dir.path().join("lang");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join("nl-irregular.tsv"), "steden\tstad\n").unwrap();
        let plurals = Arc::new(Language::load(&data));
        let opened = SearchIndex::open(&root, plurals.clone()).unwrap();
        assert!(opened.fresh, "an index without the plurals is rebuilt");
        assert_ne!(opened.current().name, name);
        let name = opened.current().name.clone();
        drop(opened);
        assert!(
            !SearchIndex::open(&root, plurals).unwrap().fresh,
            "the same data again: kept"
        );

        std::fs::write(
            data.join("nl-irregular.tsv"),
            "steden\tstad\nschepen\tschip\n",
        )
        .unwrap();
        let more = SearchIndex::open(&root, Arc::new(Language::load(&data))).unwrap();
        assert!(more.fresh, "one plural more: rebuilt");
        assert_ne!(more.current().name, name);
    }
}
