//! `resolve --format json`'s text written by hand: byte for byte what serde_json's pretty writer
//! makes of [`RowsJson`](super::RowsJson), without its per-key formatter machinery and string
//! escaper, which were about a million instructions of the 156-row estate's `resolve` (30 KB of
//! output). The rare nested values (`extra`, `vars`) still go through serde_json, re-indented.

use edx_matrix_model::vars::Vars;
use edx_matrix_model::{AppKind, Overridden, Row};
use serde::Serialize;
use std::io::{self, Write};

/// Writes `rows`, each with its stage's vars (`vars_of`, asked once per run of rows of one
/// deployment and stage: rows come grouped so), as a pretty JSON array without a final newline.
/// Each row is built in one buffer and handed to `out` whole, as it comes: nothing is held.
///
/// A row that is an error stops the writing there, before the array is closed: what was written
/// is not a JSON document (no `]`), so no reader takes it for the whole result; an error before
/// the first row writes nothing.
pub(super) fn write_rows<'m, W: Write, E>(
    out: &mut W,
    rows: impl IntoIterator<Item = Result<Row<'m>, E>>,
    mut vars_of: impl FnMut(&Row<'m>) -> Vars,
) -> Result<(), RowsError<E>> {
    let mut stage: Option<(&str, &str)> = None;
    let mut vars = Vars::default();
    let mut buf = Vec::with_capacity(1024);
    let mut first = true;
    for row in rows {
        let row = row.map_err(RowsError::Row)?;
        if stage != Some((row.deployment, row.stage)) {
            stage = Some((row.deployment, row.stage));
            vars = vars_of(&row);
        }
        buf.extend_from_slice(if first { b"[\n  {" } else { b",\n  {" });
        first = false;
        push_row(&mut buf, &row, (!vars.is_empty()).then_some(&vars))?;
        buf.extend_from_slice(b"\n  }");
        out.write_all(&buf)?;
        buf.clear();
    }
    out.write_all(if first { b"[]" } else { b"\n]" })?;
    Ok(())
}

/// Why writing a stream of rows ([`super::write_stream`]) stopped: the writer failed, or the
/// rows gave an error.
#[derive(Debug)]
pub enum RowsError<E> {
    /// Writing failed (a closed pipe, a full disk).
    Write(io::Error),
    /// The rows gave this error, after the rows before it were written.
    Row(E),
}

impl<E> From<io::Error> for RowsError<E> {
    fn from(e: io::Error) -> Self {
        RowsError::Write(e)
    }
}

/// The fields of one row at depth 2, in `Row`'s serde order, then `vars`. Each key is written
/// with the value's opening quote in one constant piece, and a string that needs no escape is
/// copied whole (issue 23: the per-field pieces and the byte-by-byte escape were most of the
/// writer's instructions).
fn push_row(buf: &mut Vec<u8>, row: &Row<'_>, vars: Option<&Vars>) -> io::Result<()> {
    // Room for the unescaped row: one growth at most, none once `buf` has served a longer row.
    let strings = row.deployment.len()
        + row.stage.len()
        + row.release.len()
        + row.application.len()
        + row.git_origin.len()
        + row.release_branch.len()
        + row.runtime_version.map_or(0, str::len)
        + row.path.map_or(0, str::len)
        + row.entry_release.map_or(0, str::len)
        + row.commit.map_or(0, str::len);
    buf.reserve(strings + 400);
    str_field(buf, b"\n    \"deployment\": \"", row.deployment);
    str_field(buf, b",\n    \"stage\": \"", row.stage);
    str_field(buf, b",\n    \"release\": \"", row.release);
    str_field(buf, b",\n    \"application\": \"", row.application);
    buf.extend_from_slice(match row.kind {
        AppKind::Ida => b",\n    \"type\": \"IDA\"",
        AppKind::Mfe => b",\n    \"type\": \"MFE\"",
    });
    str_field(buf, b",\n    \"git_origin\": \"", row.git_origin);
    str_field(buf, b",\n    \"release_branch\": \"", row.release_branch);
    match row.runtime_version {
        Some(v) => str_field(buf, b",\n    \"runtime_version\": \"", v),
        None => buf.extend_from_slice(b",\n    \"runtime_version\": null"),
    }
    if let Some(path) = row.path {
        str_field(buf, b",\n    \"path\": \"", path);
    }
    if let Some(commands) = row.translations {
        field(buf, "translations");
        if commands.is_empty() {
            buf.extend_from_slice(b"[]");
        } else {
            buf.push(b'[');
            for (i, command) in commands.iter().enumerate() {
                buf.extend_from_slice(if i == 0 { b"\n      " } else { b",\n      " });
                push_str(buf, command);
            }
            buf.extend_from_slice(b"\n    ]");
        }
    }
    if let Some(release) = row.entry_release {
        str_field(buf, b",\n    \"entry_release\": \"", release);
    }
    if let Some(extra) = row.extra {
        field(buf, "extra");
        push_nested(buf, extra)?;
    }
    buf.extend_from_slice(overridden_text(row.overridden));
    if let Some(commit) = row.commit {
        str_field(buf, b",\n    \"commit\": \"", commit);
    }
    if let Some(vars) = vars {
        field(buf, "vars");
        push_nested(buf, vars)?;
    }
    Ok(())
}

