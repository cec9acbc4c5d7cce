//! The shared fixture directory `tests/fixtures` and the expectations its invalid fixtures
//! declare: `# expect: CODE PLACE` header lines in a TOML fixture, or one `CODE PLACE` line
//! each in a `.expect` file beside the fixture (PLACE is `LINE:COL` or a JSON path).

use std::path::{Path, PathBuf};

/// `tests/fixtures/<relative>` of the workspace.
pub(crate) fn path(relative: &str) -> PathBuf {
    crate::workspace_root()
        .join("tests/fixtures")
        .join(relative)
}

/// `tests/fixtures/<relative>` as a string, for `datatest_stable::harness!`'s `root`.
pub fn root(relative: &str) -> String {
    path(relative).display().to_string()
}

/// The text of `tests/fixtures/<relative>`.
///
/// # Panics
///
/// When it cannot be read.
#[track_caller]
pub fn text(relative: &str) -> String {
    let path = path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The files of `tests/fixtures/<relative>` whose extension is `ext`, sorted.
///
/// # Panics
///
/// When the directory cannot be read or holds no such file.
#[track_caller]
pub fn files(relative: &str, ext: &str) -> Vec<PathBuf> {
    let dir = path(relative);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .{ext} file in {}", dir.display());
    files
}

/// The `(CODE, PLACE)` pairs of the `# expect: CODE PLACE` lines of `text`.
///
/// # Panics
///
/// When an `# expect:` line has no place.
#[track_caller]
pub fn header_expectations(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(split_expectation)
        .collect()
}

/// The `(CODE, PLACE)` pairs of the `.expect` file beside `fixture` (one `CODE PLACE` a line).
///
/// # Panics
///
/// When there is no such file or a line has no place.
#[track_caller]
pub fn file_expectations(fixture: &Path) -> Vec<(String, String)> {
    let expect = fixture.with_extension("expect");
    let text = std::fs::read_to_string(&expect).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (every fixture declares what it expects)",
            expect.display()
        )
    });
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(split_expectation)
        .collect()
}

#[track_caller]
fn split_expectation(line: &str) -> (String, String) {
    let Some((code, place)) = line.trim().split_once(' ') else {
        panic!("an expectation is `CODE PLACE`, not {line:?}");
    };
    (code.to_owned(), place.trim().to_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_are_read_in_order() {
        let text = "# expect: unknown-key 3:1\nname = 1\n# expect: wrong-type 4:8\n";
        assert_eq!(
            header_expectations(text),
            [
                ("unknown-key".to_owned(), "3:1".to_owned()),
                ("wrong-type".to_owned(), "4:8".to_owned())
            ]
        );
        assert_eq!(header_expectations("name = 1\n"), Vec::new());
    }

    #[test]
    fn every_invalid_fixture_directory_is_found() {
        assert!(files("invalid", "toml").len() > 10);
        assert!(!file_expectations(&files("invalid-json", "json")[0]).is_empty());
    }
}
