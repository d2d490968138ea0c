//! Pages: the leaderboard, the point rules (with "recompute from a date"), the Social Guru
//! desk of the social team, and the hall of fame. Thin: the services decide who may do what.
use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use chrono::{Datelike, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use tera::Context;

use super::{
    badges, guru, leaderboard, ledger,
    rules::{self, Action, Rule},
};
use crate::web::routes::Routes;
use crate::{
    auth::{current_user::CurrentUser, types::Role},
    entities::users,
    error::{AppError, AppResult, Msg},
    web::page::{Level, Page, see_other},
};

pub fn configure(r: &mut Routes) {
    r.get("/leaderboard", board_page)
        .get("/points/rules", rules_page)
        .post("/points/rules", save_rules)
        .post("/points/recompute", recompute)
        .get("/social-guru", guru_page)
        .post("/social-guru/nominate", nominate)
        .post("/social-guru/nominations/{id}/award", award)
        .get("/hall-of-fame", hall_of_fame)
        .post("/hall-of-fame/{id}/revoke", revoke);
}

/// The last twelve months, newest first, for period pickers.
fn recent_months() -> Vec<String> {
    let now = Utc::now();
    let (mut year, mut month) = (now.year(), now.month());
    let mut out = Vec::with_capacity(12);
    for _ in 0..12 {
        out.push(format!("{year:04}-{month:02}"));
        if month == 1 {
            year -= 1;
            month = 12;
        } else {
            month -= 1;
        }
    }
    out
}

#[derive(Deserialize)]
struct BoardQuery {
    period: Option<String>,
    department: Option<String>,
}

/// A row of the leaderboard page.
#[derive(serde::Serialize)]
struct BoardRow<'a> {
    rank: u64,
    user_id: i64,
    display_name: &'a str,
    points: i64,
    /// The viewer's own row.
    me: bool,
}

async fn board_page(
    page: Page,
    user: CurrentUser,
    q: web::Query<BoardQuery>,
) -> AppResult<HttpResponse> {
    let db = &page.state().db;
    let period = q
        .period
        .clone()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| guru::month_of(Utc::now()));
    if !leaderboard::valid_period(&period) {
        return Err(AppError::BadRequest(format!(
            "period must be YYYY-MM or all, not '{period}'"
        )));
    }
    let department = match q.department.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => Some(
            d.parse::<i64>()
                .map_err(|_| AppError::BadRequest(format!("unknown department '{d}'")))?,
        ),
        None => None,
    };
    // The settings come with one's own standing (one statement).
    let (standing, settings) = super::standing::own_and_settings(db, &user, &period).await?;
    let entries = if settings.hide_individuals {
        vec![]
    } else {
        leaderboard::board(db, &settings, &period, department, leaderboard::PAGE_ROWS).await?
    };
    let mut ctx = Context::new();
    ctx.insert("period", &period);
    ctx.insert("months", &recent_months());
    ctx.insert("department", &department);
    ctx.insert("departments", &crate::people::departments::list(db).await?);
    ctx.insert("hidden", &settings.hide_individuals);
    // "Is this me" is decided here once per row, not by looking up `user.id` in every row.
    let rows: Vec<BoardRow> = entries
        .iter()
        .map(|e| BoardRow {
            rank: e.rank,
            user_id: e.user_id,
            display_name: &e.display_name,
            points: e.points,
            me: e.user_id == user.id.0,
        })
        .collect();
    ctx.insert("entries", &rows);
    ctx.insert("standing", &standing);
    page.render("gamification/leaderboard.html", ctx)
}

fn may_edit_rules(user: &CurrentUser) -> bool {
    user.has(Role::SocialTeam) || user.has(Role::Admin)
}

/// Everyone reads how points are earned; the social team (and admins) also change it.
async fn rules_context(page: &Page, user: &CurrentUser) -> AppResult<Context> {
    let mut ctx = Context::new();
    ctx.insert("rules", &rules::all(&page.state().db).await?);
    ctx.insert("may_edit", &may_edit_rules(user));
    Ok(ctx)
}

async fn rules_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let ctx = rules_context(&page, &user).await?;
    page.render("gamification/rules.html", ctx)
}

/// `{action}_points`, `{action}_cap` (empty: none) and `{action}_enabled` per rule.
async fn save_rules(
    page: Page,
    user: CurrentUser,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    if !may_edit_rules(&user) {
        return Err(AppError::forbidden());
    }
    let mut changed = Vec::new();
    for action in Action::ALL {
        let name = action.as_str();
        let field = |suffix: &str| form.get(&format!("{name}_{suffix}")).map(|v| v.trim());
        let points = field("points").unwrap_or("").parse::<i32>().map_err(|_| {
            AppError::validation("points", Msg::new("err-rule-points").arg("max", 1000))
        });
        let cap = match field("cap").unwrap_or("") {
            "" => Ok(None),
            c => c.parse::<i32>().map(Some).map_err(|_| {
                AppError::validation("daily_cap", Msg::new("err-rule-cap").arg("max", 10_000))
            }),
        };
        let (points, daily_cap) = match (points, cap) {
            (Ok(p), Ok(c)) => (p, c),
            (Err(err), _) | (_, Err(err)) => {
                let ctx = rules_context(&page, &user).await?;
                return page.form_error("gamification/rules.html", err, ctx);
            }
        };
        changed.push(Rule {
            action,
            points,
            daily_cap,
            enabled: field("enabled").is_some(),
        });
    }
    match rules::update(&page.state().db, &user, &changed).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-rules-saved");
            Ok(see_other("/points/rules"))
        }
        Err(err) => {
            let ctx = rules_context(&page, &user).await?;
            page.form_error("gamification/rules.html", err, ctx)
        }
    }
}

