//! `edx-matrix pipeline`: the Concourse pipelines the matrix drives (list, render, meta) and a
//! validator for pipeline files.

use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError, Kind, exit_code};
use crate::format::{Allowed, DIAGNOSTICS, Format, TABLE, formats};
use crate::matrix_file;
use crate::output::{Output, render_table, table};
use edx_matrix_model::UnknownName;
use edx_matrix_pipeline::{
    FileProblem, Rendered, Unwritable, WriteCheck, WriteFailed, check_file, check_written,
    for_each_pipeline,
};
use edx_matrix_project::fsio::{Mode, OutputSet};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The formats of pipeline configurations.
const PIPELINE_FORMATS: Allowed = &[
    (Format::Yaml, "YAML, as `fly set-pipeline` is usually given"),
    (Format::Json, "JSON (Concourse accepts it too)"),
];

#[derive(clap::Subcommand, Debug)]
pub(crate) enum PipelineCommand {
    /// List the pipelines the matrix defines: name, team, component family, releases
    List {
        /// Output format
        #[arg(long, value_parser = formats(TABLE), default_value_t = Format::Human)]
        format: Format,
    },
    /// Print one pipeline's configuration, or write every pipeline into a directory
    Render(PipelineRenderArgs),
    /// Print the meta pipeline that re-sets every pipeline when the matrix changes
    Meta(PipelineOutputArgs),
    /// Check a pipeline file (YAML or JSON) as Concourse would: every field's type and shape
    /// against Concourse's schema, then names and references as `fly validate-pipeline` does
    Validate {
        /// The pipeline configuration file
        // Its own id: an argument called `file` would hide the global `--file` here.
        #[arg(id = "pipeline_file", value_name = "FILE")]
        file: PathBuf,
        /// Output format
        #[arg(long, value_parser = formats(DIAGNOSTICS), default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(clap::Args, Debug)]
pub(crate) struct PipelineRenderArgs {
    /// The pipeline (see `edx-matrix pipeline list`)
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub name: Option<String>,
    /// Every pipeline, the meta pipeline included, one `NAME.yml` (or `.json`) file each in the
    /// `--output` directory
    #[arg(long, requires = "output")]
    pub all: bool,
    #[command(flatten)]
    pub output: PipelineOutputArgs,
}

#[derive(clap::Args, Debug)]
pub(crate) struct PipelineOutputArgs {
    /// Output format
    #[arg(long, value_parser = formats(PIPELINE_FORMATS), default_value_t = Format::Yaml)]
    pub format: Format,
    /// Write to this file (with `--all`: this directory) instead of standard output
    #[arg(long, short = 'o', value_parser = crate::args::OutputPath)]
    pub output: Option<PathBuf>,
    /// Replace files that exist
    #[arg(long)]
    pub force: bool,
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, command: &PipelineCommand) -> CmdResult {
    match command {
        PipelineCommand::List { format } => list(global, out, *format),
        PipelineCommand::Render(args) => render(global, out, args),
        PipelineCommand::Meta(args) => {
            let project = load(global, out)?;
            let pipelines = pipelines_of(&project);
            let meta = pipelines
                .iter()
                .find(|g| g.info.kind == "meta")
                .ok_or_else(|| CommandError::io("no meta pipeline was generated"))?;
            let result = emit(out, meta, args);
            exit_soon(project);
            result
        }
        PipelineCommand::Validate { file, format } => validate_file(out, file, *format),
    }
}

/// Loads the matrix, its pipeline settings and templates, refusing on any error, and renders
/// every pipeline, checking each against the Concourse schema and the validator.
fn load(global: &GlobalArgs, out: &Output) -> Result<edx_matrix_project::Project, CommandError> {
    // The `[pipelines]` problems are the project's: `load_valid` refuses them with the others.
    let project = matrix_file::load_valid(global, out)?;
    check_rendering(out, &project)?;
    Ok(project)
}

/// Renders every pipeline of `project` (once: kept in the project) and refuses template errors
/// and pipelines that may not be written.
fn check_rendering(
    out: &Output,
    project: &edx_matrix_project::Project,
) -> Result<(), CommandError> {
    let rendering = project.rendering();
    for (source, diagnostic) in &rendering.diagnostics {
        out.diagnostics(std::slice::from_ref(diagnostic), source)?;
    }
    let outcome = match &rendering.outcome {
        Some(outcome) if !outcome.has_errors() => outcome,
        _ => {
            eprintln!(
                "error: the pipeline templates have errors (`edx-matrix check` lists everything)"
            );
            return Err(CommandError::matrix_reported());
        }
    };
    check_written(&outcome.pipelines).map_err(unwritable)
}

/// Says why the pipelines may not be written; the error to exit with.
fn unwritable(problem: Unwritable) -> CommandError {
    match problem {
        Unwritable::SameName(name) => eprintln!("error: two pipelines are called `{name}`"),
        Unwritable::Invalid { name, problems } => {
            for p in &problems {
                eprintln!("error: pipeline `{name}`: {p}");
            }
        }
    }
    CommandError::matrix_reported()
}

/// Returns the pipelines [`load`] rendered and checked.
fn pipelines_of(project: &edx_matrix_project::Project) -> &[Rendered] {
    project
        .rendering()
        .outcome
        .as_ref()
        .map_or(&[], |o| o.pipelines.as_slice())
}

/// Leaves the project allocated: the command is done and the process exits next, and freeing
/// the rendered pipelines of a large estate (hundreds of MB of small allocations) took a tenth
/// of `pipeline list`'s time (benches/pipeline-templates.sh).
fn exit_soon(project: edx_matrix_project::Project) {
    std::mem::forget(project);
}

fn list(global: &GlobalArgs, out: &Output, format: Format) -> CmdResult {
    let project = load(global, out)?;
    let pipelines = pipelines_of(&project);
    match format {
        Format::Json => {
            let infos: Vec<_> = pipelines.iter().map(|g| &g.info).collect();
            out.json(&infos)?;
        }
        _ => {
            let mut t = table(&["pipeline", "team", "source", "family", "releases", "jobs"]);
            for g in pipelines {
                let family = match &g.info.family {
                    Some(f) if g.info.applications.len() != 1 || f != &g.info.applications[0] => {
                        format!("{f} ({})", g.info.applications.join(", "))
                    }
                    Some(f) => f.clone(),
                    None if g.info.kind == "meta" => "(meta: sets every pipeline)".to_owned(),
                    None => String::new(),
                };
                t.add_row(vec![
                    g.info.name.clone(),
                    g.info.team.clone(),
                    g.info.source.clone(),
                    family,
                    g.info.releases.join(", "),
                    g.info.jobs.to_string(),
                ]);
            }
            out.print(&render_table(&t))?;
        }
    }
    exit_soon(project);
    Ok(ExitCode::SUCCESS)
}

fn text_of(generated: &Rendered, format: Format) -> Result<String, CommandError> {
    match format {
        Format::Json => Ok(generated.to_json()),
        _ => generated
            .to_yaml()
            .map_err(|e| CommandError::io(e.to_string())),
    }
}

fn emit(out: &Output, generated: &Rendered, args: &PipelineOutputArgs) -> CmdResult {
    let text = text_of(generated, args.format)?;
    match &args.output {
        Some(path) => matrix_file::write_new(path, &text, args.force)?,
        None => out.print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn render(global: &GlobalArgs, out: &Output, args: &PipelineRenderArgs) -> CmdResult {
    let project = matrix_file::load_valid(global, out)?;
    // Standard pipelines are made, checked and written one at a time (issue 23: memory of one
    // pipeline, not of the estate's); a template returns its pipelines all at once.
    let result = if args.all && project.pipelines.templates.is_empty() {
        render_each(out, &args.output, &project)
    } else {
        check_rendering(out, &project)?;
        render_pipelines(out, args, pipelines_of(&project))
    };
    exit_soon(project);
    result
}

fn extension_of(format: Format) -> &'static str {
    match format {
        Format::Json => "json",
        _ => "yml",
    }
}

/// `render --all` of the standard pipelines: each one checked as [`check_written`] checks them
/// and staged as soon as it is made, then all moved into place (all or nothing, as
/// [`render_pipelines`] writes them).
fn render_each(
    out: &Output,
    args: &PipelineOutputArgs,
    project: &edx_matrix_project::Project,
) -> CmdResult {
    let dir = args.output.as_deref().unwrap_or(Path::new("."));
    let extension = extension_of(args.format);
    let mut set = OutputSet::new(dir, Mode::Public)?;
    let mut check = WriteCheck::default();
    let mut written = 0;
    for_each_pipeline(project.matrix(), &project.pipelines, |pipeline| {
        let name = PathBuf::from(format!("{}.{extension}", pipeline.info().name));
        match args.format {
            Format::Json => {
                let rendered = Rendered::from(pipeline.into_generated());
                check.check(&rendered).map_err(unwritable)?;
                set.add(&name, rendered.to_json().as_bytes())?;
            }
            // Made and streamed to its file a job at a time: a family pipeline's YAML is
            // megabytes at 200 deployments (issue 23). A problem found on the way drops the
            // whole set.
            _ => set.add_with(&name, |file| {
                check.write_yaml(&pipeline, file).map_err(|e| match e {
                    WriteFailed::Unwritable(problem) => unwritable(problem),
                    WriteFailed::Io(e) => CommandError::io(format!(
                        "cannot write `{}`: {e}",
                        dir.join(&name).display()
                    )),
                })
            })?,
        }
        written += 1;
        Ok::<_, CommandError>(())
    })?;
    set.finish(args.force)?;
    out.note(&format!(
        "wrote {} to `{}`",
        crate::output::count(written, "pipeline", "pipelines"),
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn render_pipelines(out: &Output, args: &PipelineRenderArgs, pipelines: &[Rendered]) -> CmdResult {
    if !args.all {
        let name = args.name.as_deref().unwrap_or_default();
        let Some(generated) = pipelines.iter().find(|g| g.info.name == name) else {
            let names: Vec<&str> = pipelines.iter().map(|g| g.info.name.as_str()).collect();
            let unknown = UnknownName::new("pipeline", name, names.iter().copied());
            let mut e = CommandError::unknown(&unknown);
            if unknown.suggestions.is_empty() {
                e = e.with_hint(format!("the pipelines are {}", names.join(", ")));
            }
            return Err(e);
        };
        return emit(out, generated, &args.output);
    }
    // `--all` requires `--output` (clap enforces it).
    let dir = args.output.output.as_deref().unwrap_or(Path::new("."));
    let extension = extension_of(args.output.format);
    let mut files = Vec::with_capacity(pipelines.len());
    for generated in pipelines {
        let name = PathBuf::from(format!("{}.{extension}", generated.info.name));
        files.push((name, text_of(generated, args.output.format)?.into_bytes()));
    }
    // All or nothing: a failure while writing leaves no file.
    edx_matrix_project::fsio::create_all(
        dir,
        &files,
        edx_matrix_project::fsio::Mode::Public,
        args.output.force,
    )?;
    out.note(&format!(
        "wrote {} to `{}`",
        crate::output::count(files.len(), "pipeline", "pipelines"),
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct Report<'a> {
    file: String,
    valid: bool,
    problems: &'a [FileProblem],
}

fn validate_file(out: &Output, file: &Path, format: Format) -> CmdResult {
    let text = edx_matrix_project::read_file(file).map_err(crate::matrix_file::read_error)?;
    let problems = check_file(&text);
    let name = file.display().to_string();
    match format {
        Format::Json => out.json(&Report {
            file: name,
            valid: problems.is_empty(),
            problems: &problems,
        })?,
        _ => {
            for p in &problems {
                let at = match (p.line, p.column) {
                    (Some(line), Some(column)) => format!("{name}:{line}:{column}"),
                    _ => name.clone(),
                };
                eprintln!("error: {at}: {}: {}", p.path, p.message);
            }
            if problems.is_empty() {
                eprintln!("`{name}`: ok");
            } else {
                eprintln!(
                    "`{name}`: {} problem{}",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                );
            }
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit_code(Kind::CheckFailed))
    })
}
