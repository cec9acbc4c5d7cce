//! `release retire` beyond the usual case (mutation testing found each unasserted): the
//! comment that introduces the release map survives the removal of the first block, the
//! summary counts the blocks, an entry of another release that takes the retired one's
//! defaults blocks the retirement, and the runbooks of other releases stay.

use edx_matrix_formats::edit::EditError;
use edx_matrix_formats::edit::release::retire;

const TWO: &str = r#"stages = ["CI"]

[releases]
teak = { branch = "release/teak", python = "3.11", node = "20" }
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }

[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }

[deployments]
campus = { CI = "ulmo" }

# The release map.
[[map]]
releases    = ["teak"]
deployments = ["campus"]
[map.apps]
forum = {}

[[map]]
releases    = ["ulmo"]
deployments = ["campus"]
[map.apps]
forum = {}
"#;

#[test]
fn retiring_the_release_of_the_first_block_keeps_the_comment_that_introduces_the_map() {
    let out = retire(TWO, &"teak".into()).expect("retires");
    assert_eq!(
        out.text,
        r#"stages = ["CI"]

[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }

[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }

[deployments]
campus = { CI = "ulmo" }

# The release map.
[[map]]
releases    = ["ulmo"]
deployments = ["campus"]
[map.apps]
forum = {}
"#
    );
    assert_eq!(
        out.summary,
        "retired release `teak`; release map: 1 block removed, 0 blocks shortened"
    );
}

#[test]
fn a_release_in_no_block_is_retired_without_a_word_on_the_release_map() {
    let text = TWO.replace(
        "ulmo = { branch",
        "sumac = { branch = \"release/sumac\", python = \"3.11\", node = \"24\" }\nulmo = { branch",
    );
    let out = retire(text.as_str(), &"sumac".into()).expect("retires");
    assert_eq!(out.summary, "retired release `sumac`");
    assert_eq!(out.text, TWO);
}

#[test]
fn an_entry_of_another_release_taking_its_defaults_blocks_the_retirement() {
    let text = TWO.replace(
        "[map.apps]\nforum = {}\n\n[[map]]\nreleases    = [\"ulmo\"]\ndeployments = [\"campus\"]\n[map.apps]\nforum = {}\n",
        "[map.apps]\nforum = {}\n\n[[map]]\nreleases    = [\"ulmo\"]\ndeployments = [\"campus\"]\n[map.apps]\nforum = { release = \"teak\" }\n",
    );
    assert!(text.contains("release = \"teak\""));
    let err = retire(text.as_str(), &"teak".into()).expect_err("refused");
    let EditError::Refused {
        message, places, ..
    } = err
    else {
        panic!("not refused: {err:?}")
    };
    assert_eq!(
        message,
        "release `teak` is still named by release-map entries"
    );
    assert_eq!(places.len(), 1, "{places:?}");
    assert_eq!(places[0].line, 24); // `forum = { release = "teak" }`
}

#[test]
fn the_runbooks_of_other_releases_stay() {
    let text = format!(
        "{TWO}\n[[runbooks.teak]]\ntext = \"Reindex\"\n\n[[runbooks.ulmo]]\ntext = \"Check migrations\"\n"
    );
    let out = retire(text.as_str(), &"teak".into()).expect("retires");
    assert!(
        out.summary.ends_with("; runbook of 1 step removed"),
        "{}",
        out.summary
    );
    assert!(
        out.text
            .ends_with("\n[[runbooks.ulmo]]\ntext = \"Check migrations\"\n"),
        "{}",
        out.text
    );
    assert!(!out.text.contains("Reindex"), "{}", out.text);
}
