//! `impact`, what a change of the matrix does to the generated pipelines, at this crate's level
//! (mutation testing found it asserted only through `diff` and the server's `/diff`).

use edx_matrix_pipeline::impact::PartChanges;

#[test]
fn parts_are_added_removed_or_changed_by_name_in_the_new_order_then_the_removed() {
    let old = [("a", 1), ("b", 2), ("c", 3), ("e", 5)];
    let new = [("e", 5), ("d", 4), ("b", 2), ("a", 9)];
    let parts = PartChanges::of(&old, &new, |p| p.0);
    assert_eq!(
        parts,
        PartChanges {
            added: vec!["d".to_owned()],
            removed: vec!["c".to_owned()],
            changed: vec!["a".to_owned()],
        }
    );
    assert_eq!(PartChanges::of(&old, &old, |p| p.0), PartChanges::default());
}

use crate::support::{acme_with_settings, bare_acme, load};
use edx_matrix_formats::Loaded;
use edx_matrix_pipeline::impact::{Change, PipelineImpact, Side, impact};
use edx_matrix_pipeline::{Settings, TemplateFiles, settings_of};

/// A loaded matrix and its `[pipelines]` settings, without errors.
fn side_of(text: &str) -> (Loaded, Settings) {
    let loaded = load(text);
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    (loaded, settings)
}

fn side<'a>(
    name: &'a str,
    (loaded, settings): &'a (Loaded, Settings),
    templates: Option<&'a TemplateFiles>,
    errors: usize,
) -> Side<'a> {
    Side {
        name,
        matrix: &loaded.matrix,
        settings,
        templates,
        errors,
        lock: None,
    }
}

#[test]
fn without_pipelines_on_either_side_there_is_nothing_to_say() {
    let bare = side_of(&bare_acme());
    let out = impact(side("old", &bare, None, 0), side("new", &bare, None, 0));
    assert_eq!(out, PipelineImpact::undeclared());
    assert!(out.is_undeclared());
    assert!(!out.computed);
    assert_eq!(out.summary(), "0 added, 0 removed, 0 changed");
}

#[test]
fn declaring_pipelines_adds_them_all_and_dropping_the_section_removes_them() {
    let bare = side_of(&bare_acme());
    let declared = side_of(&acme_with_settings());
    let added = impact(side("old", &bare, None, 0), side("new", &declared, None, 0));
    assert!(
        added.computed && !added.is_undeclared(),
        "{:?}",
        added.reason
    );
    assert!(added.changes.len() > 5);
    assert!(added.changes.iter().all(|c| c.change == Change::Added
        && c.what() == "new: set from the meta pipeline's following run"
        && c.resources == PartChanges::default()
        && c.jobs == PartChanges::default()
        && c.other.is_empty()));
    let n = added.changes.len();
    assert_eq!(added.count(Change::Added), n);
    assert_eq!(added.summary(), format!("{n} added, 0 removed, 0 changed"));
    let removed = impact(side("old", &declared, None, 0), side("new", &bare, None, 0));
    assert_eq!(
        removed.summary(),
        format!("0 added, {n} removed, 0 changed")
    );
    assert!(
        removed.changes.iter().all(|c| c.change == Change::Removed
            && c.what() == "no longer generated: Concourse archives it")
    );
}

#[test]
fn a_new_team_changes_every_pipeline_and_says_so() {
    let old = side_of(&acme_with_settings());
    let text = acme_with_settings().replace("team        = \"acme\"", "team        = \"acme-ops\"");
    let new = side_of(&text);
    let out = impact(side("old", &old, None, 0), side("new", &new, None, 0));
    assert!(out.computed, "{:?}", out.reason);
    assert!(!out.changes.is_empty());
    for c in &out.changes {
        assert_eq!(c.change, Change::Changed, "{}", c.name);
        assert_eq!(c.what(), "definition changes: re-set");
        assert_eq!(c.other, ["team `acme` → `acme-ops`"], "{}", c.name);
    }
    assert_eq!(out.count(Change::Changed), out.changes.len());
    // The same matrix on both sides: nothing changes.
    let same = impact(side("old", &old, None, 0), side("new", &old, None, 0));
    assert!(same.computed && same.changes.is_empty());
}

#[test]
fn errors_on_either_side_stop_the_comparison_and_say_where() {
    let declared = side_of(&acme_with_settings());
    let out = impact(
        side("HEAD:edx-matrix.toml", &declared, None, 1),
        side("edx-matrix.toml", &declared, None, 0),
    );
    assert!(!out.computed && out.changes.is_empty() && !out.is_undeclared());
    assert_eq!(
        out.reason.as_deref(),
        Some("`HEAD:edx-matrix.toml` has 1 error in `[pipelines]` (`edx-matrix check` shows them)")
    );
    let out = impact(side("a", &declared, None, 2), side("b", &declared, None, 3));
    assert_eq!(
        out.reason.as_deref(),
        Some(
            "`a` has 2 errors in `[pipelines]`, `b` has 3 errors in `[pipelines]` (`edx-matrix check` shows them)"
        )
    );
}

