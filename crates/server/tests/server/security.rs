//! Only GET and HEAD, no request bodies, bounded headers, no way out of the static map.

use crate::support::start_example;
use axum::body::Bytes;
use hyper::{Method, StatusCode};

#[tokio::test]
async fn only_get_and_head_are_allowed() {
    let server = start_example().await;
    for path in [
        "/",
        "/api/v1/model",
        "/api/v1/resolved",
        "/healthz",
        "/static/style.css",
        "/d/pro/QA",
    ] {
        for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
            let reply = server.send(method.clone(), path, &[], Bytes::new()).await;
            assert_eq!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            assert_eq!(reply.header("allow"), Some("GET,HEAD"), "{method} {path}");
        }
    }
    // Without a webhook secret the webhook route does not exist (see hardening.rs, row 18).
    let reply = server
        .send(Method::GET, "/api/v1/hooks/github", &[], Bytes::new())
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn read_only_endpoints_take_no_body() {
    let server = start_example().await;
    let reply = server
        .send(
            Method::GET,
            "/api/v1/model",
            &[("content-type", "application/json")],
            "{}",
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.json()["error"], "this endpoint takes no request body");
    let raw = server
        .raw(b"GET /api/v1/model HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        .await;
    assert!(raw.starts_with("HTTP/1.1 413 "), "{raw}");
}

#[tokio::test]
async fn static_files_come_from_a_fixed_map() {
    let server = start_example().await;
    let css = server.get("/static/style.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.text().contains(".rel-0"));
    for path in [
        "/static/../Cargo.toml",
        "/static/..%2fCargo.toml",
        "/static/%2e%2e/%2e%2e/Cargo.toml",
        "/static/..%2f..%2f..%2fCargo.toml",
        "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fexamples%2facme%2fedx-matrix.toml",
        "/static/..\\..\\Cargo.toml",
        "/static//etc/passwd",
        "/static/style.css/../../../Cargo.toml",
        "/static/",
        "/static/lib.rs",
    ] {
        // Sent verbatim: client libraries would normalise the dots away.
        let raw = server
            .raw(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
            .await;
        let status_line = raw.lines().next().unwrap_or_default();
        assert!(
            status_line.starts_with("HTTP/1.1 404") || status_line.starts_with("HTTP/1.1 400"),
            "{path}: {status_line}"
        );
        assert!(
            !raw.contains("[workspace]") && !raw.contains("root:"),
            "{path}: {raw}"
        );
    }
}

#[tokio::test]
async fn oversized_headers_are_refused() {
    let server = start_example().await;
    let big = "a".repeat(32 * 1024);
    let raw = server
        .raw(
            format!(
                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
        .await;
    assert!(
        raw.starts_with("HTTP/1.1 431 "),
        "{}",
        &raw[..raw.len().min(200)]
    );
    let many: String = (0..100).map(|i| format!("X-H{i}: v\r\n")).collect();
    let raw = server
        .raw(
            format!("GET /healthz HTTP/1.1\r\nHost: x\r\n{many}Connection: close\r\n\r\n")
                .as_bytes(),
        )
        .await;
    assert!(
        raw.starts_with("HTTP/1.1 431 "),
        "{}",
        &raw[..raw.len().min(200)]
    );
    // A normal request on the same server still works.
    assert_eq!(server.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn responses_carry_protective_headers() {
    let server = start_example().await;
    for path in ["/", "/api/v1/model", "/nowhere", "/api/v1/nowhere"] {
        let reply = server.get(path).await;
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
        let csp = reply.header("content-security-policy").unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
            "{path}"
        );
    }
    let api404 = server.get("/api/v1/nowhere").await;
    assert_eq!(api404.status, StatusCode::NOT_FOUND);
    assert_eq!(api404.json()["error"], "no such endpoint");
}
