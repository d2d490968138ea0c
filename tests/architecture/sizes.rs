//! Size limits: a file of `src/` (outside `entities/`, not counting `#[cfg(test)]` items) holds
//! at most [`MAX_FILE_LINES`] lines and a function at most [`MAX_FN_LINES`].
use syn::{spanned::Spanned, visit::Visit};

use crate::deps::is_test_only;

pub const MAX_FILE_LINES: usize = 600;
pub const MAX_FN_LINES: usize = 120;

/// What is too long in one file: `(what, lines)` pairs, e.g. `("file", 640)` or
/// `("fn compute", 412)`.
pub fn oversize(source: &str) -> syn::Result<Vec<(String, usize)>> {
    let ast = syn::parse_file(source)?;
    let mut v = Sizes::default();
    v.visit_file(&ast);
    let total = source.lines().count();
    let lines = total.saturating_sub(v.test_lines);
    let mut out = Vec::new();
    if lines > MAX_FILE_LINES {
        out.push(("file".to_owned(), lines));
    }
    out.extend(v.long_fns);
    Ok(out)
}

#[derive(Default)]
struct Sizes {
    test_lines: usize,
    long_fns: Vec<(String, usize)>,
}

fn lines_of(span: proc_macro2::Span) -> usize {
    span.end().line + 1 - span.start().line
}

impl Sizes {
    fn check_fn(&mut self, name: String, span: proc_macro2::Span) {
        let n = lines_of(span);
        if n > MAX_FN_LINES {
            self.long_fns.push((format!("fn {name}"), n));
        }
    }
}

impl<'ast> Visit<'ast> for Sizes {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            _ => &[],
        };
        if is_test_only(attrs) {
            self.test_lines += lines_of(item.span());
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.check_fn(f.sig.ident.to_string(), f.span());
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if is_test_only(&f.attrs) {
            return;
        }
        self.check_fn(f.sig.ident.to_string(), f.span());
        syn::visit::visit_impl_item_fn(self, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_functions_and_files_are_found_and_test_code_is_not_counted() {
        let body = "    let x = 1;\n".repeat(MAX_FN_LINES);
        let source = format!("fn long() {{\n{body}}}\nfn short() {{}}\n");
        assert_eq!(
            oversize(&source).unwrap(),
            vec![("fn long".to_owned(), MAX_FN_LINES + 2)]
        );
        let tests = format!("#[cfg(test)]\nmod tests {{\n    fn long() {{\n{body}    }}\n}}\n");
        assert!(oversize(&tests).unwrap().is_empty());
        let many = "fn f() {}\n".repeat(MAX_FILE_LINES + 1);
        assert_eq!(
            oversize(&many).unwrap(),
            vec![("file".to_owned(), MAX_FILE_LINES + 1)]
        );
    }
}
