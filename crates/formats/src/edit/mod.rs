//! In-place edits of `edx-matrix.toml`: the everyday changes (upgrade, promote, patch one entry,
//! add and retire releases and applications, reformat) as pure functions from the file's text to
//! the edited text.
//!
//! Every edit goes through [`toml_edit::DocumentMut`], so comments, blank lines, key order and
//! quoting outside the edited spot stay byte for byte, and respects the file's sugar: it extends
//! a `[[map]]` block when that is what a careful human would do, and splits one only when a
//! change concerns a single (release, deployment) of a shared block.
//!
//! Each edit also states what it means on the model ([`Matrix`]) and checks that the edited text
//! reads back to exactly that, so a mistake in the text surgery is an error, never a silent
//! change of meaning. The functions do no I/O: the caller reads the file, validates the result
//! with [`crate::load_toml`] and writes it.
//!
//! ```
//! use edx_matrix_formats::edit::{self as edit, upgrade::Upgrade};
//!
//! let text = r#"stages = ["CI", "QA"]
//! [releases]
//! ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }
//! verawood = { branch = "release/verawood", python = "3.12", node = "24" }
//! [applications]
//! forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
//! [deployments]
//! campus = { CI = "ulmo", QA = "ulmo" } # stays on ulmo for now
//! [[map]]
//! releases = ["ulmo"]
//! deployments = ["campus"]
//! [map.apps]
//! forum = { branch = "campus/{release}" }
//! "#;
//! let outcome = edit::upgrade::upgrade(text, &Upgrade::new(["campus"], "CI", "verawood"))
//!     .expect("upgrades");
//! assert!(outcome.text.contains(r#"campus = { CI = "verawood", QA = "ulmo" } # stays on ulmo for now"#));
//! // The block the edit changed is left in `fmt`'s layout: its `=` aligned.
//! assert!(outcome.text.contains(r#"releases    = ["ulmo", "verawood"]"#));
//! ```

#![deny(missing_docs)]

pub mod app;
pub(crate) mod document;
pub mod entry;
pub mod fmt;
pub(crate) mod meaning;
pub mod promote;
#[cfg(test)]
mod properties;
pub mod release;
mod touched;
pub mod upgrade;

use edx_matrix_model::Matrix;
pub use meaning::{difference, normalize, same_meaning};
use serde::Serialize;

/// The result of an edit: the new text and what the user should know about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EditOutcome {
    /// The edited file (equal to the input when nothing had to change).
    pub text: String,
    /// One line saying what the edit did (`set stage `CI` of `campus` to `verawood``).
    pub summary: String,
    /// Things to check by hand (values copied unchanged into a new release, ...).
    pub notes: Vec<String>,
}

/// The text an edit starts from, with its matrix when the caller has already read and checked
/// it (the project loader has: the edit then does not read the text a second time). A bare
/// `&str` converts into a `Base` the edit reads and checks itself.
#[derive(Clone, Copy, Debug)]
pub struct Base<'t> {
    /// The file's text.
    pub text: &'t str,
    /// The matrix `text` reads to, known to have no errors; `None` to have the edit read it.
    pub checked: Option<&'t Matrix>,
}

impl<'t> Base<'t> {
    /// A text whose matrix `matrix` the caller read and found without errors.
    pub fn checked(text: &'t str, matrix: &'t Matrix) -> Self {
        Base {
            text,
            checked: Some(matrix),
        }
    }
}

impl<'t> From<&'t str> for Base<'t> {
    fn from(text: &'t str) -> Self {
        Base {
            text,
            checked: None,
        }
    }
}

impl<'t> From<&'t String> for Base<'t> {
    fn from(text: &'t String) -> Self {
        Base::from(text.as_str())
    }
}

/// A place in the file, for messages that name several (`edx-matrix.toml:12`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    /// 1-based line number.
    pub line: usize,
    /// What is there (`stage `QA` of `campus``).
    pub what: String,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.what)
    }
}

/// Why an edit was not made. Nothing is ever half-applied: an error means no new text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The file is not valid TOML, or its shape is not the one the edit works on.
    #[error("cannot edit the file: {0}")]
    Unreadable(String),
    /// A name on the command line is not defined in the matrix: the model's one check
    /// (`edx_matrix_model::known_names`), the same error as every command's and the API's.
    #[error("{0}")]
    Unknown(edx_matrix_model::UnknownName),
    /// A value on the command line is not valid.
    #[error("invalid {what} `{value}`: {reason}")]
    InvalidValue {
        /// What the value is (`branch`, `repository`, ...).
        what: &'static str,
        /// The value given.
        value: String,
        /// Why it is invalid.
        reason: String,
    },
    /// The edit is refused because of the state of the matrix; `places` say where.
    #[error("{message}")]
    Refused {
        /// What is refused and why.
        message: String,
        /// The places that make it refused (stages using a release, ...).
        places: Vec<Place>,
        /// How to get past the refusal, if there is a way.
        hint: Option<String>,
    },
    /// The edited text does not mean what the edit intended: a bug, reported instead of written.
    #[error("internal error: {0}; nothing was changed (please report this)")]
    Internal(String),
}

impl EditError {
    /// Returns an invalid-value error.
    pub fn invalid(what: &'static str, value: &str, reason: &str) -> Self {
        EditError::InvalidValue {
            what,
            value: value.to_owned(),
            reason: reason.to_owned(),
        }
    }

    /// Checks a new release, application or deployment name (`what` says which).
    pub fn check_name(what: &'static str, name: &str) -> Result<(), Self> {
        if edx_matrix_model::names::is_valid_name(name) {
            Ok(())
        } else {
            // The rule as `check` and the command line state it (`NAME_RULE`, or the length
            // limit).
            let reason = edx_matrix_model::names::InvalidName {
                what,
                value: name.to_owned(),
            }
            .reason();
            Err(EditError::invalid(what, name, &reason))
        }
    }

    /// Returns a refusal with no places and no hint.
    pub fn refused(message: impl Into<String>) -> Self {
        EditError::Refused {
            message: message.into(),
            places: Vec::new(),
            hint: None,
        }
    }
}

/// Gives the tables an edit of `old` changed `fmt`'s layout ([`touched`]), then checks the
/// result as [`outcome`] does.
pub(crate) fn finish(
    old: &str,
    new_text: String,
    expected: &Matrix,
    summary: String,
    notes: Vec<String>,
) -> Result<EditOutcome, EditError> {
    outcome(
        touched::tidy_touched(old, new_text),
        expected,
        summary,
        notes,
    )
}

/// Checks that `new_text` reads back to `expected` (compared by meaning, see
/// [`meaning::same_meaning`]) and builds the outcome.
pub(crate) fn outcome(
    new_text: String,
    expected: &Matrix,
    summary: String,
    notes: Vec<String>,
) -> Result<EditOutcome, EditError> {
    let (got, _, diagnostics) = crate::toml_load::read(&new_text);
    if let Some(d) = diagnostics
        .iter()
        .find(|d| d.code == edx_matrix_model::Code::TomlSyntax)
    {
        return Err(EditError::Internal(format!(
            "the edited text is not valid TOML ({})",
            d.message
        )));
    }
    if let Some(difference) = meaning::difference(&got, expected) {
        return Err(EditError::Internal(format!(
            "the edited file does not mean what was intended: {difference}"
        )));
    }
    Ok(EditOutcome {
        text: new_text,
        summary,
        notes,
    })
}
