//! `POST /api/v1/hooks/push`: a component repository's push webhook — GitHub's `push` event
//! (signed with `X-Hub-Signature-256`, as `/api/v1/hooks/github`) or GitLab's `Push Hook`
//! (its `X-Gitlab-Token` is the shared secret) — recording the pushed branch's new head when
//! the served matrix builds that (repository, branch), so the stage page and `/api/v1/lock` can
//! say whether a locked commit is still its branch's head. Nothing is reloaded or fetched.

use crate::api::ApiError;
use crate::branch_heads::{Head, repo_key};
use crate::state::AppState;
use crate::webhook::{MAX_BODY, SIGNATURE_HEADER, verify_signature};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use edx_matrix_model::format_timestamp;
use serde_json::{Value, json};
use std::sync::Arc;

/// The payload fields naming the pushed repository, per host, in the order tried.
const GITHUB_URLS: &[&str] = &[
    "/repository/clone_url",
    "/repository/html_url",
    "/repository/ssh_url",
    "/repository/git_url",
];
const GITLAB_URLS: &[&str] = &[
    "/project/git_http_url",
    "/project/web_url",
    "/project/git_ssh_url",
    "/repository/git_http_url",
    "/repository/homepage",
    "/repository/git_ssh_url",
];

/// Which host sent the push, from its event header.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Host {
    GitHub,
    GitLab,
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name)?.to_str().ok()
}

/// Compares two byte strings in time independent of where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn refused(status: StatusCode, message: impl Into<String>) -> Response {
    ApiError::new(status, message).into_response()
}

/// Handles the webhook: 404 without a secret, 413 for a large body, 401 for a missing or bad
/// signature or token (nothing recorded), 400 for a push payload without a branch ref or a
/// commit id (the field named), else 200 saying whether a head was recorded.
pub(crate) async fn push(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let Some(secret) = state.webhook_secret.as_deref() else {
        return refused(StatusCode::NOT_FOUND, "no such endpoint");
    };
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the webhook body is larger than {MAX_BODY} bytes"),
        );
    };
    let headers = &parts.headers;
    let (host, event) = match (
        header(headers, "x-gitlab-event"),
        header(headers, "x-github-event"),
    ) {
        (Some(event), _) => (Host::GitLab, event),
        (None, Some(event)) => (Host::GitHub, event),
        (None, None) => {
            return refused(
                StatusCode::BAD_REQUEST,
                "neither `X-GitHub-Event` nor `X-Gitlab-Event`: not a push webhook",
            );
        }
    };
    let verified = match host {
        Host::GitHub => match header(headers, SIGNATURE_HEADER) {
            None => {
                return refused(StatusCode::UNAUTHORIZED, "missing `X-Hub-Signature-256`");
            }
            Some(signature) => verify_signature(secret, &body, signature),
        },
        Host::GitLab => match header(headers, "x-gitlab-token") {
            None => return refused(StatusCode::UNAUTHORIZED, "missing `X-Gitlab-Token`"),
            Some(token) => same_secret(secret, token.as_bytes()),
        },
    };
    if !verified {
        let what = match host {
            Host::GitHub => "bad `X-Hub-Signature-256`",
            Host::GitLab => "bad `X-Gitlab-Token`",
        };
        return refused(StatusCode::UNAUTHORIZED, what);
    }
    let pushed = match host {
        Host::GitHub => event == "push",
        Host::GitLab => event == "Push Hook",
    };
    if !pushed {
        return ignored(format!("event `{event}`: only pushes record a branch head"));
    }
    let payload: Value = match serde_json::from_slice(&body) {
        Ok(payload) => payload,
        Err(e) => {
            return refused(
                StatusCode::BAD_REQUEST,
                format!(
                    "the body is not JSON: {e} (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            );
        }
    };
    let Some(reference) = payload.get("ref").and_then(Value::as_str) else {
        return refused(StatusCode::BAD_REQUEST, "`$.ref`: missing, or not a string");
    };
    let after = match payload.get("after").and_then(Value::as_str) {
        Some(a) if a.len() == 40 && a.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) => a,
        _ => {
            return refused(
                StatusCode::BAD_REQUEST,
                "`$.after`: missing, or not a commit id (40 lowercase hexadecimal digits)",
            );
        }
    };
    let Some(branch) = reference.strip_prefix("refs/heads/") else {
        return ignored("`$.ref` is not a branch (`refs/heads/…`)".to_owned());
    };
    let fields = match host {
        Host::GitHub => GITHUB_URLS,
        Host::GitLab => GITLAB_URLS,
    };
    let keys: Vec<String> = (fields.iter())
        .filter_map(|f| payload.pointer(f).and_then(Value::as_str))
        .filter_map(repo_key)
        .collect();
    if keys.is_empty() {
        let named: Vec<String> = (fields.iter())
            .map(|f| format!("`${}`", f.replace('/', ".")))
            .collect();
        return refused(
            StatusCode::BAD_REQUEST,
            format!("no repository URL in the payload ({})", named.join(", ")),
        );
    }
    let snapshot = state.snapshot();
    let built = snapshot.good.as_ref().and_then(|good| {
        keys.iter().find(|k| {
            good.branch_keys
                .contains(&((*k).clone(), branch.to_owned()))
        })
    });
    let Some(key) = built else {
        return ignored(format!(
            "the served matrix builds no branch `{branch}` of `{}`",
            keys[0]
        ));
    };
    let seen_at = crate::branch_heads::seconds_since_epoch((state.clock)());
    let forced = host == Host::GitHub && payload.get("forced") == Some(&Value::Bool(true));
    let head = Head {
        commit: after.to_owned(),
        seen_at,
        forced,
    };
    if !state.heads.record(key.clone(), branch.to_owned(), head) {
        return refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many branch heads recorded",
        );
    }
    axum::Json(json!({
        "recorded": true,
        "repository": key,
        "branch": branch,
        "head": after,
        "seen_at": format_timestamp(seen_at),
    }))
    .into_response()
}

/// A verified delivery that records nothing, and why.
fn ignored(reason: String) -> Response {
    axum::Json(json!({ "recorded": false, "reason": reason })).into_response()
}
