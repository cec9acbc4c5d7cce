//! `export env`: shell assignments describing every component of one (deployment, stage); and
//! [`component`], the assignments of one component (`resolve --format env`).
//!
//! Every value is single-quoted by [`shell_quote`], so `eval "$(edx-matrix export env ...)"`
//! assigns exactly the matrix's bytes whatever they hold (quotes, `$`, backticks, newlines).

use edx_matrix_model::{Matrix, Row};
use std::collections::BTreeMap;

/// Quotes a value for POSIX shells: single quotes, with `'` written as `'\''`.
///
/// Inside single quotes a POSIX shell takes every byte literally, newlines included; the only
/// byte that needs care is the quote itself.
pub fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// Returns the variable-name form of an application name: `edx-platform` → `EDX_PLATFORM`.
pub(crate) fn var_name(application: &str) -> String {
    application
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Two applications whose names map to the same variable prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameClash {
    /// The shared prefix (`EDX_APP_EDX_PLATFORM`).
    pub prefix: String,
    /// The two application names.
    pub applications: (String, String),
}

/// Renders the rows of one (deployment, stage) as `KEY='value'` lines.
///
/// Stage-wide variables come first (`EDX_DEPLOYMENT`, `EDX_STAGE`, `EDX_ENVIRONMENT`,
/// `EDX_RELEASE`, `EDX_APPLICATIONS`), then for each application `EDX_APP_<NAME>_TYPE`,
/// `_GIT_ORIGIN`, `_RELEASE_BRANCH`, `_COMMIT` (when locked), `_RUNTIME_VERSION`, and `_PATH` and `_TRANSLATIONS`
/// (commands joined by newlines) where they apply.
pub fn render(
    deployment: &str,
    stage: &str,
    release: &str,
    rows: &[Row<'_>],
) -> Result<String, NameClash> {
    let mut prefixes: BTreeMap<String, &str> = BTreeMap::new();
    for row in rows {
        let prefix = format!("EDX_APP_{}", var_name(row.application));
        if let Some(other) = prefixes.insert(prefix.clone(), row.application) {
            if other != row.application {
                return Err(NameClash {
                    prefix,
                    applications: (other.to_owned(), row.application.to_owned()),
                });
            }
        }
    }
    let mut lines = vec![
        ("EDX_DEPLOYMENT".to_owned(), deployment.to_owned()),
        ("EDX_STAGE".to_owned(), stage.to_owned()),
        (
            "EDX_ENVIRONMENT".to_owned(),
            edx_matrix_model::label(deployment, stage),
        ),
        ("EDX_RELEASE".to_owned(), release.to_owned()),
        (
            "EDX_APPLICATIONS".to_owned(),
            rows.iter()
                .map(|r| r.application)
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ];
    for row in rows {
        let prefix = format!("EDX_APP_{}", var_name(row.application));
        lines.push((format!("{prefix}_TYPE"), row.kind.as_str().to_owned()));
        lines.push((format!("{prefix}_GIT_ORIGIN"), row.git_origin.to_owned()));
        lines.push((
            format!("{prefix}_RELEASE_BRANCH"),
            row.release_branch.to_owned(),
        ));
        if let Some(commit) = row.commit {
            lines.push((format!("{prefix}_COMMIT"), commit.to_owned()));
        }
        // A release that records no runtime leaves the variable out, like a path an IDA lacks.
        if let Some(runtime) = row.runtime_version {
            lines.push((format!("{prefix}_RUNTIME_VERSION"), runtime.to_owned()));
        }
        if let Some(path) = row.path {
            lines.push((format!("{prefix}_PATH"), path.to_owned()));
        }
        if let Some(commands) = row.translations {
            lines.push((format!("{prefix}_TRANSLATIONS"), commands.join("\n")));
        }
    }
    Ok(lines
        .into_iter()
        .map(|(k, v)| format!("{k}={}\n", shell_quote(&v)))
        .collect())
}

/// Renders one resolved row as `KEY='value'` lines: `EDX_DEPLOYMENT`, `EDX_STAGE`,
/// `EDX_ENVIRONMENT`, `EDX_RELEASE`, `EDX_APPLICATION`, `EDX_APP_TYPE`, `EDX_GIT_ORIGIN`,
/// `EDX_RELEASE_BRANCH`, then `EDX_COMMIT` (when locked), `EDX_RUNTIME_VERSION` and `EDX_MFE_PATH` where they apply, then
/// the stage's vars of `matrix` as `EDX_VAR_<NAME>` (var names are checked to be letters,
/// digits and `_`).
pub fn component(matrix: &Matrix, row: &Row<'_>) -> String {
    let environment = edx_matrix_model::label(row.deployment, row.stage);
    let mut pairs = vec![
        ("EDX_DEPLOYMENT".to_owned(), row.deployment.to_owned()),
        ("EDX_STAGE".to_owned(), row.stage.to_owned()),
        ("EDX_ENVIRONMENT".to_owned(), environment),
        ("EDX_RELEASE".to_owned(), row.release.to_owned()),
        ("EDX_APPLICATION".to_owned(), row.application.to_owned()),
        ("EDX_APP_TYPE".to_owned(), row.kind.to_string()),
        ("EDX_GIT_ORIGIN".to_owned(), row.git_origin.to_owned()),
        (
            "EDX_RELEASE_BRANCH".to_owned(),
            row.release_branch.to_owned(),
        ),
    ];
    // The locked commit, when the row has one (`edx-matrix.lock`): what to check out.
    if let Some(commit) = row.commit {
        pairs.push(("EDX_COMMIT".to_owned(), commit.to_owned()));
    }
    // A release that records no runtime leaves the variable out (issue 16).
    if let Some(runtime) = row.runtime_version {
        pairs.push(("EDX_RUNTIME_VERSION".to_owned(), runtime.to_owned()));
    }
    if let Some(path) = row.path {
        pairs.push(("EDX_MFE_PATH".to_owned(), path.to_owned()));
    }
    let vars = edx_matrix_model::vars::of_stage(matrix, row.deployment, row.stage);
    for (name, value) in vars.iter() {
        pairs.push((format!("EDX_VAR_{name}"), value.as_text()));
    }
    pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}\n", shell_quote(&v)))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn one_component_with_its_stage_vars() {
        let text = r#"stages = ["CI", "QA"]

[releases]
ulmo = { branch = "release/ulmo", node = "24" }

[applications]
learning = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learn" }
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }

[deployments]
site = { CI = "ulmo", QA = { release = "ulmo", vars = { HOST = "qa.example", HTTPS = false } }, vars = { NAME = "it's" } }

[[map]]
releases = ["ulmo"]
deployments = ["site"]
[map.apps]
learning = { branch = "site/fix" }
forum = {}
"#;
        let loaded = crate::load_toml(crate::Source::new("t.toml", text));
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let m = &loaded.matrix;
        let rows = edx_matrix_model::resolve(m, &edx_matrix_model::Filter::default()).rows;
        let row = |stage: &str, app: &str| {
            rows.iter()
                .find(|r| r.stage == stage && r.application == app)
                .unwrap()
        };
        assert_eq!(
            component(m, row("QA", "learning")),
            "EDX_DEPLOYMENT='site'\nEDX_STAGE='QA'\nEDX_ENVIRONMENT='site-qa'\n\
             EDX_RELEASE='ulmo'\nEDX_APPLICATION='learning'\nEDX_APP_TYPE='MFE'\n\
             EDX_GIT_ORIGIN='https://github.com/openedx/frontend-app-learning'\n\
             EDX_RELEASE_BRANCH='site/fix'\nEDX_RUNTIME_VERSION='24'\nEDX_MFE_PATH='learn'\n\
             EDX_VAR_NAME='it'\\''s'\nEDX_VAR_HOST='qa.example'\nEDX_VAR_HTTPS='false'\n"
        );
        // An IDA on a release without a Python version: no runtime, no path; the deployment's
        // vars only.
        assert_eq!(
            component(m, row("CI", "forum")),
            "EDX_DEPLOYMENT='site'\nEDX_STAGE='CI'\nEDX_ENVIRONMENT='site-ci'\n\
             EDX_RELEASE='ulmo'\nEDX_APPLICATION='forum'\nEDX_APP_TYPE='IDA'\n\
             EDX_GIT_ORIGIN='https://github.com/openedx/cs_comments_service'\n\
             EDX_RELEASE_BRANCH='release/ulmo'\nEDX_VAR_NAME='it'\\''s'\n"
        );
    }
    use std::process::Command;

    #[test]
    fn quoted_values_survive_a_real_shell() {
        let hostile = [
            "plain",
            "it's",
            "$(touch /tmp/edx-matrix-pwned) `id` $HOME ${X:-y}",
            "two\nlines\n",
            "\"double\" 'single' \\back\\slash",
            "",
            "'",
            "''\n'",
        ];
        for value in hostile {
            let script = format!("V={}; printf '%s' \"$V\"", shell_quote(value));
            let out = Command::new("sh").arg("-c").arg(&script).output().unwrap();
            assert!(out.status.success());
            assert_eq!(String::from_utf8(out.stdout).unwrap(), value, "{script}");
        }
    }

    #[test]
    fn variable_names() {
        assert_eq!(var_name("edx-platform"), "EDX_PLATFORM");
        assert_eq!(var_name("edxapp_theme"), "EDXAPP_THEME");
        assert_eq!(var_name("a.b"), "A_B");
    }
}
