//! The tantivy index in `<data_dir>/index`: its schema, analysers (English and Dutch stemming
//! plus a language-neutral field), and the one writer. The position of the last applied outbox
//! row is stored in the index's commit payload, so a restart resumes exactly there.
use std::{path::Path, sync::Arc};

use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
    schema::{
        FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
        TextOptions,
    },
    tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer},
};
use tokio::sync::Mutex;

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
    pub title_en: Field,
    pub title_nl: Field,
    pub body: Field,
    pub body_en: Field,
    pub body_nl: Field,
    /// Text of a question's accepted and best answers (weighs less than its own body).
    pub answers: Field,
    pub tags: Field,
    pub author: Field,
    pub url: Field,
    /// Unix seconds: publication or creation.
    pub date: Field,
    /// Votes (questions, answers) or likes (posts).
    pub score: Field,
}

const WRITER_HEAP: usize = 50_000_000;

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

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        entity_id: b.add_i64_field("entity_id", INDEXED | STORED | FAST),
        title: b.add_text_field("title", text("neutral", true)),
        title_en: b.add_text_field("title_en", text("en_stem", false)),
        title_nl: b.add_text_field("title_nl", text("nl_stem", false)),
        body: b.add_text_field("body", text("neutral", true)),
        body_en: b.add_text_field("body_en", text("en_stem", false)),
        body_nl: b.add_text_field("body_nl", text("nl_stem", false)),
        answers: b.add_text_field("answers", text("neutral", false)),
        tags: b.add_text_field("tags", STRING | STORED | FAST),
        author: b.add_text_field("author", text("neutral", true)),
        url: b.add_text_field("url", STORED),
        date: b.add_i64_field("date", INDEXED | STORED | FAST),
        score: b.add_i64_field("score", STORED | FAST),
    };
    (b.build(), fields)
}

fn register_analyzers(index: &Index) {
    let base = || {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
    };
    let tokenizers = index.tokenizers();
    tokenizers.register("neutral", base().build());
    tokenizers.register(
        "en_stem",
        base().filter(Stemmer::new(Language::English)).build(),
    );
    // Dutch stemmed twice: Snowball's Dutch stemmer maps "fietsen" to "fiets" but "fiets" to
    // "fiet"; a second pass maps both to "fiet", so singular and plural meet.
    tokenizers.register(
        "nl_stem",
        base()
            .filter(Stemmer::new(Language::Dutch))
            .filter(Stemmer::new(Language::Dutch))
            .build(),
    );
}

/// The index, its reader and its single writer.
#[derive(Clone)]
pub struct SearchIndex {
    pub index: Index,
    pub fields: Fields,
    pub reader: IndexReader,
    pub writer: Arc<Mutex<IndexWriter<TantivyDocument>>>,
    /// Created empty by [`SearchIndex::open`]: it needs a rebuild.
    pub fresh: bool,
}

impl SearchIndex {
    /// Opens the index in `dir`, or creates an empty one when it is missing or unreadable
    /// (the caller then rebuilds it: its outbox position is 0).
    pub fn open(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let mut fresh = false;
        let index = match Index::open_in_dir(dir) {
            Ok(index) if index.schema() == schema => index,
            Ok(_) | Err(_) => {
                tracing::warn!(dir = %dir.display(), "search index missing or unreadable; creating it anew");
                for entry in std::fs::read_dir(dir)? {
                    let path = entry?.path();
                    if path.is_dir() {
                        std::fs::remove_dir_all(&path)?;
                    } else {
                        std::fs::remove_file(&path)?;
                    }
                }
                fresh = true;
                Index::create_in_dir(dir, schema)?
            }
        };
        register_analyzers(&index);
        let writer = index.writer(WRITER_HEAP)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            fields,
            reader,
            writer: Arc::new(Mutex::new(writer)),
            fresh,
        })
    }

    /// The id of the last outbox row applied (0 for a new index).
    pub fn position(&self) -> i64 {
        self.index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0)
    }

    pub fn key_term(&self, key: &str) -> Term {
        Term::from_field_text(self.fields.key, key)
    }
}
