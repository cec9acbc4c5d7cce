//! How `set` writes an application's values: into its inline table, or into the table form
//! (`[map.apps.NAME]`), keeping the comments beside the values (mutation testing of
//! `edit/entry/block_patch.rs`: the table form was never edited by a test).

use super::ONE_RELEASE;
use edx_matrix_formats::edit::entry::{Override, Patch, Target, set};

/// `ONE_RELEASE` with `forum` written as a table of its own, its branch commented.
fn table_form() -> String {
    ONE_RELEASE.replace(
        "[map.apps]\nforum = {}\n",
        "[map.apps.forum]\nbranch  = \"campus/ulmo\" # until the fix is merged\nruntime = \"3.11\"\n",
    )
}

fn target() -> Target {
    Target::new(&"campus".into(), &"ulmo".into(), &"forum".into())
}

#[test]
fn a_value_of_the_table_form_is_replaced_in_place_with_its_comment() {
    let text = table_form();
    let patch = Patch {
        branch: Override::Set("campus/ulmo-2".to_owned()),
        ..Patch::default()
    };
    let out = set(text.as_str(), &target(), &patch).expect("sets");
    assert_eq!(
        out.text,
        text.replace("\"campus/ulmo\" #", "\"campus/ulmo-2\" #")
    );
}

#[test]
fn the_table_form_gets_new_values_and_loses_unset_ones() {
    let text = table_form();
    let patch = Patch {
        origin: Override::Set("https://github.com/acme/forum".to_owned()),
        runtime: Override::Unset,
        ..Patch::default()
    };
    let out = set(text.as_str(), &target(), &patch).expect("sets");
    // The table is realigned as `fmt` lays it out: `branch` and `origin` are as long.
    assert_eq!(
        out.text,
        text.replace("branch  =", "branch =").replace(
            "runtime = \"3.11\"\n",
            "origin = \"https://github.com/acme/forum\"\n"
        )
    );
}

#[test]
fn an_inline_table_emptied_by_unset_is_written_empty() {
    let text = ONE_RELEASE.replace("forum = {}", "forum = { runtime = \"3.11\" }");
    let patch = Patch {
        runtime: Override::Unset,
        ..Patch::default()
    };
    let out = set(text.as_str(), &target(), &patch).expect("sets");
    assert_eq!(out.text, ONE_RELEASE);
}

#[test]
fn unsetting_the_last_value_keeps_the_space_before_the_brace() {
    // Found writing the tests of isolate.rs: `{ origin = "…"}` was written.
    let text = ONE_RELEASE.replace(
        "forum = {}",
        "forum = { origin = \"https://github.com/acme/forum\", branch = \"main\" }",
    );
    let patch = Patch {
        branch: Override::Unset,
        ..Patch::default()
    };
    let out = set(text.as_str(), &target(), &patch).expect("sets");
    assert_eq!(
        out.text,
        ONE_RELEASE.replace(
            "forum = {}",
            "forum = { origin = \"https://github.com/acme/forum\" }"
        )
    );
    // The first of two removed: the rest as it was.
    let patch = Patch {
        origin: Override::Unset,
        ..Patch::default()
    };
    let out = set(text.as_str(), &target(), &patch).expect("sets");
    assert_eq!(
        out.text,
        ONE_RELEASE.replace("forum = {}", "forum = { branch = \"main\" }")
    );
}

#[test]
fn an_inline_table_filled_or_emptied_is_written_plainly() {
    // Spaces inside an empty table, or around the only value, do not survive the edit.
    let text = ONE_RELEASE.replace("forum = {}", "forum = {   }");
    let patch = Patch {
        runtime: Override::Set("3.11".to_owned()),
        ..Patch::default()
    };
    let out = set(text.as_str(), &target(), &patch).expect("sets");
    assert_eq!(
        out.text,
        ONE_RELEASE.replace("forum = {}", "forum = { runtime = \"3.11\" }")
    );
    let text = ONE_RELEASE.replace("forum = {}", "forum = {  runtime = \"3.11\"   }");
    let patch = Patch {
        runtime: Override::Unset,
        ..Patch::default()
    };
    let out = set(text.as_str(), &target(), &patch).expect("sets");
    assert_eq!(out.text, ONE_RELEASE);
}

