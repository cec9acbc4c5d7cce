//! The edit lock: an advisory `flock` on the matrix file itself, so concurrent edits (and `lock`
//! runs) take turns.
//!
//! Because a finished edit replaces the file (a new inode), a waiting edit checks after getting
//! the lock that the path still names the file it locked, and starts over on the new file
//! otherwise: edits are applied one after the other, each on the result of the previous one.

use super::{Error, check_regular};
use fd_lock::RwLock;
use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

/// How often a waiting edit retries the lock.
const POLL: Duration = Duration::from_millis(25);

/// Runs `body` with the file at `path` locked for writing, waiting at most `wait` for another
/// edit to finish.
pub fn with_edit_lock<T, E: From<Error>>(
    path: &Path,
    wait: Duration,
    body: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let started = Instant::now();
    // Refuse a FIFO or device before opening it: opening a FIFO blocks.
    check_regular(path)?;
    loop {
        let file = File::open(path)
            .map_err(|e| Error::new(format!("cannot open `{}`: {e}", path.display())))?;
        let mut lock = RwLock::new(file);
        let guard = loop {
            match lock.try_write() {
                Ok(guard) => break guard,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if started.elapsed() >= wait {
                        return Err(Error::new(format!(
                            "`{}` is being edited by another process; gave up after {:.1}s",
                            path.display(),
                            wait.as_secs_f64()
                        ))
                        .with_hint("try again, or wait longer with `--wait SECONDS`")
                        .into());
                    }
                    std::thread::sleep(POLL);
                }
                Err(e) => {
                    return Err(Error::new(format!("cannot lock `{}`: {e}", path.display())).into());
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
