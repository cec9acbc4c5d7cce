//! `POST /api/v1/hooks/push` over real HTTP with real-shaped GitHub `push` and GitLab `Push
//! Hook` payloads: a push of a branch a lock entry names turns the stage page's "branch head:
//! not checked" into "matches branch head" / "behind branch head (head …)", and so does
//! `GET /api/v1/lock`'s `branch_head`; deliveries are verified (HMAC signature, GitLab token),
//! bounded, and what the matrix does not build is not recorded; no credential is echoed.

use crate::lock::{MATRIX, lock, options};
use crate::support::{Reply, TestServer, assert_matches_openapi, start};
use edx_matrix_server::sign;
use hyper::{Method, StatusCode};
use serde_json::{Value, json};

const SECRET: &str = "It's a Secret to Everybody";
/// The commit `lock()` locks forum at in CI.
const FORUM: &str = "0123456789abcdef0123456789abcdef01234567";
const NEXT: &str = "89abcdef0123456789abcdef0123456789abcdef";
/// `NOW` of `crate::lock`, the server's fixed clock.
const SEEN: &str = "2026-12-05T10:00:00Z";

/// A server on `matrix` with `lock`, the fixed clock and the webhook secret.
async fn server(matrix: &str, lock: &str) -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edx-matrix.toml");
    std::fs::write(&file, matrix).unwrap();
    std::fs::write(dir.path().join("edx-matrix.lock"), lock).unwrap();
    let mut options = options(file);
    options.webhook_secret = Some(SECRET.to_owned());
    (start(options).await, dir)
}

/// GitHub's `push` payload (the fields GitHub documents, trimmed to the ones that matter and
/// a few around them) for `clone_url`.
fn github_push(clone_url: &str, branch: &str, after: &str, forced: bool) -> String {
    json!({
        "ref": format!("refs/heads/{branch}"),
        "before": "1111111111111111111111111111111111111111",
        "after": after,
        "created": false,
        "deleted": false,
        "forced": forced,
        "compare": "https://github.com/openedx/cs_comments_service/compare/111111111111...89abcdef0123",
        "repository": {
            "id": 10_391_073,
            "name": "cs_comments_service",
            "full_name": "openedx/cs_comments_service",
            "html_url": "https://github.com/openedx/cs_comments_service",
            "clone_url": clone_url,
            "git_url": "git://github.com/openedx/cs_comments_service.git",
            "ssh_url": "git@github.com:openedx/cs_comments_service.git",
            "default_branch": "master"
        },
        "pusher": {"name": "octocat", "email": "octocat@example.com"},
        "head_commit": {"id": after, "message": "Fix", "timestamp": "2026-12-05T09:59:00Z"}
    })
    .to_string()
}

async fn post_github(server: &TestServer, event: &str, body: &str, secret: &str) -> Reply {
    let signature = sign(secret.as_bytes(), body.as_bytes());
    let headers = [
        ("content-type", "application/json"),
        ("x-github-event", event),
        ("x-github-delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
        ("x-hub-signature-256", signature.as_str()),
    ];
    server
        .send(
            Method::POST,
            "/api/v1/hooks/push",
            &headers,
            body.to_owned(),
        )
        .await
}

/// The `branch_head` of lock entry (stage, application) in `GET /api/v1/lock`.
async fn branch_head(server: &TestServer, stage: &str, application: &str) -> Value {
    let entries = server.get("/api/v1/lock").await.json();
    assert_matches_openapi("/api/v1/lock", "get", 200, &entries);
    let entry = entries
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["stage"] == stage && e["application"] == application)
        .unwrap()
        .clone();
    entry["branch_head"].clone()
}

