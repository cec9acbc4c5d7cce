//! `upgrade`: a stage of one or more deployments moves to a new release, and the release map
//! gets entries for that release, scaffolded from the ones of the release the stage ran before.
//!
//! For every `[[map]]` block that gives the old release to the upgraded deployments:
//! - when the block covers only upgraded deployments and none of its values names the old
//!   release literally (they use `{release}` or do not depend on the release), the new release is
//!   appended to the block's `releases`: one line changes and the templates translate by
//!   themselves;
//! - otherwise a copy of the block for `[new release] x [those deployments]` is added right after
//!   it, with every literal occurrence of the old release's name (as a whole word: `mitx/palm`,
//!   `palm`, not `palmetto`) renamed to the new one.
//!
//! Values that do not change (a fixed `main`, a pinned runtime, a fork built from the release
//! branch) are kept and listed in the notes as "kept as is — check".

mod scaffold;
mod translate;

use crate::edit::{Base, EditError, EditOutcome, document, finish};
#[cfg(test)]
pub(crate) use scaffold::expected_entries;
use scaffold::scaffold;
use translate::translated_copy;

/// What to upgrade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upgrade {
    /// The deployments, upgraded together.
    pub deployments: Vec<String>,
    /// The stage that moves to the new release.
    pub stage: String,
    /// The new release.
    pub to: String,
    /// The release whose entries are copied (default: the release the stage runs now).
    pub from_release: Option<String>,
}

impl Upgrade {
    /// Returns an upgrade of `stage` of `deployments` to `to`, copying from the current release.
    pub fn new<I, S>(deployments: I, stage: &str, to: &str) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Upgrade {
            deployments: deployments.into_iter().map(Into::into).collect(),
            stage: stage.to_owned(),
            to: to.to_owned(),
            from_release: None,
        }
    }
}

/// What happens to one block.
enum Action {
    /// Append the new release to the block's `releases`.
    Extend(usize),
    /// Add a copy of the block for these deployments right after it.
    Copy(usize, Vec<String>),
}

/// Sets the stage to the new release and scaffolds the release-map entries it needs.
pub fn upgrade<'t>(base: impl Into<Base<'t>>, args: &Upgrade) -> Result<EditOutcome, EditError> {
    let base = base.into();
    let text = base.text;
    let (mut doc, matrix) = document::open(base)?;
    if args.deployments.is_empty() {
        return Err(EditError::refused("no deployment to upgrade"));
    }
    document::stage(&matrix, &args.stage)?;
    // An unknown release is a usage error (exit 2) like every unknown name; the command line
    // adds how to define it.
    document::release(&matrix, &args.to)?;
    if let Some(from) = &args.from_release {
        document::release(&matrix, from)?;
    }
    let mut deployments: Vec<String> = Vec::new();
    for d in &args.deployments {
        if !deployments.contains(d) {
            deployments.push(d.clone());
        }
    }
    // (deployment, the release it runs now, the release its entries are copied from)
    let mut plan: Vec<(String, String, String)> = Vec::new();
    for d in &deployments {
        let deployment = document::deployment(&matrix, d)?;
        let Some(current) = deployment.release_of(&args.stage) else {
            return Err(EditError::refused(format!(
                "deployment `{d}` has no stage `{}`",
                args.stage
            )));
        };
        let from = args
            .from_release
            .clone()
            .unwrap_or_else(|| scaffold_source(&matrix, deployment, current.as_str()));
        plan.push((d.clone(), current.as_str().to_owned(), from));
    }

    let mut expected = matrix.clone();
    let mut notes = Vec::new();
    let mut changed_pins = Vec::new();
    for (d, current, _) in &plan {
        if *current != args.to {
            document::set_pin(&mut doc, d, &args.stage, &args.to)?;
            document::set_pin_in_model(&mut expected, d, &args.stage, &args.to);
            changed_pins.push(format!("`{d}`"));
        }
    }

    // Deployments needing entries for the new release, grouped by the release copied from.
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (d, _, from) in &plan {
        if matrix.entry(&args.to, d).is_some() {
            continue;
        }
        if matrix.entry(from, d).is_none() {
            return Err(EditError::refused(format!(
                "deployment `{d}` has no release-map entry for `{from}` to copy for `{}`",
                args.to
            )));
        }
        match groups.iter_mut().find(|(f, _)| f == from) {
            Some((_, ds)) => ds.push(d.clone()),
            None => groups.push((from.clone(), vec![d.clone()])),
        }
    }

    let mut extended = 0;
    let mut copied = 0;
    for (from, ds) in &groups {
        let (actions, new_entries, group_notes) = scaffold(&doc, from, &args.to, ds);
        notes.extend(group_notes);
        expected.release_map.extend(new_entries);
        let blocks = document::blocks_mut(&mut doc)?;
        // Extensions first (they move nothing), then copies from the last block up.
        for action in &actions {
            if let Action::Extend(b) = action {
                if let Some(item) = blocks.get_mut(*b).and_then(|t| t.get_mut("releases")) {
                    document::push_name(item, &args.to);
                }
                extended += 1;
            }
        }
        let mut copies: Vec<(usize, &Vec<String>)> = actions
            .iter()
            .filter_map(|a| match a {
                Action::Copy(b, covered) => Some((*b, covered)),
                Action::Extend(_) => None,
            })
            .collect();
        copies.sort_by_key(|a| std::cmp::Reverse(a.0));
        for (b, covered) in copies {
            let Some(source) = blocks.get(b) else {
                continue;
            };
            let block = translated_copy(source, from, &args.to, covered);
            document::insert_block(blocks, b + 1, block);
            copied += 1;
        }
    }

    if changed_pins.is_empty() && groups.is_empty() {
        return Ok(EditOutcome {
            text: text.to_owned(),
            summary: format!(
                "stage `{}` of {} already runs `{}`: nothing to change",
                args.stage,
                deployments
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                args.to
            ),
            notes,
        });
    }
    let mut summary = format!(
        "upgraded stage `{}` of {} to `{}`",
        args.stage,
        if changed_pins.is_empty() {
            "no deployment".to_owned()
        } else {
            changed_pins.join(", ")
        },
        args.to
    );
    for (d, current, from) in &plan {
        if from != current && matrix.entry(&args.to, d).is_none() {
            summary.push_str(&format!("; `{d}` scaffolded from `{from}`"));
        }
    }
    if extended + copied > 0 {
        summary.push_str(&format!(
            "; release map: {extended} block{} extended, {copied} block{} added",
            if extended == 1 { "" } else { "s" },
            if copied == 1 { "" } else { "s" }
        ));
    }
    for (d, _, _) in &plan {
        summary.push_str(&component_changes(&matrix, &expected, d, &args.stage));
    }
    finish(base.text, doc.to_string(), &expected, summary, notes)
}

