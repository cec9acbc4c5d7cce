//! `edx-matrix.lock` as text: [`read_lock`] reads it with every problem located (a malformed
//! commit, a duplicate entry, a name the matrix does not define, an unknown key), and
//! [`write_lock`] writes it in one stable layout, so a re-lock that changes nothing is
//! byte-identical and a change is a small diff. The rules of the lock itself are
//! [`edx_matrix_model::lock`].
//!
//! ```
//! use edx_matrix_formats::{read_lock, write_lock};
//! use edx_matrix_formats::{example, load_toml, Source};
//!
//! let matrix = load_toml(Source::new("edx-matrix.toml", example::TEXT)).matrix;
//! let text = r#"version = 1
//!
//! [[lock]]
//! deployment = "campus"
//! stage = "CI"
//! application = "forum"
//! origin = "https://github.com/openedx/cs_comments_service"
//! branch = "master"
//! commit = "0123456789abcdef0123456789abcdef01234567"
//! locked_at = "2026-12-05T18:40:00Z"
//! "#;
//! let read = read_lock(text, &matrix);
//! assert!(read.diagnostics.is_empty());
//! assert_eq!(write_lock(&read.lock), write_lock(&read_lock(&write_lock(&read.lock), &matrix).lock));
//! ```

use crate::diagnostic::{Diagnostic, Location, Secondary};
use crate::spanned::{TomlReader, item_span, key_span};
use crate::text_form::TextForm;
use edx_matrix_model::did_you_mean;
use edx_matrix_model::url::url_credentials;
use edx_matrix_model::{Code, Matrix};
use edx_matrix_model::{Lock, LockEntry, commit_problem, parse_timestamp};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use toml_edit::TableLike;

type Span = Range<usize>;

/// The version [`write_lock`] writes and [`read_lock`] reads.
pub(crate) const LOCK_VERSION: i64 = 1;

const TOP_KEYS: &[&str] = &["version", "lock"];
const ENTRY_KEYS: &[&str] = &[
    "deployment",
    "stage",
    "application",
    "origin",
    "branch",
    "commit",
    "locked_at",
    "forced",
];

/// Where one entry's values were written, to locate what `check` finds later.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntrySpans {
    /// The `application` value (the entry as a whole).
    pub entry: Span,
    /// The `origin` value.
    pub origin: Span,
    /// The `branch` value.
    pub branch: Span,
}

/// A lock read from text.
#[derive(Clone, Debug, Default)]
pub struct LockRead {
    /// The well-formed entries (an entry with any problem is left out; of duplicates, the first).
    pub lock: Lock,
    /// Where each entry of `lock` was written, by (deployment, stage, application).
    pub spans: BTreeMap<(String, String, String), EntrySpans>,
    /// Every problem, located in the lock's text.
    pub diagnostics: Vec<Diagnostic>,
}

impl LockRead {
    /// Returns where `entry` was written.
    pub fn spans_of(&self, entry: &LockEntry) -> Option<&EntrySpans> {
        self.spans.get(&(
            entry.deployment.clone(),
            entry.stage.clone(),
            entry.application.clone(),
        ))
    }
}

/// Reads lock text against `matrix` (whose names the entries must use).
pub fn read_lock(text: &str, matrix: &Matrix) -> LockRead {
    let mut read = LockRead::default();
    let doc = match toml_edit::Document::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let span = span.start..span.end.max(span.start + 1).min(text.len().max(1));
            let message = e.message().lines().next().unwrap_or("").trim().to_owned();
            read.diagnostics.push(Diagnostic::new(
                Code::TomlSyntax,
                Location::Span(span),
                format!("invalid TOML: {message}"),
                message.clone(),
            ));
            return read;
        }
    };
    let mut toml = TomlReader::new(text);
    let whole = toml.fallback();
    let root = doc.as_table();
    toml.unknown_keys(root, TOP_KEYS, "the lock file", &whole);
    match root.get("version") {
        Some(item) if item.as_integer() == Some(LOCK_VERSION) => {}
        Some(item) => {
            toml.push(
                Code::LockInvalid,
                item_span(item, &whole),
                format!("unsupported lock version `{}`", item.to_string().trim()),
                "this edx-matrix reads `version = 1`",
            );
        }
        None => toml.missing(whole.clone(), "version", "the lock file"),
    }
    let names = Names::of(matrix);
    let mut entries = Vec::new();
    if let Some(item) = root.get("lock") {
        let at = key_span(root, "lock", &whole);
        let tables = toml
            .tables(
                item,
                "`lock`",
                "each `lock` entry",
                "an array of tables (`[[lock]]`)",
                &at,
            )
            .unwrap_or_default();
        for table in tables {
            let at = table_span(table, &at);
            if let Some(entry) = read_entry(&mut toml, table, &at, &names) {
                let key = (
                    entry.0.deployment.clone(),
                    entry.0.stage.clone(),
                    entry.0.application.clone(),
                );
                if let Some(first) = read.spans.get(&key) {
                    toml.push(
                        Code::LockDuplicate,
                        entry.1.entry.clone(),
                        format!(
                            "a second lock entry for `{}` in stage `{}` of `{}`",
                            key.2, key.1, key.0
                        ),
                        "duplicate entry",
                    )
                    .secondary
                    .push(Secondary {
                        location: Location::Span(first.entry.clone()),
                        label: "first locked here".to_owned(),
                    });
                    continue;
                }
                read.spans.insert(key, entry.1);
                entries.push(entry.0);
            }
        }
    }
    read.lock = Lock::new(entries);
    read.diagnostics = toml.into_diagnostics();
    read
}

