//! The server follows the file and its pipeline templates: a change shows within a second or
//! two, a broken edit keeps the last good matrix served with its diagnostics shown, and no
//! request fails meanwhile.

use crate::support::{
    SMOKE_TESTS, acme, assert_matches_openapi, example_repo_with_templates, replace, start,
};
use edx_matrix_server::{MatrixSource, Options};
use hyper::StatusCode;
use std::time::Duration;

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
    let promoted = edx_matrix_test_support::pin_pro(&acme(), ["verawood", "verawood", "teak"]);
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
    let broken = edx_matrix_test_support::pin_pro(&promoted, ["verawood", "verawod", "teak"]);
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
                    &edx_matrix_test_support::pin_pro(&acme(), ["verawood", release, "teak"]),
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

/// How long a template change may take to show: a reload and a diff run the templates.
const LIMIT: Duration = Duration::from_secs(30);

async fn generation(server: &crate::support::TestServer) -> u64 {
    server.get("/healthz").await.json()["generation"]
        .as_u64()
        .unwrap()
}

/// (name, change) of every pipeline `/api/v1/diff` says to re-set.
fn pipeline_changes(reply: &crate::support::Reply) -> Vec<(String, String)> {
    let diff = reply.json();
    assert_eq!(diff["pipelines"]["computed"], true, "{diff:#}");
    (diff["pipelines"]["changes"].as_array().unwrap().iter())
        .map(|c| {
            let word = |key: &str| c[key].as_str().unwrap().to_owned();
            (word("name"), word("change"))
        })
        .collect()
}

/// Gives `path` a modification time it never had, its content unchanged.
fn touch(path: &std::path::Path) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    let time = std::time::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    file.set_modified(time).unwrap();
}

/// Only a template changes, then breaks, then a new one matching the pattern appears and goes:
/// each is a reload (the committed templates at `HEAD` are the base of `/api/v1/diff`, so its
/// pipeline impact shows what the served templates make).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follows_template_edits_additions_and_breakage() {
    let (dir, file, _) = example_repo_with_templates();
    let mut options = Options::new(MatrixSource::File(file));
    options.poll = Some(Duration::from_millis(50));
    let server = start(options).await;
    let clean = server.get("/api/v1/diff").await;
    assert_eq!(pipeline_changes(&clean), []);
    assert_eq!(generation(&server).await, 1);

    // A new modification time alone reloads nothing.
    let mfe = dir.path().join("pipelines/mfe.star");
    touch(&mfe);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(generation(&server).await, 1);

    // The MFE template alone changes: exactly the MFE pipelines are re-set.
    let template = std::fs::read_to_string(&mfe).unwrap();
    let edited = template.replace("\"icon\": \"aws\"", "\"icon\": \"bucket\"");
    assert_ne!(edited, template);
    replace(&mfe, &edited);
    let (reply, took) = server
        .wait_for("/api/v1/diff", LIMIT, |r| !pipeline_changes(r).is_empty())
        .await;
    let changed = pipeline_changes(&reply);
    // No bound on the time: templates run in each reload and twice in each diff, slow in a
    // debug build on a busy machine.
    assert!(!changed.is_empty(), "not reloaded in {took:?}");
    assert!(
        (changed.iter())
            .all(|(name, change)| name.ends_with("-mfe-pipeline") && change == "changed"),
        "{changed:?}"
    );
    assert_eq!(generation(&server).await, 2);
    let page = server.get("/diff").await.text();
    let (first, _) = &changed[0];
    let row = format!(r#"<tr data-change="changed" data-pipeline="{first}">"#);
    assert!(page.contains(&row), "{page}");
    assert!(page.contains("<code>pipelines/mfe.star</code>"), "{page}");

    // A syntax error in the template: the latest attempt, located in the template; the edited
    // version stays served.
    let broken = format!("{edited}def broken(:\n");
    replace(&mfe, &broken);
    let (diagnostics, _) = server
        .wait_for("/api/v1/diagnostics", LIMIT, |r| {
            r.json()["serving"] == "last-good"
        })
        .await;
    let body = diagnostics.json();
    assert_eq!(body["serving"], "last-good", "{body:#}");
    assert_matches_openapi("/api/v1/diagnostics", "get", 200, &body);
    assert_eq!(body["generation"], 3);
    assert_eq!(body["serving_generation"], 2);
    assert_eq!(body["summary"]["errors"], 1, "{body:#}");
    let error = (body["diagnostics"].as_array().unwrap().iter())
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(error["code"], "pipeline-template", "{error:#}");
    let in_file = error["file"].as_str().unwrap();
    assert!(in_file.ends_with("pipelines/mfe.star"), "{error:#}");
    let line = edited.lines().count() + 1;
    assert_eq!(error["line"], line, "{error:#}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("syntax error"),
        "{error:#}"
    );
    assert_eq!(pipeline_changes(&server.get("/api/v1/diff").await), changed);
    assert_eq!(server.get("/healthz").await.json()["status"], "degraded");
    let page = server.get("/").await.text();
    assert!(
        page.contains("Still serving the last good version (generation 2)"),
        "{page}"
    );
    assert!(page.contains(&format!("{in_file}:{line}:")), "{page}");

    // Fixed, and a new template matching `pipelines/*.star`: its pipeline is added.
    replace(&mfe, &edited);
    let smoke = dir.path().join("pipelines/smoke.star");
    std::fs::write(&smoke, SMOKE_TESTS).unwrap();
    let added = ("smoke-tests".to_owned(), "added".to_owned());
    let (reply, _) = server
        .wait_for("/api/v1/diff", LIMIT, |r| {
            pipeline_changes(r).contains(&added)
        })
        .await;
    assert!(
        pipeline_changes(&reply).contains(&added),
        "{}",
        reply.text()
    );
    assert_eq!(server.get("/healthz").await.json()["status"], "ok");
    let page = server.get("/diff").await.text();
    let row = page
        .split(r#"<tr data-change="added" data-pipeline="smoke-tests">"#)
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("no smoke-tests row: {page}"));
    assert!(row.contains("<td><code>qa-team</code></td>"), "{row}");
    assert!(
        row.contains("<td><code>pipelines/smoke.star</code></td>"),
        "{row}"
    );

    // Removed again: no longer added.
    std::fs::remove_file(&smoke).unwrap();
    let (reply, _) = server
        .wait_for("/api/v1/diff", LIMIT, |r| {
            !pipeline_changes(r).contains(&added)
        })
        .await;
    assert_eq!(pipeline_changes(&reply), changed);
}

