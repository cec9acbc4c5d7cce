//! How the release map's data is spelled: written out (`Plain`); with common keyword arguments
//! in module-level dicts spread by `**` into calls and dict displays, nested, overridden by a
//! later key, `dict(...)`, and a key written twice (`Unpacked`); or built by a helper function,
//! list concatenation, `*` unpacking and a dict comprehension over literal pairs (`Built`).

use super::{Spelling, q};
use std::fmt::Write;

/// The data constructs of a spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Data {
    /// Every entry call written out.
    Plain,
    /// `**` unpacking of module-level dicts, nested and overridden; `dict(...)`; a duplicate key.
    Unpacked,
    /// A helper function, `+` on lists, `*` in a list, a dict comprehension.
    Built,
}

/// One entry call's keyword arguments, as Python source.
pub(super) struct Entry {
    /// `(field, value)`: the application and its release.
    pub app: (String, String),
    /// See `app`.
    pub release: (String, String),
    /// `"IDA"` or `"MFE"`.
    pub kind: String,
    /// Overrides and translations, in order, `None` written as `None`.
    pub rest: Vec<(String, String)>,
}

/// The release map: `(release reference, [(deployment key, entries)])`.
pub(super) type Blocks = Vec<(String, Vec<(String, Vec<Entry>)>)>;

/// Writes the module-level helpers and `ReleaseMap = ...`.
pub(super) fn release_map(blocks: &Blocks, sp: &Spelling) -> String {
    let mut v = String::new();
    let mut on: Vec<String> = Vec::new();
    match sp.data {
        Data::Plain => {}
        Data::Unpacked => {
            v.push_str("\n\nIDA = dict(application_type=\"IDA\")\n");
            // A later key overrides what `**` spread; the MFE dict says its kind twice.
            v.push_str("KINDS = {\"IDA\": IDA, \"MFE\": {**IDA, \"application_type\": \"IDA\", \"application_type\": \"MFE\"}}\n");
            for e in blocks.iter().flat_map(|b| &b.1).flat_map(|d| &d.1) {
                let r = format!("{{{}: {}}}", q(&e.release.0), e.release.1);
                if !on.contains(&r) {
                    writeln!(v, "ON_{} = {r}", on.len()).unwrap();
                    on.push(r);
                }
            }
        }
        Data::Built => {
            let (a, r) = blocks
                .iter()
                .flat_map(|b| &b.1)
                .flat_map(|d| &d.1)
                .next()
                .map_or(("application", "release"), |e| {
                    (e.app.0.as_str(), e.release.0.as_str())
                });
            writeln!(
                v,
                "\n\ndef version(app, release, kind, extra):\n    \"\"\"One application version.\"\"\"\n    fields = {{{}: app, {}: release}}\n    return OpenEdxApplicationVersion(**fields, application_type=kind, **extra)",
                q(a),
                q(r)
            )
            .unwrap();
        }
    }
    v.push_str("\n\nReleaseMap = {\n");
    for (release, deployments) in blocks {
        writeln!(v, "    {release}: {{").unwrap();
        if sp.data == Data::Built {
            v.push_str("        d: apps\n        for d, apps in [\n");
        }
        for (key, entries) in deployments {
            let calls: Vec<String> = entries.iter().map(|e| call(e, sp, &on)).collect();
            let list = match (sp.data, calls.split_first()) {
                (Data::Built, Some((first, rest))) => format!(
                    "[\n{first},\n        ] + [\n            *[\n{}\n            ]\n        ]",
                    rest.join(",\n")
                ),
                _ => format!("[\n{}\n        ]", calls.join(",\n")),
            };
            if sp.data == Data::Built {
                writeln!(v, "            ({key}, {list}),").unwrap();
            } else {
                writeln!(v, "        {key}: {list},").unwrap();
            }
        }
        if sp.data == Data::Built {
            v.push_str("        ]\n");
        }
        v.push_str("    },\n");
    }
    v.push_str("}\n");
    v
}

fn call(e: &Entry, sp: &Spelling, on: &[String]) -> String {
    let pad = "            ";
    match sp.data {
        Data::Plain => {
            // Comments above the call and inside it: the import keeps them, the model ignores them.
            let mut out = format!(
                "{pad}# entry of {}\n{pad}OpenEdxApplicationVersion(\n{pad}    # its fields\n",
                e.app.1.replace('\n', " ")
            );
            for (k, x) in [
                &e.app,
                &e.release,
                &("application_type".to_owned(), q(&e.kind)),
            ]
            .into_iter()
            .chain(&e.rest)
            {
                writeln!(out, "{pad}    {k}={x},").unwrap();
            }
            out.push_str(pad);
            out.push(')');
            out
        }
        Data::Unpacked => {
            let r = format!("{{{}: {}}}", q(&e.release.0), e.release.1);
            let i = on.iter().position(|x| *x == r).unwrap_or_default();
            // The first override is written twice: Python keeps the second value.
            let mut rest: Vec<String> = Vec::new();
            if let Some((k, x)) = e.rest.first() {
                rest.push(format!("{}: \"stale\"", q(k)));
                rest.push(format!("{}: {x}", q(k)));
            }
            rest.extend(e.rest.iter().skip(1).map(|(k, x)| format!("{}: {x}", q(k))));
            format!(
                "{pad}OpenEdxApplicationVersion(\n{pad}    **KINDS[{}],  # the kind\n{pad}    **{{**ON_{i}, {}: {}}},\n{pad}    **dict({{{}}}),\n{pad})",
                q(&e.kind),
                q(&e.app.0),
                e.app.1,
                rest.join(", ")
            )
        }
        Data::Built => {
            let rest: Vec<String> = e
                .rest
                .iter()
                .map(|(k, x)| format!("{}: {x}", q(k)))
                .collect();
            format!(
                "{pad}    version({}, {}, {}, {{{}}})",
                e.app.1,
                e.release.1,
                q(&e.kind),
                rest.join(", ")
            )
        }
    }
}
