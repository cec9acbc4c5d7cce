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

pub(crate) mod builtin;
pub(crate) mod due;
pub(crate) mod plan;
pub(crate) mod read;
pub(crate) mod runbooks;
pub(crate) mod step;

#[cfg(test)]
pub(crate) use plan::Origin;
pub(crate) use plan::Plan;
pub(crate) use read::{RunbookFile, read_root};
#[cfg(test)]
pub(crate) use read::{of, read};
pub(crate) use runbooks::Runbooks;
pub(crate) use step::{RunbookStep, When};

#[cfg(test)]
mod tests;
