//! Real `git` for fixtures: commands sealed from the user's and the system's configuration,
//! bare repositories with given branches and tags, a `git daemon` serving a directory over
//! `git://` on 127.0.0.1, and TCP ports that refuse connections or never answer.
//!
//! Every commit is made by `Test <test@example.invalid>` without signing; with fixed dates
//! ([`Git::run_at`]) the hashes are the same on every run.

use std::error::Error;
use std::fmt::Write as _;
use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// What a fallible helper returns.
pub type TestResult<T = ()> = Result<T, Box<dyn Error>>;

/// The date [`Git::run`] gives commits.
pub(crate) const DEFAULT_DATE: &str = "2024-01-01T00:00:00+00:00";

/// The hash of the empty tree, known to every repository without being written.
const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// Runs `git` with `home` as `HOME` (and `XDG_CONFIG_HOME`), so no user or system
/// configuration is read.
#[derive(Debug, Clone)]
pub struct Git {
    home: PathBuf,
}

impl Git {
    /// `git` with `home` as its home directory (which need not exist).
    pub fn new(home: impl Into<PathBuf>) -> Self {
        Self { home: home.into() }
    }

    /// The home directory the commands run with.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// A sealed command for `program` (`git` or one of its helpers) in `cwd`.
    pub fn program(&self, program: &Path, cwd: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(cwd)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", &self.home)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .stdin(Stdio::null());
        cmd
    }

    /// A sealed `git` command in `cwd` with the test identity, `main` as the initial branch
    /// and no commit signing; add the arguments.
    pub fn command(&self, cwd: &Path) -> Command {
        let mut cmd = self.program(Path::new("git"), cwd);
        cmd.args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgSign=false",
        ]);
        cmd
    }

    /// Runs `git ARGS` in `cwd`, both commit dates `date` if given; returns its trimmed
    /// stdout, or an error with its stderr on a non-zero exit.
    pub fn try_run(&self, cwd: &Path, date: Option<&str>, args: &[&str]) -> TestResult<String> {
        let mut cmd = self.command(cwd);
        if let Some(date) = date {
            cmd.env("GIT_AUTHOR_DATE", date)
                .env("GIT_COMMITTER_DATE", date);
        }
        run(cmd.args(args))
    }

    /// Runs `git ARGS` in `cwd` with commits dated `DEFAULT_DATE`; panics on failure.
    #[track_caller]
    pub fn run(&self, cwd: &Path, args: &[&str]) -> String {
        self.run_at(cwd, DEFAULT_DATE, args)
    }

    /// Runs `git ARGS` in `cwd` with both commit dates set to `date`; panics on failure.
    #[track_caller]
    pub fn run_at(&self, cwd: &Path, date: &str, args: &[&str]) -> String {
        match self.try_run(cwd, Some(date), args) {
            Ok(out) => out,
            Err(e) => panic!("{e}"),
        }
    }

    /// Creates the bare repository `<parent>/<name>` whose branches all point at one empty
    /// commit (dated `DEFAULT_DATE`) and whose tags are annotated tags of it.
    pub fn bare_repo(
        &self,
        parent: &Path,
        name: &str,
        branches: &[&str],
        tags: &[&str],
    ) -> TestResult<PathBuf> {
        let repo = parent.join(name);
        let date = Some(DEFAULT_DATE);
        self.try_run(parent, date, &["init", "-q", "--bare", name])?;
        let commit = self.try_run(&repo, date, &["commit-tree", "-m", "init", EMPTY_TREE])?;
        let mut updates = String::new();
        for branch in branches {
            writeln!(updates, "create refs/heads/{branch} {commit}")?;
        }
        let mut update = self.command(&repo);
        update.args(["update-ref", "--stdin"]).stdin(Stdio::piped());
        let mut child = update.spawn()?;
        child
            .stdin
            .take()
            .ok_or("no stdin")?
            .write_all(updates.as_bytes())?;
        if !child.wait()?.success() {
            return Err("git update-ref failed".into());
        }
        for tag in tags {
            self.try_run(&repo, date, &["tag", "-a", "-m", tag, tag, &commit])?;
        }
        Ok(repo)
    }
}

/// One branch of [`Git::upstream_repo`]: its name and its files (path, content).
pub(crate) type BranchFiles<'a> = (&'a str, &'a [(&'a str, &'a [u8])]);

