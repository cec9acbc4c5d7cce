//! `edx-matrix export`: the matrix in another format (interchange JSON, Tutor, GitHub Actions,
//! shell assignments).

use super::export_python::ExportPythonArgs;
use crate::args::WriteArgs;
use crate::cli::GlobalArgs;
use crate::commands::resolve::{RowFilter, model_filter};
use crate::error::{CmdResult, CommandError};
use crate::format::{Allowed, DIAGNOSTICS, Format, formats};
use crate::matrix_file;
use crate::names::parse;
use crate::output::Output;
use edx_matrix_formats::github_actions;
use edx_matrix_formats::{Loaded, interchange};
use edx_matrix_model::{
    Filter,
    names::{DeploymentName, StageName},
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod tutor;

/// The formats of `export --format` (kept for compatibility; prefer `export model-json`).
const FORMATS: Allowed = &[(Format::ModelJson, "The interchange JSON (`model.json`)")];

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct ExportArgs {
    #[command(subcommand)]
    pub command: Option<ExportCommand>,
    /// Output format (the same as `export model-json`)
    #[arg(long, value_parser = formats(FORMATS))]
    pub format: Option<Format>,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(clap::Subcommand, Debug)]
pub(crate) enum ExportCommand {
    /// The interchange JSON (`model.json`)
    ModelJson {
        #[command(flatten)]
        write: WriteArgs,
    },
    /// A Tutor plugin setting a stage's repositories, branches and release, and a README
    Tutor {
        /// The deployment
        #[arg(required_unless_present = "all", value_parser = parse::deployment)]
        deployment: Option<DeploymentName>,
        /// The stage
        #[arg(required_unless_present = "all", value_parser = parse::stage)]
        stage: Option<StageName>,
        /// Every (deployment, stage), into `DIR/<deployment>-<stage>/` (needs `-o`)
        #[arg(long, conflicts_with_all = ["deployment", "stage"], requires = "output")]
        all: bool,
        /// Write the plugin and README.md into this directory instead of printing the plugin
        #[arg(long, short = 'o', value_name = "DIR", value_parser = crate::args::OutputPath)]
        output: Option<PathBuf>,
        /// Replace files that exist
        #[arg(long)]
        force: bool,
        /// `json`: a summary of each stage's export (plugin, settings, MFEs, not mapped) on
        /// standard output instead of the plugin
        #[arg(long, value_parser = formats(DIAGNOSTICS), default_value_t = Format::Human)]
        format: Format,
    },
    /// `{"include": [...]}` for a GitHub Actions `strategy.matrix` (`fromJSON`), one job per row
    GithubActions {
        #[command(flatten)]
        filter: RowFilter,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// The Python package consumers import (`types.py`, `version_matrix.py`), as a drop-in
    Python(ExportPythonArgs),
    /// Shell-safe `KEY='value'` assignments for every component of a stage
    Env {
        /// The deployment
        #[arg(value_parser = parse::deployment)]
        deployment: DeploymentName,
        /// The stage
        #[arg(value_parser = parse::stage)]
        stage: StageName,
        #[command(flatten)]
        write: WriteArgs,
    },
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &ExportArgs) -> CmdResult {
    let command = match (&args.command, args.format) {
        (Some(command), _) => command,
        (None, Some(_)) => {
            let loaded = matrix_file::load_valid(global, out)?.into_loaded();
            return model_json(&loaded, out, &args.write);
        }
        (None, None) => {
            return Err(CommandError::usage("say what to export").with_hint(
                "`edx-matrix export model-json|tutor|github-actions|env` (see `edx-matrix export --help`)",
            ));
        }
    };
    // Each export is the project's use case; this command checks the names and writes.
    let project = matrix_file::load_valid(global, out)?;
    let loaded = &project.loaded;
    match command {
        ExportCommand::ModelJson { write } => model_json(loaded, out, write),
        ExportCommand::GithubActions { filter, write } => {
            let filter = model_filter(&loaded.matrix, filter)?;
            let include = project.export_github_actions(&filter);
            if include.include.len() > github_actions::MAX_JOBS {
                eprintln!(
                    "warning: {} jobs; GitHub Actions runs at most {} from one matrix (narrow it with --deployment, --stage, --release, --application or --type)",
                    include.include.len(),
                    github_actions::MAX_JOBS
                );
            }
            let text = json_text(&include)?;
            emit(out, write, &text)
        }
        ExportCommand::Env {
            deployment,
            stage,
            write,
        } => {
            let (deployment, stage) = (deployment.as_str(), stage.as_str());
            let (release, filter) = stage_filter(loaded, deployment, stage)?;
            let text = project
                .export_env(deployment, stage, &release, &filter)
                .map_err(|clash| {
                    CommandError::usage(format!(
                        "applications `{}` and `{}` share the variable prefix `{}`",
                        clash.applications.0, clash.applications.1, clash.prefix
                    ))
                })?;
            emit(out, write, &text)
        }
        ExportCommand::Python(python) => super::export_python::run(&project, out, python),
        ExportCommand::Tutor {
            deployment,
            stage,
            all,
            output,
            force,
            format,
        } => tutor::run(
            &project,
            out,
            &tutor::Request {
                deployment: deployment.as_ref().map(DeploymentName::as_str),
                stage: stage.as_ref().map(StageName::as_str),
                all: *all,
                output: output.as_deref(),
                force: *force,
                json: *format == Format::Json,
            },
        ),
    }
}

/// Checks the deployment and stage exist; returns the stage's release and a filter for it.
fn stage_filter(
    loaded: &Loaded,
    deployment: &str,
    stage: &str,
) -> Result<(String, Filter), CommandError> {
    let filter = model_filter(
        &loaded.matrix,
        &RowFilter {
            deployment: Some(DeploymentName::new(deployment)),
            stage: Some(StageName::new(stage)),
            ..RowFilter::default()
        },
    )?;
    let release = loaded
        .matrix
        .deployment(deployment)
        .and_then(|d| d.release_of(stage))
        .ok_or_else(|| {
            CommandError::usage(format!("deployment `{deployment}` has no stage `{stage}`"))
        })?;
    Ok((release.to_string(), filter))
}

fn json_text<T: serde::Serialize>(value: &T) -> Result<String, CommandError> {
    let mut text =
        serde_json::to_string_pretty(value).map_err(|e| CommandError::io(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

fn model_json(loaded: &Loaded, out: &Output, write: &WriteArgs) -> CmdResult {
    let text = json_text(&interchange::to_json(&loaded.matrix))?;
    emit(out, write, &text)
}

fn emit(out: &Output, write: &WriteArgs, text: &str) -> CmdResult {
    match &write.output {
        Some(path) if path != Path::new("-") => matrix_file::write_new(path, text, write.force)?,
        _ => out.print(text)?,
    }
    Ok(ExitCode::SUCCESS)
}
