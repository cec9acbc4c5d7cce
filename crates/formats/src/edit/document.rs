//! The `toml_edit` plumbing every edit shares: reading the file, finding the sections and the
//! `[[map]]` blocks, and changing values without losing the comments and spacing around them.
//!
//! Two `toml_edit` habits are worked around here: assigning a value drops its decor (the spaces
//! and the end-of-line comment), so the old decor is copied onto the new value; and a table
//! created by `toml_edit` has no document position, so a new block inherits the position of the
//! table printed before it (see [`insert_block`]).

mod blocks;
mod columns;
mod inline;
mod lines;
mod lookup;
mod name_arrays;
mod pins;
mod raw_app;

use crate::edit::{Base, EditError};
use crate::{Source, load_toml};
pub(crate) use blocks::{
    apps, apps_mut, block_with_app, blocks, blocks_mut, insert_block, names, new_block,
};
pub(crate) use columns::insert_row;
use edx_matrix_model::Matrix;
pub(crate) use inline::{replace_inline, replace_value};
pub(crate) use lines::Lines;
#[cfg(test)]
pub(crate) use lines::line_of;
pub(crate) use lookup::{application, deployment, release, stage};
pub(crate) use name_arrays::{push_name, remove_at, set_names};
pub(crate) use pins::{set_pin, set_pin_in_model};
pub(crate) use raw_app::RawApp;
use toml_edit::{DocumentMut, Item, TableLike};

/// Parses the base text for editing and reads its matrix (unless the caller did); refuses a
/// file with errors.
pub(crate) fn open(base: Base<'_>) -> Result<(DocumentMut, Matrix), EditError> {
    let text = base.text;
    let matrix = match base.checked {
        Some(matrix) => matrix.clone(),
        None => {
            let loaded = load_toml(Source::new("edx-matrix.toml", text));
            if loaded.has_errors() {
                let count = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
                return Err(EditError::Refused {
                    message: format!(
                        "the matrix has {count} error{} already; edits are made only to a valid matrix",
                        if count == 1 { "" } else { "s" }
                    ),
                    places: Vec::new(),
                    hint: Some("run `edx-matrix check` and fix the errors first".to_owned()),
                });
            }
            loaded.matrix
        }
    };
    let doc = text
        .parse::<DocumentMut>()
        .map_err(|e| EditError::Unreadable(e.message().trim().to_owned()))?;
    Ok((doc, matrix))
}

/// Returns the top-level section `key` (`releases`, `applications`, `deployments`).
pub(crate) fn section_mut<'d>(
    doc: &'d mut DocumentMut,
    key: &str,
) -> Result<&'d mut dyn TableLike, EditError> {
    doc.get_mut(key)
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| EditError::Unreadable(format!("no `[{key}]` table")))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use toml_edit::Value;

    /// The lines removed and the lines added from `old` to `new`.
    pub(crate) fn changes(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
        let diff = similar::TextDiff::from_lines(old, new);
        let mut removed = Vec::new();
        let mut added = Vec::new();
        for change in diff.iter_all_changes() {
            let line = change.value().trim_end_matches('\n').to_owned();
            match change.tag() {
                similar::ChangeTag::Delete => removed.push(line),
                similar::ChangeTag::Insert => added.push(line),
                similar::ChangeTag::Equal => {}
            }
        }
        (removed, added)
    }

    #[test]
    fn replace_inline_keeps_columns_and_comment() {
        let mut doc: DocumentMut = "a = { CI = \"master\",   QA = \"verawood\" } # note\n"
            .parse()
            .expect("parses");
        let t = doc["a"].as_inline_table_mut().expect("inline");
        replace_inline(t, "CI", Value::from("ulmo"));
        assert_eq!(
            doc.to_string(),
            "a = { CI = \"ulmo\",     QA = \"verawood\" } # note\n"
        );
    }

    #[test]
    fn remove_first_and_push_keep_spacing() {
        let mut doc: DocumentMut = "a = [\"x\", \"y\"]\nb = [\n  \"x\",\n  \"y\",\n]\n"
            .parse()
            .expect("parses");
        remove_at(doc["a"].as_array_mut().expect("array"), 0);
        push_name(&mut doc["a"], "z");
        push_name(&mut doc["b"], "z");
        assert_eq!(
            doc.to_string(),
            "a = [\"y\", \"z\"]\nb = [\n  \"x\",\n  \"y\",\n  \"z\",\n]\n"
        );
    }

    #[test]
    fn line_of_counts_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
