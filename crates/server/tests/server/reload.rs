//! The server follows the file: a change shows within a second or two, a broken edit keeps
//! the last good matrix served with its diagnostics shown, and no request fails meanwhile.

use crate::support::{acme, assert_matches_openapi, start};
use edx_matrix_server::{MatrixSource, Options};
use hyper::StatusCode;
use std::time::Duration;

/// Replaces the file the way editors and `git checkout` do: write aside, then rename.
fn replace(path: &std::path::Path, text: &str) {
    let aside = path.with_extension("tmp");
    std::fs::write(&aside, text).unwrap();
    std::fs::rename(&aside, path).unwrap();
}

fn pro_qa_release(reply: &crate::support::Reply) -> Option<String> {
    let value = reply.json();
    value.as_array()?.first()?["release"]
        .as_str()
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follows_edits_and_keeps_the_last_good_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edx-matrix.toml");
    std::fs::write(&path, acme()).unwrap();
    let server = start(Options::new(MatrixSource::File(path.clone()))).await;
    let query = "/api/v1/resolved?deployment=pro&stage=QA";
    assert_eq!(
        pro_qa_release(&server.get(query).await).as_deref(),
        Some("ulmo")
    );

    // Promote pro QA to verawood, editing in place.
    let promoted =
        edx_matrix_test_support::acme::pin_pro(&acme(), ["verawood", "verawood", "teak"]);
    std::fs::write(&path, &promoted).unwrap();
    let (reply, took) = server
        .wait_for(query, Duration::from_secs(5), |r| {
            pro_qa_release(r).as_deref() == Some("verawood")
        })
        .await;
    assert_eq!(
        pro_qa_release(&reply).as_deref(),
        Some("verawood"),
        "not reloaded in {took:?}"
    );
    assert!(
        took < Duration::from_secs(2),
        "took {took:?} to show the edit"
    );
    let generation = server.get("/healthz").await.json()["generation"]
        .as_u64()
        .unwrap();
    assert_eq!(generation, 2);

    // A broken edit: the promoted matrix stays served, the diagnostics name the problem.
    let broken = edx_matrix_test_support::acme::pin_pro(&promoted, ["verawood", "verawod", "teak"]);
    assert_ne!(broken, promoted);
    replace(&path, &broken);
    let (diagnostics, took) = server
        .wait_for("/api/v1/diagnostics", Duration::from_secs(5), |r| {
            r.json()["serving"] == "last-good"
        })
        .await;
    let body = diagnostics.json();
    assert_eq!(
        body["serving"], "last-good",
        "not reloaded in {took:?}: {body:#}"
    );
    assert_matches_openapi("/api/v1/diagnostics", "get", 200, &body);
    assert_eq!(body["serving_generation"], 2);
    assert_eq!(body["generation"], 3);
    let error = body["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(error["message"], "release `verawod` is not defined");
    assert_eq!(error["line"], 43);
    let rows = server.get(query).await;
    assert_eq!(rows.status, StatusCode::OK);
    assert_eq!(pro_qa_release(&rows).as_deref(), Some("verawood"));
    let health = server.get("/healthz").await.json();
    assert_eq!(health["status"], "degraded");
    let page = server.get("/").await.text();
    assert!(page.contains("role=\"alert\""), "{page}");
    assert!(page.contains("release `verawod` is not defined"), "{page}");
    assert!(
        page.contains("Still serving the last good version (generation 2)"),
        "{page}"
    );

    // The file disappears: still served, the read error shown.
    std::fs::remove_file(&path).unwrap();
    let (diagnostics, _) = server
        .wait_for("/api/v1/diagnostics", Duration::from_secs(5), |r| {
            !r.json()["read_error"].is_null()
        })
        .await;
    let body = diagnostics.json();
    assert_matches_openapi("/api/v1/diagnostics", "get", 200, &body);
    assert!(
        body["read_error"]
            .as_str()
            .unwrap()
            .starts_with("cannot read `"),
        "{body:#}"
    );
    assert_eq!(
        pro_qa_release(&server.get(query).await).as_deref(),
        Some("verawood")
    );

    // Fixed: served again.
    replace(&path, &acme());
    let (reply, _) = server
        .wait_for(query, Duration::from_secs(5), |r| {
            pro_qa_release(r).as_deref() == Some("ulmo")
        })
        .await;
    assert_eq!(pro_qa_release(&reply).as_deref(), Some("ulmo"));
    assert_eq!(server.get("/healthz").await.json()["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_fails_while_reloading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edx-matrix.toml");
    std::fs::write(&path, acme()).unwrap();
    let mut options = Options::new(MatrixSource::File(path.clone()));
    options.poll = Some(Duration::from_millis(10));
    let server = std::sync::Arc::new(start(options).await);
    let writer = {
        let path = path.clone();
        tokio::spawn(async move {
            for i in 0..40 {
                let release = if i % 2 == 0 { "verawood" } else { "ulmo" };
                replace(
                    &path,
                    &edx_matrix_test_support::acme::pin_pro(&acme(), ["verawood", release, "teak"]),
                );
                tokio::time::sleep(Duration::from_millis(15)).await;
            }
        })
    };
    let mut readers = Vec::new();
    for _ in 0..4 {
        let server = server.clone();
        readers.push(tokio::spawn(async move {
            let mut seen = std::collections::BTreeSet::new();
            for _ in 0..150 {
                let reply = server.get("/api/v1/resolved?deployment=pro&stage=QA").await;
                assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
                let rows = reply.json();
                assert_eq!(rows.as_array().unwrap().len(), 7, "a complete answer");
                seen.insert(pro_qa_release(&reply).unwrap());
            }
            seen
        }));
    }
    writer.await.unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for reader in readers {
        seen.extend(reader.await.unwrap());
    }
    assert!(
        seen.contains("ulmo") || seen.contains("verawood"),
        "{seen:?}"
    );
    assert!(
        server.get("/healthz").await.json()["generation"]
            .as_u64()
            .unwrap()
            > 2
    );
}
