//! The expert finder: "who knows about X?" ranks people by evidence in the topic's tags:
//! accepted answers, up-voted answers, posts, declared expertise, and being marked expert by the
//! social team; every ranked person comes with the evidence. (Free-text topics match tag names
//! until the search engine lands.)
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, Query, SelectStatement},
};

use super::{
    repo,
    views::{Evidence, Expert, ExpertResults},
};
use crate::status::PostStatus;
use crate::{
    entities::{
        answers, post_tags, posts, profile_expertise, question_tags, questions, tag_experts, tags,
    },
    error::AppResult,
};

/// Points per piece of evidence.
const WEIGHTS: [(&str, i64); 5] = [
    ("accepted_answers", 10),
    ("marked_expert", 8),
    ("declared", 5),
    ("posts", 4),
    ("upvoted_answers", 3),
];
const MAX_EXPERTS: usize = 20;
const MAX_TAGS: u64 = 5;

/// The tags a topic stands for: the tag itself (or the main tag of a synonym), else tags whose
/// names contain it.
async fn topic_tags(db: &DatabaseConnection, topic: &str) -> AppResult<Vec<tags::Model>> {
    let slug = crate::content::slugify(topic, 50);
    if slug.is_empty() {
        return Ok(vec![]);
    }
    if let Ok(tag) = crate::qa::tagging::find(db, &slug).await {
        return Ok(vec![tag]);
    }
    Ok(tags::Entity::find()
        .filter(tags::Column::Name.contains(&slug))
        .limit(MAX_TAGS)
        .all(db)
        .await?)
}

fn questions_in(tag_ids: &[i64]) -> SelectStatement {
    Query::select()
        .column(question_tags::Column::QuestionId)
        .from(question_tags::Entity)
        .and_where(question_tags::Column::TagId.is_in(tag_ids.iter().copied()))
        .to_owned()
}

fn accepted_in(tag_ids: &[i64]) -> SelectStatement {
    Query::select()
        .column(questions::Column::AcceptedAnswerId)
        .from(questions::Entity)
        .and_where(questions::Column::DeletedAt.is_null())
        .and_where(questions::Column::AcceptedAnswerId.is_not_null())
        .and_where(questions::Column::Id.in_subquery(questions_in(tag_ids)))
        .to_owned()
}

/// One kind of evidence as an arm of the evidence statement: `kind`, the person, how many.
fn evidence_arm<E: EntityTrait>(
    kind: &'static str,
    select: sea_orm::Select<E>,
    by: E::Column,
) -> SelectStatement {
    use sea_orm::QueryTrait;
    // A literal, not a parameter: PostgreSQL cannot type parameters in a union's select list.
    select
        .select_only()
        .column_as(Expr::cust(format!("'{kind}'")), "kind")
        .column_as(by, "user_id")
        .column_as(Expr::cust("COUNT(*)"), "n")
        .group_by(by)
        .into_query()
}

/// Every kind of evidence in the topic's tags, per person, in one statement.
async fn evidence<C: ConnectionTrait>(
    conn: &C,
    tag_ids: &[i64],
) -> AppResult<HashMap<&'static str, HashMap<i64, i64>>> {
    use sea_orm::sea_query::UnionType;
    let tags = || tag_ids.iter().copied();
    let mut union = evidence_arm(
        "accepted_answers",
        answers::Entity::find()
            .filter(answers::Column::DeletedAt.is_null())
            .filter(answers::Column::Id.in_subquery(accepted_in(tag_ids))),
        answers::Column::AuthorId,
    );
    let arms = [
        evidence_arm(
            "upvoted_answers",
            answers::Entity::find()
                .filter(answers::Column::DeletedAt.is_null())
                .filter(answers::Column::Score.gt(0))
                .filter(answers::Column::QuestionId.in_subquery(questions_in(tag_ids)))
                .filter(answers::Column::Id.not_in_subquery(accepted_in(tag_ids))),
            answers::Column::AuthorId,
        ),
        evidence_arm(
            "posts",
            posts::Entity::find()
                .filter(posts::Column::Status.eq(PostStatus::Published.as_str()))
                .filter(posts::Column::DeletedAt.is_null())
                .filter(
                    posts::Column::Id.in_subquery(
                        Query::select()
                            .column(post_tags::Column::PostId)
                            .from(post_tags::Entity)
                            .and_where(post_tags::Column::TagId.is_in(tags()))
                            .to_owned(),
                    ),
                ),
            posts::Column::AuthorId,
        ),
        evidence_arm(
            "declared",
            profile_expertise::Entity::find()
                .filter(profile_expertise::Column::TagId.is_in(tags())),
            profile_expertise::Column::UserId,
        ),
        evidence_arm(
            "marked_expert",
            tag_experts::Entity::find().filter(tag_experts::Column::TagId.is_in(tags())),
            tag_experts::Column::UserId,
        ),
    ];
    for arm in arms {
        union.union(UnionType::All, arm);
    }
    let mut found: HashMap<&'static str, HashMap<i64, i64>> = HashMap::new();
    for row in crate::db::all(conn, &union).await? {
        let kind: String = row.try_get("", "kind")?;
        let Some((kind, _)) = WEIGHTS.iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        found
            .entry(kind)
            .or_default()
            .insert(row.try_get("", "user_id")?, row.try_get("", "n")?);
    }
    Ok(found)
}

pub async fn find(db: &DatabaseConnection, topic: &str) -> AppResult<ExpertResults> {
    let matched = topic_tags(db, topic).await?;
    let tag_ids: Vec<i64> = matched.iter().map(|t| t.id).collect();
    let tag_label = matched
        .iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut results = ExpertResults {
        topic: topic.trim().to_owned(),
        tags: matched.iter().map(|t| t.name.clone()).collect(),
        experts: vec![],
    };
    if tag_ids.is_empty() {
        return Ok(results);
    }
    let evidence = evidence(db, &tag_ids).await?;
    let mut scored: HashMap<i64, (i64, Vec<Evidence>)> = HashMap::new();
    // In the order of WEIGHTS, so each person's evidence reads the same way every time.
    for (kind, weight) in WEIGHTS {
        let Some(map) = evidence.get(kind) else {
            continue;
        };
        for (&user, &count) in map {
            let entry = scored.entry(user).or_default();
            entry.0 += weight * count;
            entry.1.push(Evidence {
                kind: kind.to_owned(),
                count,
                tag: tag_label.clone(),
            });
        }
    }
    let ids: Vec<i64> = scored.keys().copied().collect();
    let people = repo::summaries(db, &ids).await?;
    let mut experts: Vec<Expert> = people
        .into_iter()
        .filter(|p| p.is_active)
        .filter_map(|person| {
            let (score, evidence) = scored.remove(&person.id)?;
            Some(Expert {
                person,
                score,
                evidence,
            })
        })
        .collect();
    experts.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.person.display_name.cmp(&b.person.display_name))
    });
    experts.truncate(MAX_EXPERTS);
    results.experts = experts;
    Ok(results)
}
