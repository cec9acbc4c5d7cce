//! [`FileCommit`]: one commit of a file's log, parsed from `git log` output (renames followed).

use serde::{Deserialize, Serialize};

/// One commit that changed a file, as listed by [`LocalRepo::file_log`](super::LocalRepo::file_log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCommit {
    /// The full commit hash.
    pub hash: String,
    /// The abbreviated commit hash.
    pub short_hash: String,
    /// The committer date in strict ISO 8601 (`2024-06-01T12:00:00+02:00`).
    pub date: String,
    /// The first line of the commit message.
    pub subject: String,
    /// The file's path in this commit, relative to the top-level, with forward slashes.
    pub path_at_commit: String,
}

/// Splits `git log` output at each `\x1e` that starts a record: one followed by a full commit
/// hash (40 or 64 hex digits) and `\x1f`. A commit subject may hold `\x1e` itself (git allows
/// any byte but NUL there); splitting at every one would cut that commit's record in two.
fn log_records(stdout: &str) -> impl Iterator<Item = &str> {
    let starts_record = |rest: &str| {
        let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        matches!(hex, 40 | 64) && rest.as_bytes().get(hex) == Some(&0x1f)
    };
    let mut starts: Vec<usize> = stdout
        .match_indices('\x1e')
        .map(|(i, _)| i)
        .filter(|&i| starts_record(&stdout[i + 1..]))
        .collect();
    starts.push(stdout.len());
    let head = &stdout[..starts[0]];
    let records: Vec<&str> = starts.windows(2).map(|w| &stdout[w[0] + 1..w[1]]).collect();
    std::iter::once(head).chain(records)
}

/// Parses `git log -z --name-status --format=%x1e%H%x1f%h%x1f%cI%x1f%s` output.
pub(super) fn parse_log(stdout: &str, path: &str) -> Vec<FileCommit> {
    let mut commits = Vec::new();
    let mut current_path = path.to_owned();
    for record in log_records(stdout).filter(|r| !r.trim().is_empty()) {
        let (header, changes) = record.split_once('\0').unwrap_or((record, ""));
        let mut fields = header.trim_end_matches('\n').splitn(4, '\x1f');
        let (Some(hash), Some(short_hash), Some(date), subject) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let mut tokens = changes
            .trim_start_matches('\n')
            .split('\0')
            .filter(|t| !t.is_empty());
        if let Some(status) = tokens.next() {
            // A rename or copy lists the old path, then the new one.
            let skip = usize::from(status.starts_with(['R', 'C']));
            if let Some(changed) = tokens.nth(skip) {
                changed.clone_into(&mut current_path);
            }
        }
        commits.push(FileCommit {
            hash: hash.to_owned(),
            short_hash: short_hash.to_owned(),
            date: date.to_owned(),
            subject: subject.unwrap_or_default().to_owned(),
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
}
