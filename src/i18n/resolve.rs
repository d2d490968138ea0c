//! Messages resolved when the templates load: in a copy of the templates for one language,
//! every `t(key="…", lang=lang)` of a message without variables becomes the message's text, a
//! string literal, so rendering a page no longer calls the function (an argument map, a lookup,
//! a copy) for each of its hundred labels.
//!
//! The literal is what the call returned: the same text ([`super::plain`]) and, like the
//! function's result, escaped when it is written into HTML (a literal is not marked safe).
//! Only calls with exactly these two arguments, the key a literal and the language the `lang`
//! variable, are resolved; calls with variables, a `fallback` or a key built from data stay
//! calls, except a call with one variable where its value is shown or passed on: it becomes
//! the variable with a filter of the language ([`OneVariable`]), `{{ q.answer_count |
//! t:qa-answer-count:count }}`. [`Templates`] renders with the copy of the context's `lang`,
//! and every template passes `lang` on unchanged (macros take it as `lang=lang`), so the
//! variable means the copy's language wherever a call stands.
use std::collections::BTreeSet;

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
    let r = &mut Resolver {
        lang,
        one_variable: BTreeSet::new(),
    };
    for template in tera.templates.values_mut() {
        nodes(&mut template.ast, r);
        for definition in template.macros.values_mut() {
            nodes(&mut definition.body, r);
        }
        for block in template.blocks.values_mut() {
            nodes(&mut block.body, r);
        }
        // What rendering uses for blocks: this template's and its parents' definitions.
        for chain in template.blocks_definitions.values_mut() {
            for (_, block) in chain {
                nodes(&mut block.body, r);
            }
        }
    }
    for (key, name) in std::mem::take(&mut r.one_variable) {
        let filter = filter_name(&key, &name);
        tera.register_filter(&filter, OneVariable { lang, key, name });
    }
}

/// What resolving one language's templates found: the messages with one variable shown as
/// filters ([`OneVariable`]), by key and variable name.
struct Resolver {
    lang: Lang,
    one_variable: BTreeSet<(String, String)>,
}

/// A message with one variable, `t(key="…", lang=lang, count=q.answer_count)`, resolved to the
/// variable and a filter of this language, `q.answer_count | t:qa-answer-count:count`: the same
/// text, without the function call's argument map (three names, three values copied) on every
/// row of a list. Numbers come from the remembered texts ([`super::counted_with`]); anything
/// else is formatted as the call formats it.
struct OneVariable {
    lang: Lang,
    key: String,
    name: String,
}

impl tera::Filter for OneVariable {
    fn filter(
        &self,
        value: &tera::Value,
        _: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        if let Some(n) = value.as_f64()
            && let Some(text) = super::counted_with(self.lang, &self.key, vec![(&self.name, n)])
        {
            return Ok(tera::Value::String(text));
        }
        let args = [
            ("key".to_owned(), tera::Value::from(self.key.as_str())),
            ("lang".to_owned(), tera::Value::from(self.lang.code())),
            (self.name.clone(), value.clone()),
        ];
        tera::Function::call(&super::TeraTranslate, &args.into_iter().collect())
    }
}

fn filter_name(key: &str, name: &str) -> String {
    format!("t:{key}:{name}")
}

/// `t(key="…", lang=lang, <name>=<expression>)` with a message key and one variable: the key,
/// the variable's name and its expression.
fn one_variable(call: &FunctionCall) -> Option<(&str, &str, &Expr)> {
    let key = literal_key(call, 3)?;
    let (name, variable) = call
        .args
        .iter()
        .find(|(name, _)| !matches!(name.as_str(), "key" | "lang"))?;
    let plain = matches!(
        variable.val,
        ExprVal::Ident(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::String(_)
    );
    // Without filters of its own: tera would evaluate a `default` of the variable escaped, in
    // the filters of the expression shown.
    let bare = !variable.negated && variable.filters.is_empty();
    (name != "fallback" && plain && bare).then_some((key, name, variable))
}

/// An expression whose value is shown or passed on (a `{{ }}` block, a `set`, a macro's
/// argument), where a message with one variable becomes that variable and a filter
/// ([`OneVariable`]). Elsewhere (comparisons, arithmetic) tera reads a variable without its
/// filters, so calls there stay calls.
fn shown(e: &mut Expr, r: &mut Resolver) {
    let has_default = e.filters.iter().any(|f| f.name == "default");
    let found = match &e.val {
        ExprVal::FunctionCall(call) if !has_default => one_variable(call)
            .map(|(key, name, variable)| (key.to_owned(), name.to_owned(), variable.clone())),
        _ => None,
    };
    // The variable is bare (`one_variable`): nothing in it to resolve.
    let Some((key, name, mut variable)) = found else {
        return expr(e, r);
    };
    for filter in &mut e.filters {
        call_args(filter, r);
    }
    variable.filters.push(FunctionCall {
        name: filter_name(&key, &name),
        args: Default::default(),
    });
    variable.filters.append(&mut e.filters);
    e.val = variable.val;
    e.filters = variable.filters;
    r.one_variable.insert((key, name));
}

/// The text of `t(key="…", lang=lang)`, when `call` is that call and the message exists.
fn message(call: &FunctionCall, lang: Lang) -> Option<String> {
    super::plain(lang, literal_key(call, 2)?)
}

/// The key of `t(key="…", lang=lang, …)` with `args` arguments in all: a literal key, and the
/// language the `lang` variable as every template passes it.
fn literal_key(call: &FunctionCall, args: usize) -> Option<&str> {
    if call.name != "t" || call.args.len() != args {
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
        } if name == "lang" && filters.is_empty() => Some(key),
        _ => None,
    }
}

