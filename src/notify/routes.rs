//! Notification pages: the list, marking read, preferences, and unsubscribing from an email.
use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use tera::Context;

use super::{
    service::{self, CategoryPreference, DIGEST, Preferences},
    types::{Category, Delivery},
};
use crate::web::routes::{Access, Routes};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult},
    web::{
        page::{Level, Page, safe_next, see_other},
        pagination::{PageQuery, Pagination},
    },
};

pub fn configure(r: &mut Routes) {
    r.get("/notifications", list)
        .get("/notifications/menu", menu)
        .post("/notifications/read-all", read_all)
        .post("/notifications/{id}/read", read)
        .get("/settings/notifications", preferences)
        .post("/settings/notifications", save_preferences)
        // Links in emails: the signature is the permission.
        .access(Access::Public)
        .get(
            "/unsubscribe/{user}/{category}/{signature}",
            unsubscribe_page,
        )
        .post("/unsubscribe/{user}/{category}/{signature}", unsubscribe);
}

async fn list(page: Page, user: CurrentUser, q: web::Query<PageQuery>) -> AppResult<HttpResponse> {
    let items = service::list(
        &page.state().db,
        &user,
        false,
        Pagination::from(q.into_inner()),
    )
    .await?;
    let mut ctx = Context::new();
    ctx.insert("notifications", &items);
    page.render("notifications/list.html", ctx)
}

/// The bell's dropdown: the latest notifications as an HTML fragment, fetched by the bell
/// when it opens (so ordinary pages do not read them).
async fn menu(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let items = service::list(
        &page.state().db,
        &user,
        false,
        Pagination {
            page: 1,
            per_page: MENU_ITEMS,
        },
    )
    .await?;
    let mut ctx = Context::new();
    ctx.insert("notifications", &items);
    page.render("notifications/_menu.html", ctx)
}

/// How many notifications the bell's dropdown shows.
const MENU_ITEMS: u64 = 8;

async fn read(page: Page, user: CurrentUser, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let url = service::mark_read(&page.state().db, &user, id.into_inner()).await?;
    // Only our own paths: a notification's URL is always local.
    Ok(see_other(&safe_next(Some(&url))))
}

async fn read_all(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    service::mark_all_read(&page.state().db, &user).await?;
    page.flash(Level::Success, "flash-notifications-read");
    Ok(see_other("/notifications"))
}

fn preferences_context(prefs: &Preferences) -> Context {
    let mut ctx = Context::new();
    ctx.insert("preferences", prefs);
    ctx.insert(
        "deliveries",
        &Delivery::ALL.iter().map(|d| d.as_str()).collect::<Vec<_>>(),
    );
    ctx
}

async fn preferences(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let prefs = service::preferences(&page.state().db, user.id.0).await?;
    page.render(
        "notifications/preferences.html",
        preferences_context(&prefs),
    )
}

async fn save_preferences(
    page: Page,
    user: CurrentUser,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let mut categories = Vec::new();
    for category in Category::ALL {
        let value = form
            .get(category.as_str())
            .map(String::as_str)
            .unwrap_or("");
        let Some(delivery) = Delivery::parse(value) else {
            return Err(AppError::BadRequest(format!(
                "unknown delivery '{value}' for {}",
                category.as_str()
            )));
        };
        categories.push(CategoryPreference { category, delivery });
    }
    let prefs = Preferences {
        categories,
        weekly_digest: form.get("weekly_digest").is_some_and(|v| v == "on"),
    };
    service::set_preferences(&page.state().db, &user, &prefs).await?;
    page.flash(Level::Success, "flash-preferences-saved");
    Ok(see_other("/settings/notifications"))
}

fn check_link(page: &Page, user: i64, category: &str, signature: &str) -> AppResult<()> {
    let valid = (category == DIGEST || Category::parse(category).is_some())
        && crate::mail::unsubscribe::verify(
            page.state().cookie_key.signing(),
            user,
            category,
            signature,
        );
    if valid {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The page an email's unsubscribe link opens (no login needed): one button to confirm, so
/// that link scanners cannot unsubscribe anyone.
async fn unsubscribe_page(
    page: Page,
    path: web::Path<(i64, String, String)>,
) -> AppResult<HttpResponse> {
    let (user, category, signature) = path.into_inner();
    check_link(&page, user, &category, &signature)?;
    let mut ctx = Context::new();
    ctx.insert("category", &category);
    ctx.insert("done", &false);
    page.render("notifications/unsubscribe.html", ctx)
}

async fn unsubscribe(
    page: Page,
    path: web::Path<(i64, String, String)>,
) -> AppResult<HttpResponse> {
    let (user, category, signature) = path.into_inner();
    check_link(&page, user, &category, &signature)?;
    service::unsubscribe(&page.state().db, user, &category).await?;
    let mut ctx = Context::new();
    ctx.insert("category", &category);
    ctx.insert("done", &true);
    page.render("notifications/unsubscribe.html", ctx)
}
