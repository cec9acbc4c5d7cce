//! `edx-matrix schema` answers to an editor's validator: taplo (the TOML toolkit behind Even
//! Better TOML, PyPI `taplo`, in the CI venv) checks the example and broken variants of it with
//! the generated schema, and accepts exactly the files `check` finds no shape error in.

use crate::harness::Env;
use edx_matrix_test_support::{missing, venv_program};
use std::process::Command;

const KIND: &str = r#"edx-platform      = { kind = "ida","#;
const BRANCH: &str = r#"ulmo     = { branch = "release/ulmo","#;

#[test]
fn taplo_accepts_what_check_accepts_with_the_generated_schema() {
    let Some(taplo) = venv_program("taplo") else {
        missing(
            module_path!(),
            "taplo is not installed in the test virtual environment",
            "run `.ci/run` (it installs .ci/python-requirements.txt)",
        );
        return;
    };
    let example = std::fs::read_to_string(
        edx_matrix_test_support::workspace_root().join("examples/acme/edx-matrix.toml"),
    )
    .unwrap();
    assert!(example.contains(KIND) && example.contains(BRANCH));
    // (variant, the change, whether it is well-formed)
    let cases = [
        ("as-is", example.clone(), true),
        (
            "upper-case kind",
            example.replacen(KIND, r#"edx-platform      = { kind = "IDA","#, 1),
            true,
        ),
        (
            "misspelt kind",
            example.replacen(KIND, r#"edx-platform      = { kind = "Ida","#, 1),
            false,
        ),
        (
            "unknown key",
            example.replacen("stages = [", "colour = \"blue\"\nstages = [", 1),
            false,
        ),
        (
            "branch as a number",
            example.replacen(BRANCH, "ulmo     = { branch = 5,", 1),
            false,
        ),
    ];
    for (what, text, valid) in cases {
        let env = Env::with_example_matrix(&text);
        env.run(&["schema", "-o", "schema.json"]).ok();
        let check = env.run(&["check"]);
        assert_eq!(check.code == 0, valid, "{what}: check: {}", check.stderr);
        let schema = format!("file://{}", env.path("schema.json").display());
        let out = Command::new(&taplo)
            .args(["check", "--schema", &schema, "edx-matrix.toml"])
            .current_dir(env.path(""))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(
            out.status.success(),
            valid,
            "{what}: taplo: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
