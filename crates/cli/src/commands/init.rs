//! `edx-matrix init`: a commented starter file.

use crate::cli::{GlobalArgs, InitArgs};
use crate::error::CmdResult;
use crate::matrix_file;
use crate::output::Output;
use edx_matrix_config::catalogue;
use edx_matrix_config::runbook::builtin;
use std::process::ExitCode;

/// The releases of the starter file, which get the built-in runbook steps.
const STARTER_RELEASES: &[&str] = &["ulmo", "master"];

const RUNBOOKS_HEAD: &str = r#"
# Upgrade runbooks: the manual steps a release needs when it is deployed to a stage, printed by
# `edx-matrix runbook RELEASE [--stage S]`. `command` is shown, never run; `when` is
# "first-deploy" (the default) or "every-deploy"; `stages` limits a step to some stages.
# These steps come from edx-matrix's built-in knowledge of upstream releases (docs/runbooks.md):
#
# [[runbooks.ulmo]]
# text = "Watch the LMS logs for errors after the deploy"
# command = "edx-matrix logs mysite Production"
# when = "every-deploy"
# stages = ["Production"]
"#;

const OPERATIONS_EXAMPLE: &str = r#"
# Operator tools: `edx-matrix logs DEPLOYMENT STAGE` prints a Grafana Explore link when the
# Grafana base URL is known (and uses this Loki data source uid).
#
# [operations]
# grafana_url = "https://grafana.example.org"
# loki_datasource = "loki"
"#;

/// Returns the starter file: the catalogue starter, then the runbooks of its releases.
pub fn starter_text() -> String {
    format!(
        "{}{RUNBOOKS_HEAD}{}{OPERATIONS_EXAMPLE}",
        catalogue::starter_file(),
        builtin::section(STARTER_RELEASES)
    )
}

pub fn run(_global: &GlobalArgs, _out: &Output, args: &InitArgs) -> CmdResult {
    matrix_file::write_new(&args.path, &starter_text(), args.force)?;
    eprintln!(
        "wrote `{}`; edit it, then run `edx-matrix check`",
        args.path.display()
    );
    Ok(ExitCode::SUCCESS)
}