/// A key and its string value: `key` ends with the value's opening quote.
#[inline(always)]
fn str_field(buf: &mut Vec<u8>, key: &'static [u8], value: &str) {
    buf.extend_from_slice(key);
    push_str_body(buf, value);
    buf.push(b'"');
}

/// The `overridden` field, whole: one of eight constant texts.
fn overridden_text(o: Overridden) -> &'static [u8] {
    macro_rules! text {
        ($origin:literal, $branch:literal, $runtime:literal) => {
            concat!(
                ",\n    \"overridden\": {\n      \"origin\": ",
                $origin,
                ",\n      \"branch\": ",
                $branch,
                ",\n      \"runtime\": ",
                $runtime,
                "\n    }"
            )
            .as_bytes()
        };
    }
    match (o.origin, o.branch, o.runtime) {
        (false, false, false) => text!("false", "false", "false"),
        (false, false, true) => text!("false", "false", "true"),
        (false, true, false) => text!("false", "true", "false"),
        (false, true, true) => text!("false", "true", "true"),
        (true, false, false) => text!("true", "false", "false"),
        (true, false, true) => text!("true", "false", "true"),
        (true, true, false) => text!("true", "true", "false"),
        (true, true, true) => text!("true", "true", "true"),
    }
}

/// A key at depth 2 after the fields before it (`name` needs no escaping).
fn field(buf: &mut Vec<u8>, name: &str) {
    buf.extend_from_slice(b",\n    \"");
    buf.extend_from_slice(name.as_bytes());
    buf.extend_from_slice(b"\": ");
}

/// A value at depth 2 as serde_json writes it pretty: its text at depth 0 with every line after
/// the first indented by two levels (JSON text has no raw newline inside a string).
fn push_nested<T: Serialize + ?Sized>(buf: &mut Vec<u8>, value: &T) -> io::Result<()> {
    let text = serde_json::to_vec_pretty(value)?;
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            buf.extend_from_slice(b"\n    ");
        }
        buf.extend_from_slice(line);
    }
    Ok(())
}

/// `s` as a JSON string, escaped as serde_json escapes it: `\"`, `\\`, the short escapes
/// `\b \t \n \f \r`, `\u00xx` (lower-case hex) for every other control character, and every
/// other character (non-ASCII and DEL included) as it is.
pub(super) fn push_str(buf: &mut Vec<u8>, s: &str) {
    buf.reserve(s.len() + 2);
    buf.push(b'"');
    push_str_body(buf, s);
    buf.push(b'"');
}

/// The inside of [`push_str`]'s string: copied whole when no byte needs an escape (nearly
/// every name, URL and branch), else escaped byte by byte. Inlined: the test and the copy are
/// a few instructions beside a call's.
#[inline(always)]
fn push_str_body(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if needs_escape(bytes) {
        push_escaped(buf, bytes);
    } else {
        buf.extend_from_slice(bytes);
    }
}

/// `bytes` with every byte [`ESCAPE`] names escaped.
#[inline(never)]
fn push_escaped(buf: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = ESCAPE[usize::from(b)];
        if escape == 0 {
            continue;
        }
        buf.extend_from_slice(&bytes[start..i]);
        if escape == b'u' {
            let hex = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]];
            buf.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex[0], hex[1]]);
        } else {
            buf.extend_from_slice(&[b'\\', escape]);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
}

