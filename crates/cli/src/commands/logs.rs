//! `edx-matrix logs`: the LogQL query for a deployment stage, and a Grafana Explore link.

use crate::cli::{GlobalArgs, LogsArgs, LogsFormat};
use crate::error::{CmdResult, CommandError};
use crate::matrix_file;
use crate::names::require;
use crate::output::Output;
use edx_matrix_config::operations::logql;
use edx_matrix_config::operations::{grafana_url_problem, is_valid_datasource_uid};
use edx_matrix_model::suggest::did_you_mean;
use serde_json::json;
use std::process::ExitCode;

pub fn run(global: &GlobalArgs, out: &Output, args: &LogsArgs) -> CmdResult {
    if let Some(url) = &args.grafana {
        if let Some(problem) = grafana_url_problem(url) {
            return Err(CommandError::usage(format!(
                "invalid `--grafana` URL `{}`: {problem}",
                url.escape_debug()
            )));
        }
    }
    if let Some(uid) = &args.loki_datasource {
        if !is_valid_datasource_uid(uid) {
            return Err(CommandError::usage(format!(
                "invalid `--loki-datasource` `{}`: use up to 40 letters, digits, `-` or `_`",
                uid.escape_debug()
            )));
        }
    }
    if args.application.is_empty() {
        return Err(CommandError::usage("`--application` must not be empty"));
    }
    let project = matrix_file::load_valid(global, out)?;
    let m = project.matrix();
    require(
        "deployment",
        &args.deployment,
        m.deployments.iter().map(|d| d.name.as_str()),
    )?;
    let deployment = m
        .deployments
        .iter()
        .find(|d| d.name.as_str() == args.deployment)
        .ok_or_else(|| CommandError::usage(format!("no deployment `{}`", args.deployment)))?;
    let stages: Vec<&str> = deployment.stages.iter().map(|p| p.stage.as_str()).collect();
    if !stages.contains(&args.stage.as_str()) {
        let hint = match did_you_mean(&args.stage, stages.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "its stages are {}",
                stages
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Err(CommandError::usage(format!(
            "deployment `{}` has no stage `{}`",
            args.deployment, args.stage
        ))
        .with_hint(hint));
    }
    let operations = project.operations.clone();
    let environment = logql::environment(&args.deployment, &args.stage);
    let query = logql::query(&environment, &args.application);
    let grafana = args.grafana.clone().or(operations.grafana_url);
    let datasource = args.loki_datasource.clone().or(operations.loki_datasource);
    let link = grafana.map(|base| logql::explore_url(&base, datasource.as_deref(), &query));
    match args.format {
        LogsFormat::Json => out.json(&json!({
            "deployment": args.deployment,
            "stage": args.stage,
            "environment": environment,
            "application": args.application,
            "query": query,
            "explore_url": link,
        }))?,
        LogsFormat::Text => {
            let mut text = format!("{query}\n");
            if let Some(link) = link {
                text.push_str(&format!("{link}\n"));
            }
            out.print(&text)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
