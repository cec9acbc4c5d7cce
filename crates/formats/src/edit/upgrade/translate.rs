//! Translating the old release's values to the new one: templates re-rendered, literal names
//! of the old release (whole words) renamed, in one application or a copied block.

use crate::edit::document;
use crate::edit::document::RawApp;
use crate::template::Template;
use toml_edit::{Item, Table, Value};

/// Returns `app` with the literal occurrences of `from` renamed to `to`.
pub(super) fn translate(app: &RawApp, from: &str, to: &str) -> RawApp {
    let rename = |raw: &String| match Template::parse(raw) {
        Ok(t) => t.rename_literal(from, to).unwrap_or_else(|| raw.clone()),
        Err(_) => raw.clone(),
    };
    RawApp {
        release: app
            .release
            .as_ref()
            .map(|r| if r == from { to.to_owned() } else { r.clone() }),
        branch: app.branch.as_ref().map(rename),
        origin: app.origin.as_ref().map(rename),
        runtime: app.runtime.as_ref().map(rename),
        translations: app
            .translations
            .as_ref()
            .map(|ts| ts.iter().map(rename).collect()),
        extra: app.extra.clone(),
    }
}

/// Returns a copy of `source` for `[to] x covered`, with literal `from` renamed in its values.
pub(super) fn translated_copy(source: &Table, from: &str, to: &str, covered: &[String]) -> Table {
    let mut block = document::new_block(Some(source), &[to.to_owned()], covered);
    if let Some(Item::Table(apps)) = block.get_mut("apps") {
        if let Some(source_apps) = source.get("apps").and_then(Item::as_table) {
            *apps = source_apps.clone();
            apps.decor_mut().set_prefix("");
        }
        for (_, item) in apps.iter_mut() {
            rename_in_app(item, from, to);
        }
    }
    block
}

/// Renames literal `from` to `to` in every value of one application, in place.
pub(super) fn rename_in_app(item: &mut Item, from: &str, to: &str) {
    let rename = |v: &Value| -> Option<Value> {
        let raw = v.as_str()?;
        let t = Template::parse(raw).ok()?;
        t.rename_literal(from, to).map(Value::from)
    };
    match item {
        Item::Value(Value::InlineTable(t)) => {
            let keys: Vec<String> = t.iter().map(|(k, _)| k.to_owned()).collect();
            for key in keys {
                let new = match t.get_mut(&key) {
                    Some(Value::Array(a)) => {
                        for v in a.iter_mut() {
                            if let Some(new) = rename(v) {
                                document::replace_value(v, new);
                            }
                        }
                        None
                    }
                    Some(v) if key == "release" => {
                        (v.as_str() == Some(from)).then(|| Value::from(to))
                    }
                    Some(v) => rename(v),
                    None => None,
                };
                if let Some(new) = new {
                    document::replace_inline(t, &key, new);
                }
            }
        }
        Item::Table(t) => {
            for (key, item) in t.iter_mut() {
                match item {
                    Item::Value(Value::Array(a)) => {
                        for v in a.iter_mut() {
                            if let Some(new) = rename(v) {
                                document::replace_value(v, new);
                            }
                        }
                    }
                    Item::Value(v) => {
                        let new = if key.get() == "release" {
                            (v.as_str() == Some(from)).then(|| Value::from(to))
                        } else {
                            rename(v)
                        };
                        if let Some(new) = new {
                            document::replace_value(v, new);
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}
