//! What the plugin changes in what Tutor runs by default, one line each: every MFE it removes
//! or adds, every default it overrides (a repository, a version, Tutor's pinned tag replaced by
//! the release's branch, the Node image). The export prints them on standard error and in the
//! README. Compared with [`super::defaults`] (Tutor 22); a version that follows
//! `OPENEDX_COMMON_VERSION` in Tutor and equals what the plugin sets there is said once, on the
//! `OPENEDX_COMMON_VERSION` line.

use super::defaults::{self, TUTOR_MAJOR};
use super::mapping::PluginPlan;

/// Returns the lines for `plan`.
pub(crate) fn of(plan: &PluginPlan) -> Vec<String> {
    let mut lines = Vec::new();
    let common = plan
        .overrides
        .iter()
        .find(|(k, _)| k == "OPENEDX_COMMON_VERSION")
        .map_or(defaults::OPENEDX_COMMON_VERSION, |(_, v)| v.as_str());
    // What a `{{ OPENEDX_COMMON_VERSION }}` default becomes.
    let effective = |default: &'static str| {
        if default == defaults::FOLLOWS_COMMON_VERSION {
            common
        } else {
            default
        }
    };
    for (key, value) in &plan.overrides {
        let Some(default) = defaults::setting(key) else {
            continue;
        };
        if key == "OPENEDX_COMMON_VERSION" {
            if value != default {
                lines.push(format!(
                    "sets OPENEDX_COMMON_VERSION to `{value}`, the release's branch, instead of Tutor {TUTOR_MAJOR}'s pinned tag `{default}`; every version that follows it (edx-platform, the MFEs, the plugins' repositories unless listed here) moves with it"
                ));
            }
            continue;
        }
        let same = if key.ends_with("_REPOSITORY") {
            defaults::same_repository(value, default)
        } else {
            value == effective(default)
        };
        if !same {
            let instead = if default == defaults::FOLLOWS_COMMON_VERSION {
                format!(
                    "Tutor {TUTOR_MAJOR}'s default, which follows OPENEDX_COMMON_VERSION (`{common}`)"
                )
            } else {
                format!("Tutor {TUTOR_MAJOR}'s `{default}`")
            };
            lines.push(format!("overrides {key}: `{value}` instead of {instead}"));
        }
    }
    for (image, arg) in &plan.build_args {
        if let Some(version) = arg.strip_prefix("PYTHON_VERSION=") {
            lines.push(format!(
                "builds the `{image}` image with Python {version} instead of Tutor {TUTOR_MAJOR}'s {}",
                super::versions::TUTOR_22_PYTHON
            ));
        }
    }
    for mfe in &plan.mfes {
        match defaults::mfe_app(&mfe.name) {
            Some((repository, _)) => {
                let version = effective(defaults::FOLLOWS_COMMON_VERSION);
                if !defaults::same_repository(&mfe.repository, repository) || mfe.version != version
                {
                    lines.push(format!(
                        "overrides MFE {}: built from `{}` at `{}` instead of tutor-mfe's `{repository}` at `{version}`",
                        mfe.name, mfe.repository, mfe.version
                    ));
                }
            }
            None => lines.push(format!(
                "adds MFE {}: built from `{}` at `{}`, port {}; tutor-mfe 22.1 does not build it by default",
                mfe.name,
                mfe.repository,
                mfe.version,
                mfe.port.map_or_else(|| "?".to_owned(), |p| p.to_string())
            )),
        }
    }
    for app in &plan.frontend_apps {
        if let Some(default) = defaults::frontend_app(&app.name) {
            lines.push(format!(
                "overrides frontend app {}: built into the shared site from `{}` instead of tutor-mfe's npm `{}` `{}`{}",
                app.name,
                app.source,
                default.npm_package,
                default.npm_version,
                if default.enabled { "" } else { ", and enabled" }
            ));
        }
    }
    for name in &plan.removed_mfes {
        if defaults::mfe_app(name).is_none() {
            continue;
        }
        let also = if plan.removed_frontend_apps.contains(name) {
            " and its frontend-base app from `FRONTEND_APPS`"
        } else {
            ""
        };
        lines.push(format!(
            "removes MFE {name} (`MFE_APPS`{also}): tutor-mfe 22.1 builds it by default; it is in the matrix catalogue but not on this stage"
        ));
    }
    for name in &plan.removed_frontend_apps {
        if defaults::mfe_app(name).is_some() {
            continue;
        }
        lines.push(format!(
            "removes frontend app {name} (`FRONTEND_APPS`): tutor-mfe 22.1 builds it into the shared site by default; it is in the matrix catalogue but not on this stage"
        ));
    }
    lines
}
