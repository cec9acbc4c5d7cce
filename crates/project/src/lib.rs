//! One edx-matrix project, loaded once: the matrix, its `[pipelines]` settings, its runbooks and
//! `[operations]`, the source they were read from, and one list of diagnostics — exactly what
//! `edx-matrix check` reports. Every command, the server and the git history load matrices
//! through [`Project`], so they all see the same problems.
//!
//! The format of a path (TOML, interchange JSON or a Python package directory) is decided in one function, [`format_of`], and
//! every file is read through one function, [`read_file`].
//! A source (a file, a Python package or the example) is loaded one way, [`MatrixSource`]'s:
//! [`Project::load`] for every command, [`MatrixSource::load_served`] for the server.
//!
//! The use cases the front ends call beside loading: [`edit_matrix`] (an edit of a file,
//! under the edit lock), [`plan_promotion`] (promote's lock and gates), [`RepoFile::diff`]
//! and [`compare`] (diff), and the exports (`Project::export_*`).
//!
//! ```
//! use edx_matrix_project::Project;
//!
//! let project = Project::example();
//! assert!(!project.has_errors());
//! assert_eq!(project.pipelines.team, "acme");
//! ```
//!
//! A `[pipelines]` problem is one of the project's diagnostics, like a matrix problem:
//!
//! ```
//! use edx_matrix_project::{Project, Format};
//!
//! let text = edx_matrix_formats::example::TEXT.to_owned() + "\n[pipelines]\nteam = 3\n";
//! let project = Project::from_text("edx-matrix.toml", Format::Toml, text);
//! assert!(project.has_errors());
//! ```
#![deny(missing_docs)]

mod diff;
mod edit;
mod edit_file;
mod export;
mod format;
pub mod fsio;
pub mod git;
pub mod jwk;
mod lock;
mod package;
mod promote;
mod read;
mod repo_file;
mod source;
mod templates;
mod valid;

pub use edit::{Precondition, Refusal};
pub use edit_file::{EditTarget, FileEditError, FileEdited, LockWrite, edit_matrix};
pub use format::{Format, format_of, is_python_package};
pub(crate) use lock::ProjectLock;
pub use lock::lock_path;
pub(crate) use package::package_text;
pub(crate) use package::read_package;
pub use promote::{LockPlan, PlanError, PromotePlan, plan_promotion};
pub use read::{ReadError, read_file};
pub use repo_file::{LoadError, RepoFile, Version};
pub use source::MatrixSource;
pub(crate) use templates::Templates;
pub use templates::{Directory, Embedded, TemplateTree};
pub use valid::{Invalid, Scope};

pub use diff::{
    Counting, DiffError, DiffSide, ProjectDiff, compare, count_commits, diff_projects,
    pipeline_impact, require_valid,
};
use edx_matrix_formats::Runbooks;
use edx_matrix_formats::operations::Operations;
use edx_matrix_formats::toml_load::TomlSourceMap;
use edx_matrix_formats::{
    Diagnostic, Loaded, Source, Summary, TomlRead, example, load_json, load_toml_with,
};
use edx_matrix_model::Gates;
use edx_matrix_model::Matrix;
use edx_matrix_pipeline::{Outcome, Settings};
pub use repo_file::revision_label;
use std::path::Path;
use std::sync::OnceLock;
pub use templates::{StarEntry, walk_star_files};

/// A matrix source and everything read from it.
#[derive(Clone, Debug)]
pub struct Project {
    /// The source, its format, the matrix and every diagnostic (matrix, runbooks, operations
    /// and `[pipelines]`), in the order `check` prints them.
    pub loaded: Loaded,
    /// The `[pipelines]` settings (the defaults when the section is absent or the source is
    /// interchange JSON; only the well-formed parts when it has errors).
    pub pipelines: Settings,
    /// The `[runbooks]` (only the well-formed steps).
    pub runbooks: Runbooks,
    /// The `[operations]` settings (only the well-formed ones).
    pub operations: Operations,
    /// The promotion gates of `[gates]` (only the well-formed ones; none outside TOML).
    pub gates: Gates,
    /// Where every part of a TOML matrix was written (`None` for interchange JSON): what
    /// places a problem found later, such as a missing branch, on its line.
    pub source_map: Option<TomlSourceMap>,
    /// Where the `[pipelines]` diagnostics start in `loaded.diagnostics` (they come last):
    /// what [`Scope::Matrix`] leaves out.
    pipelines_from: usize,
    /// The pipeline templates, when they were read ([`Project::with_templates`]).
    templates: Option<Templates>,
    /// Every pipeline, rendered on first use.
    rendering: OnceLock<Rendering>,
    /// The lock beside the matrix file ([`Project::with_lock`]), when there is one.
    lock: Option<ProjectLock>,
}

