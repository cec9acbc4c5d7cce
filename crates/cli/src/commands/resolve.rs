//! `edx-matrix resolve`: the resolved rows, as a table, JSON or shell variables.

use crate::args::KindArg;
use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError};
use crate::format::{Allowed, Format, formats};
use crate::matrix_file;
use crate::names::parse;
use crate::output::{Output, render_table, table};
use edx_matrix_formats::interchange::RowsError;
use edx_matrix_model::{
    Filter, Lock, Matrix, Row, Unresolved,
    names::{ApplicationName, DeploymentName, ReleaseName, StageName},
    resolve, resolve_stream,
};
use std::io::Write as _;
use std::process::ExitCode;

mod table;

/// The formats of resolved rows.
const ROW_FORMATS: Allowed = &[
    (Format::Human, "An aligned table"),
    (Format::Json, "A JSON array of row objects"),
    (
        Format::Env,
        "Shell-safe `KEY='value'` lines for one (deployment, stage, application)",
    ),
];

/// Which resolved rows a command shows.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct RowFilter {
    /// Only this deployment
    #[arg(long, short = 'd', value_parser = parse::deployment)]
    pub deployment: Option<DeploymentName>,
    /// Only this stage
    #[arg(long, short = 's', value_parser = parse::stage)]
    pub stage: Option<StageName>,
    /// Only stages on this release
    #[arg(long, short = 'r', value_parser = parse::release)]
    pub release: Option<ReleaseName>,
    /// Only this application
    #[arg(long, short = 'a', value_parser = parse::application)]
    pub application: Option<ApplicationName>,
    /// Only IDAs or only MFEs
    #[arg(long = "type", short = 't', value_enum)]
    pub kind: Option<KindArg>,
}

#[derive(clap::Args, Debug)]
pub(crate) struct ResolveArgs {
    #[command(flatten)]
    pub filter: RowFilter,
    /// Output format
    #[arg(long, value_parser = formats(ROW_FORMATS), default_value_t = Format::Human)]
    pub format: Format,
    /// Show branches only, without the commits of `edx-matrix.lock`
    #[arg(long)]
    pub unlocked: bool,
}

/// Turns the command-line filter into a model filter, rejecting names the matrix lacks (the
/// model's one check) so a typo is an error rather than an empty result.
pub(crate) fn model_filter(matrix: &Matrix, filter: &RowFilter) -> Result<Filter, CommandError> {
    let filter = Filter {
        deployment: filter.deployment.clone(),
        stage: filter.stage.clone(),
        release: filter.release.clone(),
        application: filter.application.clone(),
        kind: filter.kind.map(Into::into),
    };
    edx_matrix_model::known_names::require_filter(matrix, &filter)
        .map_err(|e| CommandError::unknown(&e))?;
    Ok(filter)
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
pub(crate) fn rows_table(rows: &[Row<'_>], with_stage: bool) -> String {
    let mut header = vec!["deployment", "stage", "release"];
    if !with_stage {
        header.clear();
    }
    header.extend(["application", "type", "origin", "branch", "runtime", "path"]);
    // The locked commit, short, when any row has one.
    let locked = rows.iter().any(|r| r.commit.is_some());
    if locked {
        header.push("commit");
    }
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
        if locked {
            cells.push(
                row.commit
                    .map_or("", |c| c.get(..12).unwrap_or(c))
                    .to_owned(),
            );
        }
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

pub(crate) use edx_matrix_formats::env::shell_quote;

/// A stage the rows could not be resolved for, found after some rows were written (`check`
/// rules it out for a valid matrix: the guard of an invariant, not of input). The JSON text is
/// left without its closing `]`, so no reader takes it for the whole result.
fn unresolved(u: &Unresolved<'_>) -> CommandError {
    CommandError::refused(format!(
        "stage `{}` of `{}` (release `{}`) cannot be resolved: {}; the JSON written is incomplete",
        u.stage, u.deployment, u.release, u.reason
    ))
}

/// `row` with its locked commit, unless `unlocked`.
fn locked<'a>(lock: &'a Lock, unlocked: bool, mut row: Row<'a>) -> Row<'a> {
    if !unlocked {
        row.commit = lock.commit_of(&row);
    }
    row
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &ResolveArgs) -> CmdResult {
    matrix_file::exits_after_reading();
    let project = matrix_file::load_valid(global, out)?;
    let lock = project.locked();
    let loaded = &project.loaded;
    let filter = model_filter(&loaded.matrix, &args.filter)?;
    // JSON and the table are written as the rows are resolved: a million rows cost the memory
    // of one.
    let streamed = match args.format {
        Format::Json => {
            let rows = resolve_stream(&loaded.matrix, &filter);
            // Without a lock the rows go straight through: no per-row copy for the `map`.
            if args.unlocked || lock.is_empty() {
                out.json_row_stream(&loaded.matrix, rows)
            } else {
                let rows = rows.map(|item| item.map(|row| locked(&lock, false, row)));
                out.json_row_stream(&loaded.matrix, rows)
            }
            .map_err(|e| match e {
                RowsError::Write(e) => CommandError::from(e),
                RowsError::Row(u) => unresolved(&u),
            })?;
            true
        }
        Format::Human => {
            // As the collected table, the rows that cannot be resolved are left out.
            let rows = || {
                resolve_stream(&loaded.matrix, &filter)
                    .filter_map(Result::ok)
                    .map(|row| locked(&lock, args.unlocked, row))
            };
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let written = table::write_table(&mut stdout, rows)?;
            stdout.flush()?;
            written
        }
        _ => false,
    };
    if streamed {
        matrix_file::keep_until_exit(project);
        return Ok(ExitCode::SUCCESS);
    }
    let mut resolution = resolve(&loaded.matrix, &filter);
    if !args.unlocked {
        lock.apply(&mut resolution.rows);
    }
    match args.format {
        Format::Env => {
            let f = &args.filter;
            if f.deployment.is_none() || f.stage.is_none() || f.application.is_none() {
                return Err(CommandError::usage(
                    "`--format env` describes one component: give `--deployment`, `--stage` and `--application`",
                ));
            }
            match resolution.rows.as_slice() {
                [row] => out.print(&edx_matrix_formats::env::component(&loaded.matrix, row))?,
                [] => {
                    return Err(CommandError::usage(format!(
                        "deployment `{}` does not include `{}` on stage `{}`",
                        f.deployment.as_ref().map_or("", DeploymentName::as_str),
                        f.application.as_ref().map_or("", ApplicationName::as_str),
                        f.stage.as_ref().map_or("", StageName::as_str)
                    )));
                }
                _ => return Err(CommandError::usage("the filter matches more than one row")),
            }
        }
        _ => out.print(&rows_table(&resolution.rows, true))?,
    }
    drop(resolution);
    matrix_file::keep_until_exit(project);
    Ok(ExitCode::SUCCESS)
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