/// A matrix edit naming a new template directory watches it from then on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watches_the_directories_of_new_template_patterns() {
    let (dir, file, _) = example_repo_with_templates();
    let more = dir.path().join("more");
    std::fs::create_dir(&more).unwrap();
    std::fs::write(more.join("smoke.star"), SMOKE_TESTS).unwrap();
    let mut options = Options::new(MatrixSource::File(file.clone()));
    options.poll = Some(Duration::from_millis(50));
    let server = start(options).await;
    let text = std::fs::read_to_string(&file).unwrap();
    let with_more = text.replace(
        r#"templates   = ["pipelines/*.star"]"#,
        r#"templates   = ["pipelines/*.star", "more/*.star"]"#,
    );
    assert_ne!(with_more, text);
    replace(&file, &with_more);
    // Added, and the meta pipeline sets it.
    let added = ("smoke-tests".to_owned(), "added".to_owned());
    let (reply, _) = server
        .wait_for("/api/v1/diff", LIMIT, |r| !pipeline_changes(r).is_empty())
        .await;
    let changes = pipeline_changes(&reply);
    assert_eq!(changes[0], added, "{}", reply.text());
    assert_eq!(changes.len(), 2, "{}", reply.text());
    assert_eq!(
        changes[1].1,
        "changed",
        "the meta pipeline: {}",
        reply.text()
    );
    assert_eq!(generation(&server).await, 2);

    std::fs::write(more.join("smoke.star"), "def pipelines(:\n").unwrap();
    let (diagnostics, _) = server
        .wait_for("/api/v1/diagnostics", LIMIT, |r| {
            r.json()["serving"] == "last-good"
        })
        .await;
    let body = diagnostics.json();
    let error = (body["diagnostics"].as_array().unwrap().iter())
        .find(|d| d["severity"] == "error")
        .unwrap_or_else(|| panic!("no error: {body:#}"));
    assert!(
        error["file"].as_str().unwrap().ends_with("more/smoke.star"),
        "{error:#}"
    );
    assert_eq!(body["generation"], 3);
}

/// The webhook's forced reload compares the templates too: a new generation only when the
/// matrix or a template changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forced_reload_sees_template_changes_only() {
    use edx_matrix_server::sign;
    let secret = "s3cret";
    let (dir, file, _) = example_repo_with_templates();
    let mut options = Options::new(MatrixSource::File(file));
    options.poll = None;
    options.webhook_secret = Some(secret.to_owned());
    let server = start(options).await;
    let push = async || {
        let body = r#"{"ref":"refs/heads/main"}"#;
        let signature = sign(secret.as_bytes(), body.as_bytes());
        let headers = [("x-hub-signature-256", signature.as_str())];
        let reply = server
            .send(hyper::Method::POST, "/api/v1/hooks/github", &headers, body)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        reply.json()["generation"].as_u64().unwrap()
    };
    assert_eq!(push().await, 1);
    let mfe = dir.path().join("pipelines/mfe.star");
    touch(&mfe);
    assert_eq!(push().await, 1, "the same templates");
    let template = std::fs::read_to_string(&mfe).unwrap();
    std::fs::write(
        &mfe,
        template.replace("\"icon\": \"aws\"", "\"icon\": \"bucket\""),
    )
    .unwrap();
    assert_eq!(push().await, 2, "a template changed");
    assert_eq!(push().await, 2);
    let changes = pipeline_changes(&server.get("/api/v1/diff").await);
    assert!(!changes.is_empty());
    std::fs::write(dir.path().join("pipelines/smoke.star"), SMOKE_TESTS).unwrap();
    assert_eq!(push().await, 3, "a template added");
    let changes = pipeline_changes(&server.get("/api/v1/diff").await);
    assert!(changes.contains(&("smoke-tests".to_owned(), "added".to_owned())));
}
