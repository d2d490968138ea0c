//! Q&A rules: who edits, closes, accepts and marks what; asking and answering with revision
//! history; acceptance; closing as duplicate or off-topic; invitations; outdated answers.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
    sea_query::{Expr, ExprTrait},
};

use super::{
    comments,
    repo::{self, CLOSED, ListFilter, OPEN},
    tagging,
    types::{
        AnswerInput, CloseInput, CloseReason, QuestionInput, QuestionPatch, parse_body, parse_title,
    },
    views::{
        AnswerView, Outdated, QaRevision, QuestionLink, QuestionPage, QuestionSummary, QuestionView,
    },
};
use crate::{
    auth::{current_user::CurrentUser, types::Role},
    blog::repo::authors,
    content,
    content::mentions,
    entities::{answer_invitations, answers, qa_revisions, questions, users},
    error::{AppError, AppResult, Msg},
    events::{self, Doc, Event},
    web::pagination::Keyset,
};

pub const PAGE_SIZE: u64 = 20;
const EXCERPT_CHARS: usize = 200;
const SIMILAR_MAX: usize = 5;

// ---- permissions ----------------------------------------------------------------------------

/// Q&A moderators: editors, the social team and admins. They edit, close, reopen and accept on
/// anyone's questions.
pub fn is_moderator(user: &CurrentUser) -> bool {
    user.has(Role::Editor) || user.has(Role::SocialTeam) || user.has(Role::Admin)
}

fn owns_or_moderates(author_id: i64, user: &CurrentUser) -> bool {
    author_id == user.id.0 || is_moderator(user)
}

/// The question, unless deleted (404).
pub async fn visible_question<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> AppResult<questions::Model> {
    repo::question(conn, id).await?.ok_or(AppError::NotFound)
}

/// The answer and its question, unless either is deleted (404).
pub async fn visible_answer<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> AppResult<(answers::Model, questions::Model)> {
    let answer = repo::answer(conn, id).await?.ok_or(AppError::NotFound)?;
    let question = visible_question(conn, answer.question_id).await?;
    Ok((answer, question))
}

/// Whether the user may mark the answer outdated (or current again): its author, the asker,
/// an expert in one of the question's tags, or a moderator.
async fn can_mark_outdated<C: ConnectionTrait>(
    conn: &C,
    user: &CurrentUser,
    answer: &answers::Model,
    question: &questions::Model,
    experts: Option<&[i64]>,
) -> AppResult<bool> {
    if answer.author_id == user.id.0 || question.author_id == user.id.0 || is_moderator(user) {
        return Ok(true);
    }
    Ok(match experts {
        Some(ids) => ids.contains(&user.id.0),
        None => {
            let tag_ids = repo::tag_ids_of(conn, question.id).await?;
            tagging::experts_of(conn, &tag_ids)
                .await?
                .contains(&user.id.0)
        }
    })
}

// ---- views ----------------------------------------------------------------------------------

pub fn url_of(id: i64, title: &str) -> String {
    format!("/questions/{id}/{}", content::slugify(title, 80))
}

async fn summaries<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<questions::Model>,
) -> AppResult<Vec<QuestionSummary>> {
    let ids: Vec<i64> = rows.iter().map(|q| q.id).collect();
    let author_ids: Vec<i64> = rows.iter().map(|q| q.author_id).collect();
    let authors = authors(conn, &author_ids).await?;
    let mut tags = repo::tags_of(conn, &ids).await?;
    let answered = repo::answered(conn, &rows).await?;
    rows.into_iter()
        .map(|q| {
            let author = authors
                .get(&q.author_id)
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("question {} has no author", q.id))?;
            Ok(QuestionSummary {
                url: url_of(q.id, &q.title),
                excerpt: content::excerpt(&q.body_md, EXCERPT_CHARS),
                tags: tags.remove(&q.id).unwrap_or_default(),
                is_answered: answered.contains(&q.id),
                id: q.id,
                title: q.title,
                language: q.language,
                author,
                score: q.score,
                answer_count: q.answer_count,
                accepted_answer_id: q.accepted_answer_id,
                status: q.status,
                close_reason: q.close_reason,
                created_at: q.created_at,
                last_activity_at: q.last_activity_at,
            })
        })
        .collect()
}

