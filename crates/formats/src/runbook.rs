//! Upgrade runbooks: the manual steps a release needs when it is deployed.
//!
//! ```toml
//! [[runbooks.redwood]]
//! text = "Generate JWT signing keys and add them to the secrets of this stage"
//! command = "edx-matrix jwt-keygen"
//! when = "first-deploy"          # or "every-deploy"; default "first-deploy"
//! stages = ["CI", "QA"]          # default: every stage
//! source = "https://..."         # optional: where the step comes from
//! ```
//!
//! One concept per module: a [`step`] and when it is due; the [`runbooks`] of a file by
//! release and the steps due for one deploy; the [`plan`] those steps make, rendered as text,
//! Markdown or JSON; the [`builtin`] steps used when the file has no runbook for a release; the
//! runbook an edit makes [`due`]; and [`read`](mod@read), the walk of the spanned TOML document that
//! reports every problem as a located [`Diagnostic`](crate::Diagnostic) (it reads the
//! [`[operations]`](crate::operations) table in the same walk). [`load_toml`](crate::load_toml)
//! adds those diagnostics to the others, so `edx-matrix check` shows them.

pub mod builtin;
pub mod due;
pub mod plan;
pub mod read;
pub mod runbooks;
pub mod step;

pub use plan::{Origin, Plan};
pub use read::{RunbookFile, of, read, read_root};
pub use runbooks::Runbooks;
pub use step::{RunbookStep, STEP_KEYS, When};

#[cfg(test)]
mod tests;
