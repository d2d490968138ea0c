//! Admin pages.
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Context;

use super::service::{self, CreateUserInput, UserChanges, UserFilter};
use crate::blog::{self, types::ReviewMode};
use crate::gamification::leaderboard::LeaderboardSettings;
use crate::web::routes::{Access, Routes};
use crate::{
    auth::{
        current_user::CurrentUser,
        service::RegistrationSettings,
        types::{Role, UserId},
    },
    error::{AppError, AppResult},
    web::{
        page::{Level, Page, see_other},
        pagination::{PageQuery, Pagination},
    },
};

pub fn configure(r: &mut Routes) {
    r.access(Access::Role(Role::Admin))
        .get("/admin", index)
        .get("/admin/users", users_page)
        .post("/admin/users", create_user)
        .get("/admin/users/new", new_user_page)
        .get("/admin/users/{id}", user_page)
        .post("/admin/users/{id}/roles", update_roles)
        .post("/admin/users/{id}/deactivate", deactivate)
        .post("/admin/users/{id}/activate", activate)
        .get("/admin/settings", settings_page)
        .post("/admin/settings/registration", update_registration)
        .post("/admin/settings/review", update_review_mode)
        .post("/admin/settings/company", update_company)
        .post("/admin/settings/leaderboard", update_leaderboard)
        .get("/admin/audit", audit_page)
        .with(super::invitations::configure_pages);
}

async fn index(user: CurrentUser) -> AppResult<HttpResponse> {
    user.require(Role::Admin)?;
    Ok(see_other("/admin/users"))
}

#[derive(Deserialize)]
struct UsersQuery {
    q: Option<String>,
    role: Option<String>,
    status: Option<String>,
    page: Option<u64>,
}

async fn users_page(
    page: Page,
    user: CurrentUser,
    query: web::Query<UsersQuery>,
) -> AppResult<HttpResponse> {
    let role = match query.role.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => Some(r.parse::<Role>()?),
        None => None,
    };
    let filter = UserFilter {
        q: query.q.clone(),
        role,
        status: query.status.clone(),
    };
    let pagination = Pagination::from(PageQuery {
        page: query.page,
        per_page: None,
    });
    let users = service::list_users(&page.state().db, &user, &filter, pagination).await?;
    let mut ctx = Context::new();
    ctx.insert("users", &users);
    ctx.insert("q", &query.q.clone().unwrap_or_default());
    ctx.insert("role", &query.role.clone().unwrap_or_default());
    ctx.insert("status", &query.status.clone().unwrap_or_default());
    ctx.insert("roles", &Role::ALL);
    page.render("admin/users.html", ctx)
}

async fn new_user_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    user.require(Role::Admin)?;
    let mut ctx = Context::new();
    ctx.insert("roles", &Role::ALL);
    ctx.insert("form", &serde_json::json!({}));
    page.render("admin/new_user.html", ctx)
}

/// Checkbox fields: `role_admin=on`, `role_editor=on`, ... and `is_leadership=on`. Used by the
/// user forms here and by the invitation form (`#[serde(flatten)]`).
#[derive(Deserialize)]
pub(super) struct RoleBoxes {
    role_ambassador: Option<String>,
    role_editor: Option<String>,
    role_social_team: Option<String>,
    role_admin: Option<String>,
    pub(super) is_leadership: Option<String>,
}

impl RoleBoxes {
    /// The roles whose boxes are ticked.
    pub(super) fn roles(&self) -> Vec<Role> {
        [
            (Role::Ambassador, &self.role_ambassador),
            (Role::Editor, &self.role_editor),
            (Role::SocialTeam, &self.role_social_team),
            (Role::Admin, &self.role_admin),
        ]
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(r, _)| r)
        .collect()
    }
}

#[derive(Deserialize)]
struct NewUserForm {
    email: String,
    display_name: String,
    password: String,
    #[serde(flatten)]
    boxes: RoleBoxes,
}

async fn create_user(
    page: Page,
    user: CurrentUser,
    form: web::Form<NewUserForm>,
) -> AppResult<HttpResponse> {
    let input = CreateUserInput {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        password: form.password.clone(),
        roles: form.boxes.roles(),
        is_leadership: form.boxes.is_leadership.is_some(),
        locale: None,
    };
    match service::create_user(&page.state().db, &user, &input).await {
        Ok(created) => {
            page.flash(Level::Success, "flash-user-created");
            Ok(see_other(&format!("/admin/users/{}", created.id)))
        }
        Err(err) => {
            let mut ctx = Context::new();
            ctx.insert("roles", &Role::ALL);
            ctx.insert(
                "form",
                &serde_json::json!({
                    "email": input.email.trim(),
                    "display_name": input.display_name.trim(),
                    "roles": input.roles,
                    "is_leadership": input.is_leadership,
                }),
            );
            page.form_error("admin/new_user.html", err, ctx)
        }
    }
}

async fn user_page(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = UserId(path.into_inner());
    let db = &page.state().db;
    let target = service::get_user(db, &user, id).await?;
    let history = service::audit_log(
        db,
        &user,
        Some(id),
        Pagination {
            page: 1,
            per_page: 20,
        },
    )
    .await?;
    let mut ctx = Context::new();
    ctx.insert("target", &target);
    ctx.insert("history", &history.items);
    ctx.insert("roles", &Role::ALL);
    page.render("admin/user.html", ctx)
}

async fn apply(
    page: &Page,
    user: &CurrentUser,
    id: i64,
    changes: UserChanges,
    ok_key: &str,
) -> AppResult<HttpResponse> {
    match service::update_user(&page.state().db, user, UserId(id), &changes).await {
        Ok(_) => page.flash(Level::Success, ok_key),
        // A refused change (last admin, own account) is explained on the same page.
        Err(AppError::Conflict(msg)) => page.flash(Level::Error, msg.key),
        Err(err) => return Err(err),
    }
    Ok(see_other(&format!("/admin/users/{id}")))
}

