//! `[pipelines.meta]`: the meta pipeline that sets every other pipeline.

use super::tasks::relative_path_problem;
use super::{Reader, Span};
use crate::identifier;
use crate::settings::MetaSettings;
use edx_matrix_formats::item_span;
use edx_matrix_model::Code;
use toml_edit::Item;

pub(super) const META_KEYS: &[&str] = &["name", "uri", "branch", "file", "paths", "image", "tag"];

impl Reader<'_> {
    pub(super) fn meta(&mut self, item: &Item, at: &Span) -> MetaSettings {
        let mut meta = MetaSettings::default();
        let what = "`pipelines.meta`";
        let Some(fields) = self.toml.table(item, what, at) else {
            return meta;
        };
        let span = item_span(item, at);
        let span = if span.is_empty() { at.clone() } else { span };
        self.toml.unknown_keys(fields, META_KEYS, what, &span);
        let get = |key: &str, r: &mut Self| {
            fields
                .get(key)
                .and_then(|v| r.toml.string(v, &format!("`{key}` of {what}"), &span))
        };
        if let Some((name, nspan)) = get("name", self) {
            self.pipeline_identifier(&name, nspan, "the meta pipeline name");
            meta.name = name;
        }
        if let Some((uri, uspan)) = get("uri", self) {
            if !identifier::has_var(&uri) {
                if let Some(why) = edx_matrix_model::url::repository_url_problem(&uri) {
                    self.toml.push(
                        Code::PipelineInvalid,
                        uspan,
                        format!("`uri` of {what} is not a repository URL: {why}"),
                        "invalid repository",
                    );
                }
            }
            meta.uri = uri;
        }
        if let Some((branch, bspan)) = get("branch", self) {
            if let Some(why) = edx_matrix_model::branch_name_problem(&branch) {
                self.toml.push(
                    Code::PipelineInvalid,
                    bspan,
                    format!("`branch` of {what} is not a valid branch name: {why}"),
                    "invalid branch",
                );
            }
            meta.branch = branch;
        }
        if let Some((file, fspan)) = get("file", self) {
            if let Some(why) = relative_path_problem(&file) {
                self.toml.push(
                    Code::PipelineInvalid,
                    fspan,
                    format!("`file` of {what} must be a relative path in the repository: {why}"),
                    "invalid path",
                );
            }
            meta.file = file;
        }
        if let Some(item) = fields.get("paths") {
            if let Some(paths) = self
                .toml
                .string_array(item, &format!("`paths` of {what}"), &span)
            {
                meta.paths = paths.into_iter().map(|(p, _)| p).collect();
            }
        }
        if let Some((image, _)) = get("image", self) {
            meta.image = image;
        }
        if let Some((tag, tspan)) = get("tag", self) {
            if tag.is_empty() || tag == "latest" {
                self.toml.push(
                    Code::PipelineInvalid,
                    tspan,
                    format!("`tag` of {what} must pin a version of the edx-matrix image"),
                    "not a pinned version",
                );
            }
            meta.tag = tag;
        }
        meta
    }
}
