//! Space pages: the directory (`/spaces`), a space's home with its posts, questions, members
//! and moderators, joining, requesting and leaving, and the members page where moderators
//! approve requests, add people and name moderators. The rules are `spaces::service` and
//! `spaces::members`; a secret space one is not in answers 404 here too.
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use crate::{
    auth::{current_user::CurrentUser, repo as users_repo, types::Email},
    blog::{self, repo::ListFilter as PostFilter},
    error::{AppError, AppResult, Msg},
    qa::{self, repo::ListFilter as QuestionFilter},
    spaces::{
        audience::Audience,
        members,
        service::{self, is_staff},
        types::{MemberInput, NewSpace, SpaceKind, SpaceRole},
    },
    web::{
        page::{Level, Page, see_other},
        routes::Routes,
    },
};

pub fn configure(r: &mut Routes) {
    r.get("/spaces", directory)
        .post("/spaces", create)
        .get("/spaces/{slug}", home)
        .post("/spaces/{slug}/join", join)
        .post("/spaces/{slug}/leave", leave)
        .get("/spaces/{slug}/members", members_page)
        .post("/spaces/{slug}/members", add_member)
        .post("/spaces/{slug}/members/{user_id}", set_member)
        .post("/spaces/{slug}/members/{user_id}/remove", remove_member);
}

async fn directory_context(page: &Page, user: &CurrentUser) -> AppResult<Context> {
    let mut ctx = Context::new();
    ctx.insert("spaces", &service::list(&page.state().db, user).await?);
    ctx.insert("can_create", &is_staff(user));
    ctx.insert("kinds", &["open", "closed", "secret"]);
    Ok(ctx)
}

async fn directory(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let ctx = directory_context(&page, &user).await?;
    page.render("spaces/directory.html", ctx)
}

#[derive(Deserialize)]
struct SpaceForm {
    name: String,
    kind: String,
    description: Option<String>,
    language: Option<String>,
}

async fn create(
    page: Page,
    user: CurrentUser,
    form: web::Form<SpaceForm>,
) -> AppResult<HttpResponse> {
    let input = NewSpace {
        name: form.name.clone(),
        kind: form.kind.clone(),
        description: form.description.clone(),
        language: form.language.clone(),
        ..NewSpace::default()
    };
    match service::create(&page.state().db, &user, &input).await {
        Ok(space) => {
            page.flash(Level::Success, "flash-space-created");
            Ok(see_other(&format!("/spaces/{}", space.slug)))
        }
        Err(err) => {
            let mut ctx = directory_context(&page, &user).await?;
            ctx.insert(
                "form",
                &serde_json::json!({"name": form.name, "kind": form.kind,
                "description": form.description, "language": form.language}),
            );
            page.form_error("spaces/directory.html", err, ctx)
        }
    }
}

async fn home(page: Page, user: CurrentUser, slug: web::Path<String>) -> AppResult<HttpResponse> {
    let db = &page.state().db;
    let space = service::get(db, &user, &slug).await?;
    let reads = space.kind == SpaceKind::Open || space.my_role.is_some() || is_staff(&user);
    let mut ctx = Context::new();
    if reads {
        let audience = Audience::of(&user);
        let posts = PostFilter {
            space_id: Some(space.id),
            ..PostFilter::default()
        };
        let questions = QuestionFilter {
            space_id: Some(space.id),
            ..QuestionFilter::default()
        };
        ctx.insert(
            "posts",
            &blog::service::list(db, audience, &posts, None, 10).await?,
        );
        ctx.insert(
            "questions",
            &qa::service::list(db, audience, &questions, None, 10).await?,
        );
        ctx.insert("members", &members::members_of(db, &space).await?);
    }
    ctx.insert("reads", &reads);
    ctx.insert("space", &space);
    page.render("spaces/home.html", ctx)
}

