//! `export tutor` without Tutor: the plugin and README of acme stages (snapshots), the plugin is
//! Python, refusals point at the value, unknown MFEs get a port, Node conflicts warn.
//! `crates/cli/tests/cli/tutor.rs` runs the plugins in real Tutor.
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::tutor::{self, TutorExport, versions};
use edx_matrix_formats::{Loaded, Source, example, load_toml};
use edx_matrix_model::EntryField;
use edx_matrix_model::{Filter, Subject, resolve};

fn load(text: &str) -> Loaded {
    let loaded = load_toml(Source::new("edx-matrix.toml", text));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    loaded
}

fn export(
    loaded: &Loaded,
    deployment: &str,
    stage: &str,
) -> Result<TutorExport, Vec<tutor::Refusal>> {
    let filter = Filter {
        deployment: Some(deployment.into()),
        stage: Some(stage.into()),
        ..Filter::default()
    };
    let rows = resolve(&loaded.matrix, &filter).rows;
    let release = loaded
        .matrix
        .deployment(deployment)
        .unwrap()
        .release_of(stage)
        .unwrap();
    tutor::export(&loaded.matrix, deployment, stage, release.as_str(), &rows)
}

fn assert_python(source: &str) {
    ruff_python_parser::parse_module(source).unwrap();
}

#[test]
fn pro_production_plugin_and_readme() {
    let export = export(&load(example::TEXT), "pro", "Production").unwrap();
    assert_eq!(export.plugin_file, "edx_matrix_pro_production.py");
    assert_eq!(export.enable, ["notes", "mfe", "edx_matrix_pro_production"]);
    assert_python(&export.plugin_py);
    insta::assert_snapshot!("pro_production_plugin", export.plugin_py);
    insta::assert_snapshot!("pro_production_readme", export.readme);
    // communications runs Node 22 on teak, the other three MFEs the release's Node 20.
    assert_eq!(export.warnings.len(), 1);
    assert!(export.warnings[0].contains("using Node 20; communications needs Node 22"));
}

#[test]
fn online_qa_plugin_follows_master() {
    let export = export(&load(example::TEXT), "online", "QA").unwrap();
    assert_python(&export.plugin_py);
    insta::assert_snapshot!("online_qa_plugin", export.plugin_py);
    assert!(
        export
            .plugin_py
            .contains("if TUTOR_VERSION_SUFFIX != \"main\":")
    );
    assert!(export.enable.contains(&"forum".to_owned()));
    assert!(export.unmapped.iter().any(|u| u.starts_with("forum ")));
}

#[test]
fn the_version_table_targets_tutor_majors() {
    let loaded = load(example::TEXT);
    let target = |name: &str| versions::target(loaded.matrix.release(name).unwrap());
    assert_eq!(target("teak"), versions::TutorTarget::Major(20));
    assert_eq!(target("ulmo"), versions::TutorTarget::Major(21));
    assert_eq!(target("verawood"), versions::TutorTarget::Major(22));
    assert_eq!(target("master"), versions::TutorTarget::Nightly);
}

/// The learning MFE's fork branch on verawood (campus QA), replaced by `branch`.
fn with_learning_branch(branch: &str) -> String {
    let text = example::TEXT.replace(
        "branch = \"acme/verawood-fix-jumpnav\"",
        &format!("branch = {}", tutor::quoted(branch)),
    );
    assert_ne!(text, example::TEXT);
    text
}

#[test]
fn shell_metacharacters_and_line_separators_are_refused() {
    for (branch, problem) in [
        ("master;touch$(id)", "contains ';'"),
        ("fix`x`", "contains '`'"),
        ("acme/\u{2028}x", "U+2028 LINE SEPARATOR"),
        ("acme/\u{2029}x", "U+2029 PARAGRAPH SEPARATOR"),
        ("acme/\u{202e}x", "bidirectional control"),
    ] {
        // `check` refuses the hidden characters itself (invalid-branch); the export refuses them
        // too, for a caller that did not check.
        let loaded = load_toml(Source::new("edx-matrix.toml", with_learning_branch(branch)));
        let refused = export(&loaded, "campus", "QA").unwrap_err();
        assert_eq!(refused.len(), 1, "{branch:?}: {refused:?}");
        assert_eq!(refused[0].value, branch);
        assert!(refused[0].problem.contains(problem), "{:?}", refused[0]);
        let Subject::EntryApp { entry, app, field } = refused[0].subject else {
            panic!("{:?}", refused[0].subject)
        };
        assert_eq!(field, Some(EntryField::Branch));
        let version = &loaded.matrix.release_map[entry].apps[app];
        assert_eq!(version.application.as_str(), "learning");
        // Other stages do not include the value.
        export(&loaded, "campus", "CI").unwrap();
    }
}

