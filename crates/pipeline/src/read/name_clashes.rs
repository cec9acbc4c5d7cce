//! Name clashes across `[pipelines]`: two resources, jobs or pipelines that would get the same
//! Concourse name.

use super::{Reader, Span};
use crate::identifier;
use crate::settings::Settings;
use edx_matrix_formats::key_span;
use edx_matrix_model::Code;
use toml_edit::TableLike;

impl Reader<'_> {
    /// Reports a family or the meta pipeline named like another pipeline.
    pub(super) fn name_clashes(&mut self, settings: &Settings, table: &dyn TableLike, at: &Span) {
        let grouped: Vec<&str> = settings
            .families
            .iter()
            .flat_map(|f| f.applications.iter().map(String::as_str))
            .collect();
        let mut names: Vec<String> = settings.families.iter().map(|f| f.name.clone()).collect();
        for app in &self.matrix.applications {
            if !grouped.contains(&app.name.as_str()) {
                let name = identifier::part(app.name.as_str());
                if let Some(why) = identifier::pipeline_problem(&name) {
                    self.toml
                        .push(
                            Code::PipelineInvalid,
                            at.clone(),
                            format!(
                                "application `{}` would get the pipeline `{name}`: {why}",
                                app.name
                            ),
                            "the pipelines of this section",
                        )
                        .help
                        .push(format!(
                            "rename the application, or put `{}` in a family",
                            app.name
                        ));
                }
                names.push(name);
            }
        }
        let families_span = table.get("families").and_then(|i| i.as_table_like());
        for family in &settings.families {
            if self.matrix.applications.iter().any(|a| {
                !grouped.contains(&a.name.as_str())
                    && identifier::part(a.name.as_str()) == family.name
            }) {
                let span = families_span.map_or(at.clone(), |t| key_span(t, &family.name, at));
                self.toml.push(
                    Code::PipelineDuplicate,
                    span,
                    format!(
                        "family `{}` has the name of application `{}`, which has its own pipeline",
                        family.name, family.name
                    ),
                    "pipeline name used twice",
                )
                .help
                .push(format!(
                    "add `{}` to the family, or rename the family",
                    family.name
                ));
            }
        }
        if names.contains(&settings.meta.name) {
            let span = table
                .get("meta")
                .and_then(|m| m.as_table_like())
                .and_then(|m| m.key("name").and_then(|k| k.span()))
                .unwrap_or_else(|| at.clone());
            self.toml.push(
                Code::PipelineDuplicate,
                span,
                format!(
                    "the meta pipeline is called `{}`, like a component pipeline",
                    settings.meta.name
                ),
                "pipeline name used twice",
            );
        }
    }
}
