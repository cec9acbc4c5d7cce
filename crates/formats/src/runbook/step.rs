//! One manual step of a runbook ([`RunbookStep`]), when it is due ([`When`]) and the keys it is written
//! with.

use serde::Serialize;

/// The keys of one runbook step.
pub(crate) const STEP_KEYS: &[&str] = &["text", "command", "when", "stages", "source"];

/// When a step is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum When {
    /// The first time the release is deployed to a stage (the default).
    FirstDeploy,
    /// Every time the release is deployed to a stage.
    EveryDeploy,
}

impl When {
    /// Returns the name used in the file (`first-deploy`).
    pub fn as_str(self) -> &'static str {
        match self {
            When::FirstDeploy => "first-deploy",
            When::EveryDeploy => "every-deploy",
        }
    }

    /// Returns the words used in rendered runbooks (`first deploy`).
    pub fn as_words(self) -> &'static str {
        match self {
            When::FirstDeploy => "first deploy",
            When::EveryDeploy => "every deploy",
        }
    }

    /// Parses `first-deploy` or `every-deploy`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "first-deploy" => Some(When::FirstDeploy),
            "every-deploy" => Some(When::EveryDeploy),
            _ => None,
        }
    }
}

/// One manual step of a runbook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunbookStep {
    /// What to do, for people (may span lines).
    pub text: String,
    /// A command to run, shown as is and never executed by `edx-matrix`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// When it is due.
    pub when: When,
    /// The stages it applies to; empty means every stage.
    pub stages: Vec<String>,
    /// Where the step comes from (release notes, an operators' note).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl RunbookStep {
    /// Returns whether the step is due when deploying to `stage` (any stage when `None`);
    /// first-deploy steps are due only when `first_deploy`.
    pub fn applies(&self, stage: Option<&str>, first_deploy: bool) -> bool {
        let stage_ok = match stage {
            Some(stage) => self.stages.is_empty() || self.stages.iter().any(|s| s == stage),
            None => true,
        };
        stage_ok && (first_deploy || self.when == When::EveryDeploy)
    }
}
