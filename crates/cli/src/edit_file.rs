//! Editing a matrix file safely: an advisory lock so concurrent edits take turns, and an atomic
//! replace so a crash at any moment leaves either the old file or the new one, never a mix.
//!
//! The lock is an `flock` on the matrix file itself. Because a finished edit replaces the file
//! (a new inode), a waiting edit checks after getting the lock that the path still names the file
//! it locked, and starts over on the new file otherwise: edits are applied one after the other,
//! each on the result of the previous one.

use crate::error::CommandError;
use fd_lock::RwLock;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often a waiting edit retries the lock.
const POLL: Duration = Duration::from_millis(25);

/// Runs `body` with the file at `path` locked for writing, waiting at most `wait` for another
/// edit to finish.
pub fn with_lock<T>(
    path: &Path,
    wait: Duration,
    body: impl FnOnce() -> Result<T, CommandError>,
) -> Result<T, CommandError> {
    let started = Instant::now();
    loop {
        let file = File::open(path)
            .map_err(|e| CommandError::io(format!("cannot open `{}`: {e}", path.display())))?;
        let mut lock = RwLock::new(file);
        let guard = loop {
            match lock.try_write() {
                Ok(guard) => break guard,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if started.elapsed() >= wait {
                        return Err(CommandError::io(format!(
                            "`{}` is being edited by another process; gave up after {:.1}s",
                            path.display(),
                            wait.as_secs_f64()
                        ))
                        .with_hint("try again, or wait longer with `--wait SECONDS`"));
                    }
                    std::thread::sleep(POLL);
                }
                Err(e) => {
                    return Err(CommandError::io(format!(
                        "cannot lock `{}`: {e}",
                        path.display()
                    )));
                }
            }
        };
        if same_file(&guard, path) {
            let result = body();
            drop(guard);
            return result;
        }
        // The file was replaced while we waited: lock the new one.
        drop(guard);
    }
}

#[cfg(unix)]
fn same_file(locked: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (locked.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_locked: &File, _path: &Path) -> bool {
    true
}

/// Replaces the file at `path` with `contents`: a temporary file in the same directory, written
/// and flushed to disk with the old file's permissions, renamed over the old one, and the
/// directory flushed so the rename itself is durable.
pub fn replace(path: &Path, contents: &str) -> Result<(), CommandError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |what: &str, e: std::io::Error| {
        CommandError::io(format!("cannot write `{}` ({what}): {e}", path.display()))
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| io("temporary file", e))?;
    tmp.write_all(contents.as_bytes())
        .map_err(|e| io("write", e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(|e| io("permissions", e))?;
    }
    tmp.as_file().sync_all().map_err(|e| io("sync", e))?;
    tmp.persist(path).map_err(|e| io("rename", e.error))?;
    #[cfg(unix)]
    if let Ok(d) = File::open(&dir) {
        // Best effort: not every file system supports syncing a directory.
        let _ = d.sync_all();
    }
    Ok(())
}
