//! The nesting depth of a parsed Python file, measured without recursion: the importer's
//! evaluator recurses once per level, and so does dropping ruff's syntax tree, so a file nested
//! deeper than [`MAX_DEPTH`] (`1+1+…` with 300,000 terms, 300,000 subscripts, 80 KB of
//! brackets) is refused with a located `python-unreadable` error before either runs, and its
//! tree is dropped on a stack sized for it (issue 22: both overflowed the native stack, under
//! `serve --file DIR` killing the server).

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, ModModule};
use ruff_text_size::{Ranged, TextRange};

/// The deepest syntax tree the importer reads (counting statements, expressions and their
/// parts such as call arguments). A real `version_matrix.py` is about 20 deep; the
/// evaluator at this depth fits a 2 MiB thread stack (the server's) with room to spare.
pub(super) const MAX_DEPTH: usize = 100;

/// Collects the direct children of one node: the visitor is told to skip every node it enters,
/// so visiting never recurses.
struct Children<'a>(Vec<AnyNodeRef<'a>>);

impl<'a> SourceOrderVisitor<'a> for Children<'a> {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        self.0.push(node);
        TraversalSignal::Skip
    }
}

/// The depth of a tree and its first node deeper than [`MAX_DEPTH`].
pub(super) struct Depth {
    /// The deepest level of the tree (the module is 0).
    pub(super) max: usize,
    /// Where the tree first goes past [`MAX_DEPTH`], in source order of the walk.
    pub(super) too_deep: Option<TextRange>,
}

/// Measures `module` with an explicit stack.
pub(super) fn measure(module: &ModModule) -> Depth {
    let mut stack: Vec<(AnyNodeRef<'_>, usize)> = vec![(AnyNodeRef::from(module), 0)];
    let mut children = Children(Vec::new());
    let mut depth = Depth {
        max: 0,
        too_deep: None,
    };
    while let Some((node, level)) = stack.pop() {
        depth.max = depth.max.max(level);
        if level > MAX_DEPTH && depth.too_deep.is_none() {
            depth.too_deep = Some(node.range());
        }
        node.visit_source_order(&mut children);
        // Reversed, so the first child is walked first.
        stack.extend(children.0.drain(..).rev().map(|child| (child, level + 1)));
    }
    depth
}

/// Drops a tree `depth` levels deep on a stack large enough for its recursive drop (a few
/// hundred bytes per level, bounded by the 32 MiB input limit), never on the caller's.
pub(super) fn drop_deep(module: ModModule, depth: usize) {
    const PER_LEVEL: usize = 1024;
    let size = depth.saturating_mul(PER_LEVEL).saturating_add(1024 * 1024);
    stacker::grow(size, move || drop(module));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ModModule {
        ruff_python_parser::parse_module(text)
            .map(|p| p.into_syntax())
            .expect("valid Python")
    }

    #[test]
    fn measures_a_real_file_shallow() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/acme/python-layout/current/version_matrix.py"
        ))
        .expect("the acme fixture");
        let depth = measure(&parse(&text));
        assert!(depth.too_deep.is_none());
        assert!(depth.max < 40, "{}", depth.max);
    }

    /// 300,000 terms: measured and dropped without touching the test thread's stack.
    #[test]
    fn a_long_sum_is_too_deep_and_drops() {
        let text = format!("x = 1{}\n", "+1".repeat(300_000));
        let module = parse(&text);
        let depth = measure(&module);
        assert!(depth.max > 300_000, "{}", depth.max);
        let at = depth.too_deep.expect("too deep");
        assert!(at.start().to_usize() >= 4, "{at:?}");
        drop_deep(module, depth.max);
    }
}
