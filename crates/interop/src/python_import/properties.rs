//! The resolving properties of `OpenEdxApplicationVersion` (`runtime_version`,
//! `release_branch`, `git_origin`): which standard rule each implements, where the runtime
//! defaults come from, and any special cases beyond the rules of `docs/domain.md`.

use super::expr::{EnumRef, Sink, enum_ref, normalized, span, string};
use edx_matrix_model::Code;
use ruff_python_ast::{BoolOp, CmpOp, Expr, Stmt, StmtClassDef};
use std::ops::Range;

/// Where IDA and MFE runtime defaults come from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum RuntimeRule {
    /// From the entry's release (`self.release.python_version`, `self.release.node_version`).
    #[default]
    FromRelease,
    /// Constants written in the property (`"3.8" if ... == "IDA" else "16"`).
    Constants {
        /// The IDA default, if the code names one.
        python: Option<String>,
        /// The MFE default, if the code names one.
        node: Option<String>,
    },
    /// The property does something else; the defaults must be given on the command line.
    Unknown,
}

/// Which resolved value a property computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `release_branch`.
    Branch,
    /// `git_origin`.
    Origin,
    /// `runtime_version`.
    Runtime,
}

/// An attribute of the entry a special case tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attr {
    /// `self.application`.
    Application,
    /// `self.release`.
    Release,
    /// `self.application_type`.
    ApplicationType,
}

/// `if <condition>: return <value>` ahead of a property's standard rule.
#[derive(Clone, Debug)]
pub struct SpecialCase {
    /// The value it decides.
    pub field: Field,
    /// The condition as `attr == value` terms joined by `and`, when it is that plain.
    pub conditions: Option<Vec<(Attr, EnumRef)>>,
    /// The constant returned, when it is a string literal.
    pub value: Option<String>,
    /// Where it is.
    pub span: Range<usize>,
}

impl SpecialCase {
    /// Returns whether `--apply-special-cases` can turn it into overrides.
    pub fn is_plain(&self) -> bool {
        self.conditions.is_some() && self.value.is_some()
    }
}

/// What the properties do.
#[derive(Clone, Debug, Default)]
pub struct Properties {
    /// Where runtime defaults come from.
    pub runtime: RuntimeRule,
    /// Special cases, in file order.
    pub special: Vec<SpecialCase>,
    /// Where the `runtime_version` property is, for messages.
    pub runtime_span: Option<Range<usize>>,
}

/// Reads the properties of the version class, reporting what goes beyond the standard rules.
pub fn read(class: &StmtClassDef, text: &str, sink: &mut Sink) -> Properties {
    let mut props = Properties::default();
    for stmt in &class.body {
        let Stmt::FunctionDef(f) = stmt else {
            continue;
        };
        let field = match f.name.as_str() {
            "release_branch" => Field::Branch,
            "git_origin" => Field::Origin,
            "runtime_version" => Field::Runtime,
            _ => continue,
        };
        if field == Field::Runtime {
            props.runtime_span = Some(span(&f.name));
        }
        let mut body: Vec<&Stmt> = f
            .body
            .iter()
            .filter(|s| !matches!(s, Stmt::Expr(e) if string(&e.value).is_some()))
            .collect();
        // Leading `if <test>: return <value>` statements are special cases.
        while let Some(Stmt::If(branch)) = body.first() {
            let plain_return = match branch.body.as_slice() {
                [Stmt::Return(r)] if branch.elif_else_clauses.is_empty() => Some(r),
                _ => None,
            };
            let Some(ret) = plain_return else { break };
            props.special.push(SpecialCase {
                field,
                conditions: conditions(&branch.test),
                value: ret.value.as_deref().and_then(string),
                span: span(*body.first().unwrap_or(&stmt)),
            });
            body.remove(0);
        }
        let standard = match field {
            Field::Branch => {
                normalized_body(&body, text) == ["returnself.branch_overrideorself.release.branch"]
            }
            Field::Origin => {
                normalized_body(&body, text)
                    == ["returnself.origin_overrideorself.application.repository"]
            }
            Field::Runtime => match runtime_rule(&body, text) {
                Some(rule) => {
                    props.runtime = rule;
                    true
                }
                None => {
                    props.runtime = RuntimeRule::Unknown;
                    false
                }
            },
        };
        if !standard {
            let rest = match (body.first(), body.last()) {
                (Some(first), Some(last)) => span(*first).start..span(*last).end,
                _ => span(&f.name),
            };
            sink.push(
                Code::PythonSpecialCase,
                rest,
                format!(
                    "property `{}` does not follow the standard rule; the import applies the standard rule",
                    f.name.as_str()
                ),
                "logic the importer cannot translate",
            )
            .help
            .push("check the resolved rows (`edx-matrix resolve`) and add overrides where this code differs".into());
        }
    }
    for case in &props.special {
        let d = sink.push(
            Code::PythonSpecialCase,
            case.span.clone(),
            "special case beyond the standard resolution rules",
            if case.is_plain() {
                "a constant condition: `--apply-special-cases` turns it into explicit overrides"
            } else {
                "not a plain constant condition: translate it into overrides by hand"
            },
        );
        if case.is_plain() {
            d.help
                .push("without `--apply-special-cases` the imported matrix ignores it".to_owned());
        }
    }
    props
}

