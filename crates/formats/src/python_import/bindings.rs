//! Attributes an enum's `__new__` binds that `export python` would not write: refused by name, so
//! nothing the package holds is dropped silently (issue 24). The export's `__new__` of each
//! generated enum binds exactly the attributes the matrix has a place for.

use super::eval::{Error, err};
use super::symbols::{File, Loc};
use crate::PythonNames;
use ruff_python_ast::{Expr, ModModule, Stmt};

/// The enums `export python` writes (role, default name) and the attributes its `__new__` binds
/// (crates/formats/src/python_export/types_py.rs).
const EXPORTED: &[(&str, &str, &[&str])] = &[
    ("application", "OpenEdxApplication", &["repository"]),
    ("mfe", "OpenEdxMicroFrontend", &["repository", "path"]),
    (
        "release",
        "OpenEdxSupportedRelease",
        &["branch", "python_version", "node_version"],
    ),
];

/// Returns an error for each `member.attr = …` in a generated enum's `__new__` whose attribute
/// the export does not bind; `names` gives the classes' Python names.
pub(super) fn not_carried(files: [(File, &ModModule); 2], names: &PythonNames) -> Vec<Error> {
    let mut errors = Vec::new();
    for (file, module) in files {
        for stmt in &module.body {
            let Stmt::ClassDef(class) = stmt else {
                continue;
            };
            let Some((_, _, exported)) = EXPORTED.iter().find(|(role, default, _)| {
                names.classes.get(*role).map_or(*default, String::as_str) == class.name.as_str()
            }) else {
                continue;
            };
            let news = class.body.iter().filter_map(|s| match s {
                Stmt::FunctionDef(f) if f.name.as_str() == "__new__" => Some(f),
                _ => None,
            });
            for new in news {
                for s in &new.body {
                    let Stmt::Assign(assign) = s else { continue };
                    let [Expr::Attribute(target)] = assign.targets.as_slice() else {
                        continue;
                    };
                    let attr = target.attr.as_str();
                    if !matches!(target.value.as_ref(), Expr::Name(_))
                        || attr == "_value_"
                        || exported.contains(&attr)
                    {
                        continue;
                    }
                    errors.push(err(
                        &Loc::of(file, s),
                        format!(
                            "`{}.__new__` binds `{attr}`, which the matrix has no place for: \
                             `export python` would not write it (it binds {})",
                            class.name,
                            exported
                                .iter()
                                .map(|a| format!("`{a}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        "not carried",
                    ));
                }
            }
        }
    }
    errors
}
