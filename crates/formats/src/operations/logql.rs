//! LogQL queries for the logs of one deployment stage, and Grafana Explore links to them.
//!
//! The label values come from the matrix, where names are validated, but they are escaped by
//! LogQL's string rules anyway (Go string literals: backslash, double quote, control
//! characters), and the link is percent-encoded, so no value can change the query's shape.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::json;

/// The `environment` label of a deployment stage: `<deployment>-<stage in lower case>` (the one
/// environment-label function, under the name the LogQL queries use).
pub use edx_matrix_model::label as environment;

/// Returns `value` as a double-quoted LogQL string literal.
pub(crate) fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Returns the query for the logs of `application` in `environment`, one message per line.
pub fn query(environment: &str, application: &str) -> String {
    format!(
        "{{environment={}, application={}}} | json | line_format \"{{{{.message}}}}\"",
        quote(environment),
        quote(application)
    )
}

/// Characters left as they are in a query-string value: RFC 3986 unreserved ones.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Returns a Grafana Explore link (URL schema version 1, Grafana 10 and later) that runs
/// `query` over the last hour, on the Loki data source `datasource` (Grafana's default data
/// source when `None`). `base` is a validated http(s) base URL.
pub fn explore_url(base: &str, datasource: Option<&str>, query: &str) -> String {
    let mut q = json!({ "refId": "A", "expr": query, "queryType": "range" });
    let mut pane = json!({
        "queries": [],
        "range": { "from": "now-1h", "to": "now" },
    });
    if let Some(uid) = datasource {
        q["datasource"] = json!({ "type": "loki", "uid": uid });
        pane["datasource"] = json!(uid);
    }
    pane["queries"] = json!([q]);
    let panes = json!({ "edx": pane }).to_string();
    format!(
        "{}/explore?schemaVersion=1&panes={}",
        base.trim_end_matches('/'),
        utf8_percent_encode(&panes, QUERY_VALUE)
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_query_matches_the_operators_one() {
        assert_eq!(
            query(&environment("mitx", "CI"), "edxapp"),
            r#"{environment="mitx-ci", application="edxapp"} | json | line_format "{{.message}}""#
        );
        assert_eq!(environment("xpro", "Production"), "xpro-production");
    }

    #[test]
    fn hostile_label_values_are_escaped() {
        assert_eq!(quote(r#"a"b"#), r#""a\"b""#);
        assert_eq!(quote(r"a\b"), r#""a\\b""#);
        assert_eq!(quote("a\\\"}"), r#""a\\\"}""#);
        assert_eq!(quote("x\ny\u{1b}"), r#""x\ny\u001b""#);
        assert_eq!(quote("é"), "\"é\"");
        let q = query(r#"evil", application=~".*"#, "edxapp");
        assert_eq!(
            q,
            r#"{environment="evil\", application=~\".*", application="edxapp"} | json | line_format "{{.message}}""#
        );
        // Every quote inside a value is escaped: the matcher list still has exactly two
        // unescaped-quote-delimited values.
        let unescaped = q
            .char_indices()
            .filter(|(i, c)| *c == '"' && !q[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 6); // two values and the line_format template
    }

    #[test]
    fn explore_links_are_percent_encoded_and_decode_back() {
        let q = query("a&b=c#d", "edx app");
        let link = explore_url("https://grafana.example.org/", Some("loki1"), &q);
        let prefix = "https://grafana.example.org/explore?schemaVersion=1&panes=";
        assert!(link.starts_with(prefix), "{link}");
        let encoded = &link[prefix.len()..];
        assert!(
            encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)),
            "{encoded}"
        );
        let decoded = percent_encoding::percent_decode_str(encoded)
            .decode_utf8()
            .unwrap();
        let panes: serde_json::Value = serde_json::from_str(&decoded).unwrap();
        assert_eq!(panes["edx"]["queries"][0]["expr"], q);
        assert_eq!(panes["edx"]["datasource"], "loki1");
        assert_eq!(panes["edx"]["queries"][0]["datasource"]["type"], "loki");
        let without = explore_url("http://g", None, &q);
        let decoded = percent_encoding::percent_decode_str(
            &without["http://g/explore?schemaVersion=1&panes=".len()..],
        )
        .decode_utf8()
        .unwrap()
        .into_owned();
        let panes: serde_json::Value = serde_json::from_str(&decoded).unwrap();
        assert!(panes["edx"].get("datasource").is_none());
    }
}
