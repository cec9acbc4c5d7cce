//! Reading the `[lints]` table (its levels are applied by [`crate::lints`]).

use super::Reader;
use crate::spanned::key_span;

pub(super) fn read_lints(reader: &mut Reader, root: &toml_edit::Table) {
    let Some(item) = root.get("lints") else {
        return;
    };
    let fallback = reader.toml.fallback();
    let Some(table) = reader.toml.table(item, "`lints`", &fallback) else {
        return;
    };
    for (code, value) in table.iter() {
        let key_span = key_span(table, code, &fallback);
        if let Some((level, span)) =
            reader
                .toml
                .string(value, &format!("the level of lint `{code}`"), &key_span)
        {
            reader
                .map
                .lints
                .push((code.to_owned(), level, key_span, span));
        }
    }
}
