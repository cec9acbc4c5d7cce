//! A [`Plan`]: the steps due for one deployment of a release, where they come from
//! ([`Origin`]), rendered as text or as a Markdown checklist (and JSON, through `Serialize`).

use super::step::RunbookStep;
use serde::Serialize;

/// Where the steps of a plan come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The `[runbooks]` section of the matrix file.
    Matrix,
    /// The built-in knowledge of upstream releases (`builtin`): the matrix has no runbook for
    /// the release.
    BuiltIn,
}

/// The steps due for one deployment of a release, ready to render.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The release.
    pub release: String,
    /// The stage, or `None` for every stage.
    pub stage: Option<String>,
    /// Whether first-deploy steps are included.
    pub first_deploy: bool,
    /// Where the steps come from.
    pub origin: Origin,
    /// The steps, in runbook order.
    pub steps: Vec<RunbookStep>,
}

impl Plan {
    fn title(&self) -> String {
        let mut title = format!("runbook for release `{}`", self.release);
        if let Some(stage) = &self.stage {
            title.push_str(&format!(", stage `{stage}`"));
        }
        if !self.first_deploy {
            title.push_str(" (not a first deploy)");
        }
        title
    }

    fn tags(step: &RunbookStep, with_stages: bool) -> String {
        let mut tags = step.when.as_words().to_owned();
        if with_stages && !step.stages.is_empty() {
            tags.push_str("; ");
            tags.push_str(&step.stages.join(", "));
        }
        tags
    }

    /// Renders the plan for a terminal: a title line, then numbered steps with their command
    /// indented under them. Ends with a newline.
    pub fn to_text(&self) -> String {
        let mut out = self.title();
        if self.origin == Origin::BuiltIn {
            out.push_str(" (built-in steps: the matrix has no runbook for it)");
        }
        out.push('\n');
        out.push_str(&self.steps_to_text());
        out
    }

    /// Renders only the numbered steps of [`to_text`](Self::to_text) (`  no steps` when there
    /// are none), for a caller that writes its own heading. Ends with a newline.
    pub fn steps_to_text(&self) -> String {
        if self.steps.is_empty() {
            return "  no steps\n".to_owned();
        }
        let mut out = String::new();
        let with_stages = self.stage.is_none();
        for (i, step) in self.steps.iter().enumerate() {
            let number = format!("{}. ", i + 1);
            let pad = " ".repeat(number.len() + 2);
            let mut lines = step.text.lines();
            out.push_str(&format!(
                "  {number}[{}] {}\n",
                Self::tags(step, with_stages),
                lines.next().unwrap_or("")
            ));
            for line in lines {
                out.push_str(&format!("{pad}{line}\n"));
            }
            if let Some(command) = &step.command {
                out.push_str(&format!("{pad}$ {command}\n"));
            }
            if let Some(source) = &step.source {
                out.push_str(&format!("{pad}source: {source}\n"));
            }
        }
        out
    }

    /// Renders the plan as a Markdown checklist, for a ticket. Ends with a newline.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("### {}\n\n", capitalise(&self.title()));
        if self.origin == Origin::BuiltIn {
            out.push_str("_Built-in steps: the matrix has no runbook for this release._\n\n");
        }
        if self.steps.is_empty() {
            out.push_str("No steps.\n");
            return out;
        }
        let with_stages = self.stage.is_none();
        for step in &self.steps {
            let mut lines = step.text.lines();
            out.push_str(&format!(
                "- [ ] {} _({})_\n",
                lines.next().unwrap_or(""),
                Self::tags(step, with_stages)
            ));
            for line in lines {
                out.push_str(&format!("  {line}\n"));
            }
            if let Some(command) = &step.command {
                let fence = "`".repeat(longest_backtick_run(command).max(2) + 1);
                out.push_str(&format!("\n  {fence}sh\n  {command}\n  {fence}\n\n"));
            }
            if let Some(source) = &step.source {
                if source.starts_with("https://") || source.starts_with("http://") {
                    out.push_str(&format!("  Source: <{source}>\n"));
                } else {
                    out.push_str(&format!("  Source: {source}\n"));
                }
            }
        }
        out
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}
