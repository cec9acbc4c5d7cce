//! `release add` writes the new row like the row before it, or like the first row when it goes
//! first (mutation testing of `edit/document/columns.rs`: `insert_row`'s choice of that row for
//! position 0 was asserted by no test).

use super::ONE_RELEASE;
use edx_matrix_formats::edit::release::{NewRelease, add};

fn new(name: &str) -> NewRelease {
    NewRelease {
        name: name.to_owned(),
        branch: format!("release/{name}"),
        python: "3.11".to_owned(),
        node: "20".to_owned(),
    }
}

#[test]
fn an_oldest_release_is_written_first_like_the_first_row() {
    // A compact row, so that "like the first row" differs from a row written plainly.
    let compact = r#"ulmo = {branch = "release/ulmo", python = "3.11", node = "24"}"#;
    let text = ONE_RELEASE.replace(
        r#"ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }"#,
        compact,
    );
    assert_ne!(text, ONE_RELEASE);
    let out = add(text.as_str(), &new("teak")).expect("adds");
    assert_eq!(
        out.text,
        text.replace(
            compact,
            &format!(
                "teak = {{branch = \"release/teak\", python = \"3.11\", node = \"20\"}}\n{compact}"
            )
        )
    );
    // A newer one goes after it, written like it too (the `=` of the section then aligned).
    let out = add(text.as_str(), &new("verawood")).expect("adds");
    assert_eq!(
        out.text,
        text.replace(
            compact,
            &format!(
                "{}\nverawood = {{branch = \"release/verawood\", python = \"3.11\", node = \"20\"}}",
                compact.replace("ulmo = ", "ulmo     = ")
            )
        )
    );
}
