//! Issue 12 rows 14 and 16: a FIFO in the matrix's place never blocks a reload, and the webhook
//! bumps the generation only when the content changed; row 11 (credentials redacted); row 17
//! (one query rule for every endpoint, as the OpenAPI document says); row 18 (the webhook
//! without a secret, `CONNECT` and `OPTIONS *`, the size of a page of a huge bad file).

use crate::support::{
    Reply, TestServer, acme, acme_repo, assert_matches_openapi, start, start_example,
};
use axum::body::Bytes;
use edx_matrix_server::OPENAPI;
use edx_matrix_server::sign;
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
    // A guard against a hang, not a speed check: a debug build reloading a huge file on a loaded
    // 2-core machine took over 10 s once.
    let reply = tokio::time::timeout(
        Duration::from_secs(60),
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
    .expect("the webhook answered within 60 s");
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
    std::fs::write(
        &path,
        edx_matrix_test_support::pin_pro(&acme(), ["verawood", "verawood", "teak"]),
    )
    .unwrap();
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

/// The query parameters `operation` of the OpenAPI document declares.
fn declared_query_parameters(operation: &serde_json::Value) -> Vec<String> {
    operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query")
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Row 17: one rule for every endpoint the OpenAPI document lists, and the document says so:
/// an unknown parameter, an empty value or a repeated parameter is a 400 naming it; every
/// declared parameter is taken.
#[tokio::test]
async fn row17_every_documented_endpoint_refuses_unknown_and_empty_query_parameters() {
    let repo = acme_repo();
    let mut options = Options::new(MatrixSource::File(repo.path().join("edx-matrix.toml")));
    options.poll = None;
    options.webhook_secret = Some(SECRET.to_owned());
    let server = start(options).await;
    let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
    let description = doc["info"]["description"].as_str().unwrap();
    assert!(
        description.contains("an endpoint takes only the query parameters it lists"),
        "{description}"
    );
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 14, "every endpoint is in the document");
    let mut seen_declared = Vec::new();
    for (path, item) in paths {
        let concrete = path
            .replace("/releases/{name}", "/releases/ulmo")
            .replace("/deployments/{name}", "/deployments/pro");
        for (method_name, operation) in item.as_object().unwrap() {
            let method = Method::from_bytes(method_name.to_uppercase().as_bytes()).unwrap();
            let what = format!("{method} {path}");
            assert!(
                operation["responses"]["400"]["content"]["application/json"].is_object(),
                "{what} documents no 400"
            );
            let send = |query: String| {
                let url = format!("{concrete}?{query}");
                let method = method.clone();
                let server = &server;
                async move { server.send(method, &url, &[], Bytes::new()).await }
            };
            let refused = |reply: &Reply, parameter: &str, needle: &str, query: &str| {
                assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{what}?{query}");
                let body = reply.json();
                assert_matches_openapi(path, method_name, 400, &body);
                assert_eq!(body["parameter"], parameter, "{what}?{query}: {body}");
                let error = body["error"].as_str().unwrap();
                assert!(error.contains(needle), "{what}?{query}: {error}");
            };
            for query in ["bogus=1", "bogus=", "bogus", "a=1&bogus=2"] {
                let parameter = if query.starts_with("a=") {
                    "a"
                } else {
                    "bogus"
                };
                let reply = send(query.to_owned()).await;
                refused(
                    &reply,
                    parameter,
                    &format!("unknown query parameter `{parameter}`"),
                    query,
                );
            }
            if method == Method::GET {
                let head = server
                    .send(
                        Method::HEAD,
                        &format!("{concrete}?bogus=1"),
                        &[],
                        Bytes::new(),
                    )
                    .await;
                assert_eq!(head.status, StatusCode::BAD_REQUEST, "HEAD {path}?bogus=1");
            }
            for parameter in declared_query_parameters(operation) {
                for query in [format!("{parameter}="), parameter.clone()] {
                    let reply = send(query.clone()).await;
                    let needle = format!("query parameter `{parameter}` is empty");
                    refused(&reply, &parameter, &needle, &query);
                }
                let query = format!("{parameter}=a&{parameter}=b");
                let reply = send(query.clone()).await;
                let needle = format!("query parameter `{parameter}` is given twice");
                refused(&reply, &parameter, &needle, &query);
                // A declared parameter with a value is taken (it may still name nothing).
                let query = format!("{parameter}=x");
                let reply = send(query.clone()).await;
                let body = reply.json();
                let error = body["error"].as_str().unwrap_or_default();
                assert!(
                    body.get("parameter").is_none()
                        && !error.contains("unknown query parameter")
                        && !error.contains("is empty"),
                    "{what}?{query}: {body}"
                );
                seen_declared.push((path.clone(), parameter));
            }
        }
    }
    // The server's table of parameters is the document's.
    let mut table: Vec<(String, String)> = edx_matrix_server::PARAMETERS
        .iter()
        .flat_map(|(route, ps)| ps.iter().map(|p| ((*route).to_owned(), (*p).to_owned())))
        .collect();
    table.sort();
    seen_declared.sort();
    assert_eq!(table, seen_declared);
}

/// Row 18: without a secret the webhook route does not exist, whatever the method.
#[tokio::test]
async fn row18_without_a_secret_every_method_on_the_webhook_gets_404() {
    let server = start_example().await;
    let mut bodies = Vec::new();
    for method in [Method::GET, Method::POST, Method::PUT, Method::HEAD] {
        let reply = server
            .send(method.clone(), "/api/v1/hooks/github", &[], Bytes::new())
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method}");
        if method != Method::HEAD {
            bodies.push(reply.json());
        }
    }
    assert!(bodies.iter().all(|b| *b == bodies[0]), "{bodies:?}");
    assert_matches_openapi("/api/v1/hooks/github", "post", 404, &bodies[0]);
    // With a secret the route exists and takes POST only.
    let (server, _dir, _path) = self::server().await;
    let reply = server.get("/api/v1/hooks/github").await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.header("allow"), Some("POST"));
}

