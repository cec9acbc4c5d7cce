//! Reading a configuration (YAML, or JSON: JSON is YAML too) into a JSON value plus the line
//! and column of every node, so a problem found in the value can be shown where it is written.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::Spanned;
use std::collections::HashMap;
use std::fmt;

/// A configuration read from text: its value and where each of its nodes is.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The configuration.
    pub value: Value,
    /// The 1-based line and column of each node, by path (`$.jobs[0].plan`): for a mapping's
    /// entry, its key.
    places: HashMap<String, (usize, usize)>,
}

impl Document {
    /// Returns the line and column of the node at `path`, else of its nearest ancestor that
    /// has one (a missing key is reported where its mapping is).
    pub fn place(&self, path: &str) -> Option<(usize, usize)> {
        let mut path = path;
        loop {
            if let Some(place) = self.places.get(path) {
                return Some(*place);
            }
            path = parent(path)?;
        }
    }
}

/// The path one segment up: `$.a[0].b` → `$.a[0]` → `$.a` → `$`; `None` above `$`.
fn parent(path: &str) -> Option<&str> {
    if path == "$" {
        return None;
    }
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut.max(1)])
}

/// The path of a mapping's entry, as the validator writes it.
pub(crate) fn key_path(parent: &str, key: &str) -> String {
    format!("{parent}.{key}")
}

/// The path of a sequence's item.
pub(crate) fn index_path(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// Reads `text` (one YAML document) with the limits of [`serde_saphyr::Budget::default`].
pub fn read(text: &str) -> Result<Document, serde_saphyr::Error> {
    let root: Spanned<Node> = serde_saphyr::from_str(text)?;
    let mut document = Document::default();
    document.value = flatten(root, "$".to_owned(), None, &mut document.places);
    Ok(document)
}

/// Turns the tree into a JSON value, recording each node's place under its path.
fn flatten(
    node: Spanned<Node>,
    path: String,
    at: Option<(usize, usize)>,
    places: &mut HashMap<String, (usize, usize)>,
) -> Value {
    let here = at.unwrap_or_else(|| place_of(&node));
    let value = match node.value {
        Node::Scalar(value) => value,
        Node::Seq(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| flatten(item, index_path(&path, i), None, places))
                .collect(),
        ),
        Node::Map(entries) => {
            let mut map = Map::new();
            for (key, item) in entries {
                let at = place_of(&key);
                let item = flatten(item, key_path(&path, &key.value.0), Some(at), places);
                map.insert(key.value.0, item);
            }
            Value::Object(map)
        }
    };
    if here != (0, 0) {
        places.insert(path, here);
    }
    value
}

fn place_of<T>(spanned: &Spanned<T>) -> (usize, usize) {
    let at = &spanned.referenced;
    let line = usize::try_from(at.line()).unwrap_or(usize::MAX);
    let column = usize::try_from(at.column()).unwrap_or(usize::MAX);
    (line, column)
}

/// A node of the YAML tree, its children with their positions.
enum Node {
    Scalar(Value),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Key>, Spanned<Node>)>),
}

/// A mapping key: any scalar, as text (Concourse's keys are strings).
struct Key(String);

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Number(v.into())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Number(v.into())))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        big(&v.to_string())
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        big(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Number::from_f64(v)
            .map(|n| Node::Scalar(Value::Number(n)))
            .ok_or_else(|| {
                E::custom(format!(
                    "`{v}` is not a number JSON (and Concourse) can hold"
                ))
            })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Scalar(Value::String(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Scalar(Value::String(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

/// An integer beyond 64 bits, kept exactly (the schema then says what is wrong with it).
fn big<E: de::Error>(text: &str) -> Result<Node, E> {
    serde_json::from_str::<Number>(text)
        .map(|n| Node::Scalar(Value::Number(n)))
        .map_err(E::custom)
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Node::deserialize(d)? {
            Node::Scalar(Value::String(s)) => Ok(Key(s)),
            Node::Scalar(Value::Null) => Ok(Key("null".to_owned())),
            Node::Scalar(other) => Ok(Key(other.to_string())),
            Node::Seq(_) | Node::Map(_) => Err(de::Error::custom("a mapping key must be a scalar")),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn values_and_places() {
        let text = "jobs:\n- name: a\n  max_in_flight: 1\n  plan:\n  - get: x\n    params: {depth: \"1\"}\n";
        let doc = read(text).unwrap();
        assert_eq!(
            doc.value,
            json!({"jobs": [{"name": "a", "max_in_flight": 1,
                "plan": [{"get": "x", "params": {"depth": "1"}}]}]})
        );
        assert_eq!(doc.place("$.jobs"), Some((1, 1)));
        assert_eq!(doc.place("$.jobs[0].max_in_flight"), Some((3, 3)));
        assert_eq!(doc.place("$.jobs[0].plan[0].params.depth"), Some((6, 14)));
        // A path below a scalar (or a missing key) falls back to the nearest node.
        assert_eq!(doc.place("$.jobs[0].plan[0].get.nothing"), Some((5, 5)));
    }

    #[test]
    fn serde_json_private_number_maps_stay_maps() {
        let text = "max_in_flight:\n  \"$serde_json::private::Number\": \"1\"\n";
        let doc = read(text).unwrap();
        assert!(doc.value["max_in_flight"].is_object(), "{:?}", doc.value);
    }

    /// A value the reader has no node for (bytes, which YAML text never gives) is refused with
    /// what was expected, so an error names it in words.
    #[test]
    fn a_value_that_is_no_yaml_node_says_a_yaml_value_was_expected() {
        use serde::de::value::{BytesDeserializer, Error};
        let error = Node::deserialize(BytesDeserializer::<Error>::new(b"x"))
            .err()
            .unwrap();
        assert_eq!(
            error.to_string(),
            "invalid type: byte array, expected a YAML value"
        );
    }

    #[test]
    fn parents() {
        assert_eq!(parent("$.a[0].b"), Some("$.a[0]"));
        assert_eq!(parent("$.a[0]"), Some("$.a"));
        assert_eq!(parent("$.a"), Some("$"));
        assert_eq!(parent("$"), None);
    }
}
