//! `GET /api/v1/lock`: every entry of the served lock with how its commit compares with the
//! branch head push webhooks reported (`branch_head`), in the lock's order.

use crate::api::{ApiError, good};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

/// `GET /api/v1/lock`.
pub(crate) async fn lock(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let snapshot = state.snapshot();
    let good = good(&snapshot)?;
    let entries: Vec<Value> = (good.lock.entries().iter())
        .map(|e| {
            let mut entry = json!({
                "deployment": e.deployment,
                "stage": e.stage,
                "application": e.application,
                // Already redacted: the lock never holds a credential.
                "origin": e.origin,
                "branch": e.branch,
                "commit": e.commit,
                "locked_at": e.locked_at,
                "branch_head": state.heads.status(&e.origin, &e.branch, &e.commit).json(),
            });
            if let Some(reason) = &e.forced {
                entry["forced"] = reason.clone().into();
            }
            entry
        })
        .collect();
    Ok(axum::Json(entries).into_response())
}
