//! The dashboard page, its CSV exports and the readiness questionnaire.
use actix_web::{HttpResponse, http::header, web};
use chrono::Utc;
use serde::Deserialize;
use tera::Context;

use super::{
    charts::{self, Series},
    export,
    readiness::{self, AssessmentInput, STATEMENTS},
    service::{self, KpiQuery, Kpis},
};
use crate::auth::types::Role;
use crate::web::routes::{Access, Routes};
use crate::{
    auth::current_user::CurrentUser,
    error::{AppError, AppResult},
    web::page::{Level, Page, see_other},
};

pub fn configure(r: &mut Routes) {
    r.access(Access::Role(Role::SocialTeam))
        .get("/kpis", dashboard)
        .get("/kpis/export/{table}", export_csv)
        .get("/kpis/readiness", readiness_page)
        .post("/kpis/readiness", save_readiness);
}

/// The charts of the dashboard, as SVG, in the page's language.
fn charts_for(page: &Page, kpis: &Kpis) -> Vec<(&'static str, String)> {
    let labels: Vec<String> = kpis.weekly.iter().map(|w| w.week.clone()).collect();
    let column = |f: fn(&service::WeekRow) -> u64| -> Vec<f64> {
        kpis.weekly.iter().map(|w| f(w) as f64).collect()
    };
    let t = |key: &str| page.t(key);
    let (contributors, readers) = (t("kpi-contributors"), t("kpi-readers"));
    let (posts, questions, answers, comments) = (
        t("kpi-posts"),
        t("kpi-questions"),
        t("kpi-answers"),
        t("kpi-comments"),
    );
    let score = t("kpi-readiness-score");
    vec![
        (
            "people",
            charts::line(
                "chart-people",
                &t("kpi-chart-people"),
                &labels,
                &[
                    Series {
                        name: &contributors,
                        values: column(|w| w.contributors),
                    },
                    Series {
                        name: &readers,
                        values: column(|w| w.readers),
                    },
                ],
                None,
                page.lang,
            ),
        ),
        (
            "content",
            charts::line(
                "chart-content",
                &t("kpi-chart-content"),
                &labels,
                &[
                    Series {
                        name: &posts,
                        values: column(|w| w.posts),
                    },
                    Series {
                        name: &questions,
                        values: column(|w| w.questions),
                    },
                    Series {
                        name: &answers,
                        values: column(|w| w.answers),
                    },
                    Series {
                        name: &comments,
                        values: column(|w| w.comments),
                    },
                ],
                None,
                page.lang,
            ),
        ),
        (
            "departments",
            charts::bars(
                "chart-departments",
                &t("kpi-chart-participation"),
                &kpis
                    .departments
                    .iter()
                    .map(|d| (d.name.clone(), d.participation.unwrap_or(0.0)))
                    .collect::<Vec<_>>(),
                true,
                page.lang,
            ),
        ),
        (
            "points",
            charts::bars(
                "chart-points",
                &t("kpi-chart-points"),
                &kpis
                    .points_by_rule
                    .iter()
                    .map(|r| {
                        (
                            page.t_or(&format!("rule-{}", r.action), &r.action),
                            r.points as f64,
                        )
                    })
                    .collect::<Vec<_>>(),
                false,
                page.lang,
            ),
        ),
        (
            "readiness",
            charts::line(
                "chart-readiness",
                &t("kpi-chart-readiness"),
                &kpis
                    .readiness
                    .iter()
                    .map(|r| r.quarter.clone())
                    .collect::<Vec<_>>(),
                &[Series {
                    name: &score,
                    values: kpis.readiness.iter().map(|r| r.score).collect(),
                }],
                // Scores run from 1 to 5: the axis always shows the whole scale.
                Some(5.0),
                page.lang,
            ),
        ),
    ]
}

/// The dashboard's query: its form sends `department=` for "Everyone" and `space=` for
/// "Everywhere".
#[derive(Deserialize)]
struct PageQuery {
    weeks: Option<u32>,
    department: Option<String>,
    space: Option<String>,
}

/// An id from the filter form: none when empty, 400 when not a number.
fn id_of(what: &str, value: Option<&str>) -> AppResult<Option<i64>> {
    match value.filter(|v| !v.is_empty()) {
        Some(v) => {
            Ok(Some(v.parse().map_err(|_| {
                AppError::BadRequest(format!("unknown {what} '{v}'"))
            })?))
        }
        None => Ok(None),
    }
}

