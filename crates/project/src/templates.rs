//! A project's pipeline templates (`[pipelines] templates`): read from wherever the matrix was
//! read — the matrix file's directory, a git revision's tree, or the built-in example (whose
//! templates are embedded) — and the problems of running them, placed in their files.
//!
//! This is the one place template files are read: a [`TemplateTree`] lists and reads the `.star`
//! files of a directory (relative to the matrix file's directory), and [`read`] matches the
//! `[pipelines] templates` patterns against them.

use edx_matrix_config::diagnostic::{Diagnostic, Location};
use edx_matrix_config::{Source, example};
use edx_matrix_model::Code;
use edx_matrix_pipeline::script::{directory_of, matches};
use edx_matrix_pipeline::{Settings, TemplateDiagnostic, TemplateFiles};
use std::path::{Path, PathBuf};

/// Where template files are read from: the directory holding the matrix file, as it is on
/// disk, at a git revision, or embedded.
pub trait TemplateTree {
    /// Returns every `.star` file under `dir` (relative to the matrix file's directory, `/`
    /// separators, `""` for that directory itself), recursively, as (relative path, text).
    fn star_files(&self, dir: &str) -> Result<Vec<(String, String)>, String>;

    /// Returns what diagnostics call the template file `file` (relative to the matrix file's
    /// directory).
    fn display_name(&self, file: &str) -> String;
}

/// The directory holding a matrix file on disk.
#[derive(Clone, Debug)]
pub struct Directory {
    base: PathBuf,
}

impl Directory {
    /// The directory of the matrix file at `path`.
    pub fn of(path: &Path) -> Directory {
        Directory {
            base: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        }
    }

    fn walk(&self, dir: &str, out: &mut Vec<(String, String)>) -> Result<(), String> {
        walk_star_files(&self.base, dir, &mut |found| match found {
            StarEntry::File(relative, entry) => {
                let text = crate::read_file(&entry.path()).map_err(|e| e.message())?;
                out.push((relative, text));
                Ok(())
            }
            StarEntry::Unreadable(_, path, e) => Err(format!("`{}`: {e}", path.display())),
        })
    }
}

/// What [`walk_star_files`] finds: a `.star` regular file, or an entry it cannot look into.
pub enum StarEntry<'e> {
    /// A `.star` file: its path relative to the base (`/` separators), and its entry.
    File(String, &'e std::fs::DirEntry),
    /// A directory that cannot be listed or an entry whose type cannot be read: its relative
    /// path (a directory's ends in `/`), its full path, and why.
    Unreadable(String, PathBuf, std::io::Error),
}

