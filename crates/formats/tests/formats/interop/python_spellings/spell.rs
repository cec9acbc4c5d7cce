//! The spelling generator: writes one matrix as a Python package in many equivalent spellings
//! (enum styles, `__new__` parameter names and order, member names ≠ values, references by
//! string / attribute / subscript / value subscript / call, property spellings, pydantic v1 and
//! v2 annotations, split and single-file layouts). Written from the model alone, never from the
//! importer.

mod data;
mod rows_script;

pub(super) use data::Data;
use edx_matrix_model::{AppKind, Matrix};
pub(super) use rows_script::ROWS_SCRIPT;
use std::fmt::Write;

/// How enums are declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EnumStyle {
    /// `class X(StrEnum)` with `str.__new__`.
    StrEnum,
    /// `class X(str, Enum)`.
    StrMixin,
    /// `class X(Enum)` with `object.__new__` and `_value_`.
    Plain,
}

/// The `__new__` parameter names and order of the release enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Params {
    /// `(cls, value, branch, python_version, node_version)`.
    Standard,
    /// `(cls, release_name, release_branch, python_version, node_version)`.
    Renamed,
    /// `(cls, py, node, name, git_branch)`: the tuple follows this order.
    Reordered,
}

/// How entries and stage pins name members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Refs {
    /// `"edx-platform"`.
    String,
    /// `OpenEdxApplication.edx_platform`.
    Attr,
    /// `OpenEdxApplication["edx_platform"]`.
    Subscript,
    /// `OpenEdxApplication["edx-platform"]` through a lookup metaclass.
    ValueSubscript,
    /// `OpenEdxApplication("edx-platform")`.
    Call,
}

/// How the resolving properties are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Props {
    /// `return self.x_override or default`.
    Or,
    /// `if self.x_override: return self.x_override` then the default.
    IfChain,
    /// `return self.x_override if self.x_override is not None else default`.
    Conditional,
}

/// Pydantic annotation style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pydantic {
    /// `str | None = None`, `A | B`.
    V2,
    /// `Optional[str] = None`, `Union[A, B]`.
    V1,
    /// `Optional[str]` without default; every entry passes every override.
    V1NoDefault,
}

/// One spelling.
#[derive(Clone, Copy, Debug)]
pub(super) struct Spelling {
    /// Everything in `version_matrix.py` (releases as a `Literal`, no runtimes or paths).
    pub single_file: bool,
    /// Enum declarations (split layout).
    pub enums: EnumStyle,
    /// Release `__new__` parameters (split layout).
    pub params: Params,
    /// Member names differ from values (upper case).
    pub renamed_members: bool,
    /// References.
    pub refs: Refs,
    /// Properties.
    pub props: Props,
    /// Annotations.
    pub pydantic: Pydantic,
    /// Release-map deployment keys as deployment enum members (else strings).
    pub member_keys: bool,
    /// How the release map's data is spelled.
    pub data: Data,
}

/// At least eight spellings, covering every option.
pub(super) fn spellings() -> Vec<Spelling> {
    use EnumStyle::*;
    use Params::*;
    use Props::*;
    use Pydantic::*;
    use Refs::*;
    let s = |single_file, enums, params, renamed_members, refs, props, pydantic, member_keys| {
        Spelling {
            single_file,
            enums,
            params,
            renamed_members,
            refs,
            props,
            pydantic,
            member_keys,
            data: Data::Plain,
        }
    };
    let with = |sp: Spelling, data| Spelling { data, ..sp };
    let mut all = vec![
        s(false, StrEnum, Standard, false, Attr, Or, V2, false),
        s(false, StrMixin, Renamed, true, String, IfChain, V1, true),
        s(
            false,
            Plain,
            Reordered,
            false,
            Subscript,
            Conditional,
            V1NoDefault,
            false,
        ),
        s(
            false,
            StrEnum,
            Renamed,
            true,
            ValueSubscript,
            IfChain,
            V2,
            true,
        ),
        s(false, StrMixin, Standard, true, Call, Or, V1, false),
        s(false, Plain, Standard, true, Attr, IfChain, V2, true),
        s(true, Plain, Standard, false, Attr, Or, V1NoDefault, false),
        s(
            true,
            Plain,
            Standard,
            true,
            Call,
            IfChain,
            V1NoDefault,
            true,
        ),
        s(
            true,
            Plain,
            Standard,
            true,
            String,
            Conditional,
            V1NoDefault,
            false,
        ),
    ];
    // The data constructs of the package's history, over a split and a single-file layout.
    all.extend([
        with(all[0], Data::Unpacked),
        with(all[3], Data::Built),
        with(all[6], Data::Unpacked),
        with(all[7], Data::Built),
    ]);
    all
}

