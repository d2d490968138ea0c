//! The Q&A JSON API: declares every Q&A endpoint and serves questions, answers, votes and
//! comments; the tag endpoints are in `tag_api`.
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    comments::{self, CommentInput},
    repo::ListFilter,
    service, tag_api,
    types::{AnswerInput, CloseInput, QuestionInput, QuestionPatch, Sort, VoteInput, VoteValue},
    views::{AnswerView, CommentView, QaRevision, QuestionPage, QuestionView, VoteResult},
};
use crate::spaces::audience::Audience;
use crate::web::routes::Routes;
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult, ErrorBody},
    state::AppState,
};

pub fn configure(r: &mut Routes) {
    r.get("/questions", list_questions)
        .post("/questions", ask)
        .get("/questions/{id}", get_question)
        .patch("/questions/{id}", update_question)
        .delete("/questions/{id}", delete_question)
        .get("/questions/{id}/revisions", question_revisions)
        .post("/questions/{id}/answers", create_answer)
        .post("/questions/{id}/vote", vote_question)
        .delete("/questions/{id}/vote", unvote_question)
        .post("/questions/{id}/comments", comment_question)
        .post("/questions/{id}/close", close_question)
        .post("/questions/{id}/reopen", reopen_question)
        .put("/questions/{id}/space", move_question)
        .post("/questions/{id}/invitations", invite)
        .get("/answers/{id}", get_answer)
        .patch("/answers/{id}", update_answer)
        .delete("/answers/{id}", delete_answer)
        .get("/answers/{id}/revisions", answer_revisions)
        .post("/answers/{id}/accept", accept)
        .delete("/answers/{id}/accept", unaccept)
        .post("/answers/{id}/vote", vote_answer)
        .delete("/answers/{id}/vote", unvote_answer)
        .post("/answers/{id}/comments", comment_answer)
        .post("/answers/{id}/outdated", mark_outdated)
        .delete("/answers/{id}/outdated", clear_outdated)
        .delete("/qa-comments/{id}", delete_comment)
        .get("/tags/{name}", tag_api::get_tag)
        .post("/tags/{name}/follow", tag_api::follow_tag)
        .delete("/tags/{name}/follow", tag_api::unfollow_tag)
        .put("/tags/{name}/experts/{user_id}", tag_api::add_expert)
        .delete("/tags/{name}/experts/{user_id}", tag_api::remove_expert)
        .post("/tags/{name}/synonyms", tag_api::add_synonym)
        .delete("/tags/{name}/synonyms/{synonym}", tag_api::remove_synonym);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionQuery {
    /// `newest` (default), `active` or `unanswered`.
    pub sort: Option<String>,
    /// Only questions with this tag (or its synonym).
    pub tag: Option<String>,
    /// Only questions by this author.
    pub author_id: Option<i64>,
    /// Only my questions.
    pub mine: Option<bool>,
    /// Only questions in tags I follow.
    pub following: Option<bool>,
    /// Only open questions I was invited to answer or am an expert for.
    pub for_me: Option<bool>,
    /// The `next_cursor` of the previous page.
    pub before: Option<String>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<u64>,
}

/// Builds a list filter from query parameters (shared with the pages).
pub async fn filter_of(
    state: &AppState,
    user: &CurrentUser,
    q: &QuestionQuery,
) -> AppResult<ListFilter> {
    let sort = match q.sort.as_deref() {
        None | Some("") => Sort::default(),
        Some(s) => {
            Sort::parse(s).ok_or_else(|| AppError::BadRequest(format!("unknown sort '{s}'")))?
        }
    };
    let tag_id = match q.tag.as_deref() {
        Some(tag) if !tag.is_empty() => Some(service::tag_id(&state.db, tag).await?),
        _ => None,
    };
    let author_id = if q.mine.unwrap_or(false) {
        Some(user.id.0)
    } else {
        q.author_id
    };
    Ok(ListFilter {
        sort,
        audience: Audience::of(user),
        space_id: None,
        tag_id,
        author_id,
        followed_by: q.following.unwrap_or(false).then_some(user.id.0),
        for_user: q.for_me.unwrap_or(false).then_some(user.id.0),
    })
}

/// Questions: newest, most active or unanswered first, by tag, mine, in followed tags or for
/// me (keyset pagination).
#[utoipa::path(get, path = "/api/v1/questions", tag = "qa", params(QuestionQuery),
    responses((status = 200, body = QuestionPage), (status = 400, body = ErrorBody), (status = 404, description = "Unknown tag", body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_questions(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<QuestionQuery>,
) -> AppResult<HttpResponse> {
    let filter = filter_of(&state, &user, &q).await?;
    let page = service::list(
        &state.db,
        Audience::of(&user),
        &filter,
        q.before.as_deref(),
        q.limit.unwrap_or(service::PAGE_SIZE),
    )
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Ask a question.
#[utoipa::path(post, path = "/api/v1/questions", tag = "qa", request_body = QuestionInput,
    responses((status = 201, body = QuestionView), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn ask(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<QuestionInput>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(service::ask(&state.db, &user, &body).await?))
}

/// A question with its answers and comments.
#[utoipa::path(get, path = "/api/v1/questions/{id}", tag = "qa", params(("id" = i64, Path)),
    responses((status = 200, body = QuestionView), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn get_question(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::get(&state.db, &user, path.into_inner()).await?))
}

/// Edit a question (its author or a moderator); the previous version becomes a revision.
#[utoipa::path(patch, path = "/api/v1/questions/{id}", tag = "qa", params(("id" = i64, Path)), request_body = QuestionPatch,
    responses((status = 200, body = QuestionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn update_question(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<QuestionPatch>,
) -> AppResult<HttpResponse> {
    let view = service::update_question(&state.db, &user, path.into_inner(), &body).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Delete a question: its author while unanswered, moderators always.
#[utoipa::path(delete, path = "/api/v1/questions/{id}", tag = "qa", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn delete_question(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::delete_question(&state.db, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Earlier versions of a question, newest first.
#[utoipa::path(get, path = "/api/v1/questions/{id}/revisions", tag = "qa", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<QaRevision>), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn question_revisions(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::revisions_of_question(&state.db, &user, path.into_inner()).await?))
}

/// Answer a question; a closed question takes no answers (409).
#[utoipa::path(post, path = "/api/v1/questions/{id}/answers", tag = "qa", params(("id" = i64, Path)), request_body = AnswerInput,
    responses((status = 201, body = AnswerView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<AnswerInput>,
) -> AppResult<HttpResponse> {
    let answer = service::answer(&state.db, &user, path.into_inner(), &body).await?;
    Ok(HttpResponse::Created().json(answer))
}

/// What a vote or a comment is on.
#[derive(Clone, Copy)]
enum On {
    Question,
    Answer,
}

/// Votes (`Some(1 | -1)`) or takes the vote back (`None`) on question or answer `id`: 200 with
/// the new score.
async fn vote(
    state: &AppState,
    user: &CurrentUser,
    on: On,
    id: i64,
    value: Option<i64>,
) -> AppResult<HttpResponse> {
    let value = value.map(VoteValue::parse).transpose()?;
    let result = match on {
        On::Question => super::votes::on_question(&state.db, user, id, value).await?,
        On::Answer => super::votes::on_answer(&state.db, user, id, value).await?,
    };
    Ok(HttpResponse::Ok().json(result))
}

/// Comments on question or answer `id`: 201 with the comment.
async fn comment(
    state: &AppState,
    user: &CurrentUser,
    on: On,
    id: i64,
    input: &CommentInput,
) -> AppResult<HttpResponse> {
    let comment = match on {
        On::Question => comments::on_question(&state.db, user, id, input).await?,
        On::Answer => comments::on_answer(&state.db, user, id, input).await?,
    };
    Ok(HttpResponse::Created().json(comment))
}

/// Vote on a question: `{value: 1|-1}`; voting again changes the vote. Not on your own (403).
#[utoipa::path(post, path = "/api/v1/questions/{id}/vote", tag = "qa", params(("id" = i64, Path)), request_body = VoteInput,
    responses((status = 200, body = VoteResult), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn vote_question(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<VoteInput>,
) -> AppResult<HttpResponse> {
    vote(
        &state,
        &user,
        On::Question,
        path.into_inner(),
        Some(body.value),
    )
    .await
}

/// Take back a vote on a question.
#[utoipa::path(delete, path = "/api/v1/questions/{id}/vote", tag = "qa", params(("id" = i64, Path)),
    responses((status = 200, body = VoteResult), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn unvote_question(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    vote(&state, &user, On::Question, path.into_inner(), None).await
}

/// Comment on a question.
#[utoipa::path(post, path = "/api/v1/questions/{id}/comments", tag = "qa", params(("id" = i64, Path)), request_body = CommentInput,
    responses((status = 201, body = CommentView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn comment_question(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<CommentInput>,
) -> AppResult<HttpResponse> {
    comment(&state, &user, On::Question, path.into_inner(), &body).await
}

/// Close a question as `duplicate` (of `duplicate_of`) or `off_topic`: its author or a moderator.
#[utoipa::path(post, path = "/api/v1/questions/{id}/close", tag = "qa", params(("id" = i64, Path)), request_body = CloseInput,
    responses((status = 200, body = QuestionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn close_question(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<CloseInput>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::close(&state.db, &user, path.into_inner(), &body).await?))
}

/// Reopen a closed question.
#[utoipa::path(post, path = "/api/v1/questions/{id}/reopen", tag = "qa", params(("id" = i64, Path)),
    responses((status = 200, body = QuestionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn reopen_question(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::reopen(&state.db, &user, path.into_inner()).await?))
}

/// Move a question into another space, or company-wide (moderators of both ends).
#[utoipa::path(put, path = "/api/v1/questions/{id}/space", tag = "qa", params(("id" = i64, Path)),
    request_body = crate::spaces::types::MoveInput,
    responses((status = 200, body = QuestionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn move_question(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<crate::spaces::types::MoveInput>,
) -> AppResult<HttpResponse> {
    let moved =
        super::moderation::move_question(&state.db, &user, path.into_inner(), body.space_id)
            .await?;
    Ok(HttpResponse::Ok().json(moved))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct InviteInput {
    /// The colleague asked to answer.
    pub user_id: i64,
}

/// Ask a colleague to answer this question.
#[utoipa::path(post, path = "/api/v1/questions/{id}/invitations", tag = "qa", params(("id" = i64, Path)), request_body = InviteInput,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn invite(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<InviteInput>,
) -> AppResult<HttpResponse> {
    service::invite(&state.db, &user, path.into_inner(), body.user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One answer.
#[utoipa::path(get, path = "/api/v1/answers/{id}", tag = "qa", params(("id" = i64, Path)),
    responses((status = 200, body = AnswerView), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn get_answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::answer_view(&state.db, &user, path.into_inner()).await?))
}

/// Edit an answer (its author or a moderator); clears "outdated".
#[utoipa::path(patch, path = "/api/v1/answers/{id}", tag = "qa", params(("id" = i64, Path)), request_body = AnswerInput,
    responses((status = 200, body = AnswerView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn update_answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<AnswerInput>,
) -> AppResult<HttpResponse> {
    let answer = service::update_answer(&state.db, &user, path.into_inner(), &body).await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// Delete an answer (its author or a moderator).
#[utoipa::path(delete, path = "/api/v1/answers/{id}", tag = "qa", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn delete_answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::delete_answer(&state.db, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Earlier versions of an answer, newest first.
#[utoipa::path(get, path = "/api/v1/answers/{id}/revisions", tag = "qa", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<QaRevision>), (status = 404, body = ErrorBody)), security(("bearer" = []), ("session" = [])))]
pub async fn answer_revisions(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(service::revisions_of_answer(&state.db, &user, path.into_inner()).await?))
}

/// Accept an answer: the asker or a moderator; moves the acceptance from another answer.
#[utoipa::path(post, path = "/api/v1/answers/{id}/accept", tag = "qa", params(("id" = i64, Path)),
    responses((status = 200, body = QuestionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn accept(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::accept(&state.db, &user, path.into_inner()).await?))
}

/// Take back the acceptance of an answer.
#[utoipa::path(delete, path = "/api/v1/answers/{id}/accept", tag = "qa", params(("id" = i64, Path)),
    responses((status = 200, body = QuestionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn unaccept(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::unaccept(&state.db, &user, path.into_inner()).await?))
}

/// Vote on an answer: `{value: 1|-1}`; voting again changes the vote. Not on your own (403).
#[utoipa::path(post, path = "/api/v1/answers/{id}/vote", tag = "qa", params(("id" = i64, Path)), request_body = VoteInput,
    responses((status = 200, body = VoteResult), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn vote_answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<VoteInput>,
) -> AppResult<HttpResponse> {
    vote(
        &state,
        &user,
        On::Answer,
        path.into_inner(),
        Some(body.value),
    )
    .await
}

/// Take back a vote on an answer.
#[utoipa::path(delete, path = "/api/v1/answers/{id}/vote", tag = "qa", params(("id" = i64, Path)),
    responses((status = 200, body = VoteResult), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn unvote_answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    vote(&state, &user, On::Answer, path.into_inner(), None).await
}

/// Comment on an answer.
#[utoipa::path(post, path = "/api/v1/answers/{id}/comments", tag = "qa", params(("id" = i64, Path)), request_body = CommentInput,
    responses((status = 201, body = CommentView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn comment_answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Json<CommentInput>,
) -> AppResult<HttpResponse> {
    comment(&state, &user, On::Answer, path.into_inner(), &body).await
}

/// Mark an answer outdated: its author, the asker, an expert in the question's tags or a moderator.
#[utoipa::path(post, path = "/api/v1/answers/{id}/outdated", tag = "qa", params(("id" = i64, Path)),
    responses((status = 200, body = AnswerView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn mark_outdated(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let answer = service::set_outdated(&state.db, &user, path.into_inner(), true).await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// Mark an answer current again.
#[utoipa::path(delete, path = "/api/v1/answers/{id}/outdated", tag = "qa", params(("id" = i64, Path)),
    responses((status = 200, body = AnswerView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn clear_outdated(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let answer = service::set_outdated(&state.db, &user, path.into_inner(), false).await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// Delete a comment on a question or answer (its author or a moderator).
#[utoipa::path(delete, path = "/api/v1/qa-comments/{id}", tag = "qa", operation_id = "delete_qa_comment", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn delete_comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    comments::delete(&state.db, &user, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
