//! `edx-matrix explain CODE`: a diagnostic code's documentation, read from `docs/diagnostics.md`
//! (built into the binary, so the page and the command are one text).

use crate::error::{CmdResult, CommandError};
use crate::format::{Allowed, Format, formats};
use crate::output::Output;
use edx_matrix_model::Code;
use edx_matrix_model::UnknownName;
use serde::Serialize;
use std::process::ExitCode;

/// The diagnostics reference, the one source of every code's explanation.
const DOC: &str = include_str!("../../../../docs/diagnostics.md");

/// The formats of `explain`.
const FORMATS: Allowed = &[
    (
        Format::Human,
        "The code's section of docs/diagnostics.md (Markdown)",
    ),
    (
        Format::Json,
        "One JSON object: code, severity, description, text",
    ),
];

#[derive(clap::Args, Debug)]
pub(crate) struct ExplainArgs {
    /// The diagnostic code (`unknown-key`, as in `error[unknown-key]`)
    #[arg(value_name = "CODE")]
    pub code: String,
    /// Output format
    #[arg(long, value_parser = formats(FORMATS), default_value_t = Format::Human)]
    pub format: Format,
}

/// The JSON form of an explanation.
#[derive(Serialize)]
struct Explanation<'a> {
    code: &'a str,
    severity: &'a str,
    description: &'a str,
    text: &'a str,
}

pub(crate) fn run(out: &Output, args: &ExplainArgs) -> CmdResult {
    let sections = sections(DOC);
    let Some((code, text)) = sections.iter().find(|(name, _)| *name == args.code) else {
        let names = sections.iter().map(|(name, _)| *name);
        return Err(CommandError::unknown(&UnknownName::new(
            "diagnostic code",
            &args.code,
            names,
        )));
    };
    let Some(known) = Code::from_name(code) else {
        // The test `every_section_is_a_code` keeps this from happening.
        return Err(CommandError::usage(format!(
            "`{code}` is documented but is not a diagnostic code"
        )));
    };
    match args.format {
        Format::Json => out.json(&Explanation {
            code,
            severity: known.default_severity().as_str(),
            description: known.description(),
            text,
        })?,
        _ => out.print(&format!("{code}\n\n{text}\n"))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Returns every code section of `doc`: the code of each ``### `code` `` heading and the text
/// under it, up to the next heading (trimmed).
fn sections(doc: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    let mut current: Option<(&str, usize)> = None;
    let mut offset = 0;
    for line in doc.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if !line.starts_with('#') {
            continue;
        }
        if let Some((code, from)) = current.take() {
            found.push((code, doc[from..start].trim()));
        }
        let heading = line.trim_end();
        if let Some(code) = heading
            .strip_prefix("### `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            current = Some((code, offset));
        }
    }
    if let Some((code, from)) = current {
        found.push((code, doc[from..].trim()));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_section() {
        let sections = sections(DOC);
        for code in Code::ALL {
            let text = sections
                .iter()
                .find(|(name, _)| *name == code.as_str())
                .map(|(_, text)| *text);
            assert!(
                text.is_some_and(|t| !t.is_empty()),
                "docs/diagnostics.md has no section for `{code}`"
            );
        }
    }

    #[test]
    fn every_section_is_a_code() {
        let mut seen = std::collections::HashSet::new();
        for (name, _) in sections(DOC) {
            assert!(Code::from_name(name).is_some(), "`{name}` is not a code");
            assert!(seen.insert(name), "`{name}` has two sections");
        }
    }

    #[test]
    fn a_section_ends_at_the_next_heading() {
        let doc = "# T\n### `a`\none\ntwo\n\n### `b`\nthree\n## Other\nfour\n### `c`\nfive\n";
        assert_eq!(
            sections(doc),
            [("a", "one\ntwo"), ("b", "three"), ("c", "five")]
        );
    }

    #[test]
    fn each_section_says_the_code_s_default_severity() {
        for (name, text) in sections(DOC) {
            let Some(code) = Code::from_name(name) else {
                continue;
            };
            let severity = format!("**{}**", code.default_severity().as_str());
            assert!(
                text.starts_with(&severity),
                "`{name}`'s section starts with {:?}, not {severity}",
                text.lines().next()
            );
        }
    }
}
