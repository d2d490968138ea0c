//! Point rules: an action, its points, an optional daily cap and an on/off switch. The social
//! team edits them; a change applies from its moment on and is audited (who, old, new).
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    sea_query::{Expr, OnConflict, Query, SimpleExpr},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::{current_user::CurrentUser, types::Role},
    entities::point_rules,
    error::{AppError, AppResult, Msg},
};

/// What earns points, and who gets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The author, when a blog post is published.
    PostPublished,
    /// The editor who approved a post or sent it back.
    ReviewCompleted,
    /// The asker.
    QuestionAsked,
    /// The answerer.
    AnswerPosted,
    /// The answerer, when their answer is accepted.
    AnswerAccepted,
    /// The asker, when they accept an answer.
    AnswerAcceptedAsker,
    /// The answerer, per up-vote received.
    AnswerUpvoted,
    /// The author, per like received on a post.
    PostLiked,
    /// The commenter.
    CommentPosted,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Self::PostPublished,
        Self::ReviewCompleted,
        Self::QuestionAsked,
        Self::AnswerPosted,
        Self::AnswerAccepted,
        Self::AnswerAcceptedAsker,
        Self::AnswerUpvoted,
        Self::PostLiked,
        Self::CommentPosted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PostPublished => "post_published",
            Self::ReviewCompleted => "review_completed",
            Self::QuestionAsked => "question_asked",
            Self::AnswerPosted => "answer_posted",
            Self::AnswerAccepted => "answer_accepted",
            Self::AnswerAcceptedAsker => "answer_accepted_asker",
            Self::AnswerUpvoted => "answer_upvoted",
            Self::PostLiked => "post_liked",
            Self::CommentPosted => "comment_posted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The rule as it ships: points and daily cap.
    pub fn default_rule(self) -> (i32, Option<i32>) {
        match self {
            Self::PostPublished => (5, None),
            Self::ReviewCompleted => (3, None),
            Self::QuestionAsked => (1, None),
            Self::AnswerPosted => (2, None),
            Self::AnswerAccepted => (5, None),
            Self::AnswerAcceptedAsker => (1, None),
            Self::AnswerUpvoted => (2, Some(50)),
            Self::PostLiked => (1, Some(50)),
            Self::CommentPosted => (1, None),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Rule {
    pub action: Action,
    pub points: i32,
    /// At most this many points per person and day from capped rules together (votes and
    /// likes); none when empty.
    pub daily_cap: Option<i32>,
    pub enabled: bool,
}

/// The rule of one action as columns of a larger statement (read with [`Rule::from_columns`]):
/// whether it was ever edited, and its stored points, daily cap and switch (1 or 0).
pub fn columns(action: Action) -> [SimpleExpr; 4] {
    let stored = |column: SimpleExpr| {
        crate::db::scalar(
            Query::select()
                .expr(column)
                .from(point_rules::Entity)
                .and_where(point_rules::Column::Action.eq(action.as_str()))
                .to_owned(),
        )
    };
    [
        crate::db::count_of(
            point_rules::Entity,
            [point_rules::Column::Action.eq(action.as_str())],
        ),
        stored(Expr::col(point_rules::Column::Points)),
        stored(Expr::col(point_rules::Column::DailyCap)),
        // A number on both databases (SQLite has no boolean type).
        stored(Expr::cust("CASE WHEN enabled THEN 1 ELSE 0 END")),
    ]
}

/// Whether a point event's action is capped by the rules as they stand (edited rules as
/// stored, the others as they ship), as a condition on `point_events.action` that an index on
/// the action can serve: on PostgreSQL `= ANY(ARRAY(…))`, which the planner evaluates once and
/// looks up in the index (an `IN (subquery)` it filters row by row, a whole person's events
/// per award); SQLite looks `IN (subquery)` up in the index itself.
pub fn capped(backend: DatabaseBackend) -> SimpleExpr {
    let shipped: Vec<String> = Action::ALL
        .into_iter()
        .filter(|a| a.default_rule().1.is_some())
        .map(|a| format!("SELECT '{}' AS a", a.as_str()))
        .collect();
    let mut actions = "SELECT action FROM point_rules WHERE daily_cap IS NOT NULL".to_owned();
    if !shipped.is_empty() {
        actions.push_str(&format!(
            " UNION ALL SELECT shipped.a FROM ({}) AS shipped \
             WHERE shipped.a NOT IN (SELECT action FROM point_rules)",
            shipped.join(" UNION ALL ")
        ));
    }
    Expr::cust(match backend {
        DatabaseBackend::Postgres => format!("\"point_events\".\"action\" = ANY(ARRAY({actions}))"),
        _ => format!("\"point_events\".\"action\" IN ({actions})"),
    })
}

impl Rule {
    /// The rule of `action` from the row read with [`columns`], starting at column `first`.
    pub fn from_columns(
        action: Action,
        row: &sea_orm::QueryResult,
        first: usize,
    ) -> Result<Self, DbErr> {
        let edited = row.try_get_by_index::<i64>(first)? > 0;
        Ok(if edited {
            Rule {
                action,
                points: row
                    .try_get_by_index::<Option<i32>>(first + 1)?
                    .unwrap_or_default(),
                daily_cap: row.try_get_by_index(first + 2)?,
                enabled: row
                    .try_get_by_index::<Option<i32>>(first + 3)?
                    .is_some_and(|on| on != 0),
            }
        } else {
            Rule::shipped(action)
        })
    }

    /// The rule of `action` as it ships.
    pub fn shipped(action: Action) -> Self {
        let (points, daily_cap) = action.default_rule();
        Rule {
            action,
            points,
            daily_cap,
            enabled: true,
        }
    }
}

/// Every rule, defaults filled in for those never edited.
pub async fn all<C: ConnectionTrait>(conn: &C) -> Result<Vec<Rule>, DbErr> {
    let stored: HashMap<String, point_rules::Model> = point_rules::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.action.clone(), r))
        .collect();
    Ok(Action::ALL
        .into_iter()
        .map(|action| match stored.get(action.as_str()) {
            Some(r) => Rule {
                action,
                points: r.points,
                daily_cap: r.daily_cap,
                enabled: r.enabled,
            },
            None => Rule::shipped(action),
        })
        .collect())
}

