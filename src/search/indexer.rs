//! Applies the search outbox to the index, in order, in small batches; each commit stores the
//! last applied row id in the index. A new (or lost) index is rebuilt from the database.
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tantivy::{TantivyDocument, doc};

use super::{index::SearchIndex, outbox::Doc};
use crate::{
    content,
    entities::{answers, posts, profiles, questions, search_outbox, users},
};

const BATCH: u64 = 500;

fn language_fields(
    idx: &SearchIndex,
    language: &str,
) -> (tantivy::schema::Field, tantivy::schema::Field) {
    let f = &idx.fields;
    if language == "nl" {
        (f.title_nl, f.body_nl)
    } else {
        (f.title_en, f.body_en)
    }
}

#[allow(clippy::too_many_arguments)]
fn document(
    idx: &SearchIndex,
    doc: Doc,
    language: &str,
    title: &str,
    body: &str,
    answers_text: &str,
    tags: &[String],
    author: &str,
    url: &str,
    date: i64,
    score: i64,
) -> TantivyDocument {
    let f = &idx.fields;
    let (title_lang, body_lang) = language_fields(idx, language);
    let mut d = doc!(
        f.key => format!("{}:{}", doc.kind(), doc.id()),
        f.kind => doc.kind(),
        f.entity_id => doc.id(),
        f.title => title,
        title_lang => title,
        f.body => body,
        body_lang => body,
        f.answers => answers_text,
        f.author => author,
        f.url => url,
        f.date => date,
        f.score => score,
    );
    for tag in tags {
        d.add_text(f.tags, tag);
    }
    d
}

async fn author_name<C: ConnectionTrait>(conn: &C, id: i64) -> anyhow::Result<String> {
    Ok(users::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default())
}

/// The document of an entity as it is now, or `None` when nobody may find it (draft, deleted,
/// deactivated...).
pub async fn load<C: ConnectionTrait>(
    conn: &C,
    idx: &SearchIndex,
    doc: Doc,
) -> anyhow::Result<Option<TantivyDocument>> {
    Ok(match doc {
        Doc::Post(id) => {
            let Some(p) = posts::Entity::find_by_id(id)
                .filter(posts::Column::Status.eq("published"))
                .filter(posts::Column::DeletedAt.is_null())
                .one(conn)
                .await?
            else {
                return Ok(None);
            };
            let tags = crate::tags::of_posts(conn, &[id])
                .await?
                .remove(&id)
                .unwrap_or_default();
            Some(document(
                idx,
                doc,
                &p.language,
                &p.title,
                &content::plain_text(&p.body_md),
                "",
                &tags,
                &author_name(conn, p.author_id).await?,
                &format!("/blog/{}", p.slug),
                p.published_at.unwrap_or(p.created_at).timestamp(),
                0,
            ))
        }
        Doc::Question(id) => {
            let Some(q) = crate::qa::repo::question(conn, id).await? else {
                return Ok(None);
            };
            let tags = crate::qa::repo::tags_of(conn, &[id])
                .await?
                .remove(&id)
                .unwrap_or_default();
            // The accepted answer and the three best others, as lower-weight text.
            let mut best = crate::qa::repo::answers_of(conn, id).await?;
            best.sort_by_key(|a| (q.accepted_answer_id != Some(a.id), -a.score));
            let answers_text = best
                .iter()
                .take(4)
                .map(|a| content::plain_text(&a.body_md))
                .collect::<Vec<_>>()
                .join("\n");
            Some(document(
                idx,
                doc,
                &q.language,
                &q.title,
                &content::plain_text(&q.body_md),
                &answers_text,
                &tags,
                &author_name(conn, q.author_id).await?,
                &crate::qa::service::url_of(q.id, &q.title),
                q.created_at.timestamp(),
                i64::from(q.score),
            ))
        }
        Doc::Answer(id) => {
            let Some(a) = crate::qa::repo::answer(conn, id).await? else {
                return Ok(None);
            };
            let Some(q) = crate::qa::repo::question(conn, a.question_id).await? else {
                return Ok(None);
            };
            let tags = crate::qa::repo::tags_of(conn, &[q.id])
                .await?
                .remove(&q.id)
                .unwrap_or_default();
            Some(document(
                idx,
                doc,
                &q.language,
                &q.title,
                &content::plain_text(&a.body_md),
                "",
                &tags,
                &author_name(conn, a.author_id).await?,
                &format!(
                    "{}#answer-{}",
                    crate::qa::service::url_of(q.id, &q.title),
                    a.id
                ),
                a.created_at.timestamp(),
                i64::from(a.score),
            ))
        }
        Doc::Person(id) => {
            let Some(u) = users::Entity::find_by_id(id)
                .filter(users::Column::IsActive.eq(true))
                .one(conn)
                .await?
            else {
                return Ok(None);
            };
            let profile = profiles::Entity::find_by_id(id).one(conn).await?;
            let summary = crate::people::repo::summaries(conn, &[id]).await?.pop();
            let mut body = String::new();
            if let Some(s) = &summary {
                body.push_str(&format!("{}\n{}\n", s.job_title, s.location));
                if let Some(d) = &s.department {
                    body.push_str(d);
                    body.push('\n');
                }
            }
            if let Some(p) = &profile {
                body.push_str(&content::plain_text(&p.bio_md));
            }
            let expertise = summary.map(|s| s.expertise).unwrap_or_default();
            body.push('\n');
            body.push_str(&expertise.join(" "));
            Some(document(
                idx,
                doc,
                u.locale.as_deref().unwrap_or("en"),
                &u.display_name,
                &body,
                "",
                &expertise,
                &u.display_name,
                &format!("/people/{id}"),
                u.created_at.timestamp(),
                0,
            ))
        }
    })
}

