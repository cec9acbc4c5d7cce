//! The `toml_edit` plumbing every edit shares: reading the file, finding the sections and the
//! `[[map]]` blocks, and changing values without losing the comments and spacing around them.
//!
//! Two `toml_edit` habits are worked around here: assigning a value drops its decor (the spaces
//! and the end-of-line comment), so the old decor is copied onto the new value; and a table
//! created by `toml_edit` has no document position, so a new block inherits the position of the
//! table printed before it (see [`insert_block`]).

use crate::{Base, EditError, Place};
use edx_matrix_config::template::Template;
use edx_matrix_config::{Source, load_toml};
use edx_matrix_model::{AppVersion, Matrix};
use toml_edit::{
    Array, ArrayOfTables, DocumentMut, InlineTable, Item, Key, Table, TableLike, Value,
};

/// Parses the base text for editing and reads its matrix (unless the caller did); refuses a
/// file with errors.
pub fn open(base: Base<'_>) -> Result<(DocumentMut, Matrix), EditError> {
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
pub fn section_mut<'d>(
    doc: &'d mut DocumentMut,
    key: &str,
) -> Result<&'d mut dyn TableLike, EditError> {
    doc.get_mut(key)
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| EditError::Unreadable(format!("no `[{key}]` table")))
}

/// Returns the `[[map]]` blocks, creating the array when the file has none.
pub fn blocks_mut(doc: &mut DocumentMut) -> Result<&mut ArrayOfTables, EditError> {
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
pub fn blocks(doc: &DocumentMut) -> Vec<&Table> {
    match doc.get("map") {
        Some(Item::ArrayOfTables(blocks)) => blocks.iter().collect(),
        _ => Vec::new(),
    }
}

/// Returns the strings of a block's `releases` or `deployments` array.
pub fn names(block: &Table, key: &str) -> Vec<String> {
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
pub fn apps(block: &Table) -> Option<&dyn TableLike> {
    block.get("apps").and_then(Item::as_table_like)
}

/// Returns a block's `apps` table for changing.
pub fn apps_mut(block: &mut Table) -> Result<&mut dyn TableLike, EditError> {
    block
        .get_mut("apps")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| EditError::Unreadable("a `[[map]]` block without `apps`".to_owned()))
}

/// An application of a block as written: raw values, templates unexpanded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawApp {
    /// `release`, the release whose defaults the entry takes.
    pub release: Option<String>,
    /// `branch`.
    pub branch: Option<String>,
    /// `origin`.
    pub origin: Option<String>,
    /// `runtime`.
    pub runtime: Option<String>,
    /// `translations`.
    pub translations: Option<Vec<String>>,
}

impl RawApp {
    /// Reads the values of one application of a block.
    pub fn read(item: &Item) -> RawApp {
        let Some(t) = item.as_table_like() else {
            return RawApp::default();
        };
        let string = |k: &str| t.get(k).and_then(Item::as_str).map(str::to_owned);
        RawApp {
            release: string("release"),
            branch: string("branch"),
            origin: string("origin"),
            runtime: string("runtime"),
            translations: t.get("translations").and_then(Item::as_array).map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            }),
        }
    }

    /// Returns the entry this application gives (`release`, `deployment`).
    pub fn render(&self, name: &str, release: &str, deployment: &str) -> AppVersion {
        let render = |raw: &String| match Template::parse(raw) {
            Ok(t) => t.render(release, deployment),
            Err(_) => raw.clone(),
        };
        AppVersion {
            application: name.into(),
            release: self.release.as_deref().unwrap_or(release).into(),
            branch: self.branch.as_ref().map(|v| render(v).into()),
            origin: self.origin.as_ref().map(|v| render(v).into()),
            runtime: self.runtime.as_ref().map(|v| render(v).into()),
            translations: self
                .translations
                .as_ref()
                .map(|ts| ts.iter().map(render).collect()),
        }
    }
}