#[tokio::test]
async fn a_github_push_of_a_locked_branch_shows_whether_the_commit_is_its_head() {
    let (server, _dir) = server(MATRIX, &lock()).await;
    assert_eq!(
        branch_head(&server, "CI", "forum").await,
        json!({"status": "not-checked"})
    );
    let page = server.get("/d/campus/CI").await.text();
    assert!(page.contains(">branch head: not checked</span>"), "{page}");

    // The branch's head is the locked commit.
    let body = github_push(
        "https://github.com/openedx/cs_comments_service.git",
        "acme/ulmo",
        FORUM,
        false,
    );
    let reply = post_github(&server, "push", &body, SECRET).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let result = reply.json();
    assert_matches_openapi("/api/v1/hooks/push", "post", 200, &result);
    assert_eq!(
        result,
        json!({"recorded": true, "repository": "github.com/openedx/cs_comments_service",
               "branch": "acme/ulmo", "head": FORUM, "seen_at": SEEN})
    );
    assert_eq!(
        branch_head(&server, "CI", "forum").await,
        json!({"status": "matches", "head": FORUM, "seen_at": SEEN})
    );
    let page = server.get("/d/campus/CI").await.text();
    assert!(
        page.contains(&format!(
            "<span class=\"note head-matches\">matches branch head (seen at {SEEN})</span>"
        )),
        "{page}"
    );

    // The branch moves on: the locked commit is behind its head.
    let body = github_push(
        "https://github.com/openedx/cs_comments_service.git",
        "acme/ulmo",
        NEXT,
        false,
    );
    assert!(post_github(&server, "push", &body, SECRET).await.json()["recorded"] == true);
    assert_eq!(
        branch_head(&server, "CI", "forum").await,
        json!({"status": "behind", "head": NEXT, "seen_at": SEEN})
    );
    let page = server.get("/d/campus/CI").await.text();
    assert!(
        page.contains(&format!(
            "<span class=\"note head-moved\" title=\"branch head {NEXT}\">behind branch head (head 89abcdef0123, seen at {SEEN})</span>"
        )),
        "{page}"
    );
    // Forced: it says so.
    let body = github_push(
        "https://github.com/openedx/cs_comments_service.git",
        "acme/ulmo",
        NEXT,
        true,
    );
    post_github(&server, "push", &body, SECRET).await;
    assert_eq!(
        branch_head(&server, "CI", "forum").await["status"],
        "force-pushed"
    );
    let page = server.get("/d/campus/CI").await.text();
    assert!(
        page.contains("branch force-pushed (head 89abcdef0123, seen at "),
        "{page}"
    );
    // The stale entry (notes, on a branch the matrix no longer builds) stays stale.
    assert_eq!(page.matches("stale lock: re-lock this stage").count(), 1);
}

#[tokio::test]
async fn a_gitlab_push_hook_is_verified_by_its_token() {
    let origin = "https://gitlab.com/acme/cs_comments_service";
    let matrix = MATRIX.replace("https://github.com/openedx/cs_comments_service", origin);
    let lock = lock().replace("https://github.com/openedx/cs_comments_service", origin);
    let (server, _dir) = server(&matrix, &lock).await;
    // GitLab's `Push Hook` payload (as GitLab documents it, trimmed).
    let body = json!({
        "object_kind": "push",
        "event_name": "push",
        "before": "1111111111111111111111111111111111111111",
        "after": FORUM,
        "ref": "refs/heads/acme/ulmo",
        "checkout_sha": FORUM,
        "user_username": "jsmith",
        "project_id": 15,
        "project": {
            "id": 15,
            "name": "cs_comments_service",
            "web_url": "https://gitlab.com/acme/cs_comments_service",
            "git_ssh_url": "git@gitlab.com:acme/cs_comments_service.git",
            "git_http_url": "https://gitlab.com/acme/cs_comments_service.git",
            "namespace": "acme",
            "path_with_namespace": "acme/cs_comments_service",
            "default_branch": "master"
        },
        "commits": [],
        "total_commits_count": 1,
        "repository": {
            "name": "cs_comments_service",
            "url": "git@gitlab.com:acme/cs_comments_service.git",
            "homepage": "https://gitlab.com/acme/cs_comments_service",
            "git_http_url": "https://gitlab.com/acme/cs_comments_service.git",
            "git_ssh_url": "git@gitlab.com:acme/cs_comments_service.git"
        }
    })
    .to_string();
    let send = |token: Option<&'static str>| {
        let body = body.clone();
        let server = &server;
        async move {
            let mut headers = vec![
                ("content-type", "application/json"),
                ("x-gitlab-event", "Push Hook"),
            ];
            if let Some(token) = token {
                headers.push(("x-gitlab-token", token));
            }
            server
                .send(Method::POST, "/api/v1/hooks/push", &headers, body)
                .await
        }
    };
    for (token, error) in [
        (None, "missing `X-Gitlab-Token`"),
        (Some("It's a Secret to Everybody!"), "bad `X-Gitlab-Token`"),
        (Some("it's a secret to everybody"), "bad `X-Gitlab-Token`"),
    ] {
        let reply = send(token).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_matches_openapi("/api/v1/hooks/push", "post", 401, &reply.json());
        assert_eq!(reply.json()["error"], error);
    }
    assert_eq!(
        branch_head(&server, "CI", "forum").await["status"],
        "not-checked"
    );
    let reply = send(Some(SECRET)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(
        reply.json()["repository"],
        "gitlab.com/acme/cs_comments_service"
    );
    assert_eq!(
        branch_head(&server, "CI", "forum").await,
        json!({"status": "matches", "head": FORUM, "seen_at": SEEN})
    );
    let page = server.get("/d/campus/CI").await.text();
    assert!(page.contains("matches branch head (seen at "), "{page}");
}

