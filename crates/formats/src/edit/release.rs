//! `release add` and `release retire`: the supported releases.

use crate::edit::document::{self, Lines};
use crate::edit::{Base, EditError, EditOutcome, Place, finish};
use crate::runbook::builtin;
use edx_matrix_model::compare_releases;
use edx_matrix_model::{Release, names, names::ReleaseName};
use std::cmp::Ordering;
use toml_edit::Item;

/// A release to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRelease {
    /// The name (`willow`).
    pub name: String,
    /// The upstream branch (`release/willow`).
    pub branch: String,
    /// The default Python version of IDAs.
    pub python: String,
    /// The default Node version of MFEs.
    pub node: String,
}

/// Adds a release to `[releases]`, in age order when the file lists them in age order.
pub fn add<'t>(base: impl Into<Base<'t>>, new: &NewRelease) -> Result<EditOutcome, EditError> {
    let base = base.into();
    let (mut doc, matrix) = document::open(base)?;
    let invalid = EditError::invalid;
    EditError::check_name("release name", &new.name)?;
    if matrix.release(&new.name).is_some() {
        return Err(EditError::Refused {
            message: format!("release `{}` is already defined", new.name),
            places: Vec::new(),
            hint: None,
        });
    }
    if let Some(reason) = edx_matrix_model::branch_name_problem(&new.branch) {
        return Err(invalid("branch", &new.branch, reason));
    }
    for (what, v) in [("python version", &new.python), ("node version", &new.node)] {
        if !names::is_valid_runtime(v) {
            return Err(invalid(
                what,
                v,
                "use letters, digits and `.`, `-`, `_`, `+`",
            ));
        }
    }
    let release = Release {
        name: new.name.as_str().into(),
        branch: new.branch.as_str().into(),
        python: Some(new.python.as_str().into()),
        node: Some(new.node.as_str().into()),
        rolling: Release::is_rolling_name(&new.name),
    };
    // Before the first release that is newer, when the file is in age order; else at the end.
    let in_order = matrix
        .releases
        .windows(2)
        .all(|w| compare_releases(&w[0], &w[1]) != Ordering::Greater);
    let position = if in_order {
        matrix
            .releases
            .iter()
            .position(|r| compare_releases(r, &release) == Ordering::Greater)
            .unwrap_or(matrix.releases.len())
    } else {
        matrix.releases.len()
    };
    let Some(Item::Table(table)) = doc.get_mut("releases") else {
        return Err(EditError::Unreadable(
            "`releases` is not a `[releases]` section".to_owned(),
        ));
    };
    document::insert_row(
        table,
        position,
        &new.name,
        &[
            ("branch", new.branch.as_str()),
            ("python", new.python.as_str()),
            ("node", new.node.as_str()),
        ],
    );
    let mut expected = matrix.clone();
    expected.releases.insert(position, release);
    let mut summary = format!("added release `{}`", new.name);
    let mut notes = Vec::new();
    // Pre-fill the runbook of an upstream release the tool knows steps for (issue 8). The
    // every-release steps alone are not copied: `steps_for` falls back to them anyway.
    if builtin::releases().contains(&new.name.as_str()) && builtin::insert(&mut doc, &new.name) {
        let count = builtin::steps(&new.name).len();
        summary.push_str(&format!(
            " with {count} built-in runbook step{}",
            if count == 1 { "" } else { "s" }
        ));
        notes.push(format!(
            "`[[runbooks.{0}]]` holds the upgrade steps edx-matrix knows for `{0}`: check and \
             adapt them (`edx-matrix runbook {0}` prints them)",
            new.name
        ));
    }
    finish(base.text, doc.to_string(), &expected, summary, notes)
}

