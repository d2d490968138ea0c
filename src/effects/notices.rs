//! Notifications of one event: collected most specific first, then sent with at most one per
//! person (an answer that @mentions the asker tells them "answered", not also "mentioned").
use std::collections::HashSet;

use sea_orm::{ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::{
    entities::{space_members, spaces, user_roles},
    notify::{
        service::notify,
        types::{Category, Notice},
    },
};

/// The notices of one event, in order of specificity, about content in `space` (none:
/// company-wide).
pub struct Notices(Vec<Notice>, Option<i64>);

impl Notices {
    /// Notices about content in this space: only people who may read it hear of it (no title of
    /// a closed space's question reaches anyone else, nor their email).
    pub fn about(space: Option<i64>) -> Self {
        Self(Vec::new(), space)
    }

    pub fn add(&mut self, notice: Notice) -> &mut Self {
        self.0.push(notice);
        self
    }

    /// The people @mentioned in a text (`text_key` names the text, so each person hears of it
    /// once whatever its edits).
    pub fn mentioned(
        &mut self,
        actor_id: i64,
        mentioned: &[i64],
        text_key: &str,
        title: &str,
        url: &str,
    ) -> &mut Self {
        for id in mentioned {
            self.0.push(Notice {
                user_id: *id,
                kind: "mention",
                category: Category::Mentions,
                actor_id: Some(actor_id),
                title: title.to_owned(),
                url: url.to_owned(),
                dedupe_key: format!("mention:{text_key}"),
            });
        }
        self
    }

    /// Sends the first notice of each person who may read the content.
    pub async fn send(self, txn: &DatabaseTransaction) -> Result<(), DbErr> {
        let mut seen = HashSet::new();
        let mut notices: Vec<Notice> = self
            .0
            .into_iter()
            .filter(|n| seen.insert(n.user_id))
            .collect();
        if let Some(space) = self.1 {
            let readers = readers_among(txn, space, &notices).await?;
            notices.retain(|n| readers.contains(&n.user_id));
        }
        notify(txn, notices).await
    }
}

/// Who of the notices' recipients may read content in `space`: everyone for an open space;
/// else its members, admins and the social team (as `spaces::audience` says).
async fn readers_among(
    txn: &DatabaseTransaction,
    space: i64,
    notices: &[Notice],
) -> Result<HashSet<i64>, DbErr> {
    let people: Vec<i64> = notices.iter().map(|n| n.user_id).collect();
    let kind = spaces::Entity::find_by_id(space)
        .one(txn)
        .await?
        .map(|s| s.kind);
    if kind.as_deref() == Some("open") {
        return Ok(people.into_iter().collect());
    }
    let members: Vec<i64> = space_members::Entity::find()
        .select_only()
        .column(space_members::Column::UserId)
        .filter(space_members::Column::SpaceId.eq(space))
        .filter(space_members::Column::State.eq("member"))
        .filter(space_members::Column::UserId.is_in(people.clone()))
        .into_tuple()
        .all(txn)
        .await?;
    let staff: Vec<i64> = user_roles::Entity::find()
        .select_only()
        .column(user_roles::Column::UserId)
        .filter(user_roles::Column::UserId.is_in(people))
        .filter(user_roles::Column::Role.is_in(["admin", "social_team"]))
        .into_tuple()
        .all(txn)
        .await?;
    Ok(members.into_iter().chain(staff).collect())
}
