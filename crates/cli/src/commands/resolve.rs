//! `edx-matrix resolve`: the resolved rows, as a table, JSON or shell variables.

use crate::cli::{GlobalArgs, ResolveArgs, RowFilter, RowFormat};
use crate::error::{CmdResult, CommandError};
use crate::matrix_file;
use crate::output::{Output, render_table, table};
use edx_matrix_model::{Filter, Matrix, Row, resolve};
use std::process::ExitCode;

/// Turns the command-line filter into a model filter, rejecting names the matrix lacks so a
/// typo is an error rather than an empty result.
pub fn model_filter(matrix: &Matrix, filter: &RowFilter) -> Result<Filter, CommandError> {
    use edx_matrix_model::suggest::did_you_mean;
    let known =
        |what: &str, value: &Option<String>, names: Vec<&str>| -> Result<(), CommandError> {
            if let Some(value) = value {
                if !names.contains(&value.as_str()) {
                    let mut e = CommandError::usage(format!("no {what} `{value}` in the matrix"));
                    if let Some(s) = did_you_mean(value, names.iter().copied()) {
                        e = e.with_hint(format!("did you mean `{s}`?"));
                    }
                    return Err(e);
                }
            }
            Ok(())
        };
    known(
        "deployment",
        &filter.deployment,
        matrix.deployments.iter().map(|d| d.name.as_str()).collect(),
    )?;
    known(
        "stage",
        &filter.stage,
        matrix.stages.iter().map(|s| s.as_str()).collect(),
    )?;
    known(
        "release",
        &filter.release,
        matrix.releases.iter().map(|r| r.name.as_str()).collect(),
    )?;
    known(
        "application",
        &filter.application,
        matrix
            .applications
            .iter()
            .map(|a| a.name.as_str())
            .collect(),
    )?;
    Ok(Filter {
        deployment: filter.deployment.clone(),
        stage: filter.stage.clone(),
        release: filter.release.clone(),
        application: filter.application.clone(),
        kind: filter.kind.map(Into::into),
    })
}

/// Marks an overridden value with `*`.
fn mark(value: &str, overridden: bool) -> String {
    if overridden {
        format!("{value}*")
    } else {
        value.to_owned()
    }
}

/// Renders rows as a table; `with_stage` adds the deployment, stage and release columns.
pub fn rows_table(rows: &[Row<'_>], with_stage: bool) -> String {
    let mut header = vec!["deployment", "stage", "release"];
    if !with_stage {
        header.clear();
    }
    header.extend(["application", "type", "origin", "branch", "runtime", "path"]);
    let mut t = table(&header);
    for row in rows {
        let mut cells = Vec::new();
        if with_stage {
            cells.extend([
                row.deployment.to_owned(),
                row.stage.to_owned(),
                row.release.to_owned(),
            ]);
        }
        cells.extend([
            row.application.to_owned(),
            row.kind.to_string(),
            mark(row.git_origin, row.overridden.origin),
            mark(row.release_branch, row.overridden.branch),
            mark(row.runtime_version.unwrap_or(""), row.overridden.runtime),
            row.path.unwrap_or("").to_owned(),
        ]);
        t.add_row(cells);
    }
    let mut text = render_table(&t);
    if rows
        .iter()
        .any(|r| r.overridden.origin || r.overridden.branch || r.overridden.runtime)
    {
        text.push_str("\n* overridden in the release map\n");
    }
    text
}

pub use edx_matrix_interop::env::shell_quote;

/// Renders one row as `KEY='value'` lines.
pub fn env_lines(row: &Row<'_>) -> String {
    let environment = edx_matrix_model::environment::label(row.deployment, row.stage);
    let mut pairs = vec![
        ("EDX_DEPLOYMENT", row.deployment.to_owned()),
        ("EDX_STAGE", row.stage.to_owned()),
        ("EDX_ENVIRONMENT", environment),
        ("EDX_RELEASE", row.release.to_owned()),
        ("EDX_APPLICATION", row.application.to_owned()),
        ("EDX_APP_TYPE", row.kind.to_string()),
        ("EDX_GIT_ORIGIN", row.git_origin.to_owned()),
        ("EDX_RELEASE_BRANCH", row.release_branch.to_owned()),
    ];
    // A release that records no runtime leaves the variable out (issue 16).
    if let Some(runtime) = row.runtime_version {
        pairs.push(("EDX_RUNTIME_VERSION", runtime.to_owned()));
    }
    if let Some(path) = row.path {
        pairs.push(("EDX_MFE_PATH", path.to_owned()));
    }
    pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}\n", shell_quote(&v)))
        .collect()
}

pub fn run(global: &GlobalArgs, out: &Output, args: &ResolveArgs) -> CmdResult {
    let loaded = matrix_file::load_valid(global, out)?.into_loaded();
    let filter = model_filter(&loaded.matrix, &args.filter)?;
    let resolution = resolve(&loaded.matrix, &filter);
    match args.format {
        RowFormat::Json => out.json(&rows_json(&loaded.matrix, &resolution.rows))?,
        RowFormat::Table => out.print(&rows_table(&resolution.rows, true))?,
        RowFormat::Env => {
            let f = &args.filter;
            if f.deployment.is_none() || f.stage.is_none() || f.application.is_none() {
                return Err(CommandError::usage(
                    "`--format env` describes one component: give `--deployment`, `--stage` and `--application`",
                ));
            }
            match resolution.rows.as_slice() {
                [row] => {
                    // The stage's vars follow, as `EDX_VAR_<NAME>` (names are checked to be
                    // letters, digits and `_`).
                    let mut text = env_lines(row);
                    let vars =
                        edx_matrix_model::vars::of_stage(&loaded.matrix, row.deployment, row.stage);
                    for (name, value) in vars.iter() {
                        text.push_str(&format!(
                            "EDX_VAR_{name}={}\n",
                            shell_quote(&value.as_text())
                        ));
                    }
                    out.print(&text)?
                }
                [] => {
                    return Err(CommandError::usage(format!(
                        "deployment `{}` does not include `{}` on stage `{}`",
                        f.deployment.as_deref().unwrap_or_default(),
                        f.application.as_deref().unwrap_or_default(),
                        f.stage.as_deref().unwrap_or_default()
                    )));
                }
                _ => return Err(CommandError::usage("the filter matches more than one row")),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Returns rows as JSON, each with the merged `vars` of its stage when it has any.
pub fn rows_json(matrix: &Matrix, rows: &[Row<'_>]) -> Vec<serde_json::Value> {
    rows.iter()
        .map(|row| {
            let mut value = serde_json::to_value(row).unwrap_or_default();
            let vars = edx_matrix_model::vars::of_stage(matrix, row.deployment, row.stage);
            if !vars.is_empty() {
                value["vars"] = serde_json::to_value(&vars).unwrap_or_default();
            }
            value
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn quotes_for_the_shell() {
        assert_eq!(shell_quote("abc"), "'abc'");
        assert_eq!(shell_quote("it's $(x)"), r"'it'\''s $(x)'");
    }
}
