//! The operator tools: the `[operations]` settings of a matrix ([`Operations`], read with the
//! runbooks by `crate::runbook::read_root`), the rules their values follow, and the LogQL
//! queries and Grafana Explore links `edx-matrix logs` prints ([`logql`]).
//!
//! ```toml
//! [operations]
//! grafana_url = "https://grafana.example.org"
//! loki_datasource = "loki-uid"
//! ```

pub mod logql;
pub(crate) mod read;

/// The keys of the `[operations]` table.
pub(crate) const OPERATIONS_KEYS: &[&str] = &["grafana_url", "loki_datasource"];

/// The `[operations]` settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Operations {
    /// The Grafana base URL (`https://grafana.example.org`), without a trailing slash.
    pub grafana_url: Option<String>,
    /// The uid of the Loki data source in Grafana.
    pub loki_datasource: Option<String>,
}

/// Returns why `url` is not a usable Grafana base URL, if it is not.
pub fn grafana_url_problem(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Some("it must start with `https://` or `http://`".into());
    };
    if let Some(c) = url
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || "\"'<>\\`{}|^".contains(*c))
    {
        return Some(format!("it contains {c:?}"));
    }
    if url.contains('?') || url.contains('#') {
        return Some("it must be a base URL, without `?query` or `#fragment`".into());
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || host.contains('@') {
        return Some("it must name a host (and no user name)".into());
    }
    None
}

/// Returns whether `uid` is a plausible Grafana data source uid (letters, digits, `-`, `_`).
pub fn is_valid_datasource_uid(uid: &str) -> bool {
    !uid.is_empty()
        && uid.len() <= 40
        && uid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
