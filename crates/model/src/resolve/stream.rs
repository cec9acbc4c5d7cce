//! Resolution as a stream: the rows of one (deployment, stage, release) at a time, in
//! [`Row::sort_key`] order, so `resolve --format json` writes a million rows without holding
//! them. [`resolve`](super::resolve) collects this stream: one rule set.
//!
//! The order is the one a stable sort of every row by its key gives, the rows made in file
//! order (deployments, their pins, each entry's applications). Deployments are visited by name
//! and each name's stage pins by (stage, release), so the (deployment, stage, release) of the
//! groups strictly increase and only one group's rows are sorted, by the rest of the key.
//! Duplicate names (a matrix with errors) keep that order: the deployments of one name are read
//! together, and the pins of one (stage, release) make one group whose rows are those of one pin
//! repeated (the rows depend on the names only), each run of rows of one key once per pin. Rows
//! with equal keys (an entry naming one application twice with the same origin, branch and
//! runtime) keep the entry's order.

use super::{Filter, Index, Row, Unresolved, matches};
use crate::matrix::{AppVersion, Deployment, Matrix, StagePin};

/// The resolved rows of a matrix, produced one (deployment, stage, release) at a time: its
/// memory is that of one release-map entry's rows, whatever the number of rows.
pub(crate) struct RowStream<'m> {
    index: Index<'m>,
    filter: Filter,
    /// The deployments the filter admits, by name (a stable sort: duplicates keep file order).
    deployments: Vec<&'m Deployment>,
    /// The first deployment of the next name.
    next_deployment: usize,
    /// The admitted pins of the current deployment name, by (stage, release).
    pins: Vec<(&'m str, &'m StagePin)>,
    /// The first pin of the next group.
    next_pin: usize,
    /// What the current group could not resolve, handed out `unresolved_left` more times
    /// before its rows.
    unresolved: Option<Unresolved<'m>>,
    unresolved_left: usize,
    /// The current group's rows, in order; the first `handed` are out.
    ready: Vec<Row<'m>>,
    handed: usize,
    /// Scratch for one entry's versions (kept for its allocation).
    versions: Vec<&'m AppVersion>,
}

/// Streams the rows of every (deployment, stage) of `matrix` that passes `filter`, in the order
/// of [`Row::sort_key`]; what cannot be resolved comes first in its (deployment, stage,
/// release).
pub fn resolve_stream<'m>(
    matrix: &'m Matrix,
    filter: &Filter,
) -> impl Iterator<Item = Result<Row<'m>, Unresolved<'m>>> + use<'m> {
    let mut deployments: Vec<&Deployment> = matrix
        .deployments
        .iter()
        .filter(|d| matches(&filter.deployment, d.name.as_str()))
        .collect();
    deployments.sort_by(|a, b| a.name.cmp(&b.name));
    RowStream {
        index: Index::new(matrix),
        filter: filter.clone(),
        deployments,
        next_deployment: 0,
        pins: Vec::new(),
        next_pin: 0,
        unresolved: None,
        unresolved_left: 0,
        ready: Vec::new(),
        handed: 0,
        versions: Vec::new(),
    }
}

impl<'m> Iterator for RowStream<'m> {
    type Item = Result<Row<'m>, Unresolved<'m>>;

    fn next(&mut self) -> Option<Result<Row<'m>, Unresolved<'m>>> {
        loop {
            if let (Some(unresolved), 1..) = (self.unresolved, self.unresolved_left) {
                self.unresolved_left -= 1;
                return Some(Err(unresolved));
            }
            if let Some(row) = self.ready.get(self.handed) {
                self.handed += 1;
                return Some(Ok(*row));
            }
            if !self.fill() {
                return None;
            }
        }
    }
}

impl<'m> RowStream<'m> {
    /// Makes the next (deployment, stage, release) group's items ready; `false` at the end.
    fn fill(&mut self) -> bool {
        self.ready.clear();
        self.handed = 0;
        self.unresolved_left = 0;
        if self.next_pin == self.pins.len() && !self.next_name() {
            return false;
        }
        let (deployment, pin) = self.pins[self.next_pin];
        let same = |(_, p): &(&str, &StagePin)| p.stage == pin.stage && p.release == pin.release;
        let copies = self.pins[self.next_pin..]
            .iter()
            .take_while(|p| same(p))
            .count();
        self.next_pin += copies;
        self.group(deployment, pin.stage.as_str(), pin.release.as_str(), copies);
        true
    }

    /// Reads the pins of the next deployment name that has any the filter admits.
    fn next_name(&mut self) -> bool {
        while let Some(&first) = self.deployments.get(self.next_deployment) {
            let named = self.deployments[self.next_deployment..]
                .iter()
                .take_while(|d| d.name == first.name)
                .count();
            self.pins.clear();
            self.next_pin = 0;
            for &deployment in &self.deployments[self.next_deployment..][..named] {
                let name = deployment.name.as_str();
                self.pins.extend(
                    deployment
                        .stages
                        .iter()
                        .filter(|p| {
                            matches(&self.filter.stage, p.stage.as_str())
                                && matches(&self.filter.release, p.release.as_str())
                        })
                        .map(|p| (name, p)),
                );
            }
            self.next_deployment += named;
            self.pins.sort_by(|(_, a), (_, b)| {
                a.stage
                    .cmp(&b.stage)
                    .then_with(|| a.release.cmp(&b.release))
            });
            if !self.pins.is_empty() {
                return true;
            }
        }
        false
    }

    /// Resolves the entry of (`r`, `d`) for stage `s`, each item `copies` times.
    fn group(&mut self, d: &'m str, s: &'m str, r: &'m str, copies: usize) {
        let unresolved = |reason| Unresolved {
            deployment: d,
            stage: s,
            release: r,
            reason,
        };
        let Some(entry) = self.index.entry(r, d) else {
            self.unresolved = Some(unresolved(
                "no release-map entry for this release and deployment",
            ));
            self.unresolved_left = copies;
            return;
        };
        self.versions.clear();
        self.versions.extend(
            entry
                .apps
                .iter()
                .filter(|v| matches(&self.filter.application, v.application.as_str())),
        );
        self.versions
            .sort_by(|a, b| a.application.cmp(&b.application));
        let mut undefined = 0;
        for version in &self.versions {
            match self.index.resolve_version(version) {
                Some(app) if self.filter.kind.is_none_or(|k| k == app.kind) => {
                    self.ready.push(Row::new(d, s, r, app));
                }
                Some(_) => {}
                None => undefined += 1,
            }
        }
        if undefined > 0 {
            self.unresolved = Some(unresolved(
                "an entry names an undefined application or release",
            ));
            self.unresolved_left = undefined * copies;
        }
        // The rest of `Row::sort_key`: the group shares (deployment, stage, release).
        let key = |row: &Row<'m>| {
            (
                row.application,
                row.kind,
                row.git_origin,
                row.release_branch,
                row.runtime_version.unwrap_or(""),
            )
        };
        // Out of order only when the entry names an application twice (an error).
        if !self.ready.is_sorted_by(|a, b| key(a) <= key(b)) {
            self.ready.sort_by(|a, b| key(a).cmp(&key(b)));
        }
        if copies > 1 {
            // Each pin's copy of the rows is equal: the stable sort of the copies repeats each
            // run of rows of one key once per pin.
            let rows = std::mem::take(&mut self.ready);
            for run in rows.chunk_by(|a, b| key(a) == key(b)) {
                for _ in 0..copies {
                    self.ready.extend_from_slice(run);
                }
            }
        }
    }
}
