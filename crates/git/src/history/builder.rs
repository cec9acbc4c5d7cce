//! Building the timelines and lead times from the revisions, oldest first.

use super::dates::epoch_seconds;
use super::pins::Pins;
use super::{CommitRef, LeadTime, Timeline, TimelineEvent};
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
                    });
                }
                let at_first = first.as_ref() == Some(stage);
                let at_last = last.as_ref() == Some(stage);
                if at_first || at_last {
                    let lead_key = (name.to_owned(), release.clone());
                    let slot = *self.lead_slots.entry(lead_key).or_insert_with(|| {
                        self.leads.push(LeadTime {
                            deployment: name.to_owned(),
                            release: release.clone(),
                            first_stage: None,
                            last_stage: None,
                            seconds: None,
                        });
                        self.leads.len() - 1
                    });
                    let lead = &mut self.leads[slot];
                    if at_first && lead.first_stage.is_none() {
                        lead.first_stage = Some(commit.clone());
                    }
                    if at_last && lead.last_stage.is_none() {
                        lead.last_stage = Some(commit.clone());
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
                });
            }
        }
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
        for lead in &mut self.leads {
            if let (Some(a), Some(b)) = (&lead.first_stage, &lead.last_stage) {
                if let (Some(start), Some(end)) = (epoch_seconds(&a.date), epoch_seconds(&b.date)) {
                    lead.seconds = (end >= start).then_some(end - start);
                }
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
