//! Editing arrays of names (`releases = [...]`, `deployments = [...]`) while keeping their
//! spacing and comments.

use toml_edit::{Array, Item, Value};

/// Replaces the string array `item` holds with `values`, keeping the decor around the array and
/// the look of its first item.
pub(crate) fn set_names(item: &mut Item, values: &[String]) {
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
pub(crate) fn push_name(item: &mut Item, name: &str) {
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
pub(crate) fn remove_at(array: &mut Array, index: usize) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use toml_edit::DocumentMut;

    fn pushed(array: &str) -> String {
        let mut doc: DocumentMut = format!("a = {array}\n").parse().expect("TOML");
        push_name(&mut doc["a"], "z");
        doc.to_string()
    }

    #[test]
    fn a_pushed_name_is_spaced_like_the_last_one() {
        // Two items on one line: the spacing between them; one item on its own line: its line.
        assert_eq!(pushed(r#"["x",  "y"]"#), "a = [\"x\",  \"y\",  \"z\"]\n");
        assert_eq!(pushed("[\n  \"x\",\n]"), "a = [\n  \"x\",\n  \"z\",\n]\n");
        // One item on the line of the bracket: plainly.
        assert_eq!(pushed(r#"[ "x"]"#), "a = [ \"x\", \"z\"]\n");
    }
}
