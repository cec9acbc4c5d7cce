//! The edit use case on a matrix file: read it (under the edit lock when it is to be written),
//! apply the edit by the rule every edit follows ([`Project::apply_edit`]), and replace the file
//! atomically — through a symlink, keeping its owner, mode, byte-order mark and line endings,
//! with a promotion's lock written with it, all or nothing. The CLI only renders the result.

use crate::edit::EditedProject;
use crate::fsio::{self, FileWrite};
use crate::{Format, Precondition, Project, Refusal};
use edx_matrix_formats::TextForm;
use edx_matrix_formats::edit::{Base, EditError, EditOutcome};
use edx_matrix_formats::example;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Which matrix an edit reads, and whether it writes it.
#[derive(Clone, Copy, Debug)]
pub enum EditTarget<'a> {
    /// The built-in example: read only (`--dry-run`, `fmt --check`).
    Example,
    /// A file read without the lock and never written (`--dry-run`, `fmt --check`).
    Read(&'a Path),
    /// A file edited under the edit lock (waiting at most `wait` for another edit) and
    /// replaced when the edit changes it; `also` is a promotion's lock, written with it.
    Write {
        /// The matrix file.
        path: &'a Path,
        /// How long to wait for another edit to finish.
        wait: Duration,
        /// A lock file written together with the matrix, all or nothing.
        also: Option<&'a LockWrite>,
    },
}

/// The lock file a promotion writes with the matrix: its path, its bytes when it was read
/// (`None`: a new file), and the new text.
#[derive(Clone, Debug)]
pub struct LockWrite {
    /// The lock file.
    pub path: PathBuf,
    /// What it held when the plan was made (`None`: it does not exist).
    pub before: Option<Vec<u8>>,
    /// The new text.
    pub text: String,
}

impl LockWrite {
    /// Returns whether the text differs from the file's.
    pub fn changes(&self) -> bool {
        self.before.as_deref() != Some(self.text.as_bytes())
    }
}

/// An edit of a matrix file, accepted (and written, unless the target is read only).
#[derive(Debug)]
pub struct FileEdited {
    /// The project before and after, and what the edit said.
    pub edited: EditedProject,
    /// The text the edit started from, normalised (no byte-order mark, LF line endings): what
    /// a diff compares with the edited text.
    pub before_text: String,
    /// Whether the matrix file was written (it changed, and the target writes).
    pub written: bool,
}

/// Why an edit of a matrix file did not happen (nothing was written).
#[derive(Debug)]
pub enum FileEditError {
    /// The file could not be read, locked or written.
    Io(fsio::Error),
    /// The edit was refused ([`Project::apply_edit`]'s rule, or the edit's own).
    Refused(Refusal),
}

impl From<fsio::Error> for FileEditError {
    fn from(e: fsio::Error) -> Self {
        FileEditError::Io(e)
    }
}

impl From<Refusal> for FileEditError {
    fn from(e: Refusal) -> Self {
        FileEditError::Refused(e)
    }
}

/// Applies `edit` to the matrix of `target` under `precondition`; the source is called `name`
/// in diagnostics (the path as given).
///
/// The edit works on the normalised text, and the file's own form is put back when writing,
/// so a CRLF file stays CRLF and a diff shows only the lines that changed. Another program (an
/// editor) may have written the file without taking the lock: the writer compares it with what
/// was read just before its rename.
pub fn edit_matrix(
    target: EditTarget<'_>,
    name: &str,
    precondition: Precondition,
    edit: impl FnOnce(Base<'_>) -> Result<EditOutcome, EditError>,
) -> Result<FileEdited, FileEditError> {
    match target {
        EditTarget::Example => {
            let (_, edited, before_text) =
                apply(name, example::TEXT.to_owned(), precondition, edit)?;
            Ok(FileEdited {
                edited,
                before_text,
                written: false,
            })
        }
        EditTarget::Read(path) => {
            let (_, edited, before_text) = apply(name, fsio::read_text(path)?, precondition, edit)?;
            Ok(FileEdited {
                edited,
                before_text,
                written: false,
            })
        }
        EditTarget::Write { path, wait, also } => fsio::with_edit_lock(path, wait, || {
            let raw = fsio::read_text(path)?;
            let (form, edited, before_text) = apply(name, raw.clone(), precondition, edit)?;
            let changed = edited.changed();
            if changed || also.is_some() {
                let new = form.restore(&edited.outcome.text);
                let mut files = Vec::new();
                if changed {
                    files.push(FileWrite::Replace {
                        path,
                        expected: raw.as_bytes(),
                        contents: new.as_bytes(),
                    });
                }
                if let Some(lock) = also {
                    files.push(match &lock.before {
                        Some(before) => FileWrite::Replace {
                            path: &lock.path,
                            expected: before,
                            contents: lock.text.as_bytes(),
                        },
                        None => FileWrite::Create {
                            path: &lock.path,
                            contents: lock.text.as_bytes(),
                            mode: fsio::Mode::Public,
                        },
                    });
                }
                fsio::write_all(&files)?;
            }
            Ok(FileEdited {
                edited,
                before_text,
                written: changed,
            })
        }),
    }
}

/// Normalises `raw` and applies the edit to it as a TOML project.
fn apply(
    name: &str,
    raw: String,
    precondition: Precondition,
    edit: impl FnOnce(Base<'_>) -> Result<EditOutcome, EditError>,
) -> Result<(TextForm, EditedProject, String), Refusal> {
    let (form, text) = TextForm::detect(&raw);
    let project = Project::from_text(name, Format::Toml, text.as_str());
    let edited = project.apply_edit(precondition, edit)?;
    Ok((form, edited, text))
}
