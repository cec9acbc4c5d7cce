//! The budget of one template run, shared by the template and every file it loads, and the
//! checks that enforce it on each evaluator.
//!
//! Starlark counts "ticks" (calls and loop iterations) and checks its heap only every thousand
//! ticks, which lets a loop of 40 list doublings reach gigabytes between two checks. So the
//! budget is also checked before every statement, through the interpreter's statement hook.

use super::limits::{Bound, Limits, MEMORY, STEPS};
use starlark::codemap::FileSpanRef;
use starlark::environment::Module;
use starlark::eval::{BeforeStmtFunc, BeforeStmtFuncDyn, Evaluator};
use std::cell::Cell;
use std::rc::Rc;

/// The shared budget: the limits, what finished evaluators used, and which bound was passed.
#[derive(Debug)]
pub(super) struct Budget {
    limits: Limits,
    /// Steps used by evaluators that finished (loaded files).
    steps_used: Cell<u64>,
    /// Heap bytes kept by files that finished (their frozen values).
    bytes_used: Cell<u64>,
    /// The bound that stopped the run.
    tripped: Cell<Option<Bound>>,
    /// The statement about to run when a bound stopped the run: file, 1-based line and column.
    place: std::cell::RefCell<Option<(String, usize, usize)>>,
}

impl Budget {
    /// A fresh budget.
    pub(super) fn new(limits: Limits) -> Rc<Budget> {
        Rc::new(Budget {
            limits,
            steps_used: Cell::new(0),
            bytes_used: Cell::new(0),
            tripped: Cell::new(None),
            place: std::cell::RefCell::new(None),
        })
    }

    /// The limits.
    pub(super) fn limits(&self) -> Limits {
        self.limits
    }

    fn max_bytes(&self) -> u64 {
        self.limits.memory_mib.saturating_mul(1024 * 1024)
    }

    /// The most bytes a value copied out of the template may take.
    pub(super) fn max_output_bytes(&self) -> u64 {
        self.max_bytes()
    }

    /// Returns the bound that stopped the run, if one did.
    pub(super) fn tripped(&self) -> Option<Bound> {
        self.tripped.get()
    }

    /// Returns where the run stopped, when a statement hook stopped it.
    pub(super) fn place(&self) -> Option<(String, usize, usize)> {
        self.place.borrow().clone()
    }

    fn stop_at(&self, span: FileSpanRef, bound: Bound) -> starlark::Error {
        let at = span.resolve_span();
        *self.place.borrow_mut() = Some((
            span.filename().to_owned(),
            at.begin.line + 1,
            at.begin.column + 1,
        ));
        self.trip(bound)
    }

    /// Returns the message for the bound that stopped the run.
    pub(super) fn message(&self, bound: Bound) -> String {
        let limit = if bound == STEPS {
            self.limits.steps
        } else if bound == MEMORY {
            self.limits.memory_mib
        } else {
            self.limits.depth as u64
        };
        bound.exceeded(limit)
    }

    /// Records the bound that stopped the run; returns the error that ends evaluation.
    fn trip(&self, bound: Bound) -> starlark::Error {
        self.tripped.set(Some(bound));
        starlark::Error::new_other(anyhow::anyhow!(self.message(bound)))
    }

    fn over_memory(&self, heap_bytes: usize, baseline: usize) -> bool {
        let own = heap_bytes.saturating_sub(baseline) as u64;
        self.bytes_used.get().saturating_add(own) > self.max_bytes()
    }

    /// Adds what a finished evaluator (of a loaded file) used.
    pub(super) fn settle(&self, steps: u64, heap_bytes: usize) {
        self.steps_used
            .set(self.steps_used.get().saturating_add(steps));
        self.bytes_used
            .set(self.bytes_used.get().saturating_add(heap_bytes as u64));
    }
}

/// The statement hook: checks steps and memory before every statement.
struct Hook {
    budget: Rc<Budget>,
    baseline: Rc<Cell<usize>>,
}

