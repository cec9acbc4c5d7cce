//! [`FileCommit`]: one commit of a file's log, parsed from `git log` output (renames followed).

use serde::{Deserialize, Serialize};

/// One commit that changed a file, as listed by [`LocalRepo::file_log`](super::LocalRepo::file_log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCommit {
    /// The full commit hash.
    pub hash: String,
    /// The abbreviated commit hash.
    pub short_hash: String,
    /// The author date in strict ISO 8601 (`2024-06-01T12:00:00+02:00`).
    pub date: String,
    /// The first line of the commit message.
    pub subject: String,
    /// The file's path in this commit, relative to the top-level, with forward slashes.
    pub path_at_commit: String,
}

/// Returns the fields of a record's header token, `\x1e<hash>\x1f<short>\x1f<date>\x1f<subject>`
/// (after an optional newline), or `None` when `token` is not one. Only the subject is free
/// text; the hashes and the date have fixed forms, so nothing in a subject can pass for them.
fn header(token: &str) -> Option<(&str, &str, &str, &str)> {
    let rest = token.trim_start_matches('\n').strip_prefix('\x1e')?;
    let mut fields = rest.splitn(4, '\x1f');
    let (hash, short, date) = (fields.next()?, fields.next()?, fields.next()?);
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    let date_like = date.len() >= 20
        && date
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b':' | b'+' | b'T' | b'Z'));
    (hex(hash)
        && matches!(hash.len(), 40 | 64)
        && hex(short)
        && short.len() <= hash.len()
        && date_like)
        .then(|| (hash, short, date, fields.next().unwrap_or_default()))
}

/// Parses `git log -z [--name-status] --format=%x1e%H%x1f%h%x1f%aI%x1f%s` output.
///
/// With `-z` every field git prints ends in a NUL, and a subject cannot hold one (git's `%s`
/// stops at the first), so the output is read as NUL-separated tokens: a header token (the whole
/// subject inside it), then, with `--name-status`, a status token and one path (two for a rename
/// or copy), counted, never recognised by their text. A subject or a path that looks like a
/// record therefore stays part of its own record (issue 22: a subject holding
/// `\x1e<hash>\x1f…` forged revisions when records were split at `\x1e`).
pub(super) fn parse_log(stdout: &str, path: &str) -> Vec<FileCommit> {
    let mut commits = Vec::new();
    let mut current_path = path.to_owned();
    let mut tokens = stdout.split('\0').peekable();
    while let Some(token) = tokens.next() {
        let Some((hash, short_hash, date, subject)) = header(token) else {
            // Only an empty token (the end, or a commit with no change listed) is expected here.
            continue;
        };
        // Its changes, unless the next token is already the next record's header.
        if let Some(status) = tokens.next_if(|t| header(t).is_none()) {
            let status = status.trim_start_matches('\n');
            if !status.is_empty() {
                // A rename or copy lists the old path, then the new one.
                let paths = 1 + usize::from(status.starts_with(['R', 'C']));
                let changed: Vec<&str> = tokens.by_ref().take(paths).collect();
                if let Some(changed) = changed.last().filter(|p| !p.is_empty()) {
                    (*changed).clone_into(&mut current_path);
                }
            }
        }
        commits.push(FileCommit {
            hash: hash.to_owned(),
            short_hash: short_hash.to_owned(),
            date: date.to_owned(),
            subject: subject.to_owned(),
            path_at_commit: current_path.clone(),
        });
    }
    commits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_log_with_rename() {
        let (a, b, c) = ("a".repeat(40), "b".repeat(40), "c".repeat(40));
        let out = format!(
            "\x1e{a}\x1fa\x1f2024-01-03T00:00:00+00:00\x1fedit\0\nM\0new/m.toml\0\
             \x1e{b}\x1fb\x1f2024-01-02T00:00:00+00:00\x1fmove\0\nR100\0m.toml\0new/m.toml\0\
             \x1e{c}\x1fc\x1f2024-01-01T00:00:00+00:00\x1fadd\0\nA\0m.toml\0"
        );
        let log = parse_log(&out, "new/m.toml");
        let summary: Vec<_> = log
            .iter()
            .map(|c| {
                (
                    c.hash.as_str(),
                    c.subject.as_str(),
                    c.path_at_commit.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (a.as_str(), "edit", "new/m.toml"),
                (b.as_str(), "move", "new/m.toml"),
                (c.as_str(), "add", "m.toml")
            ]
        );
    }

    /// A subject holding the record and field separators (and an escape) stays one record, and
    /// the rename it made is still followed.
    #[test]
    fn a_subject_with_separators_is_one_record() {
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let subject = "evil\x1e\x1b[31m\x1fnot a field\x07";
        let out = format!(
            "\x1e{a}\x1fa\x1f2024-01-02T00:00:00+00:00\x1f{subject}\0\nR100\0m.toml\0new/m.toml\0\
             \x1e{b}\x1fb\x1f2024-01-01T00:00:00+00:00\x1fadd\0\nA\0m.toml\0"
        );
        let log = parse_log(&out, "new/m.toml");
        assert_eq!(log.len(), 2, "{log:?}");
        assert_eq!(log[0].subject, subject);
        assert_eq!(log[0].path_at_commit, "new/m.toml");
        assert_eq!(log[1].path_at_commit, "m.toml");
    }

    /// A subject holding a whole record (another commit's full hash, a date, a subject) and a
    /// path that looks like one are still one record each.
    #[test]
    fn a_subject_holding_a_record_forges_nothing() {
        let (a, b, c) = ("a".repeat(40), "b".repeat(40), "c".repeat(40));
        let forged = format!("\x1e{c}\x1fc\x1f2030-01-01T00:00:00+00:00\x1fforged");
        let out = format!(
            "\x1e{a}\x1fa\x1f2024-01-02T00:00:00+00:00\x1fsubject{forged}\0\nM\0{forged}\0\
             \x1e{b}\x1fb\x1f2024-01-01T00:00:00+00:00\x1fadd\0\nA\0m.toml\0"
        );
        let log = parse_log(&out, "m.toml");
        let hashes: Vec<&str> = log.iter().map(|c| c.hash.as_str()).collect();
        assert_eq!(hashes, [a.as_str(), b.as_str()]);
        assert_eq!(log[0].subject, format!("subject{forged}"));
        assert_eq!(log[0].date, "2024-01-02T00:00:00+00:00");
    }

    #[test]
    fn parses_a_log_without_changes() {
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let out = format!(
            "\x1e{a}\x1fa\x1f2024-01-02T00:00:00Z\x1ftwo\0\x1e{b}\x1fb\x1f2024-01-01T00:00:00Z\x1fone\0"
        );
        let log = parse_log(&out, "label");
        assert_eq!(log.len(), 2);
        assert_eq!(log[1].subject, "one");
        assert_eq!(log[1].path_at_commit, "label");
    }
}
