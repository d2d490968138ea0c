//! Benchmark: how well Kring's search finds what a colleague means, in Dutch and English.
//!
//! Run it with one command: `./bench/relevance` (options: `--misses` lists, per category, the
//! queries whose best document is not first, with what came first; `--category NAME` runs one
//! category; `--pool FILE` writes every query's first ten documents as JSON, the pool that
//! `bench/relevance-set/pool.py` turns into judging sheets; `--explain QUERY` prints one
//! query's first ten documents).
//!
//! What it does:
//! 1. Reads the judged set in `bench/relevance-set/` (see its README): a bilingual corpus of
//!    company knowledge (posts, questions with answers, comments) and queries in six
//!    categories (`exact`, `word_forms`, `compounds`, `cross_language`, `typos`, `synonyms`),
//!    each with its relevant documents graded 2 (answers the query) or 1 (partly relevant), and
//!    the company's synonym groups the `synonyms` queries rely on.
//! 2. Seeds a fresh SQLite Kring database (`kring::db::connect` + `migrate`) with the corpus as
//!    real rows and builds the index with `kring::search::indexer::rebuild`.
//! 3. Runs every query through `kring::search::query::search` (what `/api/v1/search` does; an
//!    admin's view, every space) and maps the hits to the corpus's documents (an answer is its
//!    question's document; a document counts once, at its best rank).
//! 4. Prints per category: nDCG@10 (gain 2^grade − 1, the ideal ranking from the judgments),
//!    top-1 (the first hit is a grade-2 document) and recall@10 (the share of the judged
//!    documents, of any grade, in the first ten); then checks the targets of issue 23
//!    (top-1 ≥ 90 % and nDCG@10 ≥ 0.9 in every category) and exits non-zero when one is
//!    missed.
use std::{
    collections::{BTreeMap, HashMap},
    path::{Path, PathBuf},
    time::Instant,
};

use anyhow::{Context, bail};
use chrono::{Duration as Age, Utc};
use kring::{
    config::DatabaseUrl,
    content, db,
    entities::{
        answers, post_comments, post_tags, posts, qa_comments, question_tags, questions, tags,
        users,
    },
    search::{
        analysis::stems,
        boundary::Visible,
        index::SearchIndex,
        indexer,
        language::Language,
        query::{self, SearchParams},
        synonyms::Synonyms,
    },
};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde::Deserialize;

const USAGE: &str =
    "usage: ./bench/relevance [--misses] [--category NAME] [--pool FILE] [--explain QUERY]";
const CATEGORIES: [&str; 6] = [
    "exact",
    "word_forms",
    "compounds",
    "cross_language",
    "typos",
    "synonyms",
];
const TARGET_TOP1: f64 = 0.9;
const TARGET_NDCG: f64 = 0.9;
const DEPTH: usize = 10;

#[derive(Deserialize)]
struct Corpus {
    documents: Vec<Document>,
}

#[derive(Deserialize)]
struct Document {
    key: String,
    kind: String,
    language: String,
    title: String,
    body: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    answers: Vec<Answer>,
    #[serde(default)]
    comments: Vec<String>,
}

#[derive(Deserialize)]
struct Answer {
    body: String,
}

#[derive(Deserialize)]
struct Judged {
    /// Synonym groups the company defines (the `synonyms` queries rely on them).
    #[serde(default)]
    synonyms: Vec<Vec<String>>,
    queries: Vec<JudgedQuery>,
}

#[derive(Deserialize)]
struct JudgedQuery {
    q: String,
    category: String,
    relevant: BTreeMap<String, u8>,
    /// Grades from pooled judging (`pool.py`) of documents the set had not judged (0 included).
    #[serde(default)]
    pooled: BTreeMap<String, u8>,
    #[serde(default)]
    note: String,
}

impl JudgedQuery {
    /// The set's own judgments, completed by the pooled ones (the set's own win).
    fn grades(&self) -> BTreeMap<String, u8> {
        let mut grades = self.pooled.clone();
        grades.extend(self.relevant.iter().map(|(k, g)| (k.clone(), *g)));
        grades
    }
}

