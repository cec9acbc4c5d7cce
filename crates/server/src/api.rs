//! The read-only JSON API under `/api/v1/`, and `/healthz`.

use crate::snapshot::{Good, Serving, Snapshot};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use edx_matrix_model::UnknownName;
use edx_matrix_model::known_names::{self, NameKind};
use edx_matrix_model::names::{
    ApplicationName, DeploymentName, InvalidName, ReleaseName, StageName,
};
use edx_matrix_model::{AppKind, Filter, Matrix, lookup};
use edx_matrix_model::{Index, resolve_entry};
use serde::Serialize;
use serde_json::json;
use std::sync::Arc;

/// The OpenAPI document, written by hand and checked against real responses by the tests.
pub const OPENAPI: &str = include_str!("openapi.json");

/// A JSON error response: `{"error": "...", "hint": "...", "parameter": "..."}`; an unknown
/// name is the model's one JSON form (`error`, `hint`, `code`, `kind`, `name`, `suggestions`),
/// what `--format json` commands print.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    error: String,
    hint: Option<String>,
    parameter: Option<String>,
    unknown: Option<Box<UnknownName>>,
}

impl ApiError {
    /// Returns an error with `status` and a message.
    pub(crate) fn new(status: StatusCode, error: impl Into<String>) -> Self {
        ApiError {
            status,
            error: error.into(),
            hint: None,
            parameter: None,
            unknown: None,
        }
    }

    pub(crate) fn with_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Names the query parameter the error is about.
    pub(crate) fn with_parameter(mut self, parameter: String) -> Self {
        self.parameter = Some(parameter);
        self
    }

    /// Returns the message.
    #[cfg(test)]
    pub(crate) fn message(&self) -> &str {
        &self.error
    }

    /// Returns the query parameter the error is about, if any.
    #[cfg(test)]
    pub(crate) fn parameter(&self) -> Option<&str> {
        self.parameter.as_deref()
    }

    /// Returns the 404 for an unknown name (the model's one check), rendered as the CLI's
    /// `--format json` renders it.
    pub(crate) fn unknown(unknown: UnknownName) -> Self {
        let mut error =
            ApiError::new(StatusCode::NOT_FOUND, unknown.message()).with_hint(unknown.hint());
        error.unknown = Some(Box::new(unknown));
        error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(unknown) = self.unknown {
            return (self.status, axum::Json(unknown)).into_response();
        }
        let mut body = json!({ "error": self.error });
        if let Some(hint) = self.hint {
            body["hint"] = json!(hint);
        }
        if let Some(parameter) = self.parameter {
            body["parameter"] = json!(parameter);
        }
        (self.status, axum::Json(body)).into_response()
    }
}

/// Returns `body` (already JSON) as an `application/json` response.
fn json_bytes(body: impl Into<axum::body::Body>) -> Response {
    let mut response = Response::new(body.into());
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Returns the good matrix, or 503 while none has loaded.
pub(crate) fn good(snapshot: &Snapshot) -> Result<&Arc<Good>, ApiError> {
    snapshot.good.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "`{}` has not loaded without errors yet",
                snapshot.latest.source_name
            ),
        )
        .with_hint(Some("see /api/v1/diagnostics".to_owned()))
    })
}