/// The names an entry may use: the matrix's deployments with their stages, and applications.
struct Names<'m> {
    deployments: BTreeMap<&'m str, Vec<&'m str>>,
    stages: Vec<&'m str>,
    applications: Vec<&'m str>,
}

impl<'m> Names<'m> {
    fn of(matrix: &'m Matrix) -> Self {
        Names {
            deployments: matrix
                .deployments
                .iter()
                .map(|d| {
                    let stages = d.stages.iter().map(|p| p.stage.as_str()).collect();
                    (d.name.as_str(), stages)
                })
                .collect(),
            stages: matrix.stages.iter().map(|s| s.as_str()).collect(),
            applications: matrix
                .applications
                .iter()
                .map(|a| a.name.as_str())
                .collect(),
        }
    }
}

fn table_span(table: &dyn TableLike, fallback: &Span) -> Span {
    // The first key of the table is where the entry starts, for an entry with no good value.
    table
        .iter()
        .next()
        .map_or_else(|| fallback.clone(), |(k, _)| key_span(table, k, fallback))
}

fn read_entry(
    toml: &mut TomlReader,
    table: &dyn TableLike,
    at: &Span,
    names: &Names<'_>,
) -> Option<(LockEntry, EntrySpans)> {
    let before = toml.reported();
    toml.unknown_keys(table, ENTRY_KEYS, "a `[[lock]]` entry", at);
    let mut get = |key: &str| -> Option<(String, Span)> {
        match table.get(key) {
            Some(item) => toml.string(item, &format!("`{key}` of a lock entry"), at),
            None => {
                toml.missing(at.clone(), key, "a `[[lock]]` entry");
                None
            }
        }
    };
    let deployment = get("deployment");
    let stage = get("stage");
    let application = get("application");
    let origin = get("origin");
    let branch = get("branch");
    let commit = get("commit");
    let locked_at = get("locked_at");
    let forced = match table.get("forced") {
        Some(item) => Some(toml.string(item, "`forced` of a lock entry", at)?.0),
        None => None,
    };
    let (deployment, stage, application) = (deployment?, stage?, application?);
    let (origin, branch, commit, locked_at) = (origin?, branch?, commit?, locked_at?);

    if let Some(problem) = commit_problem(&commit.0) {
        toml.push(
            Code::LockInvalid,
            commit.1.clone(),
            format!("malformed commit `{}`", commit.0.escape_debug()),
            problem,
        );
    }
    if parse_timestamp(&locked_at.0).is_none() {
        toml.push(
            Code::LockInvalid,
            locked_at.1.clone(),
            format!("malformed time `{}`", locked_at.0.escape_debug()),
            "expected RFC 3339 UTC to the second, like `2026-12-05T18:40:00Z`",
        );
    }
    if url_credentials(&origin.0) && !origin.0.contains("***") {
        toml.push(
            Code::LockInvalid,
            origin.1.clone(),
            "a lock entry's origin carries a credential".to_owned(),
            "a lock holds no secret",
        )
        .help
        .push("replace the credential with `***`, or re-lock: `edx-matrix lock` redacts it".into());
    }
    match names.deployments.get(deployment.0.as_str()) {
        None => unknown(
            toml,
            &deployment,
            "deployment",
            names.deployments.keys().copied(),
        ),
        Some(stages) if !stages.contains(&stage.0.as_str()) => {
            if names.stages.contains(&stage.0.as_str()) {
                // A stage the deployment dropped: the matrix comparison reports it as stale.
            } else {
                unknown(toml, &stage, "stage", names.stages.iter().copied());
            }
        }
        Some(_) => {}
    }
    if !names.applications.contains(&application.0.as_str()) {
        unknown(
            toml,
            &application,
            "application",
            names.applications.iter().copied(),
        );
    }
    if toml.reported() > before {
        return None;
    }
    let spans = EntrySpans {
        entry: application.1,
        origin: origin.1,
        branch: branch.1,
    };
    let entry = LockEntry {
        deployment: deployment.0,
        stage: stage.0,
        application: application.0,
        origin: origin.0,
        branch: branch.0,
        commit: commit.0,
        locked_at: locked_at.0,
        forced,
    };
    Some((entry, spans))
}

