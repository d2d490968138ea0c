//! Digest emails. The weekly digest (top posts of the week, unanswered questions in your tags,
//! and the notifications you chose to get weekly) goes to everyone who has not switched it off;
//! the daily digest collects the notifications of categories set to `daily`. Each is queued
//! once per person and period: the outbox's dedupe key (`digest:weekly:2026-W48:17`) holds
//! across restarts and nodes. A period is sent once it has ended.
use std::collections::{HashMap, HashSet};

use crate::state::LastDone;
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;

use super::{
    service::DIGEST,
    types::{Category, Delivery},
};
use crate::status::{PostStatus, QuestionStatus};
use crate::{
    entities::{
        notification_preferences, notifications, posts, profile_expertise, question_tags,
        questions, tag_follows, users,
    },
    mail::{self, Outgoing},
};

/// The last ended ISO week before `now`: its label and bounds.
pub fn last_week(now: DateTime<Utc>) -> (String, DateTime<Utc>, DateTime<Utc>) {
    let today = now.date_naive();
    let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let start = this_monday - Duration::days(7);
    let week = start.iso_week();
    (
        format!("{}-W{:02}", week.year(), week.week()),
        start.and_time(NaiveTime::MIN).and_utc(),
        this_monday.and_time(NaiveTime::MIN).and_utc(),
    )
}

/// Yesterday (UTC): its label and bounds.
pub fn last_day(now: DateTime<Utc>) -> (String, DateTime<Utc>, DateTime<Utc>) {
    let today = now.date_naive();
    let day = today - Duration::days(1);
    (
        day.to_string(),
        day.and_time(NaiveTime::MIN).and_utc(),
        today.and_time(NaiveTime::MIN).and_utc(),
    )
}

/// Users whose preference for `category` is `delivery` (explicitly or by default).
async fn choosing<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
    category: &str,
    default_matches: bool,
    delivery: &str,
) -> Result<HashSet<i64>, sea_orm::DbErr> {
    let chosen: HashMap<i64, String> = notification_preferences::Entity::find()
        .filter(notification_preferences::Column::Category.eq(category))
        .filter(notification_preferences::Column::UserId.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p.delivery))
        .collect();
    Ok(ids
        .iter()
        .copied()
        .filter(|id| match chosen.get(id) {
            Some(d) => d == delivery,
            None => default_matches,
        })
        .collect())
}