#[test]
fn a_table_form_application_split_out_of_a_shared_block_goes_with_its_new_block() {
    // The new block's `[map.apps.forum]` is printed under it, not where the table it was
    // copied from stands.
    let text = table_form()
        .replace(
            "campus = { CI = \"ulmo\" }\n",
            "campus = { CI = \"ulmo\" }\nonline = { CI = \"ulmo\" }\n",
        )
        .replace(
            "deployments = [\"campus\"]",
            "deployments = [\"campus\", \"online\"]",
        );
    let patch = Patch {
        branch: Override::Set("campus/ulmo-2".to_owned()),
        ..Patch::default()
    };
    let out = set(text.as_str(), &target(), &patch).expect("sets");
    let copied = "[map.apps.forum]\nbranch  = \"campus/ulmo\" # until the fix is merged\nruntime = \"3.11\"\n";
    let expected = text.replace(
        &format!("deployments = [\"campus\", \"online\"]\n{copied}"),
        &format!(
            "deployments = [\"online\"]\n{copied}\n[[map]]\nreleases    = [\"ulmo\"]\ndeployments = [\"campus\"]\n{}",
            copied.replace("\"campus/ulmo\"", "\"campus/ulmo-2\"")
        ),
    );
    assert_ne!(expected, text);
    assert_eq!(out.text, expected);
}

#[test]
fn an_application_split_out_before_a_table_form_neighbour_takes_its_tables_along() {
    // `forum` and its `extra` array of tables are printed under the new blocks, not where the
    // tables they were copied from stood (before `[map.apps.notes]`): `toml_edit` sorts tables
    // by their position in the file it read, and a copied table keeps it unless cleared
    // (mutation testing of `document/blocks.rs`' `clear_positions`).
    let text = ONE_RELEASE
        .replace(
            "forum = { kind",
            "notes = { kind = \"ida\", repository = \"https://github.com/openedx/edx-notes-api\" }\nforum = { kind",
        )
        .replace(
            "campus = { CI = \"ulmo\" }\n",
            "campus = { CI = \"ulmo\" }\nonline = { CI = \"ulmo\" }\n",
        )
        .replace(
            "deployments = [\"campus\"]\n[map.apps]\nforum = {}\n",
            "deployments = [\"campus\", \"online\"]\n[map.apps.forum]\nbranch = \"campus/ulmo\"\n\
             [[map.apps.forum.extra.hosts]]\nname = \"a\"\n[map.apps.notes]\nbranch = \"campus/ulmo\"\n",
        );
    let patch = Patch {
        branch: Override::Set("campus/ulmo-2".to_owned()),
        ..Patch::default()
    };
    let out = set(text.as_str(), &target(), &patch).expect("sets");
    let forum = |branch: &str| {
        format!(
            "[map.apps.forum]\nbranch = \"{branch}\"\n[[map.apps.forum.extra.hosts]]\nname = \"a\"\n"
        )
    };
    let expected = format!(
        "{}[[map]]\nreleases    = [\"ulmo\"]\ndeployments = [\"campus\", \"online\"]\n\
         [map.apps.notes]\nbranch = \"campus/ulmo\"\n\n\
         [[map]]\nreleases    = [\"ulmo\"]\ndeployments = [\"online\"]\n{}\n\
         [[map]]\nreleases    = [\"ulmo\"]\ndeployments = [\"campus\"]\n{}",
        &text[..text.find("[[map]]").unwrap()],
        forum("campus/ulmo"),
        forum("campus/ulmo-2"),
    );
    assert_eq!(out.text, expected);
}