fn unknown<'a>(
    toml: &mut TomlReader,
    (name, span): &(String, Span),
    what: &str,
    known: impl Iterator<Item = &'a str> + Clone,
) {
    let suggestion = did_you_mean(name, known);
    let d = toml.push(
        Code::LockUnknown,
        span.clone(),
        format!(
            "the lock names {what} `{}`, which the matrix does not define",
            name.escape_debug()
        ),
        &format!("unknown {what}"),
    );
    if let Some(s) = suggestion {
        d.help.push(format!("did you mean `{s}`?"));
    }
}

/// Writes `lock` in the one layout the lock file has: a header comment, `version`, then one
/// `[[lock]]` table per entry in key order, every value a basic string.
pub fn write_lock(lock: &Lock) -> String {
    let mut out = String::from(
        "# The exact commit each stage builds, written by `edx-matrix lock` and `promote`.\n\
         # Review it like code; `edx-matrix check` compares it with the matrix.\n",
    );
    let _ = writeln!(out, "version = {LOCK_VERSION}");
    for e in lock.entries() {
        out.push_str("\n[[lock]]\n");
        let mut field = |key: &str, value: &str| {
            let _ = writeln!(out, "{key} = {}", quote(value));
        };
        field("deployment", &e.deployment);
        field("stage", &e.stage);
        field("application", &e.application);
        field("origin", &e.origin);
        field("branch", &e.branch);
        field("commit", &e.commit);
        field("locked_at", &e.locked_at);
        if let Some(reason) = &e.forced {
            field("forced", reason);
        }
    }
    out
}

/// Writes `lock` ([`write_lock`]) in the text form of `like`: the lock it replaces, so a lock
/// the user keeps with CRLF line endings (or a byte-order mark) stays so after a re-lock, or,
/// for a new lock, the matrix beside it, whose line endings (not its byte-order mark) it takes.
pub fn write_lock_like(lock: &Lock, like: Like<'_>) -> String {
    let (form, _) = match like {
        Like::Lock(text) => TextForm::detect(text),
        Like::Matrix(text) => {
            let (form, normal) = TextForm::detect(text);
            (TextForm { bom: false, ..form }, normal)
        }
    };
    form.restore(&write_lock(lock))
}

/// The text whose form [`write_lock_like`] keeps.
#[derive(Clone, Copy, Debug)]
pub enum Like<'a> {
    /// The lock file being replaced.
    Lock(&'a str),
    /// The matrix beside a new lock.
    Matrix(&'a str),
}

/// A TOML basic string of `value`: always `"…"` (toml_edit would pick a literal or multi-line
/// form for some values, and the lock's layout must not depend on its values).
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_crlf_lock_stays_crlf_and_a_new_lock_takes_the_matrix_line_endings() {
        let lock = Lock::default();
        let lf = write_lock(&lock);
        assert!(!lf.contains('\r'));
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(write_lock_like(&lock, Like::Lock(&crlf)), crlf);
        let bom = format!("\u{feff}{crlf}");
        assert_eq!(write_lock_like(&lock, Like::Lock(&bom)), bom);
        assert_eq!(write_lock_like(&lock, Like::Lock("version = 1\n")), lf);
        // A new lock: the matrix's CRLF, never its byte-order mark.
        assert_eq!(
            write_lock_like(&lock, Like::Matrix("\u{feff}a = 1\r\n")),
            crlf
        );
        assert_eq!(write_lock_like(&lock, Like::Matrix("a = 1\n")), lf);
        // Mixed endings are no form to keep: LF.
        assert_eq!(write_lock_like(&lock, Like::Lock("a\r\nb\n")), lf);
    }

    #[test]
    fn quotes_are_escaped_by_toml_edit() {
        assert_eq!(quote("a\"b\\c\n\u{7f}"), r#""a\"b\\c\n\u007F""#);
        assert_eq!(quote("plain"), "\"plain\"");
        // What toml_edit reads back is the value itself.
        let text = format!("v = {}", quote("a\"b\\c\n\u{7f}\u{1}é"));
        let doc = toml_edit::Document::parse(text.as_str()).unwrap();
        assert_eq!(doc["v"].as_str(), Some("a\"b\\c\n\u{7f}\u{1}é"));
    }
}