/// Returns whether a block covers (`release`, `deployment`).
pub fn covers(block: &Table, release: &str, deployment: &str) -> bool {
    names(block, "releases").iter().any(|r| r == release)
        && names(block, "deployments").iter().any(|d| d == deployment)
}

/// Returns the index of the block that gives `app` to (`release`, `deployment`).
pub fn block_with_app(
    doc: &DocumentMut,
    release: &str,
    deployment: &str,
    app: &str,
) -> Option<usize> {
    blocks(doc).iter().position(|b| {
        covers(b, release, deployment) && apps(b).is_some_and(|a| a.contains_key(app))
    })
}

/// Replaces the string array `item` holds with `values`, keeping the decor around the array and
/// the look of its first item.
pub fn set_names(item: &mut Item, values: &[String]) {
    let (decor, first) = match item.as_array() {
        Some(a) => (Some(a.decor().clone()), a.get(0).map(|v| v.decor().clone())),
        None => (None, None),
    };
    let mut array = Array::new();
    for v in values {
        array.push(v.as_str());
    }
    if let (Some(first), Some(v)) = (first, array.get_mut(0)) {
        *v.decor_mut() = first;
    }
    let mut value = Value::Array(array);
    if let Some(decor) = decor {
        *value.decor_mut() = decor;
    }
    *item = Item::Value(value);
}

/// Appends `name` to the string array `item` holds, laid out like its last item.
pub fn push_name(item: &mut Item, name: &str) {
    let Some(array) = item.as_array_mut() else {
        return;
    };
    let decor = array.iter().last().map(|v| v.decor().clone());
    let mut value = Value::from(name);
    match decor {
        Some(d)
            if array.len() > 1
                || d.prefix()
                    .and_then(|p| p.as_str())
                    .is_some_and(|p| p.contains('\n')) =>
        {
            *value.decor_mut() = d;
            array.push_formatted(value);
        }
        _ => array.push(name),
    }
}

/// Removes item `index` of `array`, moving its leading space to the next item when it was the
/// first (so `["a", "b"]` becomes `["b"]`, not `[ "b"]`).
pub fn remove_at(array: &mut Array, index: usize) {
    if index >= array.len() {
        return;
    }
    let removed = array.remove(index);
    if index == 0 {
        if let Some(next) = array.get_mut(0) {
            let prefix = removed.decor().prefix().cloned();
            match prefix {
                Some(p) => next.decor_mut().set_prefix(p),
                None => next.decor_mut().set_prefix(""),
            }
        }
    }
    if array.is_empty() {
        array.set_trailing("");
        array.set_trailing_comma(false);
    }
}

/// Replaces the value under `key` in an inline table, keeping its decor, and keeps the column of
/// the next key when the old value was padded for alignment (`CI = "master",   QA = ...`).
pub fn replace_inline(table: &mut InlineTable, key: &str, new: Value) {
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
    let Some(old) = table.get_mut(key) else {
        table.insert(key, new);
        return;
    };
    let old_len = old.to_string().trim().len();
    let decor = old.decor().clone();
    let mut new = new;
    *new.decor_mut() = decor;
    let new_len = new.to_string().trim().len();
    *old = new;
    let next = keys
        .iter()
        .position(|k| k == key)
        .and_then(|i| keys.get(i + 1));
    if let Some(next) = next {
        if let Some(mut k) = table.key_mut(next) {
            let prefix = k
                .leaf_decor()
                .prefix()
                .and_then(|p| p.as_str())
                .map(str::to_owned);
            if let Some(prefix) = prefix {
                if prefix.len() > 1 && prefix.chars().all(|c| c == ' ') {
                    let width = (prefix.len() + old_len).saturating_sub(new_len).max(1);
                    k.leaf_decor_mut().set_prefix(" ".repeat(width));
                }
            }
        }
    }
}

fn raw(decor: Option<&toml_edit::RawString>, default: &str) -> usize {
    decor
        .and_then(|r| r.as_str())
        .map_or(default.len(), str::len)
}

