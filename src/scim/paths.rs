//! Filters (RFC 7644 §3.4.2.2) and PATCH operations (§3.5.2) evaluated on a resource's JSON.
//! The grammar is parsed by the `scim_v2` crate; what a path means for a Kring resource is
//! decided here: attribute names are case-insensitive, the core schemas' URN prefixes are
//! dropped, and the enterprise extension is an object under its URN.
use scim_v2::filter::{AttrExp, AttrPath, CompValue, CompareOp, Filter, PatchPath, ValFilter};
use serde_json::{Map, Value};

use super::protocol::{
    ENTERPRISE_SCHEMA, GROUP_SCHEMA, ScimError, ScimResult, USER_SCHEMA, find_key, lenient_bool,
};

// ---- filters --------------------------------------------------------------------------------

pub fn parse_filter(raw: &str) -> ScimResult<Filter> {
    raw.parse::<Filter>()
        .map_err(|e| ScimError::bad("invalidFilter", format!("cannot read the filter: {e}")))
}

/// Whether the resource satisfies the filter.
pub fn matches(filter: &Filter, resource: &Value) -> bool {
    match filter {
        Filter::Attr(exp) => exp_matches(exp, resource),
        Filter::ValuePath(vp) => attribute(resource, &vp.attr)
            .map(as_list)
            .unwrap_or_default()
            .into_iter()
            .any(|element| val_matches(&vp.filter, element)),
        Filter::Not(inner) => !matches(inner, resource),
        Filter::And(a, b) => matches(a, resource) && matches(b, resource),
        Filter::Or(a, b) => matches(a, resource) || matches(b, resource),
    }
}

fn val_matches(filter: &ValFilter, element: &Value) -> bool {
    match filter {
        ValFilter::Attr(exp) => exp_matches(exp, element),
        ValFilter::Not(inner) => !val_matches(inner, element),
        ValFilter::And(a, b) => val_matches(a, element) && val_matches(b, element),
        ValFilter::Or(a, b) => val_matches(a, element) || val_matches(b, element),
    }
}

fn exp_matches(exp: &AttrExp, scope: &Value) -> bool {
    match exp {
        AttrExp::Present(path) => scalars(scope, path).into_iter().any(|v| match v {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        }),
        AttrExp::Comparison(path, op, expected) => {
            let exact =
                matches!(path.name.as_str(), "id" | "externalId") && path.sub_attr.is_none();
            scalars(scope, path)
                .into_iter()
                .any(|actual| compare(actual, op, expected, exact))
        }
    }
}

/// The attribute a path names in `scope` (a resource or an element of a multi-valued one).
fn attribute<'a>(scope: &'a Value, path: &AttrPath) -> Option<&'a Value> {
    let object = scope.as_object()?;
    let object = match path.uri.as_deref() {
        Some(uri) if uri.eq_ignore_ascii_case(ENTERPRISE_SCHEMA) => object
            .get(&find_key(object, ENTERPRISE_SCHEMA)?)?
            .as_object()?,
        _ => object,
    };
    object.get(&find_key(object, &path.name)?)
}

fn as_list(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// The simple values a path names: a complex element's sub-attribute, or its `value` when
/// none is named (RFC 7644 §3.4.2.2 for multi-valued attributes).
fn scalars<'a>(scope: &'a Value, path: &AttrPath) -> Vec<&'a Value> {
    let Some(found) = attribute(scope, path) else {
        return vec![];
    };
    as_list(found)
        .into_iter()
        .filter_map(|item| match (&path.sub_attr, item) {
            (Some(sub), Value::Object(map)) => map.get(&find_key(map, sub)?),
            (Some(_), _) => None,
            (None, Value::Object(map)) => map.get(&find_key(map, "value")?),
            (None, other) => Some(other),
        })
        .collect()
}