struct Args {
    misses: bool,
    category: Option<String>,
    pool: Option<PathBuf>,
    explain: Option<String>,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        misses: false,
        category: None,
        pool: None,
        explain: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            // `cargo bench` passes `--bench` to the binary.
            "--bench" => {}
            "--misses" => args.misses = true,
            "--category" => {
                let c = it.next().context(USAGE)?;
                if !CATEGORIES.contains(&c.as_str()) {
                    bail!("unknown category {c:?}; one of {}", CATEGORIES.join(", "));
                }
                args.category = Some(c);
            }
            "--explain" => args.explain = Some(it.next().context(USAGE)?),
            "--pool" => args.pool = Some(PathBuf::from(it.next().context(USAGE)?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    Ok(args)
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// The stored HTML of a Markdown text, as Kring renders it.
fn html(markdown: &str) -> anyhow::Result<String> {
    content::render_markdown(markdown)
        .map_err(|e| anyhow::anyhow!("a corpus text Kring refuses to render: {e:?}"))
}

/// Where each hit leads: `(kind, id)` of an indexed row to the corpus document's key.
type Keys = HashMap<(&'static str, i64), String>;

/// The corpus as Kring rows: one author, the tags, posts (published), questions with their
/// answers, and comments. Documents are an hour apart, in corpus order.
async fn seed(db: &DatabaseConnection, corpus: &Corpus) -> anyhow::Result<Keys> {
    let now = Utc::now();
    let author = users::Entity::insert(users::ActiveModel {
        email: Set("author@kring.example".into()),
        display_name: Set("Kim de Vries".into()),
        password_hash: Set(None),
        locale: Set(Some("nl".into())),
        is_leadership: Set(false),
        is_active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id;
    let mut tag_ids: HashMap<String, i64> = HashMap::new();
    for name in corpus.documents.iter().flat_map(|d| d.tags.iter()) {
        if !tag_ids.contains_key(name) {
            let id = tags::Entity::insert(tags::ActiveModel {
                name: Set(name.clone()),
                created_at: Set(now),
                ..Default::default()
            })
            .exec(db)
            .await?
            .last_insert_id;
            tag_ids.insert(name.clone(), id);
        }
    }
    let mut keys = Keys::new();
    let n = corpus.documents.len() as i64;
    for (i, d) in corpus.documents.iter().enumerate() {
        let at = now - Age::hours(n - i as i64);
        let id = i as i64 + 1;
        match d.kind.as_str() {
            "post" => {
                posts::Entity::insert(posts::ActiveModel {
                    id: Set(id),
                    author_id: Set(author),
                    space_id: Set(None),
                    slug: Set(format!("{}-{id}", content::slugify(&d.title, 200))),
                    title: Set(d.title.clone()),
                    body_html: Set(html(&d.body)?),
                    excerpt: Set(content::excerpt(&d.body, 200)),
                    // Derived on read: the relevance set is searched, not listed.
                    body_excerpt: Set(None),
                    reading_minutes: Set(None),
                    body_md: Set(d.body.clone()),
                    language: Set(d.language.clone()),
                    status: Set("published".into()),
                    cover_path: Set(None),
                    scheduled_at: Set(None),
                    published_at: Set(Some(at)),
                    is_announcement: Set(false),
                    announcement_until: Set(None),
                    deleted_at: Set(None),
                    created_at: Set(at),
                    updated_at: Set(at),
                })
                .exec(db)
                .await?;
                for tag in &d.tags {
                    post_tags::Entity::insert(post_tags::ActiveModel {
                        post_id: Set(id),
                        tag_id: Set(tag_ids[tag]),
                    })
                    .exec(db)
                    .await?;
                }
                for body in &d.comments {
                    post_comments::Entity::insert(post_comments::ActiveModel {
                        post_id: Set(id),
                        author_id: Set(author),
                        parent_id: Set(None),
                        body_html: Set(html(body)?),
                        body_md: Set(body.clone()),
                        created_at: Set(at),
                        updated_at: Set(at),
                        deleted_at: Set(None),
                        deleted_by: Set(None),
                        ..Default::default()
                    })
                    .exec(db)
                    .await?;
                }
                keys.insert(("post", id), d.key.clone());
            }
            "question" => {
                questions::Entity::insert(questions::ActiveModel {
                    id: Set(id),
                    author_id: Set(author),
                    space_id: Set(None),
                    title: Set(d.title.clone()),
                    body_html: Set(html(&d.body)?),
                    body_excerpt: Set(None),
                    body_md: Set(d.body.clone()),
                    language: Set(d.language.clone()),
                    status: Set("open".into()),
                    close_reason: Set(None),
                    duplicate_of_id: Set(None),
                    closed_by: Set(None),
                    closed_at: Set(None),
                    score: Set(0),
                    answer_count: Set(d.answers.len() as i32),
                    accepted_answer_id: Set(None),
                    last_activity_at: Set(at),
                    created_at: Set(at),
                    updated_at: Set(at),
                    deleted_at: Set(None),
                })
                .exec(db)
                .await?;
                for tag in &d.tags {
                    question_tags::Entity::insert(question_tags::ActiveModel {
                        question_id: Set(id),
                        tag_id: Set(tag_ids[tag]),
                    })
                    .exec(db)
                    .await?;
                }
                for a in &d.answers {
                    let answer = answers::Entity::insert(answers::ActiveModel {
                        question_id: Set(id),
                        author_id: Set(author),
                        body_html: Set(html(&a.body)?),
                        body_md: Set(a.body.clone()),
                        score: Set(0),
                        outdated_at: Set(None),
                        outdated_by: Set(None),
                        created_at: Set(at),
                        updated_at: Set(at),
                        deleted_at: Set(None),
                        ..Default::default()
                    })
                    .exec(db)
                    .await?
                    .last_insert_id;
                    keys.insert(("answer", answer), d.key.clone());
                }
                for body in &d.comments {
                    qa_comments::Entity::insert(qa_comments::ActiveModel {
                        question_id: Set(id),
                        answer_id: Set(None),
                        author_id: Set(author),
                        body_html: Set(html(body)?),
                        body_md: Set(body.clone()),
                        created_at: Set(at),
                        deleted_at: Set(None),
                        ..Default::default()
                    })
                    .exec(db)
                    .await?;
                }
                keys.insert(("question", id), d.key.clone());
            }
            other => bail!("document {}: unknown kind {other:?}", d.key),
        }
    }
    Ok(keys)
}

/// The corpus documents of the first hits, in rank order, each once.
fn ranked(keys: &Keys, hits: &[query::Hit]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for hit in hits {
        let kind: &'static str = match hit.kind.as_str() {
            "post" => "post",
            "question" => "question",
            "answer" => "answer",
            _ => continue,
        };
        if let Some(key) = keys.get(&(kind, hit.id))
            && !out.contains(key)
        {
            out.push(key.clone());
        }
    }
    out
}

/// nDCG@10 of a ranking against graded judgments (gain 2^grade − 1, log2 discount).
fn ndcg(ranking: &[String], relevant: &BTreeMap<String, u8>) -> f64 {
    let gain = |grade: u8| f64::from((1u32 << grade) - 1);
    let dcg: f64 = ranking
        .iter()
        .take(DEPTH)
        .enumerate()
        .map(|(i, key)| gain(relevant.get(key).copied().unwrap_or(0)) / (i as f64 + 2.0).log2())
        .sum();
    let mut ideal: Vec<u8> = relevant.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(DEPTH)
        .enumerate()
        .map(|(i, g)| gain(*g) / (i as f64 + 2.0).log2())
        .sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

#[derive(Default)]
struct Score {
    queries: usize,
    ndcg: f64,
    top1: usize,
    recall: f64,
}

impl Score {
    /// Adds one query's ranking; true when its first document is a grade-2 one.
    fn add(&mut self, ranking: &[String], grades: &BTreeMap<String, u8>) -> bool {
        self.queries += 1;
        self.ndcg += ndcg(ranking, grades);
        let relevant: Vec<&String> = grades
            .iter()
            .filter(|(_, g)| **g > 0)
            .map(|(k, _)| k)
            .collect();
        let found = relevant
            .iter()
            .filter(|k| ranking.iter().take(DEPTH).any(|r| r == **k))
            .count();
        self.recall += found as f64 / relevant.len().max(1) as f64;
        let first_ok = ranking
            .first()
            .is_some_and(|k| grades.get(k).copied() == Some(2));
        self.top1 += usize::from(first_ok);
        first_ok
    }
}

/// Prints the per-category table; returns the categories that miss a target.
fn table(scores: &BTreeMap<&str, Score>) -> Vec<String> {
    println!(
        "{:<16} {:>7} {:>9} {:>7} {:>10}",
        "category", "queries", "nDCG@10", "top-1", "recall@10"
    );
    let mut failed = Vec::new();
    let mut all = Score::default();
    for category in CATEGORIES {
        let Some(s) = scores.get(category) else {
            continue;
        };
        let n = s.queries.max(1) as f64;
        let (ndcg, top1, recall) = (s.ndcg / n, s.top1 as f64 / n, s.recall / n);
        println!(
            "{category:<16} {:>7} {ndcg:>9.3} {:>6.1}% {:>9.1}%",
            s.queries,
            top1 * 100.0,
            recall * 100.0
        );
        all.queries += s.queries;
        all.ndcg += s.ndcg;
        all.top1 += s.top1;
        all.recall += s.recall;
        if top1 < TARGET_TOP1 || ndcg < TARGET_NDCG {
            failed.push(format!(
                "{category}: top-1 {:.1} % (target ≥ {:.0} %), nDCG@10 {ndcg:.3} (target ≥ {TARGET_NDCG})",
                top1 * 100.0,
                TARGET_TOP1 * 100.0
            ));
        }
    }
    let n = all.queries.max(1) as f64;
    println!(
        "{:<16} {:>7} {:>9.3} {:>6.1}% {:>9.1}%",
        "all",
        all.queries,
        all.ndcg / n,
        all.top1 as f64 / n * 100.0,
        all.recall / n * 100.0
    );
    failed
}

/// The queries whose top-1 acceptance 2 of issue 23 rules out ("a document containing the
/// typed word beats one matched only through a translation"): no grade-2 document holds every
/// typed word, while a lower-graded one does, so that one ranks first. A document holds a word
/// when its text (title, body, answers, comments) holds the word's stems as the text field of
/// its language analyses them; irregular forms, compounds and synonyms are not counted, so a
/// query is only listed when a document holds the words as typed. Returns each such query with
/// such a document.
fn forced_by_typed_words(corpus: &Corpus, queries: &[&JudgedQuery]) -> Vec<(String, String)> {
    let texts: Vec<(&Document, std::collections::HashSet<String>)> = corpus
        .documents
        .iter()
        .map(|d| {
            let mut text = format!("{}\n{}", d.title, d.body);
            for a in &d.answers {
                text.push('\n');
                text.push_str(&a.body);
            }
            for c in &d.comments {
                text.push('\n');
                text.push_str(c);
            }
            (d, stems(d.language == "nl", &text).into_iter().collect())
        })
        .collect();
    let mut forced = Vec::new();
    for q in queries {
        let grades = q.grades();
        let holders: Vec<&str> = texts
            .iter()
            .filter(|(d, words)| {
                q.q.split_whitespace().all(|w| {
                    let typed = stems(d.language == "nl", w);
                    !typed.is_empty() && typed.iter().all(|s| words.contains(s))
                })
            })
            .map(|(d, _)| d.key.as_str())
            .collect();
        let grade = |k: &str| grades.get(k).copied().unwrap_or(0);
        if !holders.iter().any(|k| grade(k) == 2)
            && let Some(first) = holders.iter().max_by_key(|k| grade(k))
        {
            forced.push((q.q.clone(), (*first).to_owned()));
        }
    }
    forced
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/relevance-set");
    let corpus: Corpus = read_json(&root.join("corpus.json"))?;
    let judged: Judged = read_json(&root.join("queries.json"))?;
    let known: std::collections::HashSet<&str> =
        corpus.documents.iter().map(|d| d.key.as_str()).collect();
    for q in &judged.queries {
        if !CATEGORIES.contains(&q.category.as_str()) {
            bail!("query {:?}: unknown category {:?}", q.q, q.category);
        }
        if let Some(missing) = q
            .relevant
            .keys()
            .chain(q.pooled.keys())
            .find(|k| !known.contains(k.as_str()))
        {
            bail!(
                "query {:?}: judged document {missing:?} is not in the corpus",
                q.q
            );
        }
    }

    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}/kring.db?mode=rwc", dir.path().display());
    let db = db::connect(&DatabaseUrl::parse(&url).map_err(anyhow::Error::msg)?).await?;
    db::migrate(&db).await?;
    let keys = seed(&db, &corpus).await?;
    let language = Language::shared(Path::new("assets/lang"));
    let resources = language.resources().clone();
    let idx = SearchIndex::open(&dir.path().join("index"), language)?;
    let start = Instant::now();
    let indexed = indexer::rebuild(&db, &idx).await?;
    idx.set_synonyms(Synonyms::new(judged.synonyms.iter().cloned()));
    eprintln!(
        "corpus: {} documents ({} rows indexed in {:.2} s), {} judged queries, {} synonym groups; \
         language data: {} Dutch words, {} irregular plurals, {} NL→EN and {} EN→NL entries \
         ({} from the glossary){}",
        corpus.documents.len(),
        indexed,
        start.elapsed().as_secs_f64(),
        judged.queries.len(),
        judged.synonyms.len(),
        resources.dutch_words,
        resources.irregular_plurals,
        resources.dutch_to_english,
        resources.english_to_dutch,
        resources.glossary,
        if resources.missing.is_empty() {
            String::new()
        } else {
            format!("; missing: {}", resources.missing.join(", "))
        },
    );

    let mut completed: BTreeMap<&str, Score> = BTreeMap::new();
    let mut as_written: BTreeMap<&str, Score> = BTreeMap::new();
    let mut misses: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut pool = Vec::new();
    if let Some(q) = &args.explain {
        let params = SearchParams {
            q: Some(q.clone()),
            ..Default::default()
        };
        let results = query::search(&idx, &params, &Visible::All)
            .map_err(|e| anyhow::anyhow!("search for {q:?}: {e}"))?;
        println!("{q:?}: {} found", results.total);
        // Every hit as ranked (an answer and its question both show), with its score: a score
        // of 10,000 or more is a document of a higher tier (`search::tiers`).
        for (rank, hit) in results.hits.iter().take(DEPTH).enumerate() {
            let key = ranked(&keys, std::slice::from_ref(hit));
            println!(
                "{:>3}. {:>10.3}  {:<8} {}\n       {}",
                rank + 1,
                hit.score,
                hit.kind,
                key.first().map_or("?", String::as_str),
                hit.snippet.replace('\n', " "),
            );
        }
        return Ok(());
    }
    for q in &judged.queries {
        if args.category.as_ref().is_some_and(|c| c != &q.category) {
            continue;
        }
        let params = SearchParams {
            q: Some(q.q.clone()),
            ..Default::default()
        };
        let results = query::search(&idx, &params, &Visible::All)
            .map_err(|e| anyhow::anyhow!("search for {:?}: {e}", q.q))?;
        let ranking = ranked(&keys, &results.hits);
        pool.push(serde_json::json!({
            "q": q.q,
            "category": q.category,
            "top": ranking.iter().take(DEPTH).collect::<Vec<_>>(),
        }));
        as_written
            .entry(q.category.as_str())
            .or_default()
            .add(&ranking, &q.relevant);
        let grades = q.grades();
        if !completed
            .entry(q.category.as_str())
            .or_default()
            .add(&ranking, &grades)
        {
            let wanted: Vec<&str> = grades
                .iter()
                .filter(|(_, g)| **g == 2)
                .map(|(k, _)| k.as_str())
                .collect();
            misses.entry(q.category.as_str()).or_default().push(format!(
                "  {:?} wants {} got [{}]  ({})",
                q.q,
                wanted.join(", "),
                ranking
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                q.note
            ));
        }
    }

    println!(
        "\nwith the pooled judgments (the set's own, completed by blind judging of every run's first {DEPTH}):"
    );
    let failed = table(&completed);
    println!("\nwith the set's judgments as written (before pooling), for comparison:");
    table(&as_written);
    if args.misses {
        for (category, lines) in &misses {
            println!("\nnot first in {category} ({}):", lines.len());
            for line in lines {
                println!("{line}");
            }
        }
    }
    let cross: Vec<&JudgedQuery> = judged
        .queries
        .iter()
        .filter(|q| q.category == "cross_language")
        .filter(|q| args.category.as_ref().is_none_or(|c| c == &q.category))
        .collect();
    if !cross.is_empty() {
        let forced = forced_by_typed_words(&corpus, &cross);
        let n = cross.len() as f64;
        println!(
            "
cross_language ceiling under acceptance 2 (typed words outrank translations): \
             {} of {} queries have no grade-2 document holding the typed words and a lower-graded \
             one that does; top-1 can reach at most {:.1} %",
            forced.len(),
            cross.len(),
            (n - forced.len() as f64) / n * 100.0
        );
        if args.misses {
            for (q, first) in &forced {
                println!("  {q:?}: {first} holds every typed word");
            }
        }
    }
    if let Some(path) = &args.pool {
        let json = serde_json::to_string_pretty(&serde_json::json!({ "queries": pool }))?;
        std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?;
        eprintln!(
            "pool: {} queries' first {DEPTH} written to {}",
            pool.len(),
            path.display()
        );
    }
    println!();
    if failed.is_empty() {
        println!("targets: met (top-1 ≥ 90 % and nDCG@10 ≥ 0.9 in every category)");
        Ok(())
    } else {
        for f in &failed {
            println!("target missed: {f}");
        }
        std::process::exit(1);
    }
}
