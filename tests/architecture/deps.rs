//! Which top-level modules of `src/` each module uses: every path that starts with `crate`,
//! `super` or `self` (in `use` trees, in expressions and types, and inside macro calls) is
//! resolved against the module it is written in, so regrouping imports or writing a path
//! inline cannot hide a dependency.
use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// A dependency of one top-level module on another, with where it was seen first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: String,
    pub to: String,
}

/// Every edge with the places it was seen (`file:line`).
pub type Edges = BTreeMap<Edge, Vec<String>>;

/// The module path of a source file: `src/qa/service.rs` → `["qa", "service"]`,
/// `src/qa/mod.rs` → `["qa"]`, `src/lib.rs` → `[]`.
pub fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_owned());
    }
    parts
}

/// Finds the edges of one file's source. `module` is the file's module path; `tops` the
/// crate's top-level modules; `crate_name` how the binary names the library (`kring`).
pub fn edges_of(
    source: &str,
    file: &str,
    module: &[String],
    tops: &BTreeSet<String>,
    crate_name: &str,
    edges: &mut Edges,
) -> syn::Result<()> {
    let ast = syn::parse_file(source)?;
    let mut visitor = Visitor {
        file,
        module: module.to_vec(),
        tops,
        crate_name,
        edges,
    };
    visitor.visit_file(&ast);
    Ok(())
}

/// True for `#[cfg(test)]` (tests may reach across layers).
pub fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

struct Visitor<'a> {
    file: &'a str,
    module: Vec<String>,
    tops: &'a BTreeSet<String>,
    crate_name: &'a str,
    edges: &'a mut Edges,
}

impl Visitor<'_> {
    /// Resolves a path given as its leading segments; records an edge when it leaves the
    /// file's top-level module.
    fn resolve(&mut self, segments: &[String], line: usize) {
        let Some(first) = segments.first() else {
            return;
        };
        let mut absolute: Vec<String> = match first.as_str() {
            "crate" => segments[1..].to_vec(),
            name if name == self.crate_name && self.module.is_empty() => segments[1..].to_vec(),
            "self" => {
                let mut p = self.module.clone();
                p.extend_from_slice(&segments[1..]);
                p
            }
            "super" => {
                let mut p = self.module.clone();
                let mut rest = segments;
                while rest.first().is_some_and(|s| s == "super") {
                    p.pop();
                    rest = &rest[1..];
                }
                p.extend_from_slice(rest);
                p
            }
            _ => return,
        };
        absolute.truncate(1);
        let (Some(to), Some(from)) = (absolute.first(), self.module.first()) else {
            return;
        };
        if to != from && self.tops.contains(to) {
            self.edges
                .entry(Edge {
                    from: from.clone(),
                    to: to.clone(),
                })
                .or_default()
                .push(format!("{}:{line}", self.file));
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.resolve(&prefix.clone(), n.ident.span().start().line);
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.resolve(&prefix.clone(), r.ident.span().start().line);
                prefix.pop();
            }
            syn::UseTree::Glob(g) => {
                self.resolve(&prefix.clone(), g.star_token.spans[0].start().line);
            }
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.use_tree(prefix, item);
                }
            }
        }
    }

    /// `crate :: x`, `super :: x` and `self :: x` inside a macro's tokens.
    fn tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Group(g) => self.tokens(g.stream()),
                TokenTree::Ident(id) if matches!(id.to_string().as_str(), "crate" | "super") => {
                    let mut segments = vec![id.to_string()];
                    let mut j = i + 1;
                    while let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) =
                        (trees.get(j), trees.get(j + 1))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        match trees.get(j + 2) {
                            Some(TokenTree::Ident(next)) => segments.push(next.to_string()),
                            _ => break,
                        }
                        j += 3;
                    }
                    if segments.len() > 1 {
                        self.resolve(&segments, id.span().start().line);
                    }
                }
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for Visitor<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Trait(t) => &t.attrs,
            syn::Item::Type(t) => &t.attrs,
            syn::Item::Macro(m) => &m.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if is_test_only(attrs) {
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if m.content.is_some() {
            self.module.push(m.ident.to_string());
            syn::visit::visit_item_mod(self, m);
            self.module.pop();
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let line = path
            .segments
            .first()
            .map_or(0, |s| s.ident.span().start().line);
        self.resolve(&segments, line);
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}
