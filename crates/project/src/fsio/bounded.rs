//! The bounded reader: one size limit for every input, special files refused before opening.

use crate::fsio::Error;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

/// The largest file edx-matrix reads: 32 MiB. A real matrix is a few hundred kilobytes; the
/// limit only stops `/dev/zero`, a runaway generator or a wrong path from eating the memory.
pub(crate) const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

/// Describes what a non-regular file is, for messages.
fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// Refuses anything but a regular file (following symlinks), without opening it.
pub fn check_regular(path: &Path) -> Result<Metadata, Error> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::io(format!("cannot read `{}`", path.display()), &e))?;
    if !meta.is_file() {
        return Err(Error::new(format!(
            "cannot read `{}`: it is {}, not a file",
            path.display(),
            kind_of(&meta)
        )));
    }
    Ok(meta)
}

fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads the whole file at `path`, refusing special files and files over
/// `MAX_INPUT_BYTES`.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    let too_big = |len: u64| {
        Error::new(format!(
            "cannot read `{}`: it is larger than the {} MiB limit ({len} bytes or more)",
            path.display(),
            MAX_INPUT_BYTES / (1024 * 1024)
        ))
        .with_hint(
            "is it the right file? edx-matrix inputs are text files of a few megabytes at most",
        )
    };
    let meta = check_regular(path)?;
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_big(meta.len()));
    }
    let file = open_nonblocking(path)
        .map_err(|e| Error::io(format!("cannot read `{}`", path.display()), &e))?;
    // The path may have been replaced between the check and the open: check what was opened.
    let opened = file
        .metadata()
        .map_err(|e| Error::io(format!("cannot read `{}`", path.display()), &e))?;
    if !opened.is_file() {
        return Err(Error::new(format!(
            "cannot read `{}`: it is {}, not a file",
            path.display(),
            kind_of(&opened)
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len()).unwrap_or(0));
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("cannot read `{}`", path.display()), &e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads the file at `path` as UTF-8 text, with the limits of [`read_bytes`].
pub fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Error::new(format!(
            "cannot read `{}`: not UTF-8 text (invalid byte at offset {at})",
            path.display()
        ))
    })
}
