//! The pipelines of random matrices answer to their consumers: 20 random matrices (the TOML
//! round trip's shapes, every release with a Node version) with `[pipelines]` settings and the
//! example's templates render standard, template-made and meta pipelines; each YAML file passes
//! `pipeline validate`'s check (Concourse's schema, then the references) and all of them load
//! in ol-concourse's typed model (`tests/consumers/ol_concourse_load.py`, skipped without it,
//! a failure under `CI=true`).
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::toml_write::{Layout, write};
use edx_matrix_formats::{Source, example, load_toml};
use edx_matrix_model::Matrix;
use edx_matrix_pipeline::{TemplateFiles, check_file, render_all, settings_of};
use edx_matrix_test_support::{Shapes, TOML_SHAPES, matrix};
use edx_matrix_test_support::{require_python, workspace_root};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use std::process::Command;

/// The round trip's shapes; every release has a Node version (the example's edx-platform
/// template reads it).
const SHAPES: Shapes = Shapes {
    node: |_| Some("20"),
    ..TOML_SHAPES
};

const SETTINGS: &str = r#"
[pipelines]
team        = "acme"
check_every = "5m"
templates   = ["pipelines/*.star"]

[pipelines.resources.ci]
type   = "git"
icon   = "github"
source = { uri = "https://github.com/acme-edu/concourse-tasks", branch = "main" }

[pipelines.build.ida]
task     = { resource = "ci", file = "tasks/build-ida.yml", privileged = true, params = { REGISTRY = "((registry))" } }
artifact = { type = "registry-image", icon = "docker", source = { repository = "registry.acme.example/{application}", tag = "{release}-{deployment}" }, params = { image = "artifact/image.tar" } }

[pipelines.build.mfe]
task     = { image = "node", tag = "{runtime}-bookworm", run = ["sh", "-ec", "npm ci && npm run build"] }
artifact = { type = "s3", icon = "web", source = { bucket = "acme-mfe-builds", versioned_file = "{application}/{release}-{deployment}/dist.tgz" }, params = { file = "artifact/dist.tgz" } }

[pipelines.deploy]
task = { resource = "ci", file = "tasks/deploy.yml" }

[pipelines.meta]
name   = "edx-matrix"
uri    = "https://github.com/acme-edu/release-matrix"
branch = "main"
image  = "ghcr.io/acme-edu/edx-matrix"
tag    = "0.1.0"
"#;

/// The matrix's TOML with the settings, and a manual gate on its second stage (when it has one).
fn text_of(m: &Matrix) -> String {
    let mut text = write(m, Layout::Explicit, &[]);
    text.push_str(SETTINGS);
    if let Some(stage) = m.stages.get(1) {
        text.push_str(&format!(
            "\n[pipelines.stages.{}]\ngate = \"manual\"\n",
            stage.as_str()
        ));
    }
    text
}

#[test]
fn twenty_random_matrices_render_pipelines_concourse_and_ol_concourse_accept() {
    let dir = tempfile::tempdir().unwrap();
    let mut templates = TemplateFiles::default();
    for (path, text) in example::TEMPLATES {
        templates
            .files
            .insert((*path).to_owned(), (*text).to_owned());
        templates.entries.push((*path).to_owned());
    }
    let strategy = matrix(&SHAPES);
    let mut runner = TestRunner::default();
    let mut files = Vec::new();
    let mut kinds = std::collections::BTreeSet::new();
    for i in 0..20 {
        let m = strategy.new_tree(&mut runner).unwrap().current();
        let text = text_of(&m);
        let loaded = load_toml(Source::new("edx-matrix.toml", text.clone()));
        assert!(!loaded.has_errors(), "{text}\n{:#?}", loaded.diagnostics);
        let (settings, diagnostics) = settings_of(&loaded);
        assert!(diagnostics.is_empty(), "{text}\n{diagnostics:#?}");
        let outcome = render_all(&loaded.matrix, &settings, &templates);
        assert!(
            outcome.diagnostics.is_empty(),
            "{text}\n{:#?}",
            outcome.diagnostics
        );
        std::fs::write(dir.path().join(format!("m{i:02}-edx-matrix.toml")), &text).unwrap();
        for p in &outcome.pipelines {
            kinds.insert(p.info.kind);
            let yaml = p.to_yaml().unwrap();
            let problems = check_file(&yaml);
            assert!(
                problems.is_empty(),
                "{text}\n{}:\n{yaml}\n{problems:#?}",
                p.info.name
            );
            let path = dir.path().join(format!("m{i:02}-{}.yml", p.info.name));
            std::fs::write(&path, yaml).unwrap();
            files.push(path);
        }
    }
    // Standard pipelines, template-made ones and the meta pipeline were all rendered.
    assert!(
        kinds.contains("meta") && kinds.contains("template"),
        "{kinds:?}"
    );
    assert!(kinds.len() >= 3, "{kinds:?}");
    let Some(python) = require_python(module_path!(), &["ol_concourse", "yaml"]) else {
        return;
    };
    let out = Command::new(python)
        .arg(workspace_root().join("tests/consumers/ol_concourse_load.py"))
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // On failure, keep the files (matrices and pipelines) to look at.
    if !out.status.success() {
        let kept = dir.keep();
        panic!(
            "ol-concourse refused (files in {}):\n{stdout}",
            kept.display()
        );
    }
    assert!(
        stdout.contains(&format!("ol-concourse loaded {} pipelines", files.len())),
        "{stdout}"
    );
}
