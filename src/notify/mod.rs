//! Notifications: what happened that concerns someone (an answer to their question, a
//! mention, an approved post...), in the app with an unread count, and by email as each
//! person prefers per category: only in the app, an immediate email, or a daily or weekly
//! digest. [`service::notify`] is called inside the transaction of the event.
pub mod api;
pub mod digest;
pub mod routes;
pub mod service;
pub mod types;