#[test]
fn templates_not_read_or_failing_stop_the_comparison() {
    let text = acme_with_settings().replace(
        "check_every = \"5m\"",
        "check_every = \"5m\"\ntemplates   = [\"pipelines/*.star\"]",
    );
    let with_templates = side_of(&text);
    let declared = side_of(&acme_with_settings());
    let out = impact(
        side("old", &declared, None, 0),
        side("new", &with_templates, None, 0),
    );
    assert!(!out.computed);
    assert_eq!(
        out.reason.as_deref(),
        Some("the pipeline templates of `new` were not read")
    );
    let broken = TemplateFiles {
        entries: vec!["pipelines/bad.star".to_owned()],
        files: [("pipelines/bad.star".to_owned(), "fail(\"no\")\n".to_owned())].into(),
        refused: Default::default(),
    };
    let out = impact(
        side("old", &with_templates, Some(&broken), 0),
        side("new", &declared, None, 0),
    );
    assert!(!out.computed);
    assert_eq!(
        out.reason.as_deref(),
        Some("the pipeline templates of `old` have 1 error (`edx-matrix check` shows them)")
    );
}

#[test]
fn a_changed_pipeline_names_its_resources_and_jobs_that_differ() {
    let old = side_of(&acme_with_settings());
    let changed = |a: &str, b: &str| {
        let new = side_of(&acme_with_settings().replace(a, b));
        let out = impact(side("old", &old, None, 0), side("new", &new, None, 0));
        assert!(out.computed, "{:?}", out.reason);
        out
    };
    // How often resources are checked: every git resource changes, no job.
    let out = changed("check_every = \"5m\"", "check_every = \"10m\"");
    let forum = out
        .changes
        .iter()
        .find(|c| c.name == "forum")
        .expect("forum");
    assert_eq!(forum.change, Change::Changed);
    assert_eq!(forum.resources.changed, ["git-forum-master-online"]);
    assert!(forum.resources.added.is_empty() && forum.resources.removed.is_empty());
    assert_eq!(forum.jobs, PartChanges::default());
    assert!(forum.other.is_empty());
    // verawood's branch: codejail's two verawood resources and the jobs that build and deploy
    // from them (campus and campus-staging run verawood on QA and Production).
    let out = changed(
        "branch = \"release/verawood\"",
        "branch = \"release/verawood.1\"",
    );
    let codejail = out
        .changes
        .iter()
        .find(|c| c.name == "codejail")
        .expect("codejail");
    assert_eq!(
        codejail.resources.changed,
        [
            "git-codejail-verawood-campus",
            "git-codejail-verawood-campus-staging"
        ]
    );
    assert_eq!(
        codejail.jobs.changed,
        [
            "build-codejail-verawood-campus",
            "deploy-codejail-verawood-campus-qa",
            "deploy-codejail-verawood-campus-production",
            "build-codejail-verawood-campus-staging",
            "deploy-codejail-verawood-campus-staging-qa",
            "deploy-codejail-verawood-campus-staging-production",
        ]
    );
    assert!(codejail.other.is_empty());
    // forum runs only on master: untouched.
    assert!(out.changes.iter().all(|c| c.name != "forum"));
}

#[test]
fn a_stage_moved_to_a_release_already_built_adds_a_deploy_and_drops_the_old_build() {
    // pro's Production leaves teak for ulmo, which its QA already runs: teak's resources and
    // jobs go, ulmo gets a Production deploy, and the groups that list the jobs change.
    let old = side_of(&acme_with_settings());
    let text = acme_with_settings().replace(
        "QA = \"ulmo\",     Production = \"teak\"",
        "QA = \"ulmo\",     Production = \"ulmo\"",
    );
    let new = side_of(&text);
    let out = impact(side("old", &old, None, 0), side("new", &new, None, 0));
    let notes = out
        .changes
        .iter()
        .find(|c| c.name == "notes-api")
        .expect("notes-api");
    assert_eq!(
        notes.resources,
        PartChanges {
            added: vec![],
            removed: vec![
                "git-notes-api-teak-pro".into(),
                "artifact-notes-api-teak-pro".into()
            ],
            changed: vec![],
        }
    );
    assert_eq!(
        notes.jobs,
        PartChanges {
            added: vec!["deploy-notes-api-ulmo-pro-production".into()],
            removed: vec![
                "build-notes-api-teak-pro".into(),
                "deploy-notes-api-teak-pro-production".into()
            ],
            changed: vec![],
        }
    );
    assert_eq!(notes.other, ["groups"]);
}

#[test]
fn a_template_pipeline_whose_resource_types_differ_says_so() {
    let text = acme_with_settings().replace(
        "check_every = \"5m\"",
        "check_every = \"5m\"\ntemplates   = [\"pipelines/*.star\"]",
    );
    let matrix = side_of(&text);
    let template = |tag: &str| {
        TemplateFiles {
        entries: vec!["pipelines/x.star".to_owned()],
        files: [(
            "pipelines/x.star".to_owned(),
            format!(
                "load(\"@edx-matrix//lib.star\", \"pipeline\")\n\
                 def pipelines(matrix, standard):\n    return [pipeline(\"x\", {{\"jobs\": [], \
                 \"resource_types\": [{{\"name\": \"github-issues\", \"type\": \"registry-image\", \
                 \"source\": {{\"repository\": \"ghcr.io/acme-edu/github-issues-resource\", \"tag\": \"{tag}\"}}}}]}})]\n"
            ),
        )]
        .into(),
        refused: Default::default(),
    }
    };
    let (old, new) = (template("1.4.0"), template("1.5.0"));
    let out = impact(
        side("old", &matrix, Some(&old), 0),
        side("new", &matrix, Some(&new), 0),
    );
    assert!(out.computed, "{:?}", out.reason);
    assert_eq!(out.changes.len(), 1, "{:?}", out.changes);
    let x = &out.changes[0];
    assert_eq!((x.name.as_str(), x.change), ("x", Change::Changed));
    assert_eq!(x.other, ["resource types"]);
    assert_eq!(x.resources, PartChanges::default());
    assert_eq!(x.jobs, PartChanges::default());
}
