//! The spanned tree the matrix is read from: tables in the order `toml_edit` gives them, every
//! key and value with its span, strings borrowed from the text where they have no escapes.
//!
//! It is built straight from `toml_parser`'s events ([`build`]), which costs about a third of
//! `toml_edit`'s document (issue 23: the parse was the largest part of `resolve` and of a large
//! `check`). The builder accepts only what it is sure `toml_edit` accepts the same way; anything
//! else (a syntax error, a duplicate key, a table defined twice, a dotted key into another
//! table, a datetime) makes it give up, and the text is parsed by `toml_edit` and turned into
//! this tree ([`from_edit`]): so every `toml-syntax` diagnostic is `toml_edit`'s, word for word.

pub(crate) mod build;
pub(crate) mod from_edit;
pub(crate) mod reads;

use std::borrow::Cow;
use std::ops::Range;

type Span = Range<usize>;

/// A value and where it was written (`None` only for what `toml_edit` gives no span).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node<'a> {
    /// The value's span.
    pub(crate) span: Option<Span>,
    /// The value.
    pub(crate) value: Value<'a>,
}

/// A TOML value, with `toml_edit`'s distinction between tables written inline and not.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value<'a> {
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// An integer.
    Integer(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Boolean(bool),
    /// A date-time (only its type matters to the matrix readers).
    Datetime,
    /// An inline array.
    Array(Vec<Node<'a>>),
    /// An inline table `{ … }`.
    InlineTable(Table<'a>),
    /// A table written with a header, or implied by a header or a dotted key.
    Table(Table<'a>),
    /// `[[key]]` tables; each node holds a [`Value::Table`].
    ArrayOfTables(Vec<Node<'a>>),
}

/// How a table came to be: what the builder needs to tell a legal reopening from a second
/// definition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The root, a `[header]` table, or one converted from `toml_edit`.
    #[default]
    Defined,
    /// Implied by a header's path (`[a.b]` implies `a`).
    Implicit,
    /// Implied by a dotted key (`a.b = 1` implies `a`).
    Dotted,
}

/// One key of a table.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry<'a> {
    /// The key, unescaped.
    pub(crate) key: Cow<'a, str>,
    /// The key's span.
    pub(crate) key_span: Option<Span>,
    /// Its value.
    pub(crate) node: Node<'a>,
}

/// A table's entries in order, with a hashed index once it has more than a few.
#[derive(Clone, Default)]
pub(crate) struct Table<'a> {
    entries: Vec<Entry<'a>>,
    /// Key hash to entry, built from [`INDEX_FROM`] entries on (a `[map.apps]` table has
    /// hundreds of keys, each checked for a duplicate). Boxed: most tables have none, and a
    /// smaller node is moved with fewer bytes copied.
    index: Option<Box<foldhash::HashMap<u64, u32>>>,
    pub(crate) kind: Kind,
}

/// The entries only: two tables read alike whatever their index and how they came to be.
impl std::fmt::Debug for Table<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.entries).finish()
    }
}

impl PartialEq for Table<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

/// Tables from this many entries are indexed; below, a scan is cheaper than hashing (a
/// `[map.apps]` table of 13 applications: 28K instructions of hashing and an allocation per
/// block with 12; the scans' extra comparisons are a few hundred).
const INDEX_FROM: usize = 16;

/// Key equality for the scans of small tables: the lengths, then the bytes from the end (keys
/// of one table often share a prefix: `app1`, `app2`), inline instead of a `memcmp` call a key.
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().rev().zip(b.bytes().rev()).all(|(x, y)| x == y)
}

fn hash(key: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x5eed).hash_one(key)
}

impl<'a> Table<'a> {
    pub(crate) fn with_kind(kind: Kind) -> Self {
        Self {
            kind,
            ..Self::default()
        }
    }

    /// The entries, in order.
    pub(crate) fn entries(&self) -> &[Entry<'a>] {
        &self.entries
    }

