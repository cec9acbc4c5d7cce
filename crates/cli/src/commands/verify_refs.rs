//! `edx-matrix verify-refs`: every (origin, branch) the matrix resolves to, checked on its
//! remote with one `git ls-remote` per distinct origin.

use crate::cli::{GlobalArgs, TableFormat, VerifyRefsArgs};
use crate::error::{CmdResult, EXIT_MATRIX};
use crate::matrix_file;
use crate::matrix_repo::error_chain;
use crate::output::Output;
use edx_matrix_config::{Format, Loaded, toml_load};
use edx_matrix_git::{GitCli, Progress, WantedRef, redact_url, verify_refs};
use edx_matrix_model::check::{EntryField, ReleaseField};
use edx_matrix_model::{Code, Index, Subject};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

/// One place in the matrix that makes a stage build `branch` from `origin`.
#[derive(Serialize, Debug, Clone)]
pub struct Reference {
    /// The release-map entry's release.
    pub release: String,
    /// The release-map entry's deployment.
    pub deployment: String,
    /// The application.
    pub application: String,
    /// The stages of the deployment that run this release.
    pub stages: Vec<String>,
    /// The matrix file.
    pub file: String,
    /// The line of the application in its `[[map]]` block (its `branch` when it sets one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Where the branch comes from: `None` when the entry names it, else the release whose
    /// default branch it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch_of_release: Option<String>,
    /// The line of that release's `branch`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_line: Option<usize>,
}

impl Reference {
    fn describe(&self) -> String {
        let place = match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        };
        let mut text = format!(
            "{place}  `{}` for release `{}`, deployment `{}` (stage{} {})",
            self.application,
            self.release,
            self.deployment,
            if self.stages.len() == 1 { "" } else { "s" },
            self.stages.join(", ")
        );
        if let Some(release) = &self.branch_of_release {
            let _ = write!(text, "; the branch of release `{release}`");
            if let Some(line) = self.release_line {
                let _ = write!(text, " ({}:{line})", self.file);
            }
        }
        text
    }
}

/// Returns every (origin, branch) built by some stage, with the entries that name it.
pub fn wanted_refs(loaded: &Loaded) -> BTreeMap<WantedRef, Vec<Reference>> {
    let matrix = &loaded.matrix;
    let index = Index::new(matrix);
    let map = (loaded.format == Format::Toml).then(|| toml_load::read(&loaded.source.text).1);
    let line_of = |subject: Subject| {
        let (span, _) = map.as_ref()?.locate(matrix, subject, Code::InvalidBranch);
        Some(loaded.source.line_col(span?.start).0)
    };

    let mut stages: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for deployment in &matrix.deployments {
        for pin in &deployment.stages {
            stages
                .entry((pin.release.as_str(), deployment.name.as_str()))
                .or_default()
                .push(pin.stage.to_string());
        }
    }

    let mut wanted: BTreeMap<WantedRef, Vec<Reference>> = BTreeMap::new();
    for (e, entry) in matrix.release_map.iter().enumerate() {
        let Some(stages) = stages.get(&(entry.release.as_str(), entry.deployment.as_str())) else {
            continue;
        };
        for (a, version) in entry.apps.iter().enumerate() {
            let Some(app) = index.resolve_version(version) else {
                continue;
            };
            let line = line_of(Subject::EntryApp {
                entry: e,
                app: a,
                field: Some(EntryField::Branch),
            });
            let (branch_of_release, release_line) = if version.branch.is_some() {
                (None, None)
            } else {
                let position = matrix
                    .releases
                    .iter()
                    .position(|r| r.name == app.own_release);
                let line = position.and_then(|index| {
                    line_of(Subject::Release {
                        index,
                        field: Some(ReleaseField::Branch),
                    })
                });
                (Some(app.own_release.to_owned()), line)
            };
            wanted
                .entry(WantedRef::new(app.git_origin, app.release_branch))
                .or_default()
                .push(Reference {
                    release: entry.release.to_string(),
                    deployment: entry.deployment.to_string(),
                    application: app.application.to_owned(),
                    stages: stages.clone(),
                    file: loaded.source.name.clone(),
                    line,
                    branch_of_release,
                    release_line,
                });
        }
    }
    wanted
}

