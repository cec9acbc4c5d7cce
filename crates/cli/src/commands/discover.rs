//! `edx-matrix discover`: the releases upstream has cut, against the releases of the matrix.

use super::resolve::shell_quote;
use crate::cli::{DiscoverArgs, GlobalArgs, TableFormat};
use crate::error::{CmdResult, CommandError};
use crate::matrix_file;
use crate::matrix_repo::error_chain;
use crate::output::{Output, render_table, table};
use edx_matrix_config::catalogue;
use edx_matrix_config::terminal::safe;
use edx_matrix_git::{GitCli, RemoteRefs, UpstreamRelease, discover_releases, redact_url};
use edx_matrix_model::order::compare_releases;
use edx_matrix_model::url::repository_url_problem;
use edx_matrix_model::{Matrix, Release};
use serde::Serialize;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Duration;

/// How an upstream release relates to the matrix.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Status {
    /// The matrix has it, on the same branch.
    InMatrix,
    /// The matrix has it on another branch.
    BranchDiffers,
    /// The matrix lacks it and it is newer than every named release of the matrix.
    New,
    /// The matrix lacks it, but it is older than the newest named release (retired or skipped).
    Older,
}

#[derive(Serialize)]
struct Found {
    name: String,
    branch: Option<String>,
    tags: Vec<String>,
    status: Status,
    /// The matrix's branch for the release, when it has the release.
    #[serde(skip_serializing_if = "Option::is_none")]
    matrix_branch: Option<String>,
    /// The command that adds it, for new releases with a branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<String>,
}

#[derive(Serialize)]
struct Report {
    repository: String,
    /// The release whose python/node the suggested commands copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    runtimes_from: Option<String>,
    releases: Vec<Found>,
}

/// Returns the repository to list: `--repository`, else edx-platform's in the matrix, else the
/// standard catalogue's.
fn repository(args: &DiscoverArgs, matrix: &Matrix) -> Result<String, CommandError> {
    if let Some(url) = &args.repository {
        // A malformed URL is bad input (exit 2), not a failed listing (exit 3).
        if let Some(problem) = repository_url_problem(url) {
            return Err(CommandError::usage(format!(
                "invalid `--repository {}`: {problem}",
                safe(&redact_url(url))
            )));
        }
        return Ok(url.clone());
    }
    matrix
        .application("edx-platform")
        .and_then(|app| app.repository.as_ref())
        .map(ToString::to_string)
        .or_else(|| {
            catalogue::standard("edx-platform")
                .and_then(|app| app.repository)
                .map(str::to_owned)
        })
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

fn compare<'m>(
    matrix: &'m Matrix,
    upstream: &[UpstreamRelease],
) -> (Vec<Found>, Option<&'m Release>) {
    let newest_named = matrix
        .releases
        .iter()
        .filter(|r| !r.rolling)
        .max_by(|a, b| compare_releases(a, b));
    let runtimes = matrix.releases.iter().max_by(|a, b| compare_releases(a, b));
    let found = upstream
        .iter()
        .map(|u| {
            let have = matrix.release(&u.name);
            let status = match have {
                Some(r) if Some(r.branch.as_str()) == u.branch.as_deref() => Status::InMatrix,
                Some(_) => Status::BranchDiffers,
                None => match newest_named {
                    Some(newest) if u.name <= newest.name.as_str().to_ascii_lowercase() => {
                        Status::Older
                    }
                    _ => Status::New,
                },
            };
            let command = match (status, &u.branch, runtimes) {
                (Status::New, Some(branch), Some(from)) => Some(format!(
                    "edx-matrix release add {} --branch {} --python {} --node {}",
                    arg(&u.name),
                    arg(branch),
                    from.python
                        .as_ref()
                        .map_or("PYTHON".to_owned(), |v| arg(v.as_str())),
                    from.node
                        .as_ref()
                        .map_or("NODE".to_owned(), |v| arg(v.as_str()))
                )),
                (Status::New, Some(branch), None) => Some(format!(
                    "edx-matrix release add {} --branch {} --python PYTHON --node NODE",
                    arg(&u.name),
                    arg(branch)
                )),
                _ => None,
            };
            Found {
                name: u.name.clone(),
                branch: u.branch.clone(),
                tags: u.tags.clone(),
                status,
                matrix_branch: have.map(|r| r.branch.to_string()),
                command,
            }
        })
        .collect();
    (found, runtimes)
}

pub fn run(global: &GlobalArgs, out: &Output, args: &DiscoverArgs) -> CmdResult {
    let loaded = matrix_file::load_valid(global, out)?.into_loaded();
    let url = repository(args, &loaded.matrix)?;
    let git = GitCli::new().with_timeout(Duration::from_secs(args.timeout));
    let refs = git
        .list_refs(&url)
        .map_err(|err| CommandError::io(error_chain(&err)))?;
    let upstream = discover_releases(&refs);
    let (releases, runtimes) = compare(&loaded.matrix, &upstream);
    let report = Report {
        repository: redact_url(&url),
        runtimes_from: runtimes
            .filter(|_| releases.iter().any(|f| f.command.is_some()))
            .map(|r| r.name.to_string()),
        releases,
    };
    match args.format {
        TableFormat::Json => out.json(&report)?,
        TableFormat::Table => out.print(&render(&report))?,
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
            Status::InMatrix => "has it".to_owned(),
            Status::BranchDiffers => format!(
                "has it on `{}`",
                found.matrix_branch.as_deref().unwrap_or_default()
            ),
            Status::New => "NEW".to_owned(),
            Status::Older => "lacks it (older)".to_owned(),
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
        .filter(|f| f.status == Status::New && f.branch.is_none())
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
    }
    for name in tag_only {
        let _ = writeln!(
            text,
            "`{name}` has tags but no release branch upstream: add it by hand"
        );
    }
    text
}
