//! The router, the middleware that applies to every response, and the connection loop with
//! its limits.

use crate::api::{self, ApiError};
use crate::state::AppState;
use crate::{assets, lock_api, pages, push_hook, query, webhook};
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;

/// The largest request head (request line and headers) accepted; larger ones get 431.
pub(crate) const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The most header fields accepted in one request.
pub(crate) const MAX_HEADERS: usize = 64;
/// How long a client may take to send its request head.
pub(crate) const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one request may take in total.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; \
                   img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Returns the application's router.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    let pages = Router::new()
        .route("/", get(pages::dashboard))
        .route("/d/{deployment}/{stage}", get(pages::stage))
        .route("/r/{release}", get(pages::release))
        .route("/history", get(pages::history))
        .route("/diff", get(pages::diff))
        .route("/static/{name}", get(assets::serve));
    let api = Router::new()
        .route("/healthz", get(api::health))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/model", get(api::model))
        .route("/api/v1/resolved", get(api::resolved))
        .route("/api/v1/deployments", get(api::deployments))
        .route("/api/v1/deployments/{name}", get(api::deployment))
        .route("/api/v1/releases", get(api::releases))
        .route("/api/v1/releases/{name}", get(api::release))
        .route("/api/v1/diagnostics", get(api::diagnostics))
        .route("/api/v1/history", get(api::history))
        .route("/api/v1/diff", get(api::diff))
        .route("/api/v1/lock", get(lock_api::lock))
        .route_layer(middleware::from_fn(query::rule));
    let mut app = pages.merge(api).layer(middleware::from_fn(reject_body));
    // Without a secret the webhook route does not exist: every method gets the same 404.
    if state.webhook_secret.is_some() {
        app = app.merge(
            Router::new()
                .route("/api/v1/hooks/github", post(webhook::github))
                .route("/api/v1/hooks/push", post(push_hook::push))
                .route_layer(middleware::from_fn(query::rule)),
        );
    }
    app.fallback(not_found)
        .layer(middleware::from_fn(security_headers))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

/// Refuses a request body on the read-only routes (they take none).
async fn reject_body(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    if has_body {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "this endpoint takes no request body",
        )
        .into_response();
    }
    next.run(request).await
}

/// Adds headers that keep browsers from sniffing, framing or leaking.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    response
}

/// The methods the read-only endpoints answer (the `Allow` of a 405).
const READ_ONLY_METHODS: &str = "GET,HEAD";

async fn not_found(request: Request) -> Response {
    // `CONNECT host:port` (this is no proxy) and `OPTIONS *` (no OPTIONS anywhere) match no
    // route: they get the 405 every other method outside GET and HEAD gets.
    if request.method() == Method::CONNECT
        || (request.method() == Method::OPTIONS && request.uri() == "*")
    {
        let mut response = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "`{}` is not answered here; the endpoints take GET and HEAD",
                request.method()
            ),
        )
        .into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(READ_ONLY_METHODS));
        return response;
    }
    if request.uri().path().starts_with("/api/") {
        ApiError::new(StatusCode::NOT_FOUND, "no such endpoint").into_response()
    } else {
        pages::not_found_page(request.uri().path())
    }
}

/// Accepts connections on `listener` forever, serving each with `app`.
pub(crate) async fn serve_connections(listener: TcpListener, app: Router) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            // Out of file descriptors and the like: back off instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_buf_size(MAX_HEAD_BYTES)
                .max_headers(MAX_HEADERS);
            // A client that goes away mid-request is not our error to report.
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}
