//! `POST /api/v1/hooks/github`: off without a secret, 401 without reloading on a bad
//! signature, a reload on a good one.

use crate::support::{TestServer, acme, assert_matches_openapi, start};
use edx_matrix_server::sign;
use edx_matrix_server::{MatrixSource, Options};
use hyper::{Method, StatusCode};

const SECRET: &str = "It's a Secret to Everybody";
const PUSH: &str =
    r#"{"ref":"refs/heads/main","after":"0000000000000000000000000000000000000000"}"#;

/// A server on a file, without polling, so only the webhook reloads.
async fn server(secret: Option<&str>) -> (TestServer, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edx-matrix.toml");
    std::fs::write(&path, acme()).unwrap();
    let mut options = Options::new(MatrixSource::File(path.clone()));
    options.poll = None;
    options.webhook_secret = secret.map(str::to_owned);
    (start(options).await, dir, path)
}

async fn post(server: &TestServer, signature: Option<&str>, body: &str) -> crate::support::Reply {
    let mut headers = vec![
        ("content-type", "application/json"),
        ("x-github-event", "push"),
    ];
    if let Some(signature) = signature {
        headers.push(("x-hub-signature-256", signature));
    }
    server
        .send(
            Method::POST,
            "/api/v1/hooks/github",
            &headers,
            body.to_owned(),
        )
        .await
}

async fn pro_qa(server: &TestServer) -> String {
    let rows = server
        .get("/api/v1/resolved?deployment=pro&stage=QA")
        .await
        .json();
    rows[0]["release"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn without_a_secret_the_webhook_does_not_exist() {
    let (server, _dir, _path) = server(None).await;
    let reply = post(
        &server,
        Some(&sign(SECRET.as_bytes(), PUSH.as_bytes())),
        PUSH,
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_matches_openapi("/api/v1/hooks/github", "post", 404, &reply.json());
    // An empty secret is no secret.
    let (server, _dir, _path) = self::server(Some("")).await;
    let reply = post(&server, Some(&sign(b"", PUSH.as_bytes())), PUSH).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_bad_signature_is_refused_and_nothing_reloads() {
    let (server, _dir, path) = server(Some(SECRET)).await;
    std::fs::write(
        &path,
        edx_matrix_test_support::pin_pro(&acme(), ["verawood", "verawood", "teak"]),
    )
    .unwrap();
    let good = sign(SECRET.as_bytes(), PUSH.as_bytes());
    let tampered = PUSH.replace("main", "evil");
    let cases = [
        (
            "missing",
            None,
            PUSH.to_owned(),
            "missing `X-Hub-Signature-256`",
        ),
        (
            "wrong secret",
            Some(sign(b"guess", PUSH.as_bytes())),
            PUSH.to_owned(),
            "bad `X-Hub-Signature-256`",
        ),
        (
            "tampered body",
            Some(good.clone()),
            tampered,
            "bad `X-Hub-Signature-256`",
        ),
        (
            "sha1 prefix",
            Some(good.replace("sha256=", "sha1=")),
            PUSH.to_owned(),
            "bad `X-Hub-Signature-256`",
        ),
        (
            "truncated",
            Some(good[..40].to_owned()),
            PUSH.to_owned(),
            "bad `X-Hub-Signature-256`",
        ),
        (
            "not hex",
            Some(format!("sha256={}", "zz".repeat(32))),
            PUSH.to_owned(),
            "bad `X-Hub-Signature-256`",
        ),
    ];
    for (what, signature, body, error) in cases {
        let reply = post(&server, signature.as_deref(), &body).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{what}");
        assert_matches_openapi("/api/v1/hooks/github", "post", 401, &reply.json());
        assert_eq!(reply.json()["error"], error, "{what}");
    }
    assert_eq!(pro_qa(&server).await, "ulmo", "nothing was reloaded");
    assert_eq!(server.get("/healthz").await.json()["generation"], 1);
}

#[tokio::test]
async fn a_good_signature_reloads() {
    let (server, _dir, path) = server(Some(SECRET)).await;
    std::fs::write(
        &path,
        edx_matrix_test_support::pin_pro(&acme(), ["verawood", "verawood", "teak"]),
    )
    .unwrap();
    assert_eq!(pro_qa(&server).await, "ulmo");
    let reply = post(
        &server,
        Some(&sign(SECRET.as_bytes(), PUSH.as_bytes())),
        PUSH,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let body = reply.json();
    assert_matches_openapi("/api/v1/hooks/github", "post", 200, &body);
    assert_eq!(body["generation"], 2);
    assert_eq!(body["good"], true);
    assert_eq!(pro_qa(&server).await, "verawood");
}

#[tokio::test]
async fn a_large_body_is_refused() {
    let (server, _dir, _path) = server(Some(SECRET)).await;
    let body = format!("{{\"padding\":\"{}\"}}", "x".repeat(1024 * 1024));
    let reply = post(
        &server,
        Some(&sign(SECRET.as_bytes(), body.as_bytes())),
        &body,
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_matches_openapi("/api/v1/hooks/github", "post", 413, &reply.json());
    assert_eq!(server.get("/healthz").await.json()["generation"], 1);
}
