//! Tags people propose, and tag suggestions while typing.
//!
//! A member without the points to create tags may still put a new tag on a question (see
//! `tagging::resolve`): the tag exists as `proposed`, the question shows it, and the social team
//! (or an admin) decides from a queue: approve it, merge it into an existing tag (the proposal
//! becomes a synonym of it, so the next person typing it gets the existing tag), or reject it for
//! a replacement tag (required, so no question is left without one). Every decision moves the
//! questions in one transaction and is audited (`tag.approved`, `tag.merged`, `tag.rejected`).
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use serde::Serialize;
use utoipa::ToSchema;

use super::tagging::{self, can_manage};
use crate::tags::PROPOSED;
use crate::{
    audit,
    auth::current_user::CurrentUser,
    entities::{post_tags, question_tags, tag_experts, tag_follows, tag_synonyms, tags},
    error::{AppError, AppResult, Msg},
    events::{self, Doc},
    people::repo::Author,
};

/// A tag waiting for the social team.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposedTag {
    pub name: String,
    pub proposed_by: Option<Author>,
    /// Questions that carry it.
    pub questions: i64,
    pub created_at: DateTime<Utc>,
}

/// A tag offered while typing: an existing tag whose name (or a synonym's) starts with what was
/// typed.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagSuggestion {
    pub name: String,
    /// The synonym that was typed, when it was one (the tag is what the question gets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synonym: Option<String>,
    /// Questions that carry it.
    pub questions: i64,
}

