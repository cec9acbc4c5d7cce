//! `edx-matrix discover`: the releases upstream has cut, against the releases of the matrix
//! ([`edx_matrix_project::git::compare_with`]), and for each new one what upstream says it is — read with
//! `release add --from-upstream`'s reader ([`FactsReader::read_listed`]), each fact with where
//! it came from — and the `release add` command that adds it with only those facts.

use super::edit::from_upstream::{self, Given, cache_dir, facts_error, mfe_names};
use super::resolve::shell_quote;
use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError};
use crate::format::{Format, TABLE, formats};
use crate::matrix_file;
use crate::matrix_repo::error_chain;
use crate::output::{Output, render_table, table};
use edx_matrix_formats::{safe, safe_lines};
use edx_matrix_model::Matrix;
use edx_matrix_model::url::{UrlRule, url_problem};
use edx_matrix_project::git::{
    Comparison, GitCli, Standing, compare_with, default_repository, redact_url,
};
use edx_matrix_project::git::{FactsQuery, FactsReader, ReleaseFacts};
use serde::Serialize;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub(crate) struct DiscoverArgs {
    /// The upstream repository to list (default: edx-platform's repository in the matrix,
    /// else the standard catalogue's)
    #[arg(long, value_name = "URL")]
    pub repository: Option<String>,
    /// Seconds allowed for each git run against upstream (the listing, each fetch)
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Output format
    #[arg(long, value_parser = formats(TABLE), default_value_t = Format::Human)]
    pub format: Format,
}

/// The value a command shows for a fact upstream does not declare: `release add` refuses it (it
/// is not a version), so a command run unfilled writes nothing.
fn placeholder(flag: &str) -> String {
    format!("<{}>", flag.trim_start_matches('-').to_ascii_uppercase())
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
    /// What upstream says the release is, each fact with its source (new releases with a
    /// branch).
    #[serde(skip_serializing_if = "Option::is_none")]
    facts: Option<ReleaseFacts>,
    /// The command that adds it: read facts only, a placeholder for each missing one.
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<String>,
    /// The flags whose value the command leaves as a placeholder (`--python`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    placeholders: Vec<&'static str>,
}

#[derive(Serialize)]
struct Report {
    repository: String,
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

/// The `release add` command for `facts`: each value read, else a placeholder; the flags left
/// as placeholders.
fn command(facts: &ReleaseFacts) -> (String, Vec<&'static str>) {
    let mut placeholders = Vec::new();
    let mut value = |flag: &'static str, fact: Option<&edx_matrix_project::git::Fact>| {
        fact.map_or_else(
            || {
                placeholders.push(flag);
                shell_quote(&placeholder(flag))
            },
            |f| arg(&f.value),
        )
    };
    let python = value("--python", facts.python.as_ref());
    let node = value("--node", facts.node.as_ref());
    (
        format!(
            "edx-matrix release add {} --branch {} --python {python} --node {node}",
            arg(&facts.release),
            arg(&facts.branch.value),
        ),
        placeholders,
    )
}

/// The report's releases: the comparison, with the facts `read` for each new release with a
/// branch and the command that adds it.
fn found(comparison: &Comparison<'_>, mut read: Vec<ReleaseFacts>) -> Vec<Found> {
    comparison
        .releases
        .iter()
        .map(|c| {
            let u = c.upstream;
            let facts = match (c.standing, &u.branch) {
                (Standing::New, Some(_)) => read
                    .iter()
                    .position(|f| f.release == u.name)
                    .map(|at| read.swap_remove(at)),
                _ => None,
            };
            let (command, placeholders) = facts.as_ref().map_or((None, Vec::new()), |f| {
                let (command, placeholders) = command(f);
                (Some(command), placeholders)
            });
            Found {
                name: u.name.clone(),
                branch: u.branch.clone(),
                tags: u.tags.clone(),
                status: c.standing,
                matrix_branch: c.matrix_branch.clone(),
                facts,
                command,
                placeholders,
            }
        })
        .collect()
}

/// The base URL and repository name of `url` (`https://github.com/openedx`,
/// `openedx-platform`): the MFEs are read beside it, as `release add --from-upstream` reads them
/// beside edx-platform.
fn split(url: &str) -> Option<(&str, &str)> {
    let (base, name) = url.trim_end_matches('/').rsplit_once('/')?;
    (!name.is_empty() && !base.is_empty() && !base.ends_with('/') && !base.ends_with(':'))
        .then_some((base, name))
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &DiscoverArgs) -> CmdResult {
    let loaded = matrix_file::load_valid(global, out)?.into_loaded();
    let url = repository(args, &loaded.matrix)?;
    let Some((base, platform)) = split(&url) else {
        return Err(CommandError::usage(format!(
            "cannot tell the repository's name in `{}`: pass a URL ending in `/NAME`",
            safe(&redact_url(&url))
        )));
    };
    let git = GitCli::new().with_timeout(Duration::from_secs(args.timeout));
    let reader = FactsReader::new(git, cache_dir("upstream"));
    let listing = reader
        .list(base, platform)
        .map_err(|err| CommandError::io(error_chain(&err)))?;
    let comparison = compare_with(&loaded.matrix, &listing.releases);
    let new: Vec<&str> = comparison
        .releases
        .iter()
        .filter(|c| c.standing == Standing::New && c.upstream.branch.is_some())
        .map(|c| c.upstream.name.as_str())
        .collect();
    let mfes = mfe_names(&loaded.matrix);
    let query = FactsQuery {
        release: "",
        base,
        platform,
        mfes: &mfes,
        branch: None,
        python: true,
        node: true,
    };
    let read = if new.is_empty() {
        Vec::new()
    } else {
        reader
            .read_listed(&listing, &query, &new)
            .map_err(facts_error)?
    };
    let report = Report {
        repository: listing.url(),
        releases: found(&comparison, read),
    };
    match args.format {
        Format::Json => out.json(&report)?,
        _ => out.print(&safe_lines(&render(base, &report)))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn render(base: &str, report: &Report) -> String {
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
    let tag_only: Vec<&str> = report
        .releases
        .iter()
        .filter(|f| f.status == Standing::New && f.branch.is_none())
        .map(|f| f.name.as_str())
        .collect();
    let new: Vec<&Found> = report
        .releases
        .iter()
        .filter(|f| f.facts.is_some())
        .collect();
    if new.is_empty() && tag_only.is_empty() {
        text.push_str("\nthe matrix has every upstream release newer than its own\n");
        return text;
    }
    for found in new {
        let (Some(facts), Some(command)) = (&found.facts, &found.command) else {
            continue;
        };
        text.push('\n');
        text.push_str(&from_upstream::render(base, facts, &Given::default(), true));
        let _ = writeln!(text, "to add it:\n  {command}");
        if !found.placeholders.is_empty() {
            let filled: Vec<String> = found
                .placeholders
                .iter()
                .map(|flag| format!("`{}`", placeholder(flag)))
                .collect();
            let _ = writeln!(
                text,
                "  (fill in {}: upstream does not declare {}, and nothing is copied from another release)",
                filled.join(" and "),
                if filled.len() == 1 { "it" } else { "them" }
            );
        }
    }
    if !tag_only.is_empty() {
        text.push('\n');
    }
    for name in tag_only {
        let _ = writeln!(
            text,
            "`{name}` has tags but no release branch upstream: add it by hand"
        );
    }
    text
}
