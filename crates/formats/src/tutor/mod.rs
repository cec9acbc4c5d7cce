//! `export tutor`: one Tutor plugin per (deployment, stage) that sets everything through Tutor's
//! own hooks, and a README with the commands to install and enable it.
//!
//! | matrix | Tutor (22.0.3 and its plugins) |
//! |---|---|
//! | the stage's release branch | `OPENEDX_COMMON_VERSION` (and a load-time check of the Tutor major, [`versions`]) |
//! | `edx-platform` | `EDX_PLATFORM_REPOSITORY` (with `.git`), `EDX_PLATFORM_VERSION` |
//! | `edx-platform` Python, full `X.Y.Z` | `--build-arg=PYTHON_VERSION` of the `openedx` images (`IMAGES_BUILD`) |
//! | `notes-api` | `NOTES_REPOSITORY`, `NOTES_REPOSITORY_VERSION` (tutor-notes) |
//! | `xqueue` | `XQUEUE_REPOSITORY`, `XQUEUE_REPOSITORY_VERSION` (tutor-xqueue) |
//! | `codejail` | `CODEJAIL_SERVICE_REPOSITORY`, `CODEJAIL_SERVICE_VERSION` (tutor-contrib-codejail); its Python `X.Y` as `--build-arg=APP_PY_VER` of the `codejail` image |
//! | `forum` | `FORUM_REPOSITORY`, `FORUM_REPOSITORY_VERSION` under tutor-forum before 19 only (read at load time) |
//! | a legacy MFE | `MFE_APPS[name]` `repository`, `version` (and `port` when tutor-mfe has none) |
//! | a frontend-base app (`instructor-dashboard`, `notifications`) | tutor-mfe's npm package when upstream at the release's branch, else `FRONTEND_APPS[name]` `source` = `repository.git#branch`, `enabled` (`mfes`) |
//! | a catalogue MFE not on the stage | removed from `MFE_APPS` and `FRONTEND_APPS` |
//! | MFE Node | `MFE_NODE_IMAGE` = `docker.io/node:<version>-bookworm-slim` (one for all MFEs) |
//!
//! What has no Tutor equivalent is listed in [`TutorExport::unmapped`] (`mapping`); what the
//! plugin changes in Tutor's defaults in [`TutorExport::changes`] (`changes`, against
//! [`defaults`]); values a shell or a line break would change are refused (`hostile`).

pub(crate) mod changes;
pub mod defaults;
pub(crate) mod hostile;
pub(crate) mod mapping;
pub(crate) mod mfes;
pub(crate) mod plugin;
pub(crate) mod readme;
pub(crate) mod vars;
pub mod versions;

use edx_matrix_model::{Matrix, Row};
pub use hostile::Refusal;

/// The files of a Tutor export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TutorExport {
    /// The plugin's name (`edx_matrix_campus_ci`), what `tutor plugins enable` takes.
    pub plugin_name: String,
    /// The plugin's file name (`edx_matrix_campus_ci.py`).
    pub plugin_file: String,
    /// The plugin's Python source.
    pub plugin_py: String,
    /// README.md.
    pub readme: String,
    /// The Tutor plugins to enable, the export's own last.
    pub enable: Vec<String>,
    /// What has no Tutor equivalent, one line each.
    pub unmapped: Vec<String>,
    /// Warnings (conflicting Node versions).
    pub warnings: Vec<String>,
    /// The settings the plugin overrides: (name, value).
    pub overrides: Vec<(String, String)>,
    /// The settings the stage's `TUTOR_*` vars set, typed, applied after [`Self::overrides`]
    /// (see `vars`).
    pub settings: Vec<(String, edx_matrix_model::vars::VarValue)>,
    /// The `MFE_APPS` entries the plugin sets.
    pub mfes: Vec<mapping::MfeEntry>,
    /// The catalogue MFEs the plugin removes from `MFE_APPS`.
    pub removed_mfes: Vec<String>,
    /// The frontend-base apps the plugin builds from source (`FRONTEND_APPS`).
    pub frontend_apps: Vec<mapping::FrontendEntry>,
    /// The frontend-base apps of the stage left to tutor-mfe's npm build.
    pub npm_apps: Vec<String>,
    /// The catalogue's frontend-base apps the plugin removes from `FRONTEND_APPS`.
    pub removed_frontend_apps: Vec<String>,
    /// tutor-mfe's defaults the matrix catalogue does not have, kept as tutor-mfe builds them.
    pub kept: Vec<String>,
    /// What the plugin changes in what Tutor runs by default, one line each (`changes`).
    pub changes: Vec<String>,
    /// The `--build-arg` values the plugin adds to images: (image, `NAME=value`).
    pub build_args: Vec<(String, String)>,
    /// The versions set to a locked commit, with their branches.
    pub locked: Vec<mapping::Locked>,
}

/// Returns `url` as Tutor expects a repository: ending in `.git`.
pub(crate) fn with_git_suffix(url: &str) -> String {
    if url.ends_with(".git") || url.is_empty() {
        url.to_owned()
    } else {
        format!("{}.git", url.trim_end_matches('/'))
    }
}

/// Returns a string as a double-quoted scalar that YAML and Python both read back exactly
/// (JSON string syntax is a subset of both).
pub fn quoted(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| unreachable!("a string always serialises"))
}

/// Returns a Python identifier made from a name (`campus-staging` → `campus_staging`).
fn identifier(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The plugin name of a (deployment, stage): `edx_matrix_<deployment>_<stage>`.
pub(crate) fn plugin_name(deployment: &str, stage: &str) -> String {
    format!(
        "edx_matrix_{}_{}",
        identifier(deployment),
        identifier(stage)
    )
}

/// Builds the export for the `rows` of one (deployment, stage) running `release`, or the values
/// it refuses.
pub fn export(
    matrix: &Matrix,
    deployment: &str,
    stage: &str,
    release: &str,
    rows: &[Row<'_>],
) -> Result<TutorExport, Vec<Refusal>> {
    let mut refused = hostile::refusals(matrix, deployment, stage, rows);
    let mut plan = mapping::plan(matrix, matrix.release(release), rows);
    let derived: Vec<&str> = plan.overrides.iter().map(|(n, _)| n.as_str()).collect();
    refused.extend(hostile::var_refusals(matrix, deployment, stage, &derived));
    if !refused.is_empty() {
        return Err(refused);
    }
    let (settings, warnings) = vars::settings(matrix, deployment, stage);
    plan.settings = settings;
    plan.warnings.extend(warnings);
    let name = plugin_name(deployment, stage);
    let names = plugin::PluginNames {
        plugin: &name,
        deployment,
        stage,
        release,
    };
    let mut enable: Vec<String> = plan.plugins.iter().map(|p| (*p).to_owned()).collect();
    enable.push(name.clone());
    Ok(TutorExport {
        plugin_file: format!("{name}.py"),
        plugin_py: plugin::render(&names, &plan),
        readme: readme::render(&names, &plan),
        plugin_name: name,
        enable,
        unmapped: plan.unmapped,
        warnings: plan.warnings,
        overrides: plan.overrides,
        settings: plan.settings,
        mfes: plan.mfes,
        removed_mfes: plan.removed_mfes,
        frontend_apps: plan.frontend_apps,
        npm_apps: plan.npm_apps,
        removed_frontend_apps: plan.removed_frontend_apps,
        kept: plan.kept,
        changes: plan.changes,
        locked: plan.locked,
        build_args: plan
            .build_args
            .into_iter()
            .map(|(i, a)| (i.to_owned(), a))
            .collect(),
    })
}
