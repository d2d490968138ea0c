//! Provisioning with SCIM 2.0 (RFC 7643/7644) at `/scim/v2`: the company directory (Entra ID,
//! Okta, Google) creates, updates and removes people and groups without an admin touching
//! Kring. A person the directory deactivates or deletes loses access at once, exactly as an
//! admin deactivation does (`admin::service`); directory groups feed the group mapping of
//! company sign-in (`sso::mapping`).
//!
//! - `protocol`: the SCIM wire format (errors, list responses, `attributes` projection);
//! - `paths`: filters and PATCH operations evaluated on a resource's JSON;
//! - `users`, `groups`: the resources and their rules;
//! - `discovery`: `ServiceProviderConfig`, `Schemas`, `ResourceTypes`;
//! - `tokens`: provisioning tokens (hashed), and the admin API and page for them;
//! - `routes`: the `/scim/v2` endpoints.
pub mod admin;
pub mod discovery;
pub mod groups;
pub mod paths;
pub mod protocol;
pub mod routes;
pub mod tokens;
pub mod users;
