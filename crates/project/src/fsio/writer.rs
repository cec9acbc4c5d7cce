//! The atomic edit writer.
//!
//! An edit replaces the file it edits with a new one: a temporary file next to the *target*
//! (the file a symlink points to, so the link stays a link), given the target's owner, group and
//! mode, flushed to disk, renamed over the target, and the directory flushed. A crash or a
//! `kill -9` at any moment leaves the old file or the new one, never a mix; the temporary file
//! such a kill leaves behind is removed by the next edit of the same file.

use crate::fsio::Error;
use std::fs::{File, Metadata};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Returns the start of the names of the temporary files an edit of `target` creates
/// (`.edx-matrix.toml.edx-tmp.`), followed by the editing process's id, a random part and `.tmp`.
pub(crate) fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.edx-tmp.")
}

/// Returns the regular file that an edit of `path` writes: `path` itself, or the file its
/// symlinks lead to.
pub(crate) fn resolve_target(path: &Path) -> Result<PathBuf, Error> {
    let target = std::fs::canonicalize(path)
        .map_err(|e| Error::io(format!("cannot edit `{}`", path.display()), &e))?;
    let meta = std::fs::metadata(&target)
        .map_err(|e| Error::io(format!("cannot edit `{}`", path.display()), &e))?;
    if !meta.is_file() {
        return Err(Error::new(format!(
            "cannot edit `{}`: it is not a regular file",
            path.display()
        )));
    }
    Ok(target)
}

/// Replaces the contents of the file at `path` (through symlinks) with `contents`, keeping
/// its owner, group and mode.
///
/// Refuses, writing nothing, when the file is read-only (no write permission bit at all, even
/// for root, or not writable by this user), when the directory does not allow a new file, or
/// when the owner or group cannot be kept (another user's file, writable through its group:
/// replacing it would hand it to this user).
///
/// Must be called by the holder of the edit lock of the file (no other edit of it running):
/// temporary files of dead processes are removed.
pub fn replace(path: &Path, contents: &[u8]) -> Result<(), Error> {
    stage(path, contents, None)?.commit()
}

/// A replacement written and flushed beside its target but not renamed into place yet: what
/// [`crate::fsio::write_set`] stages for every file before it renames any. Dropping it removes the
/// temporary file.
pub(crate) struct Staged {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
    dir: PathBuf,
    shown: String,
    meta: Metadata,
    expected: Option<Vec<u8>>,
}

/// Writes `contents` into a temporary file beside the file `path` leads to, with its owner,
/// group and mode, refusing as [`replace`] does; nothing is in place until
/// [`Staged::commit`].
pub(crate) fn stage(
    path: &Path,
    contents: &[u8],
    expected: Option<&[u8]>,
) -> Result<Staged, Error> {
    let target = resolve_target(path)?;
    let shown = path.display().to_string();
    let meta =
        std::fs::metadata(&target).map_err(|e| Error::io(format!("cannot edit `{shown}`"), &e))?;
    check_writable(path, &target, &meta)?;
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = temp_prefix(&target);
    remove_stray(&dir, &prefix);
    let own = format!("{prefix}{}.", std::process::id());
    let mut tmp = tempfile::Builder::new()
        .prefix(&own)
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| {
            Error::io(
                format!(
                    "cannot edit `{shown}`: cannot create a file in `{}`",
                    dir.display()
                ),
                &e,
            )
            .with_hint(
                "an edit writes a new file next to the old one: the directory must be writable",
            )
        })?;
    keep_owner(tmp.as_file(), &meta, path)?;
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(|e| Error::io(format!("cannot edit `{shown}` (permissions)"), &e))?;
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(format!("cannot write `{shown}`"), &e))?;
    Ok(Staged {
        tmp,
        target,
        dir,
        shown,
        meta,
        expected: expected.map(<[u8]>::to_vec),
    })
}

