//! Administration: users (create, re-role, deactivate), the registration setting and the audit
//! log. Every function checks that the actor is an admin.
pub mod api;
pub mod invitations;
pub mod routes;
pub mod service;
