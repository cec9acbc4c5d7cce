//! `set`, `include` and `exclude`: change one application of one (release, deployment).
//!
//! When the application's value comes from a `[[map]]` block that covers several (release,
//! deployment) pairs, only the one pair must change. The application is then moved out of the
//! shared block for that pair: the block keeps it for the other pairs (the block's releases
//! without this release for all its deployments, and this release for the other deployments,
//! each as a block of its own right after the shared one when needed), and the pair gets a
//! single-pair block `releases = [R]`, `deployments = [D]` holding the changed value. A block
//! that already covers exactly the needed pairs is reused instead of adding a new one.

mod block_patch;
mod coalesce;
mod isolate;
mod patch;
mod target;

use crate::edit::{Base, EditError, EditOutcome, document, finish};
use block_patch::{insert_app, patch_block};
use edx_matrix_model::{AppVersion, ReleaseMapEntry};
use isolate::{isolate, single_block};
pub use patch::{Override, Patch};
pub use target::Target;
use toml_edit::{InlineTable, Item, Value};

/// Changes the overrides of one application of one (release, deployment).
pub fn set<'t>(
    base: impl Into<Base<'t>>,
    target: &Target,
    patch: &Patch,
) -> Result<EditOutcome, EditError> {
    let base = base.into();
    let text = base.text;
    let (mut doc, matrix) = document::open(base)?;
    target.check(&matrix)?;
    patch.validate()?;
    if patch.is_empty() {
        return Err(EditError::refused(
            "nothing to set: pass `--branch`, `--origin`, `--runtime`, `--translation` or an `--unset-*` flag",
        ));
    }
    let Some(current) = target.version(&matrix) else {
        return Err(EditError::Refused {
            message: format!("{} is not in the release map", target.describe()),
            places: Vec::new(),
            hint: Some(format!(
                "add it with `edx-matrix include {} {} {}`",
                target.deployment, target.release, target.application
            )),
        });
    };
    let mut wanted = current.clone();
    patch.apply(&mut wanted);
    if wanted == *current {
        return Ok(EditOutcome {
            text: text.to_owned(),
            summary: format!(
                "{} already has these values: nothing to change",
                target.describe()
            ),
            notes: Vec::new(),
        });
    }
    let Some((single, split)) = isolate(&mut doc, target)? else {
        return Err(EditError::Internal(format!(
            "no block gives {}",
            target.describe()
        )));
    };
    patch_block(&mut doc, single, &target.application, patch)?;
    let mut expected = matrix.clone();
    if let Some(v) = target.version_mut(&mut expected) {
        patch.apply(v);
    }
    let mut summary = format!("set {}", target.describe());
    if split {
        summary.push_str(" (moved out of a shared block into its own)");
    }
    let unjoined = doc.to_string();
    if coalesce::coalesce(&mut doc, &target.application) > 0 {
        let joined =
            format!("{summary}; its blocks that differ only in their releases are joined into one");
        // The joined text must mean the same; if it does not, the unjoined one is written.
        if let Ok(outcome) = finish(base.text, doc.to_string(), &expected, joined, Vec::new()) {
            return Ok(outcome);
        }
    }
    finish(base.text, unjoined, &expected, summary, Vec::new())
}

/// Adds an application to one (release, deployment), with optional overrides.
pub fn include<'t>(
    base: impl Into<Base<'t>>,
    target: &Target,
    patch: &Patch,
) -> Result<EditOutcome, EditError> {
    let base = base.into();
    let (mut doc, matrix) = document::open(base)?;
    target.check(&matrix)?;
    patch.validate()?;
    if target.version(&matrix).is_some() {
        return Err(EditError::Refused {
            message: format!("{} is already in the release map", target.describe()),
            places: Vec::new(),
            hint: Some(format!(
                "change it with `edx-matrix set {} {} {} ...`",
                target.deployment, target.release, target.application
            )),
        });
    }
    let single = single_block(&mut doc, target)?;
    {
        let blocks = document::blocks_mut(&mut doc)?;
        let block = blocks
            .get_mut(single)
            .ok_or_else(|| EditError::Internal("lost the new block".to_owned()))?;
        let apps = document::apps_mut(block)?;
        insert_app(apps, &target.application, empty_app());
    }
    patch_block(&mut doc, single, &target.application, patch)?;
    let mut expected = matrix.clone();
    let mut v = AppVersion::plain(target.application.as_str(), target.release.as_str());
    patch.apply(&mut v);
    match target.entry_mut(&mut expected) {
        Some(e) => e.apps.push(v),
        None => expected.release_map.push(ReleaseMapEntry {
            release: target.release.as_str().into(),
            deployment: target.deployment.as_str().into(),
            apps: vec![v],
        }),
    }
    finish(
        base.text,
        doc.to_string(),
        &expected,
        format!("included {}", target.describe()),
        Vec::new(),
    )
}

