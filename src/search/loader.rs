//! What the index holds about each kind of document (posts, questions, answers, people),
//! loaded from the database in a fixed number of queries per batch: one loader per kind, and
//! the tantivy document they become. A post's, question's or answer's comments are part of its
//! document, as lower-weight words (like a question's answers).
use std::collections::HashMap;

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use tantivy::{TantivyDocument, doc};

use super::{
    index::{self, Fields},
    language::Language,
    outbox::Doc,
};
use crate::status::PostStatus;
use crate::{
    content,
    entities::{answers, post_comments, posts, profiles, qa_comments, questions, users},
    people::views::PersonSummary,
};

/// What a document is made of, before it becomes a tantivy document.
struct Source {
    language: String,
    title: String,
    body: String,
    /// Lower-weight words: a question's best answers, the comments.
    extra: String,
    tags: Vec<String>,
    author_id: i64,
    url: String,
    date: i64,
    score: i64,
    accepted: bool,
    /// The space (0: company-wide); an answer's is its question's, a person's 0.
    space: u64,
}

/// A row's space as indexed: 0 for company-wide.
fn space_of(space_id: Option<i64>) -> u64 {
    space_id.map_or(0, |id| id as u64)
}

/// The tantivy document of a source, with its author's name and whether they declared
/// expertise in one of its tags.
fn document(
    (fields, language): (&Fields, &Language),
    doc: Doc,
    s: Source,
    author: &str,
    expert: bool,
) -> TantivyDocument {
    let f = fields;
    let dutch = s.language == "nl";
    // Dutch text with irregular plurals as singulars; the parts of its compounds beside it.
    let text = |t: &str| -> String {
        if dutch {
            language.dutch_text(t).into_owned()
        } else {
            t.to_owned()
        }
    };
    let (title, body, extra) = (text(&s.title), text(&s.body), text(&s.extra));
    let (text_lang, pairs_lang) = if dutch {
        (f.text_nl, f.pairs_nl)
    } else {
        (f.text_en, f.pairs_en)
    };
    let mut d = doc!(
        f.key => format!("{}:{}", doc.kind(), doc.id()),
        f.kind => doc.kind(),
        f.entity_id => doc.id(),
        f.title => s.title.as_str(),
        f.body => s.body.as_str(),
        f.author => author,
        f.url => s.url,
        f.date => s.date,
        f.score => s.score,
        f.accepted => i64::from(s.accepted),
        f.expert => i64::from(expert),
        f.space => s.space,
    );
    for tag in s.tags {
        d.add_text(f.tags, tag);
    }
    // The title three times, then the rest (values are kept apart, so no phrase spans two).
    let title_pairs = index::word_pairs(dutch, &title);
    let title_parts = if dutch {
        language.dutch_parts(&title)
    } else {
        String::new()
    };
    for _ in 0..3 {
        d.add_text(text_lang, &title);
        d.add_text(pairs_lang, &title_pairs);
        if !title_parts.is_empty() {
            d.add_text(f.parts_nl, &title_parts);
        }
    }
    if !body.is_empty() {
        d.add_text(text_lang, &body);
        d.add_text(pairs_lang, index::word_pairs(dutch, &body));
    }
    // A question's answers, the comments and the author's name take part in words, not in
    // phrases (each answer is a document of its own, where its phrases are found).
    for part in [extra.as_str(), author] {
        if !part.is_empty() {
            d.add_text(text_lang, part);
        }
    }
    if dutch {
        for part in [&body, &extra] {
            let parts = language.dutch_parts(part);
            if !parts.is_empty() {
                d.add_text(f.parts_nl, parts);
            }
        }
    }
    d
}

/// The ids of the documents of one kind (`f` picks them out).
fn ids_of(docs: &[Doc], f: fn(Doc) -> Option<i64>) -> Vec<i64> {
    docs.iter().filter_map(|d| f(*d)).collect()
}