/// `GET /healthz`.
pub(crate) async fn health(State(state): State<Arc<AppState>>) -> Response {
    let snapshot = state.snapshot();
    let serving = snapshot.serving();
    let status = match serving {
        Serving::Latest => "ok",
        Serving::LastGood => "degraded",
        Serving::None => "no-matrix",
    };
    let code = if serving == Serving::None {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let mut body = json!({
        "status": status,
        "generation": snapshot.generation,
        "serving_generation": snapshot.good.as_ref().map(|g| g.generation),
    });
    // Why the latest version is not served (a hostile template's bound, a syntax error, …).
    if serving != Serving::Latest {
        if let Some(reason) = snapshot.latest.reason() {
            body["reason"] = json!(reason);
        }
    }
    (code, axum::Json(body)).into_response()
}

/// `GET /api/v1/openapi.json`.
pub(crate) async fn openapi() -> Response {
    json_bytes(OPENAPI)
}

/// `GET /api/v1/model`: the interchange JSON.
pub(crate) async fn model(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    Ok(json_bytes(good(&snapshot)?.model_body.clone()))
}

/// `GET /api/v1/diagnostics`: the diagnostics of the latest load attempt.
pub(crate) async fn diagnostics(State(state): State<Arc<AppState>>) -> Response {
    json_bytes(state.snapshot().diagnostics_body.clone())
}

const FILTER_KEYS: &str = "`deployment`, `stage`, `release`, `application`, `type`";

/// Parses the `resolved` query string into a filter, checking every name against the matrix.
pub(crate) fn parse_filter(matrix: &Matrix, query: Option<&str>) -> Result<Filter, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("bad query string: {e}")))?;
    let mut filter = Filter::default();
    for (key, value) in pairs {
        let bad = |message: String| ApiError::new(StatusCode::BAD_REQUEST, message);
        if value.is_empty() {
            return Err(bad(format!("query parameter `{key}` is empty")));
        }
        match key.as_str() {
            "deployment" => set_name(&mut filter.deployment, &key, &value, DeploymentName::parse)?,
            "stage" => set_name(&mut filter.stage, &key, &value, StageName::parse)?,
            "release" => set_name(&mut filter.release, &key, &value, ReleaseName::parse)?,
            "application" => {
                set_name(
                    &mut filter.application,
                    &key,
                    &value,
                    ApplicationName::parse,
                )?;
            }
            "type" => {
                if filter.kind.is_some() {
                    return Err(bad("query parameter `type` is given twice".to_owned()));
                }
                filter.kind = Some(match value.to_ascii_lowercase().as_str() {
                    "ida" => AppKind::Ida,
                    "mfe" => AppKind::Mfe,
                    _ => return Err(bad(format!("`type` is `ida` or `mfe`, not `{value}`"))),
                });
            }
            _ => {
                return Err(bad(format!(
                    "unknown query parameter `{key}`; the filters are {FILTER_KEYS}"
                )));
            }
        }
    }
    known_names::require_filter(matrix, &filter).map_err(ApiError::unknown)?;
    Ok(filter)
}

/// Sets a name filter from the query parameter `key`, refusing (400, with the name rule) a
/// malformed name and a repeated parameter.
fn set_name<N>(
    slot: &mut Option<N>,
    key: &str,
    value: &str,
    parse: fn(&str) -> Result<N, InvalidName>,
) -> Result<(), ApiError> {
    if slot.is_some() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("query parameter `{key}` is given twice"),
        ));
    }
    let name = parse(value).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("query parameter `{key}`: {e}"),
        )
    })?;
    *slot = Some(name);
    Ok(())
}

/// `GET /api/v1/resolved?deployment=&stage=&release=&application=&type=`.
pub(crate) async fn resolved(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let good = good(&snapshot)?;
    let filter = parse_filter(&good.loaded.matrix, query.as_deref())?;
    Ok(json_bytes(good.rows_json(&filter)))
}

#[derive(Serialize)]
struct StageSummary<'a> {
    stage: &'a str,
    release: &'a str,
    applications: usize,
}

#[derive(Serialize)]
struct DeploymentView<'a> {
    name: &'a str,
    stages: Vec<StageSummary<'a>>,
}

fn deployment_view<'m>(
    index: &Index<'m>,
    deployment: &'m edx_matrix_model::Deployment,
) -> DeploymentView<'m> {
    DeploymentView {
        name: deployment.name.as_str(),
        stages: deployment
            .stages
            .iter()
            .map(|pin| StageSummary {
                stage: pin.stage.as_str(),
                release: pin.release.as_str(),
                applications: index
                    .entry(pin.release.as_str(), deployment.name.as_str())
                    .map_or(0, |e| e.apps.len()),
            })
            .collect(),
    }
}

/// `GET /api/v1/deployments`.
pub(crate) async fn deployments(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let matrix = &good(&snapshot)?.loaded.matrix;
    let index = Index::new(matrix);
    let views: Vec<_> = matrix
        .deployments
        .iter()
        .map(|d| deployment_view(&index, d))
        .collect();
    Ok(axum::Json(views).into_response())
}

/// `GET /api/v1/deployments/{name}`.
pub(crate) async fn deployment(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let matrix = &good(&snapshot)?.loaded.matrix;
    known_names::require(matrix, NameKind::Deployment, &name).map_err(ApiError::unknown)?;
    let Some(deployment) = matrix.deployment(&name) else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "no such deployment"));
    };
    let index = Index::new(matrix);
    Ok(axum::Json(deployment_view(&index, deployment)).into_response())
}

#[derive(Serialize)]
struct ReleaseSummary<'a> {
    name: &'a str,
    branch: &'a str,
    python: Option<&'a str>,
    node: Option<&'a str>,
    rolling: bool,
    stages: Vec<DeploymentStage<'a>>,
}

#[derive(Serialize)]
struct DeploymentStage<'a> {
    deployment: &'a str,
    stage: &'a str,
}

#[derive(Serialize)]
struct EntryView<'a> {
    deployment: &'a str,
    used: bool,
    applications: Vec<EntryApp<'a>>,
}