/// Removes an application from one (release, deployment).
pub fn exclude<'t>(base: impl Into<Base<'t>>, target: &Target) -> Result<EditOutcome, EditError> {
    let base = base.into();
    let (mut doc, matrix) = document::open(base)?;
    target.check(&matrix)?;
    let Some((single, _)) = isolate(&mut doc, target)? else {
        return Err(EditError::refused(format!(
            "{} is not in the release map",
            target.describe()
        )));
    };
    let blocks = document::blocks_mut(&mut doc)?;
    let emptied = match blocks.get_mut(single) {
        Some(block) => {
            let apps = document::apps_mut(block)?;
            apps.remove(&target.application);
            apps.is_empty()
        }
        None => false,
    };
    if emptied {
        blocks.remove(single);
    }
    let mut expected = matrix.clone();
    if let Some(e) = target.entry_mut(&mut expected) {
        e.apps
            .retain(|a| a.application != target.application.as_str());
    }
    expected.release_map.retain(|e| !e.apps.is_empty());
    // An entry left without applications disappears with its block; the caller's validation
    // refuses the edit when a stage still runs it.
    let remaining: Vec<_> = matrix
        .release_map
        .iter()
        .filter(|e| e.apps.is_empty())
        .cloned()
        .collect();
    expected.release_map.extend(remaining);
    finish(
        base.text,
        doc.to_string(),
        &expected,
        format!("excluded {}", target.describe()),
        Vec::new(),
    )
}