fn compare(actual: &Value, op: &CompareOp, expected: &CompValue, exact: bool) -> bool {
    use std::cmp::Ordering;
    let ordering = match expected {
        CompValue::Str(want) => {
            let have = match actual {
                Value::String(s) => s.clone(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                _ => return false,
            };
            let (have, want) = if exact {
                (have, want.clone())
            } else {
                (have.to_lowercase(), want.to_lowercase())
            };
            match op {
                CompareOp::Co => return have.contains(&want),
                CompareOp::Sw => return have.starts_with(&want),
                CompareOp::Ew => return have.ends_with(&want),
                _ => have.cmp(&want),
            }
        }
        CompValue::True | CompValue::False => {
            let want = matches!(expected, CompValue::True);
            let Some(have) = lenient_bool(actual) else {
                return false;
            };
            if have == want {
                Ordering::Equal
            } else {
                Ordering::Less
            }
        }
        CompValue::Number(n) => {
            let (Some(have), Some(want)) = (actual.as_f64(), n.as_f64()) else {
                return false;
            };
            have.partial_cmp(&want).unwrap_or(Ordering::Less)
        }
        CompValue::Null => {
            if actual.is_null() {
                Ordering::Equal
            } else {
                Ordering::Less
            }
        }
    };
    match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

/// `attr eq "value"` (alone or joined with `and`) as (attribute, value) pairs: what an
/// element must hold to match, so a PATCH can create it when none does yet.
fn equalities(filter: &ValFilter) -> Option<Vec<(String, Value)>> {
    match filter {
        ValFilter::Attr(AttrExp::Comparison(path, CompareOp::Eq, value)) => {
            let value = match value {
                CompValue::Str(s) => Value::String(s.clone()),
                CompValue::True => Value::Bool(true),
                CompValue::False => Value::Bool(false),
                CompValue::Number(n) => Value::Number(n.clone()),
                CompValue::Null => return None,
            };
            Some(vec![(
                path.sub_attr.clone().unwrap_or(path.name.clone()),
                value,
            )])
        }
        ValFilter::And(a, b) => {
            let mut all = equalities(a)?;
            all.extend(equalities(b)?);
            Some(all)
        }
        _ => None,
    }
}

// ---- PATCH ----------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Replace,
    Remove,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub op: Op,
    pub path: Option<String>,
    pub value: Option<Value>,
}

/// The operations of a PATCH body; `op` in any case (Entra ID sends `"Replace"`).
pub fn parse_patch(body: &Map<String, Value>) -> ScimResult<Vec<Operation>> {
    let operations = find_key(body, "Operations")
        .and_then(|k| body.get(&k))
        .and_then(Value::as_array)
        .ok_or_else(|| ScimError::bad("invalidSyntax", "a PatchOp needs an Operations array"))?;
    if operations.is_empty() {
        return Err(ScimError::bad("invalidSyntax", "Operations is empty"));
    }
    operations
        .iter()
        .map(|raw| {
            let map = raw
                .as_object()
                .ok_or_else(|| ScimError::bad("invalidSyntax", "each operation is an object"))?;
            let get = |name: &str| find_key(map, name).and_then(|k| map.get(&k));
            let op = match get("op")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase)
            {
                Some(op) if op == "add" => Op::Add,
                Some(op) if op == "replace" => Op::Replace,
                Some(op) if op == "remove" => Op::Remove,
                _ => {
                    return Err(ScimError::bad(
                        "invalidSyntax",
                        "op must be add, replace or remove",
                    ));
                }
            };
            let path = match get("path") {
                Some(Value::String(p)) if !p.trim().is_empty() => Some(p.trim().to_owned()),
                Some(Value::String(_)) | Some(Value::Null) | None => None,
                Some(_) => return Err(ScimError::bad("invalidPath", "path must be a string")),
            };
            let value = get("value").cloned();
            if op != Op::Remove && value.is_none() {
                return Err(ScimError::bad(
                    "invalidValue",
                    "add and replace need a value",
                ));
            }
            if op == Op::Remove && path.is_none() {
                return Err(ScimError::bad("noTarget", "remove needs a path"));
            }
            Ok(Operation { op, path, value })
        })
        .collect()
}

/// Applies the operations to a resource's attributes, in order. `read_only` attributes may
/// not be touched (400 `mutability`).
pub fn apply(
    doc: &mut Map<String, Value>,
    ops: &[Operation],
    read_only: &[&str],
) -> ScimResult<()> {
    for operation in ops {
        match &operation.path {
            None => {
                let Some(Value::Object(values)) = &operation.value else {
                    return Err(ScimError::bad(
                        "invalidValue",
                        "without a path, the value must be an object of attributes",
                    ));
                };
                for (key, value) in values {
                    if is_extension(key) {
                        let container = container_mut(doc, ENTERPRISE_SCHEMA);
                        if let Value::Object(inner) = value {
                            for (k, v) in inner {
                                set(container, k, None, v.clone(), operation.op)?;
                            }
                        }
                        continue;
                    }
                    apply_path(doc, operation.op, key, Some(value), read_only)?;
                }
            }
            Some(path) => apply_path(doc, operation.op, path, operation.value.as_ref(), read_only)?,
        }
    }
    Ok(())
}

fn is_extension(name: &str) -> bool {
    name.eq_ignore_ascii_case(ENTERPRISE_SCHEMA)
}

