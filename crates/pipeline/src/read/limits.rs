//! The template bounds of `[pipelines]`: `template_steps`, `template_memory_mib` and
//! `template_depth`, each a positive integer no larger than its ceiling.

use super::{Reader, Span};
use crate::script::limits::{Bound, DEPTH, Limits, MEMORY, STEPS};
use edx_matrix_formats::item_span;
use edx_matrix_model::Code;

/// The keys this reads.
pub(super) const KEYS: [&str; 3] = [STEPS.key, MEMORY.key, DEPTH.key];

impl Reader<'_> {
    /// Reads the bounds set in `table`; a value out of range is reported and the default kept.
    pub(super) fn template_limits(
        &mut self,
        table: &dyn toml_edit::TableLike,
        at: &Span,
    ) -> Limits {
        let mut limits = Limits::default();
        if let Some(steps) = self.bound(table, STEPS, at) {
            limits.steps = steps;
        }
        if let Some(mib) = self.bound(table, MEMORY, at) {
            limits.memory_mib = mib;
        }
        if let Some(depth) = self.bound(table, DEPTH, at) {
            limits.depth = usize::try_from(depth).unwrap_or(usize::MAX);
        }
        limits
    }

    fn bound(&mut self, table: &dyn toml_edit::TableLike, bound: Bound, at: &Span) -> Option<u64> {
        let item = table.get(bound.key)?;
        let span = item_span(item, at);
        let Some(value) = item.as_integer() else {
            self.toml.wrong_type(
                span,
                "an integer",
                item.type_name(),
                &format!("`pipelines.{}`", bound.key),
            );
            return None;
        };
        match u64::try_from(value) {
            Ok(v) if (1..=bound.ceiling).contains(&v) => Some(v),
            _ => {
                self.toml
                    .push(
                        Code::PipelineInvalid,
                        span,
                        format!(
                            "`{}` must be between 1 and {} (its ceiling), found {value}",
                            bound.key, bound.ceiling
                        ),
                        "out of range",
                    )
                    .help
                    .push(format!("the default is {}", bound.default));
                None
            }
        }
    }
}
