//! The environment label of a (deployment, stage): `<deployment>-<stage in lower case>`, as
//! the Tutor exports, the GitHub Actions matrix, the Concourse deploy jobs, `resolve` and the
//! LogQL queries of `edx-matrix logs` all name it.

/// Returns the environment label of `stage` of `deployment` (`campus-production`).
///
/// ```
/// assert_eq!(edx_matrix_model::label("campus", "Production"), "campus-production");
/// ```
pub fn label(deployment: &str, stage: &str) -> String {
    format!("{deployment}-{}", stage.to_lowercase())
}
