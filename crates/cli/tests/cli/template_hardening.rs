//! Regression tests of issue 22, rows 1-3, the template-file part of row 6 and the template
//! directory of row 14: hostile pipeline templates end at their bounds with a located
//! `pipeline-template` error (exit 1, nothing written), template files are read within their
//! size limit and only when a template runs or loads them, and a template directory that is a
//! symbolic link is not followed.

use crate::harness::{Env, Run};

const MATRIX: &str = r#"stages = ["CI"]
[releases]
ulmo = { branch = "release/ulmo" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
[deployments]
campus = { CI = "ulmo" }
[[map]]
releases = ["ulmo"]
deployments = ["campus"]
[map.apps]
forum = {}
[pipelines]
templates = ["pipelines/main.star"]
"#;

/// A matrix whose one template is `template`, with `settings` added to `[pipelines]`.
fn project(settings: &str, template: &str) -> Env {
    let env = Env::with_matrix(&format!("{MATRIX}{settings}"));
    env.write("pipelines/main.star", template);
    env
}

/// `check` fails with exit 1 and one error; `render --all -o` writes nothing, the matrix is
/// unchanged. Returns the `check` run.
#[track_caller]
fn refused(env: &Env) -> Run {
    let run = env.run_refused(&["check"], 1);
    assert!(run.stderr.contains("1 error, 0 warnings"), "{}", run.stderr);
    env.run_refused(&["pipeline", "render", "--all", "-o", "out"], 1);
    assert!(!env.path("out").exists());
    run
}

/// Asserts `run` reports a `pipeline-template` error at `place` (relative to the scratch
/// directory) whose message has every one of `parts`.
#[track_caller]
fn says(run: &Run, place: &str, parts: &[&str]) {
    assert!(
        run.stderr.contains("error[pipeline-template]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("┌─ [TMP]/{place}\n")),
        "not at {place}:\n{}",
        run.stderr
    );
    for part in parts {
        assert!(run.stderr.contains(part), "no `{part}` in:\n{}", run.stderr);
    }
}

/// Row 1: 300 nested lists used to abort `check` with a stack overflow (exit 134).
#[test]
fn row01_a_value_nested_300_deep_is_refused_at_the_depth_bound() {
    let env = project(
        "",
        "def pipelines(matrix, standard):\n    x = []\n    for i in range(300):\n        x = [x]\n    return [{\"name\": \"deep\", \"config\": {\"jobs\": x}}]\n",
    );
    let run = refused(&env);
    says(
        &run,
        "pipelines/main.star:1:1",
        &[
            "limit error: `pipelines` returned a value that is nested too deep (at `value[0].config.jobs[0][0]",
            "the template went past its bound of 100 levels of nesting; raise it with `[pipelines] template_depth = N` (now 100, at most 1000)",
        ],
    );
}

/// Row 2: a nested `range(2147483647)` loop used to make `check` run for ever.
#[test]
fn row02_an_endless_loop_ends_at_the_step_bound() {
    // The default bound (two million steps) is slow in a debug build: a lower one here.
    let env = project(
        "template_steps = 300000\n",
        "def pipelines(matrix, standard):\n    n = 0\n    for i in range(2147483647):\n        for j in range(2147483647):\n            n += 1\n    return []\n",
    );
    let run = refused(&env);
    says(
        &run,
        "pipelines/main.star:5:13",
        &[
            "limit error: the template went past its bound of 300000 steps (function calls and loop iterations); raise it with `[pipelines] template_steps = N` (now 300000, at most 100000000)",
        ],
    );
}

/// Row 3: forty list doublings used to reach 4.4 GB and panic inside Starlark (exit 101).
#[test]
fn row03_list_doubling_ends_at_the_default_memory_bound() {
    let env = project(
        "",
        "def pipelines(matrix, standard):\n    x = [1]\n    for i in range(40):\n        x = x + x\n    return []\n",
    );
    let run = refused(&env);
    says(
        &run,
        "pipelines/main.star:4:9",
        &[
            "limit error: the template went past its bound of 256 MiB of template memory; raise it with `[pipelines] template_memory_mib = N` (now 256, at most 2048)",
        ],
    );
}

/// A bound past its ceiling is refused where it is written.
#[test]
fn a_bound_past_its_ceiling_is_refused_in_the_matrix() {
    let env = project(
        "template_steps = 100000001\n",
        "def pipelines(matrix, standard):\n    return []\n",
    );
    let run = env.run_refused(&["check"], 1);
    assert!(
        run.stderr.contains("error[pipeline-invalid]: `template_steps` must be between 1 and 100000000 (its ceiling), found 100000001")
            && run.stderr.contains("┌─ [TMP]/edx-matrix.toml:15:18"),
        "{}",
        run.stderr
    );
}

/// Row 6: a template over the size limit is refused at the pattern that names it, without being
/// read; forty sparse 31 MiB `.star` files no template loads are not read at all (they used to
/// make `check` read 1.29 GB); a loaded one too large is refused at its `load()`.
#[test]
fn row06_template_files_are_read_within_their_limit_and_only_when_used() {
    let env = project("", "def pipelines(matrix, standard):\n    return []\n");
    for i in 0..40 {
        let file = std::fs::File::create(env.path(&format!("pipelines/junk{i}.star"))).unwrap();
        file.set_len(31 * 1024 * 1024).unwrap(); // sparse: costs no disk
    }
    env.run(&["check"]).ok();

    // The pattern now names them all.
    let text = env
        .read("edx-matrix.toml")
        .replace("pipelines/main.star", "pipelines/*.star");
    env.write("edx-matrix.toml", &text);
    let run = env.run_refused(&["check"], 1);
    assert!(
        run.stderr.contains("40 errors, 0 warnings"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error[pipeline-template]: cannot read the template `[TMP]/pipelines/junk0.star`: it is 32505856 bytes, over the 1024 KiB a template file may be")
            && run.stderr.contains("┌─ [TMP]/edx-matrix.toml:14:14"),
        "{}",
        run.stderr
    );

    // A file `main.star` loads.
    let env = project(
        "",
        "load(\"big.star\", \"x\")\ndef pipelines(matrix, standard):\n    return []\n",
    );
    let file = std::fs::File::create(env.path("pipelines/big.star")).unwrap();
    file.set_len(31 * 1024 * 1024).unwrap();
    let run = refused(&env);
    says(
        &run,
        "pipelines/main.star:1:1",
        &[
            "load error: load refused: `pipelines/big.star`: it is 32505856 bytes, over the 1024 KiB a template file may be",
        ],
    );
}

/// Row 14: a template directory that is a symbolic link (`pipelines -> /usr` walked 114k files)
/// is refused at the pattern; so is a loaded file that is one.
#[test]
fn row14_a_template_directory_that_is_a_symbolic_link_is_not_followed() {
    let env = Env::with_matrix(&MATRIX.replace("pipelines/main.star", "pipelines/*.star"));
    std::os::unix::fs::symlink("/usr", env.path("pipelines")).unwrap();
    let run = env.run_refused(&["check"], 1);
    assert!(
        run.stderr.contains("error[pipeline-template]: cannot read the template directory of `pipelines/*.star`: `[TMP]/pipelines` is a symbolic link (template directories and files are not followed)")
            && run.stderr.contains("┌─ [TMP]/edx-matrix.toml:14:14"),
        "{}",
        run.stderr
    );

    let env = project(
        "",
        "load(\"lib/other.star\", \"x\")\ndef pipelines(matrix, standard):\n    return []\n",
    );
    env.write("elsewhere/other.star", "x = 1\n");
    std::os::unix::fs::symlink(env.path("elsewhere"), env.path("pipelines/lib")).unwrap();
    let run = refused(&env);
    says(
        &run,
        "pipelines/main.star:1:1",
        &["load refused: `pipelines/lib/other.star`: `[TMP]/pipelines/lib` is a symbolic link"],
    );
}

/// Row 2: `diff HEAD~1 HEAD` over a commit with an endless template used to hang; it ends at
/// the revision's step bound, the pipeline impact not computed, the rest of the diff shown.
#[test]
fn row02_diff_over_a_revision_with_an_endless_template_ends() {
    let env = Env::new();
    env.run(&["init", "--example", "acme"]).ok();
    let dir = env.path("acme");
    let matrix = dir.join("edx-matrix.toml");
    let text = std::fs::read_to_string(&matrix).unwrap();
    let bounded = text.replacen(
        "templates   = [\"pipelines/*.star\"]",
        "templates   = [\"pipelines/*.star\"]\ntemplate_steps = 100000",
        1,
    );
    assert_ne!(bounded, text);
    std::fs::write(&matrix, bounded).unwrap();
    std::fs::write(
        dir.join("pipelines/spin.star"),
        "def pipelines(matrix, standard):\n    for i in range(2147483647):\n        n = i\n    return []\n",
    )
    .unwrap();
    crate::git::git(&env, &dir, &["add", "-A"]);
    crate::git::git(&env, &dir, &["commit", "-q", "-m", "an endless template"]);
    crate::git::git(&env, &dir, &["rm", "-q", "pipelines/spin.star"]);
    crate::git::git(&env, &dir, &["commit", "-q", "-m", "without it"]);
    let run = env.run(&["--file", "acme/edx-matrix.toml", "diff", "HEAD~1", "HEAD"]);
    let out = run.ok();
    assert!(
        out.contains("pipeline impact: not computed: the pipeline templates of `")
            && out.contains("have 1 error (`edx-matrix check` shows them)"),
        "{out}"
    );
}