impl PageQuery {
    fn kpi(&self) -> AppResult<KpiQuery> {
        Ok(KpiQuery {
            weeks: self.weeks,
            department: id_of("department", self.department.as_deref())?,
            space: id_of("space", self.space.as_deref())?,
        })
    }
}

async fn dashboard(
    page: Page,
    user: CurrentUser,
    q: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let db = &page.state().db;
    let service::Dashboard { kpis, catalogue } =
        service::dashboard(db, &user, &q.kpi()?, Utc::now()).await?;
    let mut ctx = Context::new();
    ctx.insert(
        "charts",
        &charts_for(&page, &kpis)
            .into_iter()
            .collect::<std::collections::HashMap<_, _>>(),
    );
    // Every department and space (the social team and admins know every space).
    ctx.insert("departments_all", &catalogue.departments);
    ctx.insert("spaces_all", &catalogue.spaces);
    let query = format!(
        "?weeks={}{}{}",
        kpis.period.weeks,
        kpis.period
            .department
            .map(|d| format!("&department={d}"))
            .unwrap_or_default(),
        kpis.period
            .space
            .map(|s| format!("&space={s}"))
            .unwrap_or_default()
    );
    ctx.insert("query", &query);
    ctx.insert("kpis", &kpis);
    page.render("kpi/dashboard.html", ctx)
}

async fn export_csv(
    user: CurrentUser,
    state: web::Data<crate::state::AppState>,
    path: web::Path<String>,
    q: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let name = path.into_inner();
    let table = name.strip_suffix(".csv").ok_or(AppError::NotFound)?;
    if !export::TABLES.contains(&table) {
        return Err(AppError::NotFound);
    }
    let kpis = service::compute(&state.db, &user, &q.kpi()?, Utc::now()).await?;
    let body = export::csv(&kpis, table).ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"kring-{table}-{}w.csv\"",
                kpis.period.weeks
            ),
        ))
        .body(body))
}

async fn readiness_context(page: &Page, user: &CurrentUser, quarter: &str) -> AppResult<Context> {
    service::require(user)?;
    let db = &page.state().db;
    let current = readiness::of_quarter(db, quarter).await?;
    let mut ctx = Context::new();
    ctx.insert("quarter", quarter);
    ctx.insert(
        "answers",
        &current
            .as_ref()
            .map(|c| c.answers.clone())
            .unwrap_or_else(|| vec![0; STATEMENTS]),
    );
    ctx.insert(
        "note",
        &current.as_ref().map(|c| c.note.clone()).unwrap_or_default(),
    );
    ctx.insert("statements", &(1..=STATEMENTS).collect::<Vec<_>>());
    ctx.insert("trend", &readiness::trend(db).await?);
    Ok(ctx)
}

async fn readiness_page(page: Page, user: CurrentUser) -> AppResult<HttpResponse> {
    let quarter = readiness::quarter_of(Utc::now());
    let ctx = readiness_context(&page, &user, &quarter).await?;
    page.render("kpi/readiness.html", ctx)
}

#[derive(Deserialize)]
struct ReadinessForm {
    quarter: String,
    #[serde(default)]
    note: String,
    #[serde(flatten)]
    scores: std::collections::HashMap<String, String>,
}

async fn save_readiness(
    page: Page,
    user: CurrentUser,
    form: web::Form<ReadinessForm>,
) -> AppResult<HttpResponse> {
    let answers: Vec<u8> = (1..=STATEMENTS)
        .map(|n| {
            form.scores
                .get(&format!("q{n}"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        })
        .collect();
    let input = AssessmentInput {
        quarter: form.quarter.clone(),
        answers: answers.clone(),
        note: form.note.clone(),
    };
    match readiness::save(&page.state().db, &user, &input).await {
        Ok(_) => {
            page.flash(Level::Success, "flash-readiness-saved");
            Ok(see_other("/kpis#readiness"))
        }
        Err(err) => {
            let mut ctx =
                readiness_context(&page, &user, &readiness::quarter_of(Utc::now())).await?;
            ctx.insert("answers", &answers);
            ctx.insert("note", &form.note);
            page.form_error("kpi/readiness.html", err, ctx)
        }
    }
}
