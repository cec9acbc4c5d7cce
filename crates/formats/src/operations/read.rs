//! Reading the `[operations]` table from the spanned TOML document, each problem a located
//! diagnostic.

use super::{OPERATIONS_KEYS, Operations, grafana_url_problem, is_valid_datasource_uid};
use crate::spanned::{TomlReader, key_span};
use edx_matrix_model::Code;
use toml_edit::Item;

/// Reads the `[operations]` table `item` of `root`, keeping only the well-formed settings and
/// reporting every problem through `toml`.
pub(crate) fn read_operations(
    toml: &mut TomlReader,
    root: &toml_edit::Table,
    item: &Item,
) -> Operations {
    let at = key_span(root, "operations", &toml.fallback());
    let mut operations = Operations::default();
    let Some(table) = toml.table(item, "`operations`", &at) else {
        return operations;
    };
    toml.unknown_keys(table, OPERATIONS_KEYS, "`[operations]`", &at);
    if let Some(item) = table.get("grafana_url") {
        if let Some((url, span)) = toml.string(item, "`grafana_url` of `[operations]`", &at) {
            match grafana_url_problem(&url) {
                Some(problem) => {
                    toml.push(
                        Code::InvalidGrafanaUrl,
                        span,
                        format!("invalid Grafana URL `{}`: {problem}", url.escape_debug()),
                        "not a plain http(s) base URL",
                    );
                }
                None => operations.grafana_url = Some(url.trim_end_matches('/').to_owned()),
            }
        }
    }
    if let Some(item) = table.get("loki_datasource") {
        if let Some((uid, span)) = toml.string(item, "`loki_datasource` of `[operations]`", &at) {
            if is_valid_datasource_uid(&uid) {
                operations.loki_datasource = Some(uid);
            } else {
                toml.push(
                    Code::InvalidGrafanaUrl,
                    span,
                    format!("invalid Loki data source uid `{}`", uid.escape_debug()),
                    "expected up to 40 letters, digits, `-` or `_`",
                );
            }
        }
    }
    operations
}