impl Git {
    /// Creates the bare repository `<parent>/<name>` with one commit per branch holding exactly
    /// `files`, and a lightweight tag `T` on branch `B` for every `(T, B)` of `tags`. It allows
    /// filtered fetches (`uploadpack.allowFilter`), as GitHub does.
    pub fn upstream_repo(
        &self,
        parent: &Path,
        name: &str,
        branches: &[BranchFiles<'_>],
        tags: &[(&str, &str)],
    ) -> TestResult<PathBuf> {
        let repo = parent.join(name);
        let date = Some(DEFAULT_DATE);
        self.try_run(parent, date, &["init", "-q", "--bare", name])?;
        self.try_run(&repo, date, &["config", "uploadpack.allowFilter", "true"])?;
        for (index, (branch, files)) in branches.iter().enumerate() {
            let work = parent.join(format!("{name}.work{index}"));
            std::fs::create_dir_all(&work)?;
            self.try_run(&work, date, &["init", "-q"])?;
            for (path, content) in *files {
                let file = work.join(path);
                if let Some(dir) = file.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(file, content)?;
            }
            self.try_run(&work, date, &["add", "-A"])?;
            self.try_run(
                &work,
                date,
                &["commit", "-q", "--allow-empty", "-m", branch],
            )?;
            let target = format!("HEAD:refs/heads/{branch}");
            self.try_run(
                &work,
                date,
                &["push", "-q", &repo.display().to_string(), &target],
            )?;
            std::fs::remove_dir_all(&work)?;
        }
        for (tag, branch) in tags {
            self.try_run(&repo, date, &["tag", tag, branch])?;
        }
        Ok(repo)
    }
}

fn run(cmd: &mut Command) -> TestResult<String> {
    let output = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).output()?;
    if !output.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(output.stdout)?.trim().to_owned())
}

/// The `file://` URL of a local path.
pub fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A port on 127.0.0.1 that nothing listens on (it was free a moment ago).
pub fn closed_port() -> TestResult<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Starts a server that accepts connections and never answers. Returns its port and the
/// accepted connections; they stay open while the receiver lives.
pub fn silent_server() -> TestResult<(u16, mpsc::Receiver<TcpStream>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if tx.send(stream).is_err() {
                break;
            }
        }
    });
    Ok((port, rx))
}

/// A `git daemon` serving a directory over `git://`, killed on drop.
#[derive(Debug)]
pub struct Daemon {
    child: Child,
    port: u16,
    log: Option<PathBuf>,
}

impl Daemon {
    /// Serves every repository under `base` (run with `git`'s sealed environment).
    pub fn start(git: &Git, base: &Path) -> TestResult<Self> {
        Self::start_with_log(git, base, None)
    }

    /// Serves every repository under `base`, logging each connection to `log` (git daemon's
    /// `--verbose` log), counted by [`Daemon::connections`].
    pub fn start_logged(git: &Git, base: &Path, log: &Path) -> TestResult<Self> {
        Self::start_with_log(git, base, Some(log))
    }

    fn start_with_log(git: &Git, base: &Path, log: Option<&Path>) -> TestResult<Self> {
        // Run `git-daemon` itself: `git daemon` would start it as a child that outlives a
        // kill of the `git` wrapper.
        let program = PathBuf::from(git.try_run(base, None, &["--exec-path"])?).join("git-daemon");
        // The free port may be taken between probing and binding: try a few.
        for _ in 0..3 {
            let port = closed_port()?;
            let mut cmd = git.program(&program, base);
            cmd.args([
                "--export-all",
                &format!("--base-path={}", base.display()),
                "--reuseaddr",
                "--listen=127.0.0.1",
                &format!("--port={port}"),
            ])
            .stdout(Stdio::null());
            match log {
                Some(log) => {
                    cmd.args(["--verbose", "--log-destination=stderr"])
                        .stderr(std::fs::File::create(log)?);
                }
                None => {
                    cmd.stderr(Stdio::null());
                }
            }
            let child = cmd.spawn()?;
            let mut daemon = Self {
                child,
                port,
                log: log.map(Path::to_owned),
            };
            if daemon.wait_until_listening()? {
                return Ok(daemon);
            }
        }
        Err("git daemon did not start".into())
    }

    fn wait_until_listening(&mut self) -> TestResult<bool> {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(false);
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(true);
            }
            thread::sleep(Duration::from_millis(20));
        }
        Ok(false)
    }

    /// How many connections asked for a repository so far (0 without a log): git daemon's
    /// `--verbose` log has one `Request upload-pack for` line per served connection (`ls-remote`,
    /// `fetch`), and none for the probe that saw it listening (which only connects).
    pub fn connections(&self) -> TestResult<usize> {
        let Some(log) = &self.log else {
            return Ok(0);
        };
        let text = std::fs::read_to_string(log)?;
        Ok(text.matches("Request upload-pack for").count())
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The `git://` URL of repository `name` under the served directory.
    pub fn url(&self, name: &str) -> String {
        format!("git://127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