/// Every pipeline of a project, rendered (standard and template-made, then the meta pipeline),
/// and the problems of its templates, located in their files.
#[derive(Clone, Debug, Default)]
pub struct Rendering {
    /// The pipelines and the template diagnostics; `None` when nothing could be rendered: the
    /// project has errors, or it uses templates that were not read.
    pub outcome: Option<Outcome>,
    /// The template diagnostics (errors and warnings), each with the source of its file.
    pub diagnostics: Vec<(Source, Diagnostic)>,
}

impl Project {
    /// Reads and checks the file at `path`, in the format [`format_of`] gives it.
    pub fn load(path: &Path) -> Result<Project, ReadError> {
        Project::load_as(path, path.display().to_string())
    }

    /// [`Project::load`], the source called `name` in diagnostics (`edx-matrix.toml (working
    /// tree)` for `diff`).
    pub fn load_as(path: &Path, name: String) -> Result<Project, ReadError> {
        // The one way a source is loaded, the server's too: its text, templates and lock.
        let source = MatrixSource::File(path.to_owned());
        let text = source.read_text()?;
        let lock = source.read_lock()?;
        Ok(source.load_as(name, text, lock))
    }

    /// Reads and checks matrix text in `format`; `name` is what diagnostics call the source (a
    /// path, `abc1234:edx-matrix.toml`, …).
    pub fn from_text(name: impl Into<String>, format: Format, text: impl Into<String>) -> Project {
        Project::from_source(Source::new(name, text), format)
    }

    /// Reads and checks text read from `path` (or from `path` at some revision): the format is
    /// that of the path. `name` is what diagnostics call the source.
    pub fn from_path_text(
        path: &Path,
        name: impl Into<String>,
        text: impl Into<String>,
    ) -> Project {
        Project::from_text(name, format_of(path), text)
    }

    /// Returns the built-in acme example.
    pub fn example() -> Project {
        MatrixSource::Example.load(example::TEXT.to_owned(), None)
    }

    /// Reads the pipeline templates the `[pipelines]` settings name from `tree` (the matrix
    /// file's directory as it is on disk or at a git revision, or the built-in example's);
    /// problems reading them are `[pipelines]` diagnostics. A project whose templates were not
    /// read renders no pipelines when it uses templates.
    pub fn with_templates(mut self, tree: &dyn TemplateTree) -> Project {
        let (templates, diagnostics) = templates::read(&self.pipelines, tree);
        self.loaded.diagnostics.extend(diagnostics);
        self.templates = Some(templates);
        self.rendering = OnceLock::new();
        self
    }

    /// Returns the pipeline templates as read, or `None` when they were not.
    pub fn templates(&self) -> Option<&Templates> {
        self.templates.as_ref()
    }

    /// Returns every pipeline rendered and the template diagnostics (computed once): only for a
    /// project without errors whose templates, if it has any, were read.
    pub fn rendering(&self) -> &Rendering {
        self.rendering.get_or_init(|| {
            let templates = match &self.templates {
                _ if self.has_errors() => return Rendering::default(),
                Some(t) => &t.files,
                None if self.pipelines.templates.is_empty() => {
                    &edx_matrix_pipeline::TemplateFiles::default()
                }
                None => return Rendering::default(),
            };
            // Templates see the locked commits (`row["commit"]`), like `resolve` does.
            let outcome = edx_matrix_pipeline::render_all_locked(
                self.matrix(),
                &self.pipelines,
                templates,
                &self.locked(),
            );
            let diagnostics = match &self.templates {
                Some(t) => outcome.diagnostics.iter().map(|d| t.located(d)).collect(),
                None => Vec::new(),
            };
            Rendering {
                outcome: Some(outcome),
                diagnostics,
            }
        })
    }

    /// Returns the problems of the pipeline templates, located in their files: only a project
    /// whose `[pipelines]` names templates runs anything (standard pipelines have no template
    /// problems, so `check` of any other project renders nothing).
    pub fn template_diagnostics(&self) -> &[(Source, Diagnostic)] {
        if self.pipelines.templates.is_empty() {
            return &[];
        }
        &self.rendering().diagnostics
    }