/// Whether any byte of `bytes` is one [`ESCAPE`] escapes (a control character, `"` or `\\`):
/// eight bytes at a time, the last eight overlapping the words before (the test is per byte,
/// so testing a byte twice changes nothing); a string shorter than a word by the table.
#[inline(always)]
fn needs_escape(bytes: &[u8]) -> bool {
    if bytes.len() < 8 {
        return bytes.iter().any(|&b| ESCAPE[usize::from(b)] != 0);
    }
    let word = |chunk: &[u8]| {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        word_needs_escape(u64::from_le_bytes(word))
    };
    let mut chunks = bytes.chunks_exact(8);
    if chunks.any(word) {
        return true;
    }
    bytes.len() % 8 != 0 && word(&bytes[bytes.len() - 8..])
}

/// Whether a byte of `word` is below 0x20, `"` or `\\`. The classic zero-byte test: for a byte
/// `x`, `(x - n) & !x` has its top bit set when `x < n` (for `n <= 0x80`); a borrow into the
/// next byte can only come from a byte that already matched, so the answer for the word is exact.
#[inline]
const fn word_needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = word ^ (ONES * b'"' as u64);
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = word ^ (ONES * b'\\' as u64);
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & TOPS != 0
}

/// For each byte, 0 when it is written as it is, else the letter after its backslash (`u` for
/// `\u00xx`): one table look-up per byte, as serde_json does.
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use edx_matrix_model::vars::{FloatText, VarValue};
    use edx_matrix_model::{AppKind, Overridden};
    use edx_matrix_model::{Extra, ExtraValue};
    use proptest::prelude::*;

    /// What serde_json writes (the oracle): a row flattened with its vars, as `RowsJson` did.
    #[derive(Serialize)]
    struct Oracle<'r, 'm> {
        #[serde(flatten)]
        row: &'r Row<'m>,
        #[serde(skip_serializing_if = "Option::is_none")]
        vars: Option<&'r Vars>,
    }

    /// One generated row's values (`Row` borrows them).
    #[derive(Clone, Debug)]
    struct Owned {
        names: [String; 4],
        ida: bool,
        runtime: Option<String>,
        path: Option<String>,
        translations: Option<Vec<String>>,
        entry_release: Option<String>,
        extra: Option<Extra>,
        overridden: [bool; 3],
        commit: Option<String>,
    }

    /// Strings with everything that needs escaping: quotes, backslashes, every control
    /// character, DEL, non-ASCII and astral characters, and any `String` at all.
    fn awkward() -> impl Strategy<Value = String> {
        prop_oneof![
            "[\"\\\\\\x00-\\x1f\\x7f a-z/é€😀\u{2028}]{0,10}",
            any::<String>(),
        ]
    }

    fn float() -> impl Strategy<Value = FloatText> {
        prop_oneof![
            Just("1.5"),
            Just("-0.0"),
            Just("1e400"),
            Just("3"),
            Just("nan")
        ]
        .prop_map(|s| FloatText(s.to_owned()))
    }

    fn extra_value() -> impl Strategy<Value = ExtraValue> {
        let leaf = prop_oneof![
            awkward().prop_map(ExtraValue::String),
            any::<i64>().prop_map(ExtraValue::Integer),
            float().prop_map(ExtraValue::Float),
            any::<bool>().prop_map(ExtraValue::Boolean),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(ExtraValue::List),
                proptest::collection::vec((awkward(), inner), 0..4).prop_map(ExtraValue::Table),
            ]
        })
    }

    fn var_value() -> impl Strategy<Value = VarValue> {
        prop_oneof![
            awkward().prop_map(VarValue::String),
            any::<i64>().prop_map(VarValue::Integer),
            float().prop_map(VarValue::Float),
            any::<bool>().prop_map(VarValue::Boolean),
        ]
    }

    fn owned() -> impl Strategy<Value = Owned> {
        let opt = || proptest::option::of(awkward());
        (
            proptest::array::uniform4(awkward()),
            any::<bool>(),
            (opt(), opt(), opt(), opt()),
            proptest::option::of(proptest::collection::vec(awkward(), 0..3)),
            proptest::option::of(
                proptest::collection::vec((awkward(), extra_value()), 0..3).prop_map(Extra),
            ),
            any::<[bool; 3]>(),
        )
            .prop_map(
                |(names, ida, (runtime, path, entry_release, commit), translations, extra, o)| {
                    Owned {
                        names,
                        ida,
                        runtime,
                        path,
                        translations,
                        entry_release,
                        extra,
                        overridden: o,
                        commit,
                    }
                },
            )
    }

    /// Runs of rows of one deployment and stage, with that stage's vars (maybe none). Names
    /// come from a small set so that two runs can share a deployment and stage.
    fn runs() -> impl Strategy<Value = Vec<(String, String, Vars, Vec<Owned>)>> {
        let name = prop_oneof![Just("a".to_owned()), Just("b\"\\".to_owned()), awkward()];
        let vars = proptest::collection::vec((awkward(), var_value()), 0..3).prop_map(Vars);
        proptest::collection::vec(
            (
                name.clone(),
                name,
                vars,
                proptest::collection::vec(owned(), 0..4),
            ),
            0..4,
        )
    }

    fn row<'m>(deployment: &'m str, stage: &'m str, o: &'m Owned) -> Row<'m> {
        Row {
            deployment,
            stage,
            release: &o.names[0],
            application: &o.names[1],
            kind: if o.ida { AppKind::Ida } else { AppKind::Mfe },
            git_origin: &o.names[2],
            release_branch: &o.names[3],
            runtime_version: o.runtime.as_deref(),
            path: o.path.as_deref(),
            translations: o.translations.as_deref(),
            entry_release: o.entry_release.as_deref(),
            extra: o.extra.as_ref(),
            overridden: Overridden {
                origin: o.overridden[0],
                branch: o.overridden[1],
                runtime: o.overridden[2],
            },
            commit: o.commit.as_deref(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The hand-written text is serde_json's pretty text, byte for byte.
        #[test]
        fn writes_what_serde_json_writes(runs in runs()) {
            // A stage's vars are those of its first run (a deployment's stage has one set).
            let vars_of = |d: &str, s: &str| {
                runs.iter()
                    .find(|(rd, rs, _, _)| rd == d && rs == s)
                    .map(|(_, _, v, _)| v.clone())
                    .unwrap_or_default()
            };
            let rows: Vec<Row<'_>> = runs
                .iter()
                .flat_map(|(d, s, _, owned)| owned.iter().map(move |o| row(d, s, o)))
                .collect();
            let all_vars: Vec<Vars> = rows.iter().map(|r| vars_of(r.deployment, r.stage)).collect();
            let oracle: Vec<Oracle<'_, '_>> = rows
                .iter()
                .zip(&all_vars)
                .map(|(row, vars)| Oracle { row, vars: (!vars.is_empty()).then_some(vars) })
                .collect();
            let mut written = Vec::new();
            write_rows(
                &mut written,
                rows.iter().map(|r| Ok::<_, ()>(*r)),
                |r| vars_of(r.deployment, r.stage),
            )
            .unwrap();
            prop_assert_eq!(
                String::from_utf8(written).unwrap(),
                serde_json::to_string_pretty(&oracle).unwrap()
            );
        }
    }

    /// The eight-byte test says what the table says, for every byte value at every place of a
    /// word and of a longer run, among bytes that need no escape (ASCII and non-ASCII).
    #[test]
    fn needs_escape_is_the_table_at_every_place() {
        for filler in [b'a', b' ', 0x7f, 0x80, 0xff, b'!', b'#', b'[', b']'] {
            for b in 0..=255u8 {
                for len in 1..20 {
                    for at in 0..len {
                        let mut bytes = vec![filler; len];
                        bytes[at] = b;
                        let expected = ESCAPE[usize::from(b)] != 0;
                        assert_eq!(
                            needs_escape(&bytes),
                            expected,
                            "byte {b:#x} at {at} of {len} among {filler:#x}"
                        );
                    }
                }
            }
        }
    }

    proptest! {
        /// Any bytes at all: the eight-byte test is the byte-by-byte table's answer.
        #[test]
        fn needs_escape_is_the_table(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let expected = bytes.iter().any(|&b| ESCAPE[usize::from(b)] != 0);
            prop_assert_eq!(needs_escape(&bytes), expected);
        }
    }

    /// Every byte below 0x80 on its own, escaped as serde_json escapes it.
    #[test]
    fn escapes_each_ascii_byte_as_serde_json() {
        for b in 0u8..0x80 {
            let s = char::from(b).to_string();
            let mut buf = Vec::new();
            push_str(&mut buf, &s);
            assert_eq!(buf, serde_json::to_vec(&s).unwrap(), "byte {b:#x}");
        }
    }
}
