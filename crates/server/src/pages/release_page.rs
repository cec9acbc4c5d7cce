//! One release: its definition and the entries and stages that use it.

use super::dashboard_page::{origin, value_cell};
use super::stage_page::any_override;
use super::{layout, missing, page, release_href, slot, stage_href, unavailable, unknown_name};
use crate::api::release_entries;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use edx_matrix_model::Index;
use edx_matrix_model::known_names::{self, NameKind};
use edx_matrix_model::lookup;
use maud::html;
use std::sync::Arc;

/// `GET /r/{release}`: which stages run a release and which entries override it.
pub(crate) async fn release(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
) -> Response {
    let snapshot = state.snapshot();
    let views = state.views().await;
    let Some(good) = &snapshot.good else {
        return unavailable(&snapshot, views);
    };
    let matrix = &good.loaded.matrix;
    // The model's one check, in the words of every command and the API; the page links the
    // suggestions.
    if let Err(unknown) = known_names::require(matrix, NameKind::Release, &name) {
        return unknown_name(&snapshot, views, &unknown, release_href);
    }
    let Some(release) = matrix.release(&name) else {
        // Not reached: the check above found the release.
        return missing(
            &snapshot,
            views,
            format!("There is no release `{name}`."),
            None,
        );
    };
    let index = Index::new(matrix);
    let stages: Vec<(&str, &str)> = matrix
        .deployments
        .iter()
        .flat_map(|d| {
            lookup::stages_on(matrix, d, &name)
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
        layout(&format!("Release {name}"), &snapshot, views, body),
    )
}
