//! Issue 12 rows 14 and 16: a FIFO in the matrix's place never blocks a reload, and the webhook
//! bumps the generation only when the content changed.

use crate::support::{TestServer, acme, start};
use edx_matrix_server::webhook::sign;
use edx_matrix_server::{MatrixSource, Options};
use hyper::{Method, StatusCode};
use std::time::Duration;

const SECRET: &str = "hardening secret";

async fn server() -> (TestServer, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edx-matrix.toml");
    std::fs::write(&path, acme()).unwrap();
    let mut options = Options::new(MatrixSource::File(path.clone()));
    options.poll = None;
    options.webhook_secret = Some(SECRET.to_owned());
    (start(options).await, dir, path)
}

async fn hook(server: &TestServer) -> serde_json::Value {
    let signature = sign(SECRET.as_bytes(), b"{}");
    let reply = tokio::time::timeout(
        Duration::from_secs(10),
        server.send(
            Method::POST,
            "/api/v1/hooks/github",
            &[
                ("content-type", "application/json"),
                ("x-hub-signature-256", signature.as_str()),
            ],
            "{}".to_owned(),
        ),
    )
    .await
    .expect("the webhook answered within 10 s");
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

#[tokio::test]
async fn row16_the_same_content_keeps_the_generation() {
    let (server, _dir, path) = server().await;
    for _ in 0..3 {
        assert_eq!(hook(&server).await["generation"], 1);
    }
    assert_eq!(server.get("/healthz").await.json()["generation"], 1);
    std::fs::write(&path, acme().replace("QA = \"ulmo\"", "QA = \"verawood\"")).unwrap();
    assert_eq!(hook(&server).await["generation"], 2);
    assert_eq!(hook(&server).await["generation"], 2);
}

#[tokio::test]
async fn row14_a_fifo_in_place_of_the_matrix_does_not_block_the_reload() {
    let (server, dir, path) = server().await;
    let fifo = dir.path().join("f");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::fs::rename(&fifo, &path).unwrap();
    let body = hook(&server).await;
    assert_eq!(body["good"], false);
    let health = server.get("/healthz").await.json();
    assert_eq!(health["status"], "degraded", "{health}");
    let diagnostics = server.get("/api/v1/diagnostics").await.text();
    assert!(diagnostics.contains("FIFO"), "{diagnostics}");
    // The last good matrix is still served, and a good file is picked up again.
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, acme()).unwrap();
    let body = hook(&server).await;
    assert_eq!(body["good"], true);
    assert_eq!(server.get("/healthz").await.json()["status"], "ok");
}

/// Row 11: a URL credential accepted by `[lints]` is served redacted by the API and pages.
#[tokio::test]
async fn row11_credentials_are_redacted_in_the_api_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edx-matrix.toml");
    let token = "ghp_S3CRET0TOKEN";
    let text = acme().replacen(
        "https://github.com/",
        &format!("https://ci-bot:{token}@github.com/"),
        1,
    );
    assert_ne!(text, acme());
    std::fs::write(
        &path,
        format!("{text}\n[lints]\nurl-credentials = \"warn\"\n"),
    )
    .unwrap();
    let mut options = Options::new(MatrixSource::File(path));
    options.poll = None;
    let server = start(options).await;
    for url in [
        "/api/v1/model",
        "/api/v1/resolved",
        "/api/v1/diagnostics",
        "/",
    ] {
        let body = server.get(url).await.text();
        assert!(!body.contains(token), "{url} shows the token");
    }
    assert!(
        server
            .get("/api/v1/model")
            .await
            .text()
            .contains("ci-bot:***@github.com")
    );
}
