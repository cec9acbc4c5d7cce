//! Located diagnostics for one Python file, and byte ranges of nodes.

use crate::{Diagnostic, Location};
use edx_matrix_model::Code;
use ruff_text_size::{Ranged, TextRange};
use std::ops::Range;

/// Collects the diagnostics of one Python file.
#[derive(Debug, Default)]
pub(super) struct Sink {
    /// Everything reported so far, in reporting order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Returns the byte range of a node.
pub(super) fn span(node: &impl Ranged) -> Range<usize> {
    let r: TextRange = node.range();
    r.start().to_usize()..r.end().to_usize()
}

impl Sink {
    /// Reports a problem at `at`.
    pub(super) fn push(
        &mut self,
        code: Code,
        at: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::new(code, Location::Span(at), message, label));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }
}
