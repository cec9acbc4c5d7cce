//! Reading Python expressions as plain data, with every refusal located.

use edx_matrix_config::{Diagnostic, Location};
use edx_matrix_model::Code;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use std::ops::Range;

/// Collects the diagnostics of one Python file.
#[derive(Debug, Default)]
pub struct Sink {
    /// Everything reported so far, in reporting order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Returns the byte range of a node.
pub fn span(node: &impl Ranged) -> Range<usize> {
    let r: TextRange = node.range();
    r.start().to_usize()..r.end().to_usize()
}

impl Sink {
    /// Reports a problem at `at`.
    pub fn push(
        &mut self,
        code: Code,
        at: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::new(code, Location::Span(at), message, label));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// Reports code the importer cannot read as data.
    pub fn unreadable(&mut self, node: &impl Ranged, expected: &str) {
        self.push(
            Code::PythonUnreadable,
            span(node),
            format!("cannot read this as {expected}"),
            format!("expected {expected}"),
        );
    }

    /// Reads a string literal, reporting anything else.
    pub fn string(&mut self, expr: &Expr, what: &str) -> Option<String> {
        match string(expr) {
            Some(s) => Some(s),
            None => {
                self.unreadable(expr, &format!("a string literal ({what})"));
                None
            }
        }
    }
}

/// Returns the value of a string literal (implicit concatenations included).
pub fn string(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_owned()),
        _ => None,
    }
}

/// How an expression names a member of an enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnumRef {
    /// By value: `"edx-platform"` or `OpenEdxApplication("edx-platform")`.
    Value(String),
    /// By member name: `OpenEdxApplication.edx_platform` or `OpenEdxApplication["edx_platform"]`.
    Member {
        /// The enum class named.
        class: String,
        /// The member name.
        member: String,
    },
}

/// Reads a reference to an enum member: a string, `Class.member`, `Class["member"]` or
/// `Class("value")`.
pub fn enum_ref(expr: &Expr) -> Option<EnumRef> {
    match expr {
        Expr::StringLiteral(_) => string(expr).map(EnumRef::Value),
        Expr::Attribute(a) => match a.value.as_ref() {
            Expr::Name(class) => Some(EnumRef::Member {
                class: class.id.to_string(),
                member: a.attr.as_str().to_owned(),
            }),
            _ => None,
        },
        Expr::Subscript(s) => match (s.value.as_ref(), string(&s.slice)) {
            (Expr::Name(class), Some(member)) => Some(EnumRef::Member {
                class: class.id.to_string(),
                member,
            }),
            _ => None,
        },
        Expr::Call(c) => match (
            c.func.as_ref(),
            c.arguments.args.as_ref(),
            c.arguments.keywords.is_empty(),
        ) {
            (Expr::Name(_), [single], true) => string(single).map(EnumRef::Value),
            _ => None,
        },
        _ => None,
    }
}

/// Returns the name a call calls (`Foo` in `Foo(...)` or `mod.Foo(...)`).
pub fn call_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Call(c) => match c.func.as_ref() {
            Expr::Name(n) => Some(n.id.as_str()),
            Expr::Attribute(a) => Some(a.attr.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// Returns the name assigned by a simple `name = value` or `name: T = value` statement, and the
/// value.
pub fn assignment(stmt: &Stmt) -> Option<(&str, &Expr)> {
    match stmt {
        Stmt::Assign(a) => match a.targets.as_slice() {
            [Expr::Name(n)] => Some((n.id.as_str(), a.value.as_ref())),
            _ => None,
        },
        Stmt::AnnAssign(a) => match (a.target.as_ref(), a.value.as_deref()) {
            (Expr::Name(n), Some(value)) => Some((n.id.as_str(), value)),
            _ => None,
        },
        _ => None,
    }
}

/// Returns the source text of a node with runs of whitespace collapsed to one space.
pub fn flat_text(text: &str, range: Range<usize>) -> String {
    text.get(range)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Returns the source text of a node with all whitespace removed and `'` read as `"`, for
/// comparing code against the standard shapes.
pub fn normalized(text: &str, node: &impl Ranged) -> String {
    text.get(span(node))
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '\'' { '"' } else { c })
        .collect()
}