/// The notifications of a period in the categories each person gets by `delivery`.
async fn collected(
    db: &DatabaseConnection,
    ids: &[i64],
    delivery: Delivery,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> anyhow::Result<HashMap<i64, Vec<serde_json::Value>>> {
    let mut wanted: HashMap<i64, HashSet<&'static str>> = HashMap::new();
    for category in Category::ALL {
        for id in choosing(
            db,
            ids,
            category.as_str(),
            category.default_delivery() == delivery,
            delivery.as_str(),
        )
        .await?
        {
            wanted.entry(id).or_default().insert(category.as_str());
        }
    }
    let mut out: HashMap<i64, Vec<serde_json::Value>> = HashMap::new();
    for n in notifications::Entity::find()
        .filter(notifications::Column::UserId.is_in(wanted.keys().copied()))
        .filter(notifications::Column::CreatedAt.gte(from))
        .filter(notifications::Column::CreatedAt.lt(to))
        .order_by_asc(notifications::Column::Id)
        .all(db)
        .await?
    {
        if wanted
            .get(&n.user_id)
            .is_some_and(|c| c.contains(n.category.as_str()))
        {
            out.entry(n.user_id).or_default().push(json!({
                "kind": n.kind, "title": n.title, "url": n.url,
            }));
        }
    }
    Ok(out)
}

/// Queues the digests of the last ended periods that are not queued yet; returns how many.
pub async fn queue_due(
    db: &DatabaseConnection,
    done: &LastDone,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    // The periods (day, week) this application state has queued every digest of (the dedupe
    // keys make a second pass, after a restart or on another node, harmless; this only saves
    // the work).
    let labels = format!("{} {}", last_day(now).0, last_week(now).0);
    if done.is(&labels) {
        return Ok(0);
    }
    let queued = queue(db, now).await?;
    done.set(labels);
    Ok(queued)
}

async fn queue(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let default_language = crate::company::default_language(db).await?;
    let people: Vec<users::Model> = users::Entity::find()
        .filter(users::Column::IsActive.eq(true))
        .all(db)
        .await?;
    let mut queued = 0;

    // Daily: only for people with something collected.
    let (day, from, to) = last_day(now);
    let ids: Vec<i64> = people
        .iter()
        .filter(|u| u.created_at < to)
        .map(|u| u.id)
        .collect();
    let daily = collected(db, &ids, Delivery::Daily, from, to).await?;
    for user in people.iter().filter(|u| daily.contains_key(&u.id)) {
        let items = &daily[&user.id];
        if mail::enqueue(
            db,
            Outgoing {
                user_id: Some(user.id),
                to: user.email.clone(),
                category: DIGEST.into(),
                template: "digest_daily".into(),
                params: json!({"name": user.display_name, "period": day, "notifications": items}),
                language: crate::company::own_or(user, default_language).code().into(),
                dedupe_key: Some(format!("digest:daily:{day}:{}", user.id)),
            },
        )
        .await?
        {
            queued += 1;
        }
    }

    // Weekly: everyone who has not switched it off.
    let (week, from, to) = last_week(now);
    let ids: Vec<i64> = people
        .iter()
        .filter(|u| u.created_at < to)
        .map(|u| u.id)
        .collect();
    let receiving = choosing(db, &ids, DIGEST, true, "weekly").await?;
    if receiving.is_empty() {
        return Ok(queued);
    }
    let weekly = collected(db, &ids, Delivery::Weekly, from, to).await?;
    // The week's top posts go to everyone: company-wide posts only, never a space's.
    let week_posts = posts::Entity::find()
        .filter(posts::Column::SpaceId.is_null())
        .filter(posts::Column::Status.eq(PostStatus::Published.as_str()))
        .filter(posts::Column::DeletedAt.is_null())
        .filter(posts::Column::PublishedAt.gte(from))
        .filter(posts::Column::PublishedAt.lt(to))
        .all(db)
        .await?;
    let likes =
        crate::blog::repo::like_counts(db, &week_posts.iter().map(|p| p.id).collect::<Vec<_>>())
            .await?;
    let mut top: Vec<&posts::Model> = week_posts.iter().collect();
    top.sort_by_key(|p| std::cmp::Reverse(likes.get(&p.id).copied().unwrap_or(0)));
    let top_posts: Vec<serde_json::Value> = top
        .iter()
        .take(5)
        .map(|p| json!({"title": p.title, "url": format!("/blog/{}", p.slug)}))
        .collect();
    // The month the week ends in.
    let month = (to - Duration::days(1)).format("%Y-%m").to_string();
    for user in people.iter().filter(|u| receiving.contains(&u.id)) {
        let unanswered = unanswered_in_tags(db, user.id).await?;
        let points_month = crate::gamification::ledger::total(db, &month, user.id).await?;
        let points_all = crate::gamification::ledger::total(db, "all", user.id).await?;
        if mail::enqueue(
            db,
            Outgoing {
                user_id: Some(user.id),
                to: user.email.clone(),
                category: DIGEST.into(),
                template: "digest_weekly".into(),
                params: json!({
                    "name": user.display_name,
                    "period": week,
                    "top_posts": top_posts,
                    "unanswered": unanswered,
                    "points_month": points_month,
                    "points_all": points_all,
                    "month": month,
                    "notifications": weekly.get(&user.id).cloned().unwrap_or_default(),
                }),
                language: crate::company::own_or(user, default_language).code().into(),
                dedupe_key: Some(format!("digest:weekly:{week}:{}", user.id)),
            },
        )
        .await?
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Up to five open questions without answers in the tags a person follows or is expert in.
async fn unanswered_in_tags(
    db: &DatabaseConnection,
    user_id: i64,
) -> anyhow::Result<Vec<serde_json::Value>> {
    let mut tag_ids: Vec<i64> = tag_follows::Entity::find()
        .select_only()
        .column(tag_follows::Column::TagId)
        .filter(tag_follows::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await?;
    tag_ids.extend(
        profile_expertise::Entity::find()
            .select_only()
            .column(profile_expertise::Column::TagId)
            .filter(profile_expertise::Column::UserId.eq(user_id))
            .into_tuple::<i64>()
            .all(db)
            .await?,
    );
    if tag_ids.is_empty() {
        return Ok(vec![]);
    }
    let rows = questions::Entity::find()
        .filter(questions::Column::DeletedAt.is_null())
        .filter(questions::Column::Status.eq(QuestionStatus::Open.as_str()))
        .filter(questions::Column::AnswerCount.eq(0))
        .filter(questions::Column::AuthorId.ne(user_id))
        // Only questions the person may read: company-wide, open spaces and their own spaces.
        .filter(
            crate::spaces::audience::Audience::Reader(Some(crate::auth::types::UserId(user_id)))
                .condition(questions::Column::SpaceId),
        )
        .filter(
            questions::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(question_tags::Column::QuestionId)
                    .from(question_tags::Entity)
                    .and_where(question_tags::Column::TagId.is_in(tag_ids))
                    .to_owned(),
            ),
        )
        .order_by_desc(questions::Column::CreatedAt)
        .limit(5)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|q| json!({"title": q.title, "url": crate::qa::service::url_of(q.id, &q.title)}))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_the_last_ended_week_and_day() {
        let now = "2026-12-02T10:00:00Z".parse::<DateTime<Utc>>().unwrap(); // a Wednesday
        let (label, from, to) = last_week(now);
        assert_eq!(label, "2026-W48");
        assert_eq!(from.to_rfc3339(), "2026-11-23T00:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-11-30T00:00:00+00:00");
        let (label, from, _) = last_day(now);
        assert_eq!(label, "2026-12-01");
        assert_eq!(from.to_rfc3339(), "2026-12-01T00:00:00+00:00");
    }
}
