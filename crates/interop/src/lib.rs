//! Interoperability for `edx-matrix`: importing the Python matrix modules existing installations
//! keep, and exporting a matrix to Tutor, GitHub Actions and shell; the JSON Schema of the file;
//! the JWT signing keys and settings edx-platform uses (`jwk`).
//!
//! ```
//! use edx_matrix_config::{Source, example, load_toml};
//! use edx_matrix_interop::github_actions;
//!
//! let loaded = load_toml(Source::new(example::NAME, example::TEXT));
//! let include = github_actions::include(&loaded.matrix, &edx_matrix_model::Filter::default());
//! assert!(include.include.len() > 100);
//! ```
#![deny(missing_docs)]

pub mod env;
pub mod github_actions;
pub mod jwk;
pub mod python_export;
pub mod python_import;
pub mod python_package;
pub mod schema;
pub mod tutor;
