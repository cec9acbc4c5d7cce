//! What the reloader watches between polls: the matrix source's stamp and text, and the
//! pipeline templates of the last loaded matrix.
//!
//! The templates watched are what the loader reads ([`edx_matrix_project::read`]):
//! every `.star` file under the directories of the `[pipelines] templates` patterns, recursively,
//! since a template may `load` any of them. A poll compares stamps only (modification time and
//! length of each file, so an added or removed file changes them too); the files are read and
//! compared with what was loaded only when a stamp differs or a reload is forced.

use crate::source::FileStamp;
use edx_matrix_pipeline::Settings;
use edx_matrix_pipeline::directory_of;
use edx_matrix_project::MatrixSource;
use edx_matrix_project::{Directory, TemplateTree, is_python_package};
use edx_matrix_project::{StarEntry, walk_star_files};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The text of template files by path relative to the matrix file's directory.
pub(crate) type TemplateTexts = BTreeMap<String, String>;

/// The stamps of the watched template files, in walk order; a directory that cannot be listed
/// is an entry of its own (its path with a final `/`, no stamp).
pub(crate) type TemplateStamps = Vec<(String, Option<FileStamp>)>;

/// What the reloader remembers between polls.
#[derive(Default)]
pub(crate) struct Watch {
    /// The matrix source's stamp when it was last read.
    pub stamp: Option<FileStamp>,
    /// Its text as last read, or `None` when it could not be read.
    pub text: Option<String>,
    /// The stamp of the lock beside it when last read (`None`: no lock, or none to read).
    pub lock_stamp: Option<FileStamp>,
    /// The lock's text as last read (`None`: no lock, or it could not be read).
    pub lock_text: Option<String>,
    /// The template directories of the last loaded matrix (relative to its directory, none
    /// below another).
    pub template_dirs: Vec<String>,
    /// The stamps of their files when last compared; `None` until known (then the next poll
    /// compares the files themselves).
    pub template_stamps: Option<TemplateStamps>,
    /// The template files under the watched directories as read before the last load (all of
    /// them, not only those the templates load: a file becoming loaded is a change too).
    pub templates: TemplateTexts,
}

impl Watch {
    /// Returns whether `stamps` are those of the templates already loaded.
    pub(crate) fn templates_unchanged(&self, stamps: &TemplateStamps) -> bool {
        self.template_stamps.as_ref() == Some(stamps)
    }

    /// Remembers the templates of a newly loaded project: `stamps` and `read` were taken (of
    /// the directories watched until now) before it was loaded, so they are kept only when the
    /// project watches the same directories; otherwise its directories are read now, and kept
    /// if they still hold what the loader read (else the next poll reloads).
    pub(crate) fn loaded(
        &mut self,
        project: &edx_matrix_project::Project,
        source: &MatrixSource,
        stamps: TemplateStamps,
        read: TemplateTexts,
    ) {
        let dirs = if template_root(source).is_some() {
            template_dirs(&project.pipelines)
        } else {
            Vec::new()
        };
        if dirs == self.template_dirs {
            self.template_stamps = Some(stamps);
            self.templates = read;
        } else {
            let now = read_templates(source, &dirs);
            let agrees = project.templates().is_none_or(|t| {
                (t.files.files.iter()).all(|(path, text)| now.get(path) == Some(text))
            });
            self.templates = if agrees { now } else { TemplateTexts::new() };
            self.template_dirs = dirs;
            self.template_stamps = None;
        }
    }
}

/// Returns the directory the templates of `source` are read from on disk: the matrix file's.
/// `None` for the example (its templates are embedded) and a Python package (it has no
/// `[pipelines]`).
fn template_root(source: &MatrixSource) -> Option<PathBuf> {
    match source {
        MatrixSource::File(path) if !is_python_package(path) => Some(
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf(),
        ),
        _ => None,
    }
}

/// Returns the directories the `[pipelines] templates` patterns read, without one below
/// another (it is read with it), sorted.
pub(crate) fn template_dirs(settings: &Settings) -> Vec<String> {
    let mut dirs: Vec<String> = settings
        .templates
        .iter()
        .map(|p| directory_of(&p.pattern).to_owned())
        .collect();
    dirs.sort();
    dirs.dedup();
    let all = dirs.clone();
    dirs.retain(|d| {
        !all.iter()
            .any(|a| a != d && (a.is_empty() || d.starts_with(&format!("{a}/"))))
    });
    dirs
}

/// Returns the stamps of every `.star` file under `dirs` (see [`TemplateStamps`]); empty for
/// a source without templates on disk.
pub(crate) fn stamp_templates(source: &MatrixSource, dirs: &[String]) -> TemplateStamps {
    let mut out = Vec::new();
    if let Some(root) = template_root(source) {
        for dir in dirs {
            stamp_dir(&root, dir, &mut out);
        }
    }
    out
}

