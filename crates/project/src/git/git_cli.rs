//! [`GitCli`]: [`RemoteRefs`] implemented by running `git ls-remote`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::git::command::{self, RunError};
use crate::git::memory_limit::LS_REMOTE_ADDRESS_SPACE;
use crate::git::url::{redact_text, redact_url, validate_url};
use crate::git::{RemoteError, RemoteRef, RemoteRefs};

/// Lists remote refs by running `git ls-remote --heads --tags -- URL`.
///
/// The program runs without a shell, with stdin closed and every credential prompt
/// disabled, so a remote that needs a password fails instead of waiting for one.
/// Credential helpers and `url.<base>.insteadOf` settings of the user still apply.
#[derive(Debug, Clone)]
pub struct GitCli {
    timeout: Duration,
    program: PathBuf,
}

impl GitCli {
    /// The timeout used by [`GitCli::new`].
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// Returns a `GitCli` that runs `git` from `PATH` with a 30 s timeout.
    #[must_use]
    pub fn new() -> Self {
        Self {
            timeout: Self::DEFAULT_TIMEOUT,
            program: PathBuf::from("git"),
        }
    }

    /// Returns this `GitCli` with the time allowed for one `ls-remote` set to `timeout`.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Returns this `GitCli` running `program` instead of `git`.
    #[must_use]
    pub fn with_program(mut self, program: impl Into<PathBuf>) -> Self {
        self.program = program.into();
        self
    }

    /// Returns the time allowed for one `ls-remote`.
    #[must_use]
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Returns the program that is run.
    #[must_use]
    pub fn program(&self) -> &Path {
        &self.program
    }
}

impl Default for GitCli {
    fn default() -> Self {
        Self::new()
    }
}

impl RemoteRefs for GitCli {
    fn list_refs(&self, url: &str) -> Result<Vec<RemoteRef>, RemoteError> {
        validate_url(url)?;
        let cmd = command::git_command(&self.program, None);
        let seconds = ceil_seconds(self.timeout);
        // Killing `git` does not kill its `git-remote-http(s)` helper: make the helper
        // give up by itself on a stalled server at about the same time.
        let low_speed_time = format!("http.lowSpeedTime={seconds}");
        let args = [
            "-c",
            "protocol.ext.allow=never",
            "-c",
            "http.lowSpeedLimit=1",
            "-c",
            low_speed_time.as_str(),
            "ls-remote",
            "--heads",
            "--tags",
            "--",
            url,
        ];
        let output = match command::run_bounded(
            cmd,
            args,
            Some(self.timeout),
            command::MAX_OUTPUT_BYTES,
            Some(LS_REMOTE_ADDRESS_SPACE),
        ) {
            Ok(output) => output,
            Err(RunError::Spawn(err)) => return Err(RemoteError::Spawn(err)),
            Err(RunError::TooLarge(limit)) => {
                return Err(RemoteError::Unreachable {
                    url: redact_url(url),
                    reason: format!(
                        "it advertises more than {} MiB of refs (the limit)",
                        limit / (1024 * 1024)
                    ),
                });
            }
            Err(RunError::Timeout) => {
                return Err(RemoteError::Timeout {
                    url: redact_url(url),
                    seconds,
                });
            }
        };
        if !output.status.success() {
            return Err(RemoteError::Unreachable {
                url: redact_url(url),
                reason: redact_text(&command::describe_failure(output.status, &output.stderr)),
            });
        }
        Ok(parse_ls_remote(&String::from_utf8_lossy(&output.stdout)))
    }
}

fn ceil_seconds(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

/// Parses `OID<TAB>REF` lines; an annotated tag's peeled `REF^{}` line gives the tag the
/// commit it points at (what a lock records), instead of the tag object.
pub(crate) fn parse_ls_remote(stdout: &str) -> Vec<RemoteRef> {
    let mut refs: Vec<RemoteRef> = Vec::new();
    for (oid, name) in stdout.lines().filter_map(|line| line.split_once('\t')) {
        let (oid, name) = (oid.trim(), name.trim_end());
        if let Some(tag) = name.strip_suffix("^{}") {
            if let Some(last) = refs.last_mut().filter(|r| r.name == tag) {
                oid.clone_into(&mut last.oid);
            }
            continue;
        }
        refs.push(RemoteRef {
            name: name.to_owned(),
            oid: oid.to_owned(),
        });
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ls_remote_output() {
        let out = "1111\trefs/heads/main\n2222\trefs/tags/v1\n3333\trefs/tags/v1^{}\n\nnoise\n";
        assert_eq!(
            parse_ls_remote(out),
            vec![
                RemoteRef {
                    name: "refs/heads/main".into(),
                    oid: "1111".into()
                },
                RemoteRef {
                    name: "refs/tags/v1".into(),
                    oid: "3333".into()
                },
            ]
        );
    }

    #[test]
    fn rounds_timeouts_up() {
        assert_eq!(ceil_seconds(Duration::from_secs(2)), 2);
        assert_eq!(ceil_seconds(Duration::from_millis(1500)), 2);
        assert_eq!(ceil_seconds(Duration::from_millis(1)), 1);
    }

    #[test]
    fn refuses_option_like_urls_without_running_git() {
        let git = GitCli::new().with_program("/nonexistent/git");
        let result = git.list_refs("--upload-pack=touch /tmp/x");
        assert!(matches!(result, Err(RemoteError::InvalidUrl { .. })));
    }

    #[test]
    fn reports_a_missing_program() {
        let git = GitCli::new().with_program("/nonexistent/git");
        let result = git.list_refs("file:///nonexistent");
        assert!(matches!(result, Err(RemoteError::Spawn(_))));
    }
}
