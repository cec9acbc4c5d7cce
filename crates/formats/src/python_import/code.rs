//! The package's hand-written code, kept verbatim for `export python` ([`PythonCode`]): the
//! statements of the classes the export generates that it does not write itself (docstrings,
//! methods, classmethods, staticmethods, properties) and their metaclasses, and each file's
//! module-level imports, functions and other classes (a lookup metaclass). The data —
//! annotated fields, members, module-level values — is regenerated from the matrix, not kept.

use super::expr::span;
use crate::PythonNames;
use crate::python_names::PythonCode;
use ruff_python_ast::{Expr, ModModule, Stmt, StmtClassDef};

/// The classes `export python` writes (role, default name) and the members it writes in each.
const GENERATED: &[(&str, &str, &[&str])] = &[
    ("application", "OpenEdxApplication", &["__new__"]),
    ("mfe", "OpenEdxMicroFrontend", &["__new__"]),
    (
        "release",
        "OpenEdxSupportedRelease",
        &["__new__", "__str__"],
    ),
    ("env_release", "EnvRelease", &[]),
    (
        "deployment_env_release",
        "DeploymentEnvRelease",
        &[
            "envs_by_release",
            "release_by_env",
            "environments",
            "releases",
        ],
    ),
    (
        "application_version",
        "OpenEdxApplicationVersion",
        &["runtime_version", "release_branch", "git_origin"],
    ),
    ("deployment", "OpenLearningOpenEdxDeployment", &[]),
];

/// The imports `export python` writes itself (not kept twice).
const EXPORT_IMPORTS: &[&str] = &[
    "from enum import StrEnum",
    "from enum import Enum",
    "from typing import Literal, NamedTuple, Optional",
    "from pydantic import BaseModel",
];

/// Collects the hand-written code of both files; `names` gives the classes' Python names.
pub(super) fn collect(files: [(&str, &ModModule, &str); 2], names: &PythonNames) -> PythonCode {
    let generated: Vec<(String, &[&str])> = GENERATED
        .iter()
        .map(|(role, default, own)| {
            let name = names.classes.get(*role).map_or(*default, String::as_str);
            (name.to_owned(), *own)
        })
        .collect();
    let mut code = PythonCode::default();
    for (file, module, text) in files {
        let mut kept = Vec::new();
        // Imports of what the export writes anyway are kept only beside code that may use them.
        let mut standard_imports = Vec::new();
        let mut other = false;
        for stmt in &module.body {
            match stmt {
                Stmt::ClassDef(c) => match generated.iter().find(|(n, _)| c.name.as_str() == n) {
                    Some((name, own)) => other |= class_code(c, name, own, text, &mut code),
                    None => {
                        other = true;
                        kept.push((false, verbatim(stmt, text)));
                    }
                },
                Stmt::FunctionDef(_) => {
                    other = true;
                    kept.push((false, verbatim(stmt, text)));
                }
                Stmt::Import(_) => kept.push((true, verbatim(stmt, text))),
                Stmt::ImportFrom(_) if EXPORT_IMPORTS.contains(&verbatim(stmt, text).trim()) => {}
                Stmt::ImportFrom(i)
                    if i.level == 0
                        && i.module.as_ref().is_some_and(|m| {
                            ["enum", "typing", "pydantic", "collections"].contains(&m.as_str())
                        }) =>
                {
                    standard_imports.push((kept.len(), verbatim(stmt, text)));
                }
                // The package's own `types` module: the export writes that import itself.
                Stmt::ImportFrom(i)
                    if i.level == 0
                        && !i.module.as_ref().is_some_and(|m| {
                            m.as_str() == "types" || m.as_str().ends_with(".types")
                        }) =>
                {
                    kept.push((true, verbatim(stmt, text)));
                }
                _ => {}
            }
        }
        if other || !kept.is_empty() {
            for (at, import) in standard_imports.into_iter().rev() {
                kept.insert(at, (true, import));
            }
        }
        if !kept.is_empty() {
            let mut out = String::new();
            let mut last_import = true;
            for (import, piece) in kept {
                if !out.is_empty() {
                    out.push_str(if import && last_import {
                        "\n"
                    } else {
                        "\n\n\n"
                    });
                }
                out.push_str(&piece);
                last_import = import;
            }
            code.modules.insert(file.to_owned(), out);
        }
    }
    code
}

/// Keeps what a generated class holds beyond what the export writes into it; returns whether
/// there is any.
fn class_code(
    c: &StmtClassDef,
    name: &str,
    own: &[&str],
    text: &str,
    code: &mut PythonCode,
) -> bool {
    let mut kept = Vec::new();
    for (i, stmt) in c.body.iter().enumerate() {
        let keep = match stmt {
            Stmt::FunctionDef(f) => !own.contains(&f.name.as_str()),
            Stmt::Expr(x) => i == 0 && matches!(x.value.as_ref(), Expr::StringLiteral(_)),
            _ => false,
        };
        if keep {
            kept.push(verbatim(stmt, text));
        }
    }
    if !kept.is_empty() {
        code.classes.insert(name.to_owned(), kept.join("\n\n"));
    }
    let metaclass = c.arguments.as_ref().and_then(|a| {
        a.keywords.iter().find_map(|k| {
            (k.arg.as_ref().is_some_and(|n| n.as_str() == "metaclass"))
                .then(|| text.get(span(&k.value)).unwrap_or_default())
        })
    });
    if let Some(m) = metaclass {
        code.metaclasses.insert(name.to_owned(), m.to_owned());
    }
    !kept.is_empty() || metaclass.is_some()
}

/// The text of a statement from the start of its first line (its indentation, its decorators).
fn verbatim(stmt: &Stmt, text: &str) -> String {
    let range = span(stmt);
    let start = text
        .get(..range.start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    text.get(start..range.end).unwrap_or_default().to_owned()
}
