//! A set of output files written all or nothing (`pipeline render --all -o DIR`, `export tutor
//! --all -o DIR`, `export python -o DIR`): every file is first written into a staging directory
//! next to `DIR`, then moved into place, so a failure while writing (a full disk, a name the file
//! system refuses) leaves nothing behind (issue 22: a 301-character pipeline name failed after 5
//! files were written, and a full disk left an empty directory).
//!
//! When `DIR` does not exist, the staging directory itself is renamed to `DIR`: the set appears
//! at once or not at all. When it exists, the staging directory is made inside it (its parent
//! need not be writable) and the staged files are renamed into it one by one after all of them
//! were written; a rename fails only on a change made to `DIR` meanwhile.

use crate::fsio::Error;
use crate::fsio::output::{Mode, create};
use std::path::{Path, PathBuf};

/// Writes each `(relative path, contents)` of `files` under `dir` (created with its parents if
/// missing), all or nothing. An existing file is replaced only with `force`: otherwise nothing is
/// written and the error names it.
pub fn create_all(
    dir: &Path,
    files: &[(PathBuf, Vec<u8>)],
    mode: Mode,
    force: bool,
) -> Result<(), Error> {
    if !force {
        if let Some((name, _)) = files.iter().find(|(name, _)| dir.join(name).exists()) {
            return Err(
                Error::new(format!("`{}` already exists", dir.join(name).display()))
                    .with_hint("pass `--force` to replace it"),
            );
        }
    }
    // An existing directory stages inside itself: its parent may not be writable (a Concourse
    // task's output directory is handed to the task's user, the build directory is not).
    let existed = dir.is_dir();
    let (parent, name) = if existed {
        (dir.to_path_buf(), "output".to_owned())
    } else {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .map_err(|e| Error::io(format!("cannot create `{}`", parent.display()), &e))?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (parent, name)
    };
    let staging = Staging::new(&parent, &name)?;
    for (relative, contents) in files {
        let path = staging.path().join(relative);
        if let Some(sub) = path.parent() {
            std::fs::create_dir_all(sub).map_err(|e| {
                Error::io(
                    format!("cannot create `{}`", dir.join(relative).display()),
                    &e,
                )
            })?;
        }
        create(&path, contents, mode, false).map_err(|e| Error {
            message: e.message.replace(
                &staging.path().display().to_string(),
                &dir.display().to_string(),
            ),
            ..e
        })?;
    }
    if !existed {
        return std::fs::rename(staging.path(), dir)
            .map_err(|e| Error::io(format!("cannot create `{}`", dir.display()), &e));
    }
    for (relative, _) in files {
        let target = dir.join(relative);
        if let Some(sub) = target.parent() {
            std::fs::create_dir_all(sub)
                .map_err(|e| Error::io(format!("cannot create `{}`", sub.display()), &e))?;
        }
        std::fs::rename(staging.path().join(relative), &target)
            .map_err(|e| Error::io(format!("cannot write `{}`", target.display()), &e))?;
    }
    Ok(())
}

/// The staging directory: made by `create_dir` (so its mode is what the umask gives, as for any
/// new directory: it may become `DIR`), removed with everything left in it when dropped, so any
/// early return leaves nothing.
struct Staging(PathBuf);

impl Staging {
    fn new(parent: &Path, name: &str) -> Result<Self, Error> {
        for n in 0u32.. {
            let path = parent.join(format!(".{name}.edx-new.{}.{n}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Staging(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => {}
                Err(e) => {
                    return Err(Error::io(
                        format!("cannot create a directory in `{}`", parent.display()),
                        &e,
                    ));
                }
            }
        }
        unreachable!("the loop returns")
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Gone already when it was renamed into place.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn files(names: &[&str]) -> Vec<(PathBuf, Vec<u8>)> {
        names
            .iter()
            .map(|n| (PathBuf::from(n), format!("{n}\n").into_bytes()))
            .collect()
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_a_new_directory_at_once() {
        let top = tempfile::tempdir().unwrap();
        let dir = top.path().join("out");
        create_all(&dir, &files(&["a.yml", "sub/b.yml"]), Mode::Public, false).unwrap();
        assert_eq!(entries(top.path()), ["out"]);
        assert_eq!(entries(&dir), ["a.yml", "sub"]);
        assert_eq!(
            std::fs::read_to_string(dir.join("sub/b.yml")).unwrap(),
            "sub/b.yml\n"
        );
    }

    /// An existing directory (a Concourse task's output) is staged inside itself, so its parent
    /// is never written to (it may not be writable), and nothing of the staging stays behind.
    #[test]
    fn an_existing_directory_is_filled_without_touching_its_parent() {
        let top = tempfile::tempdir().unwrap();
        let dir = top.path().join("pipelines");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("kept.txt"), "kept\n").unwrap();
        create_all(&dir, &files(&["a.yml", "sub/b.yml"]), Mode::Public, false).unwrap();
        assert_eq!(entries(top.path()), ["pipelines"]);
        assert_eq!(entries(&dir), ["a.yml", "kept.txt", "sub"]);
        assert_eq!(
            std::fs::read_to_string(dir.join("a.yml")).unwrap(),
            "a.yml\n"
        );
    }

    /// A name the file system refuses (over 255 bytes) fails before anything is in place: no
    /// directory, no staging directory, no file.
    #[test]
    fn a_failure_leaves_nothing() {
        let top = tempfile::tempdir().unwrap();
        let dir = top.path().join("out");
        let long = format!("{}.yml", "p".repeat(301));
        let error = create_all(
            &dir,
            &files(&["a.yml", &long, "z.yml"]),
            Mode::Public,
            false,
        )
        .unwrap_err();
        assert!(error.message.contains("out/ppp"), "{}", error.message);
        assert!(entries(top.path()).is_empty(), "{:?}", entries(top.path()));
        // Into an existing directory: its files stay as they were.
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("a.yml"), "old\n").unwrap();
        create_all(&dir, &files(&["a.yml", &long]), Mode::Public, true).unwrap_err();
        assert_eq!(entries(top.path()), ["out"]);
        assert_eq!(entries(&dir), ["a.yml"]);
        assert_eq!(std::fs::read_to_string(dir.join("a.yml")).unwrap(), "old\n");
    }

    #[test]
    fn an_existing_file_needs_force() {
        let top = tempfile::tempdir().unwrap();
        let dir = top.path().join("out");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("b.yml"), "old\n").unwrap();
        let error = create_all(&dir, &files(&["a.yml", "b.yml"]), Mode::Public, false).unwrap_err();
        assert!(
            error.message.ends_with("b.yml` already exists"),
            "{}",
            error.message
        );
        assert_eq!(entries(&dir), ["b.yml"]);
        create_all(&dir, &files(&["a.yml", "b.yml"]), Mode::Public, true).unwrap();
        assert_eq!(entries(&dir), ["a.yml", "b.yml"]);
        assert_eq!(
            std::fs::read_to_string(dir.join("b.yml")).unwrap(),
            "b.yml\n"
        );
    }
}
