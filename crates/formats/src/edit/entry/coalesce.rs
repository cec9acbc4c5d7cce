//! After `set`, the blocks holding only the changed application join when they differ only in
//! their releases: same deployments, and the same value once a one-release block's release name
//! is written `{release}`. So `set` of the same override on two releases makes (or keeps) one
//! templated block instead of one block per release.
//!
//! Then, when a block of the application alone covers exactly the pairs of another block (the one
//! it was split from), the application goes back into that block.
//!
//! Only blocks without a comment of their own are removed (a comment says the block is about
//! something). The caller checks the result's meaning and keeps the unjoined text if it differs.

use super::block_patch::insert_app;
use super::isolate::commented;
use crate::edit::document;
use std::collections::BTreeSet;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Value};

/// Joins the single-application blocks of `app` that differ only in their releases; returns
/// how many joins were made.
pub(super) fn coalesce(doc: &mut DocumentMut, app: &str) -> usize {
    let mut joins = 0;
    // Each join removes a block, so this ends.
    while let Some((keep, remove, releases, value)) = find_pair(doc, app) {
        let Ok(blocks) = document::blocks_mut(doc) else {
            break;
        };
        if let Some(block) = blocks.get_mut(keep) {
            if let Some(item) = block.get_mut("releases") {
                document::set_names(item, &releases);
            }
            if let Ok(apps) = document::apps_mut(block) {
                if let Some(Item::Value(slot)) = apps.get_mut(app) {
                    document::replace_value(slot, Value::InlineTable(value));
                }
            }
        }
        blocks.remove(remove);
        joins += 1;
    }
    if fold(doc, app) {
        joins += 1;
    }
    joins
}

/// Moves `app` from a block of its own into a block that covers exactly the same (release,
/// deployment) pairs and lacks it (typically the block it was split from); returns whether it
/// did.
fn fold(doc: &mut DocumentMut, app: &str) -> bool {
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let found = {
        let blocks = document::blocks(doc);
        let cover = |b: &toml_edit::Table| {
            (
                sorted(document::names(b, "releases")),
                sorted(document::names(b, "deployments")),
            )
        };
        let single = blocks.iter().enumerate().find(|(i, b)| {
            document::apps(b).is_some_and(|a| a.len() == 1 && a.contains_key(app))
                && !commented(doc, *i)
        });
        single.and_then(|(s, block)| {
            let item = document::apps(block)?.get(app)?.clone();
            let target = blocks.iter().enumerate().position(|(i, b)| {
                // A commented block is about something else: nothing is moved into it.
                i != s
                    && !commented(doc, i)
                    && cover(b) == cover(block)
                    && document::apps(b).is_some_and(|a| !a.contains_key(app))
            })?;
            Some((s, target, item))
        })
    };
    let Some((single, target, item)) = found else {
        return false;
    };
    let Ok(blocks) = document::blocks_mut(doc) else {
        return false;
    };
    if let Some(Ok(apps)) = blocks.get_mut(target).map(document::apps_mut) {
        insert_app(apps, app, item);
    } else {
        return false;
    }
    blocks.remove(single);
    true
}

/// A block of `app` alone: its index, releases, deployments (as a set) and templated value.
struct Single {
    index: usize,
    releases: Vec<String>,
    deployments: BTreeSet<String>,
    value: Vec<(String, Field)>,
}

/// One field of an application's value, with a one-release block's release name written
/// `{release}` (`release`, which names another release, is kept as it is).
#[derive(Clone, PartialEq, Eq)]
enum Field {
    String(String),
    Strings(Vec<String>),
}

/// Returns the first two joinable blocks: (kept block, removed block, joined releases, value).
fn find_pair(doc: &DocumentMut, app: &str) -> Option<(usize, usize, Vec<String>, InlineTable)> {
    let singles: Vec<Single> = document::blocks(doc)
        .iter()
        .enumerate()
        .filter_map(|(index, block)| {
            let apps = document::apps(block)?;
            if apps.len() != 1 {
                return None;
            }
            let releases = document::names(block, "releases");
            let value = templated(apps.get(app)?.as_inline_table()?, &releases)?;
            Some(Single {
                index,
                deployments: document::names(block, "deployments").into_iter().collect(),
                releases,
                value,
            })
        })
        .collect();
    for (n, a) in singles.iter().enumerate() {
        for b in &singles[n + 1..] {
            let disjoint = a.releases.iter().all(|r| !b.releases.contains(r));
            if a.deployments != b.deployments || !disjoint || a.value != b.value {
                continue;
            }
            let (keep, remove) = if !commented(doc, b.index) {
                (a, b)
            } else if !commented(doc, a.index) {
                (b, a)
            } else {
                continue;
            };
            let mut releases = keep.releases.clone();
            releases.extend(remove.releases.iter().cloned());
            return Some((keep.index, remove.index, releases, inline(&keep.value)));
        }
    }
    None
}

