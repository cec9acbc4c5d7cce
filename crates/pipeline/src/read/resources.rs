//! `[pipelines.resources]`, `[pipelines.resource_types]` and `[pipelines.families]`: the
//! named Concourse resources and the component families pipelines are grouped by.

use super::{Reader, Span};
use crate::settings::{FamilySetting, NamedResource};
use edx_matrix_formats::Location;
use edx_matrix_formats::{item_span, key_span};
use edx_matrix_model::Code;
use serde_json::Map;
use std::collections::HashMap;
use toml_edit::Item;

pub(super) const RESOURCE_KEYS: &[&str] = &["type", "source", "icon"];

impl Reader<'_> {
    pub(super) fn resources(&mut self, item: &Item, key: &str, at: &Span) -> Vec<NamedResource> {
        let what = format!("`pipelines.{key}`");
        let Some(table) = self.toml.table(item, &what, at) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, item) in table.iter() {
            let span = key_span(table, name, at);
            let what = format!("`pipelines.{key}.{name}`");
            self.identifier(
                name,
                span.clone(),
                &format!("{} name", &key[..key.len() - 1]),
            );
            let Some(fields) = self.toml.table(item, &what, &span) else {
                continue;
            };
            let allowed = if key == "resources" {
                RESOURCE_KEYS
            } else {
                &RESOURCE_KEYS[..2]
            };
            self.toml.unknown_keys(fields, allowed, &what, &span);
            let kind = match fields.get("type") {
                Some(v) => self
                    .toml
                    .string(v, &format!("`type` of {what}"), &span)
                    .map(|s| s.0),
                None => {
                    self.toml.missing(span.clone(), "type", &what);
                    None
                }
            };
            let source = match fields.get("source") {
                Some(v) => self.object(v, &format!("`source` of {what}"), &span, false),
                None => {
                    self.toml.missing(span.clone(), "source", &what);
                    Map::new()
                }
            };
            let icon = fields
                .get("icon")
                .and_then(|v| self.toml.string(v, &format!("`icon` of {what}"), &span))
                .map(|s| s.0);
            out.push(NamedResource {
                name: name.to_owned(),
                kind: kind.unwrap_or_default(),
                source,
                icon,
            });
        }
        out
    }

    pub(super) fn families(&mut self, item: &Item, at: &Span) -> Vec<FamilySetting> {
        let what = "`pipelines.families`";
        let Some(table) = self.toml.table(item, what, at) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut member_of: HashMap<String, (String, Span)> = HashMap::new();
        for (name, item) in table.iter() {
            let span = key_span(table, name, at);
            self.pipeline_identifier(name, span.clone(), "the family name");
            let what = format!("family `{name}`");
            let Some(apps) =
                self.toml
                    .string_array(item, &format!("the applications of {what}"), &span)
            else {
                continue;
            };
            if apps.is_empty() {
                self.toml.push(
                    Code::PipelineInvalid,
                    item_span(item, &span),
                    format!("{what} has no applications"),
                    "empty",
                );
            }
            let mut applications = Vec::new();
            for (app, app_span) in apps {
                if self.matrix.application(&app).is_none() {
                    self.undefined(&app, app_span.clone(), "application", &what);
                } else if let Some((other, first)) = member_of.get(&app).cloned() {
                    let d = self.toml.push(
                        Code::PipelineDuplicate,
                        app_span.clone(),
                        format!("application `{app}` is in family `{other}` and in {what}"),
                        "second time here",
                    );
                    d.secondary.push(edx_matrix_formats::Secondary {
                        location: Location::Span(first),
                        label: "first here".to_owned(),
                    });
                    continue;
                }
                member_of.insert(app.clone(), (name.to_owned(), app_span));
                applications.push(app);
            }
            out.push(FamilySetting {
                name: name.to_owned(),
                applications,
            });
        }
        out
    }
}