fn require_manager(actor: &CurrentUser) -> AppResult<()> {
    if can_manage(actor) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// How many questions carry each of these tags (one grouped query).
async fn question_counts<C: ConnectionTrait>(
    conn: &C,
    tag_ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, i64>> {
    if tag_ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(i64, i64)> = question_tags::Entity::find()
        .select_only()
        .column(question_tags::Column::TagId)
        .column_as(question_tags::Column::QuestionId.count(), "n")
        .filter(question_tags::Column::TagId.is_in(tag_ids.iter().copied()))
        .group_by(question_tags::Column::TagId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Up to ten active tags (or synonyms, shown with their tag) starting with `prefix`, most used
/// first.
pub async fn suggest(db: &DatabaseConnection, prefix: &str) -> AppResult<Vec<TagSuggestion>> {
    let prefix = prefix.trim().to_lowercase();
    if prefix.is_empty() || prefix.chars().count() > 40 {
        return Ok(vec![]);
    }
    let pattern = format!(
        "{}%",
        prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let like = |column: sea_orm::sea_query::DynIden| {
        Expr::col(column).like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\'))
    };
    let found = tags::Entity::find()
        .filter(tags::Column::Status.ne(PROPOSED))
        .filter(like(sea_orm::sea_query::IntoIden::into_iden(
            tags::Column::Name,
        )))
        .limit(50)
        .all(db)
        .await?;
    let synonyms = tag_synonyms::Entity::find()
        .filter(like(sea_orm::sea_query::IntoIden::into_iden(
            tag_synonyms::Column::Name,
        )))
        .limit(20)
        .all(db)
        .await?;
    let main: std::collections::HashMap<i64, String> = tags::Entity::find()
        .filter(tags::Column::Id.is_in(synonyms.iter().map(|s| s.tag_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut ids: Vec<i64> = found.iter().map(|t| t.id).collect();
    ids.extend(synonyms.iter().map(|s| s.tag_id));
    let counts = question_counts(db, &ids).await?;
    let mut out: Vec<TagSuggestion> = found
        .into_iter()
        .map(|t| TagSuggestion {
            questions: counts.get(&t.id).copied().unwrap_or(0),
            name: t.name,
            synonym: None,
        })
        .collect();
    for s in synonyms {
        if let Some(name) = main.get(&s.tag_id) {
            out.push(TagSuggestion {
                name: name.clone(),
                synonym: Some(s.name),
                questions: counts.get(&s.tag_id).copied().unwrap_or(0),
            });
        }
    }
    out.sort_by(|a, b| b.questions.cmp(&a.questions).then(a.name.cmp(&b.name)));
    out.truncate(10);
    Ok(out)
}

/// The queue of proposed tags, oldest first (social team and admins).
pub async fn queue(db: &DatabaseConnection, actor: &CurrentUser) -> AppResult<Vec<ProposedTag>> {
    require_manager(actor)?;
    let rows = tags::Entity::find()
        .filter(tags::Column::Status.eq(PROPOSED))
        .order_by_asc(tags::Column::CreatedAt)
        .limit(200)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    let counts = question_counts(db, &ids).await?;
    let proposers: Vec<i64> = rows.iter().filter_map(|t| t.proposed_by).collect();
    let people = crate::people::repo::authors(db, &proposers).await?;
    Ok(rows
        .into_iter()
        .map(|t| ProposedTag {
            questions: counts.get(&t.id).copied().unwrap_or(0),
            proposed_by: t.proposed_by.and_then(|id| people.get(&id).cloned()),
            name: t.name,
            created_at: t.created_at,
        })
        .collect())
}

/// The proposed tag of this name, inside the deciding transaction; 404 when there is none.
async fn proposed<C: ConnectionTrait>(conn: &C, name: &str) -> AppResult<tags::Model> {
    tags::Entity::find()
        .filter(tags::Column::Name.eq(name.trim().to_lowercase()))
        .filter(tags::Column::Status.eq(PROPOSED))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// Approves a proposed tag: it becomes a tag like any other.
pub async fn approve(db: &DatabaseConnection, actor: &CurrentUser, name: &str) -> AppResult<()> {
    require_manager(actor)?;
    let txn = crate::db::begin(db).await?;
    let tag = proposed(&txn, name).await?;
    tags::Entity::update_many()
        .col_expr(tags::Column::Status, Expr::value("active"))
        .filter(tags::Column::Id.eq(tag.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(actor.id),
        "tag.approved",
        None,
        serde_json::json!({ "tag": tag.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The active tag a merge or a rejection moves questions to (a synonym gives its tag); 422 when
/// there is none.
async fn target<C: ConnectionTrait>(
    conn: &C,
    field: &'static str,
    name: Option<&str>,
) -> AppResult<tags::Model> {
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| AppError::validation(field, Msg::new("err-tag-replacement-required")))?;
    match tagging::find(conn, name).await {
        Ok(tag) if tag.status != PROPOSED => Ok(tag),
        _ => Err(AppError::validation(
            field,
            Msg::new("err-tag-unknown").arg("tag", name),
        )),
    }
}

/// Moves every question and post from `from` to `to` and removes `from` with what hangs on it.
async fn replace(
    conn: &sea_orm::DatabaseTransaction,
    from: &tags::Model,
    to: &tags::Model,
) -> AppResult<()> {
    let questions: Vec<i64> = question_tags::Entity::find()
        .select_only()
        .column(question_tags::Column::QuestionId)
        .filter(question_tags::Column::TagId.eq(from.id))
        .into_tuple()
        .all(conn)
        .await?;
    if !questions.is_empty() {
        question_tags::Entity::insert_many(questions.iter().map(|q| question_tags::ActiveModel {
            question_id: Set(*q),
            tag_id: Set(to.id),
        }))
        .on_conflict(
            OnConflict::columns([
                question_tags::Column::QuestionId,
                question_tags::Column::TagId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    }
    let posts: Vec<i64> = post_tags::Entity::find()
        .select_only()
        .column(post_tags::Column::PostId)
        .filter(post_tags::Column::TagId.eq(from.id))
        .into_tuple()
        .all(conn)
        .await?;
    if !posts.is_empty() {
        post_tags::Entity::insert_many(posts.iter().map(|p| post_tags::ActiveModel {
            post_id: Set(*p),
            tag_id: Set(to.id),
        }))
        .on_conflict(
            OnConflict::columns([post_tags::Column::PostId, post_tags::Column::TagId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    }
    question_tags::Entity::delete_many()
        .filter(question_tags::Column::TagId.eq(from.id))
        .exec(conn)
        .await?;
    post_tags::Entity::delete_many()
        .filter(post_tags::Column::TagId.eq(from.id))
        .exec(conn)
        .await?;
    tag_follows::Entity::delete_many()
        .filter(tag_follows::Column::TagId.eq(from.id))
        .exec(conn)
        .await?;
    tag_experts::Entity::delete_many()
        .filter(tag_experts::Column::TagId.eq(from.id))
        .exec(conn)
        .await?;
    tag_synonyms::Entity::delete_many()
        .filter(tag_synonyms::Column::TagId.eq(from.id))
        .exec(conn)
        .await?;
    tags::Entity::delete_by_id(from.id).exec(conn).await?;
    let mut docs: Vec<Doc> = questions.into_iter().map(Doc::Question).collect();
    docs.extend(posts.into_iter().map(Doc::Post));
    events::changed(conn, &docs).await?;
    Ok(())
}

/// Merges a proposed tag into an existing one: its questions get the existing tag, and the
/// proposed name becomes a synonym of it.
pub async fn merge(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    name: &str,
    into: Option<&str>,
) -> AppResult<()> {
    require_manager(actor)?;
    let txn = crate::db::begin(db).await?;
    let tag = proposed(&txn, name).await?;
    let to = target(&txn, "into", into).await?;
    replace(&txn, &tag, &to).await?;
    tag_synonyms::Entity::insert(tag_synonyms::ActiveModel {
        name: Set(tag.name.clone()),
        tag_id: Set(to.id),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(tag_synonyms::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    audit::record(
        &txn,
        Some(actor.id),
        "tag.merged",
        None,
        serde_json::json!({ "tag": tag.name, "into": to.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Rejects a proposed tag: its questions get the replacement tag (required) instead.
pub async fn reject(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    name: &str,
    replacement: Option<&str>,
) -> AppResult<()> {
    require_manager(actor)?;
    let txn = crate::db::begin(db).await?;
    let tag = proposed(&txn, name).await?;
    let to = target(&txn, "replacement", replacement).await?;
    replace(&txn, &tag, &to).await?;
    audit::record(
        &txn,
        Some(actor.id),
        "tag.rejected",
        None,
        serde_json::json!({ "tag": tag.name, "replacement": to.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
