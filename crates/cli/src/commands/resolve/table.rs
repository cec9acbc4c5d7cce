//! `resolve`'s table written from the row stream in two passes, the column widths first and
//! then the lines, so a million rows cost the memory of one (comfy-table holds every cell: 835
//! MiB for 250,000 rows). The text is byte for byte what [`super::rows_table`] makes with
//! comfy-table, for rows whose every cell is printable ASCII without spaces — all a matrix
//! that passes `check` has in practice. comfy-table measures any other text by Unicode width
//! rules this does not repeat: then nothing is written and the caller renders the collected
//! rows with comfy-table.

use edx_matrix_model::Row;
use std::io::{self, Write};

/// The columns of a table with the deployment, stage and release; `COMMIT` only when a row is
/// locked.
const HEADER: [&str; 10] = [
    "DEPLOYMENT",
    "STAGE",
    "RELEASE",
    "APPLICATION",
    "TYPE",
    "ORIGIN",
    "BRANCH",
    "RUNTIME",
    "PATH",
    "COMMIT",
];

/// A row's cells, each with whether it is an override (marked `*`).
fn cells<'r>(row: &Row<'r>) -> [(&'r str, bool); 10] {
    let o = row.overridden;
    [
        (row.deployment, false),
        (row.stage, false),
        (row.release, false),
        (row.application, false),
        (row.kind.as_str(), false),
        (row.git_origin, o.origin),
        (row.release_branch, o.branch),
        (row.runtime_version.unwrap_or(""), o.runtime),
        (row.path.unwrap_or(""), false),
        (row.commit.map_or("", |c| c.get(..12).unwrap_or(c)), false),
    ]
}

/// Writes the table of the rows `rows` streams (called twice, for the same rows each time);
/// `Ok(false)`, having written nothing, when a cell is not printable ASCII without spaces.
pub(super) fn write_table<'m, I: Iterator<Item = Row<'m>>>(
    out: &mut impl Write,
    rows: impl Fn() -> I,
) -> io::Result<bool> {
    let mut widths = HEADER.map(str::len);
    let (mut locked, mut overridden) = (false, false);
    for row in rows() {
        locked |= row.commit.is_some();
        let o = row.overridden;
        overridden |= o.origin || o.branch || o.runtime;
        for (width, (text, mark)) in widths.iter_mut().zip(cells(&row)) {
            if !text.bytes().all(|b| b.is_ascii_graphic()) {
                return Ok(false);
            }
            *width = (*width).max(text.len() + usize::from(mark));
        }
    }
    let columns = if locked { 10 } else { 9 };
    let mut line = Vec::with_capacity(256);
    push_line(&mut line, HEADER.map(|h| (h, false)), &widths[..columns]);
    out.write_all(&line)?;
    for row in rows() {
        push_line(&mut line, cells(&row), &widths[..columns]);
        out.write_all(&line)?;
    }
    if overridden {
        out.write_all(b"\n* overridden in the release map\n")?;
    }
    Ok(true)
}

/// One line: each cell left-aligned in its column and two spaces after it, as the table's
/// padding `(0, 2)` makes, then the trailing spaces removed.
fn push_line(line: &mut Vec<u8>, cells: [(&str, bool); 10], widths: &[usize]) {
    line.clear();
    for ((text, mark), &width) in cells.iter().zip(widths) {
        line.extend_from_slice(text.as_bytes());
        if *mark {
            line.push(b'*');
        }
        let pad = width + 2 - text.len() - usize::from(*mark);
        line.resize(line.len() + pad, b' ');
    }
    while line.last() == Some(&b' ') {
        line.pop();
    }
    line.push(b'\n');
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use edx_matrix_model::{Filter, resolve};

    /// What the two-pass writer writes, or `None` when it declines.
    fn streamed(rows: &[Row<'_>]) -> Option<String> {
        let mut out = Vec::new();
        let written = write_table(&mut out, || rows.iter().copied()).unwrap();
        if !written {
            assert!(out.is_empty());
            return None;
        }
        Some(String::from_utf8(out).unwrap())
    }

    /// comfy-table's text (the oracle) for the example's rows, all of them and filtered,
    /// without and with locked commits (the `COMMIT` column, a long and a short commit), with
    /// and without overrides, and with no rows at all.
    #[test]
    fn writes_what_comfy_table_writes() {
        let loaded = edx_matrix_formats::load_toml(edx_matrix_formats::Source::new(
            "acme",
            edx_matrix_formats::example::TEXT,
        ));
        let m = &loaded.matrix;
        let all = resolve(m, &Filter::default()).rows;
        assert!(all.iter().any(|r| r.overridden.origin));
        let commit = "0123456789abcdef0123456789abcdef01234567";
        let mut locked = all.clone();
        locked[3].commit = Some(commit);
        locked[7].commit = Some("abc");
        let plain: Vec<_> = all
            .iter()
            .filter(|r| !(r.overridden.origin || r.overridden.branch || r.overridden.runtime))
            .copied()
            .collect();
        let campus_mfes = resolve(
            m,
            &Filter {
                deployment: Some("campus".into()),
                kind: Some(edx_matrix_model::AppKind::Mfe),
                ..Filter::default()
            },
        )
        .rows;
        for rows in [&all, &locked, &plain, &campus_mfes, &Vec::new()] {
            assert_eq!(
                streamed(rows).unwrap(),
                super::super::rows_table(rows, true),
                "{} rows",
                rows.len()
            );
        }
        assert!(streamed(&locked).unwrap().contains("COMMIT"));
        assert!(!streamed(&all).unwrap().contains("COMMIT"));
    }

    /// A cell comfy-table would measure by Unicode width (or a space, or a control character)
    /// is left to comfy-table: nothing written.
    #[test]
    fn declines_text_it_cannot_measure() {
        let loaded = edx_matrix_formats::load_toml(edx_matrix_formats::Source::new(
            "acme",
            edx_matrix_formats::example::TEXT,
        ));
        let rows = resolve(&loaded.matrix, &Filter::default()).rows;
        for odd in ["fix/été", "a b", "tab\there", "漢字"] {
            let mut changed = rows.clone();
            changed[5].release_branch = odd;
            assert_eq!(streamed(&changed), None, "{odd:?}");
        }
    }
}