/// Walks `dir` (relative to `base`, `""` for `base` itself) as the template loader reads it:
/// sorted by name, recursing into directories, `.star` regular files only (symbolic links are
/// neither followed nor read). Stops at the first error `visit` returns. The server's reload
/// stamps the same files this way, so it watches exactly what the loader reads.
///
/// # Errors
///
/// The first error `visit` returns.
pub fn walk_star_files(
    base: &Path,
    dir: &str,
    visit: &mut dyn FnMut(StarEntry<'_>) -> Result<(), String>,
) -> Result<(), String> {
    let full = if dir.is_empty() {
        base.to_path_buf()
    } else {
        base.join(dir)
    };
    let shown = if full.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        full
    };
    let entries =
        std::fs::read_dir(&shown).and_then(|entries| entries.collect::<Result<Vec<_>, _>>());
    let mut entries = match entries {
        Ok(entries) => entries,
        Err(e) => return visit(StarEntry::Unreadable(format!("{dir}/"), shown, e)),
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let relative = if dir.is_empty() {
            name.clone()
        } else {
            format!("{dir}/{name}")
        };
        match entry.file_type() {
            Err(e) => visit(StarEntry::Unreadable(relative, entry.path(), e))?,
            Ok(kind) if kind.is_dir() => walk_star_files(base, &relative, visit)?,
            Ok(kind) if kind.is_file() && name.ends_with(".star") => {
                visit(StarEntry::File(relative, &entry))?;
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

impl TemplateTree for Directory {
    fn star_files(&self, dir: &str) -> Result<Vec<(String, String)>, String> {
        let mut out = Vec::new();
        self.walk(dir, &mut out)?;
        Ok(out)
    }

    fn display_name(&self, file: &str) -> String {
        if self.base.as_os_str().is_empty() {
            file.to_owned()
        } else {
            self.base.join(file).display().to_string()
        }
    }
}

/// The built-in example's templates (`edx_matrix_config::example::TEMPLATES`).
#[derive(Clone, Copy, Debug)]
pub struct Embedded;

impl TemplateTree for Embedded {
    fn star_files(&self, dir: &str) -> Result<Vec<(String, String)>, String> {
        Ok(example::TEMPLATES
            .iter()
            .filter(|(path, _)| dir.is_empty() || path.starts_with(&format!("{dir}/")))
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect())
    }

    fn display_name(&self, file: &str) -> String {
        file.to_owned()
    }
}

/// The templates of a project, as read.
#[derive(Clone, Debug, Default)]
pub struct Templates {
    /// The files: the templates to run and every `.star` file they may load.
    pub files: TemplateFiles,
    /// What diagnostics call each file, by relative path.
    names: std::collections::BTreeMap<String, String>,
}

impl Templates {
    /// Returns the template diagnostic `d` as a diagnostic located in its file, with that
    /// file's source.
    pub fn located(&self, d: &TemplateDiagnostic) -> (Source, Diagnostic) {
        let text = self.files.files.get(&d.file).cloned().unwrap_or_default();
        let name = self
            .names
            .get(&d.file)
            .cloned()
            .unwrap_or_else(|| d.file.clone());
        let mut offset = 0;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            if i + 1 == d.line {
                offset += line
                    .char_indices()
                    .nth(d.column.saturating_sub(1))
                    .map_or(line.len(), |(b, _)| b);
                break;
            }
            offset += line.len();
        }
        let end = (offset + 1).min(text.len()).max(offset);
        let mut diagnostic = Diagnostic::new(
            d.code,
            Location::Span(offset..end),
            d.message.clone(),
            "here",
        );
        diagnostic.severity = d.severity;
        (Source::new(name, text), diagnostic)
    }
}

fn file_name_len(path: &str) -> usize {
    path.len() - path.rfind('/').map_or(0, |i| i + 1)
}

/// Reads the templates `settings` names from `tree`; problems (a pattern matching nothing, an
/// unreadable directory) are diagnostics in the matrix file, at the pattern.
pub fn read(settings: &Settings, tree: &dyn TemplateTree) -> (Templates, Vec<Diagnostic>) {
    let mut templates = Templates::default();
    let mut diagnostics = Vec::new();
    if settings.templates.is_empty() {
        return (templates, diagnostics);
    }
    let mut read_dirs: Vec<&str> = Vec::new();
    let mut failed: Vec<&str> = Vec::new();
    for pattern in &settings.templates {
        let dir = directory_of(&pattern.pattern);
        // A directory below one already read was read with it.
        if failed.contains(&dir)
            || read_dirs
                .iter()
                .any(|d| d.is_empty() || *d == dir || dir.starts_with(&format!("{d}/")))
        {
            continue;
        }
        match tree.star_files(dir) {
            Ok(files) => {
                read_dirs.push(dir);
                for (path, text) in files {
                    templates
                        .names
                        .insert(path.clone(), tree.display_name(&path));
                    templates.files.files.insert(path, text);
                }
            }
            Err(e) => {
                failed.push(dir);
                diagnostics.push(Diagnostic::new(
                    Code::PipelineTemplate,
                    Location::Span(pattern.span.clone()),
                    format!(
                        "cannot read the template directory of `{}`: {e}",
                        pattern.pattern
                    ),
                    "unreadable",
                ));
            }
        }
    }
    for pattern in &settings.templates {
        let dir = directory_of(&pattern.pattern);
        let file = &pattern.pattern[if dir.is_empty() { 0 } else { dir.len() + 1 }..];
        let found: Vec<String> = templates
            .files
            .files
            .keys()
            .filter(|k| directory_of(k) == dir && matches(file, &k[k.len() - file_name_len(k)..]))
            .cloned()
            .collect();
        if found.is_empty() && !failed.contains(&dir) {
            diagnostics.push(Diagnostic::new(
                Code::PipelineTemplate,
                Location::Span(pattern.span.clone()),
                format!("the template pattern `{}` matches no file", pattern.pattern),
                "no template here",
            ));
        }
        for f in found {
            if !templates.files.entries.contains(&f) {
                templates.files.entries.push(f);
            }
        }
    }
    (templates, diagnostics)
}
