//! Which Tutor major version runs which Open edX release.
//!
//! Each Tutor major targets one named release: its `OPENEDX_COMMON_VERSION` default is that
//! release's tag, and Overhang's plugins of the same major say "Upgrade to RELEASE" in their
//! changelogs. Tutor's `main` branch (the "nightly", `__version_suffix__ = "main"`) sets
//! `OPENEDX_COMMON_VERSION` to `master`; a rolling release maps to it.

use edx_matrix_model::Release;

/// (Tutor major, Open edX release), oldest first. Verified: 22 ↔ verawood from the installed
/// Tutor 22.0.3 (`OPENEDX_COMMON_VERSION: "release/verawood.1"`); 18–21 from the changelogs of
/// Tutor's plugins ("Upgrade to Redwood/Sumac/Teak/Ulmo" in their v18/v19/v20/v21.0.0 entries).
pub(crate) const TUTOR_RELEASES: &[(u32, &str)] = &[
    (18, "redwood"),
    (19, "sumac"),
    (20, "teak"),
    (21, "ulmo"),
    (22, "verawood"),
];

/// The Python version Tutor 22.0.3's `openedx` image builds (`ARG PYTHON_VERSION=3.12.13` in
/// `build/openedx/Dockerfile`).
pub(crate) const TUTOR_22_PYTHON: &str = "3.12.13";

/// The Tutor a release needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TutorTarget {
    /// A Tutor major version (`22` for verawood).
    Major(u32),
    /// Tutor's `main` branch (nightly): for the rolling `master` line.
    Nightly,
    /// A release the table does not know.
    Unknown,
}

/// The Open edX release name a release stands for: its name, else the name in its branch
/// (`release/teak`, `open-release/teak.2` → `teak`).
fn openedx_name(release: &Release) -> String {
    let name = release.name.as_str().to_ascii_lowercase();
    if TUTOR_RELEASES.iter().any(|(_, r)| *r == name) {
        return name;
    }
    let branch = release.branch.as_str();
    let last = branch.rsplit('/').next().unwrap_or(branch);
    last.split('.').next().unwrap_or(last).to_ascii_lowercase()
}

/// Returns the Tutor a release needs.
pub fn target(release: &Release) -> TutorTarget {
    if release.rolling {
        return TutorTarget::Nightly;
    }
    let name = openedx_name(release);
    TUTOR_RELEASES
        .iter()
        .find(|(_, r)| *r == name)
        .map_or(TutorTarget::Unknown, |(major, _)| {
            TutorTarget::Major(*major)
        })
}

/// The Open edX release of a Tutor major, if the table has it.
pub(crate) fn release_of(major: u32) -> Option<&'static str> {
    TUTOR_RELEASES
        .iter()
        .find(|(m, _)| *m == major)
        .map(|(_, r)| *r)
}