/// The generated package.
pub(super) struct Package {
    /// `types.py` (empty for the single-file layout).
    pub types: String,
    /// `version_matrix.py`.
    pub version_matrix: String,
}

fn member(name: &str, sp: &Spelling) -> String {
    let derived = name.replace(['-', '.'], "_");
    if sp.renamed_members {
        derived.to_uppercase()
    } else {
        derived
    }
}

pub(super) fn q(s: &str) -> String {
    format!("{s:?}")
}

/// A reference to the member of `class` whose value is `value`.
fn reference(class: &str, value: &str, sp: &Spelling, in_types_literal: bool) -> String {
    if in_types_literal {
        return q(value);
    }
    match sp.refs {
        Refs::String => q(value),
        Refs::Attr => format!("{class}.{}", member(value, sp)),
        Refs::Subscript => format!("{class}[{}]", q(&member(value, sp))),
        Refs::ValueSubscript => format!("{class}[{}]", q(value)),
        Refs::Call => format!("{class}({})", q(value)),
    }
}

const META: &str = "class EnumInvertedLookupMeta(EnumMeta):\n    def __getitem__(cls, item):\n        try:\n            return cls._member_map_[item]\n        except KeyError:\n            return {m.value: m for m in cls._member_map_.values()}[item]\n\n\n";

fn enum_head(name: &str, sp: &Spelling) -> String {
    let meta = if sp.refs == Refs::ValueSubscript {
        ", metaclass=EnumInvertedLookupMeta"
    } else {
        ""
    };
    match sp.enums {
        EnumStyle::StrEnum => format!("class {name}(StrEnum{meta}):\n"),
        EnumStyle::StrMixin => format!("class {name}(str, Enum{meta}):\n"),
        EnumStyle::Plain => format!("class {name}(Enum{meta}):\n"),
    }
}

fn new_fn(params: &[&str], value: &str, attrs: &[(&str, &str)], sp: &Spelling) -> String {
    let mut out = format!("    def __new__(cls, {}):\n", params.join(", "));
    match sp.enums {
        EnumStyle::Plain => out.push_str("        element = object.__new__(cls)\n"),
        _ => writeln!(out, "        element = str.__new__(cls, {value})").unwrap(),
    }
    writeln!(out, "        element._value_ = {value}").unwrap();
    for (attr, param) in attrs {
        writeln!(out, "        element.{attr} = {param}").unwrap();
    }
    out.push_str("        return element\n\n");
    out
}

fn optional(sp: &Spelling, ty: &str) -> String {
    match sp.pydantic {
        Pydantic::V2 => format!("{ty} | None = None"),
        Pydantic::V1 => format!("Optional[{ty}] = None"),
        Pydantic::V1NoDefault => format!("Optional[{ty}]"),
    }
}

fn union(sp: &Spelling, a: &str, b: &str) -> String {
    match sp.pydantic {
        Pydantic::V2 => format!("{a} | {b}"),
        _ => format!("Union[{a}, {b}]"),
    }
}

fn property(name: &str, field: &str, default: &str, sp: &Spelling) -> String {
    let body = match sp.props {
        Props::Or => format!("        return self.{field} or {default}\n"),
        Props::IfChain => format!(
            "        if self.{field}:\n            return self.{field}\n        return {default}\n"
        ),
        Props::Conditional => {
            format!("        return self.{field} if self.{field} is not None else {default}\n")
        }
    };
    format!("    @property\n    def {name}(self) -> str:\n{body}\n")
}

fn runtime_property(sp: &Spelling) -> String {
    let body = match sp.props {
        Props::Or => "        return self.runtime_version_override or (\n            self.release.python_version if self.application_type == \"IDA\" else self.release.node_version\n        )\n".to_owned(),
        Props::IfChain => "        if self.runtime_version_override:\n            return self.runtime_version_override\n        if self.application_type == \"IDA\":\n            return self.release.python_version\n        return self.release.node_version\n".to_owned(),
        Props::Conditional => "        default = self.release.python_version if self.application_type == \"IDA\" else self.release.node_version\n        return self.runtime_version_override if self.runtime_version_override is not None else default\n".to_owned(),
    };
    format!("    @property\n    def runtime_version(self) -> str:\n{body}\n")
}

