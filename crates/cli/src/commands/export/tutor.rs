//! `export tutor`: one Tutor plugin and README per (deployment, stage), or per every one.

use super::stage_filter;
use crate::error::{CmdResult, CommandError};
use crate::output::Output;
use edx_matrix_formats::tutor::{Refusal, TutorExport};
use edx_matrix_formats::{Format, Loaded, toml_load};
use edx_matrix_model::Code;
use edx_matrix_project::Project;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `export tutor` was asked for.
pub(super) struct Request<'a> {
    pub deployment: Option<&'a str>,
    pub stage: Option<&'a str>,
    pub all: bool,
    pub output: Option<&'a Path>,
    pub force: bool,
    pub json: bool,
}

pub(super) fn run(project: &Project, out: &Output, request: &Request<'_>) -> CmdResult {
    let loaded = &project.loaded;
    let stages: Vec<(String, String)> = if request.all {
        loaded
            .matrix
            .deployments
            .iter()
            .flat_map(|d| {
                d.stages
                    .iter()
                    .map(|p| (d.name.as_str().to_owned(), p.stage.as_str().to_owned()))
            })
            .collect()
    } else {
        match (request.deployment, request.stage) {
            (Some(d), Some(s)) => vec![(d.to_owned(), s.to_owned())],
            _ => {
                return Err(CommandError::usage("say which deployment and stage")
                    .with_hint("`edx-matrix export tutor DEPLOYMENT STAGE` or `--all -o DIR`"));
            }
        }
    };
    // Build every export first: a refusal anywhere writes nothing.
    let mut exports = Vec::new();
    let mut refused = Vec::new();
    for (deployment, stage) in &stages {
        let (release, filter) = stage_filter(loaded, deployment, stage)?;
        // Tutor builds the locked commits where the lock has them.
        match project.export_tutor(deployment, stage, &release, &filter) {
            Ok(export) => exports.push((deployment.as_str(), stage.as_str(), export)),
            Err(refusals) => refused.extend(refusals),
        }
    }
    if !refused.is_empty() {
        report_refusals(loaded, &refused);
        return Err(CommandError::refused(format!(
            "`export tutor` refuses {} value{} (nothing written)",
            refused.len(),
            if refused.len() == 1 { "" } else { "s" }
        )));
    }
    let Some(dir) = request.output else {
        // One stage, to standard output: the plugin (or the summary); the notes on standard error.
        for (_, _, export) in &exports {
            notes(out, export);
            if !request.json {
                out.print(&export.plugin_py)?;
            }
        }
        if request.json {
            print_json(out, &exports, None)?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    let targets: Vec<(PathBuf, &TutorExport)> = exports
        .iter()
        .map(|(d, s, e)| {
            let target = if request.all {
                dir.join(format!("{d}-{s}"))
            } else {
                dir.to_path_buf()
            };
            (target, e)
        })
        .collect();
    // Every stage's files at once, all or nothing: a failure while writing leaves no file.
    let mut files = Vec::new();
    for (target, export) in &targets {
        let relative = target.strip_prefix(dir).unwrap_or(Path::new(""));
        files.push((
            relative.join(&export.plugin_file),
            export.plugin_py.clone().into_bytes(),
        ));
        files.push((
            relative.join("README.md"),
            export.readme.clone().into_bytes(),
        ));
    }
    edx_matrix_project::fsio::create_all(
        dir,
        &files,
        edx_matrix_project::fsio::Mode::Public,
        request.force,
    )?;
    for (target, export) in &targets {
        let plugin = target.join(&export.plugin_file);
        notes(out, export);
        eprintln!(
            "wrote `{}` and README.md: tutor plugins install {} && tutor plugins enable {} && tutor config save",
            plugin.display(),
            plugin.display(),
            export.enable.join(" ")
        );
    }
    if request.json {
        let dirs: Vec<PathBuf> = targets.iter().map(|(t, _)| t.clone()).collect();
        print_json(out, &exports, Some(&dirs))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `--format json`: one object per stage, in an array.
fn print_json(
    out: &Output,
    exports: &[(&str, &str, TutorExport)],
    dirs: Option<&[PathBuf]>,
) -> Result<(), CommandError> {
    let stages: Vec<serde_json::Value> = exports
        .iter()
        .enumerate()
        .map(|(i, (deployment, stage, export))| {
            // The plugin's overrides, then the `TUTOR_*` vars' settings with their types (the
            // plugin sets them after the others, so they win).
            let mut overrides: serde_json::Map<String, serde_json::Value> = export
                .overrides
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            for (k, v) in &export.settings {
                overrides.insert(k.clone(), serde_json::to_value(v).unwrap_or_default());
            }
            let from_vars: Vec<&str> = export.settings.iter().map(|(k, _)| k.as_str()).collect();
            serde_json::json!({
                "deployment": deployment,
                "stage": stage,
                "plugin": export.plugin_name,
                "plugin_file": dirs
                    .and_then(|d| d.get(i))
                    .map(|d| d.join(&export.plugin_file).display().to_string()),
                "enable": export.enable,
                "settings": overrides,
                "settings_from_vars": from_vars,
                "mfes": export.mfes.iter().map(|m| serde_json::json!({
                    "name": m.name,
                    "repository": m.repository,
                    "version": m.version,
                    "port": m.port,
                })).collect::<Vec<_>>(),
                "removed_mfes": export.removed_mfes,
                "locked": export.locked.iter().map(|l| serde_json::json!({
                    "place": l.place,
                    "branch": l.branch,
                    "commit": l.commit,
                })).collect::<Vec<_>>(),
                "frontend_apps": export.frontend_apps.iter().map(|a| serde_json::json!({
                    "name": a.name,
                    "repository": a.repository,
                    "version": a.version,
                    "source": a.source,
                })).collect::<Vec<_>>(),
                "npm_apps": export.npm_apps,
                "removed_frontend_apps": export.removed_frontend_apps,
                "kept": export.kept,
                "changes": export.changes,
                "build_args": export.build_args.iter().map(|(image, arg)| serde_json::json!({"image": image, "arg": arg})).collect::<Vec<_>>(),
                "warnings": export.warnings,
                "unmapped": export.unmapped,
            })
        })
        .collect();
    let mut text =
        serde_json::to_string_pretty(&stages).map_err(|e| CommandError::io(e.to_string()))?;
    text.push('\n');
    out.print(&text)?;
    Ok(())
}

/// What the plugin changes in Tutor's defaults, the warnings and the unmapped components, on
/// standard error (the README says the same).
fn notes(out: &Output, export: &TutorExport) {
    for line in &export.changes {
        out.note(&format!("changes Tutor: {}: {line}", export.plugin_name));
    }
    for warning in &export.warnings {
        out.note(&format!("warning: {}: {warning}", export.plugin_name));
    }
    for line in &export.unmapped {
        out.note(&format!("not mapped: {}: {line}", export.plugin_name));
    }
}

/// Prints each refused value with its file:line:col.
fn report_refusals(loaded: &Loaded, refused: &[Refusal]) {
    let map = (loaded.format == Format::Toml).then(|| toml_load::read(&loaded.source.text).1);
    for refusal in refused {
        let at = map
            .as_ref()
            .and_then(|m| {
                m.locate(&loaded.matrix, refusal.subject, Code::TomlSyntax)
                    .0
            })
            .map(|span| {
                let (line, col) = loaded.source.line_col(span.start);
                format!("{}:{line}:{col}", loaded.source.name)
            })
            .unwrap_or_else(|| loaded.source.name.clone());
        eprintln!("error: {at}: {:?} {}", refusal.value, refusal.problem);
    }
}