/// Row 18: `CONNECT` and `OPTIONS *` get the 405 (with `Allow`) of every other method.
#[tokio::test]
async fn row18_connect_and_options_star_get_405_with_allow() {
    let server = start_example().await;
    for request in [
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nConnection: close\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ] {
        let raw = server.raw(request.as_bytes()).await;
        assert!(raw.starts_with("HTTP/1.1 405 "), "{request:?}: {raw}");
        let lower = raw.to_ascii_lowercase();
        assert!(
            lower.contains("\r\nallow: get,head\r\n"),
            "{request:?}: {raw}"
        );
        assert!(raw.contains("is not answered here"), "{request:?}: {raw}");
    }
    // A path's OPTIONS is a 405 too, as before.
    let reply = server
        .send(Method::OPTIONS, "/api/v1/model", &[], Bytes::new())
        .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
}

/// Row 18: a 10 MB value in a bad file gives pages a few kilobytes larger than the good ones,
/// not of many megabytes: values are clipped on the page as diagnostics are on the terminal
/// (the JSON diagnostics keep them whole). Both with nothing to serve and with the last good
/// version still served above the errors.
#[tokio::test]
async fn row18_a_huge_bad_value_gives_a_small_page() {
    let name = "a".repeat(10_000_000);
    // A deployment named with 10⁷ `a`s on a release the matrix lacks: errors name it.
    let bad = acme().replacen(
        "[deployments]\n",
        &format!("[deployments]\n{name} = {{ QA = \"nope\" }}\n"),
        1,
    );
    assert_ne!(bad, acme());
    const PAGES: [&str; 5] = ["/", "/history", "/diff", "/d/pro/QA", "/r/ulmo"];
    // The last good version served, the bad one's errors above it.
    let (server, _dir, path) = server().await;
    let mut good_sizes = Vec::new();
    for url in PAGES {
        good_sizes.push(server.get(url).await.body.len());
    }
    std::fs::write(&path, &bad).unwrap();
    assert_eq!(hook(&server).await["good"], false);
    for (url, good) in PAGES.iter().zip(good_sizes) {
        let size = server.get(url).await.body.len();
        eprintln!("{url}: {good} bytes good, {size} bytes with the bad version's errors");
        assert!(size < good + 50_000, "{url}: {size} bytes (good: {good})");
    }
    let diagnostics = server.get("/api/v1/diagnostics").await.text();
    assert!(diagnostics.contains(&name), "the JSON keeps the value");
    // Nothing to serve: the error page alone.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edx-matrix.toml");
    std::fs::write(&path, &bad).unwrap();
    let mut options = Options::new(MatrixSource::File(path));
    options.poll = None;
    let server = start(options).await;
    assert_eq!(server.get("/healthz").await.json()["status"], "no-matrix");
    for url in PAGES {
        let page = server.get(url).await;
        eprintln!("{url}: {} bytes, nothing served", page.body.len());
        assert!(page.body.len() < 50_000, "{url}: {} bytes", page.body.len());
        assert!(page.text().contains("more bytes)"), "{url}");
    }
}
