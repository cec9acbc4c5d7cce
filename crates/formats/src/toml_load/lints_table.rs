//! Reading the `[lints]` table (its levels are applied by [`crate::lints`]).

use super::Reader;
use super::tree::Table;

pub(super) fn read_lints(reader: &mut Reader, root: &Table<'_>) {
    let Some(item) = root.get("lints") else {
        return;
    };
    let fallback = reader.toml.fallback();
    let Some(table) = reader.toml.node_table(item, "`lints`", &fallback) else {
        return;
    };
    for entry in table.entries() {
        let (code, value) = (entry.key.as_ref(), &entry.node);
        let key_span = entry.key_span.clone().unwrap_or_else(|| fallback.clone());
        if let Some((level, span)) =
            reader
                .toml
                .node_string(value, &format!("the level of lint `{code}`"), &key_span)
        {
            reader
                .map
                .lints
                .push((code.to_owned(), level, key_span, span));
        }
    }
}
