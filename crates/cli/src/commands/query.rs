//! `edx-matrix query`: the everyday lookups of domain.md.

use crate::cli::{GlobalArgs, QueryCommand, TableFormat};
use crate::error::{CmdResult, CommandError};
use crate::matrix_file;
use crate::names::require;
use crate::output::{Output, render_table, table};
use edx_matrix_model::lookup::{deployments_running, stages_on};
use edx_matrix_model::resolve::resolve_entry;
use edx_matrix_model::{AppKind, Index, Matrix};
use serde_json::json;
use std::process::ExitCode;

fn require_release(m: &Matrix, r: &str) -> Result<(), CommandError> {
    require("release", r, m.releases.iter().map(|x| x.name.as_str()))
}

fn require_deployment(m: &Matrix, d: &str) -> Result<(), CommandError> {
    require(
        "deployment",
        d,
        m.deployments.iter().map(|x| x.name.as_str()),
    )
}

fn require_application(m: &Matrix, a: &str) -> Result<(), CommandError> {
    require(
        "application",
        a,
        m.applications.iter().map(|x| x.name.as_str()),
    )
}

pub fn run(global: &GlobalArgs, out: &Output, query: &QueryCommand) -> CmdResult {
    let loaded = matrix_file::load_valid(global, out)?.into_loaded();
    let m = &loaded.matrix;
    let index = Index::new(m);
    match query {
        QueryCommand::Deployments {
            release,
            application,
            format,
        } => {
            require_release(m, release)?;
            if let Some(a) = application {
                require_application(m, a)?;
            }
            let found = deployments_running(m, &index, release, application.as_deref());
            match format {
                TableFormat::Json => out.json(&found)?,
                TableFormat::Table => {
                    let mut t = table(&["deployment", "stages"]);
                    for d in &found {
                        t.add_row(vec![d.deployment.to_owned(), d.stages.join(", ")]);
                    }
                    out.print(&render_table(&t))?;
                }
            }
        }
        QueryCommand::Stages {
            deployment,
            release,
            format,
        } => {
            require_deployment(m, deployment)?;
            require_release(m, release)?;
            let d = m
                .deployment(deployment)
                .ok_or_else(|| CommandError::usage("unreachable"))?;
            let stages = stages_on(d, release);
            match format {
                TableFormat::Json => out.json(&stages)?,
                TableFormat::Table => {
                    out.print(&stages.iter().map(|s| format!("{s}\n")).collect::<String>())?
                }
            }
        }
        QueryCommand::Release {
            deployment,
            stage,
            format,
        } => {
            require_deployment(m, deployment)?;
            let d = m
                .deployment(deployment)
                .ok_or_else(|| CommandError::usage("unreachable"))?;
            require(
                "stage of this deployment",
                stage,
                d.stages.iter().map(|p| p.stage.as_str()),
            )?;
            let release = d.release_of(stage).map(|r| r.as_str()).unwrap_or_default();
            match format {
                TableFormat::Json => out
                    .json(&json!({"deployment": deployment, "stage": stage, "release": release}))?,
                TableFormat::Table => out.print(&format!("{release}\n"))?,
            }
        }
        QueryCommand::Version {
            application,
            release,
            deployment,
            kind,
            format,
        } => {
            require_release(m, release)?;
            require_deployment(m, deployment)?;
            if let Some(a) = application {
                require_application(m, a)?;
            }
            let Some(apps) = resolve_entry(&index, release, deployment) else {
                return Err(CommandError::usage(format!(
                    "the release map has no entry for release `{release}` and deployment `{deployment}`"
                )));
            };
            let kind: Option<AppKind> = kind.map(Into::into);
            let apps: Vec<_> = apps
                .into_iter()
                .filter(|a| application.as_deref().is_none_or(|n| n == a.application))
                .filter(|a| kind.is_none_or(|k| k == a.kind))
                .collect();
            if let (Some(a), true) = (application, apps.is_empty()) {
                return Err(CommandError::usage(format!(
                    "deployment `{deployment}` does not include `{a}` on release `{release}`"
                )));
            }
            match format {
                TableFormat::Json => out.json(
                    &apps
                        .iter()
                        .map(|a| {
                            let mut o = json!({
                                "release": release, "deployment": deployment,
                                "application": a.application, "type": a.kind,
                                "git_origin": a.git_origin, "release_branch": a.release_branch,
                                "runtime_version": a.runtime_version,
                            });
                            if let Some(p) = a.path {
                                o["path"] = json!(p);
                            }
                            o
                        })
                        .collect::<Vec<_>>(),
                )?,
                TableFormat::Table => {
                    let mut t =
                        table(&["application", "type", "origin", "branch", "runtime", "path"]);
                    for a in &apps {
                        t.add_row(vec![
                            a.application.to_owned(),
                            a.kind.to_string(),
                            a.git_origin.to_owned(),
                            a.release_branch.to_owned(),
                            a.runtime_version.unwrap_or("").to_owned(),
                            a.path.unwrap_or("").to_owned(),
                        ]);
                    }
                    out.print(&render_table(&t))?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
