//! Issue 22, rows 1-3 on the server: while a hostile template is in place (nested too deep, an
//! endless loop), `serve` keeps serving the last good project and `/healthz` says `degraded`
//! with the reason; it recovers when the template is removed. A hostile template committed in
//! an old revision ends at its bound in `/api/v1/diff?base=`, once: the comparison is cached.

use crate::support::{assert_matches_openapi, example_repo_with_templates, git, replace, start};
use edx_matrix_server::{MatrixSource, Options};
use hyper::StatusCode;
use std::time::Duration;

/// How long a reload may take on a busy machine (templates run in a debug build).
const LIMIT: Duration = Duration::from_secs(60);

const DEEP: &str = "def pipelines(matrix, standard):\n    x = []\n    for i in range(300):\n        x = [x]\n    return [{\"name\": \"deep\", \"config\": {\"jobs\": x}}]\n";

const SPIN: &str = "def pipelines(matrix, standard):\n    n = 0\n    for i in range(2147483647):\n        for j in range(2147483647):\n            n += 1\n    return []\n";

/// The example's matrix with a lower step bound (the default takes long in a debug build).
fn with_steps(text: &str, steps: u64) -> String {
    let with = text.replacen(
        "templates   = [\"pipelines/*.star\"]",
        &format!("templates   = [\"pipelines/*.star\"]\ntemplate_steps = {steps}"),
        1,
    );
    assert_ne!(with, text);
    with
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_template_degrades_the_server_until_it_is_removed() {
    let (dir, file, _) = example_repo_with_templates();
    let mut options = Options::new(MatrixSource::File(file.clone()));
    options.poll = Some(Duration::from_millis(50));
    let server = start(options).await;
    let health = server.get("/healthz").await.json();
    assert_eq!(health["status"], "ok", "{health:#}");
    assert!(health.get("reason").is_none(), "{health:#}");
    let model = server.get("/api/v1/model").await.text();

    // Row 1: a value nested 300 deep (depth 120 used to abort the server).
    let hostile = dir.path().join("pipelines/hostile.star");
    replace(&hostile, DEEP);
    let (reply, _) = server
        .wait_for("/healthz", LIMIT, |r| r.json()["status"] == "degraded")
        .await;
    let health = reply.json();
    assert_eq!(health["status"], "degraded", "{health:#}");
    assert_matches_openapi("/healthz", "get", 200, &health);
    assert_eq!(health["serving_generation"], 1, "{health:#}");
    let reason = health["reason"].as_str().unwrap();
    assert!(
        reason.contains("pipelines/hostile.star:1:1: pipeline-template: limit error: `pipelines` returned a value that is nested too deep")
            && reason.contains("raise it with `[pipelines] template_depth = N`"),
        "{reason}"
    );
    // The last good project is still served.
    let served = server.get("/api/v1/model").await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.text(), model);

    // Row 3's last point: removing the template recovers (a failed load used to leave the
    // remembered template texts behind, so nothing looked changed).
    std::fs::remove_file(&hostile).unwrap();
    let (reply, took) = server
        .wait_for("/healthz", LIMIT, |r| r.json()["status"] == "ok")
        .await;
    assert_eq!(reply.json()["status"], "ok", "not recovered in {took:?}");

    // Row 2: an endless loop ends at the step bound; the reload lock is released, so the next
    // edit loads.
    let text = std::fs::read_to_string(&file).unwrap();
    replace(&file, &with_steps(&text, 200_000));
    replace(&hostile, SPIN);
    let (reply, _) = server
        .wait_for("/healthz", LIMIT, |r| {
            r.json()["reason"]
                .as_str()
                .is_some_and(|r| r.contains("template_steps"))
        })
        .await;
    let health = reply.json();
    assert_eq!(health["status"], "degraded", "{health:#}");
    assert!(
        health["reason"].as_str().unwrap().contains("pipelines/hostile.star:5:13: pipeline-template: limit error: the template went past its bound of 200000 steps"),
        "{health:#}"
    );
    std::fs::remove_file(&hostile).unwrap();
    let (reply, took) = server
        .wait_for("/healthz", LIMIT, |r| r.json()["status"] == "ok")
        .await;
    assert_eq!(reply.json()["status"], "ok", "not recovered in {took:?}");
    // The edited matrix (with its bound) is what is served now.
    let diagnostics = server.get("/api/v1/diagnostics").await.json();
    assert_eq!(diagnostics["serving"], "latest", "{diagnostics:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_revision_in_the_diff_ends_at_its_bound_and_is_computed_once() {
    let (dir, file, _) = example_repo_with_templates();
    let top = dir.path();
    let date = "2024-02-01T10:00:00+00:00";
    // A commit adding an endless template (with a low bound), then one removing it.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, with_steps(&text, 100_000)).unwrap();
    std::fs::write(top.join("pipelines/hostile.star"), SPIN).unwrap();
    git(top, date, &["add", "-A"]);
    git(top, date, &["commit", "-q", "-m", "a hostile template"]);
    let hostile = git(top, date, &["rev-parse", "HEAD"]);
    git(top, date, &["rm", "-q", "pipelines/hostile.star"]);
    git(top, date, &["commit", "-q", "-m", "without it"]);

    let mut options = Options::new(MatrixSource::File(file.clone()));
    options.poll = None;
    let server = start(options).await;
    assert_eq!(server.get("/healthz").await.json()["status"], "ok");

    let path = format!("/api/v1/diff?base={hostile}&head=HEAD");
    let first = tokio::time::timeout(LIMIT, server.get(&path))
        .await
        .unwrap();
    let body = first.json();
    assert_eq!(first.status, StatusCode::OK, "{body:#}");
    assert_matches_openapi("/api/v1/diff", "get", 200, &body);
    // The templates of the base ended at their bound (else this would never answer): no
    // pipeline compared, and the reason says which side.
    assert_eq!(body["pipelines"]["computed"], false, "{body:#}");
    assert_eq!(
        body["pipelines"]["reason"],
        format!(
            "the pipeline templates of `{}:edx-matrix.toml` have 1 error (`edx-matrix check` shows them)",
            &hostile[..7]
        ),
        "{body:#}"
    );
    // Asked again, and three times at once: the same comparison (from the cache).
    let again = server.get(&path).await;
    assert_eq!(again.json(), body);
    let (a, b, c) = tokio::join!(server.get(&path), server.get(&path), server.get(&path));
    for reply in [a, b, c] {
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.json(), body);
    }
}