async fn links<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<questions::Model>,
) -> AppResult<Vec<QuestionLink>> {
    let answered = repo::answered(conn, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|q| QuestionLink {
            url: url_of(q.id, &q.title),
            is_answered: answered.contains(&q.id),
            accepted: q.accepted_answer_id.is_some(),
            id: q.id,
            title: q.title,
            answer_count: q.answer_count,
        })
        .collect())
}

async fn name_of<C: ConnectionTrait>(conn: &C, id: Option<i64>) -> AppResult<Option<String>> {
    Ok(match id {
        Some(id) => users::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|u| u.display_name),
        None => None,
    })
}

/// A question with its answers and comments, as `viewer` sees it.
pub async fn view<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    question: questions::Model,
) -> AppResult<QuestionView> {
    let answer_rows = repo::answers_of(conn, question.id).await?;
    let answer_ids: Vec<i64> = answer_rows.iter().map(|a| a.id).collect();
    let mut people: Vec<i64> = answer_rows.iter().map(|a| a.author_id).collect();
    people.push(question.author_id);
    let authors = authors(conn, &people).await?;
    let my_question_vote = repo::question_votes_of(conn, viewer.id.0, &[question.id])
        .await?
        .get(&question.id)
        .copied()
        .unwrap_or(0);
    let my_answer_votes = repo::answer_votes_of(conn, viewer.id.0, &answer_ids).await?;
    let mut comments = comments::of_question(conn, viewer, question.id).await?;
    let tag_ids = repo::tag_ids_of(conn, question.id).await?;
    let experts = tagging::experts_of(conn, &tag_ids).await?;
    let outdated_names: HashMap<i64, String> = {
        let ids: Vec<i64> = answer_rows.iter().filter_map(|a| a.outdated_by).collect();
        if ids.is_empty() {
            HashMap::new()
        } else {
            users::Entity::find()
                .filter(users::Column::Id.is_in(ids))
                .all(conn)
                .await?
                .into_iter()
                .map(|u| (u.id, u.display_name))
                .collect()
        }
    };
    let can_accept = owns_or_moderates(question.author_id, viewer);
    let mut answers = Vec::with_capacity(answer_rows.len());
    for a in answer_rows {
        let author = authors
            .get(&a.author_id)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("answer {} has no author", a.id))?;
        let can_mark = can_mark_outdated(conn, viewer, &a, &question, Some(&experts)).await?;
        answers.push(AnswerView {
            id: a.id,
            question_id: a.question_id,
            author,
            is_accepted: question.accepted_answer_id == Some(a.id),
            my_vote: my_answer_votes.get(&a.id).copied().unwrap_or(0),
            outdated: a.outdated_at.map(|at| Outdated {
                at,
                by_name: a
                    .outdated_by
                    .and_then(|id| outdated_names.get(&id).cloned()),
            }),
            edited: a.updated_at > a.created_at,
            can_edit: owns_or_moderates(a.author_id, viewer),
            can_accept,
            can_mark_outdated: can_mark,
            comments: comments.remove(&Some(a.id)).unwrap_or_default(),
            created_at: a.created_at,
            updated_at: a.updated_at,
            score: a.score,
            body_html: a.body_html,
            body: a.body_md,
        });
    }
    // Accepted first; `answers_of` already sorts by score, then age.
    answers.sort_by_key(|a| !a.is_accepted);
    let duplicate_of = match question.duplicate_of_id {
        Some(id) => links(conn, repo::question(conn, id).await?.into_iter().collect())
            .await?
            .pop(),
        None => None,
    };
    let duplicates = links(conn, repo::duplicates_of(conn, question.id).await?).await?;
    let closed_by_name = name_of(conn, question.closed_by).await?;
    let is_author = question.author_id == viewer.id.0;
    let can_edit = owns_or_moderates(question.author_id, viewer);
    let can_delete = (is_author && question.answer_count == 0) || is_moderator(viewer);
    let body = question.body_md.clone();
    let body_html = question.body_html.clone();
    let edited = question.updated_at > question.created_at;
    let updated_at = question.updated_at;
    let closed_at = question.closed_at;
    let summary = summaries(conn, vec![question])
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("summary of one question is missing"))?;
    Ok(QuestionView {
        summary,
        body,
        body_html,
        my_vote: my_question_vote,
        edited,
        updated_at,
        closed_at,
        closed_by_name,
        duplicate_of,
        duplicates,
        can_edit,
        can_close: can_edit,
        can_accept,
        can_delete,
        comments: comments.remove(&None).unwrap_or_default(),
        answers,
    })
}

