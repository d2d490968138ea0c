//! The admin page `/admin/webhooks`: webhooks with their secrets, recent deliveries, and the
//! forms to add, switch, delete and retry.
use actix_web::{HttpResponse, web};
use tera::Context;

use super::{
    Event,
    service::{self, WebhookInput},
};
use crate::auth::types::Role;
use crate::web::routes::{Access, Routes};
use crate::{
    auth::current_user::CurrentUser,
    error::AppResult,
    web::page::{Level, Page, see_other},
};

const PAGE: &str = "/admin/webhooks";

pub fn configure(r: &mut Routes) {
    r.access(Access::Role(Role::Admin))
        .get(PAGE, page)
        .post(PAGE, create)
        .post("/admin/webhooks/{id}/activate", activate)
        .post("/admin/webhooks/{id}/deactivate", deactivate)
        .post("/admin/webhooks/{id}/delete", delete)
        .post("/admin/webhook-deliveries/{id}/retry", retry)
        .post("/admin/webhooks/networks", save_networks);
}

#[derive(serde::Deserialize)]
struct NetworksForm {
    /// One range per line.
    allowed: String,
}

async fn save_networks(
    page: Page,
    user: CurrentUser,
    form: web::Form<NetworksForm>,
) -> AppResult<HttpResponse> {
    let input = super::guard::AllowedNetworks {
        allowed: form.allowed.lines().map(str::to_owned).collect(),
    };
    match service::set_allowed_networks(&page.state().db, &user, &input).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-webhook-networks");
            Ok(see_other(PAGE))
        }
        Err(err) => {
            let mut ctx = context(&page, &user).await?;
            ctx.insert("networks_text", &form.allowed);
            page.form_error("admin/webhooks.html", err, ctx)
        }
    }
}

async fn context(page: &Page, user: &CurrentUser) -> AppResult<Context> {
    let db = &page.state().db;
    let mut ctx = Context::new();
    ctx.insert("webhooks", &service::list(db, user).await?);
    ctx.insert("deliveries", &service::deliveries(db, user, None).await?);
    ctx.insert(
        "networks_text",
        &service::allowed_networks(db, user)
            .await?
            .allowed
            .join("\n"),
    );
    ctx.insert(
        "events",
        &Event::ALL.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
    );
    ctx.insert("spaces", &service::space_choices(db, user).await?);
    Ok(ctx)
}

/// The form of a new webhook: the space is a select whose first option (company-wide) is empty.
#[derive(serde::Deserialize)]
struct WebhookForm {
    event: String,
    url: String,
    space_id: Option<String>,
}

async fn page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let ctx = context(&page, &user).await?;
    page.render("admin/webhooks.html", ctx)
}

async fn create(
    page: Page,
    user: CurrentUser,
    form: web::Form<WebhookForm>,
) -> AppResult<HttpResponse> {
    let input = WebhookInput {
        event: form.event.clone(),
        url: form.url.clone(),
        space_id: form.space_id.as_deref().and_then(|s| s.trim().parse().ok()),
    };
    match service::create(&page.state().db, &user, &input).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-webhook-created");
            Ok(see_other(PAGE))
        }
        Err(err) => {
            let mut ctx = context(&page, &user).await?;
            ctx.insert(
                "form",
                &serde_json::json!({"event": form.event, "url": form.url}),
            );
            page.form_error("admin/webhooks.html", err, ctx)
        }
    }
}

async fn switch(page: Page, user: CurrentUser, id: i64, active: bool) -> AppResult<HttpResponse> {
    service::set_active(&page.state().db, &user, id, active).await?;
    page.flash(
        Level::Success,
        if active {
            "flash-webhook-activated"
        } else {
            "flash-webhook-deactivated"
        },
    );
    Ok(see_other(PAGE))
}

async fn activate(page: Page, user: CurrentUser, id: web::Path<i64>) -> AppResult<HttpResponse> {
    switch(page, user, id.into_inner(), true).await
}

async fn deactivate(page: Page, user: CurrentUser, id: web::Path<i64>) -> AppResult<HttpResponse> {
    switch(page, user, id.into_inner(), false).await
}

async fn delete(page: Page, user: CurrentUser, id: web::Path<i64>) -> AppResult<HttpResponse> {
    service::delete(&page.state().db, &user, id.into_inner()).await?;
    page.flash(Level::Success, "flash-webhook-deleted");
    Ok(see_other(PAGE))
}

async fn retry(page: Page, user: CurrentUser, id: web::Path<i64>) -> AppResult<HttpResponse> {
    service::retry(&page.state().db, &user, id.into_inner()).await?;
    page.flash(Level::Success, "flash-webhook-retried");
    Ok(see_other(PAGE))
}