#[tokio::test]
async fn pushes_of_what_the_matrix_does_not_build_record_nothing() {
    let (server, _dir) = server(MATRIX, &lock()).await;
    let cases = [
        (
            "push",
            github_push(
                "https://github.com/other/cs_comments_service.git",
                "acme/ulmo",
                NEXT,
                false,
            )
            .replace("openedx/cs_comments_service", "other/cs_comments_service"),
            "the served matrix builds no branch `acme/ulmo` of `github.com/other/cs_comments_service`",
        ),
        (
            "push",
            github_push(
                "https://github.com/openedx/cs_comments_service.git",
                "main",
                NEXT,
                false,
            ),
            "the served matrix builds no branch `main` of `github.com/openedx/cs_comments_service`",
        ),
        (
            "push",
            github_push(
                "https://github.com/openedx/cs_comments_service.git",
                "x",
                NEXT,
                false,
            )
            .replace("refs/heads/x", "refs/tags/v1.0"),
            "`$.ref` is not a branch (`refs/heads/…`)",
        ),
        (
            "ping",
            json!({"zen": "Keep it logically awesome.", "hook_id": 1}).to_string(),
            "event `ping`: only pushes record a branch head",
        ),
    ];
    for (event, body, reason) in cases {
        let reply = post_github(&server, event, &body, SECRET).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let result = reply.json();
        assert_matches_openapi("/api/v1/hooks/push", "post", 200, &result);
        assert_eq!(result, json!({"recorded": false, "reason": reason}));
    }
    assert_eq!(
        branch_head(&server, "CI", "forum").await["status"],
        "not-checked"
    );
    // A credential in the payload's URL: matched without it, never echoed nor shown.
    let body = github_push(
        "https://x-access-token:ghp_NotARealToken@github.com/openedx/cs_comments_service.git",
        "acme/ulmo",
        FORUM,
        false,
    )
    .replace(
        "https://github.com/openedx/cs_comments_service\"",
        "https://x-access-token:ghp_NotARealToken@github.com/openedx/cs_comments_service\"",
    );
    let reply = post_github(&server, "push", &body, SECRET).await;
    assert!(!reply.text().contains("ghp_"), "{}", reply.text());
    assert_eq!(reply.json()["recorded"], true);
    for path in ["/d/campus/CI", "/api/v1/lock"] {
        let text = server.get(path).await.text();
        assert!(!text.contains("ghp_"), "{path}: {text}");
    }
}

#[tokio::test]
async fn malformed_or_unsigned_pushes_are_refused_and_nothing_is_recorded() {
    let (server, _dir) = server(MATRIX, &lock()).await;
    let good = github_push(
        "https://github.com/openedx/cs_comments_service.git",
        "acme/ulmo",
        FORUM,
        false,
    );
    let without = |field: &str| {
        let mut v: Value = serde_json::from_str(&good).unwrap();
        v.as_object_mut().unwrap().remove(field);
        v.to_string()
    };
    let cases: [(String, &str, StatusCode, &str); 6] = [
        (
            "{\"ref\": ".to_owned(),
            SECRET,
            StatusCode::BAD_REQUEST,
            "the body is not JSON: EOF while parsing a value at line 1 column 8 (line 1, column 8)",
        ),
        (
            without("after"),
            SECRET,
            StatusCode::BAD_REQUEST,
            "`$.after`: missing, or not a commit id (40 lowercase hexadecimal digits)",
        ),
        (
            good.replace(FORUM, &FORUM.to_uppercase()),
            SECRET,
            StatusCode::BAD_REQUEST,
            "`$.after`: missing, or not a commit id (40 lowercase hexadecimal digits)",
        ),
        (
            without("ref"),
            SECRET,
            StatusCode::BAD_REQUEST,
            "`$.ref`: missing, or not a string",
        ),
        (
            without("repository"),
            SECRET,
            StatusCode::BAD_REQUEST,
            "no repository URL in the payload (`$.repository.clone_url`, `$.repository.html_url`, `$.repository.ssh_url`, `$.repository.git_url`)",
        ),
        (
            good.clone(),
            "another secret",
            StatusCode::UNAUTHORIZED,
            "bad `X-Hub-Signature-256`",
        ),
    ];
    for (body, secret, status, error) in cases {
        let reply = post_github(&server, "push", &body, secret).await;
        assert_eq!(reply.status, status, "{}", reply.text());
        let json = reply.json();
        assert_matches_openapi("/api/v1/hooks/push", "post", status.as_u16(), &json);
        assert_eq!(json["error"], error);
    }
    // No event header: not a push webhook.
    let reply = server
        .send(Method::POST, "/api/v1/hooks/push", &[], good.clone())
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    // Over 1 MiB: refused before it is read further.
    let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(1024 * 1024));
    let reply = post_github(&server, "push", &big, SECRET).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        branch_head(&server, "CI", "forum").await["status"],
        "not-checked"
    );
}

#[tokio::test]
async fn without_a_secret_the_push_webhook_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("edx-matrix.toml");
    std::fs::write(&file, MATRIX).unwrap();
    let server = start(options(file)).await;
    let body = github_push(
        "https://github.com/openedx/cs_comments_service.git",
        "acme/ulmo",
        FORUM,
        false,
    );
    let reply = post_github(&server, "push", &body, SECRET).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // Without a lock, the API lists no entries.
    assert_eq!(server.get("/api/v1/lock").await.json(), json!([]));
}