/// The fields of `value` with the release name of a one-release block written `{release}`;
/// `None` for a value this does not handle (a nested table, a number).
fn templated(value: &InlineTable, releases: &[String]) -> Option<Vec<(String, Field)>> {
    let template = |s: &str, key: &str| match releases {
        [release] if key != "release" && !release.is_empty() => {
            s.replace(release.as_str(), "{release}")
        }
        _ => s.to_owned(),
    };
    value
        .iter()
        .map(|(key, v)| {
            let field = match v {
                Value::String(s) => Field::String(template(s.value(), key)),
                Value::Array(a) => Field::Strings(
                    a.iter()
                        .map(|v| v.as_str().map(|s| template(s, key)))
                        .collect::<Option<Vec<_>>>()?,
                ),
                _ => return None,
            };
            Some((key.to_owned(), field))
        })
        .collect()
}

/// The inline table of `fields`, written plainly.
fn inline(fields: &[(String, Field)]) -> InlineTable {
    let mut t = InlineTable::new();
    for (key, field) in fields {
        let value = match field {
            Field::String(s) => Value::from(s.as_str()),
            Field::Strings(items) => {
                let mut a = Array::new();
                for s in items {
                    a.push(s.as_str());
                }
                Value::Array(a)
            }
        };
        t.insert(key, value);
    }
    t.fmt();
    t
}

#[cfg(test)]
mod tests {
    use crate::edit::entry::{Override, Patch, Target, set};

    const TEXT: &str = r#"stages = ["CI", "QA"]

[releases]
verawood = { branch = "release/verawood", python = "3.12", node = "24" }
master   = { branch = "master", python = "3.12", node = "24" }

[applications]
edx-platform = { kind = "ida", repository = "https://github.com/openedx/edx-platform" }
forum        = { kind = "ida", repository = "https://github.com/openedx/forum" }

[deployments]
site  = { CI = "master", QA = "verawood" }
other = { CI = "master", QA = "verawood" }

[[map]]
releases    = ["master", "verawood"]
deployments = ["site", "other"]
[map.apps]
edx-platform = {}
forum        = {}
"#;

    fn set_branch(text: &str, deployment: &str, release: &str, branch: &str) -> String {
        set(
            text,
            &Target::new(&deployment.into(), &release.into(), &"edx-platform".into()),
            &Patch {
                branch: Override::Set(branch.to_owned()),
                ..Patch::default()
            },
        )
        .expect("sets")
        .text
    }

    #[test]
    fn the_same_override_on_two_releases_is_one_templated_block() {
        let once = set_branch(TEXT, "site", "verawood", "site/verawood");
        let twice = set_branch(&once, "site", "master", "site/master");
        // Written by hand: `other` keeps edx-platform's defaults on both releases in one block,
        // `site` gets one templated block (not one per release).
        let expected = r#"
[[map]]
releases    = ["master", "verawood"]
deployments = ["site", "other"]
[map.apps]
forum = {}

[[map]]
releases    = ["master", "verawood"]
deployments = ["other"]
[map.apps]
edx-platform = {}

[[map]]
releases    = ["master", "verawood"]
deployments = ["site"]
[map.apps]
edx-platform = { branch = "site/{release}" }
"#;
        let map = &twice[twice.find("\n[[map]]").expect("a block")..];
        assert_eq!(map, expected);
    }

    #[test]
    fn different_values_or_a_commented_block_stay_apart() {
        let once = set_branch(TEXT, "site", "verawood", "site/verawood");
        let different = set_branch(&once, "site", "master", "site/main");
        assert_eq!(different.matches("[[map]]").count(), 4, "{different}");
        let commented = once.replacen(
            "\n[[map]]\nreleases    = [\"verawood\"]\ndeployments = [\"site\"]",
            "\n# the verawood fix\n[[map]]\nreleases    = [\"verawood\"]\ndeployments = [\"site\"]",
            1,
        );
        assert_ne!(commented, once);
        let joined = set_branch(&commented, "site", "master", "site/master");
        // The commented block is kept and the other one joins it.
        assert!(
            joined
                .contains("# the verawood fix\n[[map]]\nreleases    = [\"verawood\", \"master\"]"),
            "{joined}"
        );
        assert_eq!(joined.matches("[[map]]").count(), 3, "{joined}");
    }

