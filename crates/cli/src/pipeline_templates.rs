//! Reading a matrix's pipeline templates (`[pipelines] templates`) from the directory of the
//! matrix file, and placing template diagnostics in their files for `check`.

use edx_matrix_config::diagnostic::{Diagnostic, Location};
use edx_matrix_config::{Loaded, Source, example};
use edx_matrix_model::Code;
use edx_matrix_pipeline::script::{directory_of, matches};
use edx_matrix_pipeline::{Settings, TemplateDiagnostic, TemplateFiles};
use std::path::{Path, PathBuf};

/// Returns the directory holding `loaded`'s templates: the matrix file's, or `None` for the
/// built-in example (whose templates are embedded) and sources that are not files.
fn base_dir(loaded: &Loaded) -> Option<PathBuf> {
    let path = Path::new(&loaded.source.name);
    path.is_file()
        .then(|| path.parent().map(Path::to_path_buf).unwrap_or_default())
}

fn star_files(base: &Path, dir: &str, out: &mut TemplateFiles) -> std::io::Result<()> {
    let full = if dir.is_empty() {
        base.to_path_buf()
    } else {
        base.join(dir)
    };
    let mut entries: Vec<_> = std::fs::read_dir(&full)?.collect::<Result<_, _>>()?;
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
        let kind = entry.file_type()?;
        if kind.is_dir() {
            star_files(base, &relative, out)?;
        } else if kind.is_file() && name.ends_with(".star") {
            out.files
                .insert(relative, std::fs::read_to_string(entry.path())?);
        }
    }
    Ok(())
}

/// Reads the templates `settings` names; problems (a pattern matching nothing, an unreadable
/// directory) are diagnostics in the matrix file.
pub fn read(loaded: &Loaded, settings: &Settings) -> (TemplateFiles, Vec<Diagnostic>) {
    let mut files = TemplateFiles::default();
    let mut diagnostics = Vec::new();
    if settings.templates.is_empty() {
        return (files, diagnostics);
    }
    if loaded.source.name == example::NAME {
        for (path, text) in example::TEMPLATES {
            files.files.insert((*path).to_owned(), (*text).to_owned());
        }
    } else if let Some(base) = base_dir(loaded) {
        for pattern in &settings.templates {
            let dir = directory_of(&pattern.pattern);
            if let Err(e) = star_files(&base, dir, &mut files) {
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
        let found: Vec<String> = files
            .files
            .keys()
            .filter(|k| directory_of(k) == dir && matches(file, &k[k.len() - file_name_len(k)..]))
            .cloned()
            .collect();
        if found.is_empty() {
            diagnostics.push(Diagnostic::new(
                Code::PipelineTemplate,
                Location::Span(pattern.span.clone()),
                format!("the template pattern `{}` matches no file", pattern.pattern),
                "no template here",
            ));
        }
        for f in found {
            if !files.entries.contains(&f) {
                files.entries.push(f);
            }
        }
    }
    (files, diagnostics)
}

fn file_name_len(path: &str) -> usize {
    path.len() - path.rfind('/').map_or(0, |i| i + 1)
}

/// Returns the template diagnostic as a diagnostic located in its file, with that file's
/// source (the display name joins the matrix file's directory).
pub fn located(
    loaded: &Loaded,
    files: &TemplateFiles,
    d: &TemplateDiagnostic,
) -> (Source, Diagnostic) {
    let text = files.files.get(&d.file).cloned().unwrap_or_default();
    let name = match base_dir(loaded) {
        Some(base) if !base.as_os_str().is_empty() => base.join(&d.file).display().to_string(),
        _ => d.file.clone(),
    };
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
