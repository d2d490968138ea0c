//! Q&A pages about answers: posting, editing and revisions, acceptance, outdated marks, and
//! the votes and comments on questions and answers. Declared in `routes::configure`.
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use super::{
    comments::{self, CommentInput},
    routes::{back, question_of_answer},
    service,
    types::{AnswerInput, VoteValue},
    votes,
};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult},
    web::page::{Level, Page},
};

#[derive(Deserialize)]
pub(super) struct BodyForm {
    body: String,
}

// ---- answering, votes and comments ----------------------------------------------------------

pub(super) async fn add_answer(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<BodyForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let input = AnswerInput {
        body: form.body.clone(),
    };
    match service::answer(&page.state().db, &user, id, &input).await {
        Ok(answer) => {
            page.flash(Level::Success, "flash-answer-posted");
            back(&page, id, &format!("#answer-{}", answer.id)).await
        }
        Err(err @ (AppError::Validation { .. } | AppError::Conflict(_))) => {
            let mut ctx = Context::new();
            ctx.insert("answer_form", &serde_json::json!({ "body": form.body }));
            ctx.insert("error", &err.message_in(page.lang));
            let status = actix_web::ResponseError::status_code(&err);
            let question = service::get(&page.state().db, &user, id).await?;
            ctx.insert("question", &question);
            ctx.insert("close_reasons", &["duplicate", "off_topic"]);
            page.render_status(status, "qa/question.html", ctx)
        }
        Err(err) => Err(err),
    }
}

#[derive(Deserialize)]
pub(super) struct VoteForm {
    /// 1, -1, or 0 to take the vote back.
    value: i64,
}

fn vote_value(form: &VoteForm) -> AppResult<Option<VoteValue>> {
    if form.value == 0 {
        Ok(None)
    } else {
        VoteValue::parse(form.value).map(Some)
    }
}

pub(super) async fn vote_question(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<VoteForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    votes::on_question(&page.state().db, &user, id, vote_value(&form)?).await?;
    back(&page, id, "#question").await
}

pub(super) async fn vote_answer(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<VoteForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    votes::on_answer(&page.state().db, &user, id, vote_value(&form)?).await?;
    let question_id = question_of_answer(&page, id).await?;
    back(&page, question_id, &format!("#answer-{id}")).await
}

pub(super) async fn comment_question(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<BodyForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let input = CommentInput {
        body: form.body.clone(),
    };
    match comments::on_question(&page.state().db, &user, id, &input).await {
        Ok(c) => back(&page, id, &format!("#comment-{}", c.id)).await,
        Err(err) => comment_error(&page, id, err).await,
    }
}

pub(super) async fn comment_answer(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<BodyForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let input = CommentInput {
        body: form.body.clone(),
    };
    let question_id = question_of_answer(&page, id).await?;
    match comments::on_answer(&page.state().db, &user, id, &input).await {
        Ok(c) => back(&page, question_id, &format!("#comment-{}", c.id)).await,
        Err(err) => comment_error(&page, question_id, err).await,
    }
}

/// A comment that breaks a rule (empty, too long): back to the question with the message.
async fn comment_error(page: &Page, question_id: i64, err: AppError) -> AppResult<HttpResponse> {
    match err {
        AppError::Validation { .. } => {
            page.flash(Level::Error, "flash-comment-invalid");
            back(page, question_id, "").await
        }
        other => Err(other),
    }
}

pub(super) async fn delete_comment(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let question_id = comments::delete(&page.state().db, &user, path.into_inner()).await?;
    page.flash(Level::Success, "flash-comment-deleted");
    back(&page, question_id, "").await
}

// ---- editing, accepting and deleting answers ------------------------------------------------

pub(super) async fn answer_edit_page(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let answer = service::answer_view(&page.state().db, &user, path.into_inner()).await?;
    if !answer.can_edit {
        return Err(AppError::forbidden());
    }
    let mut ctx = Context::new();
    ctx.insert("form", &serde_json::json!({ "body": answer.body }));
    ctx.insert("answer", &answer);
    page.render("qa/answer_edit.html", ctx)
}

pub(super) async fn save_answer(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<BodyForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let db = &page.state().db;
    let input = AnswerInput {
        body: form.body.clone(),
    };
    match service::update_answer(db, &user, id, &input).await {
        Ok(answer) => {
            page.flash(Level::Success, "flash-answer-saved");
            back(&page, answer.question_id, &format!("#answer-{id}")).await
        }
        Err(err) => {
            let mut ctx = Context::new();
            ctx.insert("form", &serde_json::json!({ "body": form.body }));
            ctx.insert("answer", &service::answer_view(db, &user, id).await?);
            page.form_error("qa/answer_edit.html", err, ctx)
        }
    }
}

pub(super) async fn answer_revisions(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let db = &page.state().db;
    let found = super::revisions::of_answer(db, &user, id).await?;
    let mut ctx = Context::new();
    ctx.insert("revisions", &found.revisions);
    ctx.insert("question", &found.question);
    ctx.insert("answer", &serde_json::json!({ "id": id }));
    page.render("qa/revisions.html", ctx)
}

pub(super) async fn accept(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let question = service::accept(&page.state().db, &user, id).await?;
    page.flash(Level::Success, "flash-answer-accepted");
    back(&page, question.summary.id, &format!("#answer-{id}")).await
}

pub(super) async fn unaccept(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let question = service::unaccept(&page.state().db, &user, id).await?;
    back(&page, question.summary.id, &format!("#answer-{id}")).await
}

async fn set_outdated(
    page: Page,
    user: CurrentUser,
    id: i64,
    outdated: bool,
) -> AppResult<HttpResponse> {
    let answer = service::set_outdated(&page.state().db, &user, id, outdated).await?;
    back(&page, answer.question_id, &format!("#answer-{id}")).await
}

pub(super) async fn mark_outdated(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    set_outdated(page, user, path.into_inner(), true).await
}

pub(super) async fn mark_current(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    set_outdated(page, user, path.into_inner(), false).await
}

pub(super) async fn delete_answer(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let question_id = question_of_answer(&page, id).await?;
    service::delete_answer(&page.state().db, &user, id).await?;
    page.flash(Level::Success, "flash-answer-deleted");
    back(&page, question_id, "").await
}
