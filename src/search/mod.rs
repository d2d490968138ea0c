//! Search. `outbox`: every write that changes searchable content records which documents to
//! refresh, in the same database transaction, so the index can never miss a change.
pub mod outbox;