fn empty_app() -> Item {
    Item::Value(Value::InlineTable(InlineTable::new()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::document::tests::changes;
    use crate::{Source, load_toml};

    const ACME: &str = crate::example::TEXT;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    fn branch(b: &str) -> Patch {
        Patch {
            branch: Override::Set(b.to_owned()),
            ..Patch::default()
        }
    }

    #[test]
    fn set_in_a_single_pair_block_patches_in_place() {
        let text = ACME.replace(
            "releases    = [\"verawood\"]\ndeployments = [\"campus\", \"campus-staging\"]",
            "releases    = [\"verawood\"]\ndeployments = [\"campus\"]",
        );
        let text = format!(
            "{text}\n[[map]]\nreleases    = [\"verawood\"]\ndeployments = [\"campus-staging\"]\n[map.apps]\nlearning = {{}}\n"
        );
        let out = set(
            &text,
            &Target::new(&"campus".into(), &"verawood".into(), &"learning".into()),
            &branch("acme/verawood-fix-2"),
        )
        .expect("sets");
        assert_eq!(
            changes(&text, &out.text),
            (
                lines(&[
                    r#"learning = { origin = "https://github.com/acme-edu/frontend-app-learning", branch = "acme/verawood-fix-jumpnav" }"#
                ]),
                lines(&[
                    r#"learning = { origin = "https://github.com/acme-edu/frontend-app-learning", branch = "acme/verawood-fix-2" }"#
                ]),
            )
        );
    }

    #[test]
    fn set_splits_a_block_holding_only_that_application() {
        let out = set(
            ACME,
            &Target::new(&"campus".into(), &"verawood".into(), &"learning".into()),
            &branch("acme/verawood-fix-2"),
        )
        .expect("sets");
        assert!(out.summary.contains("moved out of a shared block"));
        let (removed, added) = changes(ACME, &out.text);
        assert_eq!(
            removed,
            lines(&[r#"deployments = ["campus", "campus-staging"]"#])
        );
        let added: Vec<String> = added.into_iter().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            added,
            lines(&[
                r#"deployments = ["campus-staging"]"#,
                "[[map]]",
                r#"releases    = ["verawood"]"#,
                r#"deployments = ["campus"]"#,
                "[map.apps]",
                r#"learning = { origin = "https://github.com/acme-edu/frontend-app-learning", branch = "acme/verawood-fix-2" }"#,
            ])
        );
    }

    #[test]
    fn set_moves_one_application_out_of_a_big_block() {
        let out = set(
            ACME,
            &Target::new(&"campus".into(), &"verawood".into(), &"xqwatcher".into()),
            &Patch {
                branch: Override::Unset,
                origin: Override::Unset,
                ..Patch::default()
            },
        )
        .expect("sets");
        let (removed, added) = changes(ACME, &out.text);
        assert_eq!(
            removed,
            lines(&[
                r#"xqwatcher         = { origin = "https://github.com/acme-edu/xqueue-watcher", branch = "main" }"#
            ])
        );
        // Blank lines are left out: the diff may pair them either way.
        let added: Vec<String> = added.into_iter().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            added,
            lines(&[
                "[[map]]",
                r#"releases    = ["master", "ulmo"]"#,
                r#"deployments = ["campus", "campus-staging"]"#,
                "[map.apps]",
                r#"xqwatcher = { origin = "https://github.com/acme-edu/xqueue-watcher", branch = "main" }"#,
                "[[map]]",
                r#"releases    = ["verawood"]"#,
                r#"deployments = ["campus-staging"]"#,
                "[map.apps]",
                r#"xqwatcher = { origin = "https://github.com/acme-edu/xqueue-watcher", branch = "main" }"#,
                "[[map]]",
                r#"releases    = ["verawood"]"#,
                r#"deployments = ["campus"]"#,
                "[map.apps]",
                "xqwatcher = {}",
            ])
        );
        // master/ulmo x campus-staging and the other pairs are untouched: checked by `finish`
        // against the model; check one by hand too.
        let after = load_toml(Source::new("t", out.text.as_str())).matrix;
        let before = load_toml(Source::new("t", ACME)).matrix;
        assert_eq!(
            after.entry("ulmo", "campus-staging").map(|e| e.apps.len()),
            before.entry("ulmo", "campus-staging").map(|e| e.apps.len())
        );
    }

    #[test]
    fn include_and_exclude() {
        let target = Target::new(&"pro".into(), &"teak".into(), &"forum".into());
        let out = include(ACME, &target, &Patch::default()).expect("includes");
        let (removed, added) = changes(ACME, &out.text);
        assert!(removed.is_empty());
        // Into the teak x pro block, its `=` aligned with `communications` as `fmt` does.
        assert_eq!(
            added,
            lines(&["forum          = {}"]),
            "into the teak x pro block"
        );
        assert!(matches!(
            include(&out.text, &target, &Patch::default()),
            Err(EditError::Refused { .. })
        ));
        let back = exclude(&out.text, &target).expect("excludes");
        assert_eq!(back.text, ACME);
    }

    #[test]
    fn include_with_values_creates_a_block() {
        let target = Target::new(&"online".into(), &"master".into(), &"xqueue".into());
        let out = include(ACME, &target, &branch("online/xq")).expect("includes");
        let (removed, added) = changes(ACME, &out.text);
        assert!(removed.is_empty());
        // Into the existing master x online block, aligned like its other applications.
        assert_eq!(
            added,
            lines(&[r#"xqueue            = { branch = "online/xq" }"#])
        );
    }

    #[test]
    fn exclude_from_a_shared_block_keeps_the_others() {
        let out = exclude(
            ACME,
            &Target::new(&"pro".into(), &"ulmo".into(), &"learning".into()),
        )
        .expect("excludes");
        let after = load_toml(Source::new("t", out.text.as_str()));
        assert!(!after.has_errors());
        let has = |r: &str, d: &str| {
            after
                .matrix
                .entry(r, d)
                .is_some_and(|e| e.apps.iter().any(|a| a.application == "learning"))
        };
        assert!(!has("ulmo", "pro"));
        assert!(has("teak", "pro") && has("verawood", "pro"));
    }

    #[test]
    fn invalid_values_are_refused_before_editing() {
        let err = set(
            ACME,
            &Target::new(&"pro".into(), &"teak".into(), &"learning".into()),
            &branch("bad..branch"),
        )
        .expect_err("invalid");
        assert!(
            matches!(err, EditError::InvalidValue { what: "branch", .. }),
            "{err}"
        );
        let err = set(
            ACME,
            &Target::new(&"pro".into(), &"teak".into(), &"learning".into()),
            &Patch {
                origin: Override::Set("not a url".to_owned()),
                ..Patch::default()
            },
        )
        .expect_err("invalid");
        assert!(
            matches!(
                err,
                EditError::InvalidValue {
                    what: "repository",
                    ..
                }
            ),
            "{err}"
        );
        let err = set(
            ACME,
            &Target::new(&"pro".into(), &"teak".into(), &"forum".into()),
            &branch("x"),
        )
        .expect_err("absent");
        assert!(err.to_string().contains("not in the release map"), "{err}");
    }
}
