//! What happens when: every domain event ([`crate::events`]) mapped to its consequences, in
//! the transaction that recorded it. Features record events; only this module writes search
//! outbox rows, notifications, ledger entries and webhook deliveries for them.
//!
//! The table of what happens when is in docs/ARCHITECTURE.md ("Domain events"); `apply`
//! below is its code.
mod blog;
mod notices;
mod qa;

use sea_orm::{DatabaseTransaction, DbErr};

use crate::{events::Event, search::outbox};

/// Installs [`apply`] as the consequences of events; start-up and tools call it once.
pub fn install() {
    crate::events::install(|txn, event| Box::pin(apply(txn, event)));
}

/// The consequences of one event.
pub async fn apply(txn: &DatabaseTransaction, event: &Event) -> Result<(), DbErr> {
    match event {
        Event::ContentChanged { docs } => outbox::enqueue(txn, docs).await,
        Event::ScoreChanged { doc } => outbox::enqueue_score(txn, *doc).await,
        Event::QuestionAsked { .. }
        | Event::QuestionEdited { .. }
        | Event::QuestionDeleted { .. }
        | Event::AnswerPosted { .. }
        | Event::AnswerEdited { .. }
        | Event::AnswerDeleted { .. }
        | Event::AnswerAccepted { .. }
        | Event::AnswerUnaccepted { .. }
        | Event::AnswerVoted { .. }
        | Event::QaCommentPosted { .. }
        | Event::QaCommentDeleted { .. }
        | Event::InvitedToAnswer { .. } => qa::apply(txn, event).await,
        Event::PostPublished { .. }
        | Event::PostWithdrawn { .. }
        | Event::ReviewRequested { .. }
        | Event::ReviewCompleted { .. }
        | Event::PostLiked { .. }
        | Event::PostCommented { .. }
        | Event::PostCommentDeleted { .. } => blog::apply(txn, event).await,
    }
}
