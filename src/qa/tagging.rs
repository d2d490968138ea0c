//! Tags in Q&A: a question needs one to five; a synonym stands for its main tag; a tag that does
//! not exist yet is created by members with enough points or by the social team, and proposed by
//! everyone else: the question keeps it while the social team approves it, merges it into an
//! existing tag (which makes it a synonym) or rejects it for a replacement. Members follow tags;
//! the social team marks experts per tag and manages synonyms.
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::OnConflict,
};

use super::{types::MIN_TAGS, views::TagView};
use crate::{
    audit,
    auth::{current_user::CurrentUser, types::Role},
    blog::repo::Author,
    entities::{question_tags, questions, tag_experts, tag_follows, tag_synonyms, tags},
    error::{AppError, AppResult, Msg},
    tags::{self as tag_names, PROPOSED},
};

/// Points a member needs before their question may create a new tag.
pub const TAG_CREATION_POINTS: i64 = 10;
/// Whether the user manages tags: synonyms and experts.
pub fn can_manage(user: &CurrentUser) -> bool {
    user.has(Role::SocialTeam) || user.has(Role::Admin)
}

/// A member's points, all time: the ledger's running total (kept by `gamification`).
pub async fn points<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<i64, DbErr> {
    Ok(
        crate::entities::point_totals::Entity::find_by_id(("all".to_owned(), user_id))
            .one(conn)
            .await?
            .map_or(0, |t| t.points),
    )
}