/// The release whose entries a new release copies by default: the one the stage runs, unless
/// that is a rolling line (`master`), whose blocks carry master-only applications and branches —
/// then the newest named release the deployment runs on another stage (else the rolling one).
fn scaffold_source(
    matrix: &edx_matrix_model::Matrix,
    deployment: &edx_matrix_model::Deployment,
    current: &str,
) -> String {
    let rolling = matrix.release(current).is_some_and(|r| r.rolling);
    if !rolling {
        return current.to_owned();
    }
    deployment
        .stages
        .iter()
        .filter_map(|p| matrix.release(p.release.as_str()))
        .filter(|r| !r.rolling)
        .max_by(|a, b| edx_matrix_model::compare_releases(a, b))
        .map_or_else(|| current.to_owned(), |r| r.name.as_str().to_owned())
}

/// What the upgrade changes in the stage's components: every application whose origin changes
/// (fork ↔ upstream) and every one added or dropped, as a summary suffix.
fn component_changes(
    before: &edx_matrix_model::Matrix,
    after: &edx_matrix_model::Matrix,
    deployment: &str,
    stage: &str,
) -> String {
    let rows = |m: &edx_matrix_model::Matrix| -> Vec<(String, String)> {
        let filter = edx_matrix_model::Filter {
            deployment: Some(deployment.into()),
            stage: Some(stage.into()),
            ..Default::default()
        };
        edx_matrix_model::resolve(m, &filter)
            .rows
            .iter()
            .map(|r| (r.application.to_owned(), r.git_origin.to_owned()))
            .collect()
    };
    let (old, new) = (rows(before), rows(after));
    let mut parts = Vec::new();
    for (app, origin) in &new {
        match old.iter().find(|(a, _)| a == app) {
            None => parts.push(format!("`{app}` added")),
            Some((_, was)) if was != origin => {
                parts.push(format!("`{app}` origin {was} → {origin}"));
            }
            Some(_) => {}
        }
    }
    for (app, _) in &old {
        if !new.iter().any(|(a, _)| a == app) {
            parts.push(format!("`{app}` dropped"));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("\n`{deployment}` {stage}: {}", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::document::tests::changes;
    use crate::edit::meaning::same_meaning;
    use crate::{Source, load_toml};

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    /// The seed's own example: mitx and mitx-staging on olive everywhere, edx-platform from a
    /// fork on `mitx/olive`.
    pub(crate) const SEED: &str = r#"stages = ["CI", "QA", "Production"]

[releases]
olive = { branch = "open-release/olive.master", python = "3.8", node = "16" }
palm  = { branch = "open-release/palm.master", python = "3.8", node = "16" }

[applications]
edx-platform = { kind = "ida", repository = "https://github.com/openedx/edx-platform" }
xqwatcher    = { kind = "ida", repository = "https://github.com/openedx/xqueue-watcher" }
learning     = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learn" }

[deployments]
mitx         = { CI = "olive", QA = "olive", Production = "olive" }
mitx-staging = { CI = "olive", QA = "olive", Production = "olive" }

# MITx residential, both deployments.
[[map]]
releases    = ["olive"]
deployments = ["mitx", "mitx-staging"]
[map.apps]
edx-platform = { origin = "https://github.com/mitodl/edx-platform", branch = "mitx/olive" }
xqwatcher    = { origin = "https://github.com/mitodl/xqueue-watcher", branch = "master" } # our fork
learning     = {}
"#;

    #[test]
    fn seed_example_changes_two_ci_lines_and_adds_palm() {
        let mut args = Upgrade::new(["mitx", "mitx-staging"], "CI", "palm");
        args.from_release = None;
        let out = upgrade(SEED, &args).expect("upgrades");
        let (removed, added) = changes(SEED, &out.text);
        assert_eq!(
            removed,
            lines(&[
                r#"mitx         = { CI = "olive", QA = "olive", Production = "olive" }"#,
                r#"mitx-staging = { CI = "olive", QA = "olive", Production = "olive" }"#,
            ])
        );
        assert_eq!(
            added,
            lines(&[
                r#"mitx         = { CI = "palm", QA = "olive", Production = "olive" }"#,
                r#"mitx-staging = { CI = "palm", QA = "olive", Production = "olive" }"#,
                "",
                "[[map]]",
                r#"releases    = ["palm"]"#,
                r#"deployments = ["mitx", "mitx-staging"]"#,
                "[map.apps]",
                r#"edx-platform = { origin = "https://github.com/mitodl/edx-platform", branch = "mitx/palm" }"#,
                r#"xqwatcher    = { origin = "https://github.com/mitodl/xqueue-watcher", branch = "master" } # our fork"#,
                "learning     = {}",
            ])
        );
        assert_eq!(
            out.notes,
            ["`xqwatcher`: branch `master` kept as is — check"]
        );
        let after = load_toml(Source::new("t", out.text.as_str()));
        assert!(!after.has_errors(), "{:?}", after.diagnostics);
        let palm = after.matrix.entry("palm", "mitx").expect("palm entry");
        let edx = palm
            .apps
            .iter()
            .find(|a| a.application == "edx-platform")
            .expect("edx-platform");
        assert_eq!(edx.branch.as_ref().map(|b| b.as_str()), Some("mitx/palm"));
        assert_eq!(
            edx.origin.as_ref().map(|o| o.as_str()),
            Some("https://github.com/mitodl/edx-platform")
        );
    }

    #[test]
    fn a_templated_block_is_extended_in_place() {
        let text = SEED.replace("branch = \"mitx/olive\"", "branch = \"mitx/{release}\"");
        let out = upgrade(&text, &Upgrade::new(["mitx", "mitx-staging"], "CI", "palm"))
            .expect("upgrades");
        let (removed, added) = changes(&text, &out.text);
        assert_eq!(removed.len(), 3);
        assert_eq!(removed[2], r#"releases    = ["olive"]"#);
        assert_eq!(added[2], r#"releases    = ["olive", "palm"]"#);
        assert!(
            out.summary.contains("1 block extended, 0 blocks added"),
            "{}",
            out.summary
        );
    }

    #[test]
    fn upgrading_one_of_two_copies_the_block_for_it_alone() {
        let text = SEED.replace("branch = \"mitx/olive\"", "branch = \"mitx/{release}\"");
        let out = upgrade(&text, &Upgrade::new(["mitx"], "CI", "palm")).expect("upgrades");
        let (removed, added) = changes(&text, &out.text);
        assert_eq!(removed.len(), 1);
        assert!(added.contains(&r#"deployments = ["mitx"]"#.to_owned()));
        assert!(added.contains(&r#"edx-platform = { origin = "https://github.com/mitodl/edx-platform", branch = "mitx/{release}" }"#.to_owned()));
        let before = load_toml(Source::new("t", text.as_str())).matrix;
        let after = load_toml(Source::new("t", out.text.as_str())).matrix;
        let mut expected = before.clone();
        crate::edit::document::set_pin_in_model(&mut expected, "mitx", "CI", "palm");
        expected
            .release_map
            .push(expected_entries(&before, "olive", "palm", "mitx").expect("entry"));
        assert!(same_meaning(&after, &expected));
    }

    #[test]
    fn a_stage_on_a_rolling_line_scaffolds_from_the_newest_named_release_it_runs() {
        let text = crate::example::TEXT.replace(
            "master   = { branch = \"master\",",
            "wisteria = { branch = \"release/wisteria\", python = \"3.12\", node = \"24\" }\nmaster   = { branch = \"master\",",
        );
        let out =
            upgrade(text.as_str(), &Upgrade::new(["campus"], "CI", "wisteria")).expect("upgrades");
        // campus runs verawood on QA and Production: its blocks, not master's, are copied, so
        // learning comes from the fork as on verawood, and the summary says what changes.
        assert!(
            out.summary.contains("`campus` scaffolded from `verawood`"),
            "{}",
            out.summary
        );
        assert!(
            out.summary.contains(
                "`campus` CI: `learning` origin https://github.com/openedx/frontend-app-learning → https://github.com/acme-edu/frontend-app-learning"
            ),
            "{}",
            out.summary
        );
        // `--from-release` still chooses.
        let mut args = Upgrade::new(["campus"], "CI", "wisteria");
        args.from_release = Some("master".to_owned());
        let out = upgrade(text.as_str(), &args).expect("upgrades");
        // The stage's own release: no source named, learning stays upstream.
        assert!(!out.summary.contains("scaffolded from"), "{}", out.summary);
        assert!(!out.summary.contains("origin"), "{}", out.summary);
    }

    #[test]
    fn acme_pro_extends_both_blocks() {
        let text = crate::example::TEXT;
        let out = upgrade(text, &Upgrade::new(["pro"], "CI", "master")).expect("upgrades");
        let (removed, added) = changes(text, &out.text);
        assert_eq!(
            removed,
            lines(&[
                r#"CI         = { release = "verawood", vars = { SITE_URL = "https://ci.pro.acme.example", MFE_BUCKET = "acme-pro-ci-mfe", ENABLE_BETA = true } }"#,
                r#"releases    = ["verawood", "ulmo", "teak"]"#,
                r#"releases    = ["verawood", "ulmo"]"#,
            ])
        );
        assert_eq!(
            added,
            lines(&[
                r#"CI         = { release = "master",   vars = { SITE_URL = "https://ci.pro.acme.example", MFE_BUCKET = "acme-pro-ci-mfe", ENABLE_BETA = true } }"#,
                r#"releases    = ["verawood", "ulmo", "teak", "master"]"#,
                r#"releases    = ["verawood", "ulmo", "master"]"#,
            ])
        );
        // notes-api pins `master`, which is now the entry's own release: nothing to check.
        assert!(out.notes.is_empty(), "{:?}", out.notes);
    }

    #[test]
    fn acme_resolution_matches_the_model_edit() {
        let text = crate::example::TEXT;
        let before = load_toml(Source::new("t", text)).matrix;
        for (ds, stage, to) in [
            (vec!["pro"], "CI", "master"),
            (vec!["pro"], "QA", "verawood"),
            (vec!["campus"], "QA", "master"),
            (vec!["campus", "campus-staging"], "Production", "ulmo"),
        ] {
            let out = upgrade(text, &Upgrade::new(ds.clone(), stage, to)).expect("upgrades");
            let after = load_toml(Source::new("t", out.text.as_str()));
            assert!(!after.has_errors(), "{ds:?} {stage} {to}");
            let mut expected = before.clone();
            for d in &ds {
                let from = before
                    .deployment(d)
                    .and_then(|x| x.release_of(stage))
                    .expect("pinned")
                    .as_str()
                    .to_owned();
                crate::edit::document::set_pin_in_model(&mut expected, d, stage, to);
                if before.entry(to, d).is_none() {
                    expected
                        .release_map
                        .push(expected_entries(&before, &from, to, d).expect("entry"));
                }
            }
            assert!(
                same_meaning(&after.matrix, &expected),
                "{ds:?} {stage} {to}"
            );
        }
    }

    /// An unknown release is an unknown name like any other (a usage error on the command
    /// line, which adds how to define it).
    #[test]
    fn refuses_an_undefined_release_as_an_unknown_name() {
        let err = upgrade(SEED, &Upgrade::new(["mitx"], "CI", "quince")).expect_err("refused");
        assert!(
            matches!(&err, EditError::Unknown(u) if u.what == "release" && u.name == "quince"),
            "{err:?}"
        );
        assert!(matches!(
            upgrade(SEED, &Upgrade::new(["mitz"], "CI", "palm")),
            Err(EditError::Unknown(_))
        ));
    }
}