async fn update_roles(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
    form: web::Form<RoleBoxes>,
) -> AppResult<HttpResponse> {
    let changes = UserChanges {
        roles: Some(form.roles()),
        is_leadership: Some(form.is_leadership.is_some()),
        is_active: None,
    };
    apply(
        &page,
        &user,
        path.into_inner(),
        changes,
        "flash-roles-saved",
    )
    .await
}

async fn deactivate(
    page: Page,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let changes = UserChanges {
        is_active: Some(false),
        ..Default::default()
    };
    apply(
        &page,
        &user,
        path.into_inner(),
        changes,
        "flash-user-deactivated",
    )
    .await
}

async fn activate(page: Page, user: CurrentUser, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let changes = UserChanges {
        is_active: Some(true),
        ..Default::default()
    };
    apply(
        &page,
        &user,
        path.into_inner(),
        changes,
        "flash-user-activated",
    )
    .await
}

async fn settings_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let ctx = settings_context(&page, &user).await?;
    page.render("admin/settings.html", ctx)
}

/// Every form of the settings page, as stored (a form shown again overrides its own fields).
async fn settings_context(page: &Page, user: &CurrentUser) -> AppResult<Context> {
    let registration = service::registration(&page.state().db, user).await?;
    let mut ctx = Context::new();
    ctx.insert("enabled", &registration.enabled);
    ctx.insert("domains", &registration.allowed_domains.join("\n"));
    ctx.insert(
        "review_mode",
        &blog::service::review_mode(&page.state().db).await?,
    );
    insert_leaderboard(page, &mut ctx).await?;
    insert_company(page, &mut ctx).await?;
    let search = &page.state().search;
    let language = search.language();
    ctx.insert("language", language.resources());
    ctx.insert("language_dir", &language.resources().dir);
    ctx.insert("synonym_groups", &search.synonyms().len());
    Ok(ctx)
}

async fn insert_company(page: &Page, ctx: &mut Context) -> AppResult<()> {
    let company: crate::company::Company = crate::settings_store::get(&page.state().db).await?;
    ctx.insert("company", &company);
    ctx.insert("time_zones", &crate::company::time_zone_names());
    Ok(())
}

#[derive(Deserialize)]
struct CompanyForm {
    language: crate::i18n::Lang,
    time_zone: String,
}

async fn update_company(
    page: Page,
    user: CurrentUser,
    form: web::Form<CompanyForm>,
) -> AppResult<HttpResponse> {
    let input = crate::company::Company {
        language: form.language,
        time_zone: form.time_zone.clone(),
    };
    let state = page.state();
    match crate::company::set(&state.db, &state.company, &user, &input).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-settings-saved");
            Ok(see_other("/admin/settings"))
        }
        Err(err) => {
            let mut ctx = settings_context(&page, &user).await?;
            ctx.insert("company", &input);
            page.form_error("admin/settings.html", err, ctx)
        }
    }
}

async fn insert_leaderboard(page: &Page, ctx: &mut Context) -> AppResult<()> {
    let settings: LeaderboardSettings = crate::settings_store::get(&page.state().db).await?;
    ctx.insert(
        "excluded_roles",
        &settings
            .excluded_roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>(),
    );
    ctx.insert("hide_individuals", &settings.hide_individuals);
    ctx.insert(
        "roles",
        &Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
    );
    Ok(())
}

/// `hide_individuals` (checkbox) and one `exclude_{role}` checkbox per role.
async fn update_leaderboard(
    page: Page,
    user: CurrentUser,
    form: web::Form<std::collections::HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let settings = LeaderboardSettings {
        hide_individuals: form.contains_key("hide_individuals"),
        excluded_roles: Role::ALL
            .into_iter()
            .filter(|r| form.contains_key(&format!("exclude_{}", r.as_str())))
            .collect(),
    };
    crate::gamification::leaderboard::set_settings(&page.state().db, &user, &settings).await?;
    page.flash(Level::Success, "flash-settings-saved");
    Ok(see_other("/admin/settings"))
}

#[derive(Deserialize)]
struct ReviewModeForm {
    mode: ReviewMode,
}

async fn update_review_mode(
    page: Page,
    user: CurrentUser,
    form: web::Form<ReviewModeForm>,
) -> AppResult<HttpResponse> {
    blog::service::set_review_mode(&page.state().db, &user, form.mode).await?;
    page.flash(Level::Success, "flash-settings-saved");
    Ok(see_other("/admin/settings"))
}

#[derive(Deserialize)]
struct RegistrationForm {
    enabled: Option<String>,
    /// One domain per line (or separated by commas or spaces).
    domains: String,
}

async fn update_registration(
    page: Page,
    user: CurrentUser,
    form: web::Form<RegistrationForm>,
) -> AppResult<HttpResponse> {
    let input = RegistrationSettings {
        enabled: form.enabled.is_some(),
        allowed_domains: form
            .domains
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    match service::set_registration(&page.state().db, &user, &input).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-settings-saved");
            Ok(see_other("/admin/settings"))
        }
        Err(err) => {
            let mut ctx = settings_context(&page, &user).await?;
            ctx.insert("enabled", &input.enabled);
            ctx.insert("domains", &form.domains);
            page.form_error("admin/settings.html", err, ctx)
        }
    }
}

async fn audit_page(
    page: Page,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let entries = service::audit_log(
        &page.state().db,
        &user,
        None,
        Pagination::from(query.into_inner()),
    )
    .await?;
    let mut ctx = Context::new();
    ctx.insert("entries", &entries);
    page.render("admin/audit.html", ctx)
}
