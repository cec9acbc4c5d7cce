//! Fails when a file in `tests/` is not declared as a module of `tests.rs`, so a
//! forgotten test file cannot silently stop running.

use std::fs;
use std::path::Path;

#[test]
fn every_test_file_is_a_module() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let root = fs::read_to_string(dir.join("tests.rs")).unwrap();
    let mut unwired = Vec::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs")
            && stem != "tests"
            && !root.contains(&format!("mod {stem};"))
        {
            unwired.push(stem.to_owned());
        }
    }
    assert!(
        unwired.is_empty(),
        "add `mod …;` to tests/tests.rs for {unwired:?}"
    );
}
