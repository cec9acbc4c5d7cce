//! The symbol table of a Python matrix package: every module-level class and assignment of
//! `types.py` and `version_matrix.py`, and which classes are enums (with their members and the
//! `__new__` that binds their attributes). Nothing is evaluated here; `eval` does that on demand.

use super::expr::span;
use indexmap::IndexMap;
use ruff_python_ast::{Expr, Stmt, StmtClassDef, StmtFunctionDef};
use std::collections::HashMap;
use std::ops::Range;

/// Which of the two files a node is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum File {
    /// `types.py`.
    Types,
    /// `version_matrix.py`.
    VersionMatrix,
}

/// A place in one of the files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Loc {
    /// The file.
    pub file: File,
    /// The byte range.
    pub span: Range<usize>,
}

impl Loc {
    /// Returns the place of `node` in `file`.
    pub(super) fn of(file: File, node: &impl ruff_text_size::Ranged) -> Self {
        Loc {
            file,
            span: span(node),
        }
    }
}

/// One member of an enum class, not yet evaluated.
#[derive(Clone, Debug)]
pub(super) struct Member<'a> {
    /// The member name (`edxapp`).
    pub name: String,
    /// The assigned expression (`("edx-platform", "https://…")`).
    pub expr: &'a Expr,
    /// Where the member is defined.
    pub at: Loc,
}

/// An enum class.
#[derive(Clone, Debug)]
pub(super) struct Enum<'a> {
    /// The class name.
    pub name: String,
    /// Whether members compare equal to their string values (`StrEnum`, `(str, Enum)`).
    pub str_like: bool,
    /// Whether `Class["x"]` also finds a member by value (a lookup metaclass with `__getitem__`).
    pub lookup_by_value: bool,
    /// Its `__new__`, which binds member tuples to attributes.
    pub new: Option<&'a StmtFunctionDef>,
    /// The members in definition order.
    pub members: Vec<Member<'a>>,
}

/// A module-level class that is not an enum (a pydantic model, a `NamedTuple`).
#[derive(Clone, Debug)]
pub(super) struct Class<'a> {
    /// The definition.
    pub def: &'a StmtClassDef,
    /// The file it is in.
    pub file: File,
}

