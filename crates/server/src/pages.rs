//! The server-rendered HTML pages: the deployments × stages grid, one stage's components, one
//! release, the git history of the file, its uncommitted changes — one page per file. maud
//! escapes every value; names in URLs are percent-encoded.

mod dashboard_page;
mod diff_page;
mod history_page;
mod release_page;
mod stage_page;

use crate::snapshot::{Serving, Snapshot};
use crate::views::Views;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
pub(crate) use dashboard_page::dashboard;
pub(crate) use diff_page::diff;
use edx_matrix_formats::safe_lines;
use edx_matrix_formats::{Diagnostic, Location, Source};
use edx_matrix_model::{Matrix, Severity};
pub(crate) use history_page::history;
use maud::{DOCTYPE, Markup, html};
pub(crate) use release_page::release;
pub(crate) use stage_page::stage;

/// Percent-encodes one URL path segment or query value.
pub(crate) fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn stage_href(deployment: &str, stage: &str) -> String {
    format!("/d/{}/{}", encode(deployment), encode(stage))
}

fn release_href(release: &str) -> String {
    format!("/r/{}", encode(release))
}

/// Returns the colour slot of a release: its position in the matrix, as the history charts
/// colour it ([`edx_matrix_formats::chart::release_slot`]).
fn slot(matrix: &Matrix, release: &str) -> usize {
    edx_matrix_formats::chart::release_slot(
        matrix.releases.iter().map(|r| r.name.as_str()),
        release,
    )
}

fn page(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-cache")],
        Html(markup.into_string()),
    )
        .into_response()
}

/// The page around `body`: header, alerts, footer; it links only to the `views` that work.
fn layout(title: &str, snapshot: &Snapshot, views: Views, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" data-generation=(snapshot.generation) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · edx-matrix" }
                link rel="stylesheet" href="/static/style.css";
                link rel="icon" href="/static/favicon.svg" type="image/svg+xml";
                script src="/static/live.js" defer {}
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="site" {
                    a class="brand" href="/" { "edx-matrix" }
                    nav aria-label="Views" class="views" {
                        a href="/" { "Grid" }
                        @if views.history { " " a href="/history" { "History" } }
                        @if views.diff { " " a href="/diff" { "Diff" } }
                    }
                    span class="source" { "serving " code { (snapshot.latest.source_name) } }
                }
                main id="main" {
                    (banner(snapshot))
                    (body)
                }
                footer class="site" {
                    "Generation " (snapshot.generation) " · "
                    a href="/api/v1/openapi.json" { "JSON API (OpenAPI)" } " · "
                    a href="/api/v1/diagnostics" { "diagnostics as JSON" }
                    @if views.history { " · " a href="/api/v1/history" { "history as JSON" } }
                    @if views.diff { " · " a href="/api/v1/diff" { "diff as JSON" } }
                }
            }
        }
    }
}

/// The alert shown while the latest version of the file cannot be served.
fn banner(snapshot: &Snapshot) -> Markup {
    let latest = &snapshot.latest;
    if latest.is_good() {
        return html! {};
    }
    let summary = latest.summary();
    let headline = match &latest.outcome {
        Err(_) => format!("`{}` cannot be read", latest.source_name),
        Ok(_) => format!(
            "`{}` has {} error{}",
            latest.source_name,
            summary.errors,
            if summary.errors == 1 { "" } else { "s" }
        ),
    };
    let serving = match (snapshot.serving(), &snapshot.good) {
        (Serving::LastGood, Some(good)) => format!(
            "Still serving the last good version (generation {}). Fix the problems below: \
             this page reloads when the file changes.",
            good.generation
        ),
        _ => "Nothing can be served until the problems below are fixed.".to_owned(),
    };
    html! {
        section class="alert" role="alert" aria-labelledby="alert-title" {
            h2 id="alert-title" { (headline) }
            p { (serving) }
            @match &latest.outcome {
                Err(e) => p { code { (safe_lines(&e.to_string())) } },
                Ok(_) => (diagnostics_list(latest.diagnostics().into_iter().filter(|(_, d)| d.is_error()))),
            }
        }
    }
}

