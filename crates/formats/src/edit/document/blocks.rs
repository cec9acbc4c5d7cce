//! The `[[map]]` blocks of the document: finding them, their names and applications, and adding
//! new ones where `toml_edit` prints them in the right place.

use super::name_arrays::set_names;
use crate::edit::EditError;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

/// Returns the `[[map]]` blocks, creating the array when the file has none.
pub(crate) fn blocks_mut(doc: &mut DocumentMut) -> Result<&mut ArrayOfTables, EditError> {
    if doc.get("map").is_none() {
        doc.insert("map", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    match doc.get_mut("map") {
        Some(Item::ArrayOfTables(blocks)) => Ok(blocks),
        _ => Err(EditError::Unreadable(
            "the release map is not written as `[[map]]` blocks; edits need that form \
             (`edx-matrix import` or `expand` can rewrite it)"
                .to_owned(),
        )),
    }
}

/// Returns the `[[map]]` blocks for reading (empty when there are none).
pub(crate) fn blocks(doc: &DocumentMut) -> Vec<&Table> {
    match doc.get("map") {
        Some(Item::ArrayOfTables(blocks)) => blocks.iter().collect(),
        _ => Vec::new(),
    }
}

/// Returns the strings of a block's `releases` or `deployments` array.
pub(crate) fn names(block: &Table, key: &str) -> Vec<String> {
    block
        .get(key)
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Returns a block's `apps` table.
pub(crate) fn apps(block: &Table) -> Option<&dyn TableLike> {
    block.get("apps").and_then(Item::as_table_like)
}

/// Returns a block's `apps` table for changing.
pub(crate) fn apps_mut(block: &mut Table) -> Result<&mut dyn TableLike, EditError> {
    block
        .get_mut("apps")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| EditError::Unreadable("a `[[map]]` block without `apps`".to_owned()))
}

/// Returns whether a block covers (`release`, `deployment`).
pub(crate) fn covers(block: &Table, release: &str, deployment: &str) -> bool {
    names(block, "releases").iter().any(|r| r == release)
        && names(block, "deployments").iter().any(|d| d == deployment)
}

/// Returns the index of the block that gives `app` to (`release`, `deployment`).
pub(crate) fn block_with_app(
    doc: &DocumentMut,
    release: &str,
    deployment: &str,
    app: &str,
) -> Option<usize> {
    blocks(doc).iter().position(|b| {
        covers(b, release, deployment) && apps(b).is_some_and(|a| a.contains_key(app))
    })
}

/// Gives `table` and every table beneath it no document position, so that it prints right after
/// the table before it in the document (see the module docs).
pub(crate) fn clear_positions(table: &mut Table) {
    table.set_position(None);
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) => clear_positions(t),
            Item::ArrayOfTables(a) => {
                for t in a.iter_mut() {
                    clear_positions(t);
                }
            }
            _ => {}
        }
    }
}

/// Inserts `block` into the `[[map]]` array at `index`, printed right after the block before it
/// (or at the end when it is the first block of an empty map).
pub(crate) fn insert_block(blocks: &mut ArrayOfTables, index: usize, mut block: Table) {
    clear_positions(&mut block);
    let index = index.min(blocks.len());
    blocks.insert(index, block);
}

/// Returns a new block for `releases` x `deployments` with an empty `[map.apps]`, laid out like
/// `like` (the spacing of its keys), with one blank line before it.
pub(crate) fn new_block(
    like: Option<&Table>,
    releases: &[String],
    deployments: &[String],
) -> Table {
    let mut block = match like {
        Some(t) => {
            let mut t = t.clone();
            t.decor_mut().set_prefix("\n");
            t.decor_mut().set_suffix("");
            t
        }
        None => {
            let mut t = Table::new();
            t.insert("releases", Item::Value(Value::Array(Array::new())));
            t.insert("deployments", Item::Value(Value::Array(Array::new())));
            t.insert("apps", Item::Table(Table::new()));
            t.decor_mut().set_prefix("\n");
            t
        }
    };
    if let Some(item) = block.get_mut("releases") {
        set_names(item, releases);
    }
    if let Some(item) = block.get_mut("deployments") {
        set_names(item, deployments);
    }
    match block.get_mut("apps") {
        Some(Item::Table(apps)) => {
            apps.clear();
            apps.decor_mut().set_prefix("");
        }
        _ => {
            block.insert("apps", Item::Table(Table::new()));
        }
    }
    block.set_implicit(false);
    block
}
