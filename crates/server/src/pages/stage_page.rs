//! One stage of one deployment: its components, their branches and overrides.

use super::dashboard_page::{origin, value_cell};
use super::{encode, layout, missing, page, release_href, slot, stage_href, unavailable};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use edx_matrix_model::resolve::Overridden;
use edx_matrix_model::suggest::did_you_mean;
use edx_matrix_model::{Filter, resolve};
use maud::html;
use std::sync::Arc;

/// `GET /d/{deployment}/{stage}`: the components one stage builds.
pub async fn stage(
    State(state): State<Arc<AppState>>,
    Path((deployment, stage)): Path<(String, String)>,
) -> Response {
    let snapshot = state.snapshot();
    let views = state.views().await;
    let Some(good) = &snapshot.good else {
        return unavailable(&snapshot, views);
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
            views,
            format!("There is no deployment `{deployment}`."),
            hint,
        );
    };
    let Some(release) = d.release_of(&stage) else {
        let hint = did_you_mean(&stage, d.stages.iter().map(|p| p.stage.as_str()))
            .map(|s| (s.to_owned(), stage_href(&deployment, s)));
        return missing(
            &snapshot,
            views,
            format!("Deployment `{deployment}` has no stage `{stage}`."),
            hint,
        );
    };
    let filter = Filter {
        // Both are names of the matrix (found above).
        deployment: Some(d.name.clone()),
        stage: Some(edx_matrix_model::StageName::new(stage.as_str())),
        ..Filter::default()
    };
    let mut rows = resolve(matrix, &filter).rows;
    good.lock.apply(&mut rows);
    // A locked stage shows each row's commit; a row without one there has a stale entry.
    let locked = good.lock.locks_stage(d.name.as_str(), stage.as_str());
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
                        @if locked { th scope="col" { "Locked commit" } }
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
                            @if locked {
                                (commit_cell(&good.lock, row))
                            }
                        }
                    }
                }
            }
        }
        p { a href=(json_href) { "This table as JSON" } }
    };
    page(StatusCode::OK, layout(&title, &snapshot, views, body))
}

/// The locked commit of a row: its short hash (the whole one as a title) and when it was locked;
/// a row of a locked stage without one is marked stale (its origin or branch changed, or it was
/// added after the lock).
fn commit_cell(
    lock: &edx_matrix_model::lock::Lock,
    row: &edx_matrix_model::Row<'_>,
) -> maud::Markup {
    let entry = lock.get(row.deployment, row.stage, row.application);
    match (row.commit, entry) {
        (Some(commit), Some(entry)) => html! {
            td class="commit" {
                code title=(commit) { (commit.get(..12).unwrap_or(commit)) }
                " " span class="note" { "locked " (entry.locked_at.get(..10).unwrap_or(&entry.locked_at)) }
            }
        },
        _ => html! {
            td class="commit stale" { "stale lock: re-lock this stage" }
        },
    }
}

pub(super) fn any_override(o: Overridden) -> bool {
    o.origin || o.branch || o.runtime
}
