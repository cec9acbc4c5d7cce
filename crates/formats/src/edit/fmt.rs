//! `fmt`: the canonical layout of `edx-matrix.toml`, without losing a comment.
//!
//! The layout:
//! - sections in the order `stages`, `[releases]`, `[applications]`, `[deployments]`, the
//!   `[[map]]` blocks (in their own order), then any other section in its order; a section moves
//!   with the comments above it;
//! - releases oldest first (named releases by name, rolling lines such as `master` last),
//!   applications IDAs before MFEs, each deployment's stages in the promotion order, and in every
//!   block `releases` before `deployments` (each keeps the comments above it);
//! - the `=` of the keys of a section or block aligned;
//! - one blank line before every section and block (none before a block's `[map.apps]`), no
//!   run of blank lines anywhere, one newline at the end of the file.
//!
//! Formatting twice gives the same text, and the formatted file means the same matrix.

use crate::edit::document;
use crate::edit::{Base, EditError, EditOutcome, outcome};
use edx_matrix_model::compare_releases;
use edx_matrix_model::{AppKind, Matrix};
use std::cmp::Ordering;
use std::collections::HashMap;
use toml_edit::{DocumentMut, Item, Table, Value};

/// The order of the top-level sections.
const SECTIONS: &[&str] = &["releases", "applications", "deployments", "map"];

/// Formats `text`. A file with model errors is formatted too (only TOML syntax errors stop it):
/// formatting never changes what the file means.
///
/// A [`Base`] whose matrix the caller already checked is not read again. The parsed document
/// is dropped before the result is read back, so at most one TOML document of the file is in
/// memory at a time (a toml_edit document takes about 50 bytes per byte of text).
pub fn fmt<'t>(base: impl Into<Base<'t>>) -> Result<EditOutcome, EditError> {
    let base = base.into();
    let text = base.text;
    let read;
    let matrix = match base.checked {
        Some(matrix) => matrix,
        None => {
            let (matrix, _, diagnostics) = crate::toml_load::read(text);
            if let Some(d) = diagnostics
                .iter()
                .find(|d| d.code == edx_matrix_model::Code::TomlSyntax)
            {
                return Err(EditError::Unreadable(d.message.clone()));
            }
            read = matrix;
            &read
        }
    };
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::Unreadable(e.message().trim().to_owned()))?;
    order_sections(&mut doc);
    order_rows(&mut doc, matrix);
    let root = doc.as_table_mut();
    tidy_table(root, Some(false), true);
    tidy_trailing(&mut doc);
    let new_text = doc.to_string();
    drop(doc);
    let summary = if new_text == text {
        "already formatted".to_owned()
    } else {
        "formatted".to_owned()
    };
    outcome(new_text, matrix, summary, Vec::new())
}

/// Puts `stages` first among the top-level values and gives the sections their positions.
fn order_sections(doc: &mut DocumentMut) {
    let root = doc.as_table_mut();
    root.sort_values_by(|a, _, b, _| {
        let rank = |k: &str| u8::from(k != "stages");
        rank(a.get()).cmp(&rank(b.get()))
    });
    let mut keys: Vec<(usize, isize, String)> = root
        .iter()
        .filter(|(_, item)| matches!(item, Item::Table(_) | Item::ArrayOfTables(_)))
        .map(|(k, item)| {
            let rank = SECTIONS
                .iter()
                .position(|s| *s == k)
                .unwrap_or(SECTIONS.len());
            (
                rank,
                first_position(item).unwrap_or(isize::MAX),
                k.to_owned(),
            )
        })
        .collect();
    keys.sort();
    let mut next: isize = 1;
    for (_, _, key) in keys {
        if let Some(item) = root.get_mut(&key) {
            renumber(item, &mut next);
        }
    }
}

/// Returns the smallest document position of the tables in `item`.
fn first_position(item: &Item) -> Option<isize> {
    let mut tables = Vec::new();
    collect_tables(item, &mut tables);
    tables.iter().filter_map(|t| t.position()).min()
}