async fn join(page: Page, user: CurrentUser, slug: web::Path<String>) -> AppResult<HttpResponse> {
    let space = members::join(&page.state().db, &user, &slug).await?;
    let key = if space.requested {
        "flash-space-requested"
    } else {
        "flash-space-joined"
    };
    page.flash(Level::Success, key);
    Ok(see_other(&format!("/spaces/{}", space.slug)))
}

async fn leave(page: Page, user: CurrentUser, slug: web::Path<String>) -> AppResult<HttpResponse> {
    match members::leave(&page.state().db, &user, &slug).await {
        Ok(()) => page.flash(Level::Success, "flash-space-left"),
        Err(AppError::Conflict(_)) => page.flash(Level::Error, "err-space-last-moderator"),
        Err(err) => return Err(err),
    }
    Ok(see_other("/spaces"))
}

async fn members_page(
    page: Page,
    user: CurrentUser,
    slug: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = members_context(&page, &user, &slug).await?;
    page.render("spaces/members.html", ctx)
}

async fn members_context(page: &Page, user: &CurrentUser, slug: &str) -> AppResult<Context> {
    let db = &page.state().db;
    let space = service::get(db, user, slug).await?;
    if !space.can_manage {
        return Err(AppError::forbidden());
    }
    let mut ctx = Context::new();
    ctx.insert("members", &members::members_of(db, &space).await?);
    ctx.insert("space", &space);
    Ok(ctx)
}

#[derive(Deserialize)]
struct AddForm {
    email: String,
}

async fn add_member(
    page: Page,
    user: CurrentUser,
    slug: web::Path<String>,
    form: web::Form<AddForm>,
) -> AppResult<HttpResponse> {
    let db = &page.state().db;
    let space = service::get(db, &user, &slug).await?;
    let person = match Email::parse(&form.email) {
        Ok(email) => users_repo::find_by_email(db, &email)
            .await?
            .filter(|u| u.is_active),
        Err(_) => None,
    };
    let result = match person {
        Some(person) => {
            members::put_member(db, &user, space.id, person.id, &MemberInput::default())
                .await
                .map(|_| ())
        }
        None => Err(AppError::validation(
            "email",
            Msg::new("err-space-no-such-colleague"),
        )),
    };
    match result {
        Ok(()) => {
            page.flash(Level::Success, "flash-space-member-added");
            Ok(see_other(&format!("/spaces/{}/members", space.slug)))
        }
        Err(err) => {
            let mut ctx = members_context(&page, &user, &slug).await?;
            ctx.insert("email", form.email.trim());
            page.form_error("spaces/members.html", err, ctx)
        }
    }
}

#[derive(Deserialize)]
struct RoleForm {
    /// `member` (also: approve a request) or `moderator`.
    role: Option<String>,
}

async fn set_member(
    page: Page,
    user: CurrentUser,
    path: web::Path<(String, i64)>,
    form: web::Form<RoleForm>,
) -> AppResult<HttpResponse> {
    let (slug, member) = path.into_inner();
    let db = &page.state().db;
    let space = service::get(db, &user, &slug).await?;
    let input = MemberInput {
        role: Some(SpaceRole::parse(form.role.as_deref().unwrap_or("member"))),
    };
    match members::put_member(db, &user, space.id, member, &input).await {
        Ok(_) => page.flash(Level::Success, "flash-settings-saved"),
        Err(AppError::Conflict(_)) => page.flash(Level::Error, "err-space-last-moderator"),
        Err(err) => return Err(err),
    }
    Ok(see_other(&format!("/spaces/{}/members", space.slug)))
}

async fn remove_member(
    page: Page,
    user: CurrentUser,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (slug, member) = path.into_inner();
    let db = &page.state().db;
    let space = service::get(db, &user, &slug).await?;
    match members::remove(db, &user, space.id, member).await {
        Ok(()) => page.flash(Level::Success, "flash-space-member-removed"),
        Err(AppError::Conflict(_)) => page.flash(Level::Error, "err-space-last-moderator"),
        Err(err) => return Err(err),
    }
    Ok(see_other(&format!("/spaces/{}/members", space.slug)))
}
