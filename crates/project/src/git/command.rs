//! Running the `git` program: never through a shell, with prompts disabled, stdin
//! closed, and an optional deadline after which the child is killed.

use std::ffi::OsStr;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Variables that would point `git` at another repository than the one we mean.
const REPOSITORY_VARIABLES: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
];

/// How long to wait for git's output pipes to close once the child has exited; a
/// grandchild (a remote helper, `ssh`) may still hold them.
const PIPE_GRACE: Duration = Duration::from_secs(2);

/// The most any one `git` run may print on stdout, unless the caller says otherwise: the input
/// limit of every file edx-matrix reads (`crate::fsio::MAX_INPUT_BYTES`, 32 MiB). A run
/// that prints more has its pipe closed (git dies of `SIGPIPE`) and fails with
/// [`RunError::TooLarge`]: a hostile remote or repository never grows our memory past it.
pub(crate) const MAX_OUTPUT_BYTES: u64 = 32 * 1024 * 1024;

/// The most of git's error output kept: its last lines are all a message shows.
const MAX_STDERR_BYTES: u64 = 1024 * 1024;

/// What a finished `git` run produced.
pub(crate) struct Output {
    pub(crate) status: ExitStatus,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
}

/// Why a `git` run produced no [`Output`].
pub(crate) enum RunError {
    /// The program could not be started.
    Spawn(io::Error),
    /// The deadline passed; the child was killed.
    Timeout,
    /// stdout went past the limit (in bytes); the pipe was closed and the child reaped.
    TooLarge(u64),
}

/// Builds a `git` command with safe defaults: no terminal or askpass prompts, no
/// pager, `ssh` in batch mode unless the user configured their own, and none of the
/// variables that select a repository.
pub(crate) fn git_command(program: &Path, cwd: Option<&Path>) -> Command {
    let mut cmd = Command::new(program);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("GIT_TERMINAL_PROMPT", "0")
        // An empty GIT_ASKPASS makes git skip every askpass program (core.askPass and
        // SSH_ASKPASS included) instead of falling back to them.
        .env("GIT_ASKPASS", "")
        .env("SSH_ASKPASS", "")
        .env("GCM_INTERACTIVE", "never")
        .env("GIT_PAGER", "cat")
        .env("GIT_LITERAL_PATHSPECS", "1")
        .env("LC_ALL", "C");
    for variable in REPOSITORY_VARIABLES {
        cmd.env_remove(variable);
    }
    // ssh reads passwords and host-key answers from /dev/tty, not stdin.
    if std::env::var_os("GIT_SSH_COMMAND").is_none() && std::env::var_os("GIT_SSH").is_none() {
        cmd.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    }
    if let Some(cwd) = cwd {
        cmd.current_dir(cwd);
    }
    cmd.arg("--no-pager");
    cmd
}

/// Runs `cmd` with `args`, killing it if it is still running after `timeout`.
pub(crate) fn run<I, S>(
    cmd: Command,
    args: I,
    timeout: Option<Duration>,
) -> Result<Output, RunError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run_bounded(cmd, args, timeout, MAX_OUTPUT_BYTES, None)
}

/// [`run`] with stdout limited to `limit` bytes instead of [`MAX_OUTPUT_BYTES`], and the
/// child's address space to `address_space` bytes where the system allows
/// ([`crate::git::memory_limit`]).
pub(crate) fn run_bounded<I, S>(
    cmd: Command,
    args: I,
    timeout: Option<Duration>,
    limit: u64,
    address_space: Option<u64>,
) -> Result<Output, RunError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run_limited(cmd, args, timeout, limit, address_space, |_| {})
}

/// [`run_bounded`], calling `limit_child` on the child right after it is spawned (to set more
/// resource limits).
pub(crate) fn run_limited<I, S>(
    mut cmd: Command,
    args: I,
    timeout: Option<Duration>,
    limit: u64,
    address_space: Option<u64>,
    limit_child: impl FnOnce(&Child),
) -> Result<Output, RunError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    cmd.args(args);
    let mut child = cmd.spawn().map_err(RunError::Spawn)?;
    if let Some(bytes) = address_space {
        crate::git::memory_limit::apply(&child, bytes);
    }
    limit_child(&child);
    let stdout = drain(child.stdout.take(), limit);
    let stderr = drain(child.stderr.take(), MAX_STDERR_BYTES);
    let status = match timeout {
        None => child.wait().map_err(RunError::Spawn)?,
        Some(timeout) => wait_with_deadline(&mut child, Instant::now() + timeout)?,
    };
    finish(status, &stdout, &stderr, limit)
}