fn collect_tables<'i>(item: &'i Item, out: &mut Vec<&'i Table>) {
    match item {
        Item::Table(t) => {
            out.push(t);
            for (_, child) in t.iter() {
                collect_tables(child, out);
            }
        }
        Item::ArrayOfTables(a) => {
            for t in a.iter() {
                out.push(t);
                for (_, child) in t.iter() {
                    collect_tables(child, out);
                }
            }
        }
        _ => {}
    }
}

/// Gives the tables in `item` consecutive positions from `next`, in their current print order.
fn renumber(item: &mut Item, next: &mut isize) {
    let mut order: Vec<(isize, Vec<usize>)> = Vec::new();
    let mut path = Vec::new();
    walk_positions(item, &mut path, &mut order, &mut 0);
    order.sort_by_key(|(p, _)| *p);
    for (_, path) in order {
        if let Some(t) = table_at(item, &path) {
            t.set_position(Some(*next));
            *next += 1;
        }
    }
}

/// Records each table's position (inherited from the table before when it has none) and its
/// path of child indices.
fn walk_positions(
    item: &Item,
    path: &mut Vec<usize>,
    out: &mut Vec<(isize, Vec<usize>)>,
    last: &mut isize,
) {
    let visit =
        |t: &Table, path: &mut Vec<usize>, out: &mut Vec<(isize, Vec<usize>)>, last: &mut isize| {
            if let Some(p) = t.position() {
                *last = p;
            }
            out.push((*last, path.clone()));
            for (i, (_, child)) in t.iter().enumerate() {
                path.push(i);
                walk_positions(child, path, out, last);
                path.pop();
            }
        };
    match item {
        Item::Table(t) => visit(t, path, out, last),
        Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                path.push(i);
                visit(t, path, out, last);
                path.pop();
            }
        }
        _ => {}
    }
}

fn table_at<'i>(item: &'i mut Item, path: &[usize]) -> Option<&'i mut Table> {
    let (table, rest) = match item {
        Item::Table(t) => (t, path),
        Item::ArrayOfTables(a) => {
            let (first, rest) = path.split_first()?;
            (a.get_mut(*first)?, rest)
        }
        _ => return None,
    };
    match rest.split_first() {
        None => Some(table),
        Some((i, rest)) => {
            let (_, child) = table.iter_mut().nth(*i)?;
            table_at(child, rest)
        }
    }
}

/// Orders releases by age, applications by kind, stages by the promotion order and the keys of
/// every block.
fn order_rows(doc: &mut DocumentMut, matrix: &Matrix) {
    // Lookups by name through maps built once: the sorts compare O(n log n) times, and a
    // linear search per comparison made `fmt` quadratic in the number of rows.
    if let Some(Item::Table(t)) = doc.get_mut("releases") {
        let releases: HashMap<&str, _> = matrix
            .releases
            .iter()
            .map(|r| (r.name.as_str(), r))
            .collect();
        t.sort_values_by(
            |a, _, b, _| match (releases.get(a.get()), releases.get(b.get())) {
                (Some(x), Some(y)) => compare_releases(x, y),
                _ => Ordering::Equal,
            },
        );
    }
    if let Some(Item::Table(t)) = doc.get_mut("applications") {
        let mfe: HashMap<&str, bool> = matrix
            .applications
            .iter()
            .map(|a| (a.name.as_str(), a.kind == AppKind::Mfe))
            .collect();
        t.sort_values_by(|a, _, b, _| match (mfe.get(a.get()), mfe.get(b.get())) {
            (Some(x), Some(y)) => x.cmp(y),
            _ => Ordering::Equal,
        });
    }
    let stage_ranks: HashMap<&str, usize> = matrix
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let stage_rank = |name: &str| stage_ranks.get(name).copied().unwrap_or(usize::MAX);
    if let Some(section) = doc.get_mut("deployments").and_then(Item::as_table_like_mut) {
        for (_, item) in section.iter_mut() {
            match item {
                Item::Value(Value::InlineTable(t)) => {
                    let before: Vec<String> = t.iter().map(|(k, _)| k.to_owned()).collect();
                    t.sort_values_by(|a, _, b, _| stage_rank(a.get()).cmp(&stage_rank(b.get())));
                    let after: Vec<String> = t.iter().map(|(k, _)| k.to_owned()).collect();
                    if before != after {
                        t.fmt();
                    }
                }
                Item::Table(t) => {
                    t.sort_values_by(|a, _, b, _| stage_rank(a.get()).cmp(&stage_rank(b.get())));
                }
                _ => {}
            }
        }
    }
    if let Ok(blocks) = document::blocks_mut(doc) {
        for block in blocks.iter_mut() {
            let rank = |k: &str| match k {
                "releases" => 0,
                "deployments" => 1,
                _ => 2,
            };
            block.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
        }
    }
}