pub async fn get(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<QuestionView> {
    let question = visible_question(db, id).await?;
    view(db, viewer, question).await
}

// ---- lists ----------------------------------------------------------------------------------

pub async fn list(
    db: &DatabaseConnection,
    filter: &ListFilter,
    before: Option<&str>,
    limit: u64,
) -> AppResult<QuestionPage> {
    let cursor = before.map(Keyset::parse).transpose()?;
    let limit = limit.clamp(1, 100);
    let mut rows = repo::list(db, filter, cursor, limit).await?;
    let next_cursor = (rows.len() as u64 > limit)
        .then(|| rows.get(limit as usize - 1))
        .flatten()
        .map(|q| {
            let at = match filter.sort {
                super::types::Sort::Active => q.last_activity_at,
                _ => q.created_at,
            };
            Keyset { at, id: q.id }.encode()
        });
    rows.truncate(limit as usize);
    Ok(QuestionPage {
        items: summaries(db, rows).await?,
        next_cursor,
    })
}

/// The tag's id for a list filter, or 404 for an unknown tag (synonyms lead to their tag).
pub async fn tag_id(db: &DatabaseConnection, name: &str) -> AppResult<i64> {
    // A filter names a tag that exists: one no tag could be called (too long) is just unknown.
    let name = crate::tags::parse_list(&[name])
        .ok()
        .and_then(|mut names| names.pop())
        .ok_or(AppError::NotFound)?;
    Ok(tagging::find(db, &name).await?.id)
}

/// Words of a title worth matching: lower case, at least three letters, no common words.
fn significant_words(title: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "the", "and", "for", "how", "what", "why", "who", "can", "does", "with", "our", "you",
        "are", "when", "where", "which", "het", "een", "van", "voor", "hoe", "wat", "waar", "wie",
        "kan", "ik", "mijn", "met", "die", "dat", "niet", "zijn", "wordt", "welke",
    ];
    let mut words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !COMMON.contains(&w.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words.truncate(8);
    words
}

/// The questions of these ids (best first) as suggestions while asking: a question closed as a
/// duplicate gives way to its original, deleted ones drop out, at most five.
pub async fn similar_by_ids(db: &DatabaseConnection, ids: &[i64]) -> AppResult<Vec<QuestionLink>> {
    let found: HashMap<i64, questions::Model> = questions::Entity::find()
        .filter(questions::Column::Id.is_in(ids.iter().copied()))
        .filter(questions::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let originals: Vec<i64> = found
        .values()
        .filter_map(|q| q.duplicate_of_id)
        .filter(|id| !found.contains_key(id))
        .collect();
    let mut originals: HashMap<i64, questions::Model> = questions::Entity::find()
        .filter(questions::Column::Id.is_in(originals))
        .filter(questions::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let mut rows: Vec<questions::Model> = Vec::new();
    for id in ids {
        let Some(q) = found.get(id) else { continue };
        let shown = match q.duplicate_of_id {
            Some(original) => found
                .get(&original)
                .cloned()
                .or_else(|| originals.remove(&original)),
            None => Some(q.clone()),
        };
        if let Some(shown) = shown
            && !rows.iter().any(|r| r.id == shown.id)
        {
            rows.push(shown);
        }
        if rows.len() == SIMILAR_MAX {
            break;
        }
    }
    links(db, rows).await
}

/// Existing questions whose titles share the most words with `title`, matched in the database
/// (while the search index is being rebuilt).
pub async fn similar(db: &DatabaseConnection, title: &str) -> AppResult<Vec<QuestionLink>> {
    let words = significant_words(title);
    if words.is_empty() {
        return Ok(vec![]);
    }
    let candidates = repo::title_matches(db, &words, 100).await?;
    let mut scored: Vec<(usize, questions::Model)> = candidates
        .into_iter()
        .map(|q| {
            let lower = q.title.to_lowercase();
            (
                words.iter().filter(|w| lower.contains(w.as_str())).count(),
                q,
            )
        })
        .collect();
    // Most shared words first; among equals the newest (candidates come newest first).
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    let best = words.len().min(2);
    let rows = scored
        .into_iter()
        .filter(|(n, _)| *n >= best)
        .take(SIMILAR_MAX)
        .map(|(_, q)| q)
        .collect();
    links(db, rows).await
}

// ---- asking and editing ---------------------------------------------------------------------

async fn revision<C: ConnectionTrait>(
    conn: &C,
    editor: &CurrentUser,
    question_id: Option<i64>,
    answer_id: Option<i64>,
    title: Option<String>,
    body_md: String,
    tags: Option<String>,
) -> AppResult<()> {
    qa_revisions::ActiveModel {
        question_id: Set(question_id),
        answer_id: Set(answer_id),
        editor_id: Set(Some(editor.id.0)),
        title: Set(title),
        body_md: Set(body_md),
        tags: Set(tags),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub async fn ask(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    input: &QuestionInput,
) -> AppResult<QuestionView> {
    let title = parse_title(&input.title)?;
    let body = parse_body(&input.body, "err-question-body-empty")?;
    let language = input.language.or(actor.locale).unwrap_or_default();
    let rendered = mentions::render(db, &body, "body").await?;
    let (body_html, mentioned) = (rendered.html, rendered.mentioned);
    let txn = crate::db::begin(db).await?;
    let tag_names = tagging::resolve(&txn, actor, &input.tags).await?;
    let now = Utc::now();
    let question = questions::ActiveModel {
        author_id: Set(actor.id.0),
        title: Set(title),
        body_html: Set(body_html),
        body_md: Set(body),
        language: Set(language.code().to_owned()),
        status: Set(OPEN.to_owned()),
        close_reason: Set(None),
        duplicate_of_id: Set(None),
        closed_by: Set(None),
        closed_at: Set(None),
        score: Set(0),
        answer_count: Set(0),
        accepted_answer_id: Set(None),
        last_activity_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    tagging::set_for_question(&txn, question.id, &tag_names).await?;
    events::record(
        &txn,
        Event::QuestionAsked {
            question: question.clone(),
            actor: actor.actor(),
            mentioned,
        },
    )
    .await?;
    txn.commit().await?;
    view(db, actor, question).await
}

/// Edits a question (author or moderator); the previous version is kept as a revision.
pub async fn update_question(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    patch: &QuestionPatch,
) -> AppResult<QuestionView> {
    let title = patch.title.as_deref().map(parse_title).transpose()?;
    let body = patch
        .body
        .as_deref()
        .map(|b| parse_body(b, "err-question-body-empty"))
        .transpose()?;
    // Rendered before the transaction: rendering never holds the write lock.
    let rendered = match &body {
        Some(body) => Some(mentions::render(db, body, "body").await?),
        None => None,
    };
    let txn = crate::db::begin(db).await?;
    let question = visible_question(&txn, id).await?;
    if !owns_or_moderates(question.author_id, actor) {
        return Err(AppError::forbidden());
    }
    let old_tags = repo::tags_of(&txn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let new_tags = match &patch.tags {
        Some(raw) => Some(tagging::resolve(&txn, actor, raw).await?),
        None => None,
    };
    let title_changed = title.as_ref().is_some_and(|t| *t != question.title);
    let body_changed = body.as_ref().is_some_and(|b| *b != question.body_md);
    let tags_changed = new_tags.as_ref().is_some_and(|t| {
        let mut sorted = t.clone();
        sorted.sort();
        sorted != old_tags
    });
    let language_changed = patch
        .language
        .is_some_and(|l| l.code() != question.language);
    if !(title_changed || body_changed || tags_changed || language_changed) {
        txn.commit().await?;
        return view(db, actor, question).await;
    }
    revision(
        &txn,
        actor,
        Some(id),
        None,
        Some(question.title.clone()),
        question.body_md.clone(),
        Some(old_tags.join(",")),
    )
    .await?;
    if let Some(tags) = &new_tags {
        tagging::set_for_question(&txn, id, tags).await?;
    }
    let now = Utc::now();
    let mut active = question.into_active_model();
    if let Some(title) = title {
        active.title = Set(title);
    }
    let mut mentioned = vec![];
    if let (Some(body), Some(rendered)) = (body, rendered) {
        mentioned = rendered.mentioned;
        active.body_html = Set(rendered.html);
        active.body_md = Set(body);
    }
    if let Some(language) = patch.language {
        active.language = Set(language.code().to_owned());
    }
    active.updated_at = Set(now);
    active.last_activity_at = Set(now);
    let question = active.update(&txn).await?;
    events::record(
        &txn,
        Event::QuestionEdited {
            question: question.clone(),
            actor: actor.actor(),
            mentioned,
        },
    )
    .await?;
    txn.commit().await?;
    view(db, actor, question).await
}

/// Deletes a question: its author while it has no answers, moderators always (soft delete).
pub async fn delete_question(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
) -> AppResult<()> {
    let question = visible_question(db, id).await?;
    let is_author = question.author_id == actor.id.0;
    if !is_moderator(actor) {
        if !is_author {
            return Err(AppError::forbidden());
        }
        if question.answer_count > 0 {
            return Err(AppError::conflict("err-question-has-answers"));
        }
    }
    let txn = crate::db::begin(db).await?;
    questions::Entity::update_many()
        .col_expr(questions::Column::DeletedAt, Expr::val(Utc::now()))
        .filter(questions::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    // Its answers go with it.
    let answer_ids = repo::answers_of(&txn, id)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    events::record(
        &txn,
        Event::QuestionDeleted {
            question_id: id,
            answer_ids,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn revisions_of_question(db: &DatabaseConnection, id: i64) -> AppResult<Vec<QaRevision>> {
    visible_question(db, id).await?;
    revisions(db, qa_revisions::Column::QuestionId.eq(id)).await
}

pub async fn revisions_of_answer(db: &DatabaseConnection, id: i64) -> AppResult<Vec<QaRevision>> {
    visible_answer(db, id).await?;
    revisions(db, qa_revisions::Column::AnswerId.eq(id)).await
}

async fn revisions(
    db: &DatabaseConnection,
    which: sea_orm::sea_query::SimpleExpr,
) -> AppResult<Vec<QaRevision>> {
    let rows = qa_revisions::Entity::find()
        .filter(which)
        .order_by_desc(qa_revisions::Column::Id)
        .all(db)
        .await?;
    let editor_ids: Vec<i64> = rows.iter().filter_map(|r| r.editor_id).collect();
    let editors = authors(db, &editor_ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| QaRevision {
            id: r.id,
            title: r.title,
            body: r.body_md,
            tags: r.tags,
            editor_name: r
                .editor_id
                .and_then(|id| editors.get(&id).map(|a| a.display_name.clone())),
            created_at: r.created_at,
        })
        .collect())
}

// ---- answering ------------------------------------------------------------------------------

async fn touch<C: ConnectionTrait>(conn: &C, question_id: i64) -> AppResult<()> {
    questions::Entity::update_many()
        .col_expr(questions::Column::LastActivityAt, Expr::val(Utc::now()))
        .filter(questions::Column::Id.eq(question_id))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn answer(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    question_id: i64,
    input: &AnswerInput,
) -> AppResult<AnswerView> {
    let body = parse_body(&input.body, "err-answer-body-empty")?;
    let rendered = mentions::render(db, &body, "body").await?;
    let (body_html, mentioned) = (rendered.html, rendered.mentioned);
    let txn = crate::db::begin(db).await?;
    let question = visible_question(&txn, question_id).await?;
    if question.status == CLOSED {
        return Err(AppError::conflict("err-question-closed"));
    }
    let now = Utc::now();
    let answer = answers::ActiveModel {
        question_id: Set(question_id),
        author_id: Set(actor.id.0),
        body_html: Set(body_html),
        body_md: Set(body),
        score: Set(0),
        outdated_at: Set(None),
        outdated_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    questions::Entity::update_many()
        .col_expr(
            questions::Column::AnswerCount,
            Expr::col(questions::Column::AnswerCount).add(1),
        )
        .col_expr(questions::Column::LastActivityAt, Expr::val(now))
        .filter(questions::Column::Id.eq(question_id))
        .exec(&txn)
        .await?;
    events::record(
        &txn,
        Event::AnswerPosted {
            question,
            answer: answer.clone(),
            actor: actor.actor(),
            mentioned,
        },
    )
    .await?;
    txn.commit().await?;
    answer_view(db, actor, answer.id).await
}

/// One answer as it shows on its question's page.
pub async fn answer_view(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<AnswerView> {
    let (_, question) = visible_answer(db, id).await?;
    view(db, viewer, question)
        .await?
        .answers
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)
}

/// Edits an answer (author or moderator), keeping the previous version; an outdated answer
/// counts as current again.
pub async fn update_answer(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    input: &AnswerInput,
) -> AppResult<AnswerView> {
    let body = parse_body(&input.body, "err-answer-body-empty")?;
    let rendered = mentions::render(db, &body, "body").await?;
    let txn = crate::db::begin(db).await?;
    let (answer, _) = visible_answer(&txn, id).await?;
    if !owns_or_moderates(answer.author_id, actor) {
        return Err(AppError::forbidden());
    }
    if body != answer.body_md {
        revision(
            &txn,
            actor,
            None,
            Some(id),
            None,
            answer.body_md.clone(),
            None,
        )
        .await?;
        let question_id = answer.question_id;
        let (html, mentioned) = (rendered.html, rendered.mentioned);
        let mut active = answer.into_active_model();
        active.body_html = Set(html);
        active.body_md = Set(body);
        active.updated_at = Set(Utc::now());
        active.outdated_at = Set(None);
        active.outdated_by = Set(None);
        active.update(&txn).await?;
        touch(&txn, question_id).await?;
        let event = match crate::qa::repo::question(&txn, question_id).await? {
            Some(question) => Event::AnswerEdited {
                question,
                answer_id: id,
                actor: actor.actor(),
                mentioned,
            },
            None => Event::ContentChanged {
                docs: vec![Doc::Answer(id), Doc::Question(question_id)],
            },
        };
        events::record(&txn, event).await?;
    }
    txn.commit().await?;
    answer_view(db, actor, id).await
}

/// Deletes an answer (author or moderator); an accepted answer stops being accepted.
pub async fn delete_answer(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<()> {
    let txn = crate::db::begin(db).await?;
    let (answer, question) = visible_answer(&txn, id).await?;
    if !owns_or_moderates(answer.author_id, actor) {
        return Err(AppError::forbidden());
    }
    answers::Entity::update_many()
        .col_expr(answers::Column::DeletedAt, Expr::val(Utc::now()))
        .filter(answers::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    // The acceptance is cleared by the update itself (not from what was read before), so an
    // accept of this answer committed meanwhile cannot survive its deletion.
    questions::Entity::update_many()
        .col_expr(
            questions::Column::AnswerCount,
            Expr::col(questions::Column::AnswerCount).sub(1),
        )
        .col_expr(
            questions::Column::AcceptedAnswerId,
            Expr::case(
                questions::Column::AcceptedAnswerId.eq(id),
                Expr::val(Option::<i64>::None),
            )
            .finally(Expr::col(questions::Column::AcceptedAnswerId))
            .into(),
        )
        .filter(questions::Column::Id.eq(question.id))
        .exec(&txn)
        .await?;
    events::record(
        &txn,
        Event::AnswerDeleted {
            question_id: question.id,
            answer_id: id,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---- accepting ------------------------------------------------------------------------------

/// Accepts an answer (the asker or a moderator); accepting another moves the acceptance.
pub async fn accept(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    answer_id: i64,
) -> AppResult<QuestionView> {
    let (_, question) = visible_answer(db, answer_id).await?;
    if !owns_or_moderates(question.author_id, actor) {
        return Err(AppError::Forbidden(Msg::new("err-accept-not-asker")));
    }
    // Compare and set: the acceptance changes only from the value this transaction read, so
    // two people accepting different answers at once cannot both take the previous one's
    // points back (or both keep their own); the one that finds it changed starts over.
    for _ in 0..ACCEPT_ATTEMPTS {
        let txn = crate::db::begin(db).await?;
        let question = visible_question(&txn, question.id).await?;
        let previous = question.accepted_answer_id;
        let unchanged = match previous {
            Some(p) => questions::Column::AcceptedAnswerId.eq(p),
            None => questions::Column::AcceptedAnswerId.is_null(),
        };
        let changed = questions::Entity::update_many()
            .col_expr(questions::Column::AcceptedAnswerId, Expr::val(answer_id))
            .col_expr(questions::Column::LastActivityAt, Expr::val(Utc::now()))
            .filter(questions::Column::Id.eq(question.id))
            .filter(unchanged)
            .exec(&txn)
            .await?
            .rows_affected;
        if changed == 0 {
            txn.rollback().await?;
            continue;
        }
        let answer = crate::qa::repo::answer(&txn, answer_id).await?;
        let event = match answer {
            Some(answer) if previous != Some(answer_id) => {
                let previous = match previous {
                    Some(p) => crate::qa::repo::answer(&txn, p).await?,
                    None => None,
                };
                Event::AnswerAccepted {
                    question: question.clone(),
                    answer,
                    previous,
                    actor: actor.actor(),
                }
            }
            // Accepted again, or gone meanwhile: only the documents change.
            _ => Event::ContentChanged {
                docs: vec![Doc::Question(question.id), Doc::Answer(answer_id)],
            },
        };
        events::record(&txn, event).await?;
        txn.commit().await?;
        return get(db, actor, question.id).await;
    }
    Err(AppError::conflict("err-accept-busy"))
}

/// Tries of an acceptance that keeps finding the question changed by another one.
const ACCEPT_ATTEMPTS: usize = 5;

/// Takes the acceptance back, if this answer holds it.
pub async fn unaccept(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    answer_id: i64,
) -> AppResult<QuestionView> {
    let (_, question) = visible_answer(db, answer_id).await?;
    if !owns_or_moderates(question.author_id, actor) {
        return Err(AppError::Forbidden(Msg::new("err-accept-not-asker")));
    }
    let txn = crate::db::begin(db).await?;
    let changed = questions::Entity::update_many()
        .col_expr(
            questions::Column::AcceptedAnswerId,
            Expr::val(Option::<i64>::None),
        )
        .filter(questions::Column::Id.eq(question.id))
        .filter(questions::Column::AcceptedAnswerId.eq(answer_id))
        .exec(&txn)
        .await?
        .rows_affected;
    if changed > 0 {
        let event = match crate::qa::repo::answer(&txn, answer_id).await? {
            Some(answer) => Event::AnswerUnaccepted {
                question: question.clone(),
                answer,
            },
            None => Event::ContentChanged {
                docs: vec![Doc::Question(question.id), Doc::Answer(answer_id)],
            },
        };
        events::record(&txn, event).await?;
    }
    txn.commit().await?;
    get(db, actor, question.id).await
}

// ---- closing --------------------------------------------------------------------------------

/// Follows a chain of duplicates to the original question.
async fn original_of<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<questions::Model> {
    let mut question = repo::question(conn, id)
        .await?
        .ok_or_else(|| AppError::validation("duplicate_of", Msg::new("err-duplicate-unknown")))?;
    for _ in 0..10 {
        match question.duplicate_of_id {
            Some(next) if question.status == CLOSED => match repo::question(conn, next).await? {
                Some(q) => question = q,
                None => break,
            },
            _ => break,
        }
    }
    Ok(question)
}

/// Closes a question as a duplicate of another (which then lists it) or as off-topic: its
/// author or a moderator. A closed question takes no answers until reopened.
pub async fn close(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    input: &CloseInput,
) -> AppResult<QuestionView> {
    let txn = crate::db::begin(db).await?;
    let question = visible_question(&txn, id).await?;
    if !owns_or_moderates(question.author_id, actor) {
        return Err(AppError::forbidden());
    }
    if question.status == CLOSED {
        return Err(AppError::conflict("err-question-already-closed"));
    }
    let duplicate_of = match input.reason {
        CloseReason::Duplicate => {
            let target = input.duplicate_of.ok_or_else(|| {
                AppError::validation("duplicate_of", Msg::new("err-duplicate-missing"))
            })?;
            let original = original_of(&txn, target).await?;
            if original.id == id {
                return Err(AppError::validation(
                    "duplicate_of",
                    Msg::new("err-duplicate-self"),
                ));
            }
            Some(original.id)
        }
        CloseReason::OffTopic => None,
    };
    let now = Utc::now();
    let mut active = question.into_active_model();
    active.status = Set(CLOSED.to_owned());
    active.close_reason = Set(Some(input.reason.as_str().to_owned()));
    active.duplicate_of_id = Set(duplicate_of);
    active.closed_by = Set(Some(actor.id.0));
    active.closed_at = Set(Some(now));
    active.last_activity_at = Set(now);
    let question = active.update(&txn).await?;
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Question(id)],
        },
    )
    .await?;
    txn.commit().await?;
    view(db, actor, question).await
}

pub async fn reopen(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
) -> AppResult<QuestionView> {
    let txn = crate::db::begin(db).await?;
    let question = visible_question(&txn, id).await?;
    if !owns_or_moderates(question.author_id, actor) {
        return Err(AppError::forbidden());
    }
    if question.status != CLOSED {
        return Err(AppError::conflict("err-question-not-closed"));
    }
    let mut active = question.into_active_model();
    active.status = Set(OPEN.to_owned());
    active.close_reason = Set(None);
    active.duplicate_of_id = Set(None);
    active.closed_by = Set(None);
    active.closed_at = Set(None);
    active.last_activity_at = Set(Utc::now());
    let question = active.update(&txn).await?;
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Question(id)],
        },
    )
    .await?;
    txn.commit().await?;
    view(db, actor, question).await
}

// ---- content health and invitations ---------------------------------------------------------

/// Marks an answer outdated (`true`) or current again (`false`): its author, the asker, an
/// expert in the question's tags, or a moderator. An outdated answer shows a banner and does not
/// make its question answered until it is updated.
pub async fn set_outdated(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    answer_id: i64,
    outdated: bool,
) -> AppResult<AnswerView> {
    let (answer, question) = visible_answer(db, answer_id).await?;
    if !can_mark_outdated(db, actor, &answer, &question, None).await? {
        return Err(AppError::forbidden());
    }
    let (at, by) = if outdated {
        (Some(Utc::now()), Some(actor.id.0))
    } else {
        (None, None)
    };
    let txn = crate::db::begin(db).await?;
    answers::Entity::update_many()
        .col_expr(answers::Column::OutdatedAt, Expr::val(at))
        .col_expr(answers::Column::OutdatedBy, Expr::val(by))
        .filter(answers::Column::Id.eq(answer_id))
        .exec(&txn)
        .await?;
    events::record(
        &txn,
        Event::ContentChanged {
            docs: vec![Doc::Answer(answer_id), Doc::Question(question.id)],
        },
    )
    .await?;
    txn.commit().await?;
    answer_view(db, actor, answer_id).await
}

/// Asks a colleague to answer; they find it under "For you". Inviting twice is harmless.
pub async fn invite(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    question_id: i64,
    invitee_id: i64,
) -> AppResult<()> {
    let question = visible_question(db, question_id).await?;
    if question.status == CLOSED {
        return Err(AppError::conflict("err-question-closed"));
    }
    let invitee = crate::auth::repo::find(db, crate::auth::types::UserId(invitee_id))
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| AppError::validation("user_id", Msg::new("err-user-unknown")))?;
    if invitee.id == question.author_id || invitee.id == actor.id.0 {
        return Err(AppError::validation("user_id", Msg::new("err-invite-self")));
    }
    let txn = crate::db::begin(db).await?;
    answer_invitations::Entity::insert(answer_invitations::ActiveModel {
        question_id: Set(question_id),
        invitee_id: Set(invitee.id),
        inviter_id: Set(actor.id.0),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::columns([
            answer_invitations::Column::QuestionId,
            answer_invitations::Column::InviteeId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    events::record(
        &txn,
        Event::InvitedToAnswer {
            question,
            invitee_id: invitee.id,
            actor: actor.actor(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_words_drop_short_and_common_words() {
        assert_eq!(
            significant_words("How do I reach the VPN from home?"),
            vec!["from", "home", "reach", "vpn"]
        );
        assert_eq!(
            significant_words("Hoe werkt de VPN thuis?"),
            vec!["thuis", "vpn", "werkt"]
        );
        assert!(significant_words("a b?").is_empty());
    }
}
