//! A project's pipeline templates (`[pipelines] templates`): read from wherever the matrix was
//! read — the matrix file's directory, a git revision's tree, or the built-in example (whose
//! templates are embedded) — and the problems of running them, placed in their files.
//!
//! This is the one place template files are read: a [`TemplateTree`] lists the `.star` files of
//! a directory (relative to the matrix file's directory) and reads one file, and [`read`]
//! matches the `[pipelines] templates` patterns against the names, then reads the templates and
//! the files they `load()`, and no other: each at most
//! [`MAX_FILE_BYTES`], all together at most
//! [`MAX_TOTAL_BYTES`].

use edx_matrix_formats::{Diagnostic, Location};
use edx_matrix_formats::{Source, example};
use edx_matrix_model::Code;
pub(crate) use edx_matrix_pipeline::{MAX_FILE_BYTES, MAX_TOTAL_BYTES};
use edx_matrix_pipeline::{Settings, TemplateDiagnostic, TemplateFiles};
use edx_matrix_pipeline::{directory_of, matches, resolve_load};
use std::path::{Path, PathBuf};

/// Where template files are read from: the directory holding the matrix file, as it is on
/// disk, at a git revision, or embedded. Files are listed by name and read one by one, only
/// when a template runs or loads them.
pub trait TemplateTree {
    /// Returns the path of every `.star` file under `dir` (relative to the matrix file's
    /// directory, `/` separators, `""` for that directory itself), recursively, sorted.
    fn star_files(&self, dir: &str) -> Result<Vec<String>, String>;

    /// Reads the template file `file` (a path [`TemplateTree::star_files`] gave, or one a
    /// `load()` names), refusing one over [`MAX_FILE_BYTES`] before reading it when the size
    /// is known first.
    fn read(&self, file: &str) -> Result<String, String>;

    /// Returns what diagnostics call the template file `file` (relative to the matrix file's
    /// directory).
    fn display_name(&self, file: &str) -> String;
}

/// The message for a template file over [`MAX_FILE_BYTES`].
pub(crate) fn too_large(size: u64) -> String {
    format!(
        "it is {size} bytes, over the {} KiB a template file may be",
        MAX_FILE_BYTES / 1024
    )
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
}

