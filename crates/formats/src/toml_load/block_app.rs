//! One application of a `[map.apps]` table, as written (its values are templates).

use super::source_map::AppVersionSpans;
use super::tree::Node;
use super::{Reader, Span};
use crate::template::Template;
use edx_matrix_model::Code;
use edx_matrix_model::EntryField;

/// The keys of an application in a `[map.apps]` table.
pub(crate) const APP_VERSION_KEYS: &[&str] = &[
    "release",
    "branch",
    "origin",
    "runtime",
    "translations",
    "extra",
];

/// One application of a block, as written; its name borrowed from the tree (an allocation and
/// a free per application of every block saved: issue 23).
pub(super) struct BlockApp<'t> {
    pub(super) name: &'t str,
    pub(super) release: Option<String>,
    pub(super) branch: Option<Written<'t>>,
    pub(super) origin: Option<Written<'t>>,
    pub(super) runtime: Option<Written<'t>>,
    pub(super) translations: Option<Vec<Template>>,
    /// Values kept verbatim (no templates: they are data, not names).
    pub(super) extra: edx_matrix_model::Extra,
    /// Fields whose value was reported as a format problem.
    pub(super) poisoned: Vec<EntryField>,
}

/// A value of a block's application as written: text without braces, borrowed from the tree
/// (nearly every origin and branch), or a template.
pub(super) enum Written<'t> {
    Text(&'t str),
    Template(Template),
}

impl Written<'_> {
    /// The value for one (release, deployment), made straight into its shared string when it
    /// is the same for all (issue 23: no `Template` and no rendered `String` for plain text).
    pub(super) fn value<T>(&self, release: &str, deployment: &str) -> T
    where
        T: From<String> + for<'s> From<&'s str>,
    {
        match self {
            Written::Text(text) => (*text).into(),
            Written::Template(t) => match t.literal() {
                Some(text) => text.into(),
                None => t.render(release, deployment).into(),
            },
        }
    }
}

pub(super) fn read_block_app<'t>(
    reader: &mut Reader,
    name: &'t str,
    item: &'t Node<'_>,
    key_span: Span,
) -> (BlockApp<'t>, AppVersionSpans) {
    // Built only for a problem: a large file has a million applications in blocks.
    let what = || format!("application `{name}` of this release-map block");
    let mut spans = AppVersionSpans {
        key: key_span.clone(),
        ..Default::default()
    };
    let mut app = BlockApp {
        name,
        release: None,
        branch: None,
        origin: None,
        runtime: None,
        translations: None,
        extra: Default::default(),
        poisoned: Vec::new(),
    };
    let Some(fields) = reader.toml.node_table(item, &what, &key_span) else {
        return (app, spans);
    };
    reader
        .toml
        .node_unknown_keys(fields, APP_VERSION_KEYS, &what, &key_span);
    // One pass over the fields rather than a hashed `get` per known key: a file has one
    // application table per application of each block (issue 23: 991 lookups in a 156-row
    // estate, 64K instructions).
    let mut slots: [Option<&Node<'_>>; APP_VERSION_KEYS.len()] = Default::default();
    for (key, value) in fields.iter() {
        if let Some(i) = APP_VERSION_KEYS.iter().position(|k| *k == key) {
            slots[i] = Some(value);
        }
    }
    let [release, branch, origin, runtime, translations, extra] = slots;
    if let Some(value) = release {
        match reader
            .toml
            .node_string(value, &|| format!("`release` of {}", what()), &key_span)
        {
            Some((text, span)) => {
                app.release = Some(text);
                spans.values_mut().release = Some(span);
            }
            None => app.poisoned.push(EntryField::Release),
        }
    }
    for (key, field, value) in [
        ("branch", EntryField::Branch, branch),
        ("origin", EntryField::Origin, origin),
        ("runtime", EntryField::Runtime, runtime),
    ] {
        if let Some(value) = value {
            let written = match value.as_str() {
                Some(text) if !text.bytes().any(|b| b == b'{' || b == b'}') => {
                    Some((Written::Text(text), value.span_or(&key_span)))
                }
                _ => reader
                    .toml
                    .node_template(value, &|| format!("`{key}` of {}", what()), &key_span)
                    .map(|(template, span)| (Written::Template(template), span)),
            };
            match written {
                Some((template, span)) => match field {
                    EntryField::Branch => {
                        app.branch = Some(template);
                        spans.values_mut().branch = Some(span);
                    }
                    EntryField::Origin => {
                        app.origin = Some(template);
                        spans.values_mut().origin = Some(span);
                    }
                    _ => {
                        app.runtime = Some(template);
                        spans.values_mut().runtime = Some(span);
                    }
                },
                None => app.poisoned.push(field),
            }
        }
    }
    if let Some(value) = translations {
        let label = || format!("`translations` of {}", what());
        if let Some(commands) = reader.toml.node_string_array(value, &label, &key_span) {
            let mut templates = Vec::with_capacity(commands.len());
            for (i, (text, span)) in commands.into_iter().enumerate() {
                match Template::parse(&text) {
                    Ok(t) => templates.push(t),
                    Err(e) => {
                        reader.toml.push(
                            Code::InvalidTemplate,
                            span.clone(),
                            format!("invalid template in {}: {}", label(), e.message),
                            "here",
                        );
                        app.poisoned.push(EntryField::Translation(i));
                        templates.push(
                            Template::parse("")
                                .unwrap_or_else(|_| unreachable!("empty template parses")),
                        );
                    }
                }
                spans.values_mut().translations.push(span);
            }
            app.translations = Some(templates);
        }
    }
    if let Some(value) = extra {
        let (extra, key_spans) = crate::extra_load::read_extra(
            &mut reader.toml,
            value,
            &format!("`extra` of {}", what()),
            &key_span,
        );
        app.extra = extra;
        spans.values_mut().extra = key_spans;
    }
    (app, spans)
}