fn container_mut<'a>(doc: &'a mut Map<String, Value>, urn: &str) -> &'a mut Map<String, Value> {
    let key = find_key(doc, urn).unwrap_or_else(|| urn.to_owned());
    let entry = doc.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry.as_object_mut().expect("an object")
}

fn apply_path(
    doc: &mut Map<String, Value>,
    op: Op,
    raw: &str,
    value: Option<&Value>,
    read_only: &[&str],
) -> ScimResult<()> {
    if is_extension(raw) {
        return apply_extension(doc, op, value);
    }
    let path: PatchPath = raw
        .parse()
        .map_err(|e| ScimError::bad("invalidPath", format!("cannot read the path {raw:?}: {e}")))?;
    let attr = match &path {
        PatchPath::Attr(a) => a,
        PatchPath::Value(v) => &v.attr,
    };
    if read_only.iter().any(|r| r.eq_ignore_ascii_case(&attr.name))
        && attr.uri.as_deref().is_none_or(is_core)
    {
        return Err(ScimError::bad(
            "mutability",
            format!("{} cannot be changed", attr.name),
        ));
    }
    let scope = match attr.uri.as_deref() {
        Some(uri) if is_extension(uri) => container_mut(doc, ENTERPRISE_SCHEMA),
        Some(uri) if !is_core(uri) => {
            return Err(ScimError::bad(
                "invalidPath",
                format!("unknown schema {uri}"),
            ));
        }
        _ => doc,
    };
    match path {
        PatchPath::Attr(a) => match op {
            Op::Remove => {
                remove(scope, &a.name, a.sub_attr.as_deref(), value);
                Ok(())
            }
            _ => set(
                scope,
                &a.name,
                a.sub_attr.as_deref(),
                value.cloned().unwrap_or(Value::Null),
                op,
            ),
        },
        PatchPath::Value(vp) => apply_value_path(scope, op, &vp, value),
    }
}

/// An operation on the enterprise extension as a whole (its URN as the path).
fn apply_extension(doc: &mut Map<String, Value>, op: Op, value: Option<&Value>) -> ScimResult<()> {
    let key = find_key(doc, ENTERPRISE_SCHEMA).unwrap_or_else(|| ENTERPRISE_SCHEMA.to_owned());
    match (op, value) {
        (Op::Remove, _) => {
            doc.remove(&key);
        }
        (Op::Replace, Some(v)) => {
            doc.insert(key, v.clone());
        }
        (Op::Add, Some(Value::Object(inner))) => {
            let container = container_mut(doc, ENTERPRISE_SCHEMA);
            for (k, v) in inner {
                container.insert(k.clone(), v.clone());
            }
        }
        _ => {
            return Err(ScimError::bad(
                "invalidValue",
                "the extension's value is an object",
            ));
        }
    }
    Ok(())
}

/// An operation on the values of a multi-valued attribute a filter selects
/// (`emails[type eq "work"].value`, `members[value eq "7"]`).
fn apply_value_path(
    scope: &mut Map<String, Value>,
    op: Op,
    vp: &scim_v2::filter::PatchValuePath,
    value: Option<&Value>,
) -> ScimResult<()> {
    let key = find_key(scope, &vp.attr.name).unwrap_or(vp.attr.name.clone());
    let list = scope.entry(key).or_insert_with(|| Value::Array(vec![]));
    let Value::Array(items) = list else {
        return Err(ScimError::bad(
            "invalidPath",
            format!("{} is not multi-valued", vp.attr.name),
        ));
    };
    let hits: Vec<usize> = (0..items.len())
        .filter(|i| val_matches(&vp.filter, &items[*i]))
        .collect();
    match (op, &vp.sub_attr) {
        (Op::Remove, None) => {
            let mut i = 0;
            items.retain(|_| {
                i += 1;
                !hits.contains(&(i - 1))
            });
        }
        (Op::Remove, Some(sub)) => {
            for i in hits {
                if let Some(element) = items[i].as_object_mut()
                    && let Some(k) = find_key(element, sub)
                {
                    element.remove(&k);
                }
            }
        }
        (_, sub) => {
            let value = value.cloned().unwrap_or(Value::Null);
            if hits.is_empty() {
                // Entra ID replaces `emails[type eq "work"].value` before any work
                // address exists: the element the filter describes is created.
                let Some(pairs) = equalities(&vp.filter) else {
                    return Err(ScimError::bad("noTarget", "no value matches the filter"));
                };
                let mut element = Map::new();
                for (k, v) in pairs {
                    element.insert(k, v);
                }
                match (sub, value) {
                    (Some(sub), v) => {
                        element.insert(sub.clone(), v);
                    }
                    (None, Value::Object(fields)) => element.extend(fields),
                    (None, _) => {
                        return Err(ScimError::bad(
                            "invalidValue",
                            "the value must be an object",
                        ));
                    }
                }
                items.push(Value::Object(element));
            } else {
                for i in hits {
                    match (sub, &value, items[i].as_object_mut()) {
                        (Some(sub), v, Some(element)) => {
                            let k = find_key(element, sub).unwrap_or(sub.clone());
                            element.insert(k, v.clone());
                        }
                        (None, Value::Object(fields), Some(element)) if op == Op::Add => {
                            element.extend(fields.clone());
                        }
                        (None, v, _) => items[i] = v.clone(),
                        _ => {}
                    }
                }
            }
            let last_primary = items.iter().rposition(is_primary);
            single_primary(items, last_primary);
        }
    }
    Ok(())
}

