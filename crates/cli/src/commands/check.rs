//! `edx-matrix check`: every problem, located.

use crate::cli::GlobalArgs;
use crate::error::{CmdResult, Kind, exit_code};
use crate::format::{DIAGNOSTICS, Format, formats};
use crate::matrix_file;
use crate::output::{Output, count};
use edx_matrix_formats::Summary;
use serde::Serialize;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub(crate) struct CheckArgs {
    /// Output format
    #[arg(long, value_parser = formats(DIAGNOSTICS), default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Serialize)]
struct Report<'a> {
    file: &'a str,
    summary: Summary,
    diagnostics: Vec<edx_matrix_formats::JsonDiagnostic>,
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &CheckArgs) -> CmdResult {
    // The project's diagnostics are the file's: matrix, runbooks, operations and `[pipelines]`
    // (reading its templates included); templates run only on a project without errors, their
    // problems located in the template files (nothing is rendered without templates).
    matrix_file::exits_after_reading();
    let project = matrix_file::load(global)?;
    // The lock's problems follow, located in the lock file (and, when stale, in the matrix).
    let mut in_templates = project.template_diagnostics().to_vec();
    in_templates.extend(project.lock_diagnostics());
    let loaded = project.into_loaded();
    let mut summary = loaded.summary();
    for (_, d) in &in_templates {
        if d.is_error() {
            summary.errors += 1;
        } else {
            summary.warnings += 1;
        }
    }
    match args.format {
        Format::Json => out.json(&Report {
            file: &loaded.source.name,
            summary,
            diagnostics: loaded
                .diagnostics
                .iter()
                .map(|d| d.to_json(&loaded.source))
                .chain(in_templates.iter().map(|(s, d)| d.to_json(s)))
                .collect(),
        })?,
        _ => {
            out.diagnostics(&loaded.diagnostics, &loaded.source)?;
            for (source, d) in &in_templates {
                out.diagnostics(std::slice::from_ref(d), source)?;
            }
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            let line = if summary.errors == 0 && summary.warnings == 0 {
                format!(
                    "`{}`: ok ({}, {}, {})",
                    loaded.source.name,
                    count(loaded.matrix.releases.len(), "release", "releases"),
                    count(loaded.matrix.deployments.len(), "deployment", "deployments"),
                    count(
                        loaded.matrix.app_version_count(),
                        "application version",
                        "application versions"
                    )
                )
            } else {
                format!(
                    "`{}`: {} error{}, {} warning{}",
                    loaded.source.name,
                    summary.errors,
                    plural(summary.errors),
                    summary.warnings,
                    plural(summary.warnings)
                )
            };
            eprintln!("{line}");
        }
    }
    matrix_file::keep_until_exit(loaded);
    Ok(if summary.errors > 0 {
        ExitCode::from(exit_code(Kind::CheckFailed))
    } else {
        ExitCode::SUCCESS
    })
}
