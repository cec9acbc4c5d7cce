//! The tree from a `toml_edit` document: the path for any text the builder leaves to
//! `toml_edit`, for the edits (which hold `toml_edit` items), and the oracle the builder is
//! tested against.

use super::{Entry, Node, Table, Value};
use std::borrow::Cow;
use toml_edit::{Item, TableLike};

/// The tree of a table (of a document, a header or inline).
pub(crate) fn table(t: &dyn TableLike) -> Table<'static> {
    let mut out = Table::default();
    for (key, item) in t.iter() {
        let Some(node) = item_node(item) else {
            continue;
        };
        out.push_unchecked(Entry {
            key: Cow::Owned(key.to_owned()),
            key_span: t.key(key).and_then(|k| k.span()),
            node,
        });
    }
    out.index_unchecked();
    out
}

/// The node of an item (`None` for `Item::None`, which a parsed document does not hold).
pub(crate) fn item_node(item: &Item) -> Option<Node<'static>> {
    Some(match item {
        Item::None => return None,
        Item::Value(v) => value_node(v),
        Item::Table(t) => Node {
            span: t.span(),
            value: Value::Table(table(t)),
        },
        Item::ArrayOfTables(tables) => Node {
            span: tables.span(),
            value: Value::ArrayOfTables(
                tables
                    .iter()
                    .map(|t| Node {
                        span: t.span(),
                        value: Value::Table(table(t)),
                    })
                    .collect(),
            ),
        },
    })
}

fn value_node(v: &toml_edit::Value) -> Node<'static> {
    use toml_edit::Value as V;
    let value = match v {
        V::String(s) => Value::String(Cow::Owned(s.value().clone())),
        V::Integer(i) => Value::Integer(*i.value()),
        V::Float(f) => Value::Float(*f.value()),
        V::Boolean(b) => Value::Boolean(*b.value()),
        V::Datetime(_) => Value::Datetime,
        V::Array(items) => Value::Array(items.iter().map(value_node).collect()),
        V::InlineTable(t) => Value::InlineTable(table(t)),
    };
    Node {
        span: v.span(),
        value,
    }
}