/// Refuses a path (relative to `base`) of which a part is a symbolic link: template
/// directories and files are never followed out of the matrix file's directory. The error
/// says which part.
pub(crate) fn refuse_symlinks(base: &Path, relative: &str) -> Result<(), String> {
    let mut path = base.to_path_buf();
    for part in relative.split('/').filter(|p| !p.is_empty()) {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(format!(
                    "`{}` is a symbolic link (template directories and files are not followed)",
                    path.display()
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// What [`walk_star_files`] finds: a `.star` regular file, or an entry it cannot look into.
pub enum StarEntry<'e> {
    /// A `.star` file: its path relative to the base (`/` separators), and its entry.
    File(String, &'e std::fs::DirEntry),
    /// A directory that cannot be listed or an entry whose type cannot be read: its relative
    /// path (a directory's ends in `/`), its full path (empty when the reason names it: a
    /// symbolic link on the way), and why.
    Unreadable(String, PathBuf, std::io::Error),
}

/// Walks `dir` (relative to `base`, `""` for `base` itself) as the template loader lists it:
/// sorted by name, recursing into directories, `.star` regular files only (symbolic links are
/// neither followed nor read, `dir` itself included). Stops at the first error `visit`
/// returns. The server's reload stamps the same files this way, so it watches exactly what the
/// loader may read.
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
    if let Err(why) = refuse_symlinks(base, dir) {
        let error = std::io::Error::other(why);
        return visit(StarEntry::Unreadable(
            format!("{dir}/"),
            PathBuf::new(),
            error,
        ));
    }
    walk_below(dir, &shown, visit)
}

fn walk_below(
    dir: &str,
    shown: &Path,
    visit: &mut dyn FnMut(StarEntry<'_>) -> Result<(), String>,
) -> Result<(), String> {
    let entries =
        std::fs::read_dir(shown).and_then(|entries| entries.collect::<Result<Vec<_>, _>>());
    let mut entries = match entries {
        Ok(entries) => entries,
        Err(e) => {
            return visit(StarEntry::Unreadable(
                format!("{dir}/"),
                shown.to_owned(),
                e,
            ));
        }
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
            Ok(kind) if kind.is_dir() => walk_below(&relative, &entry.path(), visit)?,
            Ok(kind) if kind.is_file() && name.ends_with(".star") => {
                visit(StarEntry::File(relative, &entry))?;
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

impl TemplateTree for Directory {
    fn star_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        walk_star_files(&self.base, dir, &mut |found| match found {
            StarEntry::File(relative, _) => {
                out.push(relative);
                Ok(())
            }
            StarEntry::Unreadable(_, path, e) if path.as_os_str().is_empty() => Err(e.to_string()),
            StarEntry::Unreadable(_, path, e) => Err(format!("`{}`: {e}", path.display())),
        })?;
        Ok(out)
    }

    fn read(&self, file: &str) -> Result<String, String> {
        refuse_symlinks(&self.base, file)?;
        let path = self.base.join(file);
        // The size before reading: a sparse file of gigabytes costs nothing to refuse.
        let meta = crate::fsio::check_regular(&path).map_err(|e| e.message)?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(too_large(meta.len()));
        }
        let text = crate::read_file(&path).map_err(|e| e.message())?;
        match text.len() as u64 {
            n if n > MAX_FILE_BYTES => Err(too_large(n)),
            _ => Ok(text),
        }
    }

    fn display_name(&self, file: &str) -> String {
        if self.base.as_os_str().is_empty() {
            file.to_owned()
        } else {
            self.base.join(file).display().to_string()
        }
    }
}

/// The built-in example's templates (`edx_matrix_formats::example::TEMPLATES`).
#[derive(Clone, Copy, Debug)]
pub struct Embedded;

impl TemplateTree for Embedded {
    fn star_files(&self, dir: &str) -> Result<Vec<String>, String> {
        Ok(example::TEMPLATES
            .iter()
            .filter(|(path, _)| dir.is_empty() || path.starts_with(&format!("{dir}/")))
            .map(|(path, _)| (*path).to_owned())
            .collect())
    }

    fn read(&self, file: &str) -> Result<String, String> {
        example::TEMPLATES
            .iter()
            .find(|(path, _)| *path == file)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| format!("no file `{file}`"))
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

/// Reads the templates `settings` names from `tree`, and the files they load; problems (a
/// pattern matching nothing, an unreadable directory, a template too large) are diagnostics in
/// the matrix file, at the pattern. A loaded file that cannot be read is refused when the
/// template runs, at its `load()`.
pub(crate) fn read(settings: &Settings, tree: &dyn TemplateTree) -> (Templates, Vec<Diagnostic>) {
    let mut templates = Templates::default();
    let mut diagnostics = Vec::new();
    if settings.templates.is_empty() {
        return (templates, diagnostics);
    }
    let mut listed: Vec<String> = Vec::new();
    let mut read_dirs: Vec<&str> = Vec::new();
    let mut failed: Vec<&str> = Vec::new();
    for pattern in &settings.templates {
        let dir = directory_of(&pattern.pattern);
        // A directory below one already listed was listed with it.
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
                listed.extend(files);
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
    let mut reader = Reader {
        tree,
        templates: &mut templates,
        total: 0,
    };
    for pattern in &settings.templates {
        let dir = directory_of(&pattern.pattern);
        let file = &pattern.pattern[if dir.is_empty() { 0 } else { dir.len() + 1 }..];
        let found: Vec<&String> = listed
            .iter()
            .filter(|k| directory_of(k) == dir && matches(file, &k[k.len() - file_name_len(k)..]))
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
            if reader.templates.files.entries.contains(f) {
                continue;
            }
            match reader.read_with_loads(f) {
                Ok(()) => reader.templates.files.entries.push(f.clone()),
                Err(why) => diagnostics.push(Diagnostic::new(
                    Code::PipelineTemplate,
                    Location::Span(pattern.span.clone()),
                    format!("cannot read the template `{}`: {why}", tree.display_name(f)),
                    "unreadable template",
                )),
            }
        }
    }
    (templates, diagnostics)
}

/// Reads templates and what they load, within [`MAX_TOTAL_BYTES`].
struct Reader<'a> {
    tree: &'a dyn TemplateTree,
    templates: &'a mut Templates,
    total: u64,
}

impl Reader<'_> {
    /// Reads one file, keeping it; the reason when it cannot be.
    fn read_one(&mut self, file: &str) -> Result<(), String> {
        if self.templates.files.files.contains_key(file) {
            return Ok(());
        }
        if let Some(why) = self.templates.files.refused.get(file) {
            return Err(why.clone());
        }
        let text = self.tree.read(file).and_then(|text| {
            let total = self.total + text.len() as u64;
            if total > MAX_TOTAL_BYTES {
                return Err(format!(
                    "the templates and the files they load would take {total} bytes, over the {} MiB all template files together may",
                    MAX_TOTAL_BYTES / (1024 * 1024)
                ));
            }
            Ok(text)
        });
        match text {
            Ok(text) => {
                self.total += text.len() as u64;
                self.templates
                    .names
                    .insert(file.to_owned(), self.tree.display_name(file));
                self.templates.files.files.insert(file.to_owned(), text);
                Ok(())
            }
            Err(why) => {
                self.templates
                    .files
                    .refused
                    .insert(file.to_owned(), why.clone());
                Err(why)
            }
        }
    }

    /// Reads the template `entry` and, transitively, the files its `load()` statements name
    /// (inside its directory); a loaded file that cannot be read is recorded as refused.
    fn read_with_loads(&mut self, entry: &str) -> Result<(), String> {
        self.read_one(entry)?;
        let root = directory_of(entry).to_owned();
        let mut pending = vec![entry.to_owned()];
        let mut seen = vec![entry.to_owned()];
        while let Some(from) = pending.pop() {
            let names = match self.templates.files.files.get(&from) {
                Some(text) => load_names(text),
                None => continue,
            };
            for name in names {
                let Ok(path) = resolve_load(&root, &from, &name) else {
                    continue; // refused when it runs, at the `load()`
                };
                if seen.contains(&path) {
                    continue;
                }
                seen.push(path.clone());
                if self.read_one(&path).is_ok() {
                    pending.push(path);
                }
            }
        }
        Ok(())
    }
}

/// Returns the module names of the `load()` statements of a template: `load(` at the start of
/// a line (statements at the top level), then a string. A load written otherwise is still
/// refused when the template runs, with its place.
pub(crate) fn load_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("load") {
        let at = from + found;
        from = at + 4;
        let before = text[..at].trim_end_matches([' ', '\t']);
        if !(before.is_empty() || before.ends_with('\n') || before.ends_with(';')) {
            continue;
        }
        let Some(args) = text[from..].trim_start().strip_prefix('(') else {
            continue;
        };
        let args = args.trim_start();
        let Some(quote) = args.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = args[1..].find(quote) {
            out.push(args[1..1 + end].to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_names_are_the_top_level_loads_only() {
        let text = "load(\"a.star\", \"x\")\nload( 'sub/b.star', y = \"z\")\nx = 1; load(\"//c.star\", \"w\")\ndef f():\n    download(\"no.star\")\n# load(\"comment.star\")\n";
        assert_eq!(load_names(text), ["a.star", "sub/b.star", "//c.star"]);
    }

    /// A tree in memory: what is read, counted.
    struct Files(Vec<(&'static str, String)>, std::cell::RefCell<Vec<String>>);

    impl TemplateTree for Files {
        fn star_files(&self, dir: &str) -> Result<Vec<String>, String> {
            Ok((self.0.iter())
                .filter(|(p, _)| p.starts_with(&format!("{dir}/")))
                .map(|(p, _)| (*p).to_owned())
                .collect())
        }

        fn read(&self, file: &str) -> Result<String, String> {
            self.1.borrow_mut().push(file.to_owned());
            let text = (self.0.iter().find(|(p, _)| *p == file))
                .map(|(_, t)| t.clone())
                .ok_or_else(|| format!("no file `{file}`"))?;
            match text.len() as u64 {
                n if n > MAX_FILE_BYTES => Err(too_large(n)),
                _ => Ok(text),
            }
        }

        fn display_name(&self, file: &str) -> String {
            file.to_owned()
        }
    }

    #[test]
    fn only_the_templates_and_what_they_load_are_read() {
        let settings = Settings {
            templates: vec![edx_matrix_pipeline::TemplatePattern {
                pattern: "pipelines/main*.star".to_owned(),
                span: 0..0,
            }],
            ..Settings::default()
        };
        let big = "#".repeat(MAX_FILE_BYTES as usize + 1);
        let tree = Files(
            vec![
                (
                    "pipelines/main.star",
                    "load(\"lib/a.star\", \"x\")\nload(\"big.star\", \"y\")\n".to_owned(),
                ),
                (
                    "pipelines/lib/a.star",
                    "load(\"b.star\", \"z\")\nx = 1\n".to_owned(),
                ),
                ("pipelines/lib/b.star", "z = 2\n".to_owned()),
                ("pipelines/big.star", big),
                ("pipelines/unused.star", "never read\n".to_owned()),
            ],
            std::cell::RefCell::new(Vec::new()),
        );
        let (templates, diagnostics) = read(&settings, &tree);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(templates.files.entries, ["pipelines/main.star"]);
        let mut read_files = tree.1.borrow().clone();
        read_files.sort();
        assert_eq!(
            read_files,
            [
                "pipelines/big.star",
                "pipelines/lib/a.star",
                "pipelines/lib/b.star",
                "pipelines/main.star"
            ]
        );
        assert_eq!(
            templates.files.files.keys().collect::<Vec<_>>(),
            [
                "pipelines/lib/a.star",
                "pipelines/lib/b.star",
                "pipelines/main.star"
            ]
        );
        assert_eq!(
            templates
                .files
                .refused
                .get("pipelines/big.star")
                .map(String::as_str),
            Some("it is 1048577 bytes, over the 1024 KiB a template file may be")
        );
    }
}
