//! Site-wide pages and plumbing: the home page, `/healthz`, and the redirect to the one-time
//! setup page while no user exists.
pub mod home;
pub mod routes;
pub mod spaces;
