//! Test support: a sealed environment for the `git` commands that build fixtures,
//! bare repositories with given branches and tags, a `git daemon`, and TCP ports that
//! refuse connections or never answer.

use std::error::Error;
use std::fmt::Write as _;
use std::io;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use edx_matrix_git::{RemoteError, RemoteRef, RemoteRefs};
use tempfile::TempDir;

/// What every test returns.
pub type TestResult<T = ()> = Result<T, Box<dyn Error>>;

/// A temporary directory with its own `HOME`, so no user or system git config is read
/// by the fixture commands.
pub struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    pub fn new() -> TestResult<Self> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir(dir.path().join("home"))?;
        Ok(Self { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Returns a `git` command isolated from the user's configuration, run in `cwd`.
    pub fn git_command(&self, cwd: &Path) -> Command {
        let mut cmd = self.command(Path::new("git"), cwd);
        cmd.args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@e",
            "-c",
            "init.defaultBranch=main",
        ]);
        cmd
    }

    /// Returns a command for `program` in `cwd` with the sandbox's environment.
    fn command(&self, program: &Path, cwd: &Path) -> Command {
        let home = self.path().join("home");
        let mut cmd = Command::new(program);
        cmd.current_dir(cwd)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", &home)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `git ARGS` in `cwd` and returns its trimmed stdout; fails on a non-zero exit.
    pub fn git(&self, cwd: &Path, args: &[&str]) -> TestResult<String> {
        run(self.git_command(cwd).args(args))
    }

    /// Runs `git ARGS` in `cwd` with both commit dates set to `date`.
    pub fn git_at(&self, cwd: &Path, date: &str, args: &[&str]) -> TestResult<String> {
        run(self
            .git_command(cwd)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .args(args))
    }

    /// Creates the bare repository `<sandbox>/<name>` whose branches all point at one
    /// empty commit and whose tags are annotated tags of it.
    pub fn bare_repo(&self, name: &str, branches: &[&str], tags: &[&str]) -> TestResult<PathBuf> {
        let repo = self.path().join(name);
        self.git(self.path(), &["init", "-q", "--bare", name])?;
        // The empty tree is known to every repository without being written.
        let commit = self.git(
            &repo,
            &[
                "commit-tree",
                "-m",
                "init",
                "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
            ],
        )?;
        let mut updates = String::new();
        for branch in branches {
            writeln!(updates, "create refs/heads/{branch} {commit}")?;
        }
        let mut update = self.git_command(&repo);
        update.args(["update-ref", "--stdin"]).stdin(Stdio::piped());
        let mut child = update.spawn()?;
        io::Write::write_all(
            &mut child.stdin.take().ok_or("no stdin")?,
            updates.as_bytes(),
        )?;
        if !child.wait()?.success() {
            return Err("git update-ref failed".into());
        }
        for tag in tags {
            self.git(&repo, &["tag", "-a", "-m", tag, tag, &commit])?;
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

/// Returns `file://` URL of a local path.
pub fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Returns a port on 127.0.0.1 that nothing listens on (it was free a moment ago).
pub fn closed_port() -> TestResult<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Starts a server that accepts connections and never answers. Returns its port and
/// the accepted connections; they stay open while the receiver lives.
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
pub struct Daemon {
    child: Child,
    port: u16,
}

impl Daemon {
    pub fn start(sandbox: &Sandbox, base: &Path) -> TestResult<Self> {
        // Run `git-daemon` itself: `git daemon` would start it as a child that
        // outlives a kill of the `git` wrapper.
        let program = PathBuf::from(sandbox.git(base, &["--exec-path"])?).join("git-daemon");
        // The free port may be taken between probing and binding: try a few.
        for _ in 0..3 {
            let port = closed_port()?;
            let child = sandbox
                .command(&program, base)
                .args([
                    "--export-all",
                    &format!("--base-path={}", base.display()),
                    "--reuseaddr",
                    "--listen=127.0.0.1",
                    &format!("--port={port}"),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?;
            let mut daemon = Self { child, port };
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

    /// Returns the `git://` URL of repository `name` under the served directory.
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

/// Wraps a real remote and counts the calls per URL.
pub struct Counting<R> {
    pub inner: R,
    pub calls: Mutex<Vec<String>>,
}

impl<R> Counting<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            calls: Mutex::new(Vec::new()),
        }
    }

    pub fn calls_to(&self, url: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|u| *u == url)
            .count()
    }
}

impl<R: RemoteRefs> RemoteRefs for Counting<R> {
    fn list_refs(&self, url: &str) -> Result<Vec<RemoteRef>, RemoteError> {
        self.calls.lock().unwrap().push(url.to_owned());
        self.inner.list_refs(url)
    }
}
