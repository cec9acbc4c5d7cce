//! The [`TomlSourceMap`]: where every part of the matrix was written (the spans of releases,
//! applications, deployments and `[[map]]` blocks), to place model problems in the file.

use super::Span;
use edx_matrix_model::{AppField, EntryField, ReleaseField};
use edx_matrix_model::{Code, Matrix, Subject};
use std::collections::HashSet;

/// Where the values of a release came from.
#[derive(Clone, Debug, Default)]
pub(super) struct ReleaseSpans {
    pub(super) name: Span,
    pub(super) branch: Option<Span>,
    pub(super) python: Option<Span>,
    pub(super) node: Option<Span>,
}

#[derive(Clone, Debug, Default)]
pub(super) struct AppSpans {
    pub(super) name: Span,
    pub(super) kind: Option<Span>,
    pub(super) repository: Option<Span>,
    pub(super) path: Option<Span>,
}

#[derive(Clone, Debug, Default)]
pub(super) struct DeploymentSpans {
    pub(super) name: Span,
    /// (stage key, release value) per stage.
    pub(super) stages: Vec<(Span, Span)>,
}

/// Where an application of a `[[map]]` block was written: its key, and the spans of the values
/// written beside it, boxed because most applications are written `{}` (24 bytes each instead
/// of 136: a million-entry file has a million of these).
#[derive(Clone, Debug, Default)]
pub(super) struct AppVersionSpans {
    pub(super) key: Span,
    pub(super) values: Option<Box<AppValueSpans>>,
}

/// The spans of an application's values in a `[[map]]` block.
#[derive(Clone, Debug, Default)]
pub(super) struct AppValueSpans {
    pub(super) release: Option<Span>,
    pub(super) branch: Option<Span>,
    pub(super) origin: Option<Span>,
    pub(super) runtime: Option<Span>,
    pub(super) translations: Vec<Span>,
    pub(super) extra: Vec<Span>,
}

impl AppVersionSpans {
    /// The value spans, created when the first value is read.
    pub(super) fn values_mut(&mut self) -> &mut AppValueSpans {
        self.values.get_or_insert_with(Box::default)
    }
}

#[derive(Clone, Debug, Default)]
pub(super) struct BlockSpans {
    pub(super) header: Span,
    pub(super) releases: Vec<Span>,
    pub(super) deployments: Vec<Span>,
    pub(super) apps: Vec<AppVersionSpans>,
    pub(super) pairs: usize,
}

/// Which block (and which of its release and deployment names) produced an entry.
#[derive(Clone, Copy, Debug)]
pub(super) struct EntryOrigin {
    pub(super) block: usize,
    pub(super) release: usize,
    pub(super) deployment: usize,
}

/// Remembers where every part of the matrix was written, to place model problems.
#[derive(Clone, Debug, Default)]
pub struct TomlSourceMap {
    pub(super) stages: Vec<Span>,
    pub(super) releases: Vec<ReleaseSpans>,
    pub(super) applications: Vec<AppSpans>,
    pub(super) deployments: Vec<DeploymentSpans>,
    pub(super) blocks: Vec<BlockSpans>,
    /// The blocks that contributed to each entry, first one first.
    pub(super) entry_origins: Vec<Vec<EntryOrigin>>,
    /// For each entry, for each app: (block, app index in block).
    pub(super) entry_apps: Vec<Vec<(u32, u32)>>,
    /// Subjects whose value was already reported as a format problem.
    pub(super) poisoned: HashSet<Subject>,
    /// The `[lints]` lines: code, level, span of the code, span of the level.
    pub(crate) lints: Vec<(String, String, Span, Span)>,
}

impl TomlSourceMap {
    /// Returns whether a model problem about `subject` repeats a format problem already shown.
    pub fn is_poisoned(&self, subject: &Subject) -> bool {
        self.poisoned.contains(subject)
    }

