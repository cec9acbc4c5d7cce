//! Reading `types.py`: the application and release enums, the stage and deployment literals,
//! and the resolving properties of `OpenEdxApplicationVersion`.

use super::expr::{Sink, assignment, span, string};
use super::properties::{self, Properties};
use edx_matrix_model::Code;
use ruff_python_ast::{Expr, Stmt, StmtClassDef};
use std::collections::HashMap;
use std::ops::Range;

/// The enum of IDAs.
pub const IDA_CLASS: &str = "OpenEdxApplication";
/// The enum of MFEs.
pub const MFE_CLASS: &str = "OpenEdxMicroFrontend";
/// The enum of supported releases.
pub const RELEASE_CLASS: &str = "OpenEdxSupportedRelease";
/// The model of one release-map entry.
pub const VERSION_CLASS: &str = "OpenEdxApplicationVersion";
/// The literal type listing the stages in promotion order.
pub const STAGE_LITERAL: &str = "EnvStage";
/// The literal type listing the deployment names.
pub const DEPLOYMENT_LITERAL: &str = "OpenEdxDeploymentName";

/// One member of an enum such as `teak = ("teak", "release/teak", "3.11", "20")`.
#[derive(Clone, Debug)]
pub struct Member {
    /// The member name (`edx_platform`).
    pub name: String,
    /// The enum value (`edx-platform`).
    pub value: String,
    /// The other tuple elements, by the `__new__` parameter they bind (`repository`).
    pub fields: HashMap<String, String>,
    /// Where the member is defined.
    pub span: Range<usize>,
}

/// An enum class of `types.py`.
#[derive(Clone, Debug, Default)]
pub struct EnumClass {
    /// Its members in definition order.
    pub members: Vec<Member>,
    /// The `__new__` parameter names after `cls` (the first binds the value).
    pub params: Vec<String>,
    /// Where the class name is.
    pub span: Range<usize>,
}

impl EnumClass {
    /// Returns the member with this value.
    pub fn by_value(&self, value: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.value == value)
    }

    /// Returns the member with this name.
    pub fn by_name(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// What `types.py` defines.
#[derive(Debug, Default)]
pub struct Types {
    /// The IDA enum.
    pub idas: Option<EnumClass>,
    /// The MFE enum.
    pub mfes: Option<EnumClass>,
    /// The release enum.
    pub releases: Option<EnumClass>,
    /// The stages in promotion order.
    pub stages: Option<Vec<String>>,
    /// The allowed deployment names.
    pub deployment_names: Option<Vec<String>>,
    /// What the resolving properties do.
    pub properties: Properties,
}

/// Reads `types.py`.
pub fn read(body: &[Stmt], text: &str, sink: &mut Sink) -> Types {
    let mut types = Types::default();
    let mut version_class = None;
    for stmt in body {
        match stmt {
            Stmt::ClassDef(class) => match class.name.as_str() {
                IDA_CLASS => types.idas = Some(read_enum(class, sink)),
                MFE_CLASS => types.mfes = Some(read_enum(class, sink)),
                RELEASE_CLASS => types.releases = Some(read_enum(class, sink)),
                VERSION_CLASS => version_class = Some(class),
                _ => {}
            },
            _ => {
                if let Some((name, value)) = assignment(stmt) {
                    match name {
                        STAGE_LITERAL => types.stages = read_literal(value, sink),
                        DEPLOYMENT_LITERAL => types.deployment_names = read_literal(value, sink),
                        _ => {}
                    }
                }
            }
        }
    }
    let whole = 0..0;
    for (found, name) in [
        (types.idas.is_some(), IDA_CLASS),
        (types.releases.is_some(), RELEASE_CLASS),
        (version_class.is_some(), VERSION_CLASS),
    ] {
        if !found {
            sink.push(
                Code::PythonUnreadable,
                whole.clone(),
                format!("`types.py` defines no class `{name}`"),
                "expected here",
            );
        }
    }
    if let Some(class) = version_class {
        types.properties = properties::read(class, text, sink);
    }
    types
}

/// Reads `Literal["CI", "QA"]`.
fn read_literal(value: &Expr, sink: &mut Sink) -> Option<Vec<String>> {
    let Expr::Subscript(sub) = value else {
        sink.unreadable(value, "a `Literal[...]` of strings");
        return None;
    };
    let items: Vec<&Expr> = match sub.slice.as_ref() {
        Expr::Tuple(t) => t.elts.iter().collect(),
        other => vec![other],
    };
    let mut out = Vec::new();
    for item in items {
        out.push(sink.string(item, "a literal value")?);
    }
    Some(out)
}

fn read_enum(class: &StmtClassDef, sink: &mut Sink) -> EnumClass {
    let mut out = EnumClass {
        span: span(&class.name),
        ..Default::default()
    };
    for stmt in &class.body {
        if let Stmt::FunctionDef(f) = stmt {
            if f.name.as_str() == "__new__" {
                out.params = f
                    .parameters
                    .args
                    .iter()
                    .skip(1)
                    .map(|p| p.parameter.name.as_str().to_owned())
                    .collect();
            }
        }
    }
    for stmt in &class.body {
        let Some((name, value)) = assignment(stmt) else {
            continue;
        };
        if name.starts_with('_') {
            continue;
        }
        let elements: Vec<&Expr> = match value {
            Expr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        let expected = out.params.len().max(1);
        if elements.len() != expected {
            sink.push(
                Code::PythonUnreadable,
                span(value),
                format!(
                    "member `{name}` has {} values where `__new__` takes {expected}",
                    elements.len()
                ),
                format!("expected {expected} string literals"),
            );
            continue;
        }
        let mut strings = Vec::with_capacity(elements.len());
        for element in &elements {
            match string(element) {
                Some(s) => strings.push(s),
                None => sink.unreadable(*element, "a string literal"),
            }
        }
        if strings.len() != elements.len() {
            continue;
        }
        let mut values = strings.into_iter();
        let value_text = values.next().unwrap_or_default();
        let fields = out.params.iter().skip(1).cloned().zip(values).collect();
        out.members.push(Member {
            name: name.to_owned(),
            value: value_text,
            fields,
            span: span(stmt),
        });
    }
    out
}
