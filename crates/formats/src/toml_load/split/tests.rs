//! The block-by-block path against the whole-document path: on every fixture and example that
//! has the plain layout, the same matrix, source map and diagnostics.

use super::super::oracle::outcome;
use super::super::{parse_by_blocks, parse_whole, read_document};
use super::blocks;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub(crate) fn toml_files() -> Vec<PathBuf> {
    let mut files = vec![
        repo().join("examples/acme/edx-matrix.toml"),
        repo().join("benches/inputs/estate-156.toml"),
    ];
    for dir in [
        "tests/fixtures/valid",
        "tests/fixtures/invalid",
        "tests/fixtures/acme",
    ] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|entry| entry.map(|e| e.path()).unwrap_or_default())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

#[test]
fn every_plain_fixture_reads_the_same_by_blocks() {
    let mut by_blocks = 0;
    for file in toml_files() {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        let Some(split) = parse_by_blocks(&text) else {
            continue;
        };
        by_blocks += 1;
        let whole = parse_whole(&text).unwrap_or_else(|e| {
            panic!("{file:?}: the whole document fails ({e:?}), the blocks parse")
        });
        let (split, whole) = (outcome(split, &text), outcome(whole, &text));
        // The first line that differs, not two whole dumps.
        let first = split.lines().zip(whole.lines()).position(|(a, b)| a != b);
        assert!(
            split == whole,
            "{file:?} read by blocks differs at line {first:?}: {:?} vs {:?}",
            first.and_then(|n| split.lines().nth(n)),
            first.and_then(|n| whole.lines().nth(n)),
        );
    }
    // Most fixtures have `[[map]]` blocks in the plain layout: the comparison must have run.
    assert!(by_blocks >= 30, "only {by_blocks} files read by blocks");
}

#[test]
fn a_header_inside_a_multi_line_string_or_array_does_not_cut() {
    let text = "stages = [\"S\"]\n[[map]]\nreleases = [\n[\"x\"],\n]\n[map.apps]\na = { branch = \"\"\"\n[releases]\n\"\"\" }\n[releases]\nr = {}\n";
    let found = blocks(text).expect("plain layout");
    let start = text.find("[[map]]").expect("block");
    let end = text.rfind("[releases]").expect("releases");
    assert_eq!(found, vec![start..end]);
}

#[test]
fn any_other_spelling_of_map_reads_the_whole_document() {
    for text in [
        "[map.apps]\na = {}\n",
        "[[map]]\nreleases = []\n[releases]\n[map.apps]\n",
        "[[\"map\"]]\nreleases = []\n",
        "[[ map . apps ]]\n",
        "[map]\n",
        "[[map]]\n[map.apps.a]\n",
        "x = ]\n",
    ] {
        assert_eq!(blocks(text), None, "{text:?}");
    }
    // A root key `map` beside the blocks: the rest has it, so the whole document is read.
    assert!(parse_by_blocks("map = []\n[[map]]\nreleases = []\n").is_none());
}

#[test]
fn spaced_headers_and_comments_still_cut() {
    let text = "stages = []\n  [[ map ]] # first\nreleases = []\n[ map.apps ]\n[lints] # after\n";
    let found = blocks(text).expect("plain layout");
    assert_eq!(found.len(), 1);
    assert_eq!(
        &text[found[0].clone()],
        "[[ map ]] # first\nreleases = []\n[ map.apps ]\n"
    );
}

#[test]
fn a_syntax_error_in_a_block_is_the_whole_document_s() {
    let text = "stages = [\"S\"]\n[[map]]\nreleases = [\"r\"]\ndeployments = [\"d\"]\n[map.apps]\na = { branch = }\n";
    assert!(parse_by_blocks(text).is_none());
    assert!(parse_whole(text).is_err());
}

/// Every `AppVersion` naming an application (or a release) shares one copy of the name, across
/// blocks and both read paths: a million entries do not hold a million copies of a few hundred
/// names (docs/benchmarks.md, round 4).
#[test]
fn names_are_shared_across_blocks() {
    let text = r#"stages = ["CI"]

[releases]
ulmo = { branch = "release/ulmo" }

[applications]
lms = { kind = "ida", repository = "https://github.com/openedx/lms" }

[deployments]
a = { CI = "ulmo" }
b = { CI = "ulmo" }

[[map]]
releases = ["ulmo"]
deployments = ["a"]
[map.apps]
lms = {}

[[map]]
releases = ["ulmo"]
deployments = ["b"]
[map.apps]
lms = { release = "ulmo" }
"#;
    let whole = parse_whole(text).expect("parses");
    let split = parse_by_blocks(text).expect("plain layout");
    for mut parsed in [whole, split] {
        let (matrix, _, diagnostics) = read_document(&mut parsed, text);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        let [a, b] = &matrix.release_map[..] else {
            panic!("two entries: {:#?}", matrix.release_map);
        };
        let (a, b) = (&a.apps[0], &b.apps[0]);
        assert_eq!(
            (a.application.as_str(), b.release.as_str()),
            ("lms", "ulmo")
        );
        assert!(std::ptr::eq(a.application.as_str(), b.application.as_str()));
        // The entry's release and an application's own `release = "ulmo"` are one copy too.
        assert!(std::ptr::eq(a.release.as_str(), b.release.as_str()));
    }
}
