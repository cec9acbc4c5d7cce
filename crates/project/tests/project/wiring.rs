//! Fails when a file in `tests/project/` is not declared as a module of `main.rs`, so a
//! forgotten test file cannot silently stop running.

#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/project");
    let unwired = edx_matrix_test_support::unwired_test_files(&dir, "main.rs");
    assert!(
        unwired.is_empty(),
        "add `mod …;` to tests/project/main.rs for {unwired:?}"
    );
}
