//! Q&A pages. Thin handlers: parse the form, call the services, render or redirect. This module
//! declares every Q&A page and serves the question lists and question pages; answers, votes and
//! comments are in `answer_routes`, tag pages in `tag_pages`.
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use super::{
    answer_routes,
    api::{QuestionQuery, filter_of},
    service, tag_pages,
    types::{CloseInput, CloseReason, QuestionInput, QuestionPatch, Sort},
};
use crate::web::routes::Routes;
use crate::{
    auth::{current_user::CurrentUser, types::Email},
    error::{AppError, AppResult, Msg},
    i18n::Lang,
    tags::split_field,
    web::page::{Level, Page, see_other},
};

pub fn configure(r: &mut Routes) {
    r.get("/questions", index)
        .post("/questions", create)
        .get("/questions/ask", ask_page)
        .get("/questions/tagged/{name}", tag_pages::tag_page)
        .post("/questions/tagged/{name}/follow", tag_pages::follow)
        .post("/questions/tagged/{name}/unfollow", tag_pages::unfollow)
        .post("/questions/tagged/{name}/experts", tag_pages::add_expert)
        .post(
            "/questions/tagged/{name}/experts/{user_id}/remove",
            tag_pages::remove_expert,
        )
        .post("/questions/tagged/{name}/synonyms", tag_pages::add_synonym)
        .get("/questions/{id}/edit", edit_page)
        .post("/questions/{id}/edit", save)
        .get("/questions/{id}/revisions", question_revisions)
        .post("/questions/{id}/answers", answer_routes::add_answer)
        .post("/questions/{id}/vote", answer_routes::vote_question)
        .post("/questions/{id}/comments", answer_routes::comment_question)
        .post("/questions/{id}/close", close)
        .post("/questions/{id}/reopen", reopen)
        .post("/questions/{id}/delete", delete_question)
        .post("/questions/{id}/invite", invite)
        .get("/questions/{id}", show)
        .get("/questions/{id}/{slug}", show_with_slug)
        .get("/answers/{id}/edit", answer_routes::answer_edit_page)
        .post("/answers/{id}/edit", answer_routes::save_answer)
        .get("/answers/{id}/revisions", answer_routes::answer_revisions)
        .post("/answers/{id}/accept", answer_routes::accept)
        .post("/answers/{id}/unaccept", answer_routes::unaccept)
        .post("/answers/{id}/vote", answer_routes::vote_answer)
        .post("/answers/{id}/comments", answer_routes::comment_answer)
        .post("/answers/{id}/outdated", answer_routes::mark_outdated)
        .post("/answers/{id}/current", answer_routes::mark_current)
        .post("/answers/{id}/delete", answer_routes::delete_answer)
        .post("/qa-comments/{id}/delete", answer_routes::delete_comment);
}

// ---- lists ----------------------------------------------------------------------------------

pub(super) async fn list_context(
    page: &Page,
    user: &CurrentUser,
    q: &QuestionQuery,
) -> AppResult<Context> {
    let filter = filter_of(page.state(), user, q).await?;
    list_context_for(page, user, q, filter).await
}

/// [`list_context`] with the filter already made (a tag page knows its tag).
pub(super) async fn list_context_for(
    page: &Page,
    user: &CurrentUser,
    q: &QuestionQuery,
    filter: crate::qa::repo::ListFilter,
) -> AppResult<Context> {
    let state = page.state();
    let questions = service::list(
        &state.db,
        crate::spaces::audience::Audience::of(user),
        &filter,
        q.before.as_deref(),
        service::PAGE_SIZE,
    )
    .await?;
    let mut ctx = Context::new();
    ctx.insert("questions", &questions);
    ctx.insert("sort", filter.sort.as_str());
    ctx.insert("sorts", &Sort::ALL.map(Sort::as_str));
    let view = if q.mine.unwrap_or(false) {
        "mine"
    } else if q.following.unwrap_or(false) {
        "following"
    } else if q.for_me.unwrap_or(false) {
        "for_me"
    } else {
        "all"
    };
    ctx.insert("view", view);
    Ok(ctx)
}

async fn index(
    page: Page,
    user: CurrentUser,
    q: web::Query<QuestionQuery>,
) -> AppResult<HttpResponse> {
    let mut ctx = list_context(&page, &user, &q).await?;
    ctx.insert("base", "/questions");
    page.render("qa/list.html", ctx)
}

// ---- asking and editing ---------------------------------------------------------------------

#[derive(Deserialize)]
struct QuestionForm {
    title: String,
    body: String,
    #[serde(default)]
    tags: String,
    language: Option<String>,
    /// A space id; empty: company-wide.
    space_id: Option<String>,
}

