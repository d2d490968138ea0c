//! Messages resolved when the templates load: in a copy of the templates for one language,
//! every `t(key="…", lang=lang)` of a message without variables becomes the message's text, a
//! string literal, so rendering a page no longer calls the function (an argument map, a lookup,
//! a copy) for each of its hundred labels.
//!
//! The literal is what the call returned: the same text ([`super::plain`]) and, like the
//! function's result, escaped when it is written into HTML (a literal is not marked safe).
//! Only calls with exactly these two arguments, the key a literal and the language the `lang`
//! variable, are resolved; calls with variables, a `fallback` or a key built from data stay
//! calls. [`Templates`] renders with the copy of the context's `lang`,
//! and every template passes `lang` on unchanged (macros take it as `lang=lang`), so the
//! variable means the copy's language wherever a call stands.
use tera::{
    Tera,
    ast::{Expr, ExprVal, FunctionCall, Node},
};

use super::Lang;

/// The templates: as written, and once per language with the messages resolved
/// ([`resolve`]).
pub struct Templates {
    /// As written: for a context without a known `lang`.
    written: Tera,
    /// Indexed by [`Lang`].
    by_lang: Vec<Tera>,
}

impl Templates {
    pub fn new(written: Tera) -> Self {
        let by_lang = Lang::ALL
            .iter()
            .map(|&lang| {
                let mut tera = written.clone();
                resolve(&mut tera, lang);
                tera
            })
            .collect();
        Self { written, by_lang }
    }

    /// Renders `template` with the copy of the context's language (`lang`).
    pub fn render(&self, template: &str, ctx: &tera::Context) -> tera::Result<String> {
        let lang = ctx
            .get("lang")
            .and_then(tera::Value::as_str)
            .and_then(|code| code.parse::<Lang>().ok());
        match lang {
            Some(lang) => self.by_lang[lang as usize].render(template, ctx),
            None => self.written.render(template, ctx),
        }
    }
}

/// Resolves the messages of every template in `tera` into `lang`.
pub fn resolve(tera: &mut Tera, lang: Lang) {
    for template in tera.templates.values_mut() {
        nodes(&mut template.ast, lang);
        for definition in template.macros.values_mut() {
            nodes(&mut definition.body, lang);
        }
        for block in template.blocks.values_mut() {
            nodes(&mut block.body, lang);
        }
        // What rendering uses for blocks: this template's and its parents' definitions.
        for chain in template.blocks_definitions.values_mut() {
            for (_, block) in chain {
                nodes(&mut block.body, lang);
            }
        }
    }
}

/// The text of `t(key="…", lang=lang)`, when `call` is that call and the message exists.
fn message(call: &FunctionCall, lang: Lang) -> Option<String> {
    if call.name != "t" || call.args.len() != 2 {
        return None;
    }
    let key = match call.args.get("key")? {
        Expr {
            val: ExprVal::String(key),
            negated: false,
            filters,
        } if filters.is_empty() => key,
        _ => return None,
    };
    match call.args.get("lang")? {
        Expr {
            val: ExprVal::Ident(name),
            negated: false,
            filters,
        } if name == "lang" && filters.is_empty() => super::plain(lang, key),
        _ => None,
    }
}

