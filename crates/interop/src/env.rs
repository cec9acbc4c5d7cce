//! `export env`: shell assignments describing every component of one (deployment, stage).
//!
//! Every value is single-quoted by [`shell_quote`], so `eval "$(edx-matrix export env ...)"`
//! assigns exactly the matrix's bytes whatever they hold (quotes, `$`, backticks, newlines).

use edx_matrix_model::Row;
use std::collections::BTreeMap;

/// Quotes a value for POSIX shells: single quotes, with `'` written as `'\''`.
///
/// Inside single quotes a POSIX shell takes every byte literally, newlines included; the only
/// byte that needs care is the quote itself.
pub fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// Returns the variable-name form of an application name: `edx-platform` → `EDX_PLATFORM`.
pub fn var_name(application: &str) -> String {
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
/// `_GIT_ORIGIN`, `_RELEASE_BRANCH`, `_RUNTIME_VERSION`, and `_PATH` and `_TRANSLATIONS`
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
            edx_matrix_model::environment::label(deployment, stage),
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
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
