//! Q&A rules: who edits, closes, accepts and marks what; asking, editing and deleting questions
//! with revision history; the question page. Answering and acceptance live in `answering`,
//! closing and invitations in `moderation`, lists and similar questions in `lists`; their
//! public functions are re-exported here.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, sea_query::Expr,
};

use super::{
    comments, reading,
    repo::{self, OPEN},
    revisions, tagging,
    types::{QuestionInput, QuestionPatch, parse_body, parse_title},
    views::{
        AnswerView, CommentView, Outdated, QaRevision, QuestionLink, QuestionSummary, QuestionView,
    },
};
use crate::{
    auth::{current_user::CurrentUser, types::Role},
    content,
    content::{derived::Derived, mentions},
    entities::{answers, qa_revisions, questions},
    error::{AppError, AppResult},
    events::{self, Event},
};

pub use super::{
    answering::{
        accept, answer, answer_view, delete_answer, set_outdated, unaccept, update_answer,
    },
    lists::{first_pages_of, first_pages_select, list, similar, similar_by_ids, tag_id},
    moderation::{close, invite, reopen},
    visible::{visible_answer, visible_question},
};

pub const PAGE_SIZE: u64 = 20;

// ---- permissions ----------------------------------------------------------------------------

/// Q&A moderators: editors, the social team and admins. They edit, close, reopen and accept on
/// anyone's questions.
pub fn is_moderator(user: &CurrentUser) -> bool {
    user.has(Role::Editor) || user.has(Role::SocialTeam) || user.has(Role::Admin)
}

pub(super) fn owns_or_moderates(author_id: i64, user: &CurrentUser) -> bool {
    author_id == user.id.0 || is_moderator(user)
}

