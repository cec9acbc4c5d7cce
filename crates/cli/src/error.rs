//! Errors of the tool (not of the matrix), sorted into kinds that pick the exit code.

use edx_matrix_formats::safe_lines;
use edx_matrix_model::UnknownName;
use std::process::ExitCode;

/// Success.
pub(crate) const EXIT_OK: u8 = 0;
/// The matrix has errors (or a check found problems).
pub(crate) const EXIT_MATRIX: u8 = 1;
/// The command line is wrong.
pub(crate) const EXIT_USAGE: u8 = 2;
/// A file or other I/O failed.
pub(crate) const EXIT_IO: u8 = 3;

/// What went wrong, which decides the exit code (see [`exit_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The matrix has errors; diagnostics were already printed.
    Matrix,
    /// A check the command runs found problems (`check`, `fmt --check`, `verify-refs`,
    /// `pipeline validate`, `export python --check`).
    CheckFailed,
    /// The matrix's state makes the command refuse (an edit that would break it, a release
    /// still in use).
    Refused,
    /// Bad arguments: a malformed value, a missing or conflicting option, no matrix file found.
    Usage,
    /// A deployment, stage, release, application, code or command name that is not defined.
    UnknownName,
    /// I/O failure, or an output file that exists without `--force`.
    Io,
    /// The reader of our output went away (`| head`): stop quietly, as a success.
    BrokenPipe,
}

/// The exit code of each kind of failure: the one mapping, the table of docs/cli.md.
pub(crate) const fn exit_code(kind: Kind) -> u8 {
    match kind {
        Kind::Matrix | Kind::CheckFailed | Kind::Refused => EXIT_MATRIX,
        Kind::Usage | Kind::UnknownName => EXIT_USAGE,
        Kind::Io => EXIT_IO,
        Kind::BrokenPipe => EXIT_OK,
    }
}

/// A failure of a command.
#[derive(Debug)]
pub(crate) struct CommandError {
    kind: Kind,
    message: Option<String>,
    hint: Option<String>,
    /// The unknown name this error is, for its JSON form under `--format json`.
    unknown: Option<Box<UnknownName>>,
}

impl CommandError {
    /// The matrix has errors; the diagnostics have been printed already.
    pub(crate) fn matrix_reported() -> Self {
        CommandError {
            kind: Kind::Matrix,
            message: None,
            hint: None,
            unknown: None,
        }
    }

    /// The matrix (or its state) makes the command refuse; exit code 1 with a message.
    pub(crate) fn refused(message: impl Into<String>) -> Self {
        CommandError {
            kind: Kind::Refused,
            message: Some(message.into()),
            hint: None,
            unknown: None,
        }
    }

    /// A usage error with a message.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        CommandError {
            kind: Kind::Usage,
            message: Some(message.into()),
            hint: None,
            unknown: None,
        }
    }

    /// A name that is not defined, worded as every unknown name is, with its suggestions
    /// (the model's one error: `edx_matrix_model::known_names`); rendered as text, or under
    /// `--format json` as its JSON form, the API's.
    pub(crate) fn unknown(unknown: &UnknownName) -> Self {
        CommandError {
            kind: Kind::UnknownName,
            message: Some(unknown.message()),
            hint: unknown.hint(),
            unknown: Some(Box::new(unknown.clone())),
        }
    }

    /// An I/O error with a message naming the path.
    pub(crate) fn io(message: impl Into<String>) -> Self {
        CommandError {
            kind: Kind::Io,
            message: Some(message.into()),
            hint: None,
            unknown: None,
        }
    }

    /// Adds a hint printed after the message.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Prints the error and returns the exit code for its kind. With `json` (the command's
    /// `--format json`), an unknown name is printed as its one JSON form on one line of
    /// standard error — the object `/api/v1/` answers — with the command's own hint, if it
    /// added one.
    pub(crate) fn report(self, json: bool) -> ExitCode {
        if let (true, Some(unknown)) = (json, &self.unknown) {
            let mut value = serde_json::to_value(unknown).unwrap_or_default();
            if let (Some(hint), Some(object)) = (&self.hint, value.as_object_mut()) {
                object.insert("hint".to_owned(), serde_json::Value::from(hint.as_str()));
            }
            // serde_json escapes control characters: nothing reaches the terminal raw.
            eprintln!("{value}");
            return ExitCode::from(exit_code(self.kind));
        }
        // Messages and hints quote values from the file, from git and from the command line
        // (names, "did you mean" suggestions): escaped and clipped here, once for every command.
        if let Some(message) = &self.message {
            eprintln!("error: {}", safe_lines(message));
        }
        if let Some(hint) = &self.hint {
            eprintln!("hint: {}", safe_lines(hint));
        }
        ExitCode::from(exit_code(self.kind))
    }
}

impl From<std::io::Error> for CommandError {
    fn from(e: std::io::Error) -> Self {
        // fs_err's messages already name the path.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            // `edx-matrix resolve | head`: the reader left, nothing more to say.
            return CommandError {
                kind: Kind::BrokenPipe,
                message: None,
                hint: None,
                unknown: None,
            };
        }
        CommandError::io(e.to_string())
    }
}

impl From<edx_matrix_project::fsio::Error> for CommandError {
    fn from(e: edx_matrix_project::fsio::Error) -> Self {
        let error = CommandError::io(e.message);
        match e.hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    }
}

/// The result of a command: the exit code on success.
pub(crate) type CmdResult = Result<ExitCode, CommandError>;

#[cfg(test)]
mod tests {
    use super::{Kind, exit_code};

    /// docs/cli.md's table, written out by hand: one code per kind of failure.
    #[test]
    fn every_kind_has_the_documented_exit_code() {
        for (kind, code) in [
            (Kind::Matrix, 1),
            (Kind::CheckFailed, 1),
            (Kind::Refused, 1),
            (Kind::Usage, 2),
            (Kind::UnknownName, 2),
            (Kind::Io, 3),
            (Kind::BrokenPipe, 0),
        ] {
            assert_eq!(exit_code(kind), code, "{kind:?}");
        }
    }
}
