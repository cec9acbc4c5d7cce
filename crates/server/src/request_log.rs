//! The request log: one line per request on standard error — method, path, status and how
//! long the answer took (`GET /d/pro/QA 200 1.8ms`) — unless the server is quiet.
//!
//! The path is logged as it was sent (percent-encoded, without its query: a query may carry
//! revision names, never needed to read the log).

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::io::Write;
use std::time::{Duration, Instant};

/// Answers the request and logs it.
pub(crate) async fn log(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let line = line(
        method.as_str(),
        &path,
        response.status().as_u16(),
        start.elapsed(),
    );
    // A closed standard error must not fail a request: the line is dropped.
    let _ = writeln!(std::io::stderr().lock(), "{line}");
    response
}

/// One log line.
pub(crate) fn line(method: &str, path: &str, status: u16, took: Duration) -> String {
    format!(
        "{method} {path} {status} {:.1}ms",
        took.as_secs_f64() * 1000.0
    )
}

#[cfg(test)]
mod tests {
    use super::line;
    use std::time::Duration;

    #[test]
    fn a_line_has_method_path_status_and_milliseconds() {
        assert_eq!(
            line("GET", "/d/pro/QA", 200, Duration::from_micros(1840)),
            "GET /d/pro/QA 200 1.8ms"
        );
    }
}
