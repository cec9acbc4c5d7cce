//! Line numbers of the places an edit's messages name ([`Lines`], [`line_of`]).

use crate::edit::Place;
use toml_edit::Item;

/// Returns the 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |t| t.bytes().filter(|b| *b == b'\n').count() + 1)
}

/// Reads `text` with spans, to name the lines of things in messages.
pub(crate) struct Lines<'t> {
    text: &'t str,
    doc: Option<toml_edit::Document<&'t str>>,
}

impl<'t> Lines<'t> {
    /// Parses `text` (a text that does not parse names no lines).
    pub(crate) fn new(text: &'t str) -> Self {
        Lines {
            text,
            doc: toml_edit::Document::parse(text).ok(),
        }
    }

    pub(super) fn line(&self, span: Option<std::ops::Range<usize>>) -> usize {
        span.map_or(1, |s| line_of(self.text, s.start))
    }

    /// Returns the place of the release stage `stage` of `deployment` is pinned to.
    pub(crate) fn stage(&self, deployment: &str, stage: &str) -> Place {
        let span = self.doc.as_ref().and_then(|doc| {
            doc.get("deployments")?
                .as_table_like()?
                .get(deployment)?
                .as_table_like()?
                .get(stage)?
                .span()
        });
        Place {
            line: self.line(span),
            what: format!("stage `{stage}` of `{deployment}`"),
        }
    }

    /// Returns the place of application `app` in block `index`.
    pub(crate) fn block_app(&self, index: usize, app: &str, what: String) -> Place {
        let span = self.doc.as_ref().and_then(|doc| match doc.get("map")? {
            Item::ArrayOfTables(a) => {
                let apps = a.get(index)?.get("apps")?.as_table_like()?;
                apps.key(app)?.span()
            }
            _ => None,
        });
        Place {
            line: self.line(span),
            what,
        }
    }
}
