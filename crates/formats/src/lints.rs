//! The `[lints]` table: users raise warnings to errors (`deny`), or silence them (`allow`).
//!
//! Errors cannot be lowered: a matrix with an error cannot be resolved correctly, whatever the
//! file says.

use crate::diagnostic::{Diagnostic, Location};
use edx_matrix_model::did_you_mean;
use edx_matrix_model::{Code, Severity};
use std::collections::HashMap;
use std::ops::Range;

/// The errors `[lints]` may lower to a warning (`warn`, never `allow`): a credential in a URL
/// is sometimes deliberate (a `file://` mirror, a private network).
const LOWERABLE: &[Code] = &[Code::UrlCredentials];

/// What a lint level does to a diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Allow,
    Warn,
    Deny,
}

/// Applies the levels read from `[lints]` (code, level, span of the code, span of the level) to `diagnostics`,
/// adding a diagnostic for each bad lint line.
pub(crate) fn apply(
    diagnostics: Vec<Diagnostic>,
    lints: &[(String, String, Range<usize>, Range<usize>)],
) -> Vec<Diagnostic> {
    let mut levels: HashMap<Code, Level> = HashMap::new();
    let mut problems = Vec::new();
    for (name, level, key_span, span) in lints {
        let Some(code) = Code::from_name(name) else {
            let mut d = Diagnostic::new(
                Code::UnknownLint,
                Location::Span(key_span.clone()),
                format!("`{name}` is not a diagnostic code"),
                "unknown code",
            );
            if let Some(s) = did_you_mean(name, Code::ALL.iter().map(|c| c.as_str())) {
                d.help.push(format!("did you mean `{s}`?"));
            }
            problems.push(d);
            continue;
        };
        let level = match level.as_str() {
            "allow" => Level::Allow,
            "warn" => Level::Warn,
            "deny" => Level::Deny,
            other => {
                problems.push(Diagnostic::new(
                    Code::UnknownLint,
                    Location::Span(span.clone()),
                    format!("unknown lint level `{other}` for `{name}`"),
                    "expected `allow`, `warn` or `deny`",
                ));
                continue;
            }
        };
        if code.default_severity() == Severity::Error
            && level != Level::Deny
            && !(LOWERABLE.contains(&code) && level == Level::Warn)
        {
            problems.push(Diagnostic::new(
                Code::UnknownLint,
                Location::Span(span.clone()),
                format!("`{name}` is an error and cannot be lowered"),
                "only warnings can be allowed or kept as warnings",
            ));
            continue;
        }
        levels.insert(code, level);
    }
    let mut out: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter_map(|mut d| match levels.get(&d.code) {
            Some(Level::Allow) => None,
            Some(Level::Deny) => {
                d.severity = Severity::Error;
                Some(d)
            }
            Some(Level::Warn) => {
                d.severity = Severity::Warning;
                Some(d)
            }
            None => Some(d),
        })
        .collect();
    out.extend(problems);
    out
}
