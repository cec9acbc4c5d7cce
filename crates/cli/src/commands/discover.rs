//! `edx-matrix discover`: the releases upstream has cut, against the releases of the matrix
//! ([`edx_matrix_git::compare_with`]), with the commands that add the new ones.

use super::resolve::shell_quote;
use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError};
use crate::format::{Format, TABLE, formats};
use crate::matrix_file;
use crate::matrix_repo::error_chain;
use crate::output::{Output, render_table, table};
use edx_matrix_config::terminal::safe;
use edx_matrix_git::{
    Comparison, GitCli, RemoteRefs, Standing, compare_with, default_repository, discover_releases,
    redact_url,
};
use edx_matrix_model::Matrix;
use edx_matrix_model::url::{UrlRule, url_problem};
use serde::Serialize;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct DiscoverArgs {
    /// The upstream repository to list (default: edx-platform's repository in the matrix,
    /// else the standard catalogue's)
    #[arg(long, value_name = "URL")]
    pub repository: Option<String>,
    /// Seconds allowed for listing the repository's refs
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Output format
    #[arg(long, value_parser = formats(TABLE), default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Serialize)]
struct Found {
    name: String,
    branch: Option<String>,
    tags: Vec<String>,
    status: Standing,
    /// The matrix's branch for the release, when it has the release.
    #[serde(skip_serializing_if = "Option::is_none")]
    matrix_branch: Option<String>,
    /// The command that adds it, for new releases with a branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<String>,
    /// The command that adds it with python and node read from upstream instead of copied.
    #[serde(skip_serializing_if = "Option::is_none")]
    from_upstream_command: Option<String>,
}

#[derive(Serialize)]
struct Report {
    repository: String,
    /// The release whose python/node the suggested commands copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    runtimes_from: Option<String>,
    releases: Vec<Found>,
}

/// Returns the repository to list: `--repository`, else the default (edx-platform's).
fn repository(args: &DiscoverArgs, matrix: &Matrix) -> Result<String, CommandError> {
    if let Some(url) = &args.repository {
        // A malformed URL is bad input (exit 2), not a failed listing (exit 3); a local path
        // (a mirror) is a remote too.
        if let Some(problem) = url_problem(url, UrlRule::Remote) {
            return Err(CommandError::usage(format!(
                "invalid `--repository {}`: {problem}",
                safe(&redact_url(url))
            )));
        }
        return Ok(url.clone());
    }
    default_repository(matrix)
        .ok_or_else(|| CommandError::usage("no repository to list: pass `--repository URL`"))
}

/// Quotes a value for the shell only when it needs it.
fn arg(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/' | b'+'));
    if plain {
        value.to_owned()
    } else {
        shell_quote(value)
    }
}

/// The report's releases: the comparison, with the command that adds each new release.
fn found(comparison: &Comparison<'_, '_>) -> Vec<Found> {
    comparison
        .releases
        .iter()
        .map(|c| {
            let u = c.upstream;
            let command = match (c.standing, &u.branch) {
                (Standing::New, Some(branch)) => {
                    let (python, node) = comparison.runtimes_from.map_or(
                        ("PYTHON".to_owned(), "NODE".to_owned()),
                        |from| {
                            (
                                from.python
                                    .as_ref()
                                    .map_or("PYTHON".to_owned(), |v| arg(v.as_str())),
                                from.node
                                    .as_ref()
                                    .map_or("NODE".to_owned(), |v| arg(v.as_str())),
                            )
                        },
                    );
                    Some(format!(
                        "edx-matrix release add {} --branch {} --python {python} --node {node}",
                        arg(&u.name),
                        arg(branch),
                    ))
                }
                _ => None,
            };
            let from_upstream_command = command
                .as_ref()
                .map(|_| format!("edx-matrix release add {} --from-upstream", arg(&u.name)));
            Found {
                from_upstream_command,
                name: u.name.clone(),
                branch: u.branch.clone(),
                tags: u.tags.clone(),
                status: c.standing,
                matrix_branch: c.matrix_branch.clone(),
                command,
            }
        })
        .collect()
}

pub fn run(global: &GlobalArgs, out: &Output, args: &DiscoverArgs) -> CmdResult {
    let loaded = matrix_file::load_valid(global, out)?.into_loaded();
    let url = repository(args, &loaded.matrix)?;
    let git = GitCli::new().with_timeout(Duration::from_secs(args.timeout));
    let refs = git
        .list_refs(&url)
        .map_err(|err| CommandError::io(error_chain(&err)))?;
    let upstream = discover_releases(&refs);
    let comparison = compare_with(&loaded.matrix, &upstream);
    let releases = found(&comparison);
    let runtimes = comparison.runtimes_from;
    let report = Report {
        repository: redact_url(&url),
        runtimes_from: runtimes
            .filter(|_| releases.iter().any(|f| f.command.is_some()))
            .map(|r| r.name.to_string()),
        releases,
    };
    match args.format {
        Format::Json => out.json(&report)?,
        _ => out.print(&render(&report))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn render(report: &Report) -> String {
    let mut text = format!("upstream releases in {}\n\n", report.repository);
    if report.releases.is_empty() {
        text.push_str("no release branches or tags found\n");
        return text;
    }
    let mut t = table(&["release", "branch", "tags", "latest tag", "matrix"]);
    for found in &report.releases {
        let status = match found.status {
            Standing::InMatrix => "has it".to_owned(),
            Standing::BranchDiffers => format!(
                "has it on `{}`",
                found.matrix_branch.as_deref().unwrap_or_default()
            ),
            Standing::New => "NEW".to_owned(),
            Standing::Older => "lacks it (older)".to_owned(),
        };
        t.add_row([
            found.name.clone(),
            found.branch.clone().unwrap_or_else(|| "-".to_owned()),
            found.tags.len().to_string(),
            found.tags.last().cloned().unwrap_or_else(|| "-".to_owned()),
            status,
        ]);
    }
    text.push_str(&render_table(&t));
    let commands: Vec<&str> = report
        .releases
        .iter()
        .filter_map(|f| f.command.as_deref())
        .collect();
    let tag_only: Vec<&str> = report
        .releases
        .iter()
        .filter(|f| f.status == Standing::New && f.branch.is_none())
        .map(|f| f.name.as_str())
        .collect();
    if commands.is_empty() && tag_only.is_empty() {
        text.push_str("\nthe matrix has every upstream release newer than its own\n");
        return text;
    }
    if !commands.is_empty() {
        text.push_str("\nto add the new releases:\n");
        for command in &commands {
            let _ = writeln!(text, "  {command}");
        }
        match &report.runtimes_from {
            Some(from) => {
                let _ = writeln!(
                    text,
                    "(python and node are copied from `{from}`, the newest release in the matrix: check them)"
                );
            }
            None => text.push_str("(the matrix has no release to copy python and node from)\n"),
        }
        text.push_str(
            "or read them from upstream, each with where it came from: `edx-matrix release add NAME --from-upstream`\n",
        );
    }
    for name in tag_only {
        let _ = writeln!(
            text,
            "`{name}` has tags but no release branch upstream: add it by hand"
        );
    }
    text
}