#[derive(Serialize)]
struct JsonReport {
    file: String,
    checked_origins: usize,
    wanted: usize,
    present: usize,
    missing: Vec<JsonBranch>,
    unreachable: Vec<JsonOrigin>,
}

#[derive(Serialize)]
struct JsonBranch {
    origin: String,
    branch: String,
    references: Vec<Reference>,
}

#[derive(Serialize)]
struct JsonOrigin {
    origin: String,
    error: String,
    branches: Vec<JsonBranch>,
}

pub fn run(global: &GlobalArgs, out: &Output, args: &VerifyRefsArgs) -> CmdResult {
    let loaded = matrix_file::load_valid(global, out)?.into_loaded();
    let wanted = wanted_refs(&loaded);
    let list: Vec<WantedRef> = wanted.keys().cloned().collect();
    let git = GitCli::new().with_timeout(Duration::from_secs(args.timeout));

    let bar = std::io::stderr().is_terminal().then(|| {
        let origins = list
            .iter()
            .map(|w| w.origin.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let bar = indicatif::ProgressBar::new(origins as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} origins  {wide_msg}")
        {
            bar.set_style(style);
        }
        bar
    });
    let on_progress = |progress: Progress| {
        if let Some(bar) = &bar {
            bar.set_position(progress.done as u64);
            bar.set_message(redact_url(&progress.origin));
        }
    };
    let report = verify_refs(
        &git,
        &list,
        usize::from(args.jobs),
        args.retries,
        &on_progress,
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }

    let branch = |w: &WantedRef| JsonBranch {
        origin: redact_url(&w.origin),
        branch: w.branch.clone(),
        references: wanted.get(w).cloned().unwrap_or_default(),
    };
    let json = JsonReport {
        file: loaded.source.name.clone(),
        checked_origins: report.checked_origins,
        wanted: list.len(),
        present: report.present,
        missing: report.missing.iter().map(branch).collect(),
        unreachable: report
            .unreachable
            .iter()
            .map(|(origin, err)| JsonOrigin {
                origin: redact_url(origin),
                error: error_chain(err),
                branches: list
                    .iter()
                    .filter(|w| &w.origin == origin)
                    .map(branch)
                    .collect(),
            })
            .collect(),
    };
    match args.format {
        TableFormat::Json => out.json(&json)?,
        TableFormat::Table => out.print(&render(&json))?,
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_MATRIX)
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn render(report: &JsonReport) -> String {
    let mut text = String::new();
    if !report.missing.is_empty() {
        let _ = writeln!(
            text,
            "missing: {}",
            plural(report.missing.len(), "branch", "branches")
        );
        for missing in &report.missing {
            let _ = writeln!(text, "  `{}` in {}", missing.branch, missing.origin);
            for reference in &missing.references {
                let _ = writeln!(text, "      {}", reference.describe());
            }
        }
        text.push('\n');
    }
    if !report.unreachable.is_empty() {
        let _ = writeln!(
            text,
            "unreachable: {}",
            plural(report.unreachable.len(), "origin", "origins")
        );
        for origin in &report.unreachable {
            let _ = writeln!(text, "  {}", origin.origin);
            for line in origin.error.lines() {
                let _ = writeln!(text, "    {line}");
            }
            for branch in &origin.branches {
                let _ = writeln!(text, "    `{}` (not checked)", branch.branch);
                for reference in &branch.references {
                    let _ = writeln!(text, "      {}", reference.describe());
                }
            }
        }
        text.push('\n');
    }
    let unchecked: usize = report.unreachable.iter().map(|o| o.branches.len()).sum();
    let _ = write!(
        text,
        "{} in {}: {} present, {} missing",
        plural(report.wanted, "branch", "branches"),
        plural(report.checked_origins, "origin", "origins"),
        report.present,
        report.missing.len()
    );
    if !report.unreachable.is_empty() {
        let _ = write!(
            text,
            "; {} unreachable ({} not checked)",
            plural(report.unreachable.len(), "origin", "origins"),
            plural(unchecked, "branch", "branches")
        );
    }
    text.push('\n');
    text
}
