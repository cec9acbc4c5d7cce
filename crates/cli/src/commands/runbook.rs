//! `edx-matrix runbook`: the manual upgrade steps of a release.
//!
//! `upgrade` and `promote` print the same thing for the stage they change: the project's
//! runbooks, then `runbooks.steps_for(release, Some(stage),
//! first_deploy)` and `to_text()` / `to_markdown()` / serialise the [`Plan`].

use crate::cli::{GlobalArgs, RunbookArgs, RunbookFormat};
use crate::error::CmdResult;
use crate::matrix_file;
use crate::names::require;
use crate::output::Output;
use edx_matrix_config::runbook::Plan;
use std::process::ExitCode;

pub fn run(global: &GlobalArgs, out: &Output, args: &RunbookArgs) -> CmdResult {
    let project = matrix_file::load_valid(global, out)?;
    let m = project.matrix();
    require(
        "release",
        &args.release,
        m.releases.iter().map(|r| r.name.as_str()),
    )?;
    if let Some(stage) = &args.stage {
        require("stage", stage, m.stages.iter().map(|s| s.as_str()))?;
    }
    let plan: Plan =
        project
            .runbooks
            .steps_for(&args.release, args.stage.as_deref(), !args.not_first_deploy);
    match args.format {
        RunbookFormat::Text => out.print(&plan.to_text())?,
        RunbookFormat::Markdown => out.print(&plan.to_markdown())?,
        RunbookFormat::Json => out.json(&plan)?,
    }
    Ok(ExitCode::SUCCESS)
}