    #[test]
    fn a_block_covering_the_same_pairs_takes_the_application_back() {
        let one = TEXT.replace(
            "deployments = [\"site\", \"other\"]",
            "deployments = [\"site\"]",
        );
        let one = one.replace("other = { CI = \"master\", QA = \"verawood\" }\n", "");
        let once = set_branch(&one, "site", "verawood", "site/verawood");
        let twice = set_branch(&once, "site", "master", "site/master");
        // One block again, as before the first `set`, with the templated override (last).
        let expected = r#"
[[map]]
releases    = ["master", "verawood"]
deployments = ["site"]
[map.apps]
forum        = {}
edx-platform = { branch = "site/{release}" }
"#;
        let map = &twice[twice.find("\n[[map]]").expect("a block")..];
        assert_eq!(map, expected);
    }

    #[test]
    fn a_fold_alone_counts_as_a_join() {
        // Two blocks of the same pair, `forum` alone in the second: `set` patches it in place
        // (no block to split, no pair of blocks to join) and the fold moves it into the first.
        // Counted as no join, the fold's text would be thrown away.
        let text = r#"stages = ["CI"]

[releases]
master = { branch = "master", python = "3.12", node = "24" }

[applications]
edx-platform = { kind = "ida", repository = "https://github.com/openedx/edx-platform" }
forum        = { kind = "ida", repository = "https://github.com/openedx/forum" }

[deployments]
site = { CI = "master" }

[[map]]
releases    = ["master"]
deployments = ["site"]
[map.apps]
edx-platform = {}

[[map]]
releases    = ["master"]
deployments = ["site"]
[map.apps]
forum = {}
"#;
        let out = set(
            text,
            &Target::new(&"site".into(), &"master".into(), &"forum".into()),
            &Patch {
                branch: Override::Set("site/master".to_owned()),
                ..Patch::default()
            },
        )
        .expect("sets");
        let map = &out.text[out.text.find("\n[[map]]").expect("a block")..];
        assert_eq!(
            map,
            r#"
[[map]]
releases    = ["master"]
deployments = ["site"]
[map.apps]
edx-platform = {}
forum        = { branch = "site/master" }
"#
        );
        assert!(out.summary.ends_with("joined into one"), "{}", out.summary);
    }

    /// Site on master and verawood (ulmo: a release no stage runs), `edx-platform` in one block
    /// per release after `forum`'s: `BLOCKS` is inserted before the master block.
    fn per_release(blocks: &str) -> String {
        format!(
            r#"stages = ["CI", "QA"]

[releases]
verawood = {{ branch = "release/verawood", python = "3.12", node = "24" }}
master   = {{ branch = "master", python = "3.12", node = "24" }}
ulmo     = {{ branch = "release/ulmo", python = "3.11", node = "24" }}

[applications]
edx-platform = {{ kind = "ida", repository = "https://github.com/openedx/edx-platform" }}
forum        = {{ kind = "ida", repository = "https://github.com/openedx/forum" }}

[deployments]
site = {{ CI = "master", QA = "verawood" }}

[[map]]
releases    = ["master", "verawood", "ulmo"]
deployments = ["site"]
[map.apps]
forum = {{}}
{blocks}
[[map]]
releases    = ["master"]
deployments = ["site"]
[map.apps]
edx-platform = {{}}
"#
        )
    }

    /// The text from ulmo's (first) `[[map]]` block on.
    fn from_ulmos_block(out: &str) -> &str {
        &out[out
            .find("\n[[map]]\nreleases    = [\"ulmo\"]")
            .expect("ulmo's block")..]
    }

    #[test]
    fn a_block_with_another_value_before_the_pair_does_not_stop_the_join() {
        // ulmo's block has another value: it is passed over, and verawood's joins master's.
        let text = per_release(
            r#"
[[map]]
releases    = ["ulmo"]
deployments = ["site"]
[map.apps]
edx-platform = { branch = "ulmo-fix" }

[[map]]
releases    = ["verawood"]
deployments = ["site"]
[map.apps]
edx-platform = { branch = "site/verawood" }
"#,
        );
        let out = set_branch(&text, "site", "master", "site/master");
        let map = from_ulmos_block(&out);
        assert_eq!(
            map,
            r#"
[[map]]
releases    = ["ulmo"]
deployments = ["site"]
[map.apps]
edx-platform = { branch = "ulmo-fix" }

[[map]]
releases    = ["verawood", "master"]
deployments = ["site"]
[map.apps]
edx-platform = { branch = "site/{release}" }
"#
        );
    }

