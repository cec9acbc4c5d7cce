//! The words of the checks' problems where a reader acts on them: the help that lists what
//! would have been valid (mutation testing found these unasserted).

use crate::build::{Build, campus};
use edx_matrix_model::{Code, Severity, check};

#[test]
fn an_unknown_stage_lists_the_stage_order_in_backticks() {
    let matrix = campus().deployment("mitx", &[("Prod", "ulmo")]).done();
    let found = check(&matrix);
    let unknown: Vec<_> = found
        .iter()
        .filter(|p| p.code == Code::UndefinedStage)
        .collect();
    assert_eq!(unknown.len(), 1, "{found:#?}");
    assert!(
        unknown[0]
            .help
            .contains(&"the stage order is `CI`, `QA`, `Production`".to_owned()),
        "{:#?}",
        unknown[0].help
    );
}

#[test]
fn an_unknown_stage_with_no_stage_order_says_it_is_empty() {
    let matrix = Build::stages(&[])
        .release("ulmo", "release/ulmo", "3.11", "20")
        .deployment("mitx", &[("CI", "ulmo")])
        .done();
    let found = check(&matrix);
    let unknown = found
        .iter()
        .find(|p| p.code == Code::UndefinedStage)
        .expect("an undefined stage");
    assert!(
        unknown
            .help
            .contains(&"the stage order is empty".to_owned()),
        "{:#?}",
        unknown.help
    );
}

#[test]
fn severities_have_their_documented_words() {
    assert_eq!(
        [Severity::Error, Severity::Warning].map(Severity::as_str),
        ["error", "warning"]
    );
}

#[test]
fn a_code_displays_as_its_kebab_case_name() {
    assert_eq!(Code::UndefinedRelease.to_string(), "undefined-release");
    assert_eq!(format!("[{}]", Code::InvalidRuntime), "[invalid-runtime]");
}

#[test]
fn a_refused_name_says_why_the_length_only_past_a_hundred_characters() {
    use edx_matrix_model::names::InvalidName;
    let refused = |value: String| InvalidName {
        what: "release",
        value,
    };
    // Exactly 100 characters is not too long: the refusal is the naming rule.
    let hundred = format!("-{}", "a".repeat(99));
    assert_eq!(
        refused(hundred).to_string(),
        "not a valid release name: names start with a letter or digit and contain only letters, digits, `-`, `_` and `.`"
    );
    assert_eq!(
        refused("a".repeat(101)).to_string(),
        "not a valid release name: it is longer than 100 characters"
    );
}

#[test]
fn a_suggestion_may_be_a_third_of_the_longer_name_away() {
    use edx_matrix_model::suggestions;
    // Nine characters: up to three edits. `mitxprood` is two away from `mitx-prod` (insert
    // `-`, drop an `o`), `campus` is not close at all.
    assert_eq!(
        suggestions("mitxprood", ["campus", "mitx-prod"]),
        ["mitx-prod"]
    );
    // Case is ignored: `qa` is no edit away from `QA`.
    assert_eq!(suggestions("qa", ["QA", "CI"]), ["QA"]);
}
