//! Q&A tag pages: a tag's questions, following it, its experts and synonyms. Declared in
//! `routes::configure`.
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{
    api::QuestionQuery,
    routes::{EmailForm, colleague, list_context_for},
    tagging,
};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult},
    web::page::{Level, Page, safe_next, see_other},
};

pub(super) async fn tag_page(
    page: Page,
    user: CurrentUser,
    path: web::Path<String>,
    q: web::Query<QuestionQuery>,
) -> AppResult<HttpResponse> {
    let (tag_id, tag) = tagging::view_with_id(&page.state().db, &user, &path).await?;
    if tag.name != *path {
        // A synonym: show the main tag's page.
        return Ok(see_other(&format!("/questions/tagged/{}", tag.name)));
    }
    // The tag is known: the list's filter needs no statement to find it again.
    let q = QuestionQuery {
        tag: None,
        ..q.into_inner()
    };
    let mut filter = crate::qa::api::filter_of(page.state(), &user, &q).await?;
    filter.tag_id = Some(tag_id);
    let mut ctx = list_context_for(&page, &user, &q, filter).await?;
    ctx.insert("base", &format!("/questions/tagged/{}", tag.name));
    ctx.insert("tag", &tag);
    page.render("qa/list.html", ctx)
}

// ---- following, experts and synonyms --------------------------------------------------------

fn tag_url(name: &str) -> String {
    format!("/questions/tagged/{name}")
}

/// Where a follow form came from (the home page's checklist); the tag's page otherwise.
#[derive(Deserialize)]
pub(super) struct FollowForm {
    next: Option<String>,
}

pub(super) async fn follow(
    page: Page,
    user: CurrentUser,
    path: web::Path<String>,
    form: Option<web::Form<FollowForm>>,
) -> AppResult<HttpResponse> {
    tagging::follow(&page.state().db, &user, &path).await?;
    let next = form.and_then(|f| f.into_inner().next);
    Ok(see_other(&match next {
        Some(next) => safe_next(Some(&next)),
        None => tag_url(&path),
    }))
}

pub(super) async fn unfollow(
    page: Page,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    tagging::unfollow(&page.state().db, &user, &path).await?;
    Ok(see_other(&tag_url(&path)))
}

pub(super) async fn add_expert(
    page: Page,
    user: CurrentUser,
    path: web::Path<String>,
    form: web::Form<EmailForm>,
) -> AppResult<HttpResponse> {
    let result = match colleague(&page, &form.email).await {
        Ok(id) => tagging::add_expert(&page.state().db, &user, &path, id).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => page.flash(Level::Success, "flash-expert-added"),
        Err(AppError::Validation { .. }) => page.flash(Level::Error, "flash-expert-failed"),
        Err(err) => return Err(err),
    }
    Ok(see_other(&tag_url(&path)))
}

pub(super) async fn remove_expert(
    page: Page,
    user: CurrentUser,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (name, user_id) = path.into_inner();
    tagging::remove_expert(&page.state().db, &user, &name, user_id).await?;
    Ok(see_other(&tag_url(&name)))
}

#[derive(Deserialize)]
pub(super) struct SynonymForm {
    name: String,
}

pub(super) async fn add_synonym(
    page: Page,
    user: CurrentUser,
    path: web::Path<String>,
    form: web::Form<SynonymForm>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    match tagging::add_synonym(&state.db, &user, &path, &form.name).await {
        Ok(_) => {
            state.refresh_search_synonyms().await?;
            page.flash(Level::Success, "flash-synonym-added")
        }
        Err(AppError::Validation { .. } | AppError::Conflict(_)) => {
            page.flash(Level::Error, "flash-synonym-failed")
        }
        Err(err) => return Err(err),
    }
    Ok(see_other(&tag_url(&path)))
}
