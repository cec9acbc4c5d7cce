//! Reading the `[[map]]` blocks: the (release, deployment) pairs each covers and their
//! applications, expanded into release-map entries.

use super::block_app::read_block_app;
use super::source_map::{BlockSpans, EntryOrigin};
use super::tree::Table;
use super::{Reader, Span};
use crate::template::Template;
use edx_matrix_model::{
    AppVersion, Matrix, ReleaseMapEntry, Subject,
    names::{ApplicationName, ReleaseName},
};
use foldhash::{HashMap, HashSet};

/// The keys of a `[[map]]` block.
pub(crate) const BLOCK_KEYS: &[&str] = &["releases", "deployments", "apps"];

pub(super) fn read_map(reader: &mut Reader, root: &Table<'_>, matrix: &mut Matrix) {
    let Some(item) = root.get("map") else {
        // A matrix without a release map is legal only without stages; checks report the rest.
        return;
    };
    let fallback = reader.toml.fallback();
    let Some(blocks) = reader.toml.node_tables(
        item,
        "`map`",
        "each `map` block",
        "an array of tables (`[[map]]` blocks)",
        &fallback,
    ) else {
        return;
    };
    let mut state = BlockRead::default();
    for block in blocks {
        read_block(
            reader,
            block,
            &fallback,
            &mut state,
            &mut matrix.release_map,
        );
    }
}

/// What reading the blocks carries from one block to the next.
#[derive(Debug, Default)]
pub(super) struct BlockRead {
    /// The release-map entry of each (release, deployment) pair seen so far.
    entry_index: HashMap<(String, String), usize>,
    /// Every application and release name read so far, once: each entry's `AppVersion` shares
    /// it instead of holding a copy (a million entries name a few hundred applications).
    /// Hashed with foldhash, not std's SipHash: these are the file's own names, looked up once
    /// per application of each entry (issue 23).
    applications: HashSet<ApplicationName>,
    releases: HashSet<ReleaseName>,
    /// The previous block's application names, in its order.
    previous_names: Vec<ApplicationName>,
}

/// The one shared copy of `name` in `names`.
fn interned<T>(names: &mut HashSet<T>, name: &str) -> T
where
    T: Clone + Eq + std::hash::Hash + std::borrow::Borrow<str> + for<'a> From<&'a str>,
{
    if let Some(known) = names.get(name) {
        return known.clone();
    }
    let new = T::from(name);
    names.insert(new.clone());
    new
}

/// Reads one `[[map]]` block into `release_map` (and its spans into the source map).
pub(super) fn read_block(
    reader: &mut Reader,
    block: &Table<'_>,
    fallback: &Span,
    state: &mut BlockRead,
    release_map: &mut Vec<ReleaseMapEntry>,
) {
    let BlockRead {
        entry_index,
        applications,
        releases: release_names,
        previous_names,
    } = state;
    let b = reader.map.blocks.len();
    let header = block
        .key_span("releases")
        .or_else(|| block.entries().first().and_then(|e| e.key_span.clone()))
        .unwrap_or_else(|| fallback.clone());
    let what = "this release-map block";
    reader
        .toml
        .node_unknown_keys(block, BLOCK_KEYS, what, &header);
    let mut spans = BlockSpans {
        header: header.clone(),
        ..Default::default()
    };
    let names = |key: &str, reader: &mut Reader| -> Vec<(String, Span)> {
        match block.get(key) {
            Some(item) => reader
                .toml
                .node_string_array(item, &|| format!("`{key}` of {what}"), &header)
                .unwrap_or_default(),
            None => {
                reader.toml.missing(header.clone(), key, what);
                Vec::new()
            }
        }
    };
    let releases = names("releases", reader);
    let deployments = names("deployments", reader);
    spans.releases = releases.iter().map(|(_, s)| s.clone()).collect();
    spans.deployments = deployments.iter().map(|(_, s)| s.clone()).collect();
    spans.pairs = releases.len() * deployments.len();
    let mut apps = Vec::new();
    match block.get("apps") {
        Some(item) => {
            if let Some(table) =
                reader
                    .toml
                    .node_table(item, &|| format!("`apps` of {what}"), &header)
            {
                // Sized once: a block has tens to hundreds of applications (issue 23).
                apps.reserve_exact(table.len());
                spans.apps.reserve_exact(table.len());
                for entry in table.entries() {
                    let key_span = entry.key_span.clone().unwrap_or_else(|| header.clone());
                    let (app, app_spans) =
                        read_block_app(reader, &entry.key, &entry.node, key_span);
                    apps.push(app);
                    spans.apps.push(app_spans);
                }
            }
        }
        None => reader.toml.missing(header.clone(), "apps", what),
    }
    spans.apps.shrink_to_fit();
    reader.map.blocks.push(spans);
    // Each application's name and its own `release`, shared by every entry of the block.
    let shared: Vec<(ApplicationName, Option<ReleaseName>)> = apps
        .iter()
        .enumerate()
        .map(|(k, app)| {
            let release = app.release.as_deref();
            // Blocks mostly list the same applications in the same order: the previous
            // block's name at this place, when it is the same, is the shared one unhashed.
            let name = match previous_names.get(k) {
                Some(known) if known.as_str() == app.name => known.clone(),
                _ => interned(applications, app.name),
            };
            (name, release.map(|r| interned(release_names, r)))
        })
        .collect();
    previous_names.clear();
    previous_names.extend(shared.iter().map(|(name, _)| name.clone()));
    for (d_index, (deployment, _)) in deployments.iter().enumerate() {
        for (r_index, (release, _)) in releases.iter().enumerate() {
            let entry_release = interned(release_names, release);
            let key = (release.clone(), deployment.clone());
            let e = *entry_index.entry(key).or_insert_with(|| {
                release_map.push(ReleaseMapEntry {
                    release: release.as_str().into(),
                    deployment: deployment.as_str().into(),
                    // Sized for this block's applications (most entries have one block).
                    apps: Vec::with_capacity(apps.len()),
                });
                reader.map.entry_origins.push(Vec::with_capacity(1));
                reader.map.entry_apps.push(Vec::with_capacity(apps.len()));
                release_map.len() - 1
            });
            reader.map.entry_origins[e].push(EntryOrigin {
                block: b,
                release: r_index,
                deployment: d_index,
            });
            for (k, (app, (name, own_release))) in apps.iter().zip(&shared).enumerate() {
                let a = release_map[e].apps.len();
                let render = |t: &Template| t.render(release, deployment);
                release_map[e].apps.push(AppVersion {
                    application: name.clone(),
                    release: own_release.as_ref().unwrap_or(&entry_release).clone(),
                    branch: app.branch.as_ref().map(|t| t.value(release, deployment)),
                    origin: app.origin.as_ref().map(|t| t.value(release, deployment)),
                    runtime: app.runtime.as_ref().map(|t| t.value(release, deployment)),
                    translations: app
                        .translations
                        .as_ref()
                        .map(|ts| ts.iter().map(render).collect()),
                    extra: app.extra.clone(),
                });
                reader.map.entry_apps[e].push((b as u32, k as u32));
                for field in &app.poisoned {
                    reader.map.poisoned.insert(Subject::EntryApp {
                        entry: e,
                        app: a,
                        field: Some(*field),
                    });
                }
            }
        }
    }
}
