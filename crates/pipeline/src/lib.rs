//! Concourse pipelines generated from an Open edX release matrix: the `[pipelines]` settings,
//! a typed Concourse configuration model rendered as JSON or YAML, one pipeline per component
//! family, the self-updating meta pipeline, and a validator for the checks
//! `fly validate-pipeline` makes beyond shape.
//!
//! ```
//! use edx_matrix_formats::{load_toml, Source};
//! use edx_matrix_pipeline::{all, settings_of, validate};
//!
//! let text = r#"
//! stages = ["CI", "QA"]
//! [releases]
//! ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }
//! [applications]
//! forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
//! [deployments]
//! campus = { CI = "ulmo", QA = "ulmo" }
//! [[map]]
//! releases = ["ulmo"]
//! deployments = ["campus"]
//! [map.apps]
//! forum = {}
//! [pipelines]
//! team = "acme"
//! "#;
//! let loaded = load_toml(Source::new("edx-matrix.toml", text));
//! let (settings, diagnostics) = settings_of(&loaded);
//! assert!(diagnostics.is_empty());
//! let pipelines = all(&loaded.matrix, &settings);
//! let forum = &pipelines[0];
//! assert_eq!(forum.info.name, "forum");
//! let jobs: Vec<&str> = forum.pipeline.jobs.iter().map(|j| j.name.as_str()).collect();
//! assert_eq!(jobs, ["build-forum-ulmo-campus", "deploy-forum-ulmo-campus-ci",
//!     "deploy-forum-ulmo-campus-qa"]);
//! assert!(validate(&forum.pipeline.to_value()).is_empty());
//! assert_eq!(pipelines.last().map(|p| p.info.kind), Some("meta"));
//! ```
#![deny(missing_docs)]

mod check_file;
mod concourse;
mod generate;
mod identifier;
pub mod impact;
mod lints;
mod meta;
pub mod read;
mod render;
mod schema;
mod script;
mod settings;
mod template;
mod validate;
pub mod yaml;

pub use check_file::{FileProblem, check_file};
pub(crate) use generate::generate_all;
pub use generate::{Generated, PipelineInfo};
pub use render::{
    Outcome, Rendered, Standard, TemplateDiagnostic, Unwritable, WriteCheck, WriteFailed,
    check_written, for_each_pipeline, for_each_standard, render_all, render_all_locked,
};
pub use script::TemplateFiles;
pub use settings::Settings;

use edx_matrix_formats::{Diagnostic, Format, Loaded};
/// How a pipeline differs between two matrices: the one diff change type of the model.
pub use edx_matrix_model::Change;
use edx_matrix_model::Matrix;
pub use script::{
    directory_of,
    limits::{MAX_FILE_BYTES, MAX_TOTAL_BYTES},
    matches, resolve_load,
};
pub use settings::TemplatePattern;
pub use validate::{PipelineProblem, validate};

/// Returns the pipeline settings of a loaded matrix and the diagnostics about them (an
/// interchange JSON matrix has no settings: the defaults).
pub fn settings_of(loaded: &Loaded) -> (Settings, Vec<Diagnostic>) {
    match loaded.format {
        // Without the section there is nothing to read: skip parsing the file again.
        Format::Toml if !loaded.has_section("pipelines") => (Settings::default(), Vec::new()),
        Format::Toml => read::read(&loaded.source.text, &loaded.matrix),
        Format::ModelJson | Format::PythonPackage => (Settings::default(), Vec::new()),
    }
}

/// Returns every pipeline the matrix defines: one per component family that some stage runs,
/// then the meta pipeline that sets them all — what [`render_all`] renders when `settings`
/// declares no templates.
pub fn all(matrix: &Matrix, settings: &Settings) -> Vec<Generated> {
    with_meta(
        settings,
        generate_all(matrix, settings),
        |g| &g.info,
        |meta| meta,
    )
}

/// The order pipelines are set in, decided here only: `pipelines` (standard or template-made),
/// then the meta pipeline that sets them all, made into a `T` by `wrap`.
pub(crate) fn with_meta<T>(
    settings: &Settings,
    mut pipelines: Vec<T>,
    info: impl Fn(&T) -> &PipelineInfo,
    wrap: impl FnOnce(Generated) -> T,
) -> Vec<T> {
    let infos: Vec<PipelineInfo> = pipelines.iter().map(|p| info(p).clone()).collect();
    pipelines.push(wrap(meta::meta(settings, &infos)));
    pipelines
}

/// Returns the pipelines that differ between `before` and `after`, by name, in the order of
/// `after` then the removed ones, given each pipeline's info and definition (typed [`all`]
/// pipelines or rendered, template-made ones are compared the same way): a pipeline changes
/// when its definition or its team does.
pub fn changed_by<T, D: PartialEq>(
    before: &[T],
    after: &[T],
    parts: impl Fn(&T) -> (&PipelineInfo, &D),
) -> Vec<(String, Change)> {
    let mut out = Vec::new();
    for new in after {
        let (info, definition) = parts(new);
        match before
            .iter()
            .map(&parts)
            .find(|(old, _)| old.name == info.name)
        {
            None => out.push((info.name.clone(), Change::Added)),
            Some((old, old_definition))
                if old_definition != definition || old.team != info.team =>
            {
                out.push((info.name.clone(), Change::Changed));
            }
            Some(_) => {}
        }
    }
    for old in before {
        let (info, _) = parts(old);
        if !after.iter().any(|new| parts(new).0.name == info.name) {
            out.push((info.name.clone(), Change::Removed));
        }
    }
    out
}