/// Tidies the blank lines before a table and its keys and aligns its `=`; recursive.
/// `blank_before`: whether the table's header gets one blank line before it.
fn tidy_table(table: &mut Table, blank_before: Option<bool>, is_root: bool) {
    if !is_root {
        let prefix = table
            .decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or("")
            .to_owned();
        table.decor_mut().set_prefix(tidy(&prefix, blank_before));
    }
    tidy_keys(table, is_root);
    let has_values = table.iter().any(|(_, item)| item.is_value());
    let mut first_child = is_root && !has_values;
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) if !t.is_dotted() => {
                let blank = if first_child { Some(false) } else { Some(true) };
                first_child = false;
                tidy_table(t, if t.is_implicit() { None } else { blank }, false);
            }
            Item::ArrayOfTables(a) => {
                for t in a.iter_mut() {
                    let blank = if first_child { Some(false) } else { Some(true) };
                    first_child = false;
                    tidy_table(t, blank, false);
                    for (_, child) in t.iter_mut() {
                        if let Item::Table(sub) = child {
                            if !sub.is_dotted() {
                                tidy_table(sub, Some(false), false);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Tidies the blank lines before the keys of one table and aligns their `=` (not recursive):
/// the layout an edit gives the tables it changes (see [`crate::edit::touched`]).
pub(crate) fn tidy_keys(table: &mut Table, is_root: bool) {
    let aligned = !table
        .iter()
        .any(|(_, item)| matches!(item, Item::Table(t) if t.is_dotted()));
    let width = table
        .iter()
        .filter(|(_, item)| item.is_value())
        .filter_map(|(k, _)| table.key(k).map(|k| k.display_repr().len()))
        .max()
        .unwrap_or(0);
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
    for (i, key) in keys.iter().enumerate() {
        let is_value = table.get(key).is_some_and(Item::is_value);
        if !is_value {
            continue;
        }
        if let Some(mut k) = table.key_mut(key) {
            let prefix = k
                .leaf_decor()
                .prefix()
                .and_then(|p| p.as_str())
                .unwrap_or("")
                .to_owned();
            let first = i == 0 && is_root;
            k.leaf_decor_mut()
                .set_prefix(tidy(&prefix, if first { Some(false) } else { None }));
            if aligned {
                let own = k.display_repr().len();
                k.leaf_decor_mut().set_suffix(" ".repeat(width - own + 1));
            }
        }
    }
}

/// Returns a decor prefix with runs of blank lines collapsed to one, no indentation before the
/// key or header, and exactly one blank line first (`Some(true)`), none (`Some(false)`), or as
/// it was (`None`).
fn tidy(prefix: &str, blank_before: Option<bool>) -> String {
    let mut pieces: Vec<&str> = prefix.split('\n').collect();
    // The last piece stands before the key or header on its own line: indentation only.
    pieces.pop();
    let mut lines: Vec<&str> = Vec::new();
    for line in pieces {
        let blank = line.trim().is_empty();
        if blank && lines.last().is_some_and(|l| l.is_empty()) {
            continue;
        }
        lines.push(if blank { "" } else { line.trim_end() });
    }
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let blank = blank_before.unwrap_or(start > 0);
    let mut out = String::new();
    if blank {
        out.push('\n');
    }
    for line in &lines[start..] {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Ends the file with one newline; comments at the end of the file are left as they are.
fn tidy_trailing(doc: &mut DocumentMut) {
    let blank = doc.trailing().as_str().is_some_and(|t| t.trim().is_empty());
    if blank {
        doc.set_trailing("");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::meaning::same_meaning;
    use crate::{Source, load_toml};
    use edx_matrix_model::{Filter, resolve};

    fn check_fmt(text: &str) -> String {
        let once = fmt(text).expect("formats").text;
        let twice = fmt(&once).expect("formats").text;
        assert_eq!(once, twice, "not idempotent");
        let before = load_toml(Source::new("t", text)).matrix;
        let after = load_toml(Source::new("t", once.as_str())).matrix;
        assert!(same_meaning(&before, &after));
        let rows = |m| {
            resolve(m, &Filter::default())
                .rows
                .iter()
                .map(|r| format!("{r:?}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(&before), rows(&after));
        let comments = |t: &str| {
            t.lines()
                .filter(|l| l.contains('#'))
                .map(|l| l[l.find('#').unwrap_or(0)..].to_owned())
                .collect::<std::collections::BTreeSet<_>>()
        };
        assert_eq!(comments(text), comments(&once), "a comment was lost");
        once
    }

    #[test]
    fn acme_is_already_formatted() {
        let out = check_fmt(crate::example::TEXT);
        assert_eq!(out, crate::example::TEXT);
    }

    #[test]
    fn valid_fixtures_keep_their_meaning_and_are_stable() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/valid");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).expect("fixtures") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).expect("reads");
                check_fmt(&text);
                seen += 1;
            }
        }
        assert!(seen > 0);
    }

    #[test]
    fn starter_file_is_formatted() {
        let text = crate::catalogue::starter_file();
        assert_eq!(check_fmt(&text), text);
        // What `init` writes: the catalogue starter, the built-in runbooks and the comments.
        let text = crate::starter::text();
        assert_eq!(check_fmt(&text), text);
    }

    #[test]
    fn reorders_sections_and_rows_keeping_comments() {
        let text = r#"# head comment

stages = ["CI", "QA"]
[[map]]
deployments = ["site"]
releases = ["ulmo", "master"]
[map.apps]
forum = {}   # the forum



# the deployments
[deployments]
site = { QA = "ulmo", CI = "master" }
[applications]
learning = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learn" }
# the forum app
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }

[releases]
master = { branch = "master", python = "3.12", node = "24" }
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" } # current
# trailing comment
"#;
        let expected = r#"# head comment

stages = ["CI", "QA"]

[releases]
ulmo   = { branch = "release/ulmo", python = "3.11", node = "24" } # current
master = { branch = "master", python = "3.12", node = "24" }

[applications]
# the forum app
forum    = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
learning = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learn" }

# the deployments
[deployments]
site = { CI = "master", QA = "ulmo" }

[[map]]
releases    = ["ulmo", "master"]
deployments = ["site"]
[map.apps]
forum = {}   # the forum
# trailing comment
"#;
        let out = check_fmt(text);
        assert_eq!(out, expected);
    }

    #[test]
    fn other_shapes_format_stably() {
        let text = r#"stages = ["CI", "QA"]
[releases.ulmo]
branch = "release/ulmo"
python = "3.11"
node = "24"

[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
[deployments.site]
QA = "ulmo"
CI = "ulmo"
[[map]]
releases = ["ulmo"]
deployments = ["site"]
[map.apps.forum]
branch = "x/{release}"
"#;
        let out = check_fmt(text);
        assert!(
            out.contains("[deployments.site]\nCI = \"ulmo\"\nQA = \"ulmo\"\n"),
            "{out}"
        );
        let inline_map = r#"stages = ["CI"]
map = [{ releases = ["ulmo"], deployments = ["site"], apps = { forum = {} } }]
[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
[deployments]
site = { CI = "ulmo" }
"#;
        check_fmt(inline_map);
    }
}