/// Returns the width of the text of an inline table before its key number `n` (from `{` to the
/// end of the comma before that key), or `None` when it has fewer keys.
fn width_before(t: &InlineTable, n: usize) -> Option<usize> {
    if n >= t.len() {
        return None;
    }
    let mut width = 1;
    for (key, value) in t.iter().take(n) {
        let k = t.key(key)?;
        width += raw(k.leaf_decor().prefix(), " ")
            + k.display_repr().len()
            + raw(k.leaf_decor().suffix(), " ")
            + 1
            + value.to_string().len()
            + 1;
    }
    Some(width)
}

/// Returns the column of key number `n` of an inline table (relative to its `{`).
fn column_of(t: &InlineTable, n: usize) -> Option<(String, usize)> {
    let width = width_before(t, n)?;
    let (name, _) = t.iter().nth(n)?;
    let prefix = raw(t.key(name)?.leaf_decor().prefix(), " ");
    Some((name.to_owned(), width + prefix))
}

/// The columns of a table of one-line inline tables (`[deployments]`, `[releases]`) that are
/// aligned: same key at the same index, starting at the same column, in every row that has it.
pub struct Columns(Vec<(usize, String, usize)>);

impl Columns {
    /// Records which columns of `section` are aligned now.
    pub fn of(section: &dyn TableLike) -> Columns {
        let rows: Vec<&InlineTable> = section
            .iter()
            .filter_map(|(_, item)| item.as_inline_table())
            .collect();
        let most = rows.iter().map(|t| t.len()).max().unwrap_or(0);
        let mut aligned = Vec::new();
        for n in 1..most {
            let mut seen: Option<(String, usize)> = None;
            let mut count = 0;
            let mut agree = true;
            let mut padded = false;
            for row in &rows {
                let Some((name, column)) = column_of(row, n) else {
                    continue;
                };
                count += 1;
                padded |= row
                    .key(&name)
                    .and_then(|k| k.leaf_decor().prefix().and_then(|p| p.as_str()))
                    .is_some_and(|p| p.len() > 1);
                match &seen {
                    None => seen = Some((name, column)),
                    Some((n0, c0)) => {
                        if *n0 != name || *c0 != column {
                            agree = false;
                        }
                    }
                }
            }
            if let (true, Some((name, column))) = (agree && padded && count > 1, seen) {
                aligned.push((n, name, column));
            }
        }
        Columns(aligned)
    }

    /// Re-aligns the recorded columns of `section` after an edit: each stays where it was, or
    /// moves right to one space after the widest row when a value no longer fits.
    pub fn realign(&self, section: &mut dyn TableLike) {
        for (n, name, column) in &self.0 {
            let widths: Vec<usize> = section
                .iter()
                .filter_map(|(_, item)| item.as_inline_table())
                .filter(|t| t.iter().nth(*n).is_some_and(|(k, _)| k == name))
                .filter_map(|t| width_before(t, *n))
                .collect();
            let Some(target) = widths.iter().max().map(|w| (w + 1).max(*column)) else {
                continue;
            };
            for (_, item) in section.iter_mut() {
                let Some(t) = item.as_inline_table_mut() else {
                    continue;
                };
                if t.iter().nth(*n).is_none_or(|(k, _)| k != name) {
                    continue;
                }
                if let Some(width) = width_before(t, *n) {
                    if let Some(mut key) = t.key_mut(name) {
                        key.leaf_decor_mut()
                            .set_prefix(" ".repeat(target.saturating_sub(width).max(1)));
                    }
                }
            }
        }
    }
}

/// Returns a one-line inline table with `fields`, laid out like `like` (same keys in the same
/// order: its spacing and column padding are kept) or plainly.
pub fn row_like(like: Option<&Item>, fields: &[(&str, &str)]) -> InlineTable {
    if let Some(Item::Value(Value::InlineTable(like))) = like {
        let keys: Vec<&str> = like.iter().map(|(k, _)| k).collect();
        let wanted: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
        if keys == wanted {
            let mut row = like.clone();
            for (k, v) in fields {
                replace_inline(&mut row, k, Value::from(*v));
            }
            return row;
        }
    }
    let mut row = InlineTable::new();
    for (k, v) in fields {
        row.insert(*k, Value::from(*v));
    }
    row
}

