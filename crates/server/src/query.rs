//! The one query-string rule of the API (`/api/v1/…` and `/healthz`), applied before any
//! handler runs: an endpoint takes only the query parameters it lists in [`PARAMETERS`] (and in
//! the OpenAPI document); an unknown parameter, an empty value (`?deployment=` or a bare
//! `?deployment`), a parameter given twice or an undecodable query string is a 400 whose JSON
//! `error` names the parameter, also given alone as `parameter`.
//!
//! The dashboard pages are not covered: their forms send empty fields for "any".

use crate::api::ApiError;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use edx_matrix_model::UnknownName;

/// The query parameters of each API route that takes any; every other API route takes none.
pub const PARAMETERS: &[(&str, &[&str])] = &[
    (
        "/api/v1/resolved",
        &["deployment", "stage", "release", "application", "type"],
    ),
    ("/api/v1/history", &["deployment", "since"]),
    ("/api/v1/diff", &["base", "head"]),
];

/// Returns the query parameters `route` takes.
pub(crate) fn parameters_of(route: &str) -> &'static [&'static str] {
    PARAMETERS
        .iter()
        .find(|(r, _)| *r == route)
        .map_or(&[], |(_, p)| p)
}

/// Checks `query` against the parameters `route` takes; `Err` is the 400 to answer.
pub(crate) fn check(route: &str, query: Option<&str>) -> Result<(), ApiError> {
    let Some(query) = query else { return Ok(()) };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("bad query string: {e}")))?;
    let allowed = parameters_of(route);
    let mut seen: Vec<&str> = Vec::new();
    for (key, value) in &pairs {
        let bad = |message: String| {
            ApiError::new(StatusCode::BAD_REQUEST, message).with_parameter(key.clone())
        };
        if !allowed.contains(&key.as_str()) {
            let takes = if allowed.is_empty() {
                "none".to_owned()
            } else {
                allowed
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(bad(format!(
                "unknown query parameter `{key}`; `{route}` takes {takes}"
            ))
            .with_hint(UnknownName::new("query parameter", key, allowed.iter().copied()).hint()));
        }
        if value.is_empty() {
            return Err(bad(format!(
                "query parameter `{key}` is empty; leave it out instead"
            )));
        }
        if seen.contains(&key.as_str()) {
            return Err(bad(format!("query parameter `{key}` is given twice")));
        }
        seen.push(key);
    }
    Ok(())
}

/// The middleware applying [`check`] to an API request (the routes that take parameters have
/// no path parameters, so the request's path is the route).
pub(crate) async fn rule(request: Request, next: Next) -> Response {
    if let Err(e) = check(request.uri().path(), request.uri().query()) {
        return e.into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_names_the_parameter() {
        let message = |route: &str, query: &str| match check(route, Some(query)) {
            Ok(()) => None,
            Err(e) => Some((e.message().to_owned(), e.parameter().map(str::to_owned))),
        };
        assert_eq!(message("/api/v1/model", ""), None);
        assert_eq!(message("/api/v1/resolved", "deployment=pro&type=ida"), None);
        assert_eq!(
            message("/api/v1/model", "x=1"),
            Some((
                "unknown query parameter `x`; `/api/v1/model` takes none".to_owned(),
                Some("x".to_owned())
            ))
        );
        assert_eq!(
            message("/api/v1/history", "since"),
            Some((
                "query parameter `since` is empty; leave it out instead".to_owned(),
                Some("since".to_owned())
            ))
        );
        assert_eq!(
            message("/api/v1/diff", "base=a&base=b").map(|m| m.0),
            Some("query parameter `base` is given twice".to_owned())
        );
        // The first offending pair is the one reported.
        assert_eq!(
            message("/api/v1/diff", "base=&x=").and_then(|m| m.1),
            Some("base".to_owned())
        );
    }
}
