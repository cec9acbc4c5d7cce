//! `edx-matrix logs`: the LogQL query for a deployment stage, and a Grafana Explore link.

use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError};
use crate::format::{Allowed, Format, formats};
use crate::matrix_file;
use crate::names::parse;
use crate::output::Output;
use edx_matrix_formats::operations::logql;
use edx_matrix_formats::operations::{grafana_url_problem, is_valid_datasource_uid};
use edx_matrix_model::names::{DeploymentName, StageName};
use serde_json::json;
use std::process::ExitCode;

/// The formats of `logs`.
const FORMATS: Allowed = &[
    (
        Format::Human,
        "The query, then the Explore link (when a Grafana URL is known), one per line",
    ),
    (Format::Json, "JSON"),
];

#[derive(clap::Args, Debug)]
pub(crate) struct LogsArgs {
    /// The deployment
    #[arg(value_parser = parse::deployment)]
    pub deployment: DeploymentName,
    /// The stage
    #[arg(value_parser = parse::stage)]
    pub stage: StageName,
    /// The value of the logs' `application` label (a Loki label, not an application of the
    /// matrix)
    #[arg(long, value_name = "LABEL", default_value = "edxapp")]
    pub app_label: String,
    /// The old spelling of `--app-label` (deprecated: `-a/--application` names an application
    /// of the matrix everywhere else)
    #[arg(long, short = 'a', hide = true, conflicts_with = "app_label")]
    pub application: Option<String>,
    /// Grafana base URL for an Explore link (default: `grafana_url` in `[operations]`)
    #[arg(long, value_name = "URL")]
    pub grafana: Option<String>,
    /// Uid of the Loki data source in Grafana (default: `loki_datasource` in `[operations]`)
    #[arg(long, value_name = "UID")]
    pub loki_datasource: Option<String>,
    /// Output format
    #[arg(long, value_parser = formats(FORMATS), default_value_t = Format::Human)]
    pub format: Format,
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &LogsArgs) -> CmdResult {
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
    if args.application.is_some() {
        crate::deprecated::warn(out, "logs --application", "logs --app-label");
    }
    let label = args.application.as_ref().unwrap_or(&args.app_label);
    if label.is_empty() {
        return Err(CommandError::usage("`--app-label` must not be empty"));
    }
    let project = matrix_file::load_valid(global, out)?;
    let m = project.matrix();
    let (deployment_name, stage) = (args.deployment.as_str(), args.stage.as_str());
    let deployment = crate::names::deployment(m, deployment_name)?;
    crate::names::require_stage_of(m, deployment, stage)?;
    let operations = project.operations.clone();
    let environment = logql::environment(deployment_name, stage);
    let query = logql::query(&environment, label);
    let grafana = args.grafana.clone().or(operations.grafana_url);
    let datasource = args.loki_datasource.clone().or(operations.loki_datasource);
    let link = grafana.map(|base| logql::explore_url(&base, datasource.as_deref(), &query));
    match args.format {
        Format::Json => out.json(&json!({
            "deployment": args.deployment,
            "stage": args.stage,
            "environment": environment,
            "application": label,
            "query": query,
            "explore_url": link,
        }))?,
        _ => {
            let mut text = format!("{query}\n");
            if let Some(link) = link {
                text.push_str(&format!("{link}\n"));
            }
            out.print(&text)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
