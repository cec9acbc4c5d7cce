//! `release add NAME --from-upstream`: the branch, Python and Node versions read from the
//! upstream repositories (`edx_matrix_project::git::upstream`) instead of typed from memory; every
//! value says where it was read, and one that cannot be read is asked for with its flag.

use super::EditOptions;
use crate::cli::GlobalArgs;
use crate::error::CommandError;
use crate::format::Format;
use crate::matrix_file;
use crate::matrix_repo::error_chain;
use crate::output::Output;
use edx_matrix_formats::{safe, safe_lines};
use edx_matrix_model::url::{UrlRule, url_problem};
use edx_matrix_model::{AppKind, Matrix};
use edx_matrix_project::git::{
    DEFAULT_BASE, Fact, FactsError, FactsQuery, FactsReader, Redirect, ReleaseFacts,
};
use edx_matrix_project::git::{GitCli, redact_url};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

/// The flags of `release add` that read the release from upstream.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct FromUpstreamArgs {
    /// Read the branch, tags, Python and Node versions from the upstream repositories (a flag
    /// given as well wins over what is read)
    #[arg(long)]
    pub from_upstream: bool,
    /// Where the upstream repositories are, as `URL/NAME` (default: `https://github.com/openedx`)
    #[arg(long, value_name = "URL", env = "EDX_MATRIX_UPSTREAM")]
    pub upstream: Option<String>,
    /// Seconds allowed for each git run against upstream
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 120,
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub upstream_timeout: u64,
}

/// The values given as flags.
#[derive(Default)]
pub(crate) struct Given {
    pub branch: Option<String>,
    pub python: Option<String>,
    pub node: Option<String>,
}

/// The values `release add` writes.
pub(crate) struct Values {
    pub branch: String,
    pub python: String,
    pub node: String,
}

/// The values when nothing is read: all three flags (clap requires them).
pub(crate) fn given(given: Given) -> Result<Values, CommandError> {
    match (given.branch, given.python, given.node) {
        (Some(branch), Some(python), Some(node)) => Ok(Values {
            branch,
            python,
            node,
        }),
        _ => Err(CommandError::usage(
            "`release add` needs `--branch`, `--python` and `--node`, or `--from-upstream`",
        )),
    }
}

/// Reads what upstream says release `name` is, prints it (or keeps it for the JSON report in
/// the returned options), and returns the values to write: each flag given, else what was read.
pub(crate) fn fill(
    global: &GlobalArgs,
    out: &Output,
    name: &str,
    args: &FromUpstreamArgs,
    given: Given,
    options: &EditOptions,
) -> Result<(Values, EditOptions), CommandError> {
    let project = matrix_file::load_valid(global, out)?;
    let matrix = project.matrix();
    let base = args.upstream.as_deref().unwrap_or(DEFAULT_BASE);
    if let Some(problem) = url_problem(base, UrlRule::Remote) {
        return Err(CommandError::usage(format!(
            "invalid `--upstream {}`: {problem}",
            safe(&redact_url(base))
        )));
    }
    let platform = platform_name(matrix);
    let mfes = mfe_names(matrix);
    let query = FactsQuery {
        release: name,
        base,
        platform: &platform,
        mfes: &mfes,
        branch: given.branch.as_deref(),
        python: given.python.is_none(),
        node: given.node.is_none(),
    };
    let git = GitCli::new().with_timeout(Duration::from_secs(args.upstream_timeout));
    let reader = FactsReader::new(git, cache_dir("upstream"));
    let facts = reader.read(&query).map_err(facts_error)?;
    let mut options = options.clone();
    if options.format == Format::Json {
        options.upstream = serde_json::to_value(&facts).ok();
    } else if !out.quiet {
        out.print(&safe_lines(&render(base, &facts, &given, false)))?;
    }
    if !facts.missing.is_empty() {
        let mut message = String::from("cannot read from upstream:");
        for missing in &facts.missing {
            let _ = write!(message, "\n  {}: {}", missing.flag, safe(&missing.reason));
        }
        let flags: Vec<String> = facts
            .missing
            .iter()
            .map(|m| format!("`{} VERSION`", m.flag))
            .collect();
        return Err(CommandError::usage(message).with_hint(format!(
            "pass {}: a value upstream does not declare is asked for, never guessed",
            flags.join(" and ")
        )));
    }
    let value = |given: Option<String>, fact: &Option<Fact>| {
        given
            .or_else(|| fact.as_ref().map(|f| f.value.clone()))
            .unwrap_or_default()
    };
    let values = Values {
        python: value(given.python.clone(), &facts.python),
        node: value(given.node.clone(), &facts.node),
        branch: facts.branch.value.clone(),
    };
    Ok((values, options))
}

/// A reading that failed as a whole: a missing branch is bad input (exit 2, with the flag that
/// gives it), an unreachable upstream an I/O failure (exit 3).
pub(crate) fn facts_error(e: FactsError) -> CommandError {
    match e {
        FactsError::Missing { reason, flag } => {
            CommandError::usage(format!("cannot read the release from upstream: {reason}"))
                .with_hint(format!("pass `{flag}`"))
        }
        FactsError::Remote(e) => CommandError::io(format!(
            "cannot read the release from upstream: {}",
            error_chain(&e)
        )),
    }
}

