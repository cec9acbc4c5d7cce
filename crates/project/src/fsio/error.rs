//! The error every function of this crate returns: a message naming the file, and a hint.

use std::fmt;
use std::io;

/// Why a file could not be read or written. The message names the file and says what is wrong;
/// the hint, when there is one, says what to do.
#[derive(Debug)]
pub struct Error {
    /// What went wrong, naming the file (`cannot read `m.toml`: it is a FIFO, not a file`).
    pub message: String,
    /// What the user can do about it.
    pub hint: Option<String>,
    /// The kind of the underlying I/O error ([`io::ErrorKind::Other`] for refusals).
    pub kind: io::ErrorKind,
}

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
            hint: None,
            kind: io::ErrorKind::Other,
        }
    }

    pub(crate) fn io(message: impl Into<String>, e: &io::Error) -> Self {
        Error {
            message: format!("{}: {e}", message.into()),
            hint: None,
            kind: e.kind(),
        }
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
