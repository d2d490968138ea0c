//! What admins see of email: the outbox by status (failed mails first of all) and a retry.
use actix_web::{HttpResponse, web};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use tera::Context;
use utoipa::{IntoParams, ToSchema};

use crate::web::routes::{Access, Routes};
use crate::{
    auth::{current_user::CurrentUser, types::Role},
    entities::mail_outbox,
    error::{AppError, AppResult, ErrorBody},
    state::AppState,
    web::{
        page::{Level, Page, see_other},
        pagination::{PageQuery, Paged, Pagination},
    },
};

#[derive(Debug, Serialize, ToSchema)]
pub struct MailView {
    pub id: i64,
    pub to: String,
    pub category: String,
    pub template: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: String,
    pub sent_at: Option<String>,
    pub created_at: String,
}

impl From<mail_outbox::Model> for MailView {
    fn from(m: mail_outbox::Model) -> Self {
        Self {
            id: m.id,
            to: m.to_address,
            category: m.category,
            template: m.template,
            status: m.status,
            attempts: m.attempts,
            last_error: m.last_error,
            next_attempt_at: m.next_attempt_at.to_rfc3339(),
            sent_at: m.sent_at.map(|t| t.to_rfc3339()),
            created_at: m.created_at.to_rfc3339(),
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MailFilter {
    /// `pending`, `sent` or `failed` (default: failed).
    pub status: Option<String>,
}

pub async fn list(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    status: &str,
    pagination: Pagination,
) -> AppResult<Paged<MailView>> {
    actor.require(Role::Admin)?;
    if !matches!(status, "pending" | "sent" | "failed") {
        return Err(AppError::BadRequest(format!(
            "unknown status '{status}'; use pending, sent or failed"
        )));
    }
    let paginator = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::Status.eq(status))
        .order_by_desc(mail_outbox::Column::Id)
        .paginate(db, pagination.per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(pagination.page - 1).await?;
    Ok(Paged::new(
        items.into_iter().map(MailView::from).collect(),
        total,
        pagination,
    ))
}

/// Puts a failed email back in the queue, with a fresh set of attempts; audited.
pub async fn retry(db: &DatabaseConnection, actor: &CurrentUser, id: i64) -> AppResult<MailView> {
    actor.require(Role::Admin)?;
    let txn = crate::db::begin(db).await?;
    let Some(mail) = mail_outbox::Entity::find_by_id(id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    if mail.status != "failed" {
        return Err(AppError::conflict("err-mail-not-failed"));
    }
    let updated = mail_outbox::Entity::update(mail_outbox::ActiveModel {
        id: Set(id),
        status: Set("pending".into()),
        attempts: Set(0),
        next_attempt_at: Set(Utc::now()),
        locked_until: Set(None),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    crate::audit::record(
        &txn,
        Some(actor.id),
        "mail.retry",
        None,
        serde_json::json!({"mail_id": id, "to": updated.to_address}),
    )
    .await?;
    txn.commit().await?;
    Ok(updated.into())
}

pub fn configure_api(r: &mut Routes) {
    r.access(Access::Role(Role::Admin))
        .get("/admin/mail", list_api)
        .post("/admin/mail/{id}/retry", retry_api);
}

/// The email outbox by status (admins only): failed emails, or those still pending or sent.
#[utoipa::path(get, path = "/api/v1/admin/mail", tag = "admin", operation_id = "list_mail", params(MailFilter, PageQuery),
    responses((status = 200, body = Paged<MailView>), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn list_api(
    state: web::Data<AppState>,
    user: CurrentUser,
    filter: web::Query<MailFilter>,
    page: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let status = filter.status.as_deref().unwrap_or("failed");
    let mails = list(
        &state.db,
        &user,
        status,
        Pagination::from(page.into_inner()),
    )
    .await?;
    Ok(HttpResponse::Ok().json(mails))
}

/// Queue a failed email again (admins only).
#[utoipa::path(post, path = "/api/v1/admin/mail/{id}/retry", tag = "admin",
    params(("id" = i64, Path)),
    responses((status = 200, body = MailView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = []), ("session" = [])))]
pub async fn retry_api(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(retry(&state.db, &user, id.into_inner()).await?))
}

pub fn configure_pages(r: &mut Routes) {
    r.access(Access::Role(Role::Admin))
        .get("/admin/mail", page)
        .post("/admin/mail/{id}/retry", retry_page);
}

#[derive(Debug, Deserialize)]
struct PageParams {
    status: Option<String>,
    page: Option<u64>,
}

async fn page(page: Page, user: CurrentUser, q: web::Query<PageParams>) -> AppResult<HttpResponse> {
    let status = q.status.clone().unwrap_or_else(|| "failed".into());
    let mails = list(
        &page.state().db,
        &user,
        &status,
        Pagination::from(PageQuery {
            page: q.page,
            per_page: None,
        }),
    )
    .await?;
    let mut ctx = Context::new();
    ctx.insert("mails", &mails);
    ctx.insert("status", &status);
    ctx.insert("smtp_configured", &page.state().settings.smtp_url.is_some());
    page.render("admin/mail.html", ctx)
}

async fn retry_page(page: Page, user: CurrentUser, id: web::Path<i64>) -> AppResult<HttpResponse> {
    retry(&page.state().db, &user, id.into_inner()).await?;
    page.flash(Level::Success, "flash-mail-retried");
    Ok(see_other("/admin/mail?status=failed"))
}