    /// The keys and their values, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Node<'a>)> {
        self.entries.iter().map(|e| (e.key.as_ref(), &e.node))
    }

    /// The number of keys.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index
                .get(&hash(key))
                .map(|&i| i as usize)
                .filter(|&i| self.entries[i].key == key),
            None => self.entries.iter().position(|e| same_key(&e.key, key)),
        }
    }

    /// The entry of `key`.
    pub(crate) fn entry(&self, key: &str) -> Option<&Entry<'a>> {
        self.position(key).map(|i| &self.entries[i])
    }

    pub(crate) fn entry_mut(&mut self, key: &str) -> Option<&mut Entry<'a>> {
        self.position(key).map(move |i| &mut self.entries[i])
    }

    /// The value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.entry(key).map(|e| &e.node)
    }

    /// Whether `key` is set.
    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// The span of `key`.
    pub(crate) fn key_span(&self, key: &str) -> Option<Span> {
        self.entry(key).and_then(|e| e.key_span.clone())
    }

    /// Adds an entry; `false` (and nothing added) when the key is already set, or when its
    /// hash collides with another key's (the builder then leaves the text to `toml_edit`).
    #[must_use]
    pub(crate) fn insert(&mut self, entry: Entry<'a>) -> bool {
        if self.index.is_none() && self.entries.len() >= INDEX_FROM {
            let mut index = foldhash::HashMap::default();
            for (i, e) in self.entries.iter().enumerate() {
                if index.insert(hash(&e.key), i as u32).is_some() {
                    return false;
                }
            }
            self.index = Some(Box::new(index));
        }
        match &mut self.index {
            Some(index) => {
                let slot = index.entry(hash(&entry.key));
                if matches!(slot, std::collections::hash_map::Entry::Occupied(_)) {
                    return false;
                }
                slot.or_insert(self.entries.len() as u32);
            }
            None => {
                if self.entries.iter().any(|e| same_key(&e.key, &entry.key)) {
                    return false;
                }
            }
        }
        self.entries.push(entry);
        true
    }

    /// Adds an entry without checking for a duplicate (from `toml_edit`, which checked); call
    /// [`Table::index_unchecked`] after the last.
    pub(crate) fn push_unchecked(&mut self, entry: Entry<'a>) {
        self.entries.push(entry);
    }

    /// Indexes a table filled by [`Table::push_unchecked`] (left unindexed, so scanned, when
    /// two keys' hashes collide).
    pub(crate) fn index_unchecked(&mut self) {
        self.index = None;
        if self.entries.len() < INDEX_FROM {
            return;
        }
        let mut index = foldhash::HashMap::default();
        for (i, e) in self.entries.iter().enumerate() {
            if index.insert(hash(&e.key), i as u32).is_some() {
                return;
            }
        }
        self.index = Some(Box::new(index));
    }
}

impl<'a> Node<'a> {
    /// The span, or `fallback` when there is none.
    pub(crate) fn span_or(&self, fallback: &Span) -> Span {
        self.span.clone().unwrap_or_else(|| fallback.clone())
    }

    /// The string, if the value is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if the value is one.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Boolean(b) => Some(b),
            _ => None,
        }
    }

    /// The table, written inline or not.
    pub(crate) fn as_table_like(&self) -> Option<&Table<'a>> {
        match &self.value {
            Value::Table(t) | Value::InlineTable(t) => Some(t),
            _ => None,
        }
    }

    /// The items of an inline array.
    pub(crate) fn as_array(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The type's name in a message: `toml_edit`'s words (`inline table`, `array of tables`).
    pub(crate) fn type_name(&self) -> &'static str {
        match self.value {
            Value::String(_) => "string",
            Value::Integer(_) => "integer",
            Value::Float(_) => "float",
            Value::Boolean(_) => "boolean",
            Value::Datetime => "datetime",
            Value::Array(_) => "array",
            Value::InlineTable(_) => "inline table",
            Value::Table(_) => "table",
            Value::ArrayOfTables(_) => "array of tables",
        }
    }
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