fn normalized_body(body: &[&Stmt], text: &str) -> Vec<String> {
    body.iter().map(|s| normalized(text, *s)).collect()
}

/// Reads `self.X == "c"` terms joined by `and`.
fn conditions(test: &Expr) -> Option<Vec<(Attr, EnumRef)>> {
    match test {
        Expr::BoolOp(b) if b.op == BoolOp::And => {
            let mut out = Vec::new();
            for value in &b.values {
                out.extend(conditions(value)?);
            }
            Some(out)
        }
        Expr::Compare(c) => match (c.ops.as_ref(), c.comparators.as_ref()) {
            ([CmpOp::Eq], [right]) => {
                let (attr, value) = match (self_attr(&c.left), self_attr(right)) {
                    (Some(attr), None) => (attr, right),
                    (None, Some(attr)) => (attr, c.left.as_ref()),
                    _ => return None,
                };
                Some(vec![(attr, enum_ref(value)?)])
            }
            _ => None,
        },
        _ => None,
    }
}

fn self_attr(expr: &Expr) -> Option<Attr> {
    let Expr::Attribute(a) = expr else {
        return None;
    };
    if !matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") {
        return None;
    }
    match a.attr.as_str() {
        "application" => Some(Attr::Application),
        "release" => Some(Attr::Release),
        "application_type" => Some(Attr::ApplicationType),
        _ => None,
    }
}

/// Recognises `default = A if self.application_type == "IDA" else B` followed by
/// `return self.runtime_version_override or default`, or the one-statement form.
fn runtime_rule(body: &[&Stmt], text: &str) -> Option<RuntimeRule> {
    let choice = match body {
        [Stmt::Assign(assign), Stmt::Return(ret)] => {
            let [Expr::Name(target)] = assign.targets.as_slice() else {
                return None;
            };
            let expected = format!("returnself.runtime_version_overrideor{}", target.id);
            if normalized(text, *body.get(1)?) != expected {
                return None;
            }
            let _ = ret;
            assign.value.as_ref()
        }
        [Stmt::Return(ret)] => {
            let Some(Expr::BoolOp(b)) = ret.value.as_deref() else {
                return None;
            };
            match (b.op, b.values.as_slice()) {
                (BoolOp::Or, [first, second])
                    if normalized(text, first) == "self.runtime_version_override" =>
                {
                    second
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    let Expr::If(choice) = choice else {
        return None;
    };
    let conds = conditions(&choice.test)?;
    let ida_first = match conds.as_slice() {
        [(Attr::ApplicationType, EnumRef::Value(kind))] if kind == "IDA" => true,
        [(Attr::ApplicationType, EnumRef::Value(kind))] if kind == "MFE" => false,
        _ => return None,
    };
    let (ida, mfe) = if ida_first {
        (&choice.body, &choice.orelse)
    } else {
        (&choice.orelse, &choice.body)
    };
    let from_release = |e: &Expr, attr: &str| normalized(text, e) == format!("self.release.{attr}");
    if from_release(ida, "python_version") && from_release(mfe, "node_version") {
        return Some(RuntimeRule::FromRelease);
    }
    match (string(ida), string(mfe)) {
        (Some(python), Some(node)) => Some(RuntimeRule::Constants {
            python: Some(python),
            node: Some(node),
        }),
        _ => None,
    }
}
