//! The export use cases, one per format: each resolves the project's rows, applies its lock
//! (what is exported builds the locked commits where the lock has them) and hands them to the
//! format's text function in `edx_matrix_formats`. The CLI checks the names it was given,
//! then renders or writes what these return.

use crate::Project;
use edx_matrix_formats::env::NameClash;
use edx_matrix_formats::github_actions::{Include, include_locked};
use edx_matrix_formats::python_export::{Options, Package, locked};
use edx_matrix_formats::tutor::{Refusal, TutorExport};
use edx_matrix_model::{Filter, Row, resolve};

impl Project {
    /// Returns the rows `filter` admits, with the locked commits applied.
    fn locked_rows(&self, filter: &Filter) -> Vec<Row<'_>> {
        let mut rows = resolve(self.matrix(), filter).rows;
        if let Some(lock) = self.lock() {
            lock.lock().apply(&mut rows);
        }
        rows
    }

    /// `export github-actions`: the `include` list of the rows `filter` admits, with their
    /// locked commits.
    pub fn export_github_actions(&self, filter: &Filter) -> Include {
        include_locked(self.matrix(), filter, &self.locked())
    }

    /// `export env`: the `KEY='value'` lines of `deployment`'s `stage` (which runs `release`;
    /// `filter` admits its rows), or the two applications whose variable prefixes clash.
    pub fn export_env(
        &self,
        deployment: &str,
        stage: &str,
        release: &str,
        filter: &Filter,
    ) -> Result<String, NameClash> {
        edx_matrix_formats::env::render(deployment, stage, release, &self.locked_rows(filter))
    }

    /// `export tutor`: the plugin and README of `deployment`'s `stage` (which runs `release`;
    /// `filter` admits its rows), or every value Tutor cannot take.
    pub fn export_tutor(
        &self,
        deployment: &str,
        stage: &str,
        release: &str,
        filter: &Filter,
    ) -> Result<TutorExport, Vec<Refusal>> {
        edx_matrix_formats::tutor::export(
            self.matrix(),
            deployment,
            stage,
            release,
            &self.locked_rows(filter),
        )
    }

    /// `export python`: the drop-in package of the whole matrix, with the locked commits per
    /// entry and the Python names it was imported with; `accessors` adds the accessor
    /// functions.
    pub fn export_python(&self, accessors: bool) -> Package {
        edx_matrix_formats::python_export::export(
            self.matrix(),
            &self.loaded.python,
            &Options {
                accessors,
                commits: locked::of_rows(&self.locked_rows(&Filter::default())),
            },
        )
    }
}