#[derive(Deserialize)]
struct RecomputeForm {
    from: String,
}

async fn recompute(
    page: Page,
    user: CurrentUser,
    form: web::Form<RecomputeForm>,
) -> AppResult<HttpResponse> {
    let result = match chrono::NaiveDate::parse_from_str(form.from.trim(), "%Y-%m-%d") {
        Ok(from) => ledger::recompute_from(&page.state().db, &user, from).await,
        Err(_) => Err(AppError::validation("from", Msg::new("err-recompute-date"))),
    };
    match result {
        Ok(_) => {
            page.flash(Level::Success, "flash-points-recomputed");
            Ok(see_other("/points/rules"))
        }
        Err(err) => {
            let mut ctx = rules_context(&page, &user).await?;
            ctx.insert("from", &form.from);
            page.form_error("gamification/rules.html", err, ctx)
        }
    }
}

#[derive(Deserialize)]
struct MonthQuery {
    month: Option<String>,
}

async fn guru_context(page: &Page, user: &CurrentUser, month: &str) -> AppResult<Context> {
    let db = &page.state().db;
    let mut ctx = Context::new();
    ctx.insert("suggestions", &guru::suggestions(db, user, month).await?);
    ctx.insert("nominations", &guru::nominations(db, user, month).await?);
    ctx.insert(
        "award",
        &guru::awards(db, None)
            .await?
            .into_iter()
            .find(|a| a.month == month),
    );
    ctx.insert("month", month);
    ctx.insert("months", &recent_months());
    ctx.insert("closed", &(month < guru::month_of(Utc::now()).as_str()));
    Ok(ctx)
}

async fn guru_page(
    page: Page,
    user: CurrentUser,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let month = q
        .month
        .clone()
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| guru::closed_month(Utc::now()));
    let ctx = guru_context(&page, &user, &month).await?;
    page.render("gamification/guru.html", ctx)
}

#[derive(Deserialize)]
struct NominateForm {
    month: String,
    /// A suggested person's id, or empty with `email` naming the nominee.
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    email: String,
    reason: String,
}

async fn nominee(page: &Page, form: &NominateForm) -> AppResult<i64> {
    if let Ok(id) = form.user_id.trim().parse::<i64>() {
        return Ok(id);
    }
    let email = form.email.trim().to_lowercase();
    users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(&page.state().db)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| AppError::validation("user_id", Msg::new("err-guru-nominee")))
}

async fn nominate(
    page: Page,
    user: CurrentUser,
    form: web::Form<NominateForm>,
) -> AppResult<HttpResponse> {
    let result = match nominee(&page, &form).await {
        Ok(user_id) => {
            guru::nominate(
                &page.state().db,
                &user,
                &guru::NewNomination {
                    user_id,
                    month: form.month.clone(),
                    reason: form.reason.clone(),
                },
            )
            .await
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(n) => {
            page.flash(Level::Success, "flash-nominated");
            Ok(see_other(&format!(
                "/social-guru?month={}#nominations",
                n.month
            )))
        }
        Err(err) => {
            let mut ctx = guru_context(&page, &user, &form.month).await?;
            ctx.insert("email", &form.email);
            ctx.insert("reason", &form.reason);
            page.form_error("gamification/guru.html", err, ctx)
        }
    }
}

async fn award(page: Page, user: CurrentUser, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    match guru::award(&page.state().db, &user, id).await {
        Ok(a) => {
            page.flash(Level::Success, "flash-guru-awarded");
            Ok(see_other(&format!("/social-guru?month={}", a.month)))
        }
        Err(err @ (AppError::Conflict(_) | AppError::Validation { .. })) => {
            let nomination = crate::entities::nominations::Entity::find_by_id(id)
                .one(&page.state().db)
                .await?
                .ok_or(AppError::NotFound)?;
            let ctx = guru_context(&page, &user, &nomination.month).await?;
            page.form_error("gamification/guru.html", err, ctx)
        }
        Err(err) => Err(err),
    }
}

async fn hall_context(page: &Page, user: &CurrentUser) -> AppResult<Context> {
    let db = &page.state().db;
    let mut ctx = Context::new();
    ctx.insert("awards", &guru::awards(db, None).await?);
    ctx.insert("can_revoke", &user.has(Role::Admin));
    ctx.insert("badges", &badges::catalogue(db).await?);
    Ok(ctx)
}

async fn hall_of_fame(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let ctx = hall_context(&page, &user).await?;
    page.render("gamification/hall_of_fame.html", ctx)
}

#[derive(Deserialize)]
struct RevokeForm {
    reason: String,
}

async fn revoke(
    page: Page,
    user: CurrentUser,
    id: web::Path<i64>,
    form: web::Form<RevokeForm>,
) -> AppResult<HttpResponse> {
    match guru::revoke(&page.state().db, &user, id.into_inner(), &form.reason).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-guru-revoked");
            Ok(see_other("/hall-of-fame"))
        }
        Err(err @ (AppError::Conflict(_) | AppError::Validation { .. })) => {
            let ctx = hall_context(&page, &user).await?;
            page.form_error("gamification/hall_of_fame.html", err, ctx)
        }
        Err(err) => Err(err),
    }
}
