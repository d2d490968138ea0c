//! Architecture checks over `src/`: the layer table of docs/ARCHITECTURE.md holds for every
//! dependency between top-level modules, and no file or function grows past its size limit.
mod deps;
mod layers;
mod sizes;

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The crate's top-level modules, from `src/lib.rs`.
fn top_modules() -> BTreeSet<String> {
    let lib =
        syn::parse_file(&std::fs::read_to_string(root().join("src/lib.rs")).unwrap()).unwrap();
    lib.items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The dependencies between top-level modules of `src/`.
fn crate_edges() -> deps::Edges {
    let src = root().join("src");
    let tops = top_modules();
    let mut edges = deps::Edges::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        let source = std::fs::read_to_string(&file).unwrap();
        let name = format!("src/{}", relative.display());
        deps::edges_of(
            &source,
            &name,
            &deps::module_of(relative),
            &tops,
            "kring",
            &mut edges,
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    edges
}

/// Acceptance of the layer table: every dependency between top-level modules of `src/` is
/// allowed by docs/ARCHITECTURE.md, and every exception listed there still occurs.
#[test]
fn dependencies_follow_the_layer_table() {
    let doc = std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).unwrap();
    let table = layers::parse(&doc);
    for module in top_modules() {
        assert!(
            table.rank.contains_key(&module),
            "src/{module} is in no layer of docs/ARCHITECTURE.md"
        );
    }
    let (forbidden, stale) = layers::check(&table, &crate_edges());
    assert!(
        forbidden.is_empty(),
        "dependencies the layer table does not allow:\n{}",
        forbidden.join("\n")
    );
    assert!(
        stale.is_empty(),
        "exceptions that no longer occur (remove them from the table):\n{}",
        stale.join("\n")
    );
}

#[test]
fn no_file_or_function_is_too_long() {
    let src = root().join("src");
    let mut found = Vec::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        if relative.starts_with("entities") {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap();
        for (what, lines) in sizes::oversize(&source).unwrap() {
            found.push(format!(
                "src/{}: {what} has {lines} lines",
                relative.display()
            ));
        }
    }
    assert!(
        found.is_empty(),
        "over {} lines per file or {} per function:\n{}",
        sizes::MAX_FILE_LINES,
        sizes::MAX_FN_LINES,
        found.join("\n")
    );
}

/// Routes reach the app only through the registry (`web::routes`): nothing else in `src/`
/// registers a route, a resource, a scope or a service on actix. `startup` mounts the registry
/// and the static files (which the registry lists as served elsewhere).
#[test]
fn routes_are_registered_only_through_the_registry() {
    let src = root().join("src");
    let allowed = [Path::new("web/routes.rs"), Path::new("startup.rs")];
    let mut found = Vec::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        if allowed.contains(&relative) {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap();
        for (n, line) in source.lines().enumerate() {
            for needle in [
                ".route(",
                "web::resource(",
                "web::scope(",
                ".service(",
                "Files::new(",
            ] {
                if line.contains(needle) {
                    found.push(format!(
                        "src/{}:{}: {}",
                        relative.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "routes outside the registry:\n{}",
        found.join("\n")
    );
}
