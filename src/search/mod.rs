//! Search: the tantivy index (`index`), the outbox that names changed documents in the same
//! transaction as the change (`outbox`), the indexer that applies it (`indexer`, with `loader`
//! reading the documents from the database), queries (`query`, with `ranking` ordering the hits, `rounds` making the tantivy
//! queries and `facets` counting matches per type and tag), what keeps search answering when
//! the index fails (`recovery`, with `fallback` matching in the database meanwhile), scores
//! beside the index so a vote or a like writes no document (`scores`), the
//! boundary of spaces (`boundary`: the reader's spaces filtered in tantivy, hits checked in the
//! database), and the page and API.
pub mod analysis;
pub mod api;
pub mod boundary;
mod did_you_mean;
mod expand;
pub mod facets;
pub mod fallback;
pub mod index;
pub mod indexer;
pub mod language;
mod lexicon;
mod loader;
pub mod outbox;
pub mod query;
mod ranking;
pub mod recovery;
mod rounds;
pub mod scores;
pub mod similar;
pub mod synonyms;
mod tiers;

/// The message of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}