    /// Returns the span a problem with `code` about `subject` should point at, and a note on
    /// which expanded entry it concerns when its block covers several.
    pub fn locate(
        &self,
        matrix: &Matrix,
        subject: Subject,
        code: Code,
    ) -> (Option<Span>, Option<String>) {
        match subject {
            Subject::Matrix => (None, None),
            Subject::StageOrder { index } => (self.stages.get(index).cloned(), None),
            Subject::Release { index, field } => {
                let Some(spans) = self.releases.get(index) else {
                    return (None, None);
                };
                let span = match field {
                    None => Some(spans.name.clone()),
                    Some(ReleaseField::Branch) => spans.branch.clone(),
                    Some(ReleaseField::Python) => spans.python.clone(),
                    Some(ReleaseField::Node) => spans.node.clone(),
                };
                (span.or(Some(spans.name.clone())), None)
            }
            Subject::Application { index, field } => {
                let Some(spans) = self.applications.get(index) else {
                    return (None, None);
                };
                let span = match field {
                    None => Some(spans.name.clone()),
                    Some(AppField::Kind) => spans.kind.clone(),
                    Some(AppField::Repository) => spans.repository.clone(),
                    Some(AppField::Path) => spans.path.clone(),
                };
                (span.or(Some(spans.name.clone())), None)
            }
            Subject::Deployment { index } => {
                (self.deployments.get(index).map(|d| d.name.clone()), None)
            }
            Subject::Stage {
                deployment,
                index,
                release,
            } => {
                let spans = self
                    .deployments
                    .get(deployment)
                    .and_then(|d| d.stages.get(index));
                (
                    spans.map(|(key, value)| if release { value.clone() } else { key.clone() }),
                    None,
                )
            }
            Subject::Entry { index } => {
                let Some(origin) = self.entry_origins.get(index).and_then(|o| o.first()) else {
                    return (None, None);
                };
                let Some(block) = self.blocks.get(origin.block) else {
                    return (None, None);
                };
                let span = if code == Code::UndefinedDeployment {
                    block.deployments.get(origin.deployment)
                } else {
                    block.releases.get(origin.release)
                };
                (
                    span.cloned().or(Some(block.header.clone())),
                    self.entry_note(matrix, index, block),
                )
            }
            Subject::EntryApp { entry, app, field } => {
                let Some(&(b, k)) = self.entry_apps.get(entry).and_then(|a| a.get(app)) else {
                    return (None, None);
                };
                let Some(block) = self.blocks.get(b as usize) else {
                    return (None, None);
                };
                let Some(spans) = block.apps.get(k as usize) else {
                    return (None, None);
                };
                let values = spans.values.as_deref();
                let value =
                    |get: fn(&AppValueSpans) -> Option<&Span>| values.and_then(get).cloned();
                let span = match field {
                    None => None,
                    Some(EntryField::Release) => value(|v| v.release.as_ref()).or_else(|| {
                        let origin = self
                            .entry_origins
                            .get(entry)?
                            .iter()
                            .find(|o| o.block == b as usize)?;
                        block.releases.get(origin.release).cloned()
                    }),
                    Some(EntryField::Branch) => value(|v| v.branch.as_ref()),
                    Some(EntryField::Origin) => value(|v| v.origin.as_ref()),
                    Some(EntryField::Runtime) => value(|v| v.runtime.as_ref()),
                    Some(EntryField::Translation(i)) => {
                        values.and_then(|v| v.translations.get(i)).cloned()
                    }
                    Some(EntryField::Extra(i)) => values.and_then(|v| v.extra.get(i)).cloned(),
                };
                (
                    span.or(Some(spans.key.clone())),
                    self.entry_note(matrix, entry, block),
                )
            }
        }
    }

    fn entry_note(&self, matrix: &Matrix, entry: usize, block: &BlockSpans) -> Option<String> {
        let e = matrix.release_map.get(entry)?;
        (block.pairs > 1).then(|| {
            format!(
                "in the entry for release `{}` and deployment `{}`, expanded from this block",
                e.release, e.deployment
            )
        })
    }
}
