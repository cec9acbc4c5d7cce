//! The pages link only to pages that work: every same-site link (`href`, `src`) on every page
//! reachable from the dashboard answers 200, for `serve --example` (no working tree: no
//! "Diff") and for a file committed in git, through a real HTTP client against the server.

use crate::support::{
    TestServer, acme_repo, commit_matrix, example_repo_with_templates, start, start_example,
};
use edx_matrix_server::{MatrixSource, Options};
use hyper::StatusCode;
use std::collections::{BTreeSet, VecDeque};

/// The same-site links of an HTML page: `href` and `src` values starting with one `/`,
/// without their fragment, `&amp;` decoded.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let Some(end) = rest.find('"') else { break };
            let link = rest[..end].replace("&amp;", "&");
            let link = link.split('#').next().unwrap_or("").to_owned();
            if link.starts_with('/') && !link.starts_with("//") {
                out.push(link);
            }
        }
    }
    out
}

/// Crawls from `/`, asserting every link answers 200; returns the pages and links seen.
async fn crawl(server: &TestServer) -> BTreeSet<String> {
    let mut seen = BTreeSet::from(["/".to_owned()]);
    let mut queue = VecDeque::from(["/".to_owned()]);
    while let Some(path) = queue.pop_front() {
        let reply = server.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path} does not answer 200");
        let html = reply
            .headers
            .get("content-type")
            .is_some_and(|c| c.to_str().unwrap_or("").starts_with("text/html"));
        if !html {
            continue;
        }
        for link in links(&reply.text()) {
            // The history's many revision diffs are alike: one of each kind is enough.
            let kind = link.split('?').next().unwrap_or("").to_owned();
            let one_of_many =
                link.contains('?') && seen.iter().filter(|s| s.starts_with(&kind)).count() >= 3;
            if !one_of_many && seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    seen
}

#[tokio::test]
async fn every_link_of_the_example_answers_and_there_is_no_diff_link() {
    let server = start_example().await;
    let seen = crawl(&server).await;
    // The views the example has: the grid, a stage, a release, the history and its JSON.
    for path in [
        "/d/pro/QA",
        "/r/teak",
        "/history",
        "/api/v1/history",
        "/static/style.css",
    ] {
        assert!(seen.contains(path), "no link to {path}: {seen:?}");
    }
    // The example has no working tree: the uncommitted diff is a 404, so nothing links it.
    assert!(
        !seen.contains("/diff") && !seen.contains("/api/v1/diff"),
        "{seen:?}"
    );
    assert_eq!(server.get("/diff").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_link_over_a_git_repository_answers() {
    let (dir, file, _) = example_repo_with_templates();
    // A second commit, so the history has a band to link to a revision diff.
    let text = std::fs::read_to_string(&file).unwrap();
    let moved = text.replacen(
        "campus         = { CI = \"master\",   QA = \"verawood\"",
        "campus         = { CI = \"master\",   QA = \"master\"",
        1,
    );
    assert_ne!(moved, text);
    commit_matrix(
        dir.path(),
        &moved,
        "2024-02-01T10:00:00+00:00",
        "campus QA on master",
    );
    let server = start(Options::new(MatrixSource::File(file))).await;
    let seen = crawl(&server).await;
    for path in ["/diff", "/api/v1/diff", "/history", "/d/campus/QA"] {
        assert!(seen.contains(path), "no link to {path}: {seen:?}");
    }
    assert!(
        seen.iter().any(|s| s.starts_with("/diff?")),
        "no revision diff: {seen:?}"
    );
}

#[tokio::test]
async fn a_file_outside_git_links_neither_history_nor_diff() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edx-matrix.toml");
    std::fs::write(&file, crate::support::acme()).unwrap();
    for (path, template) in edx_matrix_formats::example::TEMPLATES {
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, template).unwrap();
    }
    let server = start(Options::new(MatrixSource::File(file))).await;
    let seen = crawl(&server).await;
    assert!(
        !seen
            .iter()
            .any(|s| s.starts_with("/diff") || s.contains("history")),
        "{seen:?}"
    );
}

#[tokio::test]
async fn the_pages_link_the_diff() {
    // A committed file has a working-tree diff (the example has none: links.rs).
    let repo = acme_repo();
    let server = start(Options::new(MatrixSource::File(
        repo.path().join("edx-matrix.toml"),
    )))
    .await;
    let html = server.get("/").await.text();
    assert!(
        html.contains("<a href=\"/history\">History</a> <a href=\"/diff\">Diff</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"/api/v1/diff\">"), "{html}");
}
