//! Resolved rows compared with `tests/fixtures/acme/expected-resolved.json`, which was written
//! independently of the code and holds eight fields per row.

use serde_json::{Map, Value};

/// The fields of each row in `expected-resolved.json`, in its order.
pub(crate) const ROW_FIELDS: [&str; 8] = [
    "deployment",
    "stage",
    "release",
    "application",
    "type",
    "git_origin",
    "release_branch",
    "runtime_version",
];

/// Each row of the JSON array `rows` cut down to `ROW_FIELDS` (a missing field is `null`).
///
/// # Panics
///
/// When `rows` is not an array.
#[track_caller]
pub fn project_rows(rows: &Value) -> Vec<Value> {
    let Some(rows) = rows.as_array() else {
        panic!("not an array of rows: {rows}");
    };
    rows.iter()
        .map(|row| {
            Value::Object(
                ROW_FIELDS
                    .iter()
                    .map(|f| ((*f).to_owned(), row[*f].clone()))
                    .collect::<Map<_, _>>(),
            )
        })
        .collect()
}

/// `tests/fixtures/<relative>` parsed as JSON.
///
/// # Panics
///
/// When the file cannot be read or is not JSON.
#[track_caller]
#[cfg(test)]
pub(crate) fn fixture_json(relative: &str) -> Value {
    let path = crate::workspace_root()
        .join("tests/fixtures")
        .join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The rows of `tests/fixtures/acme/expected-resolved.json`, projected.
#[track_caller]
#[cfg(test)]
pub(crate) fn expected_acme_rows() -> Vec<Value> {
    project_rows(&fixture_json("acme/expected-resolved.json"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn projection_keeps_the_eight_fields_in_order() {
        let rows = json!([{"path": "p", "stage": "QA", "deployment": "d", "type": "MFE"}]);
        let projected = project_rows(&rows);
        let keys: Vec<&String> = projected[0].as_object().unwrap().keys().collect();
        assert_eq!(keys, ROW_FIELDS);
        assert_eq!(projected[0]["stage"], "QA");
        assert_eq!(projected[0]["release"], Value::Null);
        assert!(projected[0].get("path").is_none());
    }

    #[test]
    fn the_acme_rows_are_read() {
        let rows = expected_acme_rows();
        assert!(rows.len() > 10);
        assert!(rows.iter().all(|r| r["deployment"].is_string()));
    }
}
