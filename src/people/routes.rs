//! People pages: the directory, profiles and their editor, ambassadors, the expert finder, the
//! following feed, and the departments admin page.
use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use super::{
    api::{DirectoryQuery, directory_filter, remove_photo_files, store_photo},
    departments::{self, DepartmentInput},
    feed, finder, service,
    types::ProfilePatch,
    views::ProfileView,
};
use crate::web::routes::Routes;
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult},
    tags::split_field,
    web::{
        page::{Level, Page, see_other},
        pagination::{PageQuery, Paged},
    },
};

pub fn configure(r: &mut Routes) {
    r.get("/people", directory)
        .get("/people/ambassadors", ambassadors)
        .get("/people/experts", experts)
        .get("/people/{id}", profile)
        .get("/people/{id}/edit", edit_page)
        .post("/people/{id}/edit", save)
        .post("/people/{id}/photo", upload_photo)
        .post("/people/{id}/photo/delete", remove_photo)
        .post("/people/{id}/follow", follow)
        .post("/people/{id}/unfollow", unfollow)
        .post("/people/{id}/ambassador", ambassador)
        .get("/feed", following)
        .get("/admin/departments", departments_page)
        .post("/admin/departments", create_department)
        .post("/admin/departments/{id}/rename", rename_department)
        .post("/admin/departments/{id}/delete", delete_department);
}

async fn directory(
    page: Page,
    _user: CurrentUser,
    q: web::Query<DirectoryQuery>,
    paging: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let state = page.state();
    let pagination = paging.into_inner().into();
    let all_departments = departments::list(&state.db).await?;
    let people = match directory_filter(state, &q, Some(&all_departments)).await? {
        Some(filter) => service::directory(&state.db, &filter, pagination).await?,
        None => Paged::new(vec![], 0, pagination),
    };
    let mut ctx = Context::new();
    ctx.insert("people", &people);
    let selected = match q.department.as_deref() {
        Some(key) if !key.trim().is_empty() => {
            departments::matching(&all_departments, key).map(|d| d.id)
        }
        _ => None,
    };
    ctx.insert("departments", &all_departments);
    ctx.insert("selected_department", &selected);
    ctx.insert(
        "filter",
        &serde_json::json!({
            "q": q.q.clone().unwrap_or_default(),
            "department": q.department.clone().unwrap_or_default(),
            "location": q.location.clone().unwrap_or_default(),
            "tag": q.tag.clone().unwrap_or_default(),
            "ambassador": q.ambassador.unwrap_or(false),
        }),
    );
    let extra = serde_urlencoded_filter(&q);
    ctx.insert("extra", &extra);
    page.render("people/directory.html", ctx)
}

/// The filter as query parameters, for the pager links.
fn serde_urlencoded_filter(q: &DirectoryQuery) -> String {
    let mut url = url::Url::parse("http://x/").expect("static URL");
    {
        let mut pairs = url.query_pairs_mut();
        for (key, value) in [
            ("q", q.q.as_deref()),
            ("department", q.department.as_deref()),
            ("location", q.location.as_deref()),
            ("tag", q.tag.as_deref()),
        ] {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                pairs.append_pair(key, v);
            }
        }
        if q.ambassador.unwrap_or(false) {
            pairs.append_pair("ambassador", "true");
        }
    }
    url.query().map(|q| format!("&{q}")).unwrap_or_default()
}

async fn ambassadors(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let mut ctx = Context::new();
    ctx.insert(
        "groups",
        &super::feed::ambassadors(&page.state().db, &user).await?,
    );
    page.render("people/ambassadors.html", ctx)
}

#[derive(Deserialize)]
struct TopicQuery {
    topic: Option<String>,
}

async fn experts(
    page: Page,
    _user: CurrentUser,
    q: web::Query<TopicQuery>,
) -> AppResult<HttpResponse> {
    let mut ctx = Context::new();
    if let Some(topic) = q.topic.as_deref().filter(|t| !t.trim().is_empty()) {
        ctx.insert("results", &finder::find(&page.state().db, topic).await?);
    }
    ctx.insert("topic", &q.topic.clone().unwrap_or_default());
    page.render("people/experts.html", ctx)
}

#[derive(Deserialize)]
struct BeforeQuery {
    before: Option<String>,
}

async fn following(
    page: Page,
    user: CurrentUser,
    q: web::Query<BeforeQuery>,
) -> AppResult<HttpResponse> {
    let mut ctx = Context::new();
    ctx.insert(
        "feed",
        &feed::following(&page.state().db, &user, q.before.as_deref()).await?,
    );
    page.render("people/feed.html", ctx)
}

async fn profile(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let db = &page.state().db;
    let id = path.into_inner();
    let mut ctx = Context::new();
    ctx.insert("person", &service::profile(db, &user, id).await?);
    let rewards = crate::gamification::rewards::of(db, &user, id).await?;
    ctx.insert("rewards", &rewards);
    page.render("people/profile.html", ctx)
}

#[derive(Deserialize)]
struct ProfileForm {
    display_name: String,
    #[serde(default)]
    job_title: String,
    #[serde(default)]
    department_id: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    expertise: String,
    #[serde(default)]
    links: String,
}

