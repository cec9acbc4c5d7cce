//! `edx-matrix runbook`: the manual upgrade steps of a release.
//!
//! `upgrade` and `promote` print the same thing for the stage they change: the project's
//! runbooks, then `runbooks.steps_for(release, Some(stage),
//! first_deploy)` and `to_text()` / `to_markdown()` / serialise the [`Plan`].

use crate::cli::GlobalArgs;
use crate::error::CmdResult;
use crate::format::{Allowed, Format, formats};
use crate::matrix_file;
use crate::names::{parse, require};
use crate::output::Output;
use edx_matrix_formats::Plan;
use edx_matrix_model::known_names::NameKind;
use edx_matrix_model::names::{ReleaseName, StageName};
use std::process::ExitCode;

/// The formats of `runbook`.
const FORMATS: Allowed = &[
    (Format::Human, "Numbered steps for a terminal"),
    (Format::Markdown, "A Markdown checklist, for a ticket"),
    (Format::Json, "JSON"),
];

#[derive(clap::Args, Debug)]
pub(crate) struct RunbookArgs {
    /// The release
    #[arg(value_parser = parse::release)]
    pub release: ReleaseName,
    /// Only the steps for this stage
    #[arg(long, short = 's', value_parser = parse::stage)]
    pub stage: Option<StageName>,
    /// Leave out first-deploy steps (the release already ran on the stage once)
    #[arg(long)]
    pub not_first_deploy: bool,
    /// Output format
    #[arg(long, value_parser = formats(FORMATS), default_value_t = Format::Human)]
    pub format: Format,
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &RunbookArgs) -> CmdResult {
    let project = matrix_file::load_valid(global, out)?;
    let m = project.matrix();
    require(m, NameKind::Release, args.release.as_str())?;
    let stage = args.stage.as_ref().map(StageName::as_str);
    if let Some(stage) = stage {
        require(m, NameKind::Stage, stage)?;
    }
    let plan: Plan =
        project
            .runbooks
            .steps_for(args.release.as_str(), stage, !args.not_first_deploy);
    match args.format {
        Format::Markdown => out.print(&plan.to_markdown())?,
        Format::Json => out.json(&plan)?,
        _ => out.print(&plan.to_text())?,
    }
    Ok(ExitCode::SUCCESS)
}
