//! `/history`: the timeline and lead-time charts of the served file's history
//! ([`edx_matrix_formats::chart`], inline SVG), then the same history as tables, the accessible fallback.
//! `?deployment=` and `?since=` narrow it, as `edx-matrix history --deployment --since` do.

use super::{encode, layout, page};
use crate::history::Narrowing;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use edx_matrix_formats::chart::Options;
// A skipped revision's reason may quote its text: escaped and clipped like every value a page
// quotes (so are subjects, by `CommitRef::shown_subject`).
use edx_matrix_formats::{safe, safe_lines};
use edx_matrix_project::git::history::{CommitRef, format_duration};
use maud::{Markup, PreEscaped, html};
use std::sync::Arc;

/// The diff view of the commit that started a band: against the revision before it, or (the
/// first revision) what it adds.
pub(crate) fn band_href(commit: &CommitRef, previous: Option<&CommitRef>) -> String {
    match previous {
        Some(p) => format!(
            "/diff?base={}&head={}",
            encode(&p.hash),
            encode(&commit.hash)
        ),
        None => format!("/diff?head={}", encode(&commit.hash)),
    }
}

/// `GET /history`: for every (deployment, stage), the releases it ran and the commits that
/// changed them, and the lead time of each release from the first stage to the last.
pub(crate) async fn history(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Response {
    let snapshot = state.snapshot();
    let views = state.views().await;
    let title = "History";
    let unavailable_page = |status: StatusCode, reason: String, hint: Option<String>| {
        let body = html! {
            nav aria-label="Breadcrumb" class="crumbs" { a href="/" { "All deployments" } " › " a href="/history" { "history" } }
            h1 { "History" }
            p class="unavailable" { (reason) }
            @if let Some(hint) = hint { p { (hint) } }
        };
        page(status, layout(title, &snapshot, views, body))
    };
    let narrowing = match Narrowing::parse(query.as_deref(), true) {
        Ok(n) => n,
        Err(e) => return unavailable_page(StatusCode::BAD_REQUEST, e, None),
    };
    let full = match crate::history::history(&state).await {
        Ok(history) => history,
        Err(unavailable) => {
            let body = html! {
                nav aria-label="Breadcrumb" class="crumbs" { a href="/" { "All deployments" } " › history" }
                h1 { "History" }
                p class="unavailable" { (unavailable.reason) }
                p { "The history is read from the git repository that holds the matrix file: serve a committed file to see it." }
            };
            return page(unavailable.status, layout(title, &snapshot, views, body));
        }
    };
    let history = match narrowing.apply(&full) {
        Ok(history) => history,
        Err(unknown) => {
            return unavailable_page(StatusCode::NOT_FOUND, unknown.message(), unknown.hint());
        }
    };
    let since = narrowing.since.as_ref().map(|(_, at)| *at);
    let link = |c: &CommitRef, p: Option<&CommitRef>| band_href(c, p);
    let options = Options {
        since,
        link: Some(&link),
    };
    let timeline = edx_matrix_formats::chart::timeline(&history, &options);
    let lead_times = edx_matrix_formats::chart::lead_times(&history, &options);
    let chosen = narrowing.deployment.as_deref().unwrap_or("");
    let since_value = narrowing.since.as_ref().map_or("", |(day, _)| day.as_str());
    let first = history.first_stage.as_deref().unwrap_or("first stage");
    let last = history.last_stage.as_deref().unwrap_or("last stage");
    let at = |c: &Option<CommitRef>| -> Markup {
        match c {
            Some(c) => html! { (c.day()) " " code title=(c.hash) { (c.short_hash) } },
            None => html! { "—" },
        }
    };
    let body = html! {
        nav aria-label="Breadcrumb" class="crumbs" { a href="/" { "All deployments" } " › history" }
        h1 { "History" }
        p class="lede" {
            "From the git history of " code { (history.file) } ": "
            (history.revisions) " revision" @if history.revisions != 1 { "s" } ", "
            (history.skipped.len()) " skipped. Uncommitted changes are not part of it."
        }
        form class="narrow" method="get" action="/history" {
            label { "Deployment " select name="deployment" {
                option value="" selected[chosen.is_empty()] { "every deployment" }
                @for d in &full.deployments_seen {
                    option value=(d) selected[chosen == d] { (d) }
                }
            } } " "
            label { "Since " input type="date" name="since" value=(since_value); } " "
            button type="submit" { "Show" }
        }
        section aria-labelledby="timeline-chart-title" {
            h2 id="timeline-chart-title" { "Timeline" }
            p class="hint" { "Each band is the release a stage ran; hover for its dates and commit, click for the commit's diff." }
            div class="scroll chart" role="region" aria-labelledby="timeline-chart-title" tabindex="0" {
                (PreEscaped(timeline))
            }
        }
        section aria-labelledby="lead-chart-title" {
            h2 id="lead-chart-title" { "Lead time from " (first) " to " (last) }
            div class="scroll chart" role="region" aria-labelledby="lead-chart-title" tabindex="0" {
                (PreEscaped(lead_times))
            }
        }
        h2 { "As tables" }
        div class="scroll" role="region" aria-labelledby="timeline-caption" tabindex="0" {
            table class="history" id="timelines" {
                caption id="timeline-caption" { "Release of each stage over time" }
                thead { tr {
                    th scope="col" { "Deployment" } th scope="col" { "Stage" } th scope="col" { "Release" }
                    th scope="col" { "Since" } th scope="col" { "Commit" } th scope="col" { "Subject" }
                } }
                @for timeline in &history.timelines {
                    tbody data-deployment=(timeline.deployment) data-stage=(timeline.stage) {
                        @for (i, change) in timeline.changes.iter().enumerate() {
                            tr {
                                @if i == 0 {
                                    th scope="rowgroup" rowspan=(timeline.changes.len()) { (timeline.deployment) }
                                    th scope="rowgroup" rowspan=(timeline.changes.len()) { (timeline.stage) }
                                }
                                td { @match &change.release { Some(r) => (r), None => em { "(removed)" } } }
                                td { time datetime=(change.commit.date) { (change.commit.day()) } }
                                td { code title=(change.commit.hash) { (change.commit.short_hash) } }
                                td class="subject" { (safe(&change.commit.subject)) }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="lead-title" {
            h3 id="lead-title" { "Lead time from " (first) " to " (last) }
            @if history.lead_times.is_empty() {
                p { "No release reached " (first) " or " (last) " in the history." }
            } @else {
                div class="scroll" role="region" aria-labelledby="lead-title" tabindex="0" {
                    table class="history" id="lead-times" {
                        thead { tr {
                            th scope="col" { "Deployment" } th scope="col" { "Release" }
                            th scope="col" { "First at " (first) } th scope="col" { "First at " (last) }
                            th scope="col" { "Lead time" }
                        } }
                        tbody {
                            @for lead in &history.lead_times {
                                tr {
                                    th scope="row" { (lead.deployment) }
                                    td { (lead.release) }
                                    td { (at(&lead.first_stage)) }
                                    td { (at(&lead.last_stage)) }
                                    td { @match lead.seconds { Some(s) => (format_duration(s)), None => "—" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !history.skipped.is_empty() {
            section aria-labelledby="skipped-title" {
                h3 id="skipped-title" { "Skipped revisions (the file does not load without errors)" }
                ul class="diagnostics" {
                    @for s in &history.skipped {
                        li {
                            (s.commit.day()) " " code title=(s.commit.hash) { (s.commit.short_hash) } " "
                            span class="subject" { (safe(&s.commit.subject)) } ": " (safe_lines(&s.reason))
                        }
                    }
                }
            }
        }
        p { a href={ "/api/v1/history" (query.as_deref().map(|q| format!("?{q}")).unwrap_or_default()) } { "This history as JSON" } }
    };
    page(StatusCode::OK, layout(title, &snapshot, views, body))
}