/// Inserts `name = row` at `position` in a section table such as `[releases]`, padding the key
/// like the key of the row `like` when the section aligns its `=`, and re-aligning the columns
/// of the rows when they were aligned.
pub fn insert_row(
    table: &mut Table,
    position: usize,
    name: &str,
    row: InlineTable,
    like: Option<&str>,
) {
    let columns = Columns::of(table);
    let mut key = Key::new(name);
    key.leaf_decor_mut().set_prefix("");
    if let Some(like_key) = like.and_then(|l| table.key(l)) {
        let width = like_key.display_repr().len()
            + like_key
                .leaf_decor()
                .suffix()
                .and_then(|s| s.as_str())
                .map_or(1, str::len);
        let own = key.display_repr().len();
        key.leaf_decor_mut()
            .set_suffix(" ".repeat(width.saturating_sub(own).max(1)));
    }
    let mut value = Value::InlineTable(row);
    value.decor_mut().set_prefix(" ");
    value.decor_mut().set_suffix("");
    let after: Vec<String> = table
        .iter()
        .skip(position)
        .map(|(k, _)| k.to_owned())
        .collect();
    let moved: Vec<(Key, Item)> = after.iter().filter_map(|k| table.remove_entry(k)).collect();
    table.insert_formatted(&key, Item::Value(value));
    for (k, v) in moved {
        table.insert_formatted(&k, v);
    }
    columns.realign(table);
}

/// Replaces a value in place, keeping its decor (spaces and the end-of-line comment).
pub fn replace_value(slot: &mut Value, new: Value) {
    let decor = slot.decor().clone();
    *slot = new;
    *slot.decor_mut() = decor;
}

/// Pins `stage` of `deployment` to `release` in `[deployments]`, keeping the line's layout.
pub fn set_pin(
    doc: &mut DocumentMut,
    deployment: &str,
    stage: &str,
    release: &str,
) -> Result<(), EditError> {
    let section = section_mut(doc, "deployments")?;
    let columns = Columns::of(section);
    let missing =
        || EditError::Unreadable(format!("no deployment `{deployment}` in `[deployments]`"));
    match section.get_mut(deployment).ok_or_else(missing)? {
        Item::Value(Value::InlineTable(t)) => {
            // A stage with values: `QA = { release = "ulmo", vars = { … } }`.
            if let Some(Value::InlineTable(pin)) = t.get_mut(stage) {
                replace_inline(pin, "release", Value::from(release));
            } else if t.contains_key(stage) {
                replace_inline(t, stage, Value::from(release));
            } else {
                t.insert(stage, Value::from(release));
            }
        }
        Item::Table(t) => match t.get_mut(stage) {
            Some(Item::Value(Value::InlineTable(pin))) => {
                replace_inline(pin, "release", Value::from(release));
            }
            Some(Item::Value(v)) => replace_value(v, Value::from(release)),
            _ => {
                t.insert(stage, toml_edit::value(release));
            }
        },
        _ => {
            return Err(EditError::Unreadable(format!(
                "deployment `{deployment}` is not a table"
            )));
        }
    }
    columns.realign(section);
    Ok(())
}

/// Sets the pin of `stage` of `deployment` in the model.
pub fn set_pin_in_model(matrix: &mut Matrix, deployment: &str, stage: &str, release: &str) {
    if let Some(d) = matrix.deployments.iter_mut().find(|d| d.name == deployment) {
        match d.stages.iter_mut().find(|p| p.stage == stage) {
            Some(pin) => pin.release = release.into(),
            None => d.stages.push(edx_matrix_model::StagePin {
                stage: stage.into(),
                release: release.into(),
                vars: Default::default(),
            }),
        }
    }
}