impl<'e> BeforeStmtFuncDyn<'e> for Hook {
    fn call<'v>(
        &mut self,
        span: FileSpanRef,
        _continued: bool,
        eval: &mut Evaluator<'v, '_, 'e>,
    ) -> starlark::Result<()> {
        let budget = &self.budget;
        let steps = budget
            .steps_used
            .get()
            .saturating_add(eval.get_total_tick_count());
        if steps > budget.limits.steps {
            return Err(budget.stop_at(span, STEPS));
        }
        if budget.over_memory(eval.heap().peak_allocated_bytes(), self.baseline.get()) {
            return Err(budget.stop_at(span, MEMORY));
        }
        Ok(())
    }
}

/// Puts `eval` (evaluating `module`) under `budget`: the statement hook, Starlark's own tick
/// limit (for loops inside one statement, such as comprehensions) and a memory check every
/// thousand ticks. `baseline` is the heap size not to count (the matrix data handed over).
pub(super) fn guard<'v, 'a>(
    eval: &mut Evaluator<'v, 'a, '_>,
    module: &Module<'v>,
    budget: &Rc<Budget>,
    baseline: Rc<Cell<usize>>,
) where
    'v: 'a,
{
    eval.disable_gc(); // the budget counts the peak anyway; the collector recurses on deep values
    let remaining = budget
        .limits
        .steps
        .saturating_sub(budget.steps_used.get())
        .max(1);
    // A little past the bound, so the statement hook (which knows the place) stops a loop of
    // statements first; Starlark's own check stops a loop inside one expression. Only fails
    // when set twice or to zero, neither of which happens here.
    let _ = eval.set_max_tick_count(remaining.saturating_add(2000));
    let heap = module.heap();
    let for_cancel = budget.clone();
    let cancel_baseline = baseline.clone();
    eval.set_check_cancelled(Box::new(move || {
        if for_cancel.over_memory(heap.peak_allocated_bytes(), cancel_baseline.get()) {
            for_cancel.tripped.set(Some(MEMORY));
            true
        } else {
            false
        }
    }));
    eval.before_stmt_for_dap(BeforeStmtFunc::from_dyn(Box::new(Hook {
        budget: budget.clone(),
        baseline,
    })));
}

/// Returns the bound an evaluation error comes from: the one the checks recorded, or Starlark's
/// own tick limit.
pub(super) fn bound_of(budget: &Budget, error: &starlark::Error) -> Option<Bound> {
    budget.tripped().or_else(|| {
        format!("{error}")
            .contains("ticks has been exceeded")
            .then_some(STEPS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::limits::DEPTH;

    const MIB: usize = 1024 * 1024;

    fn budget() -> Rc<Budget> {
        Budget::new(Limits {
            steps: 10,
            memory_mib: 1,
            depth: 5,
        })
    }

    #[test]
    fn memory_is_over_only_past_the_bound_counting_what_loaded_files_kept() {
        let b = budget();
        assert_eq!(b.max_output_bytes(), MIB as u64);
        assert!(!b.over_memory(MIB, 0));
        assert!(b.over_memory(MIB + 1, 0));
        // The baseline (the matrix data handed over) is not counted.
        assert!(!b.over_memory(MIB + 100, 100));
        b.settle(0, 1000);
        assert!(!b.over_memory(MIB - 1000, 0));
        assert!(b.over_memory(MIB - 999, 0));
    }

    #[test]
    fn each_bound_is_reported_with_its_own_setting() {
        let b = budget();
        assert!(b.message(STEPS).contains("bound of 10 steps"));
        assert!(
            b.message(MEMORY)
                .contains("bound of 1 MiB of template memory")
        );
        assert!(b.message(DEPTH).contains("bound of 5 levels of nesting"));
    }

    #[test]
    fn the_bound_of_an_error_is_the_one_tripped_or_starlarks_tick_limit() {
        let b = budget();
        let other = starlark::Error::new_other(anyhow::anyhow!("key not found"));
        assert_eq!(bound_of(&b, &other), None);
        let ticks = starlark::Error::new_other(anyhow::anyhow!(
            "Execution duration limit of 12000 ticks has been exceeded"
        ));
        assert_eq!(bound_of(&b, &ticks), Some(STEPS));
        let _ = b.trip(MEMORY);
        assert_eq!(bound_of(&b, &other), Some(MEMORY));
    }
}