/// Writes `m` in spelling `sp`. For the single-file layout, `m` must record no runtimes, paths
/// or translations.
pub(super) fn write(m: &Matrix, sp: &Spelling) -> Package {
    let idas: Vec<_> = m
        .applications
        .iter()
        .filter(|a| a.kind == AppKind::Ida)
        .collect();
    let mfes: Vec<_> = m
        .applications
        .iter()
        .filter(|a| a.kind == AppKind::Mfe)
        .collect();
    let mut t = String::new();
    t.push_str("from enum import Enum, EnumMeta\n");
    if sp.enums == EnumStyle::StrEnum {
        t.push_str("from enum import StrEnum\n");
    }
    t.push_str("from typing import Literal, NamedTuple, Optional, Union\nfrom collections import namedtuple\n\nfrom pydantic import BaseModel\n\n\n");
    if sp.refs == Refs::ValueSubscript {
        t.push_str(META);
    }
    let release_ref = |r: &str| {
        if sp.single_file {
            q(r)
        } else {
            reference("OpenEdxSupportedRelease", r, sp, false)
        }
    };
    if sp.single_file {
        for (class, apps) in [
            ("OpenEdxApplication", &idas),
            ("OpenEdxMicroFrontend", &mfes),
        ] {
            t.push_str(&enum_head(class, sp));
            if apps.is_empty() {
                t.push_str("    pass\n");
            }
            for a in apps.iter() {
                writeln!(
                    t,
                    "    {} = {}",
                    member(a.name.as_str(), sp),
                    q(a.name.as_str())
                )
                .unwrap();
            }
            t.push_str("\n\n");
        }
        let names: Vec<String> = m.releases.iter().map(|r| q(r.name.as_str())).collect();
        writeln!(t, "OpenEdxSupportedRelease = Literal[{}]", names.join(", ")).unwrap();
        t.push_str("OpenEdxBranchMap: dict[OpenEdxSupportedRelease, str] = {\n");
        for r in &m.releases {
            writeln!(t, "    {}: {},", q(r.name.as_str()), q(r.branch.as_str())).unwrap();
        }
        t.push_str("}\n\nOpenEdxRepoMap = {\n");
        for (class, apps) in [
            ("OpenEdxApplication", &idas),
            ("OpenEdxMicroFrontend", &mfes),
        ] {
            for a in apps.iter() {
                let repo = a.repository.as_ref().map_or("", |r| r.as_str());
                writeln!(
                    t,
                    "    {class}.{}: {},",
                    member(a.name.as_str(), sp),
                    q(repo)
                )
                .unwrap();
            }
        }
        t.push_str("}\n\nEnvRelease = namedtuple(\"EnvRelease\", (\"environment\", \"edx_release\"))\n\n\n");
    } else {
        // Applications.
        for (class, apps, mfe) in [
            ("OpenEdxApplication", &idas, false),
            ("OpenEdxMicroFrontend", &mfes, true),
        ] {
            t.push_str(&enum_head(class, sp));
            let attrs: Vec<(&str, &str)> = if mfe {
                vec![("repository", "repository"), ("path", "path")]
            } else {
                vec![("repository", "repository")]
            };
            let params: Vec<&str> = std::iter::once("app")
                .chain(attrs.iter().map(|(_, p)| *p))
                .collect();
            t.push_str(&new_fn(&params, "app", &attrs, sp));
            for a in apps.iter() {
                let repo = a.repository.as_ref().map_or("", |r| r.as_str());
                let mut tuple = vec![q(a.name.as_str()), q(repo)];
                if mfe {
                    tuple.push(q(a.path.as_ref().map_or("", |p| p.as_str())));
                }
                writeln!(
                    t,
                    "    {} = ({})",
                    member(a.name.as_str(), sp),
                    tuple.join(", ")
                )
                .unwrap();
            }
            t.push_str("\n\n");
        }
        // Releases.
        t.push_str(&enum_head("OpenEdxSupportedRelease", sp));
        let (params, value, attrs): (Vec<&str>, &str, Vec<(&str, &str)>) = match sp.params {
            Params::Standard => (
                vec!["value", "branch", "python_version", "node_version"],
                "value",
                vec![
                    ("branch", "branch"),
                    ("python_version", "python_version"),
                    ("node_version", "node_version"),
                ],
            ),
            Params::Renamed => (
                vec![
                    "release_name",
                    "release_branch",
                    "python_version",
                    "node_version",
                ],
                "release_name",
                vec![
                    ("branch", "release_branch"),
                    ("python_version", "python_version"),
                    ("node_version", "node_version"),
                ],
            ),
            Params::Reordered => (
                vec!["py", "node", "name", "git_branch"],
                "name",
                vec![
                    ("node_version", "node"),
                    ("branch", "git_branch"),
                    ("python_version", "py"),
                ],
            ),
        };
        t.push_str(&new_fn(&params, value, &attrs, sp));
        for r in &m.releases {
            let (py, node) = (
                q(r.python.as_ref().map_or("", |v| v.as_str())),
                q(r.node.as_ref().map_or("", |v| v.as_str())),
            );
            let (name, branch) = (q(r.name.as_str()), q(r.branch.as_str()));
            let tuple = match sp.params {
                Params::Reordered => [py, node, name, branch],
                _ => [name, branch, py, node],
            };
            writeln!(
                t,
                "    {} = ({})",
                member(r.name.as_str(), sp),
                tuple.join(", ")
            )
            .unwrap();
        }
        t.push_str("\n\n");
        let stages: Vec<String> = m.stages.iter().map(|s| q(s.as_str())).collect();
        writeln!(t, "EnvStage = Literal[{}]\n\n", stages.join(", ")).unwrap();
        t.push_str("class EnvRelease(NamedTuple):\n    environment: EnvStage\n    edx_release: OpenEdxSupportedRelease\n\n\n");
    }
    t.push_str("class DeploymentEnvRelease(BaseModel):\n    deployment_name: str\n    env_release_map: list[EnvRelease]\n\n\n");
    // The entry class.
    let (app_f, rel_f) = if sp.single_file {
        ("application_name", "release_name")
    } else {
        ("application", "release")
    };
    t.push_str("class OpenEdxApplicationVersion(BaseModel):\n");
    writeln!(
        t,
        "    {app_f}: {}",
        union(sp, "OpenEdxApplication", "OpenEdxMicroFrontend")
    )
    .unwrap();
    writeln!(t, "    {rel_f}: OpenEdxSupportedRelease").unwrap();
    t.push_str("    application_type: Literal[\"MFE\", \"IDA\"]\n");
    let overrides: &[&str] = if sp.single_file {
        &["branch_override", "origin_override"]
    } else {
        &[
            "branch_override",
            "origin_override",
            "runtime_version_override",
        ]
    };
    for o in overrides {
        writeln!(t, "    {o}: {}", optional(sp, "str")).unwrap();
    }
    if !sp.single_file {
        writeln!(
            t,
            "    translation_overrides: {}",
            optional(sp, "list[str]")
        )
        .unwrap();
    }
    // A field the matrix does not read (kept as `extra`); `build_args` is not declared at all.
    writeln!(t, "    branding: {}", optional(sp, "dict")).unwrap();
    t.push('\n');
    if sp.single_file {
        t.push_str(&property(
            "release_branch",
            "branch_override",
            &format!("OpenEdxBranchMap[self.{rel_f}]"),
            sp,
        ));
        t.push_str(&property(
            "git_origin",
            "origin_override",
            &format!("OpenEdxRepoMap[self.{app_f}]"),
            sp,
        ));
    } else {
        t.push_str(&runtime_property(sp));
        t.push_str(&property(
            "release_branch",
            "branch_override",
            "self.release.branch",
            sp,
        ));
        t.push_str(&property(
            "git_origin",
            "origin_override",
            "self.application.repository",
            sp,
        ));
    }
    // version_matrix.py.
    let mut v = String::new();
    if sp.single_file {
        v.push_str(&t);
        v.push('\n');
    } else {
        v.push_str("from enum import Enum\n\nfrom matrixpkg.types import (\n    DeploymentEnvRelease,\n    EnvRelease,\n    OpenEdxApplication,\n    OpenEdxApplicationVersion,\n    OpenEdxMicroFrontend,\n    OpenEdxSupportedRelease,\n)\n\n\n");
    }
    v.push_str("class OpenLearningOpenEdxDeployment(Enum):\n");
    for d in &m.deployments {
        writeln!(v, "    {} = DeploymentEnvRelease(\n        deployment_name={},\n        env_release_map=[", member(d.name.as_str(), sp), q(d.name.as_str())).unwrap();
        for p in &d.stages {
            writeln!(
                v,
                "            EnvRelease({}, {}),",
                q(p.stage.as_str()),
                release_ref(p.release.as_str())
            )
            .unwrap();
        }
        v.push_str("        ],\n    )\n");
    }
    let mut releases: Vec<&str> = Vec::new();
    for e in &m.release_map {
        if !releases.contains(&e.release.as_str()) {
            releases.push(e.release.as_str());
        }
    }
    let mut blocks: data::Blocks = Vec::new();
    for r in releases {
        let mut deployments = Vec::new();
        for e in m.release_map.iter().filter(|e| e.release == r) {
            let key = if sp.member_keys {
                if sp.single_file {
                    format!(
                        "OpenLearningOpenEdxDeployment.{}.value.deployment_name",
                        member(e.deployment.as_str(), sp)
                    )
                } else {
                    format!(
                        "OpenLearningOpenEdxDeployment.{}",
                        member(e.deployment.as_str(), sp)
                    )
                }
            } else {
                q(e.deployment.as_str())
            };
            let mut entries = Vec::new();
            for a in &e.apps {
                let app = m
                    .applications
                    .iter()
                    .find(|x| x.name == a.application)
                    .unwrap();
                let class = if app.kind == AppKind::Mfe {
                    "OpenEdxMicroFrontend"
                } else {
                    "OpenEdxApplication"
                };
                let app_ref = if sp.single_file && sp.refs == Refs::String {
                    format!("{class}.{}", member(app.name.as_str(), sp))
                } else {
                    reference(class, app.name.as_str(), sp, false)
                };
                let explicit = sp.pydantic == Pydantic::V1NoDefault;
                let fields: Vec<(&str, Option<String>)> = vec![
                    ("branch_override", a.branch.as_ref().map(|b| b.to_string())),
                    ("origin_override", a.origin.as_ref().map(|b| b.to_string())),
                    (
                        "runtime_version_override",
                        a.runtime.as_ref().map(|b| b.to_string()),
                    ),
                ];
                let mut rest = Vec::new();
                for (f, val) in fields {
                    if !overrides.contains(&f) {
                        continue;
                    }
                    match val {
                        Some(x) => rest.push((f.to_owned(), q(&x))),
                        None if explicit => rest.push((f.to_owned(), "None".to_owned())),
                        None => {}
                    }
                }
                if !sp.single_file {
                    match &a.translations {
                        Some(cmds) => rest.push((
                            "translation_overrides".to_owned(),
                            format!(
                                "[{}]",
                                cmds.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
                            ),
                        )),
                        None if explicit => {
                            rest.push(("translation_overrides".to_owned(), "None".to_owned()))
                        }
                        None => {}
                    }
                }
                match a.extra.get("branding") {
                    Some(x) => rest.push(("branding".to_owned(), py_literal(x))),
                    None if explicit => rest.push(("branding".to_owned(), "None".to_owned())),
                    None => {}
                }
                if let Some(x) = a.extra.get("build_args") {
                    rest.push(("build_args".to_owned(), py_literal(x)));
                }
                entries.push(data::Entry {
                    app: (app_f.to_owned(), app_ref),
                    release: (rel_f.to_owned(), release_ref(a.release.as_str())),
                    kind: app.kind.as_str().to_owned(),
                    rest,
                });
            }
            deployments.push((key, entries));
        }
        blocks.push((release_ref(r), deployments));
    }
    v.push_str(&data::release_map(&blocks, sp));
    Package {
        types: if sp.single_file { String::new() } else { t },
        version_matrix: v,
    }
}

/// An extra value as a Python literal, written here from the model (not by the export).
fn py_literal(v: &edx_matrix_model::ExtraValue) -> String {
    use edx_matrix_model::ExtraValue as X;
    match v {
        X::String(s) => q(s),
        X::Integer(i) => i.to_string(),
        X::Float(f) => f.0.clone(),
        X::Boolean(b) => if *b { "True" } else { "False" }.to_owned(),
        X::List(items) => format!(
            "[{}]",
            items.iter().map(py_literal).collect::<Vec<_>>().join(", ")
        ),
        X::Table(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, x)| format!("{}: {}", q(k), py_literal(x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
