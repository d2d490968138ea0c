//! Search: the tantivy index (`index`), the outbox that names changed documents in the same
//! transaction as the change (`outbox`), the indexer that applies it (`indexer`), queries
//! (`query`, with `facets` counting matches per type and tag), and the page and API.
pub mod api;
pub mod facets;
pub mod index;
pub mod indexer;
pub mod outbox;
pub mod query;