fn parse_doc(kind: &str, id: i64) -> Option<Doc> {
    Some(match kind {
        "post" => Doc::Post(id),
        "question" => Doc::Question(id),
        "answer" => Doc::Answer(id),
        "person" => Doc::Person(id),
        _ => return None,
    })
}

/// Replaces (or removes) these documents and commits with `position` as the new outbox
/// position.
async fn write(
    db: &DatabaseConnection,
    idx: &SearchIndex,
    docs: &[Doc],
    position: i64,
) -> anyhow::Result<()> {
    let mut built = Vec::with_capacity(docs.len());
    for doc in docs {
        built.push((*doc, load(db, idx, *doc).await?));
    }
    let mut writer = idx.writer.lock().await;
    for (doc, document) in built {
        writer.delete_term(idx.key_term(&format!("{}:{}", doc.kind(), doc.id())));
        if let Some(document) = document {
            writer.add_document(document)?;
        }
    }
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&position.to_string());
    commit.commit()?;
    drop(writer);
    idx.reader.reload()?;
    Ok(())
}

/// Applies the next outbox rows (at most one batch); returns how many were applied.
pub async fn apply_pending(db: &DatabaseConnection, idx: &SearchIndex) -> anyhow::Result<usize> {
    let position = idx.position();
    let rows = search_outbox::Entity::find()
        .filter(search_outbox::Column::Id.gt(position))
        .order_by_asc(search_outbox::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let Some(last) = rows.last().map(|r| r.id) else {
        return Ok(0);
    };
    // Each document once, and an answer's question with it (its text and ranking use the answer).
    let mut seen: HashMap<(String, i64), ()> = HashMap::new();
    let mut docs = Vec::new();
    for row in &rows {
        let Some(doc) = parse_doc(&row.kind, row.entity_id) else {
            continue;
        };
        let mut add = |doc: Doc| {
            if seen.insert((doc.kind().to_owned(), doc.id()), ()).is_none() {
                docs.push(doc);
            }
        };
        add(doc);
        if let Doc::Answer(id) = doc
            && let Some(a) = answers::Entity::find_by_id(id).one(db).await?
        {
            add(Doc::Question(a.question_id));
        }
    }
    write(db, idx, &docs, last).await?;
    Ok(rows.len())
}

/// Rebuilds the whole index from the database (a new or lost index). The outbox position is
/// read first, so changes made meanwhile are applied again afterwards (applying is idempotent).
pub async fn rebuild(db: &DatabaseConnection, idx: &SearchIndex) -> anyhow::Result<usize> {
    let position: Option<i64> = search_outbox::Entity::find()
        .select_only()
        .column_as(search_outbox::Column::Id.max(), "max")
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let mut docs: Vec<Doc> = Vec::new();
    let ids = |rows: Vec<i64>, f: fn(i64) -> Doc| rows.into_iter().map(f).collect::<Vec<_>>();
    docs.extend(ids(
        posts::Entity::find()
            .select_only()
            .column(posts::Column::Id)
            .filter(posts::Column::Status.eq("published"))
            .filter(posts::Column::DeletedAt.is_null())
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
            .into_tuple()
            .all(db)
            .await?,
        Doc::Person,
    ));
    {
        let writer = idx.writer.lock().await;
        writer.delete_all_documents()?;
        drop(writer);
    }
    let total = docs.len();
    for chunk in docs.chunks(BATCH as usize) {
        write(db, idx, chunk, 0).await?;
    }
    write(db, idx, &[], position.unwrap_or(0)).await?;
    Ok(total)
}

/// How often the indexer looks for new outbox rows: new content is searchable within this
/// plus one commit.
const POLL: std::time::Duration = std::time::Duration::from_millis(200);

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

/// The indexer task: tails the outbox.
pub fn spawn(state: crate::state::AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(POLL);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(e) = drain(&state.db, &state.search).await {
                tracing::error!(error = format!("{e:#}"), "search indexing failed");
            }
        }
    })
}
