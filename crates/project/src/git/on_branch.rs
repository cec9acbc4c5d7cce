//! [`commit_on_branch`]: whether a locked commit is still on its branch upstream (reachable from
//! the branch head), for `verify-refs --locked` — a force-push that dropped it shows up here.

use std::path::Path;
use std::time::Duration;

use crate::git::RemoteError;
use crate::git::command::{self, RunError};
use crate::git::url::{redact_text, redact_url, validate_url};

/// Tells whether `commit` is reachable from the head of `branch` in `origin`, whose head
/// `ls-remote` gave as `head`. The same commit is on it without a fetch; any other is checked
/// by fetching the branch's commits only (`--filter=tree:0`, no tags, within `timeout`) into
/// the bare repository `scratch` (created when missing) and asking `merge-base --is-ancestor`.
/// A commit the fetch did not bring is not on the branch.
///
/// # Errors
///
/// A [`RemoteError`] when the URL is refused, the fetch fails or times out, or `git` cannot run.
pub fn commit_on_branch(
    scratch: &Path,
    origin: &str,
    branch: &str,
    head: &str,
    commit: &str,
    timeout: Duration,
) -> Result<bool, RemoteError> {
    if head == commit {
        return Ok(true);
    }
    validate_url(origin)?;
    let git = Path::new("git");
    let fail = |output: &command::Output| RemoteError::Unreachable {
        url: redact_url(origin),
        reason: redact_text(&command::describe_failure(output.status, &output.stderr)),
    };
    let run = |args: &[&str]| -> Result<command::Output, RemoteError> {
        command::run(
            command::git_command(git, Some(scratch)),
            args,
            Some(timeout),
        )
        .map_err(|e| match e {
            RunError::Spawn(e) => RemoteError::Spawn(e),
            RunError::Timeout => RemoteError::Timeout {
                url: redact_url(origin),
                seconds: timeout.as_secs().max(1),
            },
            RunError::TooLarge(_) => RemoteError::Unreachable {
                url: redact_url(origin),
                reason: "git printed more than the limit".to_owned(),
            },
        })
    };
    if !scratch.join("HEAD").is_file() {
        std::fs::create_dir_all(scratch).map_err(RemoteError::Spawn)?;
        let output = run(&["init", "--bare", "--quiet", "."])?;
        if !output.status.success() {
            return Err(fail(&output));
        }
    }
    let fetch = |source: &str| {
        run(&[
            "-c",
            "protocol.ext.allow=never",
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            "--filter=tree:0",
            "--",
            origin,
            &format!("+{source}:refs/edx-matrix/check"),
        ])
    };
    // A branch before a tag of the same name, as `verify-refs` and `lock` read them.
    let output = if branch.starts_with("refs/") {
        fetch(branch)?
    } else {
        match fetch(&format!("refs/heads/{branch}"))? {
            output if output.status.success() => output,
            _ => fetch(&format!("refs/tags/{branch}"))?,
        }
    };
    if !output.status.success() {
        return Err(fail(&output));
    }
    // Exit 0: an ancestor; 1: not one; 128: the commit is not in the repository at all.
    let output = run(&[
        "merge-base",
        "--is-ancestor",
        commit,
        "refs/edx-matrix/check",
    ])?;
    Ok(output.status.success())
}
