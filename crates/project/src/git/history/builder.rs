//! Building the timelines and lead times from the revisions, oldest first.

use super::pins::Pins;
use super::{Bound, CommitRef, LeadTime, Timeline, TimelineEvent, Unreadable};
use edx_matrix_model::history::epoch_seconds;
use std::collections::HashMap;

/// Builds timelines from matrices in commit order (oldest first). `matrices` yields, for each
/// commit, the matrix or why it was skipped.
pub(super) struct Builder<'a> {
    pub(super) deployment: Option<&'a str>,
    pub(super) timelines: Vec<Timeline>,
    pub(super) slots: HashMap<(String, String), usize>,
    pub(super) leads: Vec<LeadTime>,
    pub(super) lead_slots: HashMap<(String, String), usize>,
    pub(super) seen_deployments: Vec<String>,
    pub(super) first_stage: Option<String>,
    pub(super) last_stage: Option<String>,
    /// The releases of each readable revision, oldest first.
    pub(super) releases: Vec<Vec<String>>,
    /// The stages of each readable revision, oldest first.
    pub(super) stages: Vec<Vec<String>>,
    /// Whether unreadable revisions come right before the next readable one.
    pub(super) after_gap: bool,
    /// Per lead time: whether its first and its last stage were first seen right after a gap.
    pub(super) lead_gaps: Vec<(bool, bool)>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(deployment: Option<&'a str>) -> Self {
        Builder {
            deployment,
            timelines: Vec::new(),
            slots: HashMap::new(),
            leads: Vec::new(),
            lead_slots: HashMap::new(),
            seen_deployments: Vec::new(),
            first_stage: None,
            last_stage: None,
            releases: Vec::new(),
            stages: Vec::new(),
            after_gap: false,
            lead_gaps: Vec::new(),
        }
    }

    /// A revision that cannot be read: every stage's state becomes unknown from here on.
    pub(super) fn gap(&mut self, commit: &CommitRef, reason: &str, path: &str) {
        self.after_gap = true;
        for timeline in &mut self.timelines {
            if timeline.changes.last().is_some_and(|c| c.release.is_some()) {
                timeline.changes.push(TimelineEvent {
                    release: None,
                    commit: commit.clone(),
                    unreadable: Some(Unreadable {
                        reason: reason.to_owned(),
                        location: path.to_owned(),
                    }),
                });
            }
        }
    }

    pub(super) fn add(&mut self, commit: &CommitRef, pins: &Pins) {
        let first = pins.stages.first().cloned();
        let last = pins.stages.last().cloned();
        if self.releases.last() != Some(&pins.releases) {
            self.releases.push(pins.releases.clone());
        }
        if self.stages.last() != Some(&pins.stages) {
            self.stages.push(pins.stages.clone());
        }
        let mut present = Vec::new();
        for (name, stages) in &pins.deployments {
            let name = name.as_str();
            if !self.seen_deployments.iter().any(|s| s == name) {
                self.seen_deployments.push(name.to_owned());
            }
            if self.deployment.is_some_and(|want| want != name) {
                continue;
            }
            for (stage, release) in stages {
                let key = (name.to_owned(), stage.clone());
                let release = release.clone();
                let slot = *self.slots.entry(key.clone()).or_insert_with(|| {
                    self.timelines.push(Timeline {
                        deployment: key.0.clone(),
                        stage: key.1.clone(),
                        changes: Vec::new(),
                    });
                    self.timelines.len() - 1
                });
                present.push(slot);
                let changes = &mut self.timelines[slot].changes;
                if changes.last().map(|c| c.release.as_deref()) != Some(Some(release.as_str())) {
                    changes.push(TimelineEvent {
                        release: Some(release.clone()),
                        commit: commit.clone(),
                        unreadable: None,
                    });
                }
                let at_first = first.as_ref() == Some(stage);
                let at_last = last.as_ref() == Some(stage);
                if at_first || at_last {
                    let lead_key = (name.to_owned(), release.clone());
                    let slot = *self.lead_slots.entry(lead_key).or_insert_with(|| {
                        self.leads.push(LeadTime {
                            deployment: name.to_owned(),
                            rolling: edx_matrix_model::Release::is_rolling_name(&release),
                            release: release.clone(),
                            first_stage: None,
                            last_stage: None,
                            seconds: None,
                            bound: None,
                            omitted: None,
                        });
                        self.lead_gaps.push((false, false));
                        self.leads.len() - 1
                    });
                    let lead = &mut self.leads[slot];
                    if at_first && lead.first_stage.is_none() {
                        lead.first_stage = Some(commit.clone());
                        self.lead_gaps[slot].0 = self.after_gap;
                    }
                    if at_last && lead.last_stage.is_none() {
                        lead.last_stage = Some(commit.clone());
                        self.lead_gaps[slot].1 = self.after_gap;
                    }
                }
            }
        }
        // Stages that disappeared in this revision.
        for (slot, timeline) in self.timelines.iter_mut().enumerate() {
            let still_there = present.contains(&slot);
            let was_there = timeline.changes.last().is_some_and(|c| c.release.is_some());
            if !still_there && was_there {
                timeline.changes.push(TimelineEvent {
                    release: None,
                    commit: commit.clone(),
                    unreadable: None,
                });
            }
        }
        self.after_gap = false;
        self.first_stage = first;
        self.last_stage = last;
    }

    /// The names of every revision, newest revision's order first.
    pub(super) fn all(names: &[Vec<String>]) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        for names in names.iter().rev() {
            for r in names {
                if !all.contains(r) {
                    all.push(r.clone());
                }
            }
        }
        all
    }

    pub(super) fn finish(
        mut self,
    ) -> (Vec<Timeline>, Vec<LeadTime>, Option<String>, Option<String>) {
        for (lead, (first_gap, last_gap)) in self.leads.iter_mut().zip(&self.lead_gaps) {
            if let (Some(a), Some(b)) = (&lead.first_stage, &lead.last_stage) {
                if let (Some(start), Some(end)) = (epoch_seconds(&a.date), epoch_seconds(&b.date)) {
                    lead.seconds = (end >= start).then_some(end - start);
                }
            }
            if lead.seconds.is_none() {
                continue;
            }
            // A gap right before an end: that stage may have got the release inside it.
            match (first_gap, last_gap) {
                (true, true) => {
                    lead.seconds = None;
                    lead.omitted = Some(
                        "unreadable revisions come right before both stages got the release"
                            .to_owned(),
                    );
                }
                (true, false) => lead.bound = Some(Bound::AtLeast),
                (false, true) => lead.bound = Some(Bound::AtMost),
                (false, false) => {}
            }
        }
        (
            self.timelines,
            self.leads,
            self.first_stage,
            self.last_stage,
        )
    }
}
