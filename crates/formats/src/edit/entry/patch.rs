//! What `set` and `include` change in one application: a [`Patch`] of [`Override`]s (keep, set
//! or remove each value).

use crate::edit::EditError;
use edx_matrix_model::AppVersion;

/// A change to one override of an entry: keep it, set it, or remove it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Override<T> {
    /// Leave it.
    #[default]
    Keep,
    /// Override it with this value.
    Set(T),
    /// Remove the override (back to the default).
    Unset,
}

impl<T: Clone> Override<T> {
    pub(super) fn apply(&self, slot: &mut Option<T>) {
        match self {
            Override::Keep => {}
            Override::Set(v) => *slot = Some(v.clone()),
            Override::Unset => *slot = None,
        }
    }

    pub(super) fn is_keep(&self) -> bool {
        matches!(self, Override::Keep)
    }
}

/// The overrides to change on one application of an entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Patch {
    /// `branch`.
    pub branch: Override<String>,
    /// `origin` (a fork).
    pub origin: Override<String>,
    /// `runtime` (Python or Node version).
    pub runtime: Override<String>,
    /// `translations` (shell commands run before an MFE build).
    pub translations: Override<Vec<String>>,
}

impl Patch {
    /// Returns whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.branch.is_keep()
            && self.origin.is_keep()
            && self.runtime.is_keep()
            && self.translations.is_keep()
    }

    /// Checks every value with the model's rules.
    pub fn validate(&self) -> Result<(), EditError> {
        let invalid = |what, value: &str, reason: &str| EditError::InvalidValue {
            what,
            value: value.to_owned(),
            reason: reason.to_owned(),
        };
        if let Override::Set(b) = &self.branch {
            if let Some(reason) = edx_matrix_model::branch_name_problem(b) {
                return Err(invalid("branch", b, reason));
            }
        }
        if let Override::Set(o) = &self.origin {
            if let Some(reason) = edx_matrix_model::url::repository_url_problem(o) {
                return Err(invalid("repository", o, reason));
            }
        }
        if let Override::Set(r) = &self.runtime {
            if !edx_matrix_model::names::is_valid_runtime(r) {
                return Err(invalid(
                    "runtime",
                    r,
                    "use letters, digits and `.`, `-`, `_`, `+` (`3.12`, `24`)",
                ));
            }
        }
        if let Override::Set(ts) = &self.translations {
            for t in ts {
                if t.trim().is_empty() || t.chars().any(char::is_control) {
                    return Err(invalid(
                        "translation command",
                        &t.escape_debug().to_string(),
                        "empty, or contains a newline or control character",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Applies the patch to a model entry.
    pub fn apply(&self, v: &mut AppVersion) {
        let mut branch = v.branch.as_ref().map(|b| b.as_str().to_owned());
        self.branch.apply(&mut branch);
        v.branch = branch.map(Into::into);
        let mut origin = v.origin.as_ref().map(|o| o.as_str().to_owned());
        self.origin.apply(&mut origin);
        v.origin = origin.map(Into::into);
        let mut runtime = v.runtime.as_ref().map(|r| r.as_str().to_owned());
        self.runtime.apply(&mut runtime);
        v.runtime = runtime.map(Into::into);
        self.translations.apply(&mut v.translations);
    }
}
