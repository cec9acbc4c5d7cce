//! The uncommitted changes of the matrix file, as the differences they make.

use super::{layout, page};
use crate::diff::WorkingDiff;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use edx_matrix_model::{CommitChange, LockedCommit};
use edx_matrix_pipeline::impact::PipelineChange;
use maud::{Markup, html};
use std::sync::Arc;

/// `old → new`, marked up as a deletion and an insertion; one value when both are equal.
pub(super) fn change_cell(old: Option<&str>, new: Option<&str>) -> Markup {
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
/// release definitions, resolved rows, the builds and deployments that follow, and the
/// generated pipelines to re-set.
///
/// With `?base=REV&head=REV` (or either one), two revisions of the file instead, as
/// `edx-matrix diff BASE HEAD` compares them (see [`crate::diff`]).
pub(crate) async fn diff(
    State(state): State<Arc<AppState>>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    use edx_matrix_model::{ReleaseDef, RowValues};
    let snapshot = state.snapshot();
    let views = state.views().await;
    let revs = match crate::diff::Revs::parse(query.as_deref()) {
        Ok(revs) => revs,
        Err(e) => {
            let body = html! { h1 { "Diff" } p class="unavailable" { (e) } };
            return page(
                StatusCode::BAD_REQUEST,
                layout("Diff", &snapshot, views, body),
            );
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
            return page(unavailable.status, layout(title, &snapshot, views, body));
        }
    };
    let commit = diff.commit.as_deref().unwrap_or_default();
    let short = commit.get(..7).unwrap_or(commit);
    let changes = &diff.diff;
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
        @if diff.at_head {
            p class="lede" {
                "The served " code { (diff.head) } " (generation " (diff.generation) ") against "
                code { (diff.base) } " at commit " code title=(commit) { (short) } "."
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
        (commits_section(&changes.commits))
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
        (pipelines_section(&diff))
        // The same revisions as JSON (the working-tree diff has no query).
        p { a href={ "/api/v1/diff" (query.as_deref().map(|q| format!("?{q}")).unwrap_or_default()) } { "This diff as JSON" } }
    };
    page(StatusCode::OK, layout(title, &snapshot, views, body))
}

/// The locked commits that change, as `edx-matrix diff` lists them: the range `old..new`
/// (short hashes, the whole ones as titles), a link to GitHub's compare page for a GitHub
/// origin, the count when one was made. Nothing when no locked commit changes.
fn commits_section(commits: &[CommitChange]) -> Markup {
    let short = |c: &LockedCommit| html! { code title=(c.commit) { (c.commit.get(..12).unwrap_or(&c.commit)) } };
    html! {
        @if !commits.is_empty() {
            section aria-labelledby="commits-title" {
                h2 id="commits-title" { "Locked commits" }
                div class="scroll" role="region" aria-labelledby="commits-title" tabindex="0" {
                    table class="history" id="diff-commits" {
                        thead { tr {
                            th scope="col" { "Change" } th scope="col" { "Deployment" } th scope="col" { "Stage" }
                            th scope="col" { "Application" } th scope="col" { "Branch" } th scope="col" { "Commits" }
                            th scope="col" { "Note" }
                        } }
                        tbody {
                            @for c in commits {
                                tr data-change=(c.change.word()) {
                                    td { (c.change.word()) }
                                    th scope="row" { (c.deployment) }
                                    td { (c.stage) }
                                    td { (c.application) }
                                    td { (change_cell(c.old.as_ref().map(|o| o.branch.as_str()), c.new.as_ref().map(|n| n.branch.as_str()))) }
                                    td class="range" {
                                        @if let Some(o) = &c.old { (short(o)) }
                                        @if c.old.is_some() && c.new.is_some() { ".." }
                                        @if let Some(n) = &c.new { (short(n)) }
                                        @if let Some(url) = &c.compare_url {
                                            " " a href=(url) rel="noopener noreferrer" { "compare" }
                                        }
                                    }
                                    td { (c.count_text().or_else(|| c.count_note.clone()).unwrap_or_default()) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The generated pipelines to re-set (as `edx-matrix diff` lists them), with their team and
/// source where known; or why they were not compared; or that none changes. Nothing when
/// neither side has a `[pipelines]` section.
fn pipelines_section(diff: &WorkingDiff) -> Markup {
    let impact = &diff.pipelines;
    html! {
        @if impact.declared { section aria-labelledby="pipelines-title" {
            h2 id="pipelines-title" { "Pipelines" }
            @if !impact.computed {
                p class="unavailable" id="pipelines-not-compared" {
                    "The pipelines were not compared: "
                    (impact.reason.as_deref().unwrap_or("unknown reason")) "."
                }
            } @else if impact.changes.is_empty() {
                p id="no-pipeline-change" { "No generated pipeline changes: nothing to re-set." }
            } @else {
                p id="pipelines-summary" { "To re-set: " (impact.summary()) "." }
                div class="scroll" role="region" aria-labelledby="pipelines-title" tabindex="0" {
                    table class="history" id="diff-pipelines" {
                        thead { tr {
                            th scope="col" { "Change" } th scope="col" { "Pipeline" } th scope="col" { "Team" }
                            th scope="col" { "Source" } th scope="col" { "What changes" }
                        } }
                        tbody {
                            @for c in &impact.changes {
                                @let origin = diff.pipeline_origins.get(&c.name);
                                tr data-change=(c.change.word()) data-pipeline=(c.name) {
                                    td { (c.change.word()) }
                                    th scope="row" { code { (c.name) } }
                                    td { @match origin { Some(o) => code { (o.team) }, None => "—" } }
                                    td { @match origin { Some(o) => code { (o.source) }, None => "—" } }
                                    td class="subject" { (pipeline_details(c)) }
                                }
                            }
                        }
                    }
                }
            }
        } }
    }
}

/// What happens to one pipeline, and for a changed one the parts that differ.
fn pipeline_details(change: &PipelineChange) -> Markup {
    let parts = [("resources", &change.resources), ("jobs", &change.jobs)];
    html! {
        (change.what())
        @for (what, part) in parts {
            @for (kind, names) in part.lists() {
                @if !names.is_empty() {
                    br;
                    (what) " " (kind.word()) ": "
                    @for (i, name) in names.iter().enumerate() {
                        @if i > 0 { ", " }
                        code { (name) }
                    }
                }
            }
        }
        @if !change.other.is_empty() {
            br;
            "also: " (change.other.join(", "))
        }
    }
}
