//! The tree builder against `toml_edit`, the oracle it is tested with.

use super::tree::{build, from_edit};
use super::{Parsed, parse_by_blocks, parse_edit, parse_whole, read_document};

/// What the builder did with a text, judged by `toml_edit`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Agreement {
    /// The builder's tree is `toml_edit`'s: keys, values, order and every span.
    Same,
    /// The builder refused the text; `toml_edit` reads it (`true`) or reports an error.
    Refused(bool),
    /// The builder built a tree `toml_edit` refuses, or another one: the first difference.
    Differs(String),
}

/// Parses `text` with the builder and with `toml_edit` and compares.
pub(crate) fn agreement(text: &str) -> Agreement {
    let edit = toml_edit::Document::parse(text);
    match (build::parse(text, 0), edit) {
        (None, edit) => Agreement::Refused(edit.is_ok()),
        (Some(_), Err(e)) => Agreement::Differs(format!("toml_edit refuses it: {e}")),
        (Some(tree), Ok(doc)) => {
            // Compared as dumps: a NaN is not equal to itself.
            let theirs = format!("{:#?}", from_edit::table(doc.as_table()));
            let ours = format!("{tree:#?}");
            if ours == theirs {
                Agreement::Same
            } else {
                let line = ours.lines().zip(theirs.lines()).position(|(a, b)| a != b);
                Agreement::Differs(format!(
                    "at line {line:?} of the dumps: {:?} vs {:?}",
                    line.and_then(|n| ours.lines().nth(n)),
                    line.and_then(|n| theirs.lines().nth(n)),
                ))
            }
        }
    }
}

/// Everything the loader goes on with after reading `parsed`, as comparable text (the poisoned
/// subjects sorted: a `HashSet`'s order is random).
pub(crate) fn outcome(mut parsed: Parsed<'_>, text: &str) -> String {
    let names = {
        let mut names = parsed.section_names();
        names.sort();
        names
    };
    let (matrix, map, diagnostics) = read_document(&mut parsed, text);
    let mut poisoned: Vec<String> = map.poisoned.iter().map(|s| format!("{s:?}")).collect();
    poisoned.sort();
    format!(
        "{matrix:#?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{poisoned:?}\n{names:?}\n{diagnostics:#?}",
        map.stages,
        map.releases,
        map.applications,
        map.deployments,
        map.blocks,
        map.entry_origins,
        map.entry_apps,
        map.lints,
    )
}

/// The outcome of each read path of `text`: the tree builder's (whole, and by blocks when the
/// layout allows) and `toml_edit`'s; the text of a syntax error for a path that fails.
pub(crate) fn outcomes(text: &str) -> Vec<(&'static str, String)> {
    let show = |parsed: Result<Parsed<'_>, Box<crate::Diagnostic>>| match parsed {
        Ok(parsed) => outcome(parsed, text),
        Err(e) => format!("{e:#?}"),
    };
    let mut out = vec![
        ("builder", show(parse_whole(text))),
        ("toml_edit", show(parse_edit(text))),
    ];
    if let Some(parsed) = parse_by_blocks(text) {
        out.push(("by blocks", outcome(parsed, text)));
    }
    out
}