/// Where the sources are gathered, by kind and id (`("post", 7)`).
type Sources = HashMap<(&'static str, i64), Source>;

/// The documents of these entities as they are now, each `None` when nobody may find it
/// (draft, deleted, deactivated...). A fixed number of queries per call, whatever its size.
pub(super) async fn load_many<C: ConnectionTrait>(
    conn: &C,
    fields: &Fields,
    language: &Language,
    docs: &[Doc],
) -> anyhow::Result<Vec<(Doc, Option<TantivyDocument>)>> {
    let post_ids = ids_of(docs, |d| match d {
        Doc::Post(id) => Some(id),
        _ => None,
    });
    let question_doc_ids = ids_of(docs, |d| match d {
        Doc::Question(id) => Some(id),
        _ => None,
    });
    let answer_ids = ids_of(docs, |d| match d {
        Doc::Answer(id) => Some(id),
        _ => None,
    });
    let person_ids = ids_of(docs, |d| match d {
        Doc::Person(id) => Some(id),
        _ => None,
    });
    let mut sources = Sources::new();

    load_posts(conn, &post_ids, &mut sources).await?;
    let found_answers = live_answers(conn, &answer_ids).await?;
    let questions = QuestionsFound::load(conn, &question_doc_ids, &found_answers).await?;
    load_questions(conn, &question_doc_ids, &questions, &mut sources).await?;
    add_answers(found_answers, &questions, &mut sources);
    add_comments(conn, &mut sources).await?;
    let people = author_summaries(conn, &sources, &person_ids).await?;
    load_people(conn, &person_ids, &people, &mut sources).await?;

    Ok(docs
        .iter()
        .map(|doc| {
            let built = sources.remove(&(doc.kind(), doc.id())).map(|s| {
                let author = people.get(&s.author_id);
                let name = author.map(|p| p.display_name.as_str()).unwrap_or_default();
                let expert = !matches!(doc, Doc::Person(_))
                    && author.is_some_and(|p| p.expertise.iter().any(|t| s.tags.contains(t)));
                document((fields, language), *doc, s, name, expert)
            });
            (*doc, built)
        })
        .collect())
}

/// The published posts among `post_ids`, with their tags and likes (three queries, none
/// without posts).
async fn load_posts<C: ConnectionTrait>(
    conn: &C,
    post_ids: &[i64],
    sources: &mut Sources,
) -> anyhow::Result<()> {
    if post_ids.is_empty() {
        return Ok(());
    }
    let found = posts::Entity::find()
        .filter(posts::Column::Id.is_in(post_ids.iter().copied()))
        .filter(posts::Column::Status.eq(PostStatus::Published.as_str()))
        .filter(posts::Column::DeletedAt.is_null())
        .all(conn)
        .await?;
    let mut tags = crate::tags::of_posts(conn, post_ids).await?;
    let likes = crate::blog::repo::like_counts(conn, post_ids).await?;
    for p in found {
        sources.insert(
            ("post", p.id),
            Source {
                language: p.language,
                body: content::plain_text(&p.body_md),
                title: p.title,
                extra: String::new(),
                tags: tags.remove(&p.id).unwrap_or_default(),
                author_id: p.author_id,
                url: format!("/blog/{}", p.slug),
                date: p.published_at.unwrap_or(p.created_at).timestamp_millis(),
                score: likes.get(&p.id).copied().unwrap_or(0),
                accepted: false,
                space: space_of(p.space_id),
            },
        );
    }
    Ok(())
}

/// The undeleted answers among `answer_ids` (one query, none without answers).
async fn live_answers<C: ConnectionTrait>(
    conn: &C,
    answer_ids: &[i64],
) -> anyhow::Result<Vec<answers::Model>> {
    if answer_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(answers::Entity::find()
        .filter(answers::Column::Id.is_in(answer_ids.iter().copied()))
        .filter(answers::Column::DeletedAt.is_null())
        .all(conn)
        .await?)
}

/// The undeleted questions to index, or that the answers to index belong to, with their
/// tags.
struct QuestionsFound {
    by_id: HashMap<i64, questions::Model>,
    tags: HashMap<i64, Vec<String>>,
}

impl QuestionsFound {
    /// The questions `question_doc_ids` and those of `found_answers` (two queries, none
    /// without questions).
    async fn load<C: ConnectionTrait>(
        conn: &C,
        question_doc_ids: &[i64],
        found_answers: &[answers::Model],
    ) -> anyhow::Result<Self> {
        let mut question_ids: Vec<i64> = question_doc_ids.to_vec();
        question_ids.extend(found_answers.iter().map(|a| a.question_id));
        question_ids.sort_unstable();
        question_ids.dedup();
        if question_ids.is_empty() {
            return Ok(Self {
                by_id: HashMap::new(),
                tags: HashMap::new(),
            });
        }
        let by_id: HashMap<i64, questions::Model> = questions::Entity::find()
            .filter(questions::Column::Id.is_in(question_ids.iter().copied()))
            .filter(questions::Column::DeletedAt.is_null())
            .all(conn)
            .await?
            .into_iter()
            .map(|q| (q.id, q))
            .collect();
        let tags = crate::qa::repo::tags_of(conn, &question_ids).await?;
        Ok(Self { by_id, tags })
    }
}

/// How many answers a question's document carries: the accepted one and the best others.
pub const QUESTION_ANSWERS: usize = 4;

/// The questions among `question_doc_ids`, with the accepted answer and the three best others
/// as lower-weight text (one query, none without questions).
async fn load_questions<C: ConnectionTrait>(
    conn: &C,
    question_doc_ids: &[i64],
    questions: &QuestionsFound,
    sources: &mut Sources,
) -> anyhow::Result<()> {
    if question_doc_ids.is_empty() {
        return Ok(());
    }
    let mut by_question: HashMap<i64, Vec<answers::Model>> = HashMap::new();
    for a in answers::Entity::find()
        .filter(answers::Column::QuestionId.is_in(question_doc_ids.iter().copied()))
        .filter(answers::Column::DeletedAt.is_null())
        .order_by_desc(answers::Column::Score)
        .order_by_asc(answers::Column::Id)
        .all(conn)
        .await?
    {
        by_question.entry(a.question_id).or_default().push(a);
    }
    for id in question_doc_ids {
        let Some(q) = questions.by_id.get(id) else {
            continue;
        };
        let mut best = by_question.remove(id).unwrap_or_default();
        best.sort_by_key(|a| (q.accepted_answer_id != Some(a.id), -a.score));
        best.truncate(QUESTION_ANSWERS);
        // In a fixed order, so that a vote changes this text only when it changes which
        // answers are here (the indexer counts on it: see `indexer::apply_pending`).
        best.sort_by_key(|a| (q.accepted_answer_id != Some(a.id), a.id));
        let answers_text = best
            .iter()
            .map(|a| content::plain_text(&a.body_md))
            .collect::<Vec<_>>()
            .join("\n");
        sources.insert(
            ("question", q.id),
            Source {
                language: q.language.clone(),
                title: q.title.clone(),
                body: content::plain_text(&q.body_md),
                extra: answers_text,
                tags: questions.tags.get(id).cloned().unwrap_or_default(),
                author_id: q.author_id,
                url: crate::qa::service::url_of(q.id, &q.title),
                date: q.created_at.timestamp_millis(),
                score: i64::from(q.score),
                accepted: q.accepted_answer_id.is_some(),
                space: space_of(q.space_id),
            },
        );
    }
    Ok(())
}

/// The answers whose question is live, titled and tagged after it (no query).
fn add_answers(
    found_answers: Vec<answers::Model>,
    questions: &QuestionsFound,
    sources: &mut Sources,
) {
    for a in found_answers {
        let Some(q) = questions.by_id.get(&a.question_id) else {
            continue;
        };
        sources.insert(
            ("answer", a.id),
            Source {
                language: q.language.clone(),
                title: q.title.clone(),
                body: content::plain_text(&a.body_md),
                extra: String::new(),
                tags: questions.tags.get(&q.id).cloned().unwrap_or_default(),
                author_id: a.author_id,
                url: format!(
                    "{}#answer-{}",
                    crate::qa::service::url_of(q.id, &q.title),
                    a.id
                ),
                date: a.created_at.timestamp_millis(),
                score: i64::from(a.score),
                accepted: q.accepted_answer_id == Some(a.id),
                space: space_of(q.space_id),
            },
        );
    }
}

/// The words of the live comments on the posts, questions and answers among `sources`, added
/// to their documents (two queries, none without such documents).
async fn add_comments<C: ConnectionTrait>(conn: &C, sources: &mut Sources) -> anyhow::Result<()> {
    let ids = |kind: &str| -> Vec<i64> {
        sources
            .keys()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| *id)
            .collect()
    };
    let (post_ids, question_ids, answer_ids) = (ids("post"), ids("question"), ids("answer"));
    let mut words: Vec<((&'static str, i64), String)> = Vec::new();
    if !post_ids.is_empty() {
        for c in post_comments::Entity::find()
            .filter(post_comments::Column::PostId.is_in(post_ids))
            .filter(post_comments::Column::DeletedAt.is_null())
            .order_by_asc(post_comments::Column::Id)
            .all(conn)
            .await?
        {
            words.push((("post", c.post_id), c.body_md));
        }
    }
    if !question_ids.is_empty() || !answer_ids.is_empty() {
        for c in qa_comments::Entity::find()
            .filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(qa_comments::Column::QuestionId.is_in(question_ids))
                            .add(qa_comments::Column::AnswerId.is_null()),
                    )
                    .add(qa_comments::Column::AnswerId.is_in(answer_ids)),
            )
            .filter(qa_comments::Column::DeletedAt.is_null())
            .order_by_asc(qa_comments::Column::Id)
            .all(conn)
            .await?
        {
            let key = match c.answer_id {
                Some(answer) => ("answer", answer),
                None => ("question", c.question_id),
            };
            words.push((key, c.body_md));
        }
    }
    for (key, body) in words {
        if let Some(source) = sources.get_mut(&key) {
            if !source.extra.is_empty() {
                source.extra.push('\n');
            }
            source.extra.push_str(&content::plain_text(&body));
        }
    }
    Ok(())
}

