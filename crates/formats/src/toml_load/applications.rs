//! Reading `[applications]`, the catalogue.

use super::source_map::AppSpans;
use super::tree::Table;
use super::{Reader, section};
use edx_matrix_model::AppField;
use edx_matrix_model::{AppKind, Application, Code, Matrix, Subject};

/// The keys of an application of the catalogue.
pub(crate) const APPLICATION_KEYS: &[&str] = &["kind", "repository", "path"];

pub(super) fn read_applications(reader: &mut Reader, root: &Table<'_>, matrix: &mut Matrix) {
    let Some(table) = section(
        reader,
        root,
        "applications",
        "the matrix file (the application catalogue)",
    ) else {
        return;
    };
    for entry in table.entries() {
        let (name, item) = (entry.key.as_ref(), &entry.node);
        let index = matrix.applications.len();
        let name_span = entry
            .key_span
            .clone()
            .unwrap_or_else(|| reader.toml.fallback());
        let what = || format!("application `{name}`");
        let mut spans = AppSpans {
            name: name_span.clone(),
            ..Default::default()
        };
        let mut app = Application {
            name: name.into(),
            kind: AppKind::Ida,
            repository: None,
            path: None,
        };
        let mut kind_known = false;
        if let Some(fields) = reader.toml.node_table(item, &what, &name_span) {
            reader
                .toml
                .node_unknown_keys(fields, APPLICATION_KEYS, &what, &name_span);
            match fields.get("kind") {
                Some(value) => {
                    if let Some((text, span)) = reader.toml.node_string(
                        value,
                        &|| format!("`kind` of {}", what()),
                        &name_span,
                    ) {
                        match AppKind::parse(&text) {
                            Some(kind) => {
                                app.kind = kind;
                                kind_known = true;
                            }
                            None => {
                                reader.toml.push(
                                    Code::WrongType,
                                    span.clone(),
                                    format!("invalid kind `{text}` for {}", what()),
                                    "expected `ida` or `mfe`",
                                );
                            }
                        }
                        spans.kind = Some(span);
                    }
                }
                None => reader.toml.missing(
                    name_span.clone(),
                    "kind",
                    &format!("{} (`ida` or `mfe`)", what()),
                ),
            }
            if let Some(value) = fields.get("repository") {
                match reader.toml.node_string(
                    value,
                    &|| format!("`repository` of {}", what()),
                    &name_span,
                ) {
                    Some((text, span)) => {
                        app.repository = Some(text.into());
                        spans.repository = Some(span);
                    }
                    None => {
                        reader.map.poisoned.insert(Subject::Application {
                            index,
                            field: Some(AppField::Repository),
                        });
                    }
                }
            }
            if let Some(value) = fields.get("path") {
                if let Some((text, span)) =
                    reader
                        .toml
                        .node_string(value, &|| format!("`path` of {}", what()), &name_span)
                {
                    app.path = Some(text.into());
                    spans.path = Some(span);
                }
            }
        }
        if !kind_known {
            // Without a kind, kind-dependent checks would only add noise.
            reader
                .map
                .poisoned
                .insert(Subject::Application { index, field: None });
            reader.map.poisoned.insert(Subject::Application {
                index,
                field: Some(AppField::Path),
            });
        }
        matrix.applications.push(app);
        reader.map.applications.push(spans);
    }
}
