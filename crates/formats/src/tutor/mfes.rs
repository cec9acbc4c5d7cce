//! The MFEs of a stage, mapped the way tutor-mfe 22.1 builds them:
//!
//! - a legacy MFE (one of tutor-mfe's `CORE_MFE_APPS`, or one it does not know) is an
//!   `MFE_APPS` entry, built alone from `repository#version`;
//! - an app that exists only as a frontend-base app (`instructor-dashboard`, `notifications`)
//!   is a `FRONTEND_APPS` entry, built into the one shared site: tutor-mfe's npm package when
//!   the matrix takes the upstream repository at the release's branch (what Tutor 22 builds for
//!   Verawood), else the matrix's repository and branch as its `source`
//!   (`https://…/repo.git#branch`), a source build;
//! - `authn` and `learner-dashboard` are both: tutor-mfe 22.1 serves their legacy MFE and builds
//!   its frontend-base package into the site disabled. The matrix's repository and branch go
//!   to the served legacy MFE; the disabled package stays as tutor-mfe has it.
//!
//! A catalogue MFE the stage does not include is removed from both filters.

use super::defaults;
use super::mapping::{FrontendEntry, MfeEntry, PluginPlan};
use super::with_git_suffix;
use edx_matrix_model::{AppKind, Matrix, Row};

/// The first port given to MFEs tutor-mfe does not know, in catalogue order.
pub(crate) const FIRST_EXTRA_MFE_PORT: u16 = 2100;