    /// Returns whether the matrix file has a `[pipelines]` section: without one, `check`, `diff`
    /// and the server neither render nor mention pipelines.
    pub fn declares_pipelines(&self) -> bool {
        self.pipelines.declared
    }

    /// Reads and checks `source`, parsing it once.
    pub fn from_source(source: Source, format: Format) -> Project {
        match format {
            Format::Toml => {
                let TomlRead {
                    mut loaded,
                    runbooks,
                    source_map,
                    sections: (pipelines, pipeline_diagnostics),
                } = load_toml_with(source, edx_matrix_pipeline::read::read_root);
                // `check` has always listed the `[pipelines]` problems after the others.
                let pipelines_from = loaded.diagnostics.len();
                loaded.diagnostics.extend(pipeline_diagnostics);
                Project {
                    lock: None,
                    templates: None,
                    rendering: OnceLock::new(),
                    pipelines_from,
                    source_map: Some(source_map),
                    loaded,
                    pipelines,
                    runbooks: runbooks.runbooks,
                    operations: runbooks.operations,
                    gates: runbooks.gates,
                }
            }
            // Interchange JSON and Python hold the matrix only: default settings, no runbooks.
            Format::ModelJson | Format::PythonPackage => {
                let loaded = if format == Format::PythonPackage {
                    package::load(&source.name, &source.text)
                } else {
                    load_json(source)
                };
                Project {
                    lock: None,
                    templates: None,
                    rendering: OnceLock::new(),
                    pipelines_from: loaded.diagnostics.len(),
                    source_map: None,
                    loaded,
                    pipelines: Settings::default(),
                    runbooks: Runbooks::default(),
                    operations: Operations::default(),
                    gates: Gates::default(),
                }
            }
        }
    }

    /// Returns the matrix (partial when there are errors).
    pub fn matrix(&self) -> &Matrix {
        &self.loaded.matrix
    }

    /// Returns the source read.
    pub fn source(&self) -> &Source {
        &self.loaded.source
    }

    /// Returns every diagnostic, errors and warnings.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.loaded.diagnostics
    }

    /// Returns the diagnostics about the `[pipelines]` section.
    pub fn pipeline_diagnostics(&self) -> &[Diagnostic] {
        &self.loaded.diagnostics[self.pipelines_from.min(self.loaded.diagnostics.len())..]
    }

    /// Returns the number of errors outside `[pipelines]`: those that make the matrix itself
    /// unusable (`diff` still compares matrices whose pipeline settings are broken).
    pub fn matrix_errors(&self) -> usize {
        self.loaded.diagnostics[..self.pipelines_from.min(self.loaded.diagnostics.len())]
            .iter()
            .filter(|d| d.is_error())
            .count()
    }

    /// Returns the project as one side of a pipeline comparison
    /// ([`edx_matrix_pipeline::impact`]).
    pub fn pipeline_side(&self) -> edx_matrix_pipeline::impact::Side<'_> {
        edx_matrix_pipeline::impact::Side {
            name: &self.loaded.source.name,
            matrix: &self.loaded.matrix,
            settings: &self.pipelines,
            templates: self.templates.as_ref().map(|t| &t.files),
            errors: self
                .pipeline_diagnostics()
                .iter()
                .filter(|d| d.is_error())
                .count(),
            lock: self.lock.as_ref().map(|l| l.lock()),
        }
    }

    /// Returns the errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.loaded.diagnostics.iter().filter(|d| d.is_error())
    }

    /// Returns whether any diagnostic is an error (`check` would fail).
    pub fn has_errors(&self) -> bool {
        self.loaded.has_errors()
    }

    /// Returns the error and warning counts.
    pub fn summary(&self) -> Summary {
        self.loaded.summary()
    }

    /// Replaces every URL of the matrix (repositories, origins) by its redacted form, before
    /// anything is rendered from it: what is served or compared for a reader (`diff`, the
    /// server) shows no credential.
    pub fn redact(&mut self) {
        edx_matrix_formats::redact_matrix(&mut self.loaded.matrix);
        self.rendering = OnceLock::new();
    }

    /// Returns the project as the matrix loader's result (its diagnostics are the project's).
    pub fn into_loaded(self) -> Loaded {
        self.loaded
    }
}
