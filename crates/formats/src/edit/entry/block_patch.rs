//! Writing a [`Patch`] into the application of one `[[map]]` block.

use super::patch::{Override, Patch};
use crate::edit::{EditError, document};
use crate::template::escape;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, TableLike, Value};

/// Inserts `item` under `key` in an `apps` table, written `key = value`: the insertion changes
/// the table's text, so the edit's `touched` step aligns its `=` afterwards (padding the key
/// here as well was redundant: disabling it changed no test's output).
pub(super) fn insert_app(apps: &mut dyn TableLike, key: &str, item: Item) {
    apps.insert(key, item);
    if let Some(mut k) = apps.key_mut(key) {
        k.leaf_decor_mut().set_suffix(" ");
        k.leaf_decor_mut().set_prefix("");
    }
}

/// Applies `patch` to application `app` of block `b`, written as literal values.
pub(super) fn patch_block(
    doc: &mut DocumentMut,
    b: usize,
    app: &str,
    patch: &Patch,
) -> Result<(), EditError> {
    let blocks = document::blocks_mut(doc)?;
    let block: &mut Table = blocks
        .get_mut(b)
        .ok_or_else(|| EditError::Internal("no such block".to_owned()))?;
    let apps = document::apps_mut(block)?;
    let item = apps
        .get_mut(app)
        .ok_or_else(|| EditError::Internal("the application left its block".to_owned()))?;
    let string = |s: &String| Value::from(escape(s));
    let array = |ts: &Vec<String>| {
        let mut a = Array::new();
        for t in ts {
            a.push(escape(t));
        }
        Value::Array(a)
    };
    let changes: [(&str, Option<Option<Value>>); 4] = [
        ("branch", change(&patch.branch, string)),
        ("origin", change(&patch.origin, string)),
        ("runtime", change(&patch.runtime, string)),
        ("translations", change(&patch.translations, array)),
    ];
    match item {
        Item::Value(Value::InlineTable(t)) => {
            let was_empty = t.is_empty();
            for (key, c) in changes {
                match c {
                    None => {}
                    Some(Some(v)) => document::replace_inline(t, key, v),
                    Some(None) => remove_inline(t, key),
                }
            }
            if was_empty || t.is_empty() {
                // `fmt` leaves the spaces inside `{   }` (its trailing text) where they were.
                t.set_trailing("");
                t.fmt();
            }
        }
        Item::Table(t) => {
            for (key, c) in changes {
                match c {
                    None => {}
                    Some(Some(v)) => match t.get_mut(key) {
                        Some(Item::Value(old)) => document::replace_value(old, v),
                        _ => {
                            t.insert(key, Item::Value(v));
                        }
                    },
                    Some(None) => {
                        t.remove(key);
                    }
                }
            }
        }
        _ => {
            return Err(EditError::Unreadable(format!(
                "application `{app}` of a block is not a table"
            )));
        }
    }
    Ok(())
}

/// Removes `key` from an inline table; when it was the last key, the space before `}` (the
/// removed value's suffix) goes to the new last value, so `{ a = 1, b = 2 }` becomes `{ a = 1 }`,
/// not `{ a = 1}`.
fn remove_inline(t: &mut InlineTable, key: &str) {
    let last = t.iter().last().is_some_and(|(k, _)| k == key);
    let Some(removed) = t.remove(key) else {
        return;
    };
    if last {
        let suffix = removed.decor().suffix().cloned();
        if let (Some(suffix), Some((_, value))) = (suffix, t.iter_mut().last()) {
            value.decor_mut().set_suffix(suffix);
        }
    }
}

/// `None` to keep, `Some(None)` to remove, `Some(Some(v))` to write `v`.
pub(super) fn change<T>(c: &Override<T>, to_value: impl Fn(&T) -> Value) -> Option<Option<Value>> {
    match c {
        Override::Keep => None,
        Override::Set(v) => Some(Some(to_value(v))),
        Override::Unset => Some(None),
    }
}
