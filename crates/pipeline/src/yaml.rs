//! YAML in and out of pipeline configurations without serde_json's private number form.
//!
//! A dependency (starlark) turns on serde_json's `arbitrary_precision`, under which a
//! `serde_json::Number` serializes as a map `{"$serde_json::private::Number": "1"}` to every
//! serializer but serde_json's own, and deserializes such a map back into a number. Written
//! straight through the YAML serializer, `max_in_flight: 1` became that map, and reading it
//! back through `serde_json::Value` hid the damage. So YAML is written from plain numbers
//! (`write`) and read into a tree of our own that keeps every node's position (`read`).

pub(crate) mod read;
pub(crate) mod write;

pub use read::read;
pub(crate) use write::{to_string, value_to_string};
