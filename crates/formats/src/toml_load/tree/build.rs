//! The tree from `toml_parser`'s events, for the TOML the matrix is written in.
//!
//! Tables are placed as `toml_edit` places them (a header's table joins its parent when the
//! next header starts, so the order of keys is the same). What is refused, returning `None` so
//! that `toml_edit` parses the text and reports any error in its own words:
//! - any error of the lexer, the parser, the whitespace check or the nesting limit;
//! - any key set twice, and a header naming a table that exists in any form (even the legal
//!   reopening of a table only implied by an earlier header's path);
//! - a header's path through a value, an inline table or a dotted-key table, and a dotted key
//!   through anything but a table of the same dotted keys;
//! - a dotted key inside an inline table, a date-time, an integer or float out of range.

use super::{Entry, Kind, Node, Table, Value};
use std::borrow::Cow;
use std::ops::Range;
use toml_parser::Source;
use toml_parser::decoder::Encoding;
use toml_parser::parser::{Event, EventKind, RecursionGuard, ValidateWhitespace};

/// `toml_edit`'s nesting limit: deeper text is its error to report.
const LIMIT: u32 = 80;

/// A key and its span.
type Key<'a> = (Cow<'a, str>, Range<usize>);

/// The keys before the last of a dotted key or a header.
type Path<'a> = Vec<Key<'a>>;

/// A header: the path to its table's parent, its own key, its span, `[[…]]` or not.
struct Header<'a> {
    path: Path<'a>,
    key: Key<'a>,
    span: Range<usize>,
    is_array: bool,
}

/// Parses `text`, placed at `offset` in the file (a `[[map]]` block read on its own gets the
/// file's spans); `None` for anything the builder leaves to `toml_edit`.
pub(crate) fn parse(text: &str, offset: usize) -> Option<Table<'_>> {
    let mut root = Table::default();
    piece(text, offset, &mut root)?;
    Some(root)
}

/// Parses the `pieces` of `text` into one tree, as if the text between them were blank lines
/// (what is left of a file once its `[[map]]` blocks are cut out: each piece ends where a
/// header starts).
pub(crate) fn parse_pieces<'a>(text: &'a str, pieces: &[Range<usize>]) -> Option<Table<'a>> {
    let mut root = Table::default();
    for range in pieces {
        piece(text.get(range.clone())?, range.start, &mut root)?;
    }
    Some(root)
}

fn piece<'a>(text: &'a str, offset: usize, root: &mut Table<'a>) -> Option<()> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut events = Vec::with_capacity(tokens.len());
    let mut failed = false;
    {
        let mut sink = |_: toml_parser::ParseError| failed = true;
        let mut receiver = ValidateWhitespace::new(&mut events, source);
        let mut receiver = RecursionGuard::new(&mut receiver, LIMIT);
        toml_parser::parser::parse_document(&tokens, &mut receiver, &mut sink);
    }
    if failed {
        return None;
    }
    drop(tokens);
    Builder {
        source,
        events: &events,
        pos: 0,
        offset,
    }
    .document(root)
}

struct Builder<'a, 'e> {
    source: Source<'a>,
    events: &'e [Event],
    pos: usize,
    offset: usize,
}