fn is_core(uri: &str) -> bool {
    uri.eq_ignore_ascii_case(USER_SCHEMA) || uri.eq_ignore_ascii_case(GROUP_SCHEMA)
}

fn is_primary(v: &Value) -> bool {
    v.get("primary").and_then(lenient_bool) == Some(true)
}

/// Keeps `primary: true` on the element at `keep` only (RFC 7643 §2.4).
fn single_primary(items: &mut [Value], keep: Option<usize>) {
    if let Some(keep) = keep {
        for (i, item) in items.iter_mut().enumerate() {
            if i != keep && is_primary(item) {
                item["primary"] = Value::Bool(false);
            }
        }
    }
}

/// Add or replace an attribute (or one of its sub-attributes). Adding to a multi-valued
/// attribute appends the values not already there.
fn set(
    scope: &mut Map<String, Value>,
    name: &str,
    sub: Option<&str>,
    value: Value,
    op: Op,
) -> ScimResult<()> {
    let key = find_key(scope, name).unwrap_or_else(|| name.to_owned());
    if let Some(sub) = sub {
        let entry = scope
            .entry(key)
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(inner) = entry else {
            return Err(ScimError::bad(
                "invalidPath",
                format!("{name} has no sub-attributes"),
            ));
        };
        let k = find_key(inner, sub).unwrap_or_else(|| sub.to_owned());
        inner.insert(k, value);
        return Ok(());
    }
    let existing = scope.get_mut(&key);
    match (op, existing, value) {
        (Op::Add, Some(Value::Array(items)), new) => {
            let new = match new {
                Value::Array(values) => values,
                single => vec![single],
            };
            let primary = new.iter().rfind(|v| is_primary(v)).cloned();
            for value in new {
                if !items.contains(&value) {
                    items.push(value);
                }
            }
            let keep = primary.and_then(|p| items.iter().rposition(|v| *v == p));
            single_primary(items, keep);
        }
        (Op::Add, Some(Value::Object(inner)), Value::Object(fields)) => inner.extend(fields),
        (_, _, value) => {
            scope.insert(key, value);
        }
    }
    Ok(())
}