/// Whether the user may mark the answer outdated (or current again): its author, the asker,
/// an expert in one of the question's tags, or a moderator.
pub(super) async fn can_mark_outdated<C: ConnectionTrait>(
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

/// A question as lists show it.
fn summary_of(
    q: reading::SummaryFields,
    author: crate::blog::repo::Author,
    tags: Vec<String>,
    is_answered: bool,
) -> QuestionSummary {
    QuestionSummary {
        url: url_of(q.id, &q.title),
        excerpt: Derived::excerpt_or(q.body_excerpt, q.body_md.as_deref().unwrap_or_default()),
        tags,
        is_answered,
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
    }
}

/// Summaries of the questions `query` selects, in its order (one statement).
pub(super) async fn summaries<C: ConnectionTrait>(
    conn: &C,
    query: sea_orm::Select<questions::Entity>,
) -> AppResult<Vec<QuestionSummary>> {
    Ok(reading::summary_rows(conn, query)
        .await?
        .into_iter()
        .map(summary_from)
        .collect())
}

pub(super) fn summary_from((q, author, tags, is_answered): reading::SummaryRow) -> QuestionSummary {
    summary_of(q, author, tags, is_answered)
}

pub(super) async fn links<C: ConnectionTrait>(
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

/// The original a duplicate points to, and the duplicates pointing here, as links.
fn link_views(
    rows: Vec<reading::LinkRow>,
    question: &questions::Model,
) -> (Option<QuestionLink>, Vec<QuestionLink>) {
    let (original, duplicates): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|l| Some(l.question.id) == question.duplicate_of_id);
    let link = |l: reading::LinkRow| QuestionLink {
        url: url_of(l.question.id, &l.question.title),
        is_answered: l.is_answered,
        accepted: l.question.accepted_answer_id.is_some(),
        id: l.question.id,
        title: l.question.title,
        answer_count: l.question.answer_count,
    };
    (
        original.into_iter().next().map(link),
        duplicates
            .into_iter()
            .filter(|l| l.question.duplicate_of_id == Some(question.id))
            .map(link)
            .collect(),
    )
}

/// A question with its answers and comments, as `viewer` sees it: at most four statements
/// whatever it holds (see [`reading`]); 404 when deleted or out of the viewer's sight.
pub async fn view<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<QuestionView> {
    assemble(conn, viewer, id, true).await
}

/// The view of the question `id` an answer belongs to, for a view of that answer (no duplicate
/// links).
pub async fn answer_context<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<QuestionView> {
    assemble(conn, viewer, id, false).await
}

/// The question's view; without its duplicates and original unless `with_links` (one statement
/// less, for a view of one of its answers).
async fn assemble<C: ConnectionTrait>(
    conn: &C,
    viewer: &CurrentUser,
    id: i64,
    with_links: bool,
) -> AppResult<QuestionView> {
    let row = reading::question(conn, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let question = &row.question;
    let answer_rows = reading::answers(conn, viewer, question.id).await?;
    let mut comments: HashMap<Option<i64>, Vec<CommentView>> = HashMap::new();
    if row.has_comments {
        for c in reading::comments(conn, question.id).await? {
            comments
                .entry(c.comment.answer_id)
                .or_default()
                .push(comments::view_of(c.comment, c.author, viewer));
        }
    }
    let linked = row.has_duplicates || question.duplicate_of_id.is_some();
    let (duplicate_of, duplicates) = if with_links && linked {
        link_views(reading::links(conn, viewer, question).await?, question)
    } else {
        (None, vec![])
    };
    let can_accept = owns_or_moderates(question.author_id, viewer);
    // Answered: an answer that is accepted or scored above 0, and not outdated.
    let is_answered = answer_rows.iter().any(|a| {
        a.answer.outdated_at.is_none()
            && (a.answer.score > 0 || question.accepted_answer_id == Some(a.answer.id))
    });
    let mut answers: Vec<AnswerView> = answer_rows
        .into_iter()
        .map(|r| {
            let a = r.answer;
            let can_mark_outdated = a.author_id == viewer.id.0
                || question.author_id == viewer.id.0
                || is_moderator(viewer)
                || row.viewer_is_expert;
            AnswerView {
                id: a.id,
                question_id: a.question_id,
                author: r.author,
                is_accepted: question.accepted_answer_id == Some(a.id),
                my_vote: r.my_vote,
                outdated: a.outdated_at.map(|at| Outdated {
                    at,
                    by_name: r.outdated_by_name,
                }),
                edited: a.updated_at > a.created_at,
                can_edit: owns_or_moderates(a.author_id, viewer),
                can_accept,
                can_mark_outdated,
                comments: comments.remove(&Some(a.id)).unwrap_or_default(),
                created_at: a.created_at,
                updated_at: a.updated_at,
                score: a.score,
                body_html: a.body_html,
                body: a.body_md,
            }
        })
        .collect();
    // Accepted first; the answers come sorted by score, then age.
    answers.sort_by_key(|a| !a.is_accepted);
    let reading::QuestionRow {
        question: q,
        author,
        tags,
        space,
        closed_by_name,
        my_vote,
        ..
    } = row;
    let can_edit = owns_or_moderates(q.author_id, viewer);
    let can_delete = (q.author_id == viewer.id.0 && q.answer_count == 0) || is_moderator(viewer);
    Ok(QuestionView {
        space,
        body: q.body_md.clone(),
        body_html: q.body_html.clone(),
        my_vote,
        edited: q.updated_at > q.created_at,
        updated_at: q.updated_at,
        closed_at: q.closed_at,
        closed_by_name,
        duplicate_of,
        duplicates,
        can_edit,
        can_close: can_edit,
        can_accept,
        can_delete,
        comments: comments.remove(&None).unwrap_or_default(),
        answers,
        summary: summary_of(q.into(), author, tags, is_answered),
    })
}

pub async fn get(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<QuestionView> {
    view(db, viewer, id).await
}

// ---- asking and editing ---------------------------------------------------------------------

pub(super) async fn revision<C: ConnectionTrait>(
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
    let space = crate::spaces::service::check_target(&txn, actor, input.space_id).await?;
    let tag_names = tagging::resolve(&txn, actor, &input.tags).await?;
    let now = Utc::now();
    let question = questions::ActiveModel {
        author_id: Set(actor.id.0),
        space_id: Set(space),
        title: Set(title),
        body_html: Set(body_html),
        body_excerpt: Set(Some(Derived::of(&body).excerpt)),
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
    view(db, actor, question.id).await
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
    let question = visible_question(&txn, actor, id).await?;
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
        return view(db, actor, question.id).await;
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
        active.body_excerpt = Set(Some(Derived::of(&body).excerpt));
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
    view(db, actor, question.id).await
}

/// Deletes a question: its author while it has no answers, moderators always (soft delete).
pub async fn delete_question(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
) -> AppResult<()> {
    let question = visible_question(db, actor, id).await?;
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

/// The question's earlier versions, newest first (two statements; 404 as for the question).
pub async fn revisions_of_question(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<Vec<QaRevision>> {
    Ok(revisions::of_question(db, viewer, id).await?.revisions)
}

/// The answer's earlier versions, newest first (two statements; 404 as for the answer).
pub async fn revisions_of_answer(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    id: i64,
) -> AppResult<Vec<QaRevision>> {
    Ok(revisions::of_answer(db, viewer, id).await?.revisions)
}
