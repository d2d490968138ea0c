//! The layer table of docs/ARCHITECTURE.md and its rule: a module may use the modules of
//! lower layers and those listed before it in its own layer, so dependencies have a direction
//! and no cycle. Known exceptions are listed in the document, each with its reason, until they
//! are gone; an exception that no longer occurs must be removed from the list.
use std::collections::{BTreeMap, BTreeSet};

use crate::deps::{Edge, Edges};

/// The layers, lowest first, and the exceptions, read from the document.
#[derive(Debug, Default)]
pub struct Table {
    /// Module → (layer, position in the layer).
    pub rank: BTreeMap<String, (usize, usize)>,
    pub exceptions: BTreeSet<Edge>,
}

/// Reads the tables between `<!-- layers -->` and `<!-- /layers -->`: rows `| name | a, b |`
/// give the layers, lowest first; rows `| from | to | reason |` after a header row starting
/// `| Exception` give the exceptions.
pub fn parse(doc: &str) -> Table {
    let start = doc
        .find("<!-- layers -->")
        .expect("a <!-- layers --> marker");
    let end = doc
        .find("<!-- /layers -->")
        .expect("a <!-- /layers --> marker");
    let mut table = Table::default();
    let mut in_exceptions = false;
    let mut layer = 0;
    for line in doc[start..end].lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if !line.trim_start().starts_with('|') || cells.iter().all(|c| c.starts_with('-')) {
            continue;
        }
        match cells[0] {
            "Layer" => in_exceptions = false,
            "Exception" => in_exceptions = true,
            _ if in_exceptions => {
                table.exceptions.insert(Edge {
                    from: cells[1].trim_matches('`').to_owned(),
                    to: cells[2].trim_matches('`').to_owned(),
                });
            }
            _ => {
                for (i, module) in cells[1].split(',').enumerate() {
                    let module = module.trim().trim_matches('`').to_owned();
                    assert!(
                        table.rank.insert(module.clone(), (layer, i)).is_none(),
                        "{module} is in two layers"
                    );
                }
                layer += 1;
            }
        }
    }
    table
}

/// The edges the table does not allow (with where they occur), and the exceptions that do
/// not occur any more.
pub fn check(table: &Table, edges: &Edges) -> (Vec<String>, Vec<String>) {
    let mut forbidden = Vec::new();
    for (edge, places) in edges {
        let (Some(from), Some(to)) = (table.rank.get(&edge.from), table.rank.get(&edge.to)) else {
            let missing = if table.rank.contains_key(&edge.from) {
                &edge.to
            } else {
                &edge.from
            };
            forbidden.push(format!("module {missing} is in no layer"));
            continue;
        };
        if to < from || table.exceptions.contains(edge) {
            continue;
        }
        forbidden.push(format!(
            "{} -> {} ({} uses, e.g. {})",
            edge.from,
            edge.to,
            places.len(),
            places[0]
        ));
    }
    let stale = table
        .exceptions
        .iter()
        .filter(|e| !edges.contains_key(e))
        .map(|e| format!("{} -> {}", e.from, e.to))
        .collect();
    forbidden.sort();
    forbidden.dedup();
    (forbidden, stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "text\n<!-- layers -->\n\
        | Layer | Modules |\n|---|---|\n\
        | base | `entities`, `error` |\n\
        | features | `people`, `qa`, `notify` |\n\n\
        | Exception | From | To | Why |\n|---|---|---|---|\n\
        | 1 | `people` | `qa` | profile lists questions |\n\
        <!-- /layers -->\n";

    fn edges_of(source: &str, file: &str, module: &[&str]) -> Edges {
        let tops: BTreeSet<String> = ["entities", "error", "people", "qa", "notify"]
            .into_iter()
            .map(String::from)
            .collect();
        let module: Vec<String> = module.iter().map(|s| s.to_string()).collect();
        let mut edges = Edges::new();
        crate::deps::edges_of(source, file, &module, &tops, "kring", &mut edges).unwrap();
        edges
    }

    #[test]
    fn downward_and_leftward_uses_pass() {
        let table = parse(DOC);
        let edges = edges_of(
            "use crate::{entities::users, people::repo};\nfn f() { crate::error::x(); }",
            "src/qa/service.rs",
            &["qa", "service"],
        );
        assert_eq!(edges.len(), 3);
        let (forbidden, stale) = check(&table, &edges);
        assert!(forbidden.is_empty(), "{forbidden:?}");
        assert_eq!(stale, vec!["people -> qa"]);
    }

    #[test]
    fn a_forbidden_use_is_caught_however_it_is_written() {
        let table = parse(DOC);
        for source in [
            "use crate::notify::service::notify;",
            "use crate::{entities, notify::{service::{self}}};",
            "fn f() { crate::notify::service::notify(); }",
            "fn f() { format!(\"{}\", crate::notify::KIND); }",
            "mod inner { use super::super::super::notify; }",
        ] {
            let edges = edges_of(source, "src/qa/service.rs", &["qa", "service"]);
            let (forbidden, _) = check(&table, &edges);
            assert_eq!(forbidden.len(), 1, "{source}: {forbidden:?}");
            assert!(forbidden[0].starts_with("qa -> notify"), "{forbidden:?}");
        }
        // Downwards into a lower layer is fine; upwards is not.
        let edges = edges_of("use crate::qa::service;", "src/error.rs", &["error"]);
        let (forbidden, _) = check(&table, &edges);
        assert_eq!(forbidden.len(), 1);
        // Test code may reach anywhere.
        let edges = edges_of(
            "#[cfg(test)]\nmod tests { use crate::notify::x; }",
            "src/qa/service.rs",
            &["qa", "service"],
        );
        assert!(edges.is_empty());
        // An exception allows its edge.
        let edges = edges_of(
            "use crate::qa::service;",
            "src/people/api.rs",
            &["people", "api"],
        );
        assert!(check(&table, &edges).0.is_empty());
    }
}
