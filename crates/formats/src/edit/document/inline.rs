//! Replacing values in inline tables and elsewhere without losing their decor (spaces and
//! end-of-line comments).

use toml_edit::{InlineTable, Value};

/// Replaces the value under `key` in an inline table, keeping its decor, and keeps the column of
/// the next key when the old value was padded for alignment (`CI = "master",   QA = ...`).
pub(crate) fn replace_inline(table: &mut InlineTable, key: &str, new: Value) {
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

pub(super) fn raw(decor: Option<&toml_edit::RawString>, default: &str) -> usize {
    decor
        .and_then(|r| r.as_str())
        .map_or(default.len(), str::len)
}

/// Returns the width of the text of an inline table before its key number `n` (from `{` to the
/// end of the comma before that key), or `None` when it has fewer keys.
pub(super) fn width_before(t: &InlineTable, n: usize) -> Option<usize> {
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
pub(super) fn column_of(t: &InlineTable, n: usize) -> Option<(String, usize)> {
    let width = width_before(t, n)?;
    let (name, _) = t.iter().nth(n)?;
    let prefix = raw(t.key(name)?.leaf_decor().prefix(), " ");
    Some((name.to_owned(), width + prefix))
}

/// Replaces a value in place, keeping its decor (spaces and the end-of-line comment).
pub(crate) fn replace_value(slot: &mut Value, new: Value) {
    let decor = slot.decor().clone();
    *slot = new;
    *slot.decor_mut() = decor;
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml_edit::DocumentMut;

    fn row(text: &str) -> InlineTable {
        let doc: DocumentMut = format!("a = {text}\n").parse().expect("TOML");
        doc["a"].as_inline_table().expect("inline").clone()
    }

    #[test]
    fn the_width_before_a_key_is_the_text_from_the_brace_to_its_comma() {
        let text = r#"{ CI = "master",   QA = "verawood", Production = "ulmo" }"#;
        let t = row(text);
        // Counted on the text itself: `{ CI = "master",` and `{ CI = "master",   QA = "verawood",`.
        assert_eq!(width_before(&t, 0), Some(1));
        assert_eq!(
            width_before(&t, 1),
            Some(text.find(',').expect("a comma") + 1)
        );
        assert_eq!(
            width_before(&t, 2),
            Some(text.rfind(',').expect("a comma") + 1)
        );
        assert_eq!(width_before(&t, 3), None);
        // A key's column is where its name starts.
        assert_eq!(
            column_of(&t, 1),
            Some(("QA".to_owned(), text.find("QA").expect("QA")))
        );
        assert_eq!(
            column_of(&t, 2),
            Some((
                "Production".to_owned(),
                text.find("Production").expect("it")
            ))
        );
        assert_eq!(column_of(&t, 3), None);
    }
}