/// Removes an attribute, a sub-attribute, or (with a value, as Entra ID sends for `members`)
/// the listed values of a multi-valued attribute.
fn remove(scope: &mut Map<String, Value>, name: &str, sub: Option<&str>, value: Option<&Value>) {
    let Some(key) = find_key(scope, name) else {
        return;
    };
    match (sub, value, scope.get_mut(&key)) {
        (Some(sub), _, Some(Value::Object(inner))) => {
            if let Some(k) = find_key(inner, sub) {
                inner.remove(&k);
            }
        }
        (None, Some(listed), Some(Value::Array(items))) => {
            let listed: Vec<&Value> = match listed {
                Value::Array(values) => values.iter().collect(),
                single => vec![single],
            };
            let ids: Vec<&Value> = listed.iter().filter_map(|v| v.get("value")).collect();
            items.retain(|item| {
                !listed.contains(&item) && item.get("value").is_none_or(|v| !ids.contains(&v))
            });
        }
        _ => {
            scope.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn user() -> Value {
        json!({
            "id": "7", "userName": "Ada@Example.com", "externalId": "A-1", "active": true,
            "emails": [{"value": "ada@example.com", "type": "work", "primary": true}],
            "name": {"givenName": "Ada"},
            ENTERPRISE_SCHEMA: {"department": "R&D"},
        })
    }

    fn filter(raw: &str) -> bool {
        matches(&parse_filter(raw).unwrap(), &user())
    }

    #[test]
    fn filters_of_directories() {
        assert!(filter(r#"userName eq "ada@example.com""#));
        assert!(filter(r#"USERNAME Eq "ADA@EXAMPLE.COM""#));
        assert!(filter(r#"externalId eq "A-1""#));
        assert!(
            !filter(r#"externalId eq "a-1""#),
            "externalId is case-exact"
        );
        assert!(filter(r#"emails[type eq "work" and value co "@example"]"#));
        assert!(filter(r#"emails.value sw "ada""#));
        assert!(filter(r#"name.givenName pr and not (active eq false)"#));
        assert!(filter(&format!(
            r#"{ENTERPRISE_SCHEMA}:department eq "r&d""#
        )));
        assert!(filter(&format!(r#"{USER_SCHEMA}:userName ew ".com""#)));
        assert!(!filter(r#"userName eq "bob""#));
        assert_eq!(
            parse_filter("userName eq").unwrap_err().scim_type,
            Some("invalidFilter")
        );
    }

    fn patch(ops: Value) -> ScimResult<Map<String, Value>> {
        let mut doc = user().as_object().unwrap().clone();
        let body = json!({ "Operations": ops });
        let ops = parse_patch(body.as_object().unwrap())?;
        apply(&mut doc, &ops, &["id", "meta", "groups"])?;
        Ok(doc)
    }

    #[test]
    fn entra_and_okta_patches() {
        let doc = patch(json!([{"op": "Replace", "path": "active", "value": "False"}])).unwrap();
        assert_eq!(doc["active"], "False", "the string is read by the resource");
        let doc = patch(
            json!([{"op": "replace", "value": {"active": false, "name.familyName": "Lovelace",
            ENTERPRISE_SCHEMA: {"department": "Ops"}}}]),
        )
        .unwrap();
        assert_eq!(doc["active"], false);
        assert_eq!(
            doc["name"],
            json!({"givenName": "Ada", "familyName": "Lovelace"})
        );
        assert_eq!(doc[ENTERPRISE_SCHEMA]["department"], "Ops");
        let doc = patch(
            json!([{"op": "Replace", "path": "emails[type eq \"work\"].value",
            "value": "a.l@example.com"}]),
        )
        .unwrap();
        assert_eq!(doc["emails"][0]["value"], "a.l@example.com");
        let doc = patch(
            json!([{"op": "Add", "path": "emails[type eq \"home\"].value",
            "value": "ada@home.example"}]),
        )
        .unwrap();
        assert_eq!(
            doc["emails"][1],
            json!({"type": "home", "value": "ada@home.example"})
        );
        let doc = patch(json!([{"op": "replace",
            "path": format!("{ENTERPRISE_SCHEMA}:department"), "value": "Sales"}]))
        .unwrap();
        assert_eq!(doc[ENTERPRISE_SCHEMA]["department"], "Sales");
        let doc = patch(json!([{"op": "remove", "path": "emails[type eq \"work\"]"}])).unwrap();
        assert_eq!(doc["emails"], json!([]));
    }

    #[test]
    fn members_added_and_removed_as_entra_sends_them() {
        let mut doc = json!({"displayName": "g", "members": [{"value": "1"}]})
            .as_object()
            .unwrap()
            .clone();
        let body = json!({"Operations": [
            {"op": "Add", "path": "members", "value": [{"value": "2"}, {"value": "1"}]},
            {"op": "Remove", "path": "members", "value": [{"value": "1"}]},
            {"op": "add", "path": "members", "value": [{"value": "3"}]},
            {"op": "remove", "path": "members[value eq \"3\"]"},
        ]});
        apply(
            &mut doc,
            &parse_patch(body.as_object().unwrap()).unwrap(),
            &[],
        )
        .unwrap();
        assert_eq!(doc["members"], json!([{"value": "2"}]));
    }

    #[test]
    fn refusals() {
        let err = patch(json!([{"op": "replace", "path": "id", "value": "9"}])).unwrap_err();
        assert_eq!(err.scim_type, Some("mutability"));
        let err = patch(json!([{"op": "remove"}])).unwrap_err();
        assert_eq!(err.scim_type, Some("noTarget"));
        let err = patch(json!([{"op": "move", "path": "x"}])).unwrap_err();
        assert_eq!(err.scim_type, Some("invalidSyntax"));
        let err = patch(json!([{"op": "replace", "path": "emails[", "value": 1}])).unwrap_err();
        assert_eq!(err.scim_type, Some("invalidPath"));
        let err = patch(
            json!([{"op": "replace", "path": "emails[type co \"w\"].value", "value": "x"},
                {"op": "replace", "path": "emails[display pr].value", "value": "x"}]),
        )
        .unwrap_err();
        assert_eq!(err.scim_type, Some("noTarget"));
    }
}