/// Checks that `name` is a defined deployment.
pub fn deployment<'m>(
    matrix: &'m Matrix,
    name: &str,
) -> Result<&'m edx_matrix_model::Deployment, EditError> {
    matrix.deployment(name).ok_or_else(|| {
        EditError::unknown(
            "deployment",
            name,
            matrix.deployments.iter().map(|d| d.name.as_str()),
        )
    })
}

/// Checks that `name` is a defined release.
pub fn release<'m>(
    matrix: &'m Matrix,
    name: &str,
) -> Result<&'m edx_matrix_model::Release, EditError> {
    matrix.release(name).ok_or_else(|| {
        EditError::unknown(
            "release",
            name,
            matrix.releases.iter().map(|r| r.name.as_str()),
        )
    })
}

/// Checks that `name` is in the stage order.
pub fn stage(matrix: &Matrix, name: &str) -> Result<(), EditError> {
    if matrix.stages.iter().any(|s| s == name) {
        Ok(())
    } else {
        Err(EditError::unknown(
            "stage",
            name,
            matrix.stages.iter().map(|s| s.as_str()),
        ))
    }
}

/// Checks that `name` is an application of the catalogue.
pub fn application<'m>(
    matrix: &'m Matrix,
    name: &str,
) -> Result<&'m edx_matrix_model::Application, EditError> {
    matrix.application(name).ok_or_else(|| {
        EditError::unknown(
            "application",
            name,
            matrix.applications.iter().map(|a| a.name.as_str()),
        )
    })
}

/// Gives `table` and every table beneath it no document position, so that it prints right after
/// the table before it in the document (see the module docs).
pub fn clear_positions(table: &mut Table) {
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
pub fn insert_block(blocks: &mut ArrayOfTables, index: usize, mut block: Table) {
    clear_positions(&mut block);
    let index = index.min(blocks.len());
    blocks.insert(index, block);
}

/// Returns a new block for `releases` x `deployments` with an empty `[map.apps]`, laid out like
/// `like` (the spacing of its keys), with one blank line before it.
pub fn new_block(like: Option<&Table>, releases: &[String], deployments: &[String]) -> Table {
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

/// Returns the 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |t| t.bytes().filter(|b| *b == b'\n').count() + 1)
}

/// Reads `text` with spans, to name the lines of things in messages.
pub struct Lines<'t> {
    text: &'t str,
    doc: Option<toml_edit::Document<&'t str>>,
}

impl<'t> Lines<'t> {
    /// Parses `text` (a text that does not parse names no lines).
    pub fn new(text: &'t str) -> Self {
        Lines {
            text,
            doc: toml_edit::Document::parse(text).ok(),
        }
    }

    fn line(&self, span: Option<std::ops::Range<usize>>) -> usize {
        span.map_or(1, |s| line_of(self.text, s.start))
    }

    /// Returns the place of the release stage `stage` of `deployment` is pinned to.
    pub fn stage(&self, deployment: &str, stage: &str) -> Place {
        let span = self.doc.as_ref().and_then(|doc| {
            doc.get("deployments")?
                .as_table_like()?
                .get(deployment)?
                .as_table_like()?
                .get(stage)?
                .span()
        });
        Place {
            line: self.line(span),
            what: format!("stage `{stage}` of `{deployment}`"),
        }
    }

    /// Returns the place of the `[[map]]` block `index`.
    pub fn block(&self, index: usize, what: String) -> Place {
        let span = self.doc.as_ref().and_then(|doc| match doc.get("map")? {
            Item::ArrayOfTables(a) => {
                let t = a.get(index)?;
                t.get("releases").and_then(Item::span).or_else(|| t.span())
            }
            _ => None,
        });
        Place {
            line: self.line(span),
            what,
        }
    }

    /// Returns the place of application `app` in block `index`.
    pub fn block_app(&self, index: usize, app: &str, what: String) -> Place {
        let span = self.doc.as_ref().and_then(|doc| match doc.get("map")? {
            Item::ArrayOfTables(a) => {
                let apps = a.get(index)?.get("apps")?.as_table_like()?;
                apps.key(app)?.span()
            }
            _ => None,
        });
        Place {
            line: self.line(span),
            what,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

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
