//! `edx-matrix query`: the everyday lookups of `docs/domain.md#the-lookups`.

use crate::args::KindArg;
use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError};
use crate::format::{Format, TABLE, formats};
use crate::matrix_file;
use crate::names::{parse, require, require_stage_of};
use crate::output::{Output, render_table, table};
use edx_matrix_model::known_names::NameKind;
use edx_matrix_model::lookup::{deployments_running, stages_on};
use edx_matrix_model::resolve_entry;
use edx_matrix_model::{
    AppKind, Index, Matrix,
    names::{ApplicationName, DeploymentName, ReleaseName, StageName},
};
use serde_json::json;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub(crate) enum QueryCommand {
    /// The deployments that run a release in any stage (optionally including an application)
    Deployments {
        /// The release
        #[arg(long, short = 'r', value_parser = parse::release)]
        release: ReleaseName,
        /// Only deployments whose entry for the release includes this application
        #[arg(long, short = 'a', value_parser = parse::application)]
        application: Option<ApplicationName>,
        /// Output format
        #[arg(long, value_parser = formats(TABLE), default_value_t = Format::Human)]
        format: Format,
    },
    /// The stages of a deployment that run a release
    Stages {
        /// The deployment
        #[arg(value_parser = parse::deployment)]
        deployment: DeploymentName,
        /// The release
        #[arg(long, short = 'r', value_parser = parse::release)]
        release: ReleaseName,
        /// Output format
        #[arg(long, value_parser = formats(TABLE), default_value_t = Format::Human)]
        format: Format,
    },
    /// The release one stage of a deployment runs
    Release {
        /// The deployment
        #[arg(value_parser = parse::deployment)]
        deployment: DeploymentName,
        /// The stage
        #[arg(value_parser = parse::stage)]
        stage: StageName,
        /// Output format
        #[arg(long, value_parser = formats(TABLE), default_value_t = Format::Human)]
        format: Format,
    },
    /// The resolved version of applications for a (release, deployment): one, or all of a type
    Version {
        /// The application (all applications when omitted)
        #[arg(value_parser = parse::application)]
        application: Option<ApplicationName>,
        /// The release
        #[arg(long, short = 'r', value_parser = parse::release)]
        release: ReleaseName,
        /// The deployment
        #[arg(long, short = 'd', value_parser = parse::deployment)]
        deployment: DeploymentName,
        /// Only IDAs or only MFEs
        #[arg(long = "type", short = 't', value_enum)]
        kind: Option<KindArg>,
        /// Output format
        #[arg(long, value_parser = formats(TABLE), default_value_t = Format::Human)]
        format: Format,
    },
}

fn require_release(m: &Matrix, r: &str) -> Result<(), CommandError> {
    require(m, NameKind::Release, r)
}

fn require_deployment(m: &Matrix, d: &str) -> Result<(), CommandError> {
    require(m, NameKind::Deployment, d)
}

fn require_application(m: &Matrix, a: &str) -> Result<(), CommandError> {
    require(m, NameKind::Application, a)
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, query: &QueryCommand) -> CmdResult {
    let loaded = matrix_file::load_valid(global, out)?.into_loaded();
    let m = &loaded.matrix;
    let index = Index::new(m);
    match query {
        QueryCommand::Deployments {
            release,
            application,
            format,
        } => {
            let release = release.as_str();
            let application = application.as_ref().map(ApplicationName::as_str);
            require_release(m, release)?;
            if let Some(a) = application {
                require_application(m, a)?;
            }
            let found = deployments_running(m, &index, release, application);
            match format {
                Format::Json => out.json(&found)?,
                _ => {
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
            let (deployment, release) = (deployment.as_str(), release.as_str());
            require_deployment(m, deployment)?;
            require_release(m, release)?;
            let d = m
                .deployment(deployment)
                .ok_or_else(|| CommandError::usage("unreachable"))?;
            let stages = stages_on(m, d, release);
            match format {
                Format::Json => out.json(&stages)?,
                _ => out.print(&stages.iter().map(|s| format!("{s}\n")).collect::<String>())?,
            }
        }
        QueryCommand::Release {
            deployment,
            stage,
            format,
        } => {
            let (deployment, stage) = (deployment.as_str(), stage.as_str());
            require_deployment(m, deployment)?;
            let d = m
                .deployment(deployment)
                .ok_or_else(|| CommandError::usage("unreachable"))?;
            require_stage_of(m, d, stage)?;
            let release = d.release_of(stage).map(|r| r.as_str()).unwrap_or_default();
            match format {
                Format::Json => out
                    .json(&json!({"deployment": deployment, "stage": stage, "release": release}))?,
                _ => out.print(&format!("{release}\n"))?,
            }
        }
        QueryCommand::Version {
            application,
            release,
            deployment,
            kind,
            format,
        } => {
            let (release, deployment) = (release.as_str(), deployment.as_str());
            let application = application.as_ref().map(ApplicationName::as_str);
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
                .filter(|a| application.is_none_or(|n| n == a.application))
                .filter(|a| kind.is_none_or(|k| k == a.kind))
                .collect();
            if let (Some(a), true) = (application, apps.is_empty()) {
                return Err(CommandError::usage(format!(
                    "deployment `{deployment}` does not include `{a}` on release `{release}`"
                )));
            }
            match format {
                Format::Json => out.json(
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
                _ => {
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
