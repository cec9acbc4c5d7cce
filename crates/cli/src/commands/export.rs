//! `edx-matrix export`: the matrix in another format (interchange JSON, Tutor, GitHub Actions,
//! shell assignments).

use crate::cli::{ExportArgs, ExportCommand, GlobalArgs, RowFilter, WriteArgs};
use crate::commands::resolve::model_filter;
use crate::error::{CmdResult, CommandError};
use crate::matrix_file;
use crate::output::Output;
use edx_matrix_config::{Loaded, interchange};
use edx_matrix_interop::{env, github_actions};
use edx_matrix_model::{Filter, resolve};
use std::path::Path;
use std::process::ExitCode;

mod tutor;

pub fn run(global: &GlobalArgs, out: &Output, args: &ExportArgs) -> CmdResult {
    let command = match (&args.command, args.format) {
        (Some(command), _) => command,
        (None, Some(crate::cli::ExportFormat::ModelJson)) => {
            let loaded = matrix_file::load_valid(global, out)?.into_loaded();
            return model_json(&loaded, out, &args.write);
        }
        (None, None) => {
            return Err(CommandError::usage("say what to export").with_hint(
                "`edx-matrix export model-json|tutor|github-actions|env` (see `edx-matrix export --help`)",
            ));
        }
    };
    let loaded = matrix_file::load_valid(global, out)?.into_loaded();
    match command {
        ExportCommand::ModelJson { write } => model_json(&loaded, out, write),
        ExportCommand::GithubActions { filter, write } => {
            let filter = model_filter(&loaded.matrix, filter)?;
            let include = github_actions::include(&loaded.matrix, &filter);
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
            let (release, filter) = stage_filter(&loaded, deployment, stage)?;
            let rows = resolve(&loaded.matrix, &filter).rows;
            let text = env::render(deployment, stage, &release, &rows).map_err(|clash| {
                CommandError::usage(format!(
                    "applications `{}` and `{}` share the variable prefix `{}`",
                    clash.applications.0, clash.applications.1, clash.prefix
                ))
            })?;
            emit(out, write, &text)
        }
        ExportCommand::Python(python) => super::export_python::run(&loaded, out, python),
        ExportCommand::Tutor {
            deployment,
            stage,
            all,
            output,
            force,
            format,
        } => tutor::run(
            &loaded,
            out,
            &tutor::Request {
                deployment: deployment.as_deref(),
                stage: stage.as_deref(),
                all: *all,
                output: output.as_deref(),
                force: *force,
                json: *format == crate::cli::CheckFormat::Json,
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
            deployment: Some(deployment.to_owned()),
            stage: Some(stage.to_owned()),
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