impl ProfileForm {
    fn patch(&self) -> ProfilePatch {
        ProfilePatch {
            display_name: Some(self.display_name.clone()),
            job_title: Some(self.job_title.clone()),
            department_id: Some(self.department_id.trim().parse().ok()),
            location: Some(self.location.clone()),
            languages: Some(split_field(&self.languages)),
            bio: Some(self.bio.clone()),
            expertise: Some(split_field(&self.expertise)),
            links: Some(self.links.lines().map(str::to_owned).collect()),
        }
    }

    fn echo(&self) -> serde_json::Value {
        serde_json::json!({
            "display_name": self.display_name,
            "job_title": self.job_title,
            "department_id": self.department_id.trim().parse::<i64>().ok(),
            "location": self.location,
            "languages": self.languages,
            "bio": self.bio,
            "expertise": self.expertise,
            "links": self.links,
        })
    }
}

/// The editor's context (departments, the person) for someone the viewer may edit.
async fn editor_context(
    page: &Page,
    user: &CurrentUser,
    id: i64,
) -> AppResult<(Context, ProfileView)> {
    let person = service::profile(&page.state().db, user, id).await?;
    if !person.can_edit {
        return Err(AppError::forbidden());
    }
    let mut ctx = Context::new();
    ctx.insert("departments", &departments::list(&page.state().db).await?);
    ctx.insert("person", &person);
    Ok((ctx, person))
}

/// The form's fields as the profile holds them now.
fn form_of(person: &ProfileView) -> serde_json::Value {
    serde_json::json!({
        "display_name": person.summary.display_name,
        "job_title": person.summary.job_title,
        "department_id": person.summary.department_id,
        "location": person.summary.location,
        "languages": person.languages.join(", "),
        "bio": person.bio,
        "expertise": person.summary.expertise.join(", "),
        "links": person.links.join("\n"),
    })
}

async fn edit_page(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (mut ctx, person) = editor_context(&page, &user, path.into_inner()).await?;
    ctx.insert("form", &form_of(&person));
    page.render("people/edit.html", ctx)
}

async fn save(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<ProfileForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    match service::update(&page.state().db, &user, id, &form.patch()).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-profile-saved");
            Ok(see_other(&format!("/people/{id}")))
        }
        Err(err) => {
            let (mut ctx, _) = editor_context(&page, &user, id).await?;
            ctx.insert("form", &form.echo());
            page.form_error("people/edit.html", err, ctx)
        }
    }
}

async fn upload_photo(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    match store_photo(page.state(), &user, id, form).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-photo-saved");
            Ok(see_other(&format!("/people/{id}")))
        }
        Err(err @ AppError::Validation { .. }) => {
            let (mut ctx, person) = editor_context(&page, &user, id).await?;
            ctx.insert("form", &form_of(&person));
            ctx.insert("photo_error", &err.message_in(page.lang));
            page.render_status(
                actix_web::ResponseError::status_code(&err),
                "people/edit.html",
                ctx,
            )
        }
        Err(err) => Err(err),
    }
}

async fn remove_photo(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if let Some(old) = service::set_photo(&page.state().db, &user, id, None).await? {
        remove_photo_files(page.state(), &old).await;
    }
    Ok(see_other(&format!("/people/{id}/edit")))
}

async fn follow(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    service::follow(&page.state().db, &user, id).await?;
    Ok(see_other(&format!("/people/{id}")))
}

async fn unfollow(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    service::unfollow(&page.state().db, &user, id).await?;
    Ok(see_other(&format!("/people/{id}")))
}

#[derive(Deserialize)]
struct AmbassadorForm {
    /// `true` marks, anything else unmarks.
    mark: String,
}

async fn ambassador(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<AmbassadorForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    service::set_ambassador(&page.state().db, &user, id, form.mark == "true").await?;
    page.flash(Level::Success, "flash-ambassador-saved");
    Ok(see_other(&format!("/people/{id}")))
}

async fn departments_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    user.require(crate::auth::types::Role::Admin)?;
    let mut ctx = Context::new();
    ctx.insert("departments", &departments::list(&page.state().db).await?);
    page.render("admin/departments.html", ctx)
}

async fn department_error(page: &Page, err: AppError) -> AppResult<HttpResponse> {
    let mut ctx = Context::new();
    ctx.insert("departments", &departments::list(&page.state().db).await?);
    page.form_error("admin/departments.html", err, ctx)
}

async fn create_department(
    page: Page,
    user: CurrentUser,
    form: web::Form<DepartmentInput>,
) -> AppResult<HttpResponse> {
    match departments::create(&page.state().db, &user, &form).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-department-saved");
            Ok(see_other("/admin/departments"))
        }
        Err(err) => department_error(&page, err).await,
    }
}

async fn rename_department(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<DepartmentInput>,
) -> AppResult<HttpResponse> {
    match departments::rename(&page.state().db, &user, path.into_inner(), &form).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-department-saved");
            Ok(see_other("/admin/departments"))
        }
        Err(err) => department_error(&page, err).await,
    }
}

async fn delete_department(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    departments::delete(&page.state().db, &user, path.into_inner()).await?;
    page.flash(Level::Success, "flash-department-deleted");
    Ok(see_other("/admin/departments"))
}
