//! [`Columns`]: the column alignment of a section's rows, and new rows written like their
//! neighbours.

use super::inline::{column_of, replace_inline, width_before};
use toml_edit::{InlineTable, Item, Key, Table, TableLike, Value};

/// The columns of a table of one-line inline tables (`[deployments]`, `[releases]`) that are
/// aligned: same key at the same index, starting at the same column, in every row that has it.
pub(crate) struct Columns(Vec<(usize, String, usize)>);

impl Columns {
    /// Records which columns of `section` are aligned now.
    pub(crate) fn of(section: &dyn TableLike) -> Columns {
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
    pub(crate) fn realign(&self, section: &mut dyn TableLike) {
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

/// Inserts `name = { fields }` at `position` in a section table such as `[releases]`, written
/// like the row before it (the first row when it goes first): same layout when it has the same
/// keys.
pub(crate) fn insert_row(table: &mut Table, position: usize, name: &str, fields: &[(&str, &str)]) {
    let like = position
        .checked_sub(1)
        .or((!table.is_empty()).then_some(0))
        .and_then(|i| table.iter().nth(i))
        .map(|(_, item)| item.clone());
    let row = row_like(like.as_ref(), fields);
    insert_inline_row(table, position, name, row);
}

/// Returns a one-line inline table with `fields`, laid out like `like` (same keys in the same
/// order: its spacing and column padding are kept) or plainly.
fn row_like(like: Option<&Item>, fields: &[(&str, &str)]) -> InlineTable {
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

/// Inserts `name = row` at `position`, re-aligning the columns of the rows when they were
/// aligned.
fn insert_inline_row(table: &mut Table, position: usize, name: &str, row: InlineTable) {
    let columns = Columns::of(table);
    // `key = `: the edit's `touched` step aligns the section's `=` afterwards (padding the key
    // like its neighbour here as well was redundant: disabling it changed no test's output).
    let mut key = Key::new(name);
    key.leaf_decor_mut().set_prefix("");
    key.leaf_decor_mut().set_suffix(" ");
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

#[cfg(test)]
mod tests {
    use super::*;
    use toml_edit::DocumentMut;

    /// The aligned columns `Columns::of` records for a `[deployments]` section of `rows`.
    fn columns(rows: &str) -> Vec<(usize, String, usize)> {
        let doc: DocumentMut = format!("[deployments]\n{rows}").parse().expect("TOML");
        let section = doc["deployments"].as_table().expect("a table");
        Columns::of(section).0
    }

    #[test]
    fn a_column_is_the_same_key_padded_to_the_same_place_in_two_rows_or_more() {
        let aligned = "a = { CI = \"master\", QA = \"x\" }\nb = { CI = \"ulmo\",   QA = \"y\" }\n";
        let column = aligned.find("QA").expect("QA") - "a = ".len();
        assert_eq!(columns(aligned), vec![(1, "QA".to_owned(), column)]);
        // The same key at two places, even padded, is no column.
        assert_eq!(
            columns("a = { CI = \"master\",   QA = \"x\" }\nb = { CI = \"ulmo\", QA = \"y\" }\n"),
            vec![]
        );
        // Nor is a padded key that only one row has.
        assert_eq!(
            columns(
                "a = { CI = \"master\", QA = \"x\",   Production = \"z\" }\nb = { CI = \"ulmo\", QA = \"y\" }\n"
            ),
            vec![]
        );
    }
}
