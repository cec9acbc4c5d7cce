//! Writes a [`Matrix`] as `edx-matrix.toml`, either explicitly (one block per release-map entry,
//! what `expand` shows) or compactly (entries that differ only by release name or deployment
//! share one block with `{release}` templates), as `import` does.

use crate::template::{escape, templatize_release};
use edx_matrix_model::{AppVersion, Matrix, Release};
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value, value};

/// How to lay out the release map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One block per (release, deployment) entry, no templates: exactly what the file means.
    Explicit,
    /// Entries that are the same up to the release name share a block.
    Compact,
}

/// One `[[map]]` block to write.
struct Block<'m> {
    releases: Vec<&'m str>,
    deployments: Vec<&'m str>,
    /// Applications, with values already templated for the block.
    apps: Vec<BlockApp<'m>>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct BlockApp<'m> {
    name: &'m str,
    release: Option<&'m str>,
    branch: Option<String>,
    origin: Option<String>,
    runtime: Option<String>,
    translations: Option<Vec<String>>,
    extra: &'m edx_matrix_model::Extra,
}

fn block_app<'m>(v: &'m AppVersion, entry_release: &str, layout: Layout) -> BlockApp<'m> {
    let literal = |s: &str| escape(s);
    BlockApp {
        name: v.application.as_str(),
        release: (v.release != entry_release).then_some(v.release.as_str()),
        branch: v.branch.as_ref().map(|b| match layout {
            Layout::Compact => templatize_release(b.as_str(), entry_release),
            Layout::Explicit => literal(b.as_str()),
        }),
        origin: v.origin.as_ref().map(|o| literal(o.as_str())),
        runtime: v.runtime.as_ref().map(|r| literal(r.as_str())),
        translations: v
            .translations
            .as_ref()
            .map(|ts| ts.iter().map(|t| literal(t)).collect()),
        extra: &v.extra,
    }
}

/// Entries with identical templated applications: (applications, (release, deployment) pairs).
type Group<'m> = (Vec<BlockApp<'m>>, Vec<(&'m str, &'m str)>);

fn blocks(matrix: &Matrix, layout: Layout) -> Vec<Block<'_>> {
    if layout == Layout::Explicit {
        return matrix
            .release_map
            .iter()
            .map(|e| Block {
                releases: vec![e.release.as_str()],
                deployments: vec![e.deployment.as_str()],
                apps: e
                    .apps
                    .iter()
                    .map(|v| block_app(v, e.release.as_str(), layout))
                    .collect(),
            })
            .collect();
    }
    // Group entries whose templated content is identical, keeping first-seen order.
    let mut groups: Vec<Group<'_>> = Vec::new();
    for e in &matrix.release_map {
        let apps: Vec<BlockApp<'_>> = e
            .apps
            .iter()
            .map(|v| block_app(v, e.release.as_str(), layout))
            .collect();
        let pair = (e.release.as_str(), e.deployment.as_str());
        match groups.iter_mut().find(|(a, _)| *a == apps) {
            Some((_, pairs)) => pairs.push(pair),
            None => groups.push((apps, vec![pair])),
        }
    }
    // Within a group, deployments with the same release list share a block.
    let mut out = Vec::new();
    for (apps, pairs) in groups {
        let mut by_deployment: Vec<(&str, Vec<&str>)> = Vec::new();
        for (release, deployment) in pairs {
            match by_deployment.iter_mut().find(|(d, _)| *d == deployment) {
                Some((_, releases)) => releases.push(release),
                None => by_deployment.push((deployment, vec![release])),
            }
        }
        let mut merged: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
        for (deployment, releases) in by_deployment {
            match merged.iter_mut().find(|(r, _)| *r == releases) {
                Some((_, deployments)) => deployments.push(deployment),
                None => merged.push((releases, vec![deployment])),
            }
        }
        for (releases, deployments) in merged {
            out.push(Block {
                releases,
                deployments,
                apps: apps.clone(),
            });
        }
    }
    out
}

fn string_array<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    let mut array = Array::new();
    for item in items {
        array.push(item);
    }
    Value::Array(array)
}