/// Removes a release and every release-map entry for it; refuses while a stage runs it or an
/// entry of another release takes its defaults (`release = "..."`).
pub fn retire<'t>(base: impl Into<Base<'t>>, name: &ReleaseName) -> Result<EditOutcome, EditError> {
    let name = name.as_str();
    let base = base.into();
    let text = base.text;
    let (mut doc, matrix) = document::open(base)?;
    document::release(&matrix, name)?;
    let lines = Lines::new(text);
    let mut places: Vec<Place> = Vec::new();
    for d in &matrix.deployments {
        for pin in &d.stages {
            if pin.release == name {
                places.push(lines.stage(d.name.as_str(), pin.stage.as_str()));
            }
        }
    }
    if !places.is_empty() {
        return Err(EditError::Refused {
            message: format!(
                "release `{name}` is still used by {} stage{}",
                places.len(),
                if places.len() == 1 { "" } else { "s" }
            ),
            places,
            hint: Some(
                "move those stages to another release first (`edx-matrix upgrade` or `promote`)"
                    .to_owned(),
            ),
        });
    }
    for (b, block) in document::blocks(&doc).into_iter().enumerate() {
        let releases = document::names(block, "releases");
        if releases.iter().all(|r| r == name) {
            continue;
        }
        if let Some(apps) = document::apps(block) {
            for (app, item) in apps.iter() {
                if document::RawApp::read(item).release.as_deref() == Some(name) {
                    places.push(lines.block_app(
                        b,
                        app,
                        format!("`{app}` takes the defaults of `{name}`"),
                    ));
                }
            }
        }
    }
    if !places.is_empty() {
        return Err(EditError::Refused {
            message: format!("release `{name}` is still named by release-map entries"),
            places,
            hint: Some("change or remove their `release = ...` first".to_owned()),
        });
    }

    let section = document::section_mut(&mut doc, "releases")?;
    section.remove(name);
    let mut removed_blocks = 0;
    let mut shrunk_blocks = 0;
    let blocks = document::blocks_mut(&mut doc)?;
    for b in (0..blocks.len()).rev() {
        let Some(block) = blocks.get_mut(b) else {
            continue;
        };
        let Some(array) = block.get_mut("releases").and_then(Item::as_array_mut) else {
            continue;
        };
        let Some(i) = array.iter().position(|v| v.as_str() == Some(name)) else {
            continue;
        };
        if array.len() > 1 {
            document::remove_at(array, i);
            shrunk_blocks += 1;
            continue;
        }
        let removed = blocks.remove(b);
        removed_blocks += 1;
        // The first block often carries the comment that introduces the whole release map.
        if b == 0 {
            if let Some(next) = blocks.get_mut(0) {
                let moved = removed
                    .decor()
                    .prefix()
                    .and_then(|p| p.as_str())
                    .unwrap_or("")
                    .to_owned();
                let own = next
                    .decor()
                    .prefix()
                    .and_then(|p| p.as_str())
                    .unwrap_or("")
                    .to_owned();
                if moved.contains('#') {
                    next.decor_mut()
                        .set_prefix(format!("{moved}{}", own.trim_start_matches('\n')));
                }
            }
        }
    }
    // Its runbook goes too: a runbook for an undefined release is an error.
    let runbook_steps = remove_runbook(&mut doc, name);
    let mut expected = matrix.clone();
    expected.releases.retain(|r| r.name != name);
    expected.release_map.retain(|e| e.release != name);
    let mut summary = format!("retired release `{name}`");
    if removed_blocks + shrunk_blocks > 0 {
        summary.push_str(&format!(
            "; release map: {removed_blocks} block{} removed, {shrunk_blocks} block{} shortened",
            if removed_blocks == 1 { "" } else { "s" },
            if shrunk_blocks == 1 { "" } else { "s" },
        ));
    }
    if let Some(steps) = runbook_steps {
        summary.push_str(&format!(
            "; runbook of {steps} step{} removed",
            if steps == 1 { "" } else { "s" }
        ));
    }
    let new_text = doc.to_string();
    let notes = stale_comments(&new_text, name);
    finish(base.text, new_text, &expected, summary, notes)
}