/// Lists diagnostics, each placed in its source (the matrix file or a template).
fn diagnostics_list<'a>(items: impl Iterator<Item = (&'a Source, &'a Diagnostic)>) -> Markup {
    html! {
        ul class="diagnostics" {
            @for (source, d) in items {
                li {
                    @let (class, word) = match d.severity {
                        Severity::Error => ("sev sev-error", "error"),
                        Severity::Warning => ("sev sev-warning", "warning"),
                    };
                    span class=(class) { (word) } " "
                    code class="code" { (d.code.as_str()) } " "
                    span class="message" { (safe_lines(&d.message)) }
                    (diagnostic_place(d, source))
                    @for help in &d.help {
                        p class="help" { "help: " (safe_lines(help)) }
                    }
                }
            }
        }
    }
}

fn diagnostic_place(d: &Diagnostic, source: &Source) -> Markup {
    match &d.location {
        Location::Span(span) => {
            let (line, column) = source.line_col(span.start);
            let text = source
                .text
                .lines()
                .nth(line.saturating_sub(1))
                .unwrap_or("");
            html! {
                div class="place" {
                    code { (source.name) ":" (line) ":" (column) } " — " (safe_lines(&d.label))
                    pre { (edx_matrix_formats::source_line(text)) }
                }
            }
        }
        Location::JsonPath(path) => html! {
            div class="place" { code { (source.name) " " (safe_lines(path)) } " — " (safe_lines(&d.label)) }
        },
        Location::File => {
            html! { div class="place" { code { (source.name) } " — " (safe_lines(&d.label)) } }
        }
    }
}

fn unavailable(snapshot: &Snapshot, views: Views) -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        layout(
            "No matrix",
            snapshot,
            views,
            html! { h1 { "No matrix to show" } },
        ),
    )
}

fn missing(
    snapshot: &Snapshot,
    views: Views,
    message: String,
    hint: Option<(String, String)>,
) -> Response {
    page(
        StatusCode::NOT_FOUND,
        layout(
            "Not found",
            snapshot,
            views,
            html! {
                h1 { "Not found" }
                p { (message) }
                @if let Some((text, href)) = hint {
                    p { "Did you mean " a href=(href) { (text) } "?" }
                }
                p { a href="/" { "Back to the grid" } }
            },
        ),
    )
}

/// The 404 page for a name the matrix does not define: the model's one [`UnknownName`], in
/// the words every command and the API use (`unknown deployment `campuss``, ``did you mean
/// `campus`?``), each suggestion a link to its page (`href`).
fn unknown_name(
    snapshot: &Snapshot,
    views: Views,
    unknown: &edx_matrix_model::UnknownName,
    href: impl Fn(&str) -> String,
) -> Response {
    let count = unknown.suggestions.len();
    page(
        StatusCode::NOT_FOUND,
        layout(
            "Not found",
            snapshot,
            views,
            html! {
                h1 { "Not found" }
                p { (unknown.message()) }
                @if count > 0 {
                    p {
                        "did you mean "
                        @for (i, name) in unknown.suggestions.iter().enumerate() {
                            @if i + 1 == count && i > 0 { " or " } @else if i > 0 { ", " }
                            "`" a href=(href(name)) { (name) } "`"
                        }
                        "?"
                    }
                }
                p { a href="/" { "Back to the grid" } }
            },
        ),
    )
}

/// The 404 page for paths outside every route.
pub(crate) fn not_found_page(path: &str) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Not found · edx-matrix" }
                link rel="stylesheet" href="/static/style.css";
                link rel="icon" href="/static/favicon.svg" type="image/svg+xml";
            }
            body {
                main id="main" {
                    h1 { "Not found" }
                    p { "Nothing lives at " code { (path) } "." }
                    p { a href="/" { "Back to the grid" } }
                }
            }
        }
    };
    page(StatusCode::NOT_FOUND, markup)
}
