//! The starter `edx-matrix.toml` `edx-matrix init` writes: the standard Open edX catalogue
//! (`catalogue::starter_file`), the built-in runbook steps of its releases, and a commented
//! `[operations]` example.

use crate::catalogue;
use crate::runbook::builtin;

/// The releases of the starter file, which get the built-in runbook steps.
pub(crate) const RELEASES: &[&str] = &["verawood", "master"];

const RUNBOOKS_HEAD: &str = r#"
# Upgrade runbooks: the manual steps a release needs when it is deployed to a stage, printed by
# `edx-matrix runbook RELEASE [--stage S]`. `command` is shown, never run; `when` is
# "first-deploy" (the default) or "every-deploy"; `stages` limits a step to some stages.
# A step of your own (uncommented, it joins verawood's runbook):
#
# [[runbooks.verawood]]
# text    = "Watch the LMS logs for errors after the deploy"
# command = "edx-matrix logs mysite Production"
# when    = "every-deploy"
# stages  = ["Production"]

# These steps come from edx-matrix's built-in knowledge of upstream releases (docs/runbooks.md):
"#;

const OPERATIONS_EXAMPLE: &str = r#"
# Operator tools: `edx-matrix logs DEPLOYMENT STAGE` prints a Grafana Explore link when the
# Grafana base URL is known (and uses this Loki data source uid).
#
# [operations]
# grafana_url     = "https://grafana.example.org"
# loki_datasource = "loki"
"#;

/// Returns the starter file: the catalogue starter, then the built-in runbooks of its
/// releases, then a commented `[operations]` example.
pub fn text() -> String {
    format!(
        "{}{RUNBOOKS_HEAD}{}{OPERATIONS_EXAMPLE}",
        catalogue::starter_file(),
        builtin::section(RELEASES)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Source, load_toml};

    #[test]
    fn the_starter_checks_clean_with_the_runbooks_of_its_releases() {
        let text = text();
        let loaded = load_toml(Source::new("edx-matrix.toml", text.clone()));
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        for release in RELEASES {
            assert!(
                loaded.matrix.release(release).is_some(),
                "the starter has no release `{release}`"
            );
            assert!(
                text.contains(&format!("[[runbooks.{release}]]\n")),
                "no runbook for `{release}`"
            );
        }
        assert!(text.contains("\n# [operations]\n"));
    }
}