impl Staged {
    /// Renames the staged file over its target, unless the target changed since it was read
    /// as `expected` (then nothing is written).
    pub(crate) fn commit(self) -> Result<(), Error> {
        let shown = &self.shown;
        if let Some(expected) = &self.expected {
            let same_file =
                std::fs::metadata(&self.target).is_ok_and(|now| same_identity(&self.meta, &now));
            if !same_file || crate::fsio::read_bytes(&self.target).ok().as_deref() != Some(expected)
            {
                // Dropping `tmp` removes it.
                return Err(Error::new(format!(
                    "`{shown}` changed while it was being edited; nothing was written"
                ))
                .with_hint("run the command again"));
            }
        }
        self.tmp
            .persist(&self.target)
            .map_err(|e| Error::io(format!("cannot write `{shown}` (rename)"), &e.error))?;
        #[cfg(unix)]
        if let Ok(d) = File::open(&self.dir) {
            // Best effort: not every file system supports syncing a directory.
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Whether two metadata describe the same file (device and inode).
#[cfg(unix)]
fn same_identity(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Without inodes, the content comparison alone.
#[cfg(not(unix))]
fn same_identity(_a: &Metadata, _b: &Metadata) -> bool {
    true
}

/// Refuses a file without any write permission bit, or one this user cannot open for writing.
fn check_writable(path: &Path, target: &Path, meta: &Metadata) -> Result<(), Error> {
    let read_only = || {
        Error::new(format!(
            "cannot edit `{}`: the file is read-only{}",
            path.display(),
            mode_text(meta)
        ))
        .with_hint("make it writable first (`chmod u+w`), or edit it as a user who may write it")
    };
    if meta.permissions().readonly() {
        return Err(read_only());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    match options.open(target) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(read_only()),
        Err(e) => Err(Error::io(format!("cannot edit `{}`", path.display()), &e)),
    }
}

#[cfg(unix)]
fn mode_text(meta: &Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!(
        " (mode {:04o}, owner uid {})",
        meta.mode() & 0o7777,
        meta.uid()
    )
}

#[cfg(not(unix))]
fn mode_text(_meta: &Metadata) -> String {
    String::new()
}

/// Gives the new file the old file's owner and group, or refuses.
#[cfg(unix)]
fn keep_owner(new: &File, old: &Metadata, path: &Path) -> Result<(), Error> {
    use std::os::unix::fs::MetadataExt;
    let now = new
        .metadata()
        .map_err(|e| Error::io(format!("cannot edit `{}`", path.display()), &e))?;
    if now.uid() == old.uid() && now.gid() == old.gid() {
        return Ok(());
    }
    let uid = (now.uid() != old.uid()).then_some(old.uid());
    let gid = (now.gid() != old.gid()).then_some(old.gid());
    std::os::unix::fs::fchown(new, uid, gid).map_err(|e| {
        Error::io(
            format!(
                "cannot edit `{}` keeping its owner and group (uid {}, gid {})",
                path.display(),
                old.uid(),
                old.gid()
            ),
            &e,
        )
        .with_hint("the edit would give the file to you; edit it as its owner (or as root)")
    })
}

#[cfg(not(unix))]
fn keep_owner(_new: &File, _old: &Metadata, _path: &Path) -> Result<(), Error> {
    Ok(())
}

/// Removes `PREFIX<pid>.<random>.tmp` files in `dir` whose process is gone (Linux: no
/// `/proc/<pid>`; elsewhere any but our own).
fn remove_stray(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        if !rest.ends_with(".tmp") {
            continue;
        }
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || alive(pid) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid.to_string()).exists()
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The files of `dir`, sorted (the write-set tests use it too).
    pub(crate) fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// An edit's write of the one file it read as `expected`: what `edit_matrix` does.
    fn replace_unchanged(path: &Path, expected: &[u8], contents: &[u8]) -> Result<(), Error> {
        crate::fsio::write_all(&[crate::fsio::FileWrite::Replace {
            path,
            expected,
            contents,
        }])
    }

    #[test]
    fn replaces_an_unchanged_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.toml");
        std::fs::write(&path, "old\n").unwrap();
        replace_unchanged(&path, b"old\n", b"new\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new\n");
        assert_eq!(names(dir.path()), ["m.toml"]);
    }

    /// A change written after the edit read the file (in place, or by renaming a new file over
    /// it with the old content) is kept, and no temporary file is left.
    #[test]
    fn keeps_a_change_made_since_the_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.toml");
        std::fs::write(&path, "theirs\n").unwrap();
        let error = replace_unchanged(&path, b"old\n", b"new\n").unwrap_err();
        assert!(
            error
                .message
                .ends_with("m.toml` changed while it was being edited; nothing was written"),
            "{}",
            error.message
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"theirs\n");
        assert_eq!(names(dir.path()), ["m.toml"]);
    }
}