impl<'a> Class<'a> {
    /// Returns the annotated fields in order: name, annotation, default.
    pub(super) fn fields(&self) -> Vec<(&'a str, &'a Expr, Option<&'a Expr>)> {
        let def: &'a StmtClassDef = self.def;
        def.body
            .iter()
            .filter_map(|s| match s {
                Stmt::AnnAssign(a) => match a.target.as_ref() {
                    Expr::Name(n) => {
                        Some((n.id.as_str(), a.annotation.as_ref(), a.value.as_deref()))
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    /// Returns the method called `name`.
    pub(super) fn method(&self, name: &str) -> Option<&'a StmtFunctionDef> {
        let def: &'a StmtClassDef = self.def;
        def.body.iter().find_map(|s| match s {
            Stmt::FunctionDef(f) if f.name.as_str() == name => Some(f),
            _ => None,
        })
    }
}

/// A module-level function (a helper the data calls).
#[derive(Clone, Debug)]
pub(super) struct Function<'a> {
    /// The definition.
    pub def: &'a StmtFunctionDef,
    /// The file it is in.
    pub file: File,
}

/// A module-level assignment.
#[derive(Clone, Debug)]
pub(super) struct Assign<'a> {
    /// The assigned value.
    pub value: &'a Expr,
    /// The file it is in.
    pub file: File,
}

/// Every module-level name of the two files (a later definition replaces an earlier one, as
/// Python rebinds names; `version_matrix.py` sees the names it imports from `types.py`).
#[derive(Debug, Default)]
pub(super) struct Symbols<'a> {
    /// Enum classes by name.
    pub enums: Vec<Enum<'a>>,
    /// Other classes by name.
    pub classes: HashMap<String, Class<'a>>,
    /// Module-level assignments by name, in file order (a map: a package of 100k assignments
    /// must not look each name up by a scan).
    pub assigns: IndexMap<String, Assign<'a>>,
    /// Module-level functions by name.
    pub functions: HashMap<String, Function<'a>>,
}

impl<'a> Symbols<'a> {
    /// Collects the symbols of both files.
    pub(super) fn collect(files: &[(File, &'a [Stmt])]) -> Self {
        let mut out = Symbols::default();
        // Metaclasses: classes deriving from `EnumMeta`/`EnumType` that define `__getitem__`.
        let mut lookup_metas = Vec::new();
        for (_, body) in files {
            for stmt in *body {
                if let Stmt::ClassDef(c) = stmt {
                    let bases = base_names(c);
                    if bases.iter().any(|b| *b == "EnumMeta" || *b == "EnumType")
                        && c.body.iter().any(
                            |s| matches!(s, Stmt::FunctionDef(f) if f.name.as_str() == "__getitem__"),
                        )
                    {
                        lookup_metas.push(c.name.as_str().to_owned());
                    }
                }
            }
        }
        for (file, body) in files {
            for stmt in *body {
                match stmt {
                    Stmt::ClassDef(c) => {
                        let name = c.name.as_str().to_owned();
                        let bases = base_names(c);
                        let metaclass = c.arguments.as_ref().and_then(|a| {
                            a.keywords.iter().find_map(|k| {
                                match (k.arg.as_ref().map(|i| i.as_str()), &k.value) {
                                    (Some("metaclass"), Expr::Name(n)) => {
                                        Some(n.id.as_str().to_owned())
                                    }
                                    _ => None,
                                }
                            })
                        });
                        let is_enum = bases.iter().any(|b| b.ends_with("Enum"));
                        out.enums.retain(|e| e.name != name);
                        out.classes.remove(&name);
                        out.functions.remove(&name);
                        if is_enum {
                            out.enums.push(read_enum(
                                *file,
                                c,
                                bases.iter().any(|b| *b == "str" || *b == "StrEnum"),
                                metaclass.is_some_and(|m| lookup_metas.contains(&m)),
                            ));
                        } else {
                            out.classes.insert(
                                name,
                                Class {
                                    def: c,
                                    file: *file,
                                },
                            );
                        }
                    }
                    Stmt::FunctionDef(f) => {
                        let name = f.name.as_str();
                        out.assigns.shift_remove(name);
                        out.functions.insert(
                            name.to_owned(),
                            Function {
                                def: f,
                                file: *file,
                            },
                        );
                    }
                    Stmt::Assign(a) => {
                        if let [Expr::Name(n)] = a.targets.as_slice() {
                            out.assign(n.id.as_str(), &a.value, *file);
                        }
                    }
                    Stmt::AnnAssign(a) => {
                        if let (Expr::Name(n), Some(value)) =
                            (a.target.as_ref(), a.value.as_deref())
                        {
                            out.assign(n.id.as_str(), value, *file);
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }

    fn assign(&mut self, name: &str, value: &'a Expr, file: File) {
        // A rebound name moves to the end, as it would in file order (rare: a shift only then).
        self.assigns.shift_remove(name);
        self.functions.remove(name);
        self.assigns.insert(name.to_owned(), Assign { value, file });
    }

    /// Returns the enum class called `name`, with its index.
    pub(super) fn enum_named(&self, name: &str) -> Option<usize> {
        self.enums.iter().position(|e| e.name == name)
    }

    /// Returns the module-level assignment of `name`.
    pub(super) fn assigned(&self, name: &str) -> Option<&Assign<'a>> {
        self.assigns.get(name)
    }
}

/// Returns the simple names of a class's bases (`Enum` for `enum.Enum`).
fn base_names(c: &StmtClassDef) -> Vec<&str> {
    c.arguments
        .as_ref()
        .map(|a| {
            a.args
                .iter()
                .filter_map(|b| match b {
                    Expr::Name(n) => Some(n.id.as_str()),
                    Expr::Attribute(a) => Some(a.attr.as_str()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn read_enum<'a>(file: File, c: &'a StmtClassDef, str_like: bool, lookup: bool) -> Enum<'a> {
    let mut out = Enum {
        name: c.name.as_str().to_owned(),
        str_like,
        lookup_by_value: lookup,
        new: None,
        members: Vec::new(),
    };
    for stmt in &c.body {
        let (name, value) = match stmt {
            Stmt::FunctionDef(f) if f.name.as_str() == "__new__" => {
                out.new = Some(f);
                continue;
            }
            Stmt::Assign(a) => match a.targets.as_slice() {
                [Expr::Name(n)] => (n.id.as_str(), a.value.as_ref()),
                _ => continue,
            },
            Stmt::AnnAssign(a) => match (a.target.as_ref(), a.value.as_deref()) {
                (Expr::Name(n), Some(v)) => (n.id.as_str(), v),
                _ => continue,
            },
            _ => continue,
        };
        if name.starts_with('_') {
            continue;
        }
        out.members.push(Member {
            name: name.to_owned(),
            expr: value,
            at: Loc::of(file, stmt),
        });
    }
    out
}
