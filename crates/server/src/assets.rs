//! Static assets, compiled into the binary and served from a fixed map: a request names one of
//! these or gets a 404, so no request reaches the filesystem.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The stylesheet.
pub(crate) const STYLE_CSS: &str = include_str!("../static/style.css");
/// The progressive enhancement: reloads the page when the matrix changes.
pub(crate) const LIVE_JS: &str = include_str!("../static/live.js");

/// The page icon: four grid cells in the first release colours. Linked from every page, so
/// the browser does not ask for `/favicon.ico` (a 404, an error in its console).
pub(crate) const FAVICON_SVG: &str = include_str!("../static/favicon.svg");

/// Returns the asset called `name` with its content type.
pub(crate) fn asset(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "style.css" => Some((STYLE_CSS, "text/css; charset=utf-8")),
        "live.js" => Some((LIVE_JS, "text/javascript; charset=utf-8")),
        "favicon.svg" => Some((FAVICON_SVG, "image/svg+xml")),
        _ => None,
    }
}

/// `GET /static/{name}`.
pub(crate) async fn serve(Path(name): Path<String>) -> Response {
    match asset(&name) {
        Some((body, content_type)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=300"),
                ),
            ],
            body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    /// The grid's release colours (`.rel-N` in the stylesheet) are the charts' palette.
    #[test]
    fn stylesheet_colours_are_the_chart_palette() {
        for (slot, colour) in edx_matrix_formats::chart::PALETTE.iter().enumerate() {
            let rule = format!(".rel-{slot} {{ background: {colour}; }}");
            assert!(super::STYLE_CSS.contains(&rule), "{rule}");
        }
        assert!(!super::STYLE_CSS.contains(".rel-8"));
    }
}