impl QuestionForm {
    fn space_id(&self) -> Option<i64> {
        self.space_id.as_deref().and_then(|s| s.trim().parse().ok())
    }

    fn language(&self) -> Option<Lang> {
        self.language.as_deref().and_then(|l| l.parse().ok())
    }

    fn echo(&self) -> serde_json::Value {
        serde_json::json!({
            "title": self.title,
            "body": self.body,
            "tags": self.tags,
            "language": self.language,
            "space_id": self.space_id(),
        })
    }
}

fn ask_context(form: serde_json::Value) -> Context {
    let mut ctx = Context::new();
    ctx.insert("languages", &Lang::ALL);
    ctx.insert("form", &form);
    ctx
}

/// The spaces one may ask in, for the picker (none: the picker is not shown).
async fn with_spaces(page: &Page, user: &CurrentUser, mut ctx: Context) -> AppResult<Context> {
    ctx.insert(
        "spaces",
        &crate::spaces::service::postable(&page.state().db, user).await?,
    );
    Ok(ctx)
}

#[derive(Deserialize)]
struct AskQuery {
    /// Preselects a space (the space page's "Ask in this space").
    space: Option<i64>,
    /// Starts the title (search's "ask this as a question").
    title: Option<String>,
}

async fn ask_page(
    page: Page,
    user: CurrentUser,
    q: web::Query<AskQuery>,
) -> AppResult<HttpResponse> {
    let title: String = q
        .title
        .as_deref()
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let form = serde_json::json!({
        "language": user.locale.unwrap_or(page.lang),
        "space_id": q.space,
        "title": title,
    });
    let ctx = with_spaces(&page, &user, ask_context(form)).await?;
    page.render("qa/ask.html", ctx)
}

async fn create(
    page: Page,
    user: CurrentUser,
    form: web::Form<QuestionForm>,
) -> AppResult<HttpResponse> {
    let input = QuestionInput {
        title: form.title.clone(),
        body: form.body.clone(),
        tags: split_field(&form.tags),
        language: form.language(),
        space_id: form.space_id(),
    };
    match service::ask(&page.state().db, &user, &input).await {
        Ok(question) => {
            page.flash(Level::Success, "flash-question-asked");
            Ok(see_other(&question.summary.url))
        }
        Err(err) => {
            let ctx = with_spaces(&page, &user, ask_context(form.echo())).await?;
            page.form_error("qa/ask.html", err, ctx)
        }
    }
}

async fn edit_page(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let question = service::get(&page.state().db, &user, path.into_inner()).await?;
    if !question.can_edit {
        return Err(AppError::forbidden());
    }
    let mut ctx = ask_context(serde_json::json!({
        "title": question.summary.title,
        "body": question.body,
        "tags": question.summary.tags.join(", "),
        "language": question.summary.language,
    }));
    ctx.insert("question", &question);
    page.render("qa/ask.html", ctx)
}

async fn save(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<QuestionForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let patch = QuestionPatch {
        title: Some(form.title.clone()),
        body: Some(form.body.clone()),
        tags: Some(split_field(&form.tags)),
        language: form.language(),
    };
    let db = &page.state().db;
    match service::update_question(db, &user, id, &patch).await {
        Ok(question) => {
            page.flash(Level::Success, "flash-question-saved");
            Ok(see_other(&question.summary.url))
        }
        Err(err) => {
            let mut ctx = ask_context(form.echo());
            ctx.insert("question", &service::get(db, &user, id).await?);
            page.form_error("qa/ask.html", err, ctx)
        }
    }
}

// ---- the question page ----------------------------------------------------------------------

async fn render_question(
    page: &Page,
    user: &CurrentUser,
    id: i64,
    mut ctx: Context,
) -> AppResult<HttpResponse> {
    let question = service::get(&page.state().db, user, id).await?;
    ctx.insert("question", &question);
    ctx.insert("close_reasons", &["duplicate", "off_topic"]);
    page.render("qa/question.html", ctx)
}

async fn show(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    render_question(&page, &user, path.into_inner(), Context::new()).await
}

async fn show_with_slug(
    page: Page,
    user: CurrentUser,
    path: web::Path<(i64, String)>,
) -> AppResult<HttpResponse> {
    render_question(&page, &user, path.into_inner().0, Context::new()).await
}

