//! Who is asking, in one statement (issue 25's statement budget): the session with its user,
//! the user's roles and the counts the navigation shows (unread notifications, posts waiting
//! for review), or a personal access token with its user and roles.
//!
//! The session store ([`crate::web::session`]) runs [`by_session`] when actix-session loads
//! the session and leaves the user in the request's slot ([`scope`], [`leave`]); the
//! `CurrentUser` extractor and the `Page` take it from there ([`take`]) instead of asking
//! again. The navigation counts are SQL expressions installed by the features that own them
//! ([`install_nav_counts`]), so this module does not depend on them.
use std::cell::RefCell;

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DbErr, FromQueryResult, Iterable, QueryResult, Value,
    sea_query::{
        Alias, Expr, ExprTrait, Func, JoinType, Query, QueryStatementBuilder, SelectStatement,
        SimpleExpr,
    },
};

use super::{
    current_user::{AuthMethod, CurrentUser},
    types::{Role, Roles},
};
use crate::{
    db::Reused,
    entities::{api_tokens, sessions, user_roles, users},
};

/// The navigation's counts of a signed-in user.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NavCounts {
    /// Unread notifications.
    pub unread: u64,
    /// Posts waiting for this moderator's review (0 for everyone else).
    pub review_waiting: u64,
}

/// The expressions of the navigation counts for the user whose id is the given expression:
/// `[unread, review_waiting]`, each a scalar sub-select.
pub type NavCountExprs = fn(user_id: SimpleExpr) -> [SimpleExpr; 2];

static NAV_COUNTS: std::sync::OnceLock<NavCountExprs> = std::sync::OnceLock::new();

/// Installs how the navigation counts are read (the first installation stays). Install them
/// before the first session is read: [`by_session`] builds its SQL once.
pub fn install_nav_counts(exprs: NavCountExprs) {
    let _ = NAV_COUNTS.set(exprs);
}

fn nav_count_exprs(user_id: SimpleExpr) -> [SimpleExpr; 2] {
    match NAV_COUNTS.get() {
        Some(exprs) => exprs(user_id),
        None => [Expr::val(0i64), Expr::val(0i64)],
    }
}

/// A signed-in user as the viewer statement found them.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub user: CurrentUser,
    /// `None` when the statement did not read them (token requests).
    pub nav: Option<NavCounts>,
}

/// The roles other than `member` (which everyone has), with their bit in the roles column.
const ROLE_BITS: [(Role, i64); 4] = [
    (Role::Ambassador, 1),
    (Role::Editor, 2),
    (Role::SocialTeam, 4),
    (Role::Admin, 8),
];

/// `(SELECT COALESCE(SUM(CASE role WHEN 'ambassador' THEN 1 …), 0) FROM user_roles WHERE
/// user_id = users.id)`: a user's roles as bits (a role is held once, so the sum is the union).
fn roles_expr() -> SimpleExpr {
    let mut case = Expr::case(
        Expr::col((user_roles::Entity, user_roles::Column::Role)).eq(ROLE_BITS[0].0.as_str()),
        ROLE_BITS[0].1,
    );
    for (role, bit) in &ROLE_BITS[1..] {
        case = case.case(
            Expr::col((user_roles::Entity, user_roles::Column::Role)).eq(role.as_str()),
            *bit,
        );
    }
    let sum: SimpleExpr = Func::sum(case.finally(0i64)).into();
    SimpleExpr::SubQuery(
        None,
        Box::new(
            Query::select()
                // PostgreSQL sums 64-bit integers as `numeric`: cast back.
                .expr(Func::cast_as(
                    Func::coalesce([sum, Expr::val(0i64)]),
                    Alias::new("BIGINT"),
                ))
                .from(user_roles::Entity)
                .and_where(
                    Expr::col((user_roles::Entity, user_roles::Column::UserId))
                        .equals((users::Entity, users::Column::Id)),
                )
                .to_owned()
                .into_sub_query_statement(),
        ),
    )
}

pub(super) fn roles_of_bits(bits: i64) -> Roles {
    Roles::new(
        ROLE_BITS
            .iter()
            .filter(|(_, bit)| bits & bit != 0)
            .map(|(role, _)| *role),
    )
}

/// Every column of `users` under its own name, and the roles (`viewer_roles`, read back with
/// [`roles_of_bits`]).
pub(super) fn user_columns(select: &mut SelectStatement) {
    for column in users::Column::iter() {
        select.column((users::Entity, column));
    }
    select.expr_as(roles_expr(), Alias::new("viewer_roles"));
}

fn nav_columns(select: &mut SelectStatement) {
    let [unread, review] = nav_count_exprs(Expr::col((users::Entity, users::Column::Id)));
    select.expr_as(unread, Alias::new("nav_unread"));
    select.expr_as(review, Alias::new("nav_review"));
}

fn viewer_of(row: &QueryResult, auth: AuthMethod, nav: bool) -> Result<Option<Viewer>, DbErr> {
    if row.try_get::<Option<i64>>("", "id")?.is_none() {
        return Ok(None);
    }
    let model = users::Model::from_query_result(row, "")?;
    let roles = roles_of_bits(row.try_get("", "viewer_roles")?);
    let nav = if nav {
        let count = |c: &str| {
            row.try_get::<i64>("", c)
                .map(|n| u64::try_from(n).unwrap_or(0))
        };
        Some(NavCounts {
            unread: count("nav_unread")?,
            review_waiting: count("nav_review")?,
        })
    } else {
        None
    };
    Ok(Some(Viewer {
        user: CurrentUser::from_model(model, roles, auth),
        nav,
    }))
}