pub(crate) fn may_edit(actor: &CurrentUser) -> AppResult<()> {
    if actor.has(Role::SocialTeam) || actor.has(Role::Admin) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Replaces the rules given (the others stay); each change is audited with its old and new
/// values. Applies to actions from now on.
pub async fn update(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    rules: &[Rule],
) -> AppResult<Vec<Rule>> {
    may_edit(actor)?;
    for r in rules {
        if !(0..=1000).contains(&r.points) {
            return Err(AppError::validation(
                "points",
                Msg::new("err-rule-points").arg("max", 1000),
            ));
        }
        if r.daily_cap.is_some_and(|c| !(1..=10_000).contains(&c)) {
            return Err(AppError::validation(
                "daily_cap",
                Msg::new("err-rule-cap").arg("max", 10_000),
            ));
        }
    }
    let txn = crate::db::begin(db).await?;
    let before = all(&txn).await?;
    for r in rules {
        let old = before.iter().find(|b| b.action == r.action);
        if old.is_some_and(|o| {
            o.points == r.points && o.daily_cap == r.daily_cap && o.enabled == r.enabled
        }) {
            continue;
        }
        point_rules::Entity::insert(point_rules::ActiveModel {
            action: Set(r.action.as_str().to_owned()),
            points: Set(r.points),
            daily_cap: Set(r.daily_cap),
            enabled: Set(r.enabled),
            updated_at: Set(Utc::now()),
            updated_by: Set(Some(actor.id.0)),
        })
        .on_conflict(
            OnConflict::column(point_rules::Column::Action)
                .update_columns([
                    point_rules::Column::Points,
                    point_rules::Column::DailyCap,
                    point_rules::Column::Enabled,
                    point_rules::Column::UpdatedAt,
                    point_rules::Column::UpdatedBy,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        crate::audit::record(
            &txn,
            Some(actor.id),
            "points.rule_changed",
            None,
            serde_json::json!({"action": r.action, "old": old, "new": r}),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(all(db).await?)
}