#[derive(Serialize)]
struct EntryApp<'a> {
    application: &'a str,
    #[serde(rename = "type")]
    kind: AppKind,
    git_origin: &'a str,
    release_branch: &'a str,
    runtime_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry_release: Option<&'a str>,
    overridden: edx_matrix_model::Overridden,
}

#[derive(Serialize)]
struct ReleaseView<'a> {
    #[serde(flatten)]
    summary: ReleaseSummary<'a>,
    entries: Vec<EntryView<'a>>,
}

fn release_summary<'m>(
    matrix: &'m Matrix,
    release: &'m edx_matrix_model::Release,
) -> ReleaseSummary<'m> {
    ReleaseSummary {
        name: release.name.as_str(),
        branch: release.branch.as_str(),
        python: release.python.as_ref().map(|v| v.as_str()),
        node: release.node.as_ref().map(|v| v.as_str()),
        rolling: release.rolling,
        stages: matrix
            .deployments
            .iter()
            .flat_map(|d| {
                lookup::stages_on(matrix, d, release.name.as_str())
                    .into_iter()
                    .map(|stage| DeploymentStage {
                        deployment: d.name.as_str(),
                        stage,
                    })
            })
            .collect(),
    }
}

/// `GET /api/v1/releases`.
pub(crate) async fn releases(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let matrix = &good(&snapshot)?.loaded.matrix;
    let views: Vec<_> = matrix
        .releases
        .iter()
        .map(|r| release_summary(matrix, r))
        .collect();
    Ok(axum::Json(views).into_response())
}

/// `GET /api/v1/releases/{name}`: where a release runs and every release-map entry for it.
pub(crate) async fn release(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let matrix = &good(&snapshot)?.loaded.matrix;
    known_names::require(matrix, NameKind::Release, &name).map_err(ApiError::unknown)?;
    let Some(release) = matrix.release(&name) else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "no such release"));
    };
    let index = Index::new(matrix);
    let summary = release_summary(matrix, release);
    let entries = release_entries(matrix, &index, release.name.as_str())
        .into_iter()
        .map(|(deployment, used, apps)| EntryView {
            deployment,
            used,
            applications: apps
                .into_iter()
                .map(|app| EntryApp {
                    application: app.application,
                    kind: app.kind,
                    git_origin: app.git_origin,
                    release_branch: app.release_branch,
                    runtime_version: app.runtime_version,
                    path: app.path,
                    entry_release: (app.own_release != release.name.as_str())
                        .then_some(app.own_release),
                    overridden: app.overridden,
                })
                .collect(),
        })
        .collect();
    Ok(axum::Json(ReleaseView { summary, entries }).into_response())
}

/// Returns the release-map entries of `release`, in matrix order: (deployment, whether a
/// stage of it runs the release, the resolved applications).
pub(crate) fn release_entries<'m>(
    matrix: &'m Matrix,
    index: &Index<'m>,
    release: &str,
) -> Vec<(&'m str, bool, Vec<edx_matrix_model::ResolvedApp<'m>>)> {
    matrix
        .release_map
        .iter()
        .filter(|e| e.release == release)
        .filter_map(|e| {
            let deployment = e.deployment.as_str();
            let used = matrix
                .deployment(deployment)
                .is_some_and(|d| !lookup::stages_on(matrix, d, release).is_empty());
            Some((deployment, used, resolve_entry(index, release, deployment)?))
        })
        .collect()
}

/// `GET /api/v1/diff`: what the served matrix changes against the file at `HEAD`: the document
/// `edx-matrix diff --format json` prints ([`edx_matrix_project::ProjectDiff`]); 404 when
/// there is nothing to compare with.
///
/// `?base=REV&head=REV` compares two revisions instead, as the `/diff` page does.
pub(crate) async fn diff(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let revs = crate::diff::Revs::parse(query.as_deref())
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e))?;
    let diff = if revs.any() {
        crate::diff::between(&state, revs).await
    } else {
        crate::diff::diff(&state).await
    }
    .map_err(|u| ApiError::new(u.status, u.reason))?;
    Ok(axum::Json(&diff.diff).into_response())
}

/// `GET /api/v1/history?deployment=&since=`: the git history of the served file, as
/// `edx-matrix history --format json` prints it (narrowed as `--deployment` and `--since` do);
/// 404 when the file has none.
pub(crate) async fn history(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let narrowing = crate::history::Narrowing::parse(query.as_deref(), false)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e))?;
    let history = crate::history::history(&state)
        .await
        .map_err(|u| ApiError::new(u.status, u.reason))?;
    let history = narrowing.apply(&history).map_err(ApiError::unknown)?;
    Ok(axum::Json(&*history).into_response())
}
