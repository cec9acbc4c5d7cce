//! Placeholders in pipeline settings: `{release}`, `{deployment}`, `{application}`,
//! `{runtime}` and `{family}`, with `{{`/`}}` for literal braces.
//!
//! They are allowed in artifact `source`/`params`, task `params` and an inline task's image
//! `tag` — values the pipeline hands to resources or as environment variables — and never in
//! an inline task's `run`, so no matrix value is ever part of a command line. Concourse
//! `((vars))` use parentheses and pass through untouched. The braces are parsed by the one
//! brace-template parser, [`edx_matrix_model::brace_template`].

/// The placeholder names.
pub(crate) const PLACEHOLDERS: &[&str] =
    &["release", "deployment", "application", "runtime", "family"];

/// The values placeholders stand for in one chain of jobs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PlaceholderValues<'a> {
    /// The release.
    pub release: &'a str,
    /// The deployment.
    pub deployment: &'a str,
    /// The application.
    pub application: &'a str,
    /// The application's runtime version on that release.
    pub runtime: &'a str,
    /// The pipeline's component family.
    pub family: &'a str,
}

/// Why a value is not a valid template (the one brace-template error, located in the value).
pub(crate) use edx_matrix_model::brace_template::TemplateSyntaxError;

use edx_matrix_model::brace_template::{self, Piece};

fn pieces(text: &str) -> Result<Vec<Piece<'_>>, TemplateSyntaxError> {
    brace_template::parse(text, PLACEHOLDERS, |name| {
        format!(
            "unknown placeholder `{{{name}}}` (expected one of {})",
            PLACEHOLDERS
                .iter()
                .map(|p| format!("`{{{p}}}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// Checks that `text` is a valid template.
pub(crate) fn check(text: &str) -> Result<(), TemplateSyntaxError> {
    pieces(text).map(|_| ())
}

/// Returns `text` with its placeholders replaced; a value that is not a valid template (which
/// the settings reader has already reported) is returned unchanged.
pub(crate) fn render(text: &str, vars: &PlaceholderValues<'_>) -> String {
    let Ok(pieces) = pieces(text) else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len());
    for piece in pieces {
        out.push_str(match piece {
            Piece::Literal(s) => s,
            Piece::Placeholder("release") => vars.release,
            Piece::Placeholder("deployment") => vars.deployment,
            Piece::Placeholder("application") => vars.application,
            Piece::Placeholder("runtime") => vars.runtime,
            Piece::Placeholder(_) => vars.family,
        });
    }
    out
}

/// Returns `value` with placeholders replaced in every string inside it.
pub(crate) fn render_value(
    value: &serde_json::Value,
    vars: &PlaceholderValues<'_>,
) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(render(s, vars)),
        Value::Array(items) => Value::Array(items.iter().map(|v| render_value(v, vars)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), render_value(v, vars)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Returns whether `text` contains one of the placeholders literally (used to reject them in
/// `run`, where nothing is expanded).
pub(crate) fn mentions_placeholder(text: &str) -> Option<&'static str> {
    PLACEHOLDERS
        .iter()
        .find(|p| text.contains(&format!("{{{p}}}")))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    const VARS: PlaceholderValues<'static> = PlaceholderValues {
        release: "ulmo",
        deployment: "campus",
        application: "learning",
        runtime: "24",
        family: "mfe",
    };

    #[test]
    fn renders_placeholders_and_keeps_vars() {
        assert_eq!(
            render("((registry))/{application}:{release}-{deployment}", &VARS),
            "((registry))/learning:ulmo-campus"
        );
        assert_eq!(
            render("node:{runtime} {{x}} {family}", &VARS),
            "node:24 {x} mfe"
        );
    }

    #[test]
    fn rejects_unknown_and_unbalanced() {
        assert_eq!(check("a{stage}").map_err(|e| e.offset), Err(1));
        assert!(check("a{").is_err());
        assert!(check("}").is_err());
        assert_eq!(mentions_placeholder("echo {release}"), Some("release"));
        assert_eq!(mentions_placeholder("echo ${RELEASE}"), None);
    }
}
