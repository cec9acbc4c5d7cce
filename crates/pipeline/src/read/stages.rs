//! `[pipelines.stages]`: per-stage settings, the approval gates and the tasks a stage runs.

use super::{Reader, Span};
use crate::settings::{Gate, NamedResource, StageSettings};
use edx_matrix_formats::{item_span, key_span};
use edx_matrix_model::Code;
use edx_matrix_model::did_you_mean;
use indexmap::IndexMap;
use toml_edit::Item;

pub(super) const STAGE_KEYS: &[&str] = &["gate", "task"];

pub(super) const GATE_KEYS: &[&str] = &["approval"];

impl Reader<'_> {
    pub(super) fn stages(
        &mut self,
        item: &Item,
        at: &Span,
        resources: &[NamedResource],
    ) -> IndexMap<String, StageSettings> {
        let mut out = IndexMap::new();
        let Some(table) = self.toml.table(item, "`pipelines.stages`", at) else {
            return out;
        };
        for (stage, item) in table.iter() {
            let span = key_span(table, stage, at);
            let what = format!("`pipelines.stages.{stage}`");
            if !self.matrix.stages.iter().any(|s| s == stage) {
                self.undefined(stage, span.clone(), "stage", "`pipelines.stages`");
            }
            let Some(fields) = self.toml.table(item, &what, &span) else {
                continue;
            };
            self.toml.unknown_keys(fields, STAGE_KEYS, &what, &span);
            let mut settings = StageSettings::default();
            if let Some(gate) = fields.get("gate") {
                settings.gate = self.gate(gate, &format!("`gate` of {what}"), &span, resources);
            }
            if let Some(task) = fields.get("task") {
                settings.task = self.task(task, &format!("`task` of {what}"), &span, resources);
            }
            out.insert(stage.to_owned(), settings);
        }
        out
    }

    pub(super) fn gate(
        &mut self,
        item: &Item,
        what: &str,
        at: &Span,
        resources: &[NamedResource],
    ) -> Option<Gate> {
        let span = item_span(item, at);
        if let Some(text) = item.as_str() {
            return match text {
                "automatic" => Some(Gate::Automatic),
                "manual" => Some(Gate::Manual),
                other => {
                    let d = self.toml.push(
                        Code::PipelineInvalid,
                        span,
                        format!("unknown gate `{other}` in {what}"),
                        "expected `automatic`, `manual` or `{ approval = \"RESOURCE\" }`",
                    );
                    if let Some(s) = did_you_mean(other, ["automatic", "manual"]) {
                        d.help.push(format!("did you mean `{s}`?"));
                    }
                    None
                }
            };
        }
        let Some(fields) = item.as_table_like() else {
            self.toml
                .wrong_type(span, "a string or a table", item.type_name(), what);
            return None;
        };
        self.toml.unknown_keys(fields, GATE_KEYS, what, &span);
        let Some(value) = fields.get("approval") else {
            self.toml.missing(span, "approval", what);
            return None;
        };
        let (name, nspan) = self
            .toml
            .string(value, &format!("`approval` of {what}"), &span)?;
        if !resources.iter().any(|r| r.name == name) {
            let d = self.toml.push(
                Code::PipelineUndefined,
                nspan,
                format!("{what} names resource `{name}`, which is not in `pipelines.resources`"),
                "undefined resource",
            );
            if let Some(s) = did_you_mean(&name, resources.iter().map(|r| r.name.as_str())) {
                d.help.push(format!("did you mean `{s}`?"));
            }
            return None;
        }
        Some(Gate::Approval(name))
    }
}