/// Writes `matrix` as TOML text, headed by `header` comment lines.
pub fn write(matrix: &Matrix, layout: Layout, header: &[&str]) -> String {
    let mut doc = DocumentMut::new();
    doc["stages"] = value(string_array(matrix.stages.iter().map(|s| s.as_str())));
    if let Some(mut key) = doc.as_table_mut().key_mut("stages") {
        let prefix: String = header.iter().map(|line| format!("# {line}\n")).collect();
        key.leaf_decor_mut().set_prefix(prefix);
    }

    let mut releases = Table::new();
    for r in &matrix.releases {
        let mut t = InlineTable::new();
        t.insert("branch", r.branch.as_str().into());
        if let Some(python) = &r.python {
            t.insert("python", python.as_str().into());
        }
        if let Some(node) = &r.node {
            t.insert("node", node.as_str().into());
        }
        if r.rolling != Release::is_rolling_name(r.name.as_str()) {
            t.insert("rolling", r.rolling.into());
        }
        releases.insert(r.name.as_str(), value(t));
    }
    doc["releases"] = Item::Table(releases);

    let mut applications = Table::new();
    for a in &matrix.applications {
        let mut t = InlineTable::new();
        t.insert("kind", a.kind.as_lower().into());
        if let Some(repository) = &a.repository {
            t.insert("repository", repository.as_str().into());
        }
        if let Some(path) = &a.path {
            t.insert("path", path.as_str().into());
        }
        applications.insert(a.name.as_str(), value(t));
    }
    doc["applications"] = Item::Table(applications);

    let mut deployments = Table::new();
    for d in &matrix.deployments {
        let mut t = InlineTable::new();
        for pin in &d.stages {
            if pin.vars.is_empty() {
                t.insert(pin.stage.as_str(), pin.release.as_str().into());
            } else {
                let mut stage = InlineTable::new();
                stage.insert("release", pin.release.as_str().into());
                stage.insert("vars", Value::InlineTable(vars_table(&pin.vars)));
                t.insert(pin.stage.as_str(), Value::InlineTable(stage));
            }
        }
        if !d.vars.is_empty() {
            t.insert("vars", Value::InlineTable(vars_table(&d.vars)));
        }
        deployments.insert(d.name.as_str(), value(t));
    }
    doc["deployments"] = Item::Table(deployments);

    let mut map = ArrayOfTables::new();
    for block in blocks(matrix, layout) {
        let mut t = Table::new();
        t.insert(
            "releases",
            value(string_array(block.releases.iter().copied())),
        );
        t.insert(
            "deployments",
            value(string_array(block.deployments.iter().copied())),
        );
        let mut apps = Table::new();
        for app in &block.apps {
            let mut v = InlineTable::new();
            if let Some(release) = app.release {
                v.insert("release", release.into());
            }
            if let Some(branch) = &app.branch {
                v.insert("branch", branch.as_str().into());
            }
            if let Some(origin) = &app.origin {
                v.insert("origin", origin.as_str().into());
            }
            if let Some(runtime) = &app.runtime {
                v.insert("runtime", runtime.as_str().into());
            }
            if let Some(translations) = &app.translations {
                v.insert(
                    "translations",
                    string_array(translations.iter().map(String::as_str)),
                );
            }
            if !app.extra.is_empty() {
                v.insert(
                    "extra",
                    Value::InlineTable(crate::extra_load::to_toml(app.extra)),
                );
            }
            apps.insert(app.name, value(v));
        }
        t.insert("apps", Item::Table(apps));
        map.push(t);
    }
    if !map.is_empty() {
        doc["map"] = Item::ArrayOfTables(map);
    }
    doc.to_string()
}

/// Writes `matrix` compactly when the compact text reads back as the same matrix (release map
/// compared as a map), explicitly otherwise; the result always loads back to `matrix`.
pub fn write_faithful(matrix: &Matrix, header: &[&str]) -> String {
    let compact = write(matrix, Layout::Compact, header);
    let reread = crate::toml_load::read(&compact).0;
    if reread.canonical() == matrix.clone().canonical() {
        compact
    } else {
        write(matrix, Layout::Explicit, header)
    }
}

/// A `vars` table as an inline table, in order.
fn vars_table(vars: &edx_matrix_model::vars::Vars) -> InlineTable {
    use edx_matrix_model::vars::VarValue;
    let mut t = InlineTable::new();
    for (name, v) in vars.iter() {
        let item: Value = match v {
            VarValue::String(s) => s.as_str().into(),
            VarValue::Integer(i) => (*i).into(),
            VarValue::Float(f) => f.0.parse::<f64>().unwrap_or_default().into(),
            VarValue::Boolean(b) => (*b).into(),
        };
        t.insert(name.as_str(), item);
    }
    t
}