fn nodes(list: &mut [Node], lang: Lang) {
    for node in list {
        match node {
            Node::VariableBlock(_, e) => expr(e, lang),
            Node::MacroDefinition(_, definition, _) => {
                for default in definition.args.values_mut().flatten() {
                    expr(default, lang);
                }
                nodes(&mut definition.body, lang);
            }
            Node::Set(_, set) => expr(&mut set.value, lang),
            Node::FilterSection(_, section, _) => {
                call_args(&mut section.filter, lang);
                nodes(&mut section.body, lang);
            }
            Node::Block(_, block, _) => nodes(&mut block.body, lang),
            Node::Forloop(_, forloop, _) => {
                expr(&mut forloop.container, lang);
                nodes(&mut forloop.body, lang);
                if let Some(empty) = &mut forloop.empty_body {
                    nodes(empty, lang);
                }
            }
            Node::If(conditions, _) => {
                for (_, condition, body) in &mut conditions.conditions {
                    expr(condition, lang);
                    nodes(body, lang);
                }
                if let Some((_, body)) = &mut conditions.otherwise {
                    nodes(body, lang);
                }
            }
            Node::Super
            | Node::Text(_)
            | Node::Extends(..)
            | Node::Include(..)
            | Node::ImportMacro(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }
}

fn call_args(call: &mut FunctionCall, lang: Lang) {
    for arg in call.args.values_mut() {
        expr(arg, lang);
    }
}

fn expr(e: &mut Expr, lang: Lang) {
    value(&mut e.val, lang);
    for filter in &mut e.filters {
        call_args(filter, lang);
    }
}

fn value(v: &mut ExprVal, lang: Lang) {
    match v {
        ExprVal::FunctionCall(call) => match message(call, lang) {
            Some(text) => *v = ExprVal::String(text),
            None => call_args(call, lang),
        },
        ExprVal::MacroCall(call) => {
            for arg in call.args.values_mut() {
                expr(arg, lang);
            }
        }
        ExprVal::Math(math) => {
            expr(&mut math.lhs, lang);
            expr(&mut math.rhs, lang);
        }
        ExprVal::Logic(logic) => {
            expr(&mut logic.lhs, lang);
            expr(&mut logic.rhs, lang);
        }
        ExprVal::In(within) => {
            expr(&mut within.lhs, lang);
            expr(&mut within.rhs, lang);
        }
        ExprVal::Test(test) => {
            for arg in &mut test.args {
                expr(arg, lang);
            }
        }
        ExprVal::Array(items) => {
            for item in items {
                expr(item, lang);
            }
        }
        ExprVal::StringConcat(concat) => {
            for part in &mut concat.values {
                value(part, lang);
            }
        }
        ExprVal::String(_)
        | ExprVal::Int(_)
        | ExprVal::Float(_)
        | ExprVal::Bool(_)
        | ExprVal::Ident(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Templates that call `t()` every way the real ones do.
    fn templates() -> Tera {
        let mut tera = Tera::default();
        tera.add_raw_templates([
            (
                "m.html",
                r#"{% macro label(lang, text="") %}<b title="{{ t(key="tokens-intro", lang=lang) }}">{{ text | default(value=t(key="nav-home", lang=lang)) }}</b>{% endmacro label %}"#,
            ),
            (
                "base.html",
                r#"{% import "m.html" as m %}<p>{{ t(key="tokens-intro", lang=lang) }}</p>{% block body %}{{ t(key="nav-ask", lang=lang) }}{% endblock body %}"#,
            ),
            (
                "page.html",
                r#"{% extends "base.html" %}{% import "m.html" as m %}{% block body %}{{ super() }}
{% set ask = t(key="nav-ask", lang=lang) %}{{ ask }}|{{ t(key="nav-home", lang=lang) | upper }}
{{ m::label(lang=lang) }}{{ m::label(lang=lang, text=t(key="confirm-cancel", lang=lang)) }}
{% if t(key="nav-home", lang=lang) == "Start" %}nl{% else %}en{% endif %}
{% for x in [t(key="nav-home", lang=lang)] %}{{ x ~ "!" }}{% endfor %}
{{ t(key="post-likes", lang=lang, count=2) }} {{ t(key="rule-" ~ what, fallback=what, lang=lang) }}
{{ t(key="pager-label", lang=lang) }}{% endblock body %}"#,
            ),
            ("mail.txt", r#"{{ t(key="tokens-intro", lang=lang) }}"#),
        ])
        .expect("templates");
        tera.register_function("t", super::super::TeraTranslate);
        tera.autoescape_on(vec![".html"]);
        tera
    }

    fn calls_of_t(nodes: &[Node]) -> usize {
        // Rendered AST as debug text: every remaining call of `t` names it.
        format!("{nodes:?}").matches("name: \"t\"").count()
    }

    #[test]
    fn resolved_templates_render_what_the_calls_rendered() {
        let written = templates();
        for lang in Lang::ALL {
            let mut resolved = written.clone();
            resolve(&mut resolved, lang);
            let mut ctx = tera::Context::new();
            ctx.insert("lang", lang.code());
            ctx.insert("what", "vote_cast");
            for name in ["page.html", "mail.txt"] {
                let expected = written.render(name, &ctx).expect("written");
                assert_eq!(
                    resolved.render(name, &ctx).expect("resolved"),
                    expected,
                    "{name}"
                );
            }
            let page = &resolved.templates["page.html"];
            let (_, body) = page.blocks_definitions["body"]
                .iter()
                .find(|(owner, _)| owner == "page.html")
                .expect("the page's block");
            // Only the call with a variable and the one with a key from data stay calls.
            assert_eq!(calls_of_t(&body.body), 2, "{lang:?}");
            assert_eq!(calls_of_t(&resolved.templates["base.html"].ast), 0);
            assert_eq!(calls_of_t(&resolved.templates["m.html"].ast), 0);
        }
        // Escaped in HTML, as the call's result was; as it is in text.
        let mut ctx = tera::Context::new();
        ctx.insert("lang", "nl");
        let mut nl = written.clone();
        resolve(&mut nl, Lang::Nl);
        assert!(
            nl.render("base.html", &ctx)
                .expect("html")
                .contains("programma&#x27;s")
        );
        assert!(
            nl.render("mail.txt", &ctx)
                .expect("text")
                .contains("Bearer <token>")
        );
    }

    #[test]
    fn an_unknown_key_stays_a_call_and_fails_as_before() {
        let mut tera = Tera::default();
        // Built, so the catalogue check does not take it for a key in use.
        let missing = ["no", "such", "key"].join("-");
        tera.add_raw_template(
            "x.html",
            &format!(r#"{{{{ t(key="{missing}", lang=lang) }}}}"#),
        )
        .expect("template");
        tera.register_function("t", super::super::TeraTranslate);
        resolve(&mut tera, Lang::En);
        let mut ctx = tera::Context::new();
        ctx.insert("lang", "en");
        let err = tera.render("x.html", &ctx).expect_err("no such message");
        assert!(format!("{err:?}").contains("no translation"), "{err:?}");
    }
}
