//! `edx-matrix.lock` as text: a written lock reads back the same and writes byte-identically;
//! every hand-edit the issue names (a malformed hash, a duplicate entry, an unknown name, an
//! unknown key) is one located error. Positions are counted by hand in the texts below.

use edx_matrix_formats::{Source, example, load_toml};
use edx_matrix_formats::{read_lock, write_lock};
use edx_matrix_model::Matrix;
use edx_matrix_model::{Lock, LockEntry};

fn matrix() -> Matrix {
    load_toml(Source::new("edx-matrix.toml", example::TEXT)).matrix
}

const FORUM: &str = "https://github.com/openedx/cs_comments_service";
const HASH: &str = "0123456789abcdef0123456789abcdef01234567";

/// Line 4: `[[lock]]`; each entry is 9 lines from `[[lock]]` to the blank line after it.
fn entry_text(deployment: &str, stage: &str, application: &str, commit: &str) -> String {
    format!(
        "[[lock]]\ndeployment = \"{deployment}\"\nstage = \"{stage}\"\napplication = \"{application}\"\n\
         origin = \"{FORUM}\"\nbranch = \"master\"\ncommit = \"{commit}\"\nlocked_at = \"2026-12-05T18:40:00Z\"\n"
    )
}

fn lock_text(entries: &[String]) -> String {
    format!("version = 1\n\n{}", entries.join("\n"))
}

/// (code, line, column) of each diagnostic of reading `text` against the example.
fn problems(text: &str) -> Vec<(&'static str, usize, usize)> {
    let source = Source::new("edx-matrix.lock", text);
    read_lock(text, &matrix())
        .diagnostics
        .iter()
        .map(|d| {
            let (line, col) = d.line_col(&source).unwrap();
            (d.code.as_str(), line, col)
        })
        .collect()
}

#[test]
fn a_written_lock_reads_back_and_rewrites_byte_for_byte() {
    let lock = Lock::new([
        LockEntry {
            deployment: "online".into(),
            stage: "QA".into(),
            application: "forum".into(),
            origin: FORUM.into(),
            branch: "master".into(),
            commit: HASH.into(),
            locked_at: "2026-12-05T18:40:00Z".into(),
            forced: Some("hotfix \"CVE\" approved by ops".into()),
        },
        LockEntry {
            deployment: "campus".into(),
            stage: "CI".into(),
            application: "forum".into(),
            origin: "https://user:***@git.example.com/forum.git".into(),
            branch: "acme/master".into(),
            commit: "f".repeat(40),
            locked_at: "2026-12-01T00:00:00Z".into(),
            forced: None,
        },
    ]);
    let text = write_lock(&lock);
    let read = read_lock(&text, &matrix());
    assert_eq!(read.diagnostics, []);
    assert_eq!(read.lock, lock);
    assert_eq!(write_lock(&read.lock), text);
    // Sorted by (deployment, stage, application): campus first.
    assert!(text.find("\"campus\"").unwrap() < text.find("\"online\"").unwrap());
    assert!(text.contains("forced = \"hotfix \\\"CVE\\\" approved by ops\"\n"));
}

#[test]
fn a_malformed_hash_is_located_at_the_commit() {
    // commit is line 9 of the file, its string at column 10.
    let text = lock_text(&[entry_text("online", "QA", "forum", "0123abc")]);
    assert_eq!(problems(&text), [("lock-invalid", 9, 10)]);
    let upper = lock_text(&[entry_text("online", "QA", "forum", &HASH.to_uppercase())]);
    assert_eq!(problems(&upper), [("lock-invalid", 9, 10)]);
}

#[test]
fn a_duplicate_entry_is_located_at_the_second_with_the_first_beside_it() {
    let text = lock_text(&[
        entry_text("online", "QA", "forum", HASH),
        entry_text("online", "QA", "forum", HASH),
    ]);
    // The second entry's `application` is line 6 + 9 = 15, its string at column 15.
    assert_eq!(problems(&text), [("lock-duplicate", 15, 15)]);
    let read = read_lock(&text, &matrix());
    let source = Source::new("edx-matrix.lock", text.as_str());
    let json = read.diagnostics[0].to_json(&source);
    assert_eq!(json.related[0].line, Some(6));
    assert_eq!(read.lock.entries().len(), 1);
}

#[test]
fn unknown_names_are_located_with_a_suggestion() {
    let text = lock_text(&[entry_text("onlin", "QA", "forum", HASH)]);
    assert_eq!(problems(&text), [("lock-unknown", 4, 14)]);
    let read = read_lock(&text, &matrix());
    assert_eq!(read.diagnostics[0].help, ["did you mean `online`?"]);
    let text = lock_text(&[entry_text("online", "Staging", "forum", HASH)]);
    assert_eq!(problems(&text), [("lock-unknown", 5, 9)]);
    let text = lock_text(&[entry_text("online", "QA", "forums", HASH)]);
    assert_eq!(problems(&text), [("lock-unknown", 6, 15)]);
}

#[test]
fn unknown_keys_missing_keys_a_credential_and_a_bad_version_are_located() {
    let text = lock_text(&[entry_text("online", "QA", "forum", HASH)])
        .replace("branch = ", "brunch = ")
        .replace("version = 1", "version = 2\nlocks = []");
    assert_eq!(
        problems(&text),
        [
            ("unknown-key", 2, 1),
            ("lock-invalid", 1, 11),
            ("unknown-key", 9, 1),
            ("missing-key", 5, 1),
        ]
    );
    let text = lock_text(&[entry_text("online", "QA", "forum", HASH)])
        .replace(FORUM, "https://me:tok3n@github.com/x");
    assert_eq!(problems(&text), [("lock-invalid", 7, 10)]);
    let text = lock_text(&[entry_text("online", "QA", "forum", HASH)])
        .replace("18:40:00Z", "18:40:00+01:00");
    assert_eq!(problems(&text), [("lock-invalid", 10, 13)]);
    assert_eq!(problems("version = 1\n[[lock]\n"), [("toml-syntax", 2, 8)]);
}
