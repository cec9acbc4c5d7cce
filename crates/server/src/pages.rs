//! The server-rendered HTML pages: the deployments × stages grid, one stage's components, one
//! release, the git history of the file, its uncommitted changes. maud escapes every value; names in URLs are percent-encoded.

use crate::api::release_entries;
use crate::snapshot::{Good, Serving, Snapshot};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use edx_matrix_config::terminal::safe_lines;
use edx_matrix_config::{Diagnostic, Loaded, Location, Source};
use edx_matrix_model::resolve::{Index, Overridden};
use edx_matrix_model::suggest::did_you_mean;
use edx_matrix_model::{Filter, Matrix, Severity, lookup, resolve};
use maud::{DOCTYPE, Markup, html};
use std::sync::Arc;

mod history_page;
pub use history_page::history;

/// Percent-encodes one URL path segment or query value.
pub fn encode(segment: &str) -> String {
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
/// colour it ([`edx_matrix_chart::release_slot`]).
fn slot(matrix: &Matrix, release: &str) -> usize {
    edx_matrix_chart::release_slot(matrix.releases.iter().map(|r| r.name.as_str()), release)
}

fn page(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-cache")],
        Html(markup.into_string()),
    )
        .into_response()
}

fn layout(title: &str, snapshot: &Snapshot, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" data-generation=(snapshot.generation) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · edx-matrix" }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/live.js" defer {}
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="site" {
                    a class="brand" href="/" { "edx-matrix" }
                    nav aria-label="Views" class="views" {
                        a href="/" { "Grid" } " "
                        a href="/history" { "History" } " "
                        a href="/diff" { "Diff" }
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
                    a href="/api/v1/diagnostics" { "diagnostics as JSON" } " · "
                    a href="/api/v1/history" { "history as JSON" } " · "
                    a href="/api/v1/diff" { "diff as JSON" }
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
                Ok(loaded) => (diagnostics_list(loaded, loaded.diagnostics.iter().filter(|d| d.is_error()))),
            }
        }
    }
}

