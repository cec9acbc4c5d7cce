//! Reading `[releases]`.

use super::source_map::ReleaseSpans;
use super::tree::Table;
use super::{Reader, section};
use edx_matrix_model::ReleaseField;
use edx_matrix_model::{Matrix, Release, Subject};

/// The keys of a release.
pub(crate) const RELEASE_KEYS: &[&str] = &["branch", "python", "node", "rolling"];

pub(super) fn read_releases(reader: &mut Reader, root: &Table<'_>, matrix: &mut Matrix) {
    let Some(table) = section(
        reader,
        root,
        "releases",
        "the matrix file (the supported releases)",
    ) else {
        return;
    };
    for entry in table.entries() {
        let (name, item) = (entry.key.as_ref(), &entry.node);
        let index = matrix.releases.len();
        let name_span = entry
            .key_span
            .clone()
            .unwrap_or_else(|| reader.toml.fallback());
        // Words built only for a problem (issue 23: 16 formats in a clean read of 4 releases).
        let what = || format!("release `{name}`");
        let mut spans = ReleaseSpans {
            name: name_span.clone(),
            ..Default::default()
        };
        let mut release = Release {
            name: name.into(),
            branch: "".into(),
            python: None,
            node: None,
            rolling: Release::is_rolling_name(name),
        };
        let poison = |reader: &mut Reader, field| {
            reader.map.poisoned.insert(Subject::Release {
                index,
                field: Some(field),
            });
        };
        if let Some(fields) = reader.toml.node_table(item, &what, &name_span) {
            reader
                .toml
                .node_unknown_keys(fields, RELEASE_KEYS, &what, &name_span);
            for (key, field, slot) in [
                ("branch", ReleaseField::Branch, 0),
                ("python", ReleaseField::Python, 1),
                ("node", ReleaseField::Node, 2),
            ] {
                match fields.get(key) {
                    Some(value) => {
                        match reader.toml.node_string(
                            value,
                            &|| format!("`{key}` of {}", what()),
                            &name_span,
                        ) {
                            Some((text, span)) => match slot {
                                0 => {
                                    release.branch = text.into();
                                    spans.branch = Some(span);
                                }
                                1 => {
                                    release.python = Some(text.into());
                                    spans.python = Some(span);
                                }
                                _ => {
                                    release.node = Some(text.into());
                                    spans.node = Some(span);
                                }
                            },
                            None => poison(reader, field),
                        }
                    }
                    // A release may record no runtime (issue 16); only the branch is required.
                    None if slot != 0 => {}
                    None => {
                        reader.toml.missing(name_span.clone(), key, &what);
                        poison(reader, field);
                    }
                }
            }
            if let Some(value) = fields.get("rolling") {
                if let Some(b) = reader.toml.node_boolean(
                    value,
                    &|| format!("`rolling` of {}", what()),
                    &name_span,
                ) {
                    release.rolling = b;
                }
            }
        } else {
            for field in [
                ReleaseField::Branch,
                ReleaseField::Python,
                ReleaseField::Node,
            ] {
                poison(reader, field);
            }
        }
        matrix.releases.push(release);
        reader.map.releases.push(spans);
    }
}