    #[test]
    fn a_block_of_no_release_is_not_joined_with_itself() {
        // A block that covers nothing (`releases = []`) is valid and left as written: it shares
        // no release with any block, but it is not a second block to join it with.
        let parked = "\n[[map]]\nreleases    = []\ndeployments = [\"site\"]\n[map.apps]\nedx-platform = {}\n";
        let text = per_release(parked);
        let out = set_branch(&text, "site", "master", "site/master");
        assert!(out.contains(parked), "{out}");
        assert!(
            out.ends_with("[map.apps]\nedx-platform = { branch = \"site/master\" }\n"),
            "{out}"
        );
    }

    #[test]
    fn a_release_value_naming_its_own_block_release_is_not_a_template() {
        // `release = "ulmo"` in ulmo's block and `release = "teak"` in teak's are two values,
        // not one `release = "{release}"`: those blocks stay apart, and verawood's and master's
        // still join.
        let text = per_release(
            r#"
[[map]]
releases    = ["ulmo"]
deployments = ["site"]
[map.apps]
edx-platform = { release = "ulmo" }

[[map]]
releases    = ["teak"]
deployments = ["site"]
[map.apps]
edx-platform = { release = "teak" }

[[map]]
releases    = ["verawood"]
deployments = ["site"]
[map.apps]
edx-platform = { branch = "site/verawood" }
"#,
        )
        .replace(
            "ulmo     = { branch = \"release/ulmo\", python = \"3.11\", node = \"24\" }\n",
            "ulmo     = { branch = \"release/ulmo\", python = \"3.11\", node = \"24\" }\nteak     = { branch = \"release/teak\", python = \"3.11\", node = \"20\" }\n",
        )
        .replace(
            "releases    = [\"master\", \"verawood\", \"ulmo\"]",
            "releases    = [\"master\", \"verawood\", \"ulmo\", \"teak\"]",
        );
        let out = set_branch(&text, "site", "master", "site/master");
        let map = from_ulmos_block(&out);
        assert_eq!(
            map,
            r#"
[[map]]
releases    = ["ulmo"]
deployments = ["site"]
[map.apps]
edx-platform = { release = "ulmo" }

[[map]]
releases    = ["teak"]
deployments = ["site"]
[map.apps]
edx-platform = { release = "teak" }

[[map]]
releases    = ["verawood", "master"]
deployments = ["site"]
[map.apps]
edx-platform = { branch = "site/{release}" }
"#
        );
    }

    #[test]
    fn blocks_of_other_deployments_are_not_joined() {
        // ulmo's block of `other` has the same templated value as verawood's of `site`, but not
        // the same deployments: it is passed over, and verawood's and master's still join.
        let text = per_release(
            r#"
[[map]]
releases    = ["ulmo"]
deployments = ["other"]
[map.apps]
edx-platform = { branch = "site/ulmo" }

[[map]]
releases    = ["verawood"]
deployments = ["site"]
[map.apps]
edx-platform = { branch = "site/verawood" }
"#,
        )
        .replace(
            "site = { CI = \"master\", QA = \"verawood\" }\n",
            "site = { CI = \"master\", QA = \"verawood\" }\nother = { CI = \"ulmo\" }\n",
        );
        let out = set_branch(&text, "site", "master", "site/master");
        let map = from_ulmos_block(&out);
        assert_eq!(
            map,
            r#"
[[map]]
releases    = ["ulmo"]
deployments = ["other"]
[map.apps]
edx-platform = { branch = "site/ulmo" }

[[map]]
releases    = ["verawood", "master"]
deployments = ["site"]
[map.apps]
edx-platform = { branch = "site/{release}" }
"#
        );
    }

    #[test]
    fn the_same_translation_commands_on_two_releases_join() {
        let text = per_release(
            r#"
[[map]]
releases    = ["verawood"]
deployments = ["site"]
[map.apps]
edx-platform = { translations = ["make pull_translations"] }
"#,
        );
        let out = set(
            text.as_str(),
            &Target::new(&"site".into(), &"master".into(), &"edx-platform".into()),
            &Patch {
                translations: Override::Set(vec!["make pull_translations".to_owned()]),
                ..Patch::default()
            },
        )
        .expect("sets")
        .text;
        assert!(
            out.ends_with(
                "releases    = [\"verawood\", \"master\"]\ndeployments = [\"site\"]\n[map.apps]\nedx-platform = { translations = [\"make pull_translations\"] }\n"
            ),
            "{out}"
        );
        assert_eq!(out.matches("[[map]]").count(), 2, "{out}");
    }
}