/// Collects both pipes of an exited child; fails when stdout went past `limit`.
fn finish(
    status: ExitStatus,
    stdout: &mpsc::Receiver<Drained>,
    stderr: &mpsc::Receiver<Drained>,
    limit: u64,
) -> Result<Output, RunError> {
    let grace = Instant::now() + PIPE_GRACE;
    let stdout = collect(stdout, grace);
    if stdout.over {
        return Err(RunError::TooLarge(limit));
    }
    Ok(Output {
        status,
        stdout: stdout.bytes,
        stderr: collect(stderr, grace).bytes,
    })
}

/// Runs `cmd` with `args`, writing `input` to its stdin (from another thread, so a child
/// that answers as it reads never blocks on a full pipe), and waits for it to exit; stdout is
/// limited to `limit` bytes.
pub(crate) fn run_with_input<I, S>(
    mut cmd: Command,
    args: I,
    input: Vec<u8>,
    limit: u64,
) -> Result<Output, RunError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    cmd.args(args).stdin(Stdio::piped());
    let mut child = cmd.spawn().map_err(RunError::Spawn)?;
    if let Some(mut stdin) = child.stdin.take() {
        thread::spawn(move || {
            // A write error means git exited early; its status and stderr say why.
            let _ = stdin.write_all(&input);
        });
    }
    let stdout = drain(child.stdout.take(), limit);
    let stderr = drain(child.stderr.take(), MAX_STDERR_BYTES);
    let status = child.wait().map_err(RunError::Spawn)?;
    finish(status, &stdout, &stderr, limit)
}

/// Polls `child` until it exits or `deadline` passes; on expiry kills and reaps it.
fn wait_with_deadline(child: &mut Child, deadline: Instant) -> Result<ExitStatus, RunError> {
    let mut pause = Duration::from_millis(2);
    loop {
        if let Some(status) = child.try_wait().map_err(RunError::Spawn)? {
            return Ok(status);
        }
        let now = Instant::now();
        if now >= deadline {
            // The child may have exited between try_wait and kill; either way reap it.
            let _ = child.kill();
            let _ = child.wait();
            return Err(RunError::Timeout);
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// What was read from a pipe.
#[derive(Default)]
struct Drained {
    bytes: Vec<u8>,
    /// More than the limit was written: the pipe was closed after `limit + 1` bytes.
    over: bool,
}

/// Reads a pipe to its end (or `limit + 1` bytes) on its own thread, so a full pipe never
/// blocks the child. Past the limit the pipe is dropped: the child's next write fails
/// (`SIGPIPE`), so it stops instead of writing on for ever.
fn drain<R: Read + Send + 'static>(pipe: Option<R>, limit: u64) -> mpsc::Receiver<Drained> {
    let (tx, rx) = mpsc::channel();
    if let Some(pipe) = pipe {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let mut pipe = pipe.take(limit.saturating_add(1));
            // A read error only truncates what we report.
            let _ = pipe.read_to_end(&mut buf);
            let over = buf.len() as u64 > limit;
            drop(pipe);
            let _ = tx.send(Drained { bytes: buf, over });
        });
    }
    rx
}

/// Waits for a drained pipe until `deadline`. A reader still blocked after that (a
/// grandchild kept the pipe open) is left to finish on its own.
fn collect(rx: &mpsc::Receiver<Drained>, deadline: Instant) -> Drained {
    let left = deadline.saturating_duration_since(Instant::now());
    rx.recv_timeout(left).unwrap_or_default()
}

/// Returns the last `max_lines` non-empty lines of git's error output, trimmed.
pub(crate) fn stderr_tail(stderr: &[u8], max_lines: usize) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let start = lines.len().saturating_sub(max_lines);
    lines[start..].join("\n")
}

/// Describes a failed run when git printed nothing to stderr.
pub(crate) fn describe_failure(status: ExitStatus, stderr: &[u8]) -> String {
    let tail = stderr_tail(stderr, 5);
    if tail.is_empty() {
        match status.code() {
            Some(code) => format!("git exited with status {code}"),
            None => "git was terminated by a signal".to_owned(),
        }
    } else {
        tail
    }
}
