//! `version_matrix.py`: the deployments (an enum of `DeploymentEnvRelease`) and the release map
//! (`ReleaseMap`, release → deployment → application versions), overrides written explicitly.

use super::literal::{extra_value, string};
use super::names::Names;
use edx_matrix_model::{AppKind, Matrix};
use std::fmt::Write as _;

/// Renders `version_matrix.py`.
pub(super) fn render(
    matrix: &Matrix,
    names: &Names,
    header: &str,
    commits: &super::locked::LockedCommits,
) -> String {
    let release = names.class("release");
    let env_release = names.class("env_release");
    let der = names.class("deployment_env_release");
    let version = names.class("application_version");
    let deployment = names.class("deployment");
    let release_map = names.class("release_map");
    let mut imported = vec![
        der,
        env_release,
        names.class("application"),
        version,
        "OpenEdxDeploymentName",
        names.class("mfe"),
        release,
    ];
    imported.sort_unstable();
    let mut out = String::new();
    out.push_str(header);
    out.push_str("from enum import Enum\n\nfrom .types import (\n");
    for name in imported {
        let _ = writeln!(out, "    {name},");
    }
    out.push_str(")\n\n\n");

    let _ = writeln!(out, "class {deployment}(Enum):");
    if matrix.deployments.is_empty() {
        out.push_str("    pass\n");
    }
    for (d, member) in matrix.deployments.iter().zip(&names.deployments) {
        let _ = writeln!(
            out,
            "    {member} = {der}(\n        deployment_name={},\n        env_release_map=[",
            string(d.name.as_str())
        );
        for pin in &d.stages {
            let reference = matrix
                .releases
                .iter()
                .position(|r| r.name == pin.release)
                .map_or_else(
                    || string(pin.release.as_str()),
                    |i| format!("{release}.{}", names.releases[i]),
                );
            let _ = writeln!(
                out,
                "            {env_release}({}, {reference}),",
                string(pin.stage.as_str())
            );
        }
        out.push_str("        ],\n    )\n");
    }
    out.push_str("\n\n");

    let _ = writeln!(
        out,
        "{release_map}: dict[\n    {release},\n    dict[OpenEdxDeploymentName, list[{version}]],\n] = {{"
    );
    // The release map is a dict of dicts: entries of one release are written together, releases
    // in the order their first entry appears.
    let mut order: Vec<&str> = Vec::new();
    for entry in &matrix.release_map {
        if !order.contains(&entry.release.as_str()) {
            order.push(entry.release.as_str());
        }
    }
    for r in order {
        let _ = writeln!(out, "    {}: {{", string(r));
        for entry in matrix.release_map.iter().filter(|e| e.release == r) {
            let _ = writeln!(out, "        {}: [", string(entry.deployment.as_str()));
            for v in &entry.apps {
                let kind = matrix
                    .application(v.application.as_str())
                    .map_or(AppKind::Ida, |a| a.kind);
                let _ = writeln!(
                    out,
                    "            {version}(\n                application={},\n                application_type=\"{kind}\",\n                release={},",
                    string(v.application.as_str()),
                    string(v.release.as_str()),
                );
                let overrides = [
                    ("branch_override", v.branch.as_ref().map(|b| b.as_str())),
                    ("origin_override", v.origin.as_ref().map(|o| o.as_str())),
                    (
                        "runtime_version_override",
                        v.runtime.as_ref().map(|r| r.as_str()),
                    ),
                ];
                for (field, value) in overrides {
                    if let Some(value) = value {
                        let _ = writeln!(out, "                {field}={},", string(value));
                    }
                }
                if let Some(commands) = &v.translations {
                    out.push_str("                translation_overrides=[\n");
                    for c in commands {
                        let _ = writeln!(out, "                    {},", string(c));
                    }
                    out.push_str("                ],\n");
                }
                for (key, value) in v.extra.iter() {
                    let _ = writeln!(out, "                {key}={},", extra_value(value));
                }
                let key = (
                    entry.release.as_str().to_owned(),
                    entry.deployment.as_str().to_owned(),
                    v.application.as_str().to_owned(),
                );
                if let Some(stages) = commits.get(&key) {
                    out.push_str("                locked_commits={\n");
                    for (stage, commit) in stages {
                        let _ = writeln!(
                            out,
                            "                    {}: {},",
                            string(stage),
                            string(commit)
                        );
                    }
                    out.push_str("                },\n");
                }
                out.push_str("            ),\n");
            }
            out.push_str("        ],\n");
        }
        out.push_str("    },\n");
    }
    out.push_str("}\n");
    out
}
