//! Fails when a file in `tests/formats/interop/` is not declared as a module of `mod.rs`, or a test
//! binary in `tests/` is not a `[[test]]` target, so a forgotten test file cannot silently stop
//! running.

use edx_matrix_test_support::{unlisted_test_targets, unwired_test_files};
use std::path::Path;

#[test]
fn every_test_file_is_a_module() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let unwired = unwired_test_files(&crate_dir.join("tests/formats/interop"), "mod.rs");
    assert!(
        unwired.is_empty(),
        "add `mod …;` to tests/formats/interop/mod.rs for {unwired:?}"
    );
    let unlisted = unlisted_test_targets(crate_dir);
    assert!(
        unlisted.is_empty(),
        "add a `[[test]]` target to Cargo.toml for {unlisted:?}"
    );
}
