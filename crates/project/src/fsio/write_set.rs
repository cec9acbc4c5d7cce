//! Several files changed all or nothing (`promote` writes the matrix and its lock): every new
//! content is first written and flushed into a temporary file beside its target, with every
//! refusal (a read-only file, a directory where a file should be, an unwritable directory) made
//! then; only when all are staged are they renamed into place, in order. Should a rename fail
//! after an earlier one succeeded (the target changed meanwhile, or the file system failed),
//! the files already renamed get their old contents back (a new file is removed).

use crate::fsio::Error;
use crate::fsio::output::{Mode, stage_new};
use crate::fsio::writer::{Staged, replace, stage};
use std::path::Path;

/// One file of a [`write_all`].
#[derive(Clone, Copy, Debug)]
pub enum FileWrite<'a> {
    /// Replace an existing file (through symlinks, keeping owner and mode, as
    /// [`crate::fsio::replace`]) that must still hold `expected`: an edit's write.
    ///
    /// The check is the last step before the rename: the temporary file is written and
    /// flushed first, then the target must still be the same file (device and inode as when
    /// it was staged) holding exactly `expected`; otherwise nothing is written (the temporary
    /// file is removed) and the error says the file changed. What this guarantees: a change
    /// another program completes (a write, or a rename of a new file into place) before that
    /// final comparison is never lost. A write that lands between the comparison and the
    /// rename — a window of one `stat`, one read and one `rename` system call — or one made
    /// later through a file handle opened on the old file, can be; only a lock every writer
    /// takes (edits take one) closes it.
    Replace {
        /// The file.
        path: &'a Path,
        /// What it held when it was read.
        expected: &'a [u8],
        /// The new contents.
        contents: &'a [u8],
    },
    /// Create a file that does not exist yet (as [`crate::fsio::create`] without `force`).
    Create {
        /// The file.
        path: &'a Path,
        /// The contents.
        contents: &'a [u8],
        /// Its permissions.
        mode: Mode,
    },
}

enum Ready<'a> {
    Replace(Box<Staged>, &'a Path, &'a [u8]),
    Create(tempfile::NamedTempFile, &'a Path),
}

/// Writes every file of `files`, all or nothing (see the module's documentation).
pub fn write_all(files: &[FileWrite<'_>]) -> Result<(), Error> {
    let mut ready = Vec::with_capacity(files.len());
    for file in files {
        ready.push(match *file {
            FileWrite::Replace {
                path,
                expected,
                contents,
            } => Ready::Replace(
                Box::new(stage(path, contents, Some(expected))?),
                path,
                expected,
            ),
            FileWrite::Create {
                path,
                contents,
                mode,
            } => {
                if std::fs::symlink_metadata(path).is_ok() {
                    return Err(Error::new(format!(
                        "`{}` already exists; nothing was written",
                        path.display()
                    )));
                }
                Ready::Create(stage_new(path, contents, mode)?, path)
            }
        });
    }
    let mut done: Vec<(&Path, Option<&[u8]>)> = Vec::with_capacity(ready.len());
    for file in ready {
        let result = match file {
            Ready::Replace(staged, path, expected) => {
                staged.commit().map(|()| (path, Some(expected)))
            }
            Ready::Create(tmp, path) => tmp
                .persist_noclobber(path)
                .map(|_| (path, None))
                .map_err(|e| Error::io(format!("cannot write `{}`", path.display()), &e.error)),
        };
        match result {
            Ok(written) => done.push(written),
            Err(error) => {
                undo(&done);
                return Err(error);
            }
        }
    }
    Ok(())
}

/// Puts back what `done` replaced or created, best effort (the error that led here is the one
/// reported).
fn undo(done: &[(&Path, Option<&[u8]>)]) {
    for (path, old) in done.iter().rev() {
        match old {
            Some(old) => {
                let _ = replace(path, old);
            }
            None => {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::fsio::writer::tests::names;

    #[test]
    fn writes_both() {
        let dir = tempfile::tempdir().unwrap();
        let (m, l) = (dir.path().join("m.toml"), dir.path().join("m.lock"));
        std::fs::write(&m, "old\n").unwrap();
        write_all(&[
            FileWrite::Replace {
                path: &m,
                expected: b"old\n",
                contents: b"new\n",
            },
            FileWrite::Create {
                path: &l,
                contents: b"lock\n",
                mode: Mode::Public,
            },
        ])
        .unwrap();
        assert_eq!(std::fs::read(&m).unwrap(), b"new\n");
        assert_eq!(std::fs::read(&l).unwrap(), b"lock\n");
        assert_eq!(names(dir.path()), ["m.lock", "m.toml"]);
    }

    /// The second file cannot be written (a directory is in its place, or it is read-only):
    /// the first is left as it was, and no temporary file stays behind.
    #[test]
    fn a_refused_second_file_leaves_the_first_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let (m, l) = (dir.path().join("m.toml"), dir.path().join("m.lock"));
        std::fs::write(&m, "old\n").unwrap();
        std::fs::create_dir(&l).unwrap();
        let both = |lock: FileWrite<'_>| {
            write_all(&[
                FileWrite::Replace {
                    path: &m,
                    expected: b"old\n",
                    contents: b"new\n",
                },
                lock,
            ])
        };
        let e = both(FileWrite::Replace {
            path: &l,
            expected: b"",
            contents: b"lock\n",
        })
        .unwrap_err();
        assert!(e.message.contains("not a regular file"), "{}", e.message);
        let e = both(FileWrite::Create {
            path: &l,
            contents: b"lock\n",
            mode: Mode::Public,
        })
        .unwrap_err();
        assert!(e.message.contains("already exists"), "{}", e.message);
        assert_eq!(std::fs::read(&m).unwrap(), b"old\n");
        assert_eq!(names(dir.path()), ["m.lock", "m.toml"]);
    }

    /// The second file changed since it was read: it is kept, and the first one, renamed
    /// already, gets its old contents back.
    #[test]
    fn a_failed_second_rename_puts_the_first_back() {
        let dir = tempfile::tempdir().unwrap();
        let (m, l) = (dir.path().join("m.toml"), dir.path().join("m.lock"));
        std::fs::write(&m, "old\n").unwrap();
        std::fs::write(&l, "theirs\n").unwrap();
        let e = write_all(&[
            FileWrite::Replace {
                path: &m,
                expected: b"old\n",
                contents: b"new\n",
            },
            FileWrite::Replace {
                path: &l,
                expected: b"ours\n",
                contents: b"lock\n",
            },
        ])
        .unwrap_err();
        assert!(e.message.contains("changed while"), "{}", e.message);
        assert_eq!(std::fs::read(&m).unwrap(), b"old\n");
        assert_eq!(std::fs::read(&l).unwrap(), b"theirs\n");
        assert_eq!(names(dir.path()), ["m.lock", "m.toml"]);
    }
}
