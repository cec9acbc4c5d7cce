//! The entries the new release gets: scaffolded from the old release's, with notes on the values
//! kept as they were, and the entries the upgraded matrix is expected to have.

use super::Action;
use super::translate::translate;
use crate::edit::document;
use crate::edit::document::RawApp;
use crate::template::Template;
#[cfg(test)]
use edx_matrix_model::Matrix;
use edx_matrix_model::ReleaseMapEntry;
use toml_edit::DocumentMut;

/// Decides what to do with each block that gives `from` to some of `deployments`, and returns
/// the entries the result must have for `to` and the notes on kept values.
pub(super) fn scaffold(
    doc: &DocumentMut,
    from: &str,
    to: &str,
    deployments: &[String],
) -> (Vec<Action>, Vec<ReleaseMapEntry>, Vec<String>) {
    let mut actions = Vec::new();
    let mut notes = Vec::new();
    let mut entries: Vec<ReleaseMapEntry> = deployments
        .iter()
        .map(|d| ReleaseMapEntry {
            release: to.into(),
            deployment: d.as_str().into(),
            apps: Vec::new(),
        })
        .collect();
    for (b, block) in document::blocks(doc).into_iter().enumerate() {
        if !document::names(block, "releases").iter().any(|r| r == from) {
            continue;
        }
        let block_deployments = document::names(block, "deployments");
        let covered: Vec<String> = block_deployments
            .iter()
            .filter(|d| deployments.contains(d))
            .cloned()
            .collect();
        if covered.is_empty() {
            continue;
        }
        let apps: Vec<(String, RawApp)> = document::apps(block)
            .map(|t| {
                t.iter()
                    .map(|(k, item)| (k.to_owned(), RawApp::read(item)))
                    .collect()
            })
            .unwrap_or_default();
        let translated: Vec<(String, RawApp)> = apps
            .iter()
            .map(|(k, app)| (k.clone(), translate(app, from, to)))
            .collect();
        let only_upgraded = covered.len() == block_deployments.len();
        let unchanged = apps == translated;
        actions.push(if only_upgraded && unchanged {
            Action::Extend(b)
        } else {
            Action::Copy(b, covered.clone())
        });
        for (name, app) in &translated {
            for d in &covered {
                if let Some(e) = entries.iter_mut().find(|e| e.deployment == d.as_str()) {
                    e.apps.push(app.render(name, to, d));
                }
            }
            let original = apps.iter().find(|(k, _)| k == name).map(|(_, a)| a);
            notes.extend(kept_notes(name, original, app, from, to));
        }
    }
    (actions, entries, notes)
}

/// Returns the notes on the values of a translated application that still do not depend on the
/// release: worth a look before the new release is built.
pub(super) fn kept_notes(
    name: &str,
    original: Option<&RawApp>,
    app: &RawApp,
    from: &str,
    to: &str,
) -> Vec<String> {
    let depends =
        |raw: &String| Template::parse(raw).is_ok_and(|t| t.render(from, "d") != t.render(to, "d"));
    let renamed =
        |field: fn(&RawApp) -> &Option<String>| original.is_some_and(|o| field(o) != field(app));
    let mut notes = Vec::new();
    if let Some(release) = &app.release {
        if release != to {
            notes.push(format!(
                "`{name}`: pinned to release `{release}`, kept as is — check"
            ));
        }
    }
    match &app.branch {
        Some(branch) if !depends(branch) && !renamed(|a| &a.branch) => {
            notes.push(format!("`{name}`: branch `{branch}` kept as is — check"))
        }
        None if app.origin.is_some() => {
            if let Some(origin) = &app.origin {
                notes.push(format!(
                    "`{name}`: fork `{origin}` kept, built from the release branch of `{to}` — check the fork has it"
                ));
            }
        }
        _ => {}
    }
    if let Some(runtime) = &app.runtime {
        if !depends(runtime) && !renamed(|a| &a.runtime) {
            notes.push(format!("`{name}`: runtime `{runtime}` kept as is — check"));
        }
    }
    notes
}

/// Returns the model-level meaning of an upgrade's release map on `matrix`: each upgraded
/// deployment's entry for the old release copied under the new one with the old name renamed in
/// every value. Used by the tests to check the text edit against the model.
#[cfg(test)]
pub(crate) fn expected_entries(
    matrix: &Matrix,
    from: &str,
    to: &str,
    deployment: &str,
) -> Option<ReleaseMapEntry> {
    let source = matrix.entry(from, deployment)?;
    let rename = |s: &str| crate::template::rename_token(s, from, to);
    Some(ReleaseMapEntry {
        release: to.into(),
        deployment: deployment.into(),
        apps: source
            .apps
            .iter()
            .map(|v| edx_matrix_model::AppVersion {
                application: v.application.clone(),
                release: if v.release == from {
                    to.into()
                } else {
                    v.release.clone()
                },
                branch: v.branch.as_ref().map(|b| rename(b.as_str()).into()),
                origin: v.origin.as_ref().map(|o| rename(o.as_str()).into()),
                runtime: v.runtime.as_ref().map(|r| rename(r.as_str()).into()),
                translations: v
                    .translations
                    .as_ref()
                    .map(|ts| ts.iter().map(|t| rename(t)).collect()),
                extra: v.extra.clone(),
            })
            .collect(),
    })
}