/// Normalises a question's tags and replaces synonyms by their main tag. Tags that do not exist
/// yet are created as proposals when the author may not create tags (see the module).
pub async fn resolve<C: ConnectionTrait>(
    conn: &C,
    actor: &CurrentUser,
    raw: &[String],
) -> AppResult<Vec<String>> {
    let parsed = tag_names::parse_list(raw)?;
    if parsed.len() < MIN_TAGS {
        return Err(AppError::validation(
            "tags",
            Msg::new("err-question-tags-missing"),
        ));
    }
    let synonyms = tag_synonyms::Entity::find()
        .filter(tag_synonyms::Column::Name.is_in(parsed.iter().cloned()))
        .all(conn)
        .await?;
    let mut names: Vec<String> = Vec::new();
    for name in parsed {
        let name = match synonyms.iter().find(|s| s.name == name) {
            Some(syn) => tags::Entity::find_by_id(syn.tag_id)
                .one(conn)
                .await?
                .map(|t| t.name)
                .unwrap_or(name),
            None => name,
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let existing: Vec<String> = tags::Entity::find()
        .select_only()
        .column(tags::Column::Name)
        .filter(tags::Column::Name.is_in(names.iter().cloned()))
        .into_tuple()
        .all(conn)
        .await?;
    let new: Vec<&String> = names.iter().filter(|n| !existing.contains(n)).collect();
    let may_create = can_manage(actor) || points(conn, actor.id.0).await? >= TAG_CREATION_POINTS;
    if may_create {
        // Someone who may create tags using a proposed one decides it.
        tags::Entity::update_many()
            .col_expr(
                tags::Column::Status,
                sea_orm::sea_query::Expr::value("active"),
            )
            .filter(tags::Column::Name.is_in(names.iter().cloned()))
            .filter(tags::Column::Status.eq(PROPOSED))
            .exec(conn)
            .await?;
    } else if !new.is_empty() {
        let now = Utc::now();
        tags::Entity::insert_many(new.into_iter().map(|name| tags::ActiveModel {
            name: Set(name.clone()),
            created_at: Set(now),
            status: Set(PROPOSED.to_owned()),
            proposed_by: Set(Some(actor.id.0)),
            ..Default::default()
        }))
        .on_conflict(
            OnConflict::column(tags::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    }
    Ok(names)
}

/// Replaces the tags of a question (names already resolved).
pub async fn set_for_question<C: ConnectionTrait>(
    conn: &C,
    question_id: i64,
    names: &[String],
) -> Result<(), DbErr> {
    question_tags::Entity::delete_many()
        .filter(question_tags::Column::QuestionId.eq(question_id))
        .exec(conn)
        .await?;
    let rows: Vec<_> = tag_names::ensure(conn, names)
        .await?
        .into_iter()
        .map(|tag| question_tags::ActiveModel {
            question_id: Set(question_id),
            tag_id: Set(tag.id),
        })
        .collect();
    if !rows.is_empty() {
        question_tags::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// The tag with this name, or the main tag of this synonym; 404 otherwise.
pub async fn find<C: ConnectionTrait>(conn: &C, name: &str) -> AppResult<tags::Model> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    // One statement: the tag of that name, else the tag it is a synonym of.
    tags::Entity::find()
        .filter(
            Condition::any().add(tags::Column::Name.eq(name)).add(
                tags::Column::Id.in_subquery(
                    Query::select()
                        .column(tag_synonyms::Column::TagId)
                        .from(tag_synonyms::Entity)
                        .and_where(tag_synonyms::Column::Name.eq(name))
                        .to_owned(),
                ),
            ),
        )
        .order_by_desc(Expr::col((tags::Entity, tags::Column::Name)).eq(name))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// A tag's page head: the tag (one statement, see [`find`]), its visible question count, its
/// synonyms and whether the viewer follows it (one), its experts with their names (one).
pub async fn view(db: &DatabaseConnection, viewer: &CurrentUser, name: &str) -> AppResult<TagView> {
    Ok(view_with_id(db, viewer, name).await?.1)
}

/// [`view`] with the tag's id (for the list of its questions).
pub async fn view_with_id(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    name: &str,
) -> AppResult<(i64, TagView)> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let tag = find(db, name).await?;
    let backend = db.get_database_backend();
    let visible = Query::select()
        .column(questions::Column::Id)
        .from(questions::Entity)
        .and_where(questions::Column::DeletedAt.is_null())
        // Counts only what the viewer may see.
        .cond_where(
            crate::spaces::audience::Audience::of(viewer).condition(questions::Column::SpaceId),
        )
        .to_owned();
    let facts = Query::select()
        .expr_as(
            crate::db::count_of(
                question_tags::Entity,
                [
                    question_tags::Column::TagId.eq(tag.id),
                    question_tags::Column::QuestionId.in_subquery(visible),
                ],
            ),
            Alias::new("questions_"),
        )
        .expr_as(
            crate::db::scalar(
                Query::select()
                    .expr(crate::db::comma_list(
                        backend,
                        Expr::col(tag_synonyms::Column::Name),
                    ))
                    .from(tag_synonyms::Entity)
                    .and_where(tag_synonyms::Column::TagId.eq(tag.id))
                    .to_owned(),
            ),
            Alias::new("synonyms_"),
        )
        .expr_as(
            crate::db::count_of(
                tag_follows::Entity,
                [
                    tag_follows::Column::UserId.eq(viewer.id.0),
                    tag_follows::Column::TagId.eq(tag.id),
                ],
            ),
            Alias::new("followed_"),
        )
        .to_owned();
    let row = crate::db::one(db, &facts)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("tag facts".into()))?;
    let synonyms = tag_names::split_names(row.try_get("", "synonyms_")?);
    let mut experts_query = Query::select();
    experts_query
        .from(tag_experts::Entity)
        .and_where(Expr::col((tag_experts::Entity, tag_experts::Column::TagId)).eq(tag.id));
    crate::people::repo::join_author(
        &mut experts_query,
        Expr::col((tag_experts::Entity, tag_experts::Column::UserId)),
    );
    let mut experts = crate::db::all(db, &experts_query)
        .await?
        .iter()
        .map(crate::people::repo::author_of)
        .collect::<Result<Vec<Author>, DbErr>>()?;
    experts.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    Ok((
        tag.id,
        TagView {
            name: tag.name,
            question_count: row.try_get("", "questions_")?,
            synonyms,
            is_expert: experts.iter().any(|e| e.id == viewer.id.0),
            experts,
            followed: row.try_get::<i64>("", "followed_")? > 0,
            can_manage: can_manage(viewer),
        },
    ))
}

/// The experts of any of these tags.
pub async fn experts_of<C: ConnectionTrait>(conn: &C, tag_ids: &[i64]) -> Result<Vec<i64>, DbErr> {
    let mut ids: Vec<i64> = tag_experts::Entity::find()
        .select_only()
        .column(tag_experts::Column::UserId)
        .filter(tag_experts::Column::TagId.is_in(tag_ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

pub async fn follow(db: &DatabaseConnection, user: &CurrentUser, name: &str) -> AppResult<()> {
    let tag = find(db, name).await?;
    tag_follows::Entity::insert(tag_follows::ActiveModel {
        user_id: Set(user.id.0),
        tag_id: Set(tag.id),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([tag_follows::Column::UserId, tag_follows::Column::TagId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn unfollow(db: &DatabaseConnection, user: &CurrentUser, name: &str) -> AppResult<()> {
    let tag = find(db, name).await?;
    tag_follows::Entity::delete_by_id((user.id.0, tag.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks a colleague as expert for a tag (social team, admins); audited.
pub async fn add_expert(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    name: &str,
    user_id: i64,
) -> AppResult<()> {
    if !can_manage(actor) {
        return Err(AppError::forbidden());
    }
    let tag = find(db, name).await?;
    let user = crate::auth::repo::find(db, crate::auth::types::UserId(user_id))
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| AppError::validation("user_id", Msg::new("err-user-unknown")))?;
    let txn = crate::db::begin(db).await?;
    let inserted = tag_experts::Entity::insert(tag_experts::ActiveModel {
        tag_id: Set(tag.id),
        user_id: Set(user.id),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([tag_experts::Column::TagId, tag_experts::Column::UserId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted > 0 {
        audit::record(
            &txn,
            Some(actor.id),
            "tag.expert_added",
            Some(crate::auth::types::UserId(user.id)),
            serde_json::json!({ "tag": tag.name }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn remove_expert(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    name: &str,
    user_id: i64,
) -> AppResult<()> {
    if !can_manage(actor) {
        return Err(AppError::forbidden());
    }
    let tag = find(db, name).await?;
    let txn = crate::db::begin(db).await?;
    let removed = tag_experts::Entity::delete_by_id((tag.id, user_id))
        .exec(&txn)
        .await?
        .rows_affected;
    if removed > 0 {
        audit::record(
            &txn,
            Some(actor.id),
            "tag.expert_removed",
            Some(crate::auth::types::UserId(user_id)),
            serde_json::json!({ "tag": tag.name }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Makes `synonym` stand for the tag `name` (social team, admins). A name already used as a tag
/// cannot become a synonym (409): its questions would silently change tag.
pub async fn add_synonym(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    name: &str,
    synonym: &str,
) -> AppResult<String> {
    if !can_manage(actor) {
        return Err(AppError::forbidden());
    }
    let tag = find(db, name).await?;
    let synonym = tag_names::parse_list(&[synonym])?
        .pop()
        .ok_or_else(|| AppError::validation("name", Msg::new("err-tag-empty")))?;
    if synonym == tag.name || tag_names::find(db, &synonym).await?.is_some() {
        return Err(AppError::conflict("err-synonym-is-tag"));
    }
    let txn = crate::db::begin(db).await?;
    let result = tag_synonyms::Entity::insert(tag_synonyms::ActiveModel {
        name: Set(synonym.clone()),
        tag_id: Set(tag.id),
        created_by: Set(Some(actor.id.0)),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(&txn)
    .await;
    match result {
        Err(e) if crate::db::is_unique_violation(&e) => {
            return Err(AppError::conflict("err-synonym-taken"));
        }
        other => {
            other?;
        }
    }
    audit::record(
        &txn,
        Some(actor.id),
        "tag.synonym_added",
        None,
        serde_json::json!({ "tag": tag.name, "synonym": synonym }),
    )
    .await?;
    txn.commit().await?;
    Ok(synonym)
}

pub async fn remove_synonym(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    name: &str,
    synonym: &str,
) -> AppResult<()> {
    if !can_manage(actor) {
        return Err(AppError::forbidden());
    }
    let tag = find(db, name).await?;
    let removed = tag_synonyms::Entity::delete_many()
        .filter(tag_synonyms::Column::Name.eq(synonym))
        .filter(tag_synonyms::Column::TagId.eq(tag.id))
        .exec(db)
        .await?
        .rows_affected;
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
