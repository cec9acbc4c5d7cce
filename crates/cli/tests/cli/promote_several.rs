//! `promote a,b --stage QA`: several deployments promoted in one edit, refused as a whole.
#![allow(clippy::unwrap_used)]

use crate::harness::Env;

fn acme() -> Env {
    let env = Env::new();
    env.run(&["init", "--example", "."]).ok();
    env
}

#[test]
fn promote_several_deployments_in_one_edit() {
    let env = acme();
    let before = env.read("edx-matrix.toml");
    let run = env.run(&["promote", "campus,campus-staging", "--stage", "QA", "-q"]);
    assert!(
        run.ok().starts_with(
            "promoted `campus` stage `QA` from `verawood` to `master` (the release of `CI`)\npromoted `campus-staging` stage `QA` from `verawood` to `master` (the release of `CI`)\n"
        ),
        "{}",
        run.stdout
    );
    let after = env.read("edx-matrix.toml");
    for line in [
        r#"campus         = { CI = "master",   QA = "master",   Production = "verawood" }"#,
        r#"campus-staging = { CI = "master",   QA = "master",   Production = "verawood" }"#,
    ] {
        assert!(after.contains(line), "{line}\n{after}");
    }
    // One deployment that cannot be promoted refuses the whole edit: nothing is written.
    env.write("edx-matrix.toml", &before);
    env.run(&["promote", "campus,pro", "--stage", "CI"]).code(1);
    assert_eq!(env.read("edx-matrix.toml"), before);
}
