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
use crate::fsio::output::{Mode, create, create_with};
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
            return Err(already_exists(&dir.join(name)));
        }
    }
    let mut set = OutputSet::new(dir, mode)?;
    for (relative, contents) in files {
        set.add(relative, contents)?;
    }
    set.finish(force)
}

fn already_exists(path: &Path) -> Error {
    Error::new(format!("`{}` already exists", path.display()))
        .with_hint("pass `--force` to replace it")
}

/// [`create_all`] one file at a time, for a caller that makes its files one by one and need
/// not hold them all (`pipeline render --all`): each [`add`](OutputSet::add)ed file goes to the
/// staging directory at once, [`finish`](OutputSet::finish) moves them all into place. Dropped
/// unfinished (an error of the caller's, or of a write), it leaves nothing: no staged file, and
/// none of the directories it created.
pub struct OutputSet {
    dir: PathBuf,
    mode: Mode,
    /// Whether `dir` existed: then the files are renamed into it one by one, else the staging
    /// directory becomes `dir`.
    existed: bool,
    /// The relative paths added, in order.
    files: Vec<PathBuf>,
    staging: Staging,
}

impl OutputSet {
    /// Starts a set of files under `dir`, creating its missing parents (removed again if the set
    /// is not finished).
    pub fn new(dir: &Path, mode: Mode) -> Result<Self, Error> {
        // An existing directory stages inside itself: its parent may not be writable (a
        // Concourse task's output directory is handed to the task's user, the build directory
        // is not).
        let existed = dir.is_dir();
        let (parent, name, created) = if existed {
            (dir.to_path_buf(), "output".to_owned(), Vec::new())
        } else {
            let parent = match dir.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let created = create_dirs(&parent)?;
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (parent, name, created)
        };
        let mut staging = Staging::new(&parent, &name).inspect_err(|_| remove_dirs(&created))?;
        staging.created = created;
        Ok(OutputSet {
            dir: dir.to_path_buf(),
            mode,
            existed,
            files: Vec::new(),
            staging,
        })
    }

    /// Where `relative` is staged, its directories made.
    fn staged(&self, relative: &Path) -> Result<std::path::PathBuf, Error> {
        let path = self.staging.path().join(relative);
        if let Some(sub) = path.parent() {
            std::fs::create_dir_all(sub).map_err(|e| {
                Error::io(
                    format!("cannot create `{}`", self.dir.join(relative).display()),
                    &e,
                )
            })?;
        }
        Ok(path)
    }

    /// Writes `contents` as `relative` (under `dir`) into the staging directory.
    pub fn add(&mut self, relative: &Path, contents: &[u8]) -> Result<(), Error> {
        let path = self.staged(relative)?;
        create(&path, contents, self.mode, false).map_err(|e| self.worded(e))?;
        self.files.push(relative.to_path_buf());
        Ok(())
    }

    /// [`add`](OutputSet::add) of what `write` writes, streamed to the staged file through a
    /// buffer: a file made piece by piece is never held whole (`pipeline render --all`'s
    /// pipelines are megabytes each at 200 deployments). An error of `write` is returned as it
    /// is, and leaves no file once the set is dropped.
    pub fn add_with<E: From<Error>>(
        &mut self,
        relative: &Path,
        write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), E>,
    ) -> Result<(), E> {
        /// Our errors, to be worded with `dir`, apart from the caller's.
        enum Failed<E> {
            Ours(Error),
            Caller(E),
        }
        impl<E> From<Error> for Failed<E> {
            fn from(e: Error) -> Self {
                Failed::Ours(e)
            }
        }
        let path = self.staged(relative)?;
        match create_with(&path, self.mode, false, |w| {
            write(w).map_err(Failed::Caller)
        }) {
            Ok(()) => {}
            Err(Failed::Caller(e)) => return Err(e),
            Err(Failed::Ours(e)) => return Err(self.worded(e).into()),
        }
        self.files.push(relative.to_path_buf());
        Ok(())
    }

    /// `e` naming the files where they go, not where they are staged.
    fn worded(&self, e: Error) -> Error {
        Error {
            message: e.message.replace(
                &self.staging.path().display().to_string(),
                &self.dir.display().to_string(),
            ),
            ..e
        }
    }

    /// Moves every added file into place. An existing file is replaced only with `force`:
    /// otherwise nothing is moved and the error names the first such file.
    pub fn finish(mut self, force: bool) -> Result<(), Error> {
        if !force && self.existed {
            if let Some(name) = self.files.iter().find(|name| self.dir.join(name).exists()) {
                return Err(already_exists(&self.dir.join(name)));
            }
        }
        if !self.existed {
            std::fs::rename(self.staging.path(), &self.dir)
                .map_err(|e| Error::io(format!("cannot create `{}`", self.dir.display()), &e))?;
            // In place: neither it nor its parents are to be removed.
            self.staging.created.clear();
            return Ok(());
        }
        for relative in &self.files {
            let target = self.dir.join(relative);
            if let Some(sub) = target.parent() {
                std::fs::create_dir_all(sub)
                    .map_err(|e| Error::io(format!("cannot create `{}`", sub.display()), &e))?;
            }
            std::fs::rename(self.staging.path().join(relative), &target)
                .map_err(|e| Error::io(format!("cannot write `{}`", target.display()), &e))?;
        }
        Ok(())
    }
}

