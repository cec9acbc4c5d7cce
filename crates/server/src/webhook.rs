//! `POST /api/v1/hooks/github`: GitHub's push webhook, verified with `X-Hub-Signature-256`
//! (HMAC-SHA256 of the body under the shared secret), then a reload.

use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use std::sync::Arc;

/// The largest webhook body accepted (GitHub caps payloads at 25 MB; pushes are far smaller).
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// The signature header GitHub sends.
pub(crate) const SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// Returns whether `signature` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `secret`,
/// compared in constant time.
pub(crate) fn verify_signature(secret: &[u8], body: &[u8], signature: &str) -> bool {
    let Some(digest) = signature.strip_prefix("sha256=").and_then(decode_hex) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&digest).is_ok()
}

/// Returns the `sha256=<hex>` signature of `body` under `secret`, as GitHub computes it.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut out = String::from("sha256=");
    if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) {
        mac.update(body);
        for byte in mac.finalize().into_bytes() {
            out.push_str(&format!("{byte:02x}"));
        }
    }
    out
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 {
        return None;
    }
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |c: u8| (c as char).to_digit(16);
            Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
        })
        .collect()
}

fn signature(headers: &HeaderMap) -> Option<&str> {
    headers.get(SIGNATURE_HEADER)?.to_str().ok()
}

/// Handles the webhook: 404 without a secret, 413 for a large body, 401 for a bad signature
/// (nothing reloaded), else a forced reload and 200.
pub(crate) async fn github(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let Some(secret) = state.webhook_secret.as_deref() else {
        return ApiError::new(StatusCode::NOT_FOUND, "no such endpoint").into_response();
    };
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the webhook body is larger than {MAX_BODY} bytes"),
        )
        .into_response();
    };
    let Some(signature) = signature(&parts.headers) else {
        return ApiError::new(StatusCode::UNAUTHORIZED, "missing `X-Hub-Signature-256`")
            .into_response();
    };
    if !verify_signature(secret, &body, signature) {
        return ApiError::new(StatusCode::UNAUTHORIZED, "bad `X-Hub-Signature-256`")
            .into_response();
    }
    let report = state.reload(true).await;
    axum::Json(json!({
        "reloaded": true,
        "generation": report.generation,
        "good": report.good,
        "errors": report.errors,
        "warnings": report.warnings,
    }))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_githubs_documented_example() {
        // From GitHub's "Validating webhook deliveries" documentation.
        let sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assert!(verify_signature(
            b"It's a Secret to Everybody",
            b"Hello, World!",
            sig
        ));
        assert_eq!(sign(b"It's a Secret to Everybody", b"Hello, World!"), sig);
    }

    #[test]
    fn rejects_bad_signatures() {
        let good = sign(b"s", b"body");
        assert!(verify_signature(b"s", b"body", &good));
        assert!(!verify_signature(b"s", b"body!", &good));
        assert!(!verify_signature(b"t", b"body", &good));
        assert!(!verify_signature(
            b"s",
            b"body",
            &good.replace("sha256=", "sha1=")
        ));
        assert!(!verify_signature(b"s", b"body", "sha256=zz"));
        assert!(!verify_signature(b"s", b"body", "sha256=abc"));
        assert!(!verify_signature(b"s", b"body", &good[..good.len() - 2]));
    }
}