/// edx-platform's repository name under the base URL: the last part of the matrix's
/// `edx-platform` repository, else the standard catalogue's.
pub(crate) fn platform_name(matrix: &Matrix) -> String {
    matrix
        .application("edx-platform")
        .and_then(|app| app.repository.as_ref())
        .map(|r| r.as_str().to_owned())
        .or_else(|| {
            edx_matrix_formats::standard("edx-platform")
                .and_then(|app| app.repository)
                .map(str::to_owned)
        })
        .and_then(|url| last_segment(&url))
        .unwrap_or_else(|| "openedx-platform".to_owned())
}

/// The repository names of the matrix's MFEs, each once, in catalogue order.
pub(crate) fn mfe_names(matrix: &Matrix) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for app in &matrix.applications {
        if app.kind != AppKind::Mfe {
            continue;
        }
        if let Some(name) = app
            .repository
            .as_ref()
            .and_then(|r| last_segment(r.as_str()))
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    names
}

/// `frontend-app-learning` of `https://github.com/openedx/frontend-app-learning.git`.
fn last_segment(url: &str) -> Option<String> {
    let trimmed = url.trim_end_matches('/');
    let last = trimmed.rsplit(['/', ':']).next()?;
    let last = last.strip_suffix(".git").unwrap_or(last);
    let plain = !last.is_empty()
        && !last.starts_with('.')
        && last
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    plain.then(|| last.to_owned())
}

/// A cache of fetched repositories: `$XDG_CACHE_HOME/edx-matrix/NAME`, else
/// `~/.cache/edx-matrix/NAME`, else the temporary directory's (`upstream` for `release add
/// --from-upstream`, `repos` for `diff --count-commits`).
pub(crate) fn cache_dir(name: &str) -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".cache"))
        })
        .unwrap_or_else(std::env::temp_dir);
    base.join("edx-matrix").join(name)
}

/// The facts as text: each value with where it came from (and, with `show_missing`, why each
/// missing one was not read: `discover`, where a missing fact is no error).
pub(crate) fn render(
    base: &str,
    facts: &ReleaseFacts,
    given: &Given,
    show_missing: bool,
) -> String {
    let mut text = format!(
        "release {} from upstream ({}):\n",
        facts.release,
        redact_url(base)
    );
    let line = |text: &mut String, what: &str, fact: &Fact| {
        let detail = fact
            .detail
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let _ = writeln!(text, "  {what:<7} {} — {}{detail}", fact.value, fact.source);
    };
    line(&mut text, "branch", &facts.branch);
    let tags = if facts.tags.is_empty() {
        "none yet".to_owned()
    } else {
        facts.tags.join(", ")
    };
    let _ = writeln!(text, "  {:<7} {tags}", "tags");
    for (what, fact, flag) in [
        ("python", &facts.python, &given.python),
        ("node", &facts.node, &given.node),
    ] {
        match (fact, flag) {
            (_, Some(value)) => {
                let _ = writeln!(text, "  {what:<7} {value} — --{what} (not read)");
            }
            (Some(fact), None) => line(&mut text, what, fact),
            (None, None) => {
                let flag = format!("--{what}");
                for missing in facts
                    .missing
                    .iter()
                    .filter(|m| show_missing && m.flag == flag)
                {
                    let _ = writeln!(text, "  {what:<7} not read: {}", missing.reason);
                }
            }
        }
    }
    for repo in &facts.repositories {
        match &repo.redirect {
            Redirect::To {
                url,
                renamed_to: Some(new),
            } => {
                let _ = writeln!(
                    text,
                    "  renamed {} → {new} ({url} answers for it): update the matrix's repository",
                    repo.name
                );
            }
            Redirect::To {
                url,
                renamed_to: None,
            } => {
                let _ = writeln!(text, "  redirect {} → {url}", repo.name);
            }
            Redirect::None | Redirect::NotChecked { .. } => {}
        }
        if repo.outcome != "read" && repo.outcome != "refs listed" {
            let _ = writeln!(text, "  {}: {}", repo.name, repo.outcome);
        }
    }
    if let Some(Redirect::NotChecked { reason }) = facts
        .repositories
        .first()
        .map(|r| &r.redirect)
        .filter(|r| matches!(r, Redirect::NotChecked { .. }))
    {
        let _ = writeln!(text, "  renames not checked: {reason}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_names_are_the_last_segment() {
        assert_eq!(
            last_segment("https://github.com/openedx/frontend-app-learning.git").as_deref(),
            Some("frontend-app-learning")
        );
        assert_eq!(
            last_segment("git@github.com:openedx/edx-platform").as_deref(),
            Some("edx-platform")
        );
        assert_eq!(
            last_segment("https://github.com/openedx/..").as_deref(),
            None
        );
        assert_eq!(last_segment("https://x/a b").as_deref(), None);
    }
}