/// Removes the runbook of `release` (`[[runbooks.RELEASE]]` blocks or `RELEASE = [...]` under
/// `[runbooks]`) and returns how many steps it had, if there was one. A `[runbooks]` section
/// left empty goes too, unless it is written out with a header.
fn remove_runbook(doc: &mut toml_edit::DocumentMut, release: &str) -> Option<usize> {
    let runbooks = doc.get_mut("runbooks")?.as_table_like_mut()?;
    let removed = runbooks.remove(release)?;
    let steps = match &removed {
        Item::ArrayOfTables(array) => array.len(),
        Item::Value(toml_edit::Value::Array(array)) => array.len(),
        _ => 0,
    };
    let now_empty = runbooks.is_empty();
    let implicit = doc
        .get("runbooks")
        .and_then(Item::as_table)
        .is_some_and(toml_edit::Table::is_implicit);
    if now_empty && implicit {
        doc.remove("runbooks");
    }
    Some(steps)
}

/// Returns a note for every comment of `text` that still names `release`.
fn stale_comments(text: &str, release: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let comment = &line[line.find('#')?..];
            (crate::template::rename_token(comment, release, "") != comment).then(|| {
                format!(
                    "line {}: this comment still mentions `{release}`: {}",
                    i + 1,
                    comment.trim()
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::document::tests::changes;

    const ACME: &str = crate::example::TEXT;

    fn willow() -> NewRelease {
        NewRelease {
            name: "willow".to_owned(),
            branch: "release/willow".to_owned(),
            python: "3.12".to_owned(),
            node: "24".to_owned(),
        }
    }

    #[test]
    fn add_goes_in_age_order_and_aligned() {
        let out = add(ACME, &willow()).expect("adds");
        assert_eq!(
            changes(ACME, &out.text),
            (
                Vec::new(),
                vec![
                    r#"willow   = { branch = "release/willow",   python = "3.12", node = "24" }"#
                        .to_owned()
                ]
            )
        );
        let lines: Vec<&str> = out.text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with("willow"))
            .expect("added");
        assert!(lines[at - 1].starts_with("verawood") && lines[at + 1].starts_with("master"));
    }

    #[test]
    fn add_refuses_duplicates_and_bad_values() {
        let mut dup = willow();
        dup.name = "ulmo".to_owned();
        assert!(matches!(add(ACME, &dup), Err(EditError::Refused { .. })));
        let mut bad = willow();
        bad.branch = "release/willow.lock".to_owned();
        assert!(matches!(
            add(ACME, &bad),
            Err(EditError::InvalidValue { what: "branch", .. })
        ));
        let mut bad = willow();
        bad.python = "3 12".to_owned();
        assert!(matches!(
            add(ACME, &bad),
            Err(EditError::InvalidValue { .. })
        ));
    }

    #[test]
    fn retire_refuses_while_a_stage_uses_it() {
        let err = retire(ACME, &"ulmo".into()).expect_err("pro QA runs ulmo");
        let EditError::Refused { places, .. } = err else {
            panic!("not refused")
        };
        assert_eq!(places.len(), 1);
        assert_eq!(places[0].what, "stage `QA` of `pro`");
        assert_eq!(places[0].line, 43);
        assert!(matches!(
            retire(ACME, &"master".into()),
            Err(EditError::Refused { .. })
        ));
    }

    #[test]
    fn retire_removes_the_release_and_its_entries() {
        let text = edx_matrix_test_support::pin_pro(ACME, ["verawood", "verawood", "verawood"]);
        let once = retire(&text, &"ulmo".into()).expect("ulmo retires");
        let (removed, added) = changes(&text, &once.text);
        assert_eq!(
            removed,
            [
                r#"ulmo     = { branch = "release/ulmo",     python = "3.11", node = "24" }"#,
                r#"releases    = ["master", "verawood", "ulmo"]"#,
                r#"releases    = ["master", "ulmo"]"#,
                r#"releases    = ["verawood", "ulmo", "teak"]"#,
                r#"releases    = ["verawood", "ulmo"]"#,
            ]
        );
        assert_eq!(
            added,
            [
                r#"releases    = ["master", "verawood"]"#,
                r#"releases    = ["master"]"#,
                r#"releases    = ["verawood", "teak"]"#,
                r#"releases    = ["verawood"]"#,
            ]
        );
        let twice = retire(&once.text, &"teak".into()).expect("teak retires");
        let (removed, _) = changes(&once.text, &twice.text);
        assert_eq!(
            twice.notes,
            [
                "line 116: this comment still mentions `teak`: # communications needs Node 22 on teak."
            ]
        );
        assert!(removed.contains(&r#"communications = { runtime = "22" }"#.to_owned()));
        assert!(
            twice.summary.contains("1 block removed, 1 block shortened"),
            "{}",
            twice.summary
        );
    }

    fn redwood() -> NewRelease {
        NewRelease {
            name: "redwood".to_owned(),
            branch: "open-release/redwood.master".to_owned(),
            python: "3.11".to_owned(),
            node: "18".to_owned(),
        }
    }

    #[test]
    fn add_prefills_the_runbook_of_a_release_the_tool_knows() {
        let out = add(ACME, &redwood()).expect("adds");
        assert!(
            out.summary.contains("with 2 built-in runbook steps"),
            "{}",
            out.summary
        );
        assert_eq!(out.notes.len(), 1);
        assert!(out.text.find("[[runbooks.redwood]]") > out.text.rfind("[[map]]"));
        assert_eq!(out.text.matches("[[runbooks.redwood]]").count(), 2);
        let loaded = crate::load_toml(crate::Source::new("edx-matrix.toml", out.text.as_str()));
        assert!(
            !loaded.diagnostics.iter().any(crate::Diagnostic::is_error),
            "{:?}",
            loaded.diagnostics
        );
        let file = crate::runbook::of(&loaded);
        assert_eq!(
            file.runbooks.for_release("redwood"),
            Some(builtin::steps("redwood").as_slice())
        );
        // A release with no steps of its own gets no runbook: the every-release steps apply
        // to it anyway, as a fallback.
        let out = add(ACME, &willow()).expect("adds");
        assert!(!out.text.contains("runbooks"));
        assert!(out.notes.is_empty());
    }

    #[test]
    fn add_keeps_a_runbook_already_written_for_it() {
        // Not reachable through a valid file (a runbook needs its release), but `insert`
        // must not replace steps someone wrote.
        let text = format!("{ACME}\n[runbooks]\nulmo = []\n");
        let out = add(&text, &redwood()).expect("adds");
        assert!(out.text.contains("ulmo = []\n"));
        assert_eq!(out.text.matches("[[runbooks.redwood]]").count(), 2);
    }

    const WITH_RUNBOOKS: &str = r#"stages = ["CI"]
[releases]
redwood = { branch = "open-release/redwood.master", python = "3.11", node = "18" }
ulmo    = { branch = "release/ulmo", python = "3.11", node = "24" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
[deployments]
site = { CI = "ulmo" }
[[map]]
releases = ["redwood", "ulmo"]
deployments = ["site"]
[map.apps]
forum = {}

[[runbooks.redwood]]
text = "Generate JWT signing keys"

[[runbooks.redwood]]
text = "Watch the logs"
when = "every-deploy"
"#;

    #[test]
    fn retire_removes_the_runbook_of_the_release() {
        let out = retire(WITH_RUNBOOKS, &"redwood".into()).expect("retires");
        assert!(!out.text.contains("runbooks"), "{}", out.text);
        assert!(
            out.summary.ends_with("; runbook of 2 steps removed"),
            "{}",
            out.summary
        );
        let loaded = crate::load_toml(crate::Source::new("edx-matrix.toml", out.text.as_str()));
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);

        // The inline form, next to the runbook of another release, which stays.
        let text = format!(
            "{}[runbooks]\nulmo = [{{ text = \"Check migrations\" }}]\n",
            WITH_RUNBOOKS
        );
        let text = text.replace("site = { CI = \"ulmo\" }", "site = { CI = \"redwood\" }");
        let out = retire(&text, &"ulmo".into()).expect("retires");
        assert!(
            out.summary.ends_with("; runbook of 1 step removed"),
            "{}",
            out.summary
        );
        assert!(out.text.contains("[runbooks]\n"));
        assert!(!out.text.contains("Check migrations"));
        assert_eq!(out.text.matches("[[runbooks.redwood]]").count(), 2);
        let loaded = crate::load_toml(crate::Source::new("edx-matrix.toml", out.text.as_str()));
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    }
}
