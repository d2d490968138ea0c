//! Company sign-in with OpenID Connect: "Log in with <company>" through the company's
//! identity provider (Entra ID, Okta, Google Workspace, Keycloak, ADFS), accounts made at the
//! first sign-in, roles and departments that follow the directory's groups, and SSO-only mode
//! (the policy itself lives in `auth::policy`, where every password path checks it).
pub mod api;
pub mod mapping;
pub mod provider;
pub mod routes;
pub mod service;
pub mod settings;
