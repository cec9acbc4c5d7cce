//! Output files: created atomically, with the mode the umask gives (or `0600` for secrets).

use crate::fsio::Error;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The permissions of a new output file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `0666` less the umask, like any file a shell redirection or an editor creates.
    Public,
    /// `0600` whatever the umask: private keys and other secrets.
    Private,
}

/// Writes `contents` to a new file at `path` (replacing an existing one only with `force`),
/// atomically: a temporary file in the same directory, flushed, then renamed into place.
pub fn create(path: &Path, contents: &[u8], mode: Mode, force: bool) -> Result<(), Error> {
    create_with(path, mode, force, |file| {
        file.write_all(contents)
            .map_err(|e| Error::io(format!("cannot write `{}`", path.display()), &e))
    })
}

/// [`create`] of what `write` writes to the file, buffered: a file made piece by piece is
/// never held whole (`pipeline render --all`). An error of `write` leaves no file.
pub(crate) fn create_with<E: From<Error>>(
    path: &Path,
    mode: Mode,
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    let shown = path.display();
    match std::fs::symlink_metadata(path) {
        Ok(_) if !force => {
            return Err(Error::new(format!("`{shown}` already exists"))
                .with_hint("pass `--force` to replace it")
                .into());
        }
        Ok(meta) if meta.is_dir() => {
            return Err(Error::new(format!("cannot write `{shown}`: it is a directory")).into());
        }
        _ => {}
    }
    let tmp = stage_with(path, mode, write)?;
    tmp.persist(path)
        .map_err(|e| Error::io(format!("cannot write `{shown}`"), &e.error))?;
    Ok(())
}

/// Writes `contents` into a temporary file (mode as `mode` says) in the directory of `path`,
/// flushed; renaming it into place is the caller's.
pub(crate) fn stage_new(
    path: &Path,
    contents: &[u8],
    mode: Mode,
) -> Result<tempfile::NamedTempFile, Error> {
    stage_with(path, mode, |file| {
        file.write_all(contents)
            .map_err(|e| Error::io(format!("cannot write `{}`", path.display()), &e))
    })
}

/// [`stage_new`] of what `write` writes, through a buffer.
fn stage_with<E: From<Error>>(
    path: &Path,
    mode: Mode,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<tempfile::NamedTempFile, E> {
    let shown = path.display();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".edx-matrix-new.").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode passed to open(2): the kernel takes the umask off it.
        let bits = match mode {
            Mode::Public => 0o666,
            Mode::Private => 0o600,
        };
        builder.permissions(std::fs::Permissions::from_mode(bits));
    }
    let mut tmp = builder
        .tempfile_in(&dir)
        .map_err(|e| Error::io(format!("cannot create a file in `{}`", dir.display()), &e))?;
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, tmp.as_file_mut());
    write(&mut buffered)?;
    let flushed = buffered.flush();
    drop(buffered);
    flushed
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(format!("cannot write `{shown}`"), &e))?;
    Ok(tmp)
}