impl<'a, 'e> Builder<'a, 'e> {
    fn next(&mut self) -> Option<&'e Event> {
        let event = self.events.get(self.pos)?;
        self.pos += 1;
        Some(event)
    }

    /// Skips whitespace, and comments and newlines too when `lines`.
    fn skip(&mut self, lines: bool) {
        while let Some(event) = self.events.get(self.pos) {
            match event.kind() {
                EventKind::Whitespace => {}
                EventKind::Comment | EventKind::Newline if lines => {}
                _ => break,
            }
            self.pos += 1;
        }
    }

    fn span(&self, event: &Event) -> Range<usize> {
        event.span().start() + self.offset..event.span().end() + self.offset
    }

    fn document(mut self, root: &mut Table<'a>) -> Option<()> {
        let mut current: Option<(Header<'a>, Table<'a>)> = None;
        while let Some(event) = self.next() {
            match event.kind() {
                EventKind::Whitespace | EventKind::Comment | EventKind::Newline => {}
                EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                    if let Some((header, table)) = current.take() {
                        finish(root, header, table)?;
                    }
                    let header = self.header(event)?;
                    if !header.is_array {
                        let parent = descend(root, &header.path, true)?;
                        if parent.contains_key(&header.key.0) {
                            return None;
                        }
                    }
                    current = Some((header, Table::default()));
                }
                EventKind::SimpleKey => {
                    let (path, key) = self.keys(event)?;
                    let value = self.value()?;
                    let table = match &mut current {
                        Some((_, table)) => table,
                        None => &mut *root,
                    };
                    capture(table, &path, key, value)?;
                }
                _ => return None,
            }
        }
        if let Some((header, table)) = current.take() {
            finish(root, header, table)?;
        }
        Some(())
    }

    fn simple_key(&self, event: &Event) -> Option<Key<'a>> {
        if event.kind() != EventKind::SimpleKey {
            return None;
        }
        let raw = self.source.get(event)?;
        if event.encoding().is_none() && is_bare_key(raw.as_str()) {
            return Some((Cow::Borrowed(raw.as_str()), self.span(event)));
        }
        let mut key = Cow::Borrowed("");
        let mut failed = false;
        raw.decode_key(&mut key, &mut |_: toml_parser::ParseError| failed = true);
        (!failed).then(|| (key, self.span(event)))
    }

    /// A key (dotted or not) up to and including its `=`: the path (empty, so not allocated,
    /// for a plain key) and the last key.
    fn keys(&mut self, first: &Event) -> Option<(Path<'a>, Key<'a>)> {
        let mut path = Vec::new();
        let mut last = self.simple_key(first)?;
        loop {
            self.skip(false);
            match self.next()?.kind() {
                EventKind::KeySep => {
                    self.skip(false);
                    let event = self.next()?;
                    path.push(std::mem::replace(&mut last, self.simple_key(event)?));
                }
                EventKind::KeyValSep => {
                    self.skip(false);
                    return Some((path, last));
                }
                _ => return None,
            }
        }
    }

    fn header(&mut self, open: &Event) -> Option<Header<'a>> {
        let is_array = open.kind() == EventKind::ArrayTableOpen;
        self.skip(false);
        let first = self.next()?;
        let mut path = Vec::new();
        let mut key = self.simple_key(first)?;
        loop {
            self.skip(false);
            let event = self.next()?;
            match event.kind() {
                EventKind::KeySep => {
                    self.skip(false);
                    let event = self.next()?;
                    path.push(std::mem::replace(&mut key, self.simple_key(event)?));
                }
                EventKind::StdTableClose | EventKind::ArrayTableClose => {
                    return Some(Header {
                        path,
                        key,
                        span: self.span(open).start..self.span(event).end,
                        is_array,
                    });
                }
                _ => return None,
            }
        }
    }

    fn value(&mut self) -> Option<Node<'a>> {
        let event = self.next()?;
        match event.kind() {
            EventKind::Scalar => self.scalar(event),
            EventKind::ArrayOpen => {
                let mut items = Vec::new();
                loop {
                    self.skip(true);
                    if self.events.get(self.pos)?.kind() == EventKind::ArrayClose {
                        break;
                    }
                    items.push(self.value()?);
                    self.skip(true);
                    match self.events.get(self.pos)?.kind() {
                        EventKind::ValueSep => self.pos += 1,
                        EventKind::ArrayClose => break,
                        _ => return None,
                    }
                }
                let close = self.next()?;
                Some(Node {
                    span: Some(self.span(event).start..self.span(close).end),
                    value: Value::Array(items),
                })
            }
            EventKind::InlineTableOpen => {
                let mut table = Table::default();
                loop {
                    self.skip(true);
                    let next = self.next()?;
                    match next.kind() {
                        EventKind::InlineTableClose => {
                            return Some(Node {
                                span: Some(self.span(event).start..self.span(next).end),
                                value: Value::InlineTable(table),
                            });
                        }
                        EventKind::SimpleKey => {
                            let (path, (key, key_span)) = self.keys(next)?;
                            if !path.is_empty() {
                                return None;
                            }
                            let node = self.value()?;
                            let entry = Entry {
                                key,
                                key_span: Some(key_span),
                                node,
                            };
                            if !table.insert(entry) {
                                return None;
                            }
                            self.skip(true);
                            match self.events.get(self.pos)?.kind() {
                                EventKind::ValueSep => self.pos += 1,
                                EventKind::InlineTableClose => {}
                                _ => return None,
                            }
                        }
                        _ => return None,
                    }
                }
            }
            _ => None,
        }
    }

    fn scalar(&self, event: &Event) -> Option<Node<'a>> {
        use toml_parser::decoder::ScalarKind;
        let raw = self.source.get(event)?;
        if event.encoding() == Some(Encoding::BasicString)
            && let Some(text) = plain_basic_string(raw.as_str())
        {
            return Some(Node {
                span: Some(self.span(event)),
                value: Value::String(Cow::Borrowed(text)),
            });
        }
        let mut text = Cow::Borrowed("");
        let mut failed = false;
        let kind = raw.decode_scalar(&mut text, &mut |_: toml_parser::ParseError| {
            failed = true;
        });
        if failed {
            return None;
        }
        let value = match kind {
            ScalarKind::String => Value::String(text),
            ScalarKind::Boolean(b) => Value::Boolean(b),
            ScalarKind::DateTime => return None,
            ScalarKind::Float => {
                let v = text.parse::<f64>().ok()?;
                // `toml_edit` refuses an overflow but not `inf` itself.
                let named = text
                    .strip_prefix(['+', '-'])
                    .unwrap_or(&text)
                    .chars()
                    .all(|c| c.is_ascii_alphabetic());
                if v.is_infinite() && !named {
                    return None;
                }
                Value::Float(v)
            }
            ScalarKind::Integer(radix) => {
                Value::Integer(i64::from_str_radix(&text, radix.value()).ok()?)
            }
        };
        Some(Node {
            span: Some(self.span(event)),
            value,
        })
    }
}

