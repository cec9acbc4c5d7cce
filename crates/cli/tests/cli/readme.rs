//! The README's example commands run as written (on the built-in example), so the newcomer's
//! path never rots.

use crate::harness::Env;

#[test]
fn readme_example_commands_succeed() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"),
    )
    .unwrap();
    let commands: Vec<Vec<String>> = readme
        .lines()
        .filter_map(|line| line.trim().strip_prefix("cargo run --release -- "))
        .map(|rest| {
            let args = rest.split('#').next().unwrap_or_default();
            args.split_whitespace().map(str::to_owned).collect()
        })
        .collect();
    assert!(commands.len() >= 3, "the README lost its example commands");
    let env = Env::new();
    for args in &commands {
        assert!(
            args.iter().any(|a| a == "--example"),
            "README command without --example: {args:?}"
        );
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = env.run(&args);
        assert_eq!(run.code, 0, "`{}` failed:\n{}", args.join(" "), run.stderr);
        assert!(
            !run.stdout.is_empty() || !run.stderr.is_empty(),
            "`{}` printed nothing",
            args.join(" ")
        );
    }
}