/// A live session's state and its active user (with roles and navigation counts), if any.
pub async fn by_session<C: ConnectionTrait>(
    conn: &C,
    key_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(String, Option<Viewer>)>, DbErr> {
    static STATEMENT: Reused = Reused::new();
    let statement = STATEMENT.statement(
        conn.get_database_backend(),
        vec![key_hash.into(), now.into()],
        |p| session_statement(p[0].clone(), p[1].clone()),
    );
    let Some(row) = conn.query_one_raw(statement).await? else {
        return Ok(None);
    };
    let state: String = row.try_get("", "session_state")?;
    Ok(Some((state, viewer_of(&row, AuthMethod::Session, true)?)))
}

fn session_statement(key_hash: Value, now: Value) -> SelectStatement {
    let mut select = Query::select();
    select
        .expr_as(
            Expr::col((sessions::Entity, sessions::Column::State)),
            Alias::new("session_state"),
        )
        .from(sessions::Entity)
        .join(
            JoinType::LeftJoin,
            users::Entity,
            Expr::col((users::Entity, users::Column::Id))
                .equals((sessions::Entity, sessions::Column::UserId))
                .and(Expr::col((users::Entity, users::Column::IsActive)).eq(true)),
        )
        .and_where(Expr::col((sessions::Entity, sessions::Column::Id)).eq(key_hash))
        .and_where(Expr::col((sessions::Entity, sessions::Column::ExpiresAt)).gt(now));
    user_columns(&mut select);
    nav_columns(&mut select);
    select
}

/// The token row's id and last use, with its active owner, for an unrevoked token.
pub async fn by_token<C: ConnectionTrait>(
    conn: &C,
    token_hash: &str,
) -> Result<Option<(i64, Option<DateTime<Utc>>, Viewer)>, DbErr> {
    static STATEMENT: Reused = Reused::new();
    let statement =
        STATEMENT.statement(conn.get_database_backend(), vec![token_hash.into()], |p| {
            token_statement(p[0].clone())
        });
    let Some(row) = conn.query_one_raw(statement).await? else {
        return Ok(None);
    };
    let Some(viewer) = viewer_of(&row, AuthMethod::Token, false)? else {
        return Ok(None);
    };
    Ok(Some((
        row.try_get("", "token_id")?,
        row.try_get("", "token_last_used_at")?,
        viewer,
    )))
}

fn token_statement(token_hash: Value) -> SelectStatement {
    let mut select = Query::select();
    select
        .expr_as(
            Expr::col((api_tokens::Entity, api_tokens::Column::Id)),
            Alias::new("token_id"),
        )
        .expr_as(
            Expr::col((api_tokens::Entity, api_tokens::Column::LastUsedAt)),
            Alias::new("token_last_used_at"),
        )
        .from(api_tokens::Entity)
        .join(
            JoinType::InnerJoin,
            users::Entity,
            Expr::col((users::Entity, users::Column::Id))
                .equals((api_tokens::Entity, api_tokens::Column::UserId)),
        )
        .and_where(Expr::col((api_tokens::Entity, api_tokens::Column::TokenHash)).eq(token_hash))
        .and_where(Expr::col((api_tokens::Entity, api_tokens::Column::RevokedAt)).is_null())
        .and_where(Expr::col((users::Entity, users::Column::IsActive)).eq(true));
    user_columns(&mut select);
    select
}

/// The navigation counts of one user, when the viewer statement did not read them (a page
/// asked for with a token, or right after logging in).
pub async fn nav_counts<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<NavCounts, DbErr> {
    let [unread, review] = nav_count_exprs(Expr::val(user_id));
    let mut select = Query::select();
    select
        .expr_as(unread, Alias::new("nav_unread"))
        .expr_as(review, Alias::new("nav_review"));
    let row = crate::db::one(conn, &select)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("navigation counts".into()))?;
    let count = |c: &str| {
        row.try_get::<i64>("", c)
            .map(|n| u64::try_from(n).unwrap_or(0))
    };
    Ok(NavCounts {
        unread: count("nav_unread")?,
        review_waiting: count("nav_review")?,
    })
}

tokio::task_local! {
    /// What the session store found for this request: the viewer of the session it loaded.
    static SLOT: RefCell<Option<Option<Viewer>>>;
}

/// Middleware (outside the session middleware): gives the request its slot.
pub async fn scope(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    SLOT.scope(RefCell::new(None), next.call(req)).await
}

/// Leaves the viewer the session's statement found (`None`: nobody, or not active).
pub fn leave(viewer: Option<Viewer>) {
    let _ = SLOT.try_with(|slot| *slot.borrow_mut() = Some(viewer));
}

/// What [`leave`] left for this request: `None` when the session was not loaded from the
/// database (no cookie, or outside a request).
pub fn take() -> Option<Option<Viewer>> {
    SLOT.try_with(|slot| slot.borrow_mut().take())
        .ok()
        .flatten()
}