/// Whether `raw` is a bare key (`A-Za-z0-9_-`, not empty): its text is the key, with none of
/// the decoder's generic machinery (issue 23: about 170 instructions a key). Anything else is
/// decoded by `toml_parser`, errors included.
fn is_bare_key(raw: &str) -> bool {
    !raw.is_empty() && raw.bytes().all(|b| BYTES[usize::from(b)] & BARE != 0)
}

/// The text inside a basic string that has no escape and no character TOML forbids in one
/// (`"…"` of tabs, spaces, printable ASCII but `"` and `\\`, and non-ASCII), borrowed: what
/// `toml_parser`'s decoder gives for it. `None` (decode it) for anything else.
fn plain_basic_string(raw: &str) -> Option<&str> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    inner
        .bytes()
        .all(|b| BYTES[usize::from(b)] & PLAIN != 0)
        .then_some(inner)
}

/// [`BYTES`]: a byte of a bare key.
const BARE: u8 = 1;
/// [`BYTES`]: a byte a basic string holds as it is (tab, space, printable ASCII but `"` and
/// `\\`, and any byte of a non-ASCII character).
const PLAIN: u8 = 2;

/// What each byte may be, one look-up a byte.
static BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
            table[i] |= BARE;
        }
        if matches!(b, b'\t' | b' ' | 0x21 | 0x23..=0x5b | 0x5d..=0x7e | 0x80..) {
            table[i] |= PLAIN;
        }
        i += 1;
    }
    table
};