/// Creates `dir` and its missing parents, returning those it created, outermost first.
fn create_dirs(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    // A relative path's last ancestor is "", which does not "exist": the working directory.
    let missing: Vec<&Path> = dir
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
        .collect();
    let mut created = Vec::new();
    for path in missing.into_iter().rev() {
        match std::fs::create_dir(path) {
            Ok(()) => created.push(path.to_path_buf()),
            // Made meanwhile by someone else: theirs, not ours to remove.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                remove_dirs(&created);
                return Err(Error::io(format!("cannot create `{}`", dir.display()), &e));
            }
        }
    }
    Ok(created)
}

/// Removes the directories `create_dirs` made, innermost first, each only if still empty.
fn remove_dirs(created: &[PathBuf]) {
    for path in created.iter().rev() {
        let _ = std::fs::remove_dir(path);
    }
}

/// The staging directory: made by `create_dir` (so its mode is what the umask gives, as for any
/// new directory: it may become `DIR`), removed with everything left in it when dropped, so any
/// early return leaves nothing, and with it the parents the set created.
struct Staging {
    path: PathBuf,
    /// The parent directories made for it, outermost first.
    created: Vec<PathBuf>,
}

impl Staging {
    fn new(parent: &Path, name: &str) -> Result<Self, Error> {
        for n in 0u32.. {
            let path = parent.join(format!(".{name}.edx-new.{}.{n}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => {
                    return Ok(Staging {
                        path,
                        created: Vec::new(),
                    });
                }
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
        &self.path
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Gone already when it was renamed into place.
        let _ = std::fs::remove_dir_all(&self.path);
        remove_dirs(&self.created);
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

    /// A set given up midway (the caller found a problem in its third file) leaves nothing: not
    /// the two staged files, not the directories made for `DIR`'s missing parents.
    #[test]
    fn an_unfinished_set_leaves_nothing_not_even_the_parents_it_made() {
        let top = tempfile::tempdir().unwrap();
        let dir = top.path().join("a/b/out");
        let mut set = OutputSet::new(&dir, Mode::Public).unwrap();
        set.add(Path::new("x.yml"), b"x\n").unwrap();
        set.add(Path::new("y.yml"), b"y\n").unwrap();
        assert_eq!(entries(top.path()), ["a"]);
        drop(set);
        assert!(entries(top.path()).is_empty(), "{:?}", entries(top.path()));
        // Finished, the same set is in place, parents and all.
        let mut set = OutputSet::new(&dir, Mode::Public).unwrap();
        set.add(Path::new("x.yml"), b"x\n").unwrap();
        set.finish(false).unwrap();
        assert_eq!(entries(&dir), ["x.yml"]);
        assert_eq!(std::fs::read_to_string(dir.join("x.yml")).unwrap(), "x\n");
        // A parent that existed before stays when a set in it is given up.
        let mut set = OutputSet::new(&top.path().join("a/b/other"), Mode::Public).unwrap();
        set.add(Path::new("x.yml"), b"x\n").unwrap();
        drop(set);
        assert_eq!(entries(&top.path().join("a/b")), ["out"]);
    }

    /// Into an existing directory, an existing file stops the whole set at `finish` unless
    /// forced: nothing moved, the staging gone.
    #[test]
    fn a_streamed_set_needs_force_for_an_existing_file() {
        let top = tempfile::tempdir().unwrap();
        let dir = top.path().join("out");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("b.yml"), "old\n").unwrap();
        let mut set = OutputSet::new(&dir, Mode::Public).unwrap();
        set.add(Path::new("a.yml"), b"a\n").unwrap();
        set.add(Path::new("b.yml"), b"b\n").unwrap();
        let error = set.finish(false).unwrap_err();
        assert!(
            error.message.ends_with("b.yml` already exists"),
            "{}",
            error.message
        );
        assert_eq!(entries(&dir), ["b.yml"]);
        let mut set = OutputSet::new(&dir, Mode::Public).unwrap();
        set.add(Path::new("a.yml"), b"a\n").unwrap();
        set.add(Path::new("b.yml"), b"b\n").unwrap();
        set.finish(true).unwrap();
        assert_eq!(entries(&dir), ["a.yml", "b.yml"]);
        assert_eq!(std::fs::read_to_string(dir.join("b.yml")).unwrap(), "b\n");
    }

    /// A file written piece by piece holds exactly the pieces, larger than the buffer included;
    /// the writer's own error comes back as it is, and the set given up leaves nothing.
    #[test]
    fn a_file_written_in_pieces_is_its_pieces_and_a_failure_leaves_nothing() {
        let top = tempfile::tempdir().unwrap();
        let dir = top.path().join("out");
        let big = "x".repeat(200_000);
        let mut set = OutputSet::new(&dir, Mode::Public).unwrap();
        set.add_with(Path::new("a.yml"), |w| {
            for piece in ["a: 1\n", big.as_str(), "\nb: 2\n"] {
                w.write_all(piece.as_bytes())
                    .map_err(|e| Error::io("x".to_owned(), &e))?;
            }
            Ok::<_, Error>(())
        })
        .unwrap();
        set.finish(false).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("a.yml")).unwrap(),
            format!("a: 1\n{big}\nb: 2\n")
        );
        let other = top.path().join("other");
        let mut set = OutputSet::new(&other, Mode::Public).unwrap();
        set.add(Path::new("a.yml"), b"a\n").unwrap();
        let error = set
            .add_with(Path::new("b.yml"), |w| {
                w.write_all(b"half")
                    .map_err(|e| Error::io("x".to_owned(), &e))?;
                Err(Error::new("the third job is invalid".to_owned()))
            })
            .unwrap_err();
        assert_eq!(error.message, "the third job is invalid");
        drop(set);
        assert_eq!(entries(top.path()), ["out"]);
    }
}
