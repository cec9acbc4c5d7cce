//! Moving one (release, deployment) pair out of a shared `[[map]]` block, so an edit of it
//! leaves the block's other pairs as they were.

use super::block_patch::insert_app;
use super::target::Target;
use crate::edit::{EditError, document};
use toml_edit::{DocumentMut, Item, Key};

/// Returns the index of a block that covers exactly [release] x [deployment], adding an empty
/// one after the last block of that deployment when there is none.
pub(super) fn single_block(doc: &mut DocumentMut, target: &Target) -> Result<usize, EditError> {
    let pair = (
        vec![target.release.clone()],
        vec![target.deployment.clone()],
    );
    if let Some(i) = find_exact(doc, &pair.0, &pair.1, None) {
        return Ok(i);
    }
    let blocks = document::blocks(doc);
    let after = blocks
        .iter()
        .rposition(|b| document::names(b, "deployments").contains(&target.deployment))
        .or_else(|| blocks.len().checked_sub(1));
    let like = after.and_then(|i| blocks.get(i)).map(|t| (*t).clone());
    let block = document::new_block(like.as_ref(), &pair.0, &pair.1);
    let index = after.map_or(0, |i| i + 1);
    document::insert_block(document::blocks_mut(doc)?, index, block);
    Ok(index)
}

/// Returns the block whose `releases` and `deployments` are exactly these (as sets).
pub(super) fn find_exact(
    doc: &DocumentMut,
    releases: &[String],
    deployments: &[String],
    except: Option<usize>,
) -> Option<usize> {
    let same = |a: Vec<String>, b: &[String]| {
        let mut a = a;
        let mut b = b.to_vec();
        a.sort();
        b.sort();
        a == b
    };
    document::blocks(doc).iter().enumerate().position(|(i, t)| {
        Some(i) != except
            && same(document::names(t, "releases"), releases)
            && same(document::names(t, "deployments"), deployments)
    })
}

/// Makes the block that gives the target's application apply it to the target pair alone, and
/// returns the index of the block that now gives it to exactly that pair, and whether a shared
/// block was split; `None` when no block gives it (the caller says why that matters).
pub(super) fn isolate(
    doc: &mut DocumentMut,
    target: &Target,
) -> Result<Option<(usize, bool)>, EditError> {
    let Some(b) = document::block_with_app(
        doc,
        &target.release,
        &target.deployment,
        &target.application,
    ) else {
        return Ok(None);
    };
    isolate_block(doc, b, target).map(Some)
}

/// [`isolate`] for the application of block `b`.
fn isolate_block(
    doc: &mut DocumentMut,
    b: usize,
    target: &Target,
) -> Result<(usize, bool), EditError> {
    let (releases, deployments, key, item, only_app, source) = {
        let blocks = document::blocks(doc);
        let Some(block) = blocks.get(b) else {
            return Err(EditError::Internal("no such block".to_owned()));
        };
        let apps = document::apps(block)
            .ok_or_else(|| EditError::Unreadable("a `[[map]]` block without `apps`".to_owned()))?;
        let (key, item) = apps
            .get_key_value(&target.application)
            .ok_or_else(|| EditError::Internal("the application left its block".to_owned()))?;
        (
            document::names(block, "releases"),
            document::names(block, "deployments"),
            key.clone(),
            item.clone(),
            apps.len() == 1,
            (*block).clone(),
        )
    };
    if releases == [target.release.clone()] && deployments == [target.deployment.clone()] {
        return Ok((b, false));
    }
    let other_releases: Vec<String> = releases
        .iter()
        .filter(|r| **r != target.release)
        .cloned()
        .collect();
    let other_deployments: Vec<String> = deployments
        .iter()
        .filter(|d| **d != target.deployment)
        .cloned()
        .collect();
    let mut regions: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    if !other_releases.is_empty() {
        regions.push((other_releases, deployments.clone()));
    }
    if !other_deployments.is_empty() {
        regions.push((vec![target.release.clone()], other_deployments));
    }
    regions.push((
        vec![target.release.clone()],
        vec![target.deployment.clone()],
    ));

    let mut next = b + 1;
    let mut single = b;
    let last = regions.len() - 1;
    for (i, (rs, ds)) in regions.into_iter().enumerate() {
        if i == 0 && only_app {
            // The block held only this application: it becomes the first region itself.
            let blocks = document::blocks_mut(doc)?;
            if let Some(block) = blocks.get_mut(b) {
                if let Some(item) = block.get_mut("releases") {
                    document::set_names(item, &rs);
                }
                if let Some(item) = block.get_mut("deployments") {
                    document::set_names(item, &ds);
                }
            }
            // `single` stays `b` (its initial value) until the target pair's region, the last.
            continue;
        }
        if i == 0 {
            let blocks = document::blocks_mut(doc)?;
            if let Some(block) = blocks.get_mut(b) {
                document::apps_mut(block)?.remove(&target.application);
            }
        }
        let reusable =
            find_exact(doc, &rs, &ds, Some(b)).filter(|&e| i == last || !commented(doc, e));
        if let Some(existing) = reusable {
            let blocks = document::blocks_mut(doc)?;
            if let Some(block) = blocks.get_mut(existing) {
                insert_app(document::apps_mut(block)?, &key, item.clone());
            }
            if i == last {
                single = existing;
            }
            continue;
        }
        let mut block = document::new_block(Some(&source), &rs, &ds);
        if let Some(Item::Table(apps)) = block.get_mut("apps") {
            let mut k = Key::new(key.get());
            k.leaf_decor_mut().set_prefix("");
            // `key = value`, or `[map.apps.key]` for an application in the table form.
            k.leaf_decor_mut()
                .set_suffix(if item.is_value() { " " } else { "" });
            apps.insert_formatted(&k, item.clone());
        }
        document::insert_block(document::blocks_mut(doc)?, next, block);
        if i == last {
            single = next;
        }
        next += 1;
    }
    if only_app && single == b {
        // Unreachable in practice: the pair was not the block's whole coverage.
        return Err(EditError::Internal(
            "the block could not be split".to_owned(),
        ));
    }
    Ok((single, true))
}

/// Returns whether block `b` has a comment of its own (then it is about something, and an
/// unrelated application is not moved into it).
pub(super) fn commented(doc: &DocumentMut, b: usize) -> bool {
    document::blocks(doc).get(b).is_some_and(|t| {
        t.decor()
            .prefix()
            .and_then(|p| p.as_str())
            .is_some_and(|p| p.contains('#'))
    })
}
