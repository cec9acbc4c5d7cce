//! `types.py`: the enums of releases and applications, the stage and deployment name literals,
//! and the pydantic models whose properties resolve an entry, in the current layout.

use super::literal::{literal_alias, optional, string};
use super::names::Names;
use edx_matrix_model::{AppKind, Application, Matrix};
use std::fmt::Write as _;

/// Renders `types.py`.
pub(super) fn render(matrix: &Matrix, names: &Names, header: &str, locked: bool) -> String {
    let app = names.class("application");
    let mfe = names.class("mfe");
    let release = names.class("release");
    let env_release = names.class("env_release");
    let der = names.class("deployment_env_release");
    let version = names.class("application_version");
    let mut out = String::new();
    out.push_str(header);
    let extra = extra_names(matrix);
    let any = if extra.is_empty() { "" } else { "Any, " };
    let _ = write!(
        out,
        "from enum import StrEnum\nfrom typing import {any}Literal, NamedTuple, Optional\n\nfrom pydantic import BaseModel\n\n\n",
    );

    write_application_enum(
        &mut out,
        matrix,
        names,
        AppKind::Ida,
        app,
        "    repository: str\n\n    def __new__(cls, app: str, repository: str):\n        element = str.__new__(cls, app)\n        element._value_ = app\n        element.repository = repository\n        return element\n",
        |a| format!("({}, {})", string(a.name.as_str()), string(repository(a))),
    );
    write_application_enum(
        &mut out,
        matrix,
        names,
        AppKind::Mfe,
        mfe,
        "    repository: str\n    path: str\n\n    def __new__(cls, app: str, repository: str, path: str):\n        element = str.__new__(cls, app)\n        element._value_ = app\n        element.repository = repository\n        element.path = path\n        return element\n",
        |a| {
            format!(
                "(\n        {},\n        {},\n        {},\n    )",
                string(a.name.as_str()),
                string(repository(a)),
                optional(a.path.as_ref().map(|p| p.as_str())),
            )
        },
    );

    let _ = writeln!(
        out,
        "EnvStage = {}",
        literal_alias(matrix.stages.iter().map(|s| s.as_str()))
    );
    out.push_str("OpenEdxApplicationType = Literal[\"MFE\", \"IDA\"]\n");
    let _ = writeln!(
        out,
        "OpenEdxDeploymentName = {}\n\n",
        literal_alias(matrix.deployments.iter().map(|d| d.name.as_str()))
    );

    let _ = writeln!(out, "class {release}(StrEnum):");
    out.push_str(
        "    branch: str\n    python_version: str\n    node_version: str\n\n    def __new__(cls, name: str, branch: str, python_version: str, node_version: str):\n        element = str.__new__(cls, name)\n        element._value_ = name\n        element.branch = branch\n        element.python_version = python_version\n        element.node_version = node_version\n        return element\n",
    );
    if !matrix.releases.is_empty() {
        out.push('\n');
    }
    for (r, member) in matrix.releases.iter().zip(&names.releases) {
        let _ = writeln!(
            out,
            "    {member} = ({}, {}, {}, {})",
            string(r.name.as_str()),
            string(r.branch.as_str()),
            optional(r.python.as_ref().map(|v| v.as_str())),
            optional(r.node.as_ref().map(|v| v.as_str())),
        );
    }
    out.push_str("\n    def __str__(self):\n        return self.value\n\n\n");

    let mut extra_fields: String = extra
        .iter()
        .map(|k| format!("    {k}: Any = None\n"))
        .collect();
    if locked {
        extra_fields.push_str(super::locked::FIELD);
    }
    let _ = write!(
        out,
        "class {env_release}(NamedTuple):
    environment: EnvStage
    edx_release: {release}


class {der}(BaseModel):
    deployment_name: OpenEdxDeploymentName
    env_release_map: list[{env_release}]

    def envs_by_release(self, release_name: {release}) -> list[EnvStage]:
        return [
            env_release.environment
            for env_release in self.env_release_map
            if env_release.edx_release == release_name
        ]

    def release_by_env(self, env_stage: EnvStage) -> {release} | None:
        for env_release in self.env_release_map:
            if env_release.environment == env_stage:
                return env_release.edx_release
        return None

    @property
    def environments(self) -> list[EnvStage]:
        return [env_release.environment for env_release in self.env_release_map]

    @property
    def releases(self) -> set[{release}]:
        return {{env_release.edx_release for env_release in self.env_release_map}}


class {version}(BaseModel):
    application: {app} | {mfe}
    release: {release}
    application_type: OpenEdxApplicationType
    branch_override: Optional[str] = None
    origin_override: Optional[str] = None
    runtime_version_override: Optional[str] = None
    translation_overrides: Optional[list[str]] = None
{extra_fields}
    @property
    def runtime_version(self) -> str:
        default = self.release.python_version if self.application_type == \"IDA\" else self.release.node_version
        return self.runtime_version_override or default

    @property
    def release_branch(self) -> str:
        return self.branch_override or self.release.branch

    @property
    def git_origin(self) -> str:
        return self.origin_override or self.application.repository
"
    );
    if locked {
        out.push_str(super::locked::METHOD);
    }
    out
}

/// The names of the entries' extra values, in first-seen order: each is a field of the entry
/// class (`Any`, default `None`, as an entry without it reads).
fn extra_names(matrix: &Matrix) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for v in matrix.release_map.iter().flat_map(|e| &e.apps) {
        for (k, _) in v.extra.iter() {
            if !names.contains(&k.as_str()) {
                names.push(k);
            }
        }
    }
    names
}

/// Writes the enum of the applications of one `kind`: the class line, `body` (its attributes and
/// `__new__`), then `member = value(application)` for each, set off by a blank line when there
/// are any (IDAs and MFEs are two classes with differently shaped members).
fn write_application_enum(
    out: &mut String,
    matrix: &Matrix,
    names: &Names,
    kind: AppKind,
    class: &str,
    body: &str,
    value: impl Fn(&Application) -> String,
) {
    let _ = writeln!(out, "class {class}(StrEnum):");
    out.push_str(body);
    let mut any = false;
    for (a, member) in matrix.applications.iter().zip(&names.applications) {
        if a.kind != kind {
            continue;
        }
        if !any {
            out.push('\n');
            any = true;
        }
        let _ = writeln!(out, "    {member} = {}", value(a));
    }
    out.push_str("\n\n");
}

/// The repository an application enum member carries (empty when the matrix records none).
fn repository(application: &Application) -> &str {
    application.repository.as_ref().map_or("", |r| r.as_str())
}
