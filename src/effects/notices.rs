//! Notifications of one event: collected most specific first, then sent with at most one per
//! person (an answer that @mentions the asker tells them "answered", not also "mentioned").
use sea_orm::{DatabaseTransaction, DbErr};

use crate::notify::{
    service::notify,
    types::{Category, Notice},
};

/// The notices of one event, in order of specificity.
#[derive(Default)]
pub struct Notices(Vec<Notice>);

impl Notices {
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

    /// Sends the first notice of each person.
    pub async fn send(self, txn: &DatabaseTransaction) -> Result<(), DbErr> {
        let mut seen = std::collections::HashSet::new();
        let notices: Vec<Notice> = self
            .0
            .into_iter()
            .filter(|n| seen.insert(n.user_id))
            .collect();
        notify(txn, notices).await
    }
}
