//! One stage of one deployment: its components, their branches and overrides.

use super::dashboard_page::{origin, value_cell};
use super::{
    encode, layout, missing, page, release_href, slot, stage_href, unavailable, unknown_name,
};
use crate::branch_heads::{BranchHeads, HeadStatus, seconds_since_epoch};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use edx_matrix_model::Overridden;
use edx_matrix_model::did_you_mean;
use edx_matrix_model::known_names::{self, NameKind};
use edx_matrix_model::parse_timestamp;
use edx_matrix_model::{Filter, resolve};
use maud::html;
use std::sync::Arc;

/// `GET /d/{deployment}/{stage}`: the components one stage builds.
pub(crate) async fn stage(
    State(state): State<Arc<AppState>>,
    Path((deployment, stage)): Path<(String, String)>,
) -> Response {
    let snapshot = state.snapshot();
    let views = state.views().await;
    let Some(good) = &snapshot.good else {
        return unavailable(&snapshot, views);
    };
    let matrix = &good.loaded.matrix;
    // The model's one check, in the words of every command and the API; the page links the
    // suggestions. A stage the matrix defines but this deployment lacks is another error.
    if let Err(unknown) = known_names::require(matrix, NameKind::Deployment, &deployment) {
        return unknown_name(&snapshot, views, &unknown, |s| stage_href(s, &stage));
    }
    if let Err(unknown) = known_names::require(matrix, NameKind::Stage, &stage) {
        return unknown_name(&snapshot, views, &unknown, |s| stage_href(&deployment, s));
    }
    let Some(d) = matrix.deployment(&deployment) else {
        // Not reached: the check above found the deployment.
        return missing(
            &snapshot,
            views,
            format!("There is no deployment `{deployment}`."),
            None,
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
        stage: Some(edx_matrix_model::names::StageName::new(stage.as_str())),
        ..Filter::default()
    };
    let mut rows = resolve(matrix, &filter).rows;
    good.lock.apply(&mut rows);
    // A locked stage shows each row's commit; a row without one there has a stale entry.
    let locked = good.lock.locks_stage(d.name.as_str(), stage.as_str());
    let now = seconds_since_epoch((state.clock)());
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
                                (commit_cell(&good.lock, row, now, &state.heads))
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

/// The locked commit of a row: its short hash (the whole one as a title), how long it has been
/// locked there (to the server's now; the time itself as a title), and how it compares with
/// the branch head the last push webhook reported (pages never query a remote: without a push
/// seen, "not checked"); a row of a locked stage without one is marked
/// stale (its origin or branch changed, or it was added after the lock).
fn commit_cell(
    lock: &edx_matrix_model::Lock,
    row: &edx_matrix_model::Row<'_>,
    now: i64,
    heads: &BranchHeads,
) -> maud::Markup {
    let entry = lock.get(row.deployment, row.stage, row.application);
    match (row.commit, entry) {
        (Some(commit), Some(entry)) => {
            let age = parse_timestamp(&entry.locked_at).map(|at| age(now - at));
            html! {
                td class="commit" {
                    code title=(commit) { (commit.get(..12).unwrap_or(commit)) }
                    " " span class="note" title={ "locked at " (entry.locked_at) } {
                        @match age { Some(age) => { "locked " (age) }, None => { "locked " (entry.locked_at) } }
                    }
                    br;
                    (head_note(&heads.status(&entry.origin, &entry.branch, commit)))
                }
            }
        }
        _ => html! {
            td class="commit stale" { "stale lock: re-lock this stage" }
        },
    }
}

/// The locked commit against its branch's head, as pushes reported it (the head's whole id as
/// the title).
fn head_note(status: &HeadStatus) -> maud::Markup {
    match status {
        HeadStatus::NotChecked => html! {
            span class="note" title="No push of this branch seen since the server started (POST /api/v1/hooks/push): `edx-matrix verify-refs --locked` checks each locked commit against its branch" {
                (status.text())
            }
        },
        HeadStatus::Matches(_) => html! { span class="note head-matches" { (status.text()) } },
        HeadStatus::Behind(h) | HeadStatus::ForcePushed(h) | HeadStatus::Deleted(h) => html! {
            span class="note head-moved" title={ "branch head " (h.commit) } { (status.text()) }
        },
    }
}

/// How long ago, in words, `seconds` is: minutes under two hours, hours under two days, then
/// days; a time ahead of the server's clock says so.
pub(crate) fn age(seconds: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" });
    match seconds {
        s if s < 0 => "ahead of the server's clock".to_owned(),
        s if s < 60 => "just now".to_owned(),
        s if s < 2 * 3600 => plural(s / 60, "minute"),
        s if s < 2 * 86_400 => plural(s / 3600, "hour"),
        s => plural(s / 86_400, "day"),
    }
}

pub(super) fn any_override(o: Overridden) -> bool {
    o.origin || o.branch || o.runtime
}

#[cfg(test)]
mod tests {
    use super::age;

    #[test]
    fn ages_read_in_the_largest_whole_unit() {
        assert_eq!(age(-5), "ahead of the server's clock");
        assert_eq!(age(59), "just now");
        assert_eq!(age(60), "1 minute ago");
        assert_eq!(age(119 * 60), "119 minutes ago");
        assert_eq!(age(2 * 3600), "2 hours ago");
        assert_eq!(age(47 * 3600 + 3599), "47 hours ago");
        assert_eq!(age(2 * 86_400), "2 days ago");
        assert_eq!(age(400 * 86_400 + 5), "400 days ago");
    }
}