/// Walks `dir` as the loader does ([`walk_star_files`]); an entry that cannot be looked into
/// is stamped `None`, so it changing to readable is a change too.
fn stamp_dir(root: &Path, dir: &str, out: &mut TemplateStamps) {
    let _always_ok = walk_star_files(root, dir, &mut |found| {
        match found {
            StarEntry::File(relative, entry) => {
                let stamp = entry.metadata().ok().map(|m| FileStamp::of(&m));
                out.push((relative, stamp));
            }
            StarEntry::Unreadable(relative, _, _) => out.push((relative, None)),
        }
        Ok(())
    });
}

/// Reads the template files under `dirs` through the loader's own reader (each within its size
/// bound); a directory that cannot be read contributes nothing, as in the loader, and a file
/// that cannot be read is its reason (so it becoming readable is a change).
pub(crate) fn read_templates(source: &MatrixSource, dirs: &[String]) -> TemplateTexts {
    let MatrixSource::File(path) = source else {
        return TemplateTexts::new();
    };
    if template_root(source).is_none() {
        return TemplateTexts::new();
    }
    let tree = Directory::of(path);
    dirs.iter()
        .filter_map(|dir| tree.star_files(dir).ok())
        .flatten()
        .map(|file| {
            let text = tree
                .read(&file)
                .unwrap_or_else(|why| format!("\0unreadable: {why}"));
            (file, text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use edx_matrix_pipeline::TemplatePattern;

    fn settings(patterns: &[&str]) -> Settings {
        Settings {
            templates: patterns
                .iter()
                .map(|p| TemplatePattern {
                    pattern: (*p).to_owned(),
                    span: 0..0,
                })
                .collect(),
            ..Settings::default()
        }
    }

    #[test]
    fn a_directory_below_another_is_watched_with_it() {
        let dirs = template_dirs(&settings(&[
            "pipelines/mfe/*.star",
            "pipelines/*.star",
            "other/a.star",
            "pipelines/*.star",
        ]));
        assert_eq!(dirs, ["other", "pipelines"]);
        assert_eq!(
            template_dirs(&settings(&["a/*.star", "*.star"])),
            [String::new()]
        );
        assert!(template_dirs(&settings(&[])).is_empty());
        // `pipelinesx` is not below `pipelines`.
        assert_eq!(
            template_dirs(&settings(&["pipelines/*.star", "pipelinesx/*.star"])),
            ["pipelines", "pipelinesx"]
        );
    }

    #[test]
    fn stamps_change_with_an_edit_an_addition_and_a_removal() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap_or(dir.path()))
                .unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
        };
        write("pipelines/mfe.star", "x = 1\n");
        write("pipelines/lib/helpers.star", "y = 2\n");
        write("pipelines/notes.txt", "not a template");
        let source = MatrixSource::File(dir.path().join("edx-matrix.toml"));
        let dirs = vec!["pipelines".to_owned()];
        let first = stamp_templates(&source, &dirs);
        let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["pipelines/lib/helpers.star", "pipelines/mfe.star"]);
        assert_eq!(stamp_templates(&source, &dirs), first);
        assert_eq!(
            read_templates(&source, &dirs)
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            names
        );

        write("pipelines/lib/helpers.star", "y = 22\n");
        let edited = stamp_templates(&source, &dirs);
        assert_ne!(edited, first);
        write("pipelines/new.star", "z = 3\n");
        let added = stamp_templates(&source, &dirs);
        assert_eq!(added.len(), 3);
        std::fs::remove_file(dir.path().join("pipelines/mfe.star"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(stamp_templates(&source, &dirs).len(), 2);
        std::fs::remove_dir_all(dir.path().join("pipelines")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            stamp_templates(&source, &dirs),
            [("pipelines/".to_owned(), None)]
        );
        assert!(read_templates(&source, &dirs).is_empty());
    }

    #[test]
    fn the_example_and_a_python_package_watch_no_template_file() {
        let dirs = vec![String::new()];
        assert!(stamp_templates(&MatrixSource::Example, &dirs).is_empty());
        assert!(read_templates(&MatrixSource::Example, &dirs).is_empty());
        // A package directory holding `.star` files: still none watched.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let package = dir.path().join("matrix");
        std::fs::create_dir(&package).unwrap_or_else(|e| panic!("{e}"));
        for name in [edx_matrix_formats::python_package::VERSION_MATRIX, "a.star"] {
            std::fs::write(package.join(name), "").unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(dir.path().join("b.star"), "").unwrap_or_else(|e| panic!("{e}"));
        let source = MatrixSource::File(package);
        assert!(stamp_templates(&source, &dirs).is_empty());
        assert!(read_templates(&source, &dirs).is_empty());
        // The same directory as a TOML file's: its `.star` files are.
        let source = MatrixSource::File(dir.path().join("edx-matrix.toml"));
        assert_eq!(stamp_templates(&source, &dirs).len(), 2);
    }
}
