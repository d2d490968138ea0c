//! The OpenAPI document of `/api/v1`, assembled from the handlers' `#[utoipa::path]`
//! annotations so it cannot drift from the code.
use actix_web::HttpResponse;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use crate::{admin, auth, blog, people, qa, site};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kring API",
        version = "1",
        description = "The JSON API of Kring. Authenticate with `Authorization: Bearer <personal access token>` or the session cookie from `POST /api/v1/session`. Errors are `{\"error\": {\"code\", \"message\"}}`."
    ),
    paths(
        site::routes::healthz,
        auth::api::create_session,
        auth::api::delete_session,
        auth::api::me,
        auth::api::change_password,
        auth::api::list_tokens,
        auth::api::create_token,
        auth::api::revoke_token,
        auth::api::setup,
        auth::api::register,
        admin::api::get_company,
        admin::api::put_company,
        auth::api::verify_registration,
        auth::reset_api::forgot_password,
        auth::reset_api::reset_password,
        auth::reset_api::accept_invitation,
        admin::api::list_users,
        admin::api::create_user,
        admin::api::get_user,
        admin::api::update_user,
        admin::api::audit_log,
        admin::api::get_registration,
        admin::api::put_registration,
        crate::sso::api::get_sso,
        crate::sso::api::put_sso,
        crate::sso::api::list_mappings,
        crate::sso::api::add_mapping,
        crate::sso::api::remove_mapping,
        crate::spaces::api::list_spaces,
        crate::spaces::api::create_space,
        crate::spaces::api::get_space,
        crate::spaces::api::join_space,
        crate::spaces::api::leave_space,
        crate::spaces::api::list_members,
        crate::spaces::api::put_member,
        crate::spaces::api::remove_member,
        crate::scim::admin::list_scim_tokens,
        crate::scim::admin::create_scim_token,
        crate::scim::admin::revoke_scim_token,
        admin::invitations::invite_api,
        admin::invitations::list_api,
        admin::invitations::resend_api,
        blog::api::list_posts,
        blog::api::create_post,
        blog::api::my_posts,
        blog::api::deleted_posts,
        blog::api::get_post,
        blog::api::update_post,
        blog::api::delete_post,
        blog::api::publish_post,
        blog::api::move_post,
        blog::api::approve_post,
        blog::api::reject_post,
        blog::api::unpublish_post,
        blog::api::archive_post,
        blog::api::restore_post,
        blog::api::post_revisions,
        blog::api::put_cover,
        blog::api::delete_cover,
        blog::api::like_post,
        blog::api::unlike_post,
        blog::api::list_comments,
        blog::api::create_comment,
        blog::api::update_comment,
        blog::api::delete_comment,
        blog::api::review_queue,
        blog::api::announcements,
        blog::api::read_announcement,
        blog::api::preview,
        blog::api::get_review_mode,
        blog::api::put_review_mode,
        qa::api::list_questions,
        qa::api::ask,
        crate::search::api::similar_questions,
        qa::api::get_question,
        qa::api::update_question,
        qa::api::delete_question,
        qa::api::question_revisions,
        qa::api::create_answer,
        qa::api::vote_question,
        qa::api::unvote_question,
        qa::api::comment_question,
        qa::api::close_question,
        qa::api::reopen_question,
        qa::api::move_question,
        qa::api::invite,
        qa::api::get_answer,
        qa::api::update_answer,
        qa::api::delete_answer,
        qa::api::answer_revisions,
        qa::api::accept,
        qa::api::unaccept,
        qa::api::vote_answer,
        qa::api::unvote_answer,
        qa::api::comment_answer,
        qa::api::mark_outdated,
        qa::api::clear_outdated,
        qa::api::delete_comment,
        qa::tag_api::get_tag,
        qa::tag_api::follow_tag,
        qa::tag_api::unfollow_tag,
        qa::tag_api::add_expert,
        qa::tag_api::remove_expert,
        qa::tag_api::add_synonym,
        qa::tag_api::remove_synonym,
        people::api::directory,
        people::api::ambassadors,
        people::api::get_person,
        people::api::update_profile,
        people::api::update_my_profile,
        people::api::put_photo,
        people::api::delete_photo,
        people::api::follow,
        people::api::unfollow,
        people::api::mark_ambassador,
        people::api::unmark_ambassador,
        people::api::following_feed,
        people::api::experts,
        people::api::list_departments,
        people::api::create_department,
        people::api::rename_department,
        people::api::delete_department,
        crate::search::api::search,
        crate::search::api::suggest,
        crate::search::synonyms::routes::list,
        crate::search::synonyms::routes::create,
        crate::search::synonyms::routes::update,
        crate::search::synonyms::routes::delete,
        crate::gamification::api::get_rules,
        crate::gamification::api::put_rules,
        crate::gamification::api::get_leaderboard,
        crate::gamification::api::my_points,
        crate::gamification::api::recompute,
        crate::gamification::api::person_points,
        crate::gamification::api::person_badges,
        crate::gamification::api::get_badges,
        crate::gamification::api::get_suggestions,
        crate::gamification::api::get_nominations,
        crate::gamification::api::post_nomination,
        crate::gamification::api::post_award,
        crate::gamification::api::get_awards,
        crate::gamification::api::revoke_award,
        crate::kpi::api::get_kpis,
        crate::kpi::api::get_readiness,
        crate::kpi::api::put_readiness,
        crate::notify::api::list,
        crate::notify::api::read,
        crate::notify::api::read_all,
        crate::notify::api::get_preferences,
        crate::notify::api::put_preferences,
        crate::mail::admin::list_api,
        crate::mail::admin::retry_api,
        crate::webhooks::api::list_webhooks,
        crate::webhooks::api::create_webhook,
        crate::webhooks::api::update_webhook,
        crate::webhooks::api::delete_webhook,
        crate::webhooks::api::list_deliveries,
        crate::webhooks::api::retry_delivery,
        crate::qa::tag_routes::suggest,
        crate::qa::tag_routes::queue,
        crate::qa::tag_routes::approve,
        crate::qa::tag_routes::merge,
        crate::qa::tag_routes::reject,
        crate::webhooks::api::get_networks,
        crate::webhooks::api::put_networks,
    ),
    modifiers(&Security, &CommonErrors),
    tags(
        (name = "session", description = "Logging in and the own account"),
        (name = "tokens", description = "Personal access tokens"),
        (name = "admin", description = "User administration, settings and the audit log"),
        (name = "blog", description = "Posts, editorial review, announcements, likes and comments"),
        (name = "qa", description = "Questions, answers, votes, comments and tags"),
        (name = "people", description = "Profiles, directory, follows, the feed, experts and departments"),
        (name = "search", description = "Full-text search"),
        (name = "notifications", description = "Notifications and how they are delivered"),
        (name = "gamification", description = "Points, leaderboards and rewards"),
        (name = "kpis", description = "The KPI dashboard of the social team"),
        (name = "webhooks", description = "Webhooks that push new content to other tools, and their deliveries"),
        (name = "health", description = "Health check"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::web::session::SESSION_COOKIE,
            ))),
        );
    }
}

/// The errors every operation of a kind can answer with, whatever its handler does, added
/// where an operation does not describe them itself: 400 for a malformed query or body (not
/// JSON, wrong content type), 422 for a JSON body of the wrong shape, 404 for a path parameter
/// that does not parse or names nothing, 401 for an operation that needs a login.
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, path::ParameterIn};
        let error = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let params = operation.parameters.as_deref().unwrap_or_default();
                let in_path = params
                    .iter()
                    .any(|p| matches!(p.parameter_in, ParameterIn::Path));
                let in_query = params
                    .iter()
                    .any(|p| matches!(p.parameter_in, ParameterIn::Query));
                let body = operation.request_body.is_some();
                let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                let responses = &mut operation.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses
                        .entry(status.to_owned())
                        .or_insert_with(|| error(description));
                };
                if in_query || body {
                    add("400", "Malformed query parameters or body");
                }
                if body {
                    add(
                        "422",
                        "The body does not have the expected shape or breaks a rule",
                    );
                }
                if in_path {
                    add("404", "Not found");
                }
                if secured {
                    add("401", "Not logged in");
                }
            }
        }
    }
}

pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