/// Maps the MFE `rows` of a stage into `plan`; `branch` is the stage's release branch.
pub(crate) fn map(plan: &mut PluginPlan, matrix: &Matrix, branch: Option<&str>, rows: &[&Row<'_>]) {
    if rows.is_empty() {
        return;
    }
    plan.plugin("mfe");
    // Ports for MFEs tutor-mfe does not know: catalogue order, from FIRST_EXTRA_MFE_PORT, so a
    // given MFE gets the same port on every stage.
    let extra: Vec<&str> = matrix
        .applications
        .iter()
        .filter(|a| a.kind == AppKind::Mfe)
        .map(|a| a.name.as_str())
        .filter(|name| defaults::mfe_app(name).is_none() && defaults::frontend_app(name).is_none())
        .collect();
    for row in rows {
        let name = row.application;
        match (defaults::mfe_app(name), defaults::frontend_app(name)) {
            (None, Some(app))
                if defaults::same_repository(row.git_origin, app.repository)
                    && Some(row.release_branch) == branch
                    // A locked commit is built from source: npm has no commit.
                    && row.commit.is_none() =>
            {
                plan.npm_apps.push(name.to_owned());
                plan.notes.push(format!(
                    "{name}: a frontend-base app; the matrix takes its upstream repository at the release's branch, so tutor-mfe's own build stays: npm `{}` `{}` in the shared site (give the application an `origin` or `branch` in the matrix to build it from a repository instead)",
                    app.npm_package, app.npm_version
                ));
            }
            (None, Some(app)) => frontend(plan, row, app),
            (legacy, app) => {
                let port = if legacy.is_some() {
                    None
                } else {
                    extra
                        .iter()
                        .position(|n| *n == name)
                        .and_then(|i| u16::try_from(i).ok())
                        .map(|i| FIRST_EXTRA_MFE_PORT.saturating_add(i))
                };
                let version = plan.version(format!("MFE_APPS[{name}]"), row);
                plan.mfes.push(MfeEntry {
                    name: name.to_owned(),
                    repository: with_git_suffix(row.git_origin),
                    version,
                    port,
                });
                if let Some(app) = app {
                    plan.notes.push(format!(
                        "{name}: tutor-mfe 22.1 also builds the frontend-base `{}` ({}) from npm into the shared site, disabled, and serves the legacy MFE above, built from the matrix's repository and branch; the plugin leaves that package as tutor-mfe has it",
                        app.npm_package, app.npm_version
                    ));
                }
            }
        }
        if let Some(path) = row.path.filter(|p| p.trim_matches('/') != name) {
            plan.unmapped.push(format!(
                "MFE {name} path `{path}`: tutor-mfe serves every MFE at `/{name}` (its name)"
            ));
        }
        if row.translations.is_some() {
            plan.unmapped.push(format!(
                "MFE {name} translation commands: tutor-mfe pulls translations with `make pull_translations` from `ATLAS_REPOSITORY` at `ATLAS_REVISION`"
            ));
        }
    }
    for app in matrix
        .applications
        .iter()
        .filter(|a| a.kind == AppKind::Mfe)
    {
        let name = app.name.as_str();
        if rows.iter().any(|r| r.application == name) {
            continue;
        }
        if defaults::frontend_app(name).is_some() {
            plan.removed_frontend_apps.push(name.to_owned());
        }
        if defaults::frontend_app(name).is_none() || defaults::mfe_app(name).is_some() {
            plan.removed_mfes.push(name.to_owned());
        }
    }
    let in_catalogue = |name: &str| {
        matrix
            .applications
            .iter()
            .any(|a| a.kind == AppKind::Mfe && a.name.as_str() == name)
    };
    for (name, _, _) in defaults::MFE_APPS {
        if !in_catalogue(name) {
            plan.kept.push((*name).to_owned());
        }
    }
    for app in defaults::FRONTEND_APPS {
        if !in_catalogue(app.name) && !plan.kept.iter().any(|k| k == app.name) {
            plan.kept.push(app.name.to_owned());
        }
    }
    node(plan, rows);
}

/// A frontend-base app: its repository and branch as a `FRONTEND_APPS` `source`, when tutor-mfe
/// can clone it.
fn frontend(plan: &mut PluginPlan, row: &Row<'_>, app: &defaults::FrontendApp) {
    let name = row.application;
    let origin = row.git_origin;
    // tutor-mfe's `source` is cloned by Docker's `ADD` (`https://`, `git@host:…`); its
    // `file://` is a path inside the build context, not the matrix's absolute file URL.
    let clonable = ["https://", "http://", "ssh://"]
        .iter()
        .any(|s| origin.starts_with(s))
        || (!origin.contains("://") && origin.contains('@'));
    if clonable {
        let repository = with_git_suffix(origin);
        let version = plan.version(format!("FRONTEND_APPS[{name}]"), row);
        plan.frontend_apps.push(FrontendEntry {
            name: name.to_owned(),
            source: format!("{repository}#{version}"),
            repository,
            version,
        });
        plan.notes.push(format!(
            "{name}: a frontend-base app, built into the shared site from the source above instead of npm `{}`; the repository's `package.json` must be `{}` at a version in `{}` for the site to use it",
            app.npm_package, app.npm_package, app.npm_version
        ));
    } else {
        plan.unmapped.push(format!(
            "MFE {name} {origin} at {}: cannot be mapped: tutor-mfe builds {name} as a frontend-base app (`FRONTEND_APPS`), whose `source` is a URL Docker clones (`https://…#ref` or `git@host:…#ref`); Tutor keeps building npm `{}` `{}`",
            row.release_branch, app.npm_package, app.npm_version
        ));
    }
}

/// One Node image for every MFE: the version most MFEs need (the first of them on a tie).
fn node(plan: &mut PluginPlan, rows: &[&Row<'_>]) {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    // MFEs without a Node version in the matrix take whatever image is chosen.
    for runtime in rows.iter().filter_map(|row| row.runtime_version) {
        match counts.iter_mut().find(|(v, _)| *v == runtime) {
            Some((_, n)) => *n += 1,
            None => counts.push((runtime, 1)),
        }
    }
    let Some(&(chosen, _)) = counts.iter().rev().max_by_key(|(_, n)| *n) else {
        return;
    };
    // tutor-mfe's pinned image already is that Node (`24` and `node:24.14.1-…`): kept.
    let default = defaults::setting("MFE_NODE_IMAGE").unwrap_or_default();
    let pinned = default
        .strip_prefix("docker.io/node:")
        .and_then(|v| v.strip_suffix("-bookworm-slim"));
    let satisfied = pinned.is_some_and(|v| v == chosen || v.starts_with(&format!("{chosen}.")));
    if !satisfied {
        plan.overrides.push((
            "MFE_NODE_IMAGE".into(),
            format!("docker.io/node:{chosen}-bookworm-slim"),
        ));
    }
    if counts.len() > 1 {
        let others: Vec<String> = rows
            .iter()
            .filter_map(|r| match r.runtime_version {
                Some(runtime) if runtime != chosen => Some((r.application, runtime)),
                _ => None,
            })
            .map(|(application, runtime)| format!("{application} needs Node {runtime}"))
            .collect();
        plan.warnings.push(format!(
            "the MFEs need different Node versions and Tutor builds them all with one image (`MFE_NODE_IMAGE`): using Node {chosen}; {}",
            others.join(", ")
        ));
    }
}
