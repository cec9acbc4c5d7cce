//! The dashboard: the deployments × stages grid of releases.

use super::{diagnostics_list, layout, page, release_href, slot, stage_href};
use crate::diff::WorkingDiff;
use crate::snapshot::Good;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use edx_matrix_formats::{Diagnostic, Source};
use edx_matrix_model::Index;
use edx_matrix_model::lookup;
use maud::{Markup, html};
use std::collections::HashMap;
use std::sync::Arc;

/// `GET /`: the grid, the legend and the warnings.
pub(crate) async fn dashboard(State(state): State<Arc<AppState>>) -> Response {
    let snapshot = state.snapshot();
    let views = state.views().await;
    let Some(good) = &snapshot.good else {
        return page(
            StatusCode::SERVICE_UNAVAILABLE,
            layout(
                "Release matrix",
                &snapshot,
                views,
                html! { h1 { "Release matrix" } },
            ),
        );
    };
    // The stages whose release differs from the file committed at `HEAD` (the working diff
    // `/diff` shows); none when there is no committed file to compare with.
    let uncommitted = match views.diff {
        true => crate::diff::diff(&state).await.ok(),
        false => None,
    };
    let marks = Uncommitted::of(uncommitted.as_deref());
    page(
        StatusCode::OK,
        layout(
            "Release matrix",
            &snapshot,
            views,
            dashboard_body(good, &marks),
        ),
    )
}

/// The stages whose release in the served file differs from `HEAD`'s: (deployment, stage) →
/// the committed release (`None`: the stage is new), and the commit compared with.
#[derive(Default)]
pub(super) struct Uncommitted {
    stages: HashMap<(String, String), Option<String>>,
    commit: String,
}

impl Uncommitted {
    fn of(diff: Option<&WorkingDiff>) -> Self {
        let Some(diff) = diff else {
            return Uncommitted::default();
        };
        Uncommitted {
            stages: (diff.stages.iter())
                .filter(|s| s.old != s.new && s.new.is_some())
                .map(|s| ((s.deployment.clone(), s.stage.clone()), s.old.clone()))
                .collect(),
            commit: (diff.commit.as_deref().unwrap_or_default().chars())
                .take(7)
                .collect(),
        }
    }

    /// The tooltip of a marked stage, or `None` when it is as committed.
    fn note(&self, deployment: &str, stage: &str) -> Option<String> {
        let old = self
            .stages
            .get(&(deployment.to_owned(), stage.to_owned()))?;
        Some(match old {
            Some(old) => format!("not committed: {old} at HEAD ({})", self.commit),
            None => format!("not committed: no such stage at HEAD ({})", self.commit),
        })
    }
}

pub(super) fn dashboard_body(good: &Good, uncommitted: &Uncommitted) -> Markup {
    let matrix = &good.loaded.matrix;
    let index = Index::new(matrix);
    let warnings: Vec<(&Source, &Diagnostic)> = good.warnings().collect();
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
                                        @let note = uncommitted.note(d.name.as_str(), stage.as_str());
                                        @let lock = good.locked_stages.get(&(d.name.as_str().to_owned(), stage.as_str().to_owned()));
                                        td class={ "rel rel-" (slot(matrix, release.as_str())) } {
                                            a href=(stage_href(d.name.as_str(), stage.as_str()))
                                              aria-label={ (d.name.as_str()) " " (stage.as_str()) ": " (release.as_str()) ", " (apps) " applications" @if let Some(note) = &note { ", " (note) } @if let Some(lock) = lock { ", " (lock_words(lock)) } } {
                                                span class="release" {
                                                    (release.as_str())
                                                    @if let Some(note) = &note {
                                                        " " span class="uncommitted" title=(note) { "●" }
                                                    }
                                                }
                                                span class="count" { (apps) " apps" }
                                                (lock_mark(good, d.name.as_str(), stage.as_str()))
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
        @if !uncommitted.stages.is_empty() {
            p class="uncommitted-legend" {
                span class="uncommitted" aria-hidden="true" { "●" }
                " The release of a marked stage differs from the file committed at HEAD ("
                code { (uncommitted.commit) } "): "
                a href="/diff" { "see the uncommitted changes" } "."
            }
        }
        section aria-labelledby="legend-title" {
            h2 id="legend-title" { "Releases" }
            ul class="legend" {
                @for release in &matrix.releases {
                    @let stages = matrix.deployments.iter().map(|d| lookup::stages_on(matrix, d, release.name.as_str()).len()).sum::<usize>();
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
                (diagnostics_list(warnings.into_iter()))
            }
        }
    }
}

/// What the lock says of a stage, in words: its locked rows, and the stale ones.
fn lock_words(lock: &crate::snapshot::StageLock) -> String {
    let commits = match lock.locked {
        1 => "1 commit locked".to_owned(),
        n => format!("{n} commits locked"),
    };
    match lock.stale {
        0 => commits,
        n => format!("{commits}, {n} stale: re-lock this stage"),
    }
}

/// The grid's mark of a locked stage: "locked", or "stale lock" when rows have no matching
/// entry (the details are on the stage page).
fn lock_mark(good: &Good, deployment: &str, stage: &str) -> Markup {
    let key = (deployment.to_owned(), stage.to_owned());
    let Some(lock) = good.locked_stages.get(&key) else {
        return html! {};
    };
    html! {
        @if lock.stale > 0 {
            span class="lock stale-lock" title=(lock_words(lock)) { "stale lock" }
        } @else {
            span class="lock" title=(lock_words(lock)) { "locked" }
        }
    }
}

pub(super) fn value_cell(value: Markup, overridden: bool) -> Markup {
    html! {
        td class=[overridden.then_some("overridden")] {
            (value)
            @if overridden { " " span class="override" title="set in the release map, not a default" { "override" } }
        }
    }
}

pub(super) fn origin(url: &str) -> Markup {
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