fn diagnostics_list<'a>(loaded: &Loaded, items: impl Iterator<Item = &'a Diagnostic>) -> Markup {
    html! {
        ul class="diagnostics" {
            @for d in items {
                li {
                    @let (class, word) = match d.severity {
                        Severity::Error => ("sev sev-error", "error"),
                        Severity::Warning => ("sev sev-warning", "warning"),
                    };
                    span class=(class) { (word) } " "
                    code class="code" { (d.code.as_str()) } " "
                    span class="message" { (safe_lines(&d.message)) }
                    (diagnostic_place(d, &loaded.source))
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
                    pre { (edx_matrix_config::terminal::source_line(text)) }
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

fn unavailable(snapshot: &Snapshot) -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        layout("No matrix", snapshot, html! { h1 { "No matrix to show" } }),
    )
}

fn missing(snapshot: &Snapshot, message: String, hint: Option<(String, String)>) -> Response {
    page(
        StatusCode::NOT_FOUND,
        layout(
            "Not found",
            snapshot,
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

/// The 404 page for paths outside every route.
pub fn not_found_page(path: &str) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Not found · edx-matrix" }
                link rel="stylesheet" href="/static/style.css";
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

/// `GET /`: the grid, the legend and the warnings.
pub async fn dashboard(State(state): State<Arc<AppState>>) -> Response {
    let snapshot = state.snapshot();
    let Some(good) = &snapshot.good else {
        return page(
            StatusCode::SERVICE_UNAVAILABLE,
            layout(
                "Release matrix",
                &snapshot,
                html! { h1 { "Release matrix" } },
            ),
        );
    };
    page(
        StatusCode::OK,
        layout("Release matrix", &snapshot, dashboard_body(good)),
    )
}

fn dashboard_body(good: &Good) -> Markup {
    let matrix = &good.loaded.matrix;
    let index = Index::new(matrix);
    let warnings: Vec<&Diagnostic> = good.warnings().collect();
    html! {
        h1 { "What runs where" }
        p class="lede" {
            (matrix.deployments.len()) " deployments, "
            (matrix.releases.len()) " releases, "
            (matrix.applications.len()) " applications. Select a cell for its components."
        }
        div class="scroll" role="region" aria-labelledby="grid-caption" tabindex="0" {
            table class="grid" {
                caption id="grid-caption" { "Release of each stage, by deployment" }
                thead {
                    tr {
                        th scope="col" { "Deployment" }
                        @for stage in &matrix.stages { th scope="col" { (stage.as_str()) } }
                    }
                }
                tbody {
                    @for d in &matrix.deployments {
                        tr {
                            th scope="row" { (d.name.as_str()) }
                            @for stage in &matrix.stages {
                                @match d.release_of(stage.as_str()) {
                                    Some(release) => {
                                        @let apps = index.entry(release.as_str(), d.name.as_str()).map_or(0, |e| e.apps.len());
                                        td class={ "rel rel-" (slot(matrix, release.as_str())) } {
                                            a href=(stage_href(d.name.as_str(), stage.as_str()))
                                              aria-label={ (d.name.as_str()) " " (stage.as_str()) ": " (release.as_str()) ", " (apps) " applications" } {
                                                span class="release" { (release.as_str()) }
                                                span class="count" { (apps) " apps" }
                                            }
                                        }
                                    }
                                    None => td class="none" { span aria-hidden="true" { "—" } span class="visually-hidden" { "not deployed" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="legend-title" {
            h2 id="legend-title" { "Releases" }
            ul class="legend" {
                @for release in &matrix.releases {
                    @let stages = matrix.deployments.iter().map(|d| lookup::stages_on(d, release.name.as_str()).len()).sum::<usize>();
                    li {
                        span class={ "swatch rel-" (slot(matrix, release.name.as_str())) } aria-hidden="true" {}
                        a href=(release_href(release.name.as_str())) { (release.name.as_str()) }
                        span class="facts" {
                            " branch " code { (release.branch.as_str()) }
                            ", Python " (release.python.as_ref().map_or("none", |v| v.as_str()))
                            ", Node " (release.node.as_ref().map_or("none", |v| v.as_str()))
                            @if release.rolling { ", rolling" }
                            " — "
                            @match stages {
                                0 => strong { "no stage: can be retired" },
                                1 => "1 stage",
                                n => { (n) " stages" },
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="warnings-title" {
            h2 id="warnings-title" { "Warnings from check (" (warnings.len()) ")" }
            @if warnings.is_empty() {
                p { "Nothing to warn about." }
            } @else {
                (diagnostics_list(&good.loaded, warnings.into_iter()))
            }
        }
    }
}

fn value_cell(value: Markup, overridden: bool) -> Markup {
    html! {
        td class=[overridden.then_some("overridden")] {
            (value)
            @if overridden { " " span class="override" title="set in the release map, not a default" { "override" } }
        }
    }
}

fn origin(url: &str) -> Markup {
    html! {
        @if url.starts_with("https://") {
            a href=(url) rel="noopener noreferrer" { (url.trim_start_matches("https://")) }
        } @else if url.is_empty() {
            "—"
        } @else {
            code { (url) }
        }
    }
}

/// `GET /d/{deployment}/{stage}`: the components one stage builds.
pub async fn stage(
    State(state): State<Arc<AppState>>,
    Path((deployment, stage)): Path<(String, String)>,
) -> Response {
    let snapshot = state.snapshot();
    let Some(good) = &snapshot.good else {
        return unavailable(&snapshot);
    };
    let matrix = &good.loaded.matrix;
    let Some(d) = matrix.deployment(&deployment) else {
        let hint = did_you_mean(
            &deployment,
            matrix.deployments.iter().map(|d| d.name.as_str()),
        )
        .map(|s| (s.to_owned(), stage_href(s, &stage)));
        return missing(
            &snapshot,
            format!("There is no deployment `{deployment}`."),
            hint,
        );
    };
    let Some(release) = d.release_of(&stage) else {
        let hint = did_you_mean(&stage, d.stages.iter().map(|p| p.stage.as_str()))
            .map(|s| (s.to_owned(), stage_href(&deployment, s)));
        return missing(
            &snapshot,
            format!("Deployment `{deployment}` has no stage `{stage}`."),
            hint,
        );
    };
    let filter = Filter {
        deployment: Some(deployment.clone()),
        stage: Some(stage.clone()),
        ..Filter::default()
    };
    let rows = resolve(matrix, &filter).rows;
    let has_translations = rows.iter().any(|r| r.translations.is_some());
    let title = format!("{deployment} · {stage}");
    let json_href = format!(
        "/api/v1/resolved?deployment={}&stage={}",
        encode(&deployment),
        encode(&stage)
    );
    let body = html! {
        nav aria-label="Breadcrumb" class="crumbs" {
            a href="/" { "All deployments" } " › " (deployment) " › " (stage)
        }
        h1 { (deployment) " · " (stage) }
        p class="lede" {
            "Runs "
            a class={ "pill rel-" (slot(matrix, release.as_str())) } href=(release_href(release.as_str())) { (release.as_str()) }
            " with " (rows.len()) " applications. Values marked "
            span class="override" { "override" }
            " come from the release map rather than the defaults."
        }
        nav aria-label="Other stages" class="stages" {
            "Stages of " (deployment) ": "
            @for pin in &d.stages {
                @if pin.stage == stage.as_str() {
                    strong aria-current="page" { (pin.stage.as_str()) " (" (pin.release.as_str()) ")" }
                } @else {
                    a href=(stage_href(&deployment, pin.stage.as_str())) { (pin.stage.as_str()) " (" (pin.release.as_str()) ")" }
                }
                " "
            }
        }
        div class="scroll" role="region" aria-labelledby="components-caption" tabindex="0" {
            table class="components" id="components" {
                caption id="components-caption" { "Components of " (deployment) " " (stage) " on " (release.as_str()) }
                thead {
                    tr {
                        th scope="col" { "Application" }
                        th scope="col" { "Type" }
                        th scope="col" { "Origin" }
                        th scope="col" { "Branch" }
                        th scope="col" { "Runtime" }
                        th scope="col" { "MFE path" }
                        @if has_translations { th scope="col" { "Translations" } }
                    }
                }
                tbody {
                    @for row in &rows {
                        tr data-application=(row.application) {
                            th scope="row" {
                                (row.application)
                                @if let Some(own) = row.entry_release {
                                    " " span class="note" { "(defaults of " a href=(release_href(own)) { (own) } ")" }
                                }
                            }
                            td { (row.kind.as_str()) }
                            (value_cell(origin(row.git_origin), row.overridden.origin))
                            (value_cell(html! { code { (row.release_branch) } }, row.overridden.branch))
                            (value_cell(html! { (row.runtime_version.unwrap_or("—")) }, row.overridden.runtime))
                            td { @match row.path { Some(p) => code { "/" (p) }, None => "—" } }
                            @if has_translations {
                                td { @for command in row.translations.unwrap_or_default() { code { (command) } br; } }
                            }
                        }
                    }
                }
            }
        }
        p { a href=(json_href) { "This table as JSON" } }
    };
    page(StatusCode::OK, layout(&title, &snapshot, body))
}

fn any_override(o: Overridden) -> bool {
    o.origin || o.branch || o.runtime
}

/// `GET /r/{release}`: which stages run a release and which entries override it.
pub async fn release(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> Response {
    let snapshot = state.snapshot();
    let Some(good) = &snapshot.good else {
        return unavailable(&snapshot);
    };
    let matrix = &good.loaded.matrix;
    let Some(release) = matrix.release(&name) else {
        let hint = did_you_mean(&name, matrix.releases.iter().map(|r| r.name.as_str()))
            .map(|s| (s.to_owned(), release_href(s)));
        return missing(&snapshot, format!("There is no release `{name}`."), hint);
    };
    let index = Index::new(matrix);
    let stages: Vec<(&str, &str)> = matrix
        .deployments
        .iter()
        .flat_map(|d| {
            lookup::stages_on(d, &name)
                .into_iter()
                .map(move |s| (d.name.as_str(), s))
        })
        .collect();
    let entries = release_entries(matrix, &index, &name);
    let body = html! {
        nav aria-label="Breadcrumb" class="crumbs" { a href="/" { "All deployments" } " › release " (name) }
        h1 { "Release " span class={ "pill rel-" (slot(matrix, &name)) } { (name) } }
        dl class="facts" {
            dt { "Branch" } dd { code { (release.branch.as_str()) } }
            dt { "Python (IDAs)" } dd { (release.python.as_ref().map_or("none recorded", |v| v.as_str())) }
            dt { "Node (MFEs)" } dd { (release.node.as_ref().map_or("none recorded", |v| v.as_str())) }
            dt { "Rolling line" } dd { @if release.rolling { "yes" } @else { "no" } }
        }
        h2 { "Stages running it" }
        @if stages.is_empty() {
            p { "No stage runs " (name) ": it can be retired." }
        } @else {
            ul class="stage-list" {
                @for (d, s) in &stages {
                    li { a href=(stage_href(d, s)) { (d) " · " (s) } }
                }
            }
        }
        h2 { "Release-map entries" }
        @if entries.is_empty() { p { "No release-map entry names " (name) "." } }
        @for (deployment, used, apps) in &entries {
            @let overridden: Vec<_> = apps.iter().filter(|a| any_override(a.overridden) || a.own_release != name.as_str()).collect();
            @let plain: Vec<&str> = apps.iter().filter(|a| !any_override(a.overridden) && a.own_release == name.as_str()).map(|a| a.application).collect();
            section class="entry" aria-labelledby={ "entry-" (deployment) } {
                h3 id={ "entry-" (deployment) } {
                    (deployment)
                    @if !used { " " span class="tag" { "unused: no stage of " (deployment) " runs " (name) } }
                }
                p { (apps.len()) " applications, " (overridden.len()) " with overrides." }
                @if !overridden.is_empty() {
                    div class="scroll" role="region" aria-label={ "Overrides of " (deployment) } tabindex="0" {
                        table class="components" {
                            caption { "Overrides for " (deployment) " on " (name) }
                            thead { tr {
                                th scope="col" { "Application" } th scope="col" { "Type" } th scope="col" { "Origin" }
                                th scope="col" { "Branch" } th scope="col" { "Runtime" }
                            } }
                            tbody {
                                @for app in &overridden {
                                    tr {
                                        th scope="row" {
                                            (app.application)
                                            @if app.own_release != name.as_str() {
                                                " " span class="note" { "(defaults of " a href=(release_href(app.own_release)) { (app.own_release) } ")" }
                                            }
                                        }
                                        td { (app.kind.as_str()) }
                                        (value_cell(origin(app.git_origin), app.overridden.origin))
                                        (value_cell(html! { code { (app.release_branch) } }, app.overridden.branch))
                                        (value_cell(html! { (app.runtime_version.unwrap_or("—")) }, app.overridden.runtime))
                                    }
                                }
                            }
                        }
                    }
                }
                @if !plain.is_empty() {
                    p class="defaults" { "All defaults: " (plain.join(", ")) "." }
                }
            }
        }
    };
    page(
        StatusCode::OK,
        layout(&format!("Release {name}"), &snapshot, body),
    )
}

/// `old → new`, marked up as a deletion and an insertion; one value when both are equal.
fn change_cell(old: Option<&str>, new: Option<&str>) -> Markup {
    html! {
        @match (old, new) {
            (Some(a), Some(b)) if a == b => (a),
            (Some(a), Some(b)) => { del { (a) } " → " ins { (b) } },
            (Some(a), None) => del { (a) },
            (None, Some(b)) => ins { (b) },
            (None, None) => "—",
        }
    }
}

/// `GET /diff`: what the served matrix changes against the file at `HEAD`: stage releases,
/// release definitions, resolved rows, and the builds and deployments that follow.
///
/// With `?base=REV&head=REV` (or either one), two revisions of the file instead, as
/// `edx-matrix diff BASE HEAD` compares them (see [`crate::diff`]).
pub async fn diff(
    State(state): State<Arc<AppState>>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    use edx_matrix_model::compare::{ReleaseDef, RowValues};
    let snapshot = state.snapshot();
    let revs = match crate::diff::Revs::parse(query.as_deref()) {
        Ok(revs) => revs,
        Err(e) => {
            let body = html! { h1 { "Diff" } p class="unavailable" { (e) } };
            return page(StatusCode::BAD_REQUEST, layout("Diff", &snapshot, body));
        }
    };
    let title = if revs.any() {
        "Changes between revisions"
    } else {
        "Uncommitted changes"
    };
    let crumbs = html! {
        nav aria-label="Breadcrumb" class="crumbs" { a href="/" { "All deployments" } " › diff" }
    };
    let result = if revs.any() {
        crate::diff::between(&state, revs).await
    } else {
        crate::diff::diff(&state).await
    };
    let diff = match result {
        Ok(diff) => diff,
        Err(unavailable) => {
            let body = html! {
                (crumbs)
                h1 { (title) }
                p class="unavailable" { (unavailable.reason) }
                p { "The served matrix is compared with the file at HEAD in the git repository that holds it: serve a committed file to see it." }
            };
            return page(unavailable.status, layout(title, &snapshot, body));
        }
    };
    let short = diff.commit.get(..7).unwrap_or(&diff.commit);
    let changes = &diff.changes;
    let def = |d: Option<&ReleaseDef>| -> Option<String> {
        d.map(|d| {
            let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_owned());
            format!(
                "branch {}, python {}, node {}",
                d.branch,
                or_none(&d.python),
                or_none(&d.node)
            )
        })
    };
    let body = html! {
        (crumbs)
        h1 { (title) }
        @if diff.working_tree && !diff.commit.is_empty() {
            p class="lede" {
                "The served " code { (diff.head) } " (generation " (diff.generation) ") against "
                code { (diff.base) } " at commit " code title=(diff.commit) { (short) } "."
            }
        } @else {
            p class="lede" id="diff-revisions" {
                code { (diff.head) } " against " code { (diff.base) } "."
            }
        }
        @if changes.is_empty() {
            p id="no-change" { "No uncommitted change to what is built or deployed." }
        }
        @if !changes.stages.is_empty() {
            section aria-labelledby="stages-title" {
                h2 id="stages-title" { "Stage releases" }
                div class="scroll" role="region" aria-labelledby="stages-title" tabindex="0" {
                    table class="history" id="diff-stages" {
                        thead { tr {
                            th scope="col" { "Deployment" } th scope="col" { "Stage" } th scope="col" { "Release" }
                        } }
                        tbody {
                            @for s in &changes.stages {
                                tr data-deployment=(s.deployment) data-stage=(s.stage) {
                                    th scope="row" { (s.deployment) }
                                    td { (s.stage) }
                                    td { (change_cell(s.old.as_deref(), s.new.as_deref())) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !changes.releases.is_empty() {
            section aria-labelledby="releases-title" {
                h2 id="releases-title" { "Releases" }
                ul id="diff-releases" {
                    @for r in &changes.releases {
                        li { code { (r.release) } ": "
                            (change_cell(def(r.old.as_ref()).as_deref(), def(r.new.as_ref()).as_deref())) }
                    }
                }
            }
        }
        @if !changes.rows.is_empty() {
            section aria-labelledby="rows-title" {
                h2 id="rows-title" { "Resolved rows" }
                div class="scroll" role="region" aria-labelledby="rows-title" tabindex="0" {
                    table class="history" id="diff-rows" {
                        thead { tr {
                            th scope="col" { "Change" } th scope="col" { "Deployment" } th scope="col" { "Stage" }
                            th scope="col" { "Application" } th scope="col" { "Release" } th scope="col" { "Origin" }
                            th scope="col" { "Branch" } th scope="col" { "Runtime" }
                        } }
                        tbody {
                            @for row in &changes.rows {
                                @let (o, n) = (row.old.as_ref(), row.new.as_ref());
                                @let cell = |f: fn(&RowValues) -> &str| change_cell(o.map(f), n.map(f));
                                tr data-change=(row.change.word()) {
                                    td { (row.change.word()) }
                                    th scope="row" { (row.deployment) }
                                    td { (row.stage) }
                                    td { (row.application) }
                                    td { (cell(|v| &v.release)) }
                                    td class="subject" { (cell(|v| &v.origin)) }
                                    td { (cell(|v| &v.branch)) }
                                    td { (cell(|v| v.runtime.as_deref().unwrap_or("—"))) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !changes.rebuild.is_empty() {
            section aria-labelledby="rebuild-title" {
                h2 id="rebuild-title" { "Rebuilt" }
                ul id="diff-rebuild" {
                    @for r in &changes.rebuild {
                        li { code { (r.release) } " for " code { (r.deployment) } ": " (r.reason) }
                    }
                }
            }
        }
        @if !changes.redeploy.is_empty() {
            section aria-labelledby="redeploy-title" {
                h2 id="redeploy-title" { "Redeployed" }
                ul id="diff-redeploy" {
                    @for r in &changes.redeploy {
                        li { code { (r.deployment) } " " code { (r.stage) } " (" code { (r.release) } "): " (r.reason) }
                    }
                }
            }
        }
        p { a href="/api/v1/diff" { "This diff as JSON" } }
    };
    page(StatusCode::OK, layout(title, &snapshot, body))
}
