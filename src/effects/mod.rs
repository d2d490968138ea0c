//! What happens when: every domain event ([`crate::events`]) mapped to its consequences, in
//! the transaction that recorded it. Features record events; only this module writes search
//! outbox rows, notifications, ledger entries and webhook deliveries for them.
//!
//! | Event | search outbox | notifications (one per person, most specific first) | points | webhook |
//! |---|---|---|---|---|
//! | `ContentChanged` | the documents | | | |
//! | `QuestionAsked` | question | mentioned; experts of its tags | asker: question asked | `question.asked` |
//! | `QuestionEdited` | question | newly mentioned | | |
//! | `QuestionDeleted` | question, answers | | taken back: question, answers | |
//! | `AnswerPosted` | answer, question | asker: answered; mentioned | answerer: answer posted (not on one's own question) | `answer.posted` |
//! | `AnswerEdited` | answer, question | newly mentioned | | |
//! | `AnswerDeleted` | answer, question | | taken back: answer | |
//! | `AnswerAccepted` | question, answer, previous answer | answerer: accepted | answerer +accepted, asker +accepted asker; previous: both taken back | |
//! | `AnswerUnaccepted` | question, answer | | both taken back | |
//! | `AnswerVoted` | | | answerer: up-vote given or taken back | |
//! | `QaCommentPosted` | | author of the commented text: comment; mentioned | commenter: comment posted | |
//! | `QaCommentDeleted` | | | taken back: comment | |
//! | `InvitedToAnswer` | | invitee: invited | | |
//! | `PostPublished` | post | mentioned | author: post published | `post.published` |
//! | `PostWithdrawn` | post | | taken back: post | |
//! | `ReviewRequested` | post | editors but the author: submitted or resubmitted | | |
//! | `ReviewCompleted` | post | author: approved or sent back | editor: review completed | |
//! | `PostLiked` | post | | author: like given or taken back | |
//! | `PostCommented` | | post's author: comment; mentioned | commenter: comment posted | |
//! | `PostCommentDeleted` | | | taken back: comment | |
//!
//! (Votes change a score in the search document too: their service records
//! `ContentChanged` with the voted document next to `AnswerVoted`.)
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
