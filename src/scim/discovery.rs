//! Discovery (RFC 7644 §4): what this server supports, its resource types and their schemas,
//! exactly the attributes Kring keeps.
use serde_json::{Value, json};

use super::{
    protocol::{ENTERPRISE_SCHEMA, GROUP_SCHEMA, MAX_RESULTS, ScimError, ScimResult, USER_SCHEMA},
    users::Base,
};

const SPC_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

pub fn service_provider_config(base: &Base) -> Value {
    json!({
        "schemas": [SPC_SCHEMA],
        "documentationUri": "https://datatracker.ietf.org/doc/html/rfc7644",
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": false},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "Provisioning token",
            "description": "A token an administrator creates in Kring (Administration → Provisioning), sent as Authorization: Bearer.",
            "primary": true,
        }],
        "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{}/ServiceProviderConfig", base.0)},
    })
}

fn resource_type(base: &Base, name: &str) -> Option<Value> {
    let (endpoint, schema, extensions, description) = match name {
        "User" => (
            "/Users",
            USER_SCHEMA,
            json!([{"schema": ENTERPRISE_SCHEMA, "required": false}]),
            "Colleagues",
        ),
        "Group" => ("/Groups", GROUP_SCHEMA, json!([]), "Directory groups"),
        _ => return None,
    };
    Some(json!({
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": name,
        "name": name,
        "endpoint": endpoint,
        "description": description,
        "schema": schema,
        "schemaExtensions": extensions,
        "meta": {"resourceType": "ResourceType", "location": format!("{}/ResourceTypes/{name}", base.0)},
    }))
}

pub fn resource_types(base: &Base) -> Value {
    list(
        ["User", "Group"]
            .iter()
            .filter_map(|n| resource_type(base, n))
            .collect(),
    )
}

pub fn one_resource_type(base: &Base, name: &str) -> ScimResult<Value> {
    resource_type(base, name).ok_or_else(|| ScimError::not_found("resource type"))
}

fn list(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [super::protocol::LIST_SCHEMA],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// One attribute of a schema (RFC 7643 §7).
fn attribute(name: &str, kind: &str, description: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "description": description,
        "required": false,
        "caseExact": false,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
    })
}

fn with(mut attribute: Value, changes: Value) -> Value {
    if let (Some(a), Some(c)) = (attribute.as_object_mut(), changes.as_object()) {
        for (k, v) in c {
            a.insert(k.clone(), v.clone());
        }
    }
    attribute
}

fn user_schema() -> Value {
    let name = with(
        attribute("name", "complex", "The person's name."),
        json!({"subAttributes": [
            attribute("formatted", "string", "The full name."),
            attribute("familyName", "string", "The family name."),
            attribute("givenName", "string", "The given name."),
        ]}),
    );
    let emails = with(
        attribute(
            "emails",
            "complex",
            "Email addresses; Kring uses the primary one (else the work one, else the first).",
        ),
        json!({
            "multiValued": true,
            "required": true,
            "subAttributes": [
                with(attribute("value", "string", "The address."), json!({"required": true})),
                with(attribute("type", "string", "work, home or other."), json!({"canonicalValues": ["work", "home", "other"]})),
                attribute("primary", "boolean", "The address Kring uses."),
                attribute("display", "string", "A label for the address."),
            ],
        }),
    );
    let read_only = json!({"mutability": "readOnly"});
    let groups = with(
        attribute(
            "groups",
            "complex",
            "The directory groups the person is in (change them through Groups).",
        ),
        json!({
            "multiValued": true,
            "mutability": "readOnly",
            "subAttributes": [
                with(attribute("value", "string", "The group's id."), read_only.clone()),
                with(attribute("$ref", "reference", "The group's URI."), json!({"mutability": "readOnly", "referenceTypes": ["Group"]})),
                with(attribute("display", "string", "The group's name."), read_only),
            ],
        }),
    );
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A colleague",
        "attributes": [
            with(attribute("userName", "string", "Unique identifier in the directory, often the sign-in name."),
                json!({"required": true, "uniqueness": "server"})),
            name,
            attribute("displayName", "string", "The name Kring shows."),
            emails,
            attribute("active", "boolean", "False deactivates: every session and token ends at once; content stays."),
            groups,
        ],
    })
}

fn group_schema() -> Value {
    let immutable = |a: Value| with(a, json!({"mutability": "immutable"}));
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": GROUP_SCHEMA,
        "name": "Group",
        "description": "A directory group; its members' roles and departments follow the group mapping of company sign-in.",
        "attributes": [
            with(attribute("displayName", "string", "The group's name, matched by the group mapping."), json!({"required": true})),
            with(attribute("members", "complex", "The group's members (users)."), json!({
                "multiValued": true,
                "subAttributes": [
                    with(immutable(attribute("value", "string", "The member's id.")), json!({"required": true})),
                    with(immutable(attribute("$ref", "reference", "The member's URI.")), json!({"referenceTypes": ["User"]})),
                    with(immutable(attribute("type", "string", "User.")), json!({"canonicalValues": ["User"]})),
                ],
            })),
        ],
    })
}

fn enterprise_schema() -> Value {
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": ENTERPRISE_SCHEMA,
        "name": "EnterpriseUser",
        "description": "Enterprise user",
        "attributes": [attribute("department", "string", "Moves the person to the Kring department of this name, when there is one.")],
    })
}

fn schema(base: &Base, id: &str) -> Option<Value> {
    let mut schema = if id.eq_ignore_ascii_case(USER_SCHEMA) {
        user_schema()
    } else if id.eq_ignore_ascii_case(GROUP_SCHEMA) {
        group_schema()
    } else if id.eq_ignore_ascii_case(ENTERPRISE_SCHEMA) {
        enterprise_schema()
    } else {
        return None;
    };
    let location = format!("{}/Schemas/{}", base.0, schema["id"].as_str().unwrap_or(id));
    schema["meta"] = json!({"resourceType": "Schema", "location": location});
    Some(schema)
}

pub fn schemas(base: &Base) -> Value {
    list(
        [USER_SCHEMA, ENTERPRISE_SCHEMA, GROUP_SCHEMA]
            .iter()
            .filter_map(|id| schema(base, id))
            .collect(),
    )
}

pub fn one_schema(base: &Base, id: &str) -> ScimResult<Value> {
    schema(base, id).ok_or_else(|| ScimError::not_found("schema"))
}
