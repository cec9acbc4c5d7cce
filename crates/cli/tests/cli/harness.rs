//! Runs the real binary in a sealed environment: a temp directory as the working directory and
//! `HOME`, no inherited `EDX_MATRIX_*` variables, no colours, a fixed terminal width.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's `tests/fixtures` directory.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// Returns the text of a fixture file.
pub(crate) fn fixture(relative: &str) -> String {
    std::fs::read_to_string(fixtures().join(relative)).unwrap()
}

/// A scratch directory to run the binary in.
pub(crate) struct Env {
    pub dir: tempfile::TempDir,
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success and returns stdout.
    #[track_caller]
    pub(crate) fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    /// Asserts the exit code.
    #[track_caller]
    pub(crate) fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Stdout, stderr and exit status as one string, for snapshots.
    pub(crate) fn snapshot(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Env {
    /// An empty scratch directory.
    pub(crate) fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A scratch directory holding `edx-matrix.toml` with `text`.
    pub(crate) fn with_matrix(text: &str) -> Self {
        let env = Env::new();
        env.write("edx-matrix.toml", text);
        env
    }

    /// A scratch environment holding a variant of the built-in example: `text` as its
    /// `edx-matrix.toml`, next to the example's pipeline templates (which its `[pipelines]`
    /// names: without them the project has errors).
    pub(crate) fn with_example_matrix(text: &str) -> Self {
        let env = Env::with_matrix(text);
        for (path, template) in edx_matrix_formats::example::TEMPLATES {
            env.write(path, template);
        }
        env
    }

    /// The path of a file in the scratch directory.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file into the scratch directory.
    pub(crate) fn write(&self, name: &str, text: &str) {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, text).unwrap();
    }

    /// Reads a file from the scratch directory.
    pub(crate) fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    /// The command, ready to run in the scratch directory.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_edx-matrix"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("COLUMNS", "200")
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1");
        cmd
    }

    /// Runs an edit that must be refused with exit `code`, asserts that `edx-matrix.toml` is
    /// unchanged byte for byte, and returns the run (to check what it said).
    #[track_caller]
    pub(crate) fn run_refused(&self, args: &[&str], code: i32) -> Run {
        let path = self.path("edx-matrix.toml");
        let before = std::fs::read(&path).unwrap();
        let run = self.run(args);
        run.code(code);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{args:?} changed the file"
        );
        run
    }

    /// Runs the binary with `args` and collects the result, with the scratch path replaced by
    /// `[TMP]` so outputs can be snapshotted.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let output = self.command(args).output().unwrap();
        let tmp = self.dir.path().display().to_string();
        let clean = |b: &[u8]| String::from_utf8_lossy(b).replace(&tmp, "[TMP]");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: clean(&output.stdout),
            stderr: clean(&output.stderr),
        }
    }
}

/// `text` with every number of milliseconds written after `prefix` (`after 0 ms`, ` in 0.9 ms`)
/// replaced by `[N]`: timings vary with the machine's load.
pub(crate) fn masked_millis(text: &str, prefix: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let (before, after) = rest.split_at(at + prefix.len());
        out.push_str(before);
        let digits = after
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(after.len());
        if digits > 0 && after[digits..].starts_with(" ms") {
            out.push_str("[N]");
            rest = &after[digits..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}
