//! The grid marks the stages whose release in the served working tree differs from the file
//! committed at `HEAD`, with a tooltip naming the committed release and a legend.

use crate::support::{acme, acme_repo, git, start, start_example};
use edx_matrix_server::{MatrixSource, Options};
use std::time::Duration;

/// The grid cell of `deployment`'s `stage`: the `td` around its link.
fn cell<'h>(html: &'h str, deployment: &str, stage: &str) -> &'h str {
    let link = format!("href=\"/d/{deployment}/{stage}\"");
    let at = html
        .find(&link)
        .unwrap_or_else(|| panic!("no cell {deployment}/{stage}"));
    let start = html[..at].rfind("<td").unwrap();
    let end = at + html[at..].find("</td>").unwrap();
    &html[start..end]
}

#[tokio::test]
async fn a_stage_changed_in_the_working_tree_is_marked_until_committed() {
    let repo = acme_repo();
    let dir = repo.path();
    let file = dir.join("edx-matrix.toml");
    let server = start(Options::new(MatrixSource::File(file.clone()))).await;
    let clean = server.get("/").await.text();
    assert!(!clean.contains("class=\"uncommitted\""), "{clean}");

    // pro's QA moves from ulmo to teak in the working tree only.
    let moved = edx_matrix_test_support::pin_pro(&acme(), ["verawood", "teak", "teak"]);
    std::fs::write(&file, &moved).unwrap();
    let (reply, _) = server
        .wait_for("/", Duration::from_secs(20), |r| {
            r.text().contains("class=\"uncommitted\"")
        })
        .await;
    let html = reply.text();
    let head = git(
        dir,
        "2024-01-02T10:00:00+00:00",
        &["rev-parse", "--short=7", "HEAD"],
    );
    let qa = cell(&html, "pro", "QA");
    assert!(
        qa.contains(&format!("title=\"not committed: ulmo at HEAD ({head})\"")),
        "{qa}"
    );
    assert!(
        qa.contains("not committed: ulmo at HEAD"),
        "the label says it too: {qa}"
    );
    // Only that stage: pro's Production stays on teak, every other cell as committed.
    assert_eq!(
        html.matches("<span class=\"uncommitted\" title=").count(),
        1,
        "{html}"
    );
    assert!(!cell(&html, "pro", "Production").contains("uncommitted"));
    assert!(
        html.contains("class=\"uncommitted-legend\""),
        "a legend explains the mark"
    );

    // Committed, the mark goes (the file did not change: the page compares with the new HEAD).
    git(
        dir,
        "2024-01-03T10:00:00+00:00",
        &["commit", "-qam", "pro QA on teak"],
    );
    let after = server.get("/").await.text();
    assert!(!after.contains("class=\"uncommitted\""), "{after}");
}

#[tokio::test]
async fn the_example_has_no_marks() {
    let server = start_example().await;
    let html = server.get("/").await.text();
    assert!(!html.contains("uncommitted"), "{html}");
}