/// The people to index and every author's name and declared expertise, by id.
async fn author_summaries<C: ConnectionTrait>(
    conn: &C,
    sources: &Sources,
    person_ids: &[i64],
) -> anyhow::Result<HashMap<i64, PersonSummary>> {
    let mut people_ids: Vec<i64> = sources.values().map(|s| s.author_id).collect();
    people_ids.extend(person_ids);
    people_ids.sort_unstable();
    people_ids.dedup();
    Ok(crate::people::repo::summaries(conn, &people_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// The active people among `person_ids`: their job, location, department, bio and expertise
/// (two queries, none without people).
async fn load_people<C: ConnectionTrait>(
    conn: &C,
    person_ids: &[i64],
    people: &HashMap<i64, PersonSummary>,
    sources: &mut Sources,
) -> anyhow::Result<()> {
    if person_ids.is_empty() {
        return Ok(());
    }
    let users: HashMap<i64, users::Model> = users::Entity::find()
        .filter(users::Column::Id.is_in(person_ids.iter().copied()))
        .filter(users::Column::IsActive.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let bios: HashMap<i64, String> = profiles::Entity::find()
        .filter(profiles::Column::UserId.is_in(person_ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p.bio_md))
        .collect();
    for id in person_ids {
        let (Some(u), Some(s)) = (users.get(id), people.get(id)) else {
            continue;
        };
        let mut body = format!("{}\n{}\n", s.job_title, s.location);
        if let Some(d) = &s.department {
            body.push_str(d);
            body.push('\n');
        }
        if let Some(bio) = bios.get(id) {
            body.push_str(&content::plain_text(bio));
        }
        body.push('\n');
        body.push_str(&s.expertise.join(" "));
        sources.insert(
            ("person", *id),
            Source {
                language: u.locale.clone().unwrap_or_else(|| "en".into()),
                title: u.display_name.clone(),
                body,
                extra: String::new(),
                tags: s.expertise.clone(),
                author_id: *id,
                url: format!("/people/{id}"),
                // People have no date: no recency in their ranking, last by date.
                date: 0,
                score: 0,
                accepted: false,
                space: 0,
            },
        );
    }
    Ok(())
}
