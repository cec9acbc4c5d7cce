//! `fmt`'s rules that only a file outside the usual shape shows (mutation testing: each one
//! could be broken without a test failing): `stages` before every other top-level value, the
//! sections after the release map in the order they are written, a file with model errors
//! formatted too, and the summary saying whether anything changed.

use super::ONE_RELEASE;
use edx_matrix_formats::edit::fmt::fmt;

#[test]
fn a_formatted_file_is_already_formatted_and_an_unformatted_one_is_formatted() {
    let out = fmt(ONE_RELEASE).expect("formats");
    assert_eq!(out.text, ONE_RELEASE);
    assert_eq!(out.summary, "already formatted");
    let untidy = ONE_RELEASE.replace("releases    = [", "releases = [");
    let out = fmt(untidy.as_str()).expect("formats");
    assert_eq!(out.text, ONE_RELEASE);
    assert_eq!(out.summary, "formatted");
    // Blank lines at the end go: the file ends with one newline.
    let trailing = format!("{ONE_RELEASE}\n\n  \n");
    assert_eq!(fmt(trailing.as_str()).expect("formats").text, ONE_RELEASE);
}

#[test]
fn a_file_with_model_errors_is_formatted_too() {
    // `campus` runs a release that is not defined: an error of the matrix, not of the TOML.
    let broken = ONE_RELEASE.replace("campus = { CI = \"ulmo\" }", "campus = { CI = \"teak\" }");
    let untidy = broken.replace("forum = {}", "forum    = {}");
    let out = fmt(untidy.as_str()).expect("formats a file with model errors");
    assert_eq!(out.text, broken);
    // A TOML syntax error stops it.
    assert!(fmt("stages = [\"CI\"\n").is_err());
}

#[test]
fn stages_come_before_every_other_top_level_value() {
    let text = r#"map = [{ releases = ["ulmo"], deployments = ["campus"], apps = { forum = {} } }]
stages = ["CI"]
[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
[deployments]
campus = { CI = "ulmo" }
"#;
    let out = fmt(text).expect("formats").text;
    assert!(
        out.starts_with("stages = [\"CI\"]\nmap    = [{"),
        "stages must come first:\n{out}"
    );
}

#[test]
fn sections_after_the_release_map_keep_their_written_order() {
    // `runbooks` before `lints`: not alphabetical, and the runbook's table is implicit (only
    // its `[[runbooks.ulmo]]` blocks have a place in the file).
    let tail = r#"
[[runbooks.ulmo]]
text = "Rebuild the search index"

[lints]
unused-entry = "allow"
"#;
    let text = format!("{ONE_RELEASE}{tail}");
    let out = fmt(text.as_str()).expect("formats");
    assert_eq!(out.text, text);
    // Written before the release map, they still come after it, in the same order.
    let moved = ONE_RELEASE.replace("[releases]", &format!("{}\n[releases]", tail.trim()));
    assert_eq!(fmt(moved.as_str()).expect("formats").text, text);
}

#[test]
fn blank_lines_before_keys_are_collapsed_to_one_and_kept_except_at_the_top() {
    // A blank line before the first key of a section or before a later top-level value is
    // the author's and stays (runs collapsed to one); blank lines at the top of the file go.
    let spaced = ONE_RELEASE
        .replace("[deployments]\n", "[deployments]\n\n\n")
        .replace(
            "stages = [\"CI\"]\n",
            "stages = [\"CI\"]\n\n\nnote = \"x\"\n",
        );
    let expected = ONE_RELEASE
        .replace("[deployments]\n", "[deployments]\n\n")
        .replace(
            "stages = [\"CI\"]\n",
            "stages = [\"CI\"]\n\nnote   = \"x\"\n",
        );
    assert_eq!(
        fmt(format!("\n\n{spaced}").as_str()).expect("formats").text,
        expected
    );
}

#[test]
fn dotted_keys_are_left_as_written() {
    let dotted = ONE_RELEASE.replace(
        "[deployments]\ncampus = { CI = \"ulmo\" }",
        "[deployments]\ncampus.CI = \"ulmo\"",
    );
    assert_eq!(fmt(dotted.as_str()).expect("formats").text, dotted);
}

#[test]
fn a_blocks_releases_and_deployments_come_before_its_other_values() {
    let inline_apps = ONE_RELEASE.replace(
        "releases    = [\"ulmo\"]\ndeployments = [\"campus\"]\n[map.apps]\nforum = {}\n",
        "apps = { forum = {} }\ndeployments = [\"campus\"]\nreleases = [\"ulmo\"]\n",
    );
    assert_eq!(
        fmt(inline_apps.as_str()).expect("formats").text,
        ONE_RELEASE.replace(
            "releases    = [\"ulmo\"]\ndeployments = [\"campus\"]\n[map.apps]\nforum = {}\n",
            "releases    = [\"ulmo\"]\ndeployments = [\"campus\"]\napps        = { forum = {} }\n",
        )
    );
}

#[test]
fn top_level_dotted_keys_are_left_as_written() {
    // Not aligned: a dotted table's keys are the author's (aligning them would move them).
    let dotted = ONE_RELEASE.replace(
        "stages = [\"CI\"]\n",
        "stages = [\"CI\"]\nlints.unused-entry = \"allow\"\nlints.unused-release = \"deny\"\n",
    );
    assert_eq!(fmt(dotted.as_str()).expect("formats").text, dotted);
}