/// Back to the question page, at `anchor`.
pub(super) async fn back(page: &Page, question_id: i64, anchor: &str) -> AppResult<HttpResponse> {
    let question = service::visible_question(&page.state().db, page.user()?, question_id).await?;
    let url = service::url_of(question.id, &question.title);
    Ok(see_other(&format!("{url}{anchor}")))
}

pub(super) async fn question_of_answer(page: &Page, answer_id: i64) -> AppResult<i64> {
    Ok(
        service::visible_answer(&page.state().db, page.user()?, answer_id)
            .await?
            .1
            .id,
    )
}

#[derive(Deserialize)]
struct CloseForm {
    reason: String,
    /// The original's number or its URL (`/questions/12/...`).
    #[serde(default)]
    duplicate_of: String,
}

fn parse_question_ref(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    raw.parse().ok().or_else(|| {
        let rest = &raw[raw.find("/questions/")? + "/questions/".len()..];
        rest.split(['/', '?', '#']).next()?.parse().ok()
    })
}

async fn close(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<CloseForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let reason = CloseReason::parse(&form.reason)
        .ok_or_else(|| AppError::validation("reason", Msg::new("err-close-reason")))?;
    let duplicate_of = match reason {
        CloseReason::Duplicate => Some(parse_question_ref(&form.duplicate_of).ok_or_else(|| {
            AppError::validation("duplicate_of", Msg::new("err-duplicate-missing"))
        })),
        CloseReason::OffTopic => None,
    }
    .transpose();
    let result = match duplicate_of {
        Ok(duplicate_of) => {
            let input = CloseInput {
                reason,
                duplicate_of,
            };
            service::close(&page.state().db, &user, id, &input).await
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(question) => {
            page.flash(Level::Success, "flash-question-closed");
            Ok(see_other(&question.summary.url))
        }
        Err(err @ (AppError::Validation { .. } | AppError::Conflict(_))) => {
            let mut ctx = Context::new();
            ctx.insert("close_error", &err.message_in(page.lang));
            ctx.insert(
                "close_form",
                &serde_json::json!({ "reason": form.reason, "duplicate_of": form.duplicate_of }),
            );
            let question = service::get(&page.state().db, &user, id).await?;
            ctx.insert("question", &question);
            ctx.insert("close_reasons", &["duplicate", "off_topic"]);
            page.render_status(
                actix_web::ResponseError::status_code(&err),
                "qa/question.html",
                ctx,
            )
        }
        Err(err) => Err(err),
    }
}

async fn reopen(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let question = service::reopen(&page.state().db, &user, path.into_inner()).await?;
    page.flash(Level::Success, "flash-question-reopened");
    Ok(see_other(&question.summary.url))
}

async fn delete_question(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    service::delete_question(&page.state().db, &user, path.into_inner()).await?;
    page.flash(Level::Success, "flash-question-deleted");
    Ok(see_other("/questions"))
}

#[derive(Deserialize)]
pub(super) struct EmailForm {
    pub(super) email: String,
}

/// The active colleague with this email, or a validation error on `field`.
pub(super) async fn colleague(page: &Page, email: &str) -> AppResult<i64> {
    let unknown = || AppError::validation("email", Msg::new("err-user-unknown"));
    let email = Email::parse(email).map_err(|_| unknown())?;
    crate::auth::repo::find_by_email(&page.state().db, &email)
        .await?
        .filter(|u| u.is_active)
        .map(|u| u.id)
        .ok_or_else(unknown)
}

async fn invite(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<EmailForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let result = match colleague(&page, &form.email).await {
        Ok(invitee) => service::invite(&page.state().db, &user, id, invitee).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => page.flash(Level::Success, "flash-invited"),
        Err(AppError::Validation { .. } | AppError::Conflict(_)) => {
            page.flash(Level::Error, "flash-invite-failed")
        }
        Err(err) => return Err(err),
    }
    back(&page, id, "#invite").await
}

async fn question_revisions(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let db = &page.state().db;
    let found = super::revisions::of_question(db, &user, id).await?;
    let mut ctx = Context::new();
    ctx.insert("revisions", &found.revisions);
    ctx.insert("question", &found.question);
    page.render("qa/revisions.html", ctx)
}

#[cfg(test)]
mod tests {
    use super::parse_question_ref;

    #[test]
    fn a_duplicate_is_named_by_number_or_url() {
        assert_eq!(parse_question_ref(" 12 "), Some(12));
        assert_eq!(
            parse_question_ref("http://kring.local/questions/34/how-to-vpn#answer-2"),
            Some(34)
        );
        assert_eq!(parse_question_ref("/questions/5"), Some(5));
        assert_eq!(parse_question_ref("vpn"), None);
    }
}
