//! Argument groups several commands share: where an output goes, and an application kind.

use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Application kinds on the command line.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindArg {
    /// Independently deployable (Django) applications
    Ida,
    /// Micro front-ends
    Mfe,
}

impl From<KindArg> for edx_matrix_model::AppKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Ida => edx_matrix_model::AppKind::Ida,
            KindArg::Mfe => edx_matrix_model::AppKind::Mfe,
        }
    }
}

/// Where an export goes.
#[derive(Args, Debug, Clone)]
pub struct WriteArgs {
    /// Write to this file instead of standard output
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists
    #[arg(long)]
    pub force: bool,
}