/// The table at `path` under `table`, creating the missing ones: implied by a header
/// (`header`) or by a dotted key.
fn descend<'t, 'a>(
    mut table: &'t mut Table<'a>,
    path: &[Key<'a>],
    header: bool,
) -> Option<&'t mut Table<'a>> {
    for (key, span) in path {
        let i = match table.position(key) {
            Some(i) => i,
            None => {
                let kind = if header { Kind::Implicit } else { Kind::Dotted };
                let entry = Entry {
                    key: key.clone(),
                    key_span: Some(span.clone()),
                    node: Node {
                        span: Some(span.clone()),
                        value: Value::Table(Table::with_kind(kind)),
                    },
                };
                if !table.insert(entry) {
                    return None;
                }
                table.entries.len() - 1
            }
        };
        table = match &mut table.entries[i].node.value {
            Value::Table(sub) if header != (sub.kind == Kind::Dotted) => sub,
            Value::ArrayOfTables(items) if header => match &mut items.last_mut()?.value {
                Value::Table(sub) => sub,
                _ => return None,
            },
            _ => return None,
        };
    }
    Some(table)
}

/// Sets a key (dotted or not) of the table being read.
fn capture<'a>(
    table: &mut Table<'a>,
    path: &[Key<'a>],
    (key, key_span): Key<'a>,
    node: Node<'a>,
) -> Option<()> {
    let parent = descend(table, path, false)?;
    parent
        .insert(Entry {
            key,
            key_span: Some(key_span),
            node,
        })
        .then_some(())
}

/// Puts a header's table in its place once its keys are read.
fn finish<'a>(root: &mut Table<'a>, header: Header<'a>, table: Table<'a>) -> Option<()> {
    let parent = descend(root, &header.path, true)?;
    let (key, key_span) = header.key;
    let node = Node {
        span: Some(header.span.clone()),
        value: Value::Table(table),
    };
    if !header.is_array {
        let entry = Entry {
            key,
            key_span: Some(key_span),
            node,
        };
        return parent.insert(entry).then_some(());
    }
    match parent.entry_mut(&key) {
        None => {
            let entry = Entry {
                key,
                key_span: Some(key_span),
                node: Node {
                    span: Some(header.span),
                    value: Value::ArrayOfTables(vec![node]),
                },
            };
            parent.insert(entry).then_some(())
        }
        Some(entry) => {
            let Value::ArrayOfTables(items) = &mut entry.node.value else {
                return None;
            };
            items.push(node);
            // `toml_edit`'s span of the array: the first header to the last.
            let first = items.first()?.span.clone()?;
            entry.node.span = Some(first.start..header.span.end);
            Some(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_bare_key, plain_basic_string};
    use proptest::prelude::*;
    use std::borrow::Cow;
    use toml_parser::decoder::Encoding;
    use toml_parser::{Raw, Span};

    /// What `toml_parser`'s decoder makes of `raw`: the text, or `None` on an error.
    fn decoded(raw: &str, encoding: Option<Encoding>, key: bool) -> Option<String> {
        let raw = Raw::new_unchecked(raw, encoding, Span::new_unchecked(0, raw.len()));
        let mut out = Cow::Borrowed("");
        let mut failed = false;
        let mut sink = |_: toml_parser::ParseError| failed = true;
        if key {
            raw.decode_key(&mut out, &mut sink);
        } else {
            let _ = raw.decode_scalar(&mut out, &mut sink);
        }
        (!failed).then(|| out.into_owned())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// A bare key the shortcut takes is the decoder's key, unchanged.
        #[test]
        fn a_bare_key_is_what_the_decoder_reads(raw in "[a-zA-Z0-9_\\-. é\"'\\\\\t\\x00-\\x1f]{0,8}") {
            if is_bare_key(&raw) {
                prop_assert_eq!(decoded(&raw, None, true), Some(raw.clone()));
            }
        }

        /// A basic string the shortcut takes is the decoder's text: no escape, no forbidden
        /// character (controls, DEL) slips through.
        #[test]
        fn a_plain_basic_string_is_what_the_decoder_reads(
            inner in "[a-z \t\"\\\\\\x00-\\x1f\\x7fé€😀nu{}]{0,10}",
            quotes in 0..4u8,
        ) {
            let raw = match quotes {
                0 => format!("\"{inner}\""),
                1 => format!("\"{inner}"),
                2 => format!("{inner}\""),
                _ => inner.clone(),
            };
            if let Some(text) = plain_basic_string(&raw) {
                prop_assert_eq!(
                    decoded(&raw, Some(Encoding::BasicString), false),
                    Some(text.to_owned())
                );
            }
        }
    }

    /// Every ASCII character alone, as a key and inside a basic string: what a shortcut takes
    /// the decoder reads as the same text.
    #[test]
    fn the_shortcuts_agree_with_the_decoder_on_every_ascii_character() {
        for b in 0..0x80u8 {
            let c = char::from(b).to_string();
            assert_eq!(
                is_bare_key(&c),
                b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
            );
            if is_bare_key(&c) {
                assert_eq!(decoded(&c, None, true), Some(c.clone()), "{b:#x}");
            }
            let raw = format!("\"{c}\"");
            if let Some(text) = plain_basic_string(&raw) {
                assert_eq!(text, c);
                assert_eq!(
                    decoded(&raw, Some(Encoding::BasicString), false),
                    Some(c.clone())
                );
            } else {
                assert!(
                    b < 0x20 && b != b'\t' || b == 0x7f || b == b'"' || b == b'\\',
                    "{b:#x}"
                );
            }
        }
    }

    #[test]
    fn the_shortcuts_take_the_usual_forms_and_nothing_else() {
        assert!(is_bare_key("app-1_x"));
        for key in ["", "a.b", "a b", "é", "\"a\"", "a\t"] {
            assert!(!is_bare_key(key), "{key:?}");
        }
        assert_eq!(plain_basic_string("\"\""), Some(""));
        assert_eq!(plain_basic_string("\"a b\té€\""), Some("a b\té€"));
        for raw in [
            "\"",
            "\"a\\n\"",
            "\"a\u{7f}\"",
            "\"a\u{1}\"",
            "'a'",
            "\"a\"\"",
        ] {
            assert_eq!(plain_basic_string(raw), None, "{raw:?}");
        }
    }
}