fn nodes(list: &mut [Node], r: &mut Resolver) {
    for node in list {
        match node {
            Node::VariableBlock(_, e) => shown(e, r),
            Node::MacroDefinition(_, definition, _) => {
                for default in definition.args.values_mut().flatten() {
                    expr(default, r);
                }
                nodes(&mut definition.body, r);
            }
            Node::Set(_, set) => shown(&mut set.value, r),
            Node::FilterSection(_, section, _) => {
                call_args(&mut section.filter, r);
                nodes(&mut section.body, r);
            }
            Node::Block(_, block, _) => nodes(&mut block.body, r),
            Node::Forloop(_, forloop, _) => {
                expr(&mut forloop.container, r);
                nodes(&mut forloop.body, r);
                if let Some(empty) = &mut forloop.empty_body {
                    nodes(empty, r);
                }
            }
            Node::If(conditions, _) => {
                for (_, condition, body) in &mut conditions.conditions {
                    expr(condition, r);
                    nodes(body, r);
                }
                if let Some((_, body)) = &mut conditions.otherwise {
                    nodes(body, r);
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

fn call_args(call: &mut FunctionCall, r: &mut Resolver) {
    for arg in call.args.values_mut() {
        expr(arg, r);
    }
}

fn expr(e: &mut Expr, r: &mut Resolver) {
    value(&mut e.val, r);
    for filter in &mut e.filters {
        call_args(filter, r);
    }
}

fn value(v: &mut ExprVal, r: &mut Resolver) {
    match v {
        ExprVal::FunctionCall(call) => match message(call, r.lang) {
            Some(text) => *v = ExprVal::String(text),
            None => call_args(call, r),
        },
        ExprVal::MacroCall(call) => {
            for arg in call.args.values_mut() {
                shown(arg, r);
            }
        }
        ExprVal::Math(math) => {
            expr(&mut math.lhs, r);
            expr(&mut math.rhs, r);
        }
        ExprVal::Logic(logic) => {
            expr(&mut logic.lhs, r);
            expr(&mut logic.rhs, r);
        }
        ExprVal::In(within) => {
            expr(&mut within.lhs, r);
            expr(&mut within.rhs, r);
        }
        ExprVal::Test(test) => {
            for arg in &mut test.args {
                expr(arg, r);
            }
        }
        ExprVal::Array(items) => {
            for item in items {
                expr(item, r);
            }
        }
        ExprVal::StringConcat(concat) => {
            for part in &mut concat.values {
                value(part, r);
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
{{ t(key="pager-label", lang=lang) }}
{% for n in counts %}{{ t(key="qa-answer-count", lang=lang, count=n) }}|{{ t(key="qa-score", lang=lang, score=n) | upper }}|{% endfor %}
{{ t(key="profile-photo-of", lang=lang, name=who) }} {{ t(key="profile-photo-of", lang=lang, name=nobody | default(value="<SSO>")) }}
{{ m::label(lang=lang, text=t(key="qa-answer-count", lang=lang, count=counts.1)) }}
{% set some = t(key="qa-answer-count", lang=lang, count=who) %}{{ some }}
{% if t(key="qa-answer-count", lang=lang, count=1) != "" %}one{% endif %}{% endblock body %}"#,
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
            ctx.insert("counts", &[0.0, 1.0, 2.5, 3.0]);
            ctx.insert("who", "<Ada & \"Bob\">");
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
            // Only the call with a key from data, the one compared and the one whose variable
            // has a filter of its own stay calls; the others with one variable became filters.
            assert_eq!(calls_of_t(&body.body), 3, "{lang:?}");
            assert_eq!(
                format!("{:?}", body.body)
                    .matches("name: \"t:qa-answer-count:count\"")
                    .count(),
                3,
                "{lang:?}"
            );
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
