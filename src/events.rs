//! Domain events: what a write did, recorded inside the write's transaction.
//!
//! Feature services record an [`Event`] and stop there; the `effects` module, installed at
//! start-up ([`install`]), turns each event into its consequences — search outbox rows,
//! notifications, ledger entries, webhook deliveries — in the same transaction, so they commit
//! or roll back with the write. The table of "what happens when" is `effects::apply`.
use std::{future::Future, pin::Pin, sync::OnceLock};

use sea_orm::{DatabaseTransaction, DbErr};

use crate::entities::{answers, posts, qa_comments, questions};

/// A searchable document (what the search outbox refreshes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doc {
    Post(i64),
    /// A question's document also carries its accepted and top answers.
    Question(i64),
    Answer(i64),
    Person(i64),
}

impl Doc {
    pub fn kind(self) -> &'static str {
        match self {
            Self::Post(_) => "post",
            Self::Question(_) => "question",
            Self::Answer(_) => "answer",
            Self::Person(_) => "person",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Self::Post(id) | Self::Question(id) | Self::Answer(id) | Self::Person(id) => id,
        }
    }
}

/// Who did it.
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: i64,
    pub display_name: String,
}

/// Something that happened. Each variant holds what its consequences need, read inside the
/// transaction that recorded it.
#[derive(Debug)]
pub enum Event {
    /// Searchable content changed with no other consequence (an edit, a close).
    ContentChanged {
        docs: Vec<Doc>,
    },
    /// Only a document's score changed (a vote on a question), with no other consequence.
    ScoreChanged {
        doc: Doc,
    },

    // ---- Q&A ----
    QuestionAsked {
        question: questions::Model,
        actor: Actor,
        /// People @mentioned in the text.
        mentioned: Vec<i64>,
    },
    /// A question's text changed; `mentioned` are the people mentioned for the first time.
    QuestionEdited {
        question: questions::Model,
        actor: Actor,
        mentioned: Vec<i64>,
    },
    /// A question was deleted with its answers.
    QuestionDeleted {
        question_id: i64,
        answer_ids: Vec<i64>,
    },
    AnswerPosted {
        question: questions::Model,
        answer: answers::Model,
        actor: Actor,
        mentioned: Vec<i64>,
    },
    /// An answer's text changed; `mentioned` are the people mentioned for the first time.
    AnswerEdited {
        question: questions::Model,
        answer_id: i64,
        actor: Actor,
        mentioned: Vec<i64>,
    },
    AnswerDeleted {
        question_id: i64,
        answer_id: i64,
    },
    /// `answer` is accepted now; `previous` held the acceptance before (another answer).
    AnswerAccepted {
        question: questions::Model,
        answer: answers::Model,
        previous: Option<answers::Model>,
        actor: Actor,
    },
    /// The acceptance of `answer` was taken back.
    AnswerUnaccepted {
        question: questions::Model,
        answer: answers::Model,
    },
    /// A vote on an answer changed to `value` (1, -1, or 0 for none), and with it the answer's
    /// score (its consequences refresh the answer's search ranking).
    AnswerVoted {
        answer_id: i64,
        author_id: i64,
        voter_id: i64,
        value: i16,
    },
    QaCommentPosted {
        question: questions::Model,
        comment: qa_comments::Model,
        /// The author of the commented question or answer.
        target_author: Option<i64>,
        actor: Actor,
        mentioned: Vec<i64>,
    },
    QaCommentDeleted {
        comment_id: i64,
        /// What it was on: the question, and the answer when on an answer.
        question_id: i64,
        answer_id: Option<i64>,
    },
    InvitedToAnswer {
        question: questions::Model,
        invitee_id: i64,
        actor: Actor,
    },

    // ---- blog ----
    /// A post became visible to colleagues (published now, by its author, an editor's approval
    /// or its schedule).
    PostPublished {
        post: posts::Model,
        author: Actor,
        at: chrono::DateTime<chrono::Utc>,
    },
    /// A published post stopped being public (unpublished, archived or deleted).
    PostWithdrawn {
        post_id: i64,
    },
    /// A post waits for an editor (`resubmitted` after it was sent back).
    ReviewRequested {
        post: posts::Model,
        actor: Actor,
        resubmitted: bool,
    },
    /// An editor approved a post or sent it back (`kind` names the notice).
    ReviewCompleted {
        post: posts::Model,
        editor: Actor,
        kind: &'static str,
    },
    /// A like of a post was given (`liked`) or taken back; the post's score changed.
    PostLiked {
        post: posts::Model,
        liker_id: i64,
        liked: bool,
    },
    PostCommented {
        post: posts::Model,
        comment_id: i64,
        actor: Actor,
        mentioned: Vec<i64>,
    },
    PostCommentDeleted {
        comment_id: i64,
        post_id: i64,
    },
}

/// The consequences of events, installed once at start-up.
pub type Effects = for<'a> fn(
    &'a DatabaseTransaction,
    &'a Event,
) -> Pin<Box<dyn Future<Output = Result<(), DbErr>> + Send + 'a>>;

static EFFECTS: OnceLock<Effects> = OnceLock::new();

/// Installs the consequences of events (idempotent: the first installation stays).
pub fn install(effects: Effects) {
    let _ = EFFECTS.set(effects);
}

/// Records that these searchable documents changed, with no other consequence.
pub async fn changed(txn: &DatabaseTransaction, docs: &[Doc]) -> Result<(), DbErr> {
    record(
        txn,
        Event::ContentChanged {
            docs: docs.to_vec(),
        },
    )
    .await
}

/// Records that only this document's score changed, with no other consequence.
pub async fn rescored(txn: &DatabaseTransaction, doc: Doc) -> Result<(), DbErr> {
    record(txn, Event::ScoreChanged { doc }).await
}

/// Records an event inside the write's transaction: its consequences join the transaction.
pub async fn record(txn: &DatabaseTransaction, event: Event) -> Result<(), DbErr> {
    let effects = EFFECTS.get().ok_or_else(|| {
        DbErr::Custom("no effects are installed: call kring::effects::install() first".into())
    })?;
    effects(txn, &event).await
}
