//! The tables an edit changes end in `fmt`'s layout; every other table stays byte for byte.
//!
//! Edits insert rows and keys like their neighbours, but a new key longer than the others, or
//! the removal of the longest one, leaves the `=` of a table out of line, and `fmt --check`
//! would then fail on a file the tool just wrote. So after an edit, every table whose own keys
//! and values differ from all the tables at the same place in the text before gets
//! [`crate::edit::fmt::tidy_keys`]: its `=` aligned, its blank lines tidied. What the user wrote
//! elsewhere is not reformatted.

use crate::edit::fmt::tidy_keys;
use std::collections::HashSet;
use toml_edit::{DocumentMut, Item, Table};

/// Returns `new` with the tables that differ from `old` in the canonical key layout. A text
/// that does not parse is returned as it is (the edit's own check reports it).
pub(crate) fn tidy_touched(old: &str, new: String) -> String {
    let (Ok(old_doc), Ok(mut new_doc)) = (old.parse::<DocumentMut>(), new.parse::<DocumentMut>())
    else {
        return new;
    };
    let mut before = HashSet::new();
    walk(old_doc.as_table(), "", &mut |path, t| {
        before.insert((path.to_owned(), own_text(t)));
    });
    let mut changed = false;
    walk_mut(new_doc.as_table_mut(), "", true, &mut |path, t, is_root| {
        if !before.contains(&(path.to_owned(), own_text(t))) {
            tidy_keys(t, is_root);
            changed = true;
        }
    });
    if changed { new_doc.to_string() } else { new }
}

fn raw(r: Option<&toml_edit::RawString>) -> &str {
    r.and_then(|r| r.as_str()).unwrap_or("")
}

/// The text of a table's own values: keys with their spacing, and values (sub-tables are
/// tables of their own).
fn own_text(table: &Table) -> String {
    let mut out = String::new();
    for (k, item) in table.iter() {
        let (Item::Value(value), Some(key)) = (item, table.key(k)) else {
            continue;
        };
        out.push_str(raw(key.leaf_decor().prefix()));
        out.push_str(&key.display_repr());
        out.push_str(raw(key.leaf_decor().suffix()));
        out.push('=');
        out.push_str(&value.to_string());
        out.push('\n');
    }
    out
}

/// Calls `f` with every table (not dotted ones: they belong to their parent's layout) and its
/// path; the tables of an array of tables share the array's path.
fn walk(table: &Table, path: &str, f: &mut impl FnMut(&str, &Table)) {
    f(path, table);
    for (k, item) in table.iter() {
        let child = format!("{path}.{k}");
        match item {
            Item::Table(t) if !t.is_dotted() => walk(t, &child, f),
            Item::ArrayOfTables(a) => {
                for t in a.iter() {
                    walk(t, &child, f);
                }
            }
            _ => {}
        }
    }
}

fn walk_mut(
    table: &mut Table,
    path: &str,
    is_root: bool,
    f: &mut impl FnMut(&str, &mut Table, bool),
) {
    f(path, table, is_root);
    for (k, item) in table.iter_mut() {
        let child = format!("{path}.{}", k.get());
        match item {
            Item::Table(t) if !t.is_dotted() => walk_mut(t, &child, false, f),
            Item::ArrayOfTables(a) => {
                for t in a.iter_mut() {
                    walk_mut(t, &child, false, f);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tidy_touched;

    #[test]
    fn realigns_the_changed_table_and_leaves_the_others() {
        let old = "[a]\nx = 1\nyy = 2\n\n[b]\nx  = 1\nyy = 2\n";
        // `b` gets a longer key; `a` (unaligned as the user wrote it) is not touched.
        let new = "[a]\nx = 1\nyy = 2\n\n[b]\nx  = 1\nyy = 2\nzzzz = 3\n".to_owned();
        assert_eq!(
            tidy_touched(old, new),
            "[a]\nx = 1\nyy = 2\n\n[b]\nx    = 1\nyy   = 2\nzzzz = 3\n"
        );
    }

    #[test]
    fn a_table_losing_its_longest_key_narrows() {
        let old = "[[map]]\nr = 1\n[map.apps]\nlong-name = {}\nb         = {}\n";
        let new = "[[map]]\nr = 1\n[map.apps]\nb         = {}\n".to_owned();
        assert_eq!(
            tidy_touched(old, new),
            "[[map]]\nr = 1\n[map.apps]\nb = {}\n"
        );
    }

    #[test]
    fn unchanged_text_is_returned_as_it_is() {
        let text = "[a]\nx = 1\nyy = 2\n";
        assert_eq!(tidy_touched(text, text.to_owned()), text);
    }

    /// The spacing around a key is part of a table's own text (mutation testing: comparing
    /// keys and values without it passed every other test).
    #[test]
    fn a_table_whose_spacing_alone_changed_is_realigned() {
        let old = "[a]\nx = 1\nyy = 2\n";
        let new = "[a]\nx   = 1\nyy = 2\n".to_owned();
        assert_eq!(tidy_touched(old, new), "[a]\nx  = 1\nyy = 2\n");
    }

    /// A dotted table is its parent's layout, not a table of its own: a `[lints]` table
    /// written where dotted `lints.` keys were is new, and aligned.
    #[test]
    fn dotted_keys_before_do_not_count_as_a_table() {
        let old = "lints.x = 1\nlints.yy = 2\n";
        let new = "[lints]\nx = 1\nyy = 2\n".to_owned();
        assert_eq!(tidy_touched(old, new), "[lints]\nx  = 1\nyy = 2\n");
    }

    /// Dotted keys are left as written, even when another table changes.
    #[test]
    fn dotted_keys_are_not_realigned() {
        let old = "lints.x = 1\nlints.yy = 2\n\n[a]\nk = 1\n";
        let new = "lints.x = 1\nlints.yy = 2\n\n[a]\nk = 2\n".to_owned();
        assert_eq!(tidy_touched(old, new.clone()), new);
    }
}