#[test]
fn an_mfe_tutor_mfe_does_not_know_gets_a_port() {
    let text = example::TEXT
        .replace(
            "communications    = { kind = \"mfe\"",
            "instructor-tools  = { kind = \"mfe\", repository = \"https://github.com/acme-edu/frontend-app-instructor-tools\", path = \"instructor-tools\" }\ncommunications    = { kind = \"mfe\"",
        )
        .replace("ora-grading       = {}\n", "ora-grading       = {}\ninstructor-tools  = {}\n");
    let loaded = load(&text);
    let export = export(&loaded, "campus", "CI").unwrap();
    assert_python(&export.plugin_py);
    assert!(export.plugin_py.contains(
        "        mfe = mfes.setdefault(\"instructor-tools\", {})\n        mfe.update({\"repository\": \"https://github.com/acme-edu/frontend-app-instructor-tools.git\", \"version\": \"master\"})\n        mfe.setdefault(\"port\", 2100)\n"
    ), "{}", export.plugin_py);
    assert!(export.readme.contains("| instructor-tools | `https://github.com/acme-edu/frontend-app-instructor-tools.git` | `master` | 2100 (assigned) |"));
}

/// The example with tutor-mfe's frontend-base `instructor-dashboard` on campus, as `entry`.
fn with_instructor_dashboard(entry: &str) -> Loaded {
    let text = example::TEXT
        .replace(
            "communications    = { kind = \"mfe\"",
            "instructor-dashboard = { kind = \"mfe\", repository = \"https://github.com/openedx/frontend-app-instructor-dashboard\", path = \"instructor-dashboard\" }\ncommunications    = { kind = \"mfe\"",
        )
        .replace(
            "ora-grading       = {}\n",
            &format!("ora-grading       = {{}}\ninstructor-dashboard = {entry}\n"),
        );
    load(&text)
}

#[test]
fn a_frontend_base_app_is_npm_a_source_build_or_cannot_be_mapped() {
    // Upstream at the release's branch: tutor-mfe's own npm build, nothing changed.
    let out = export(&with_instructor_dashboard("{}"), "campus", "QA").unwrap();
    assert_eq!(out.npm_apps, ["instructor-dashboard"]);
    assert!(out.frontend_apps.is_empty());
    assert!(!out.plugin_py.contains("FRONTEND_APPS"));
    assert!(
        !out.changes
            .iter()
            .any(|c| c.contains("instructor-dashboard"))
    );
    assert!(out.readme.contains(
        "Frontend apps from npm, as tutor-mfe builds them (`FRONTEND_APPS`): instructor-dashboard.\n"
    ));

    // A fork: a source build, said as a change.
    let fork = "{ origin = \"https://github.com/acme-edu/frontend-app-instructor-dashboard\", branch = \"acme/{release}\" }";
    let out = export(&with_instructor_dashboard(fork), "campus", "QA").unwrap();
    assert_python(&out.plugin_py);
    assert!(out.plugin_py.contains(
        "        app = apps.setdefault(\"instructor-dashboard\", {})\n        app.update({\"enabled\": True, \"source\": \"https://github.com/acme-edu/frontend-app-instructor-dashboard.git#acme/verawood\"})\n"
    ), "{}", out.plugin_py);
    assert_eq!(
        out.changes.iter().filter(|c| c.starts_with("overrides frontend app instructor-dashboard: built into the shared site from `https://github.com/acme-edu/frontend-app-instructor-dashboard.git#acme/verawood`")).count(),
        1,
        "{:#?}",
        out.changes
    );

    // A URL Docker's `ADD` does not clone for tutor-mfe: named, not mapped, nothing set.
    let local = "{ origin = \"git://git.acme.example/frontend-app-instructor-dashboard\" }";
    let out = export(&with_instructor_dashboard(local), "campus", "QA").unwrap();
    assert!(out.frontend_apps.is_empty() && out.npm_apps.is_empty());
    assert!(
        out.unmapped.iter().any(|u| u.starts_with(
            "MFE instructor-dashboard git://git.acme.example/frontend-app-instructor-dashboard at release/verawood: cannot be mapped"
        )),
        "{:#?}",
        out.unmapped
    );

    // Not on the stage: removed from FRONTEND_APPS, said as a change.
    let out = export(&with_instructor_dashboard("{}"), "pro", "QA").unwrap();
    assert_eq!(out.removed_frontend_apps, ["instructor-dashboard"]);
    assert!(
        out.plugin_py
            .contains("        apps.pop(\"instructor-dashboard\", None)\n")
    );
    assert!(
        out.changes
            .iter()
            .any(|c| c.starts_with("removes frontend app instructor-dashboard (`FRONTEND_APPS`)"))
    );
}
