//! The matrix as templates receive it (docs/pipelines.md, "The data templates receive"): a
//! deployment's `vars`, a stage's own `vars`, and a row's vars (the stage's over the
//! deployment's). Issue 29's mutation run of `script/data.rs`.

use edx_matrix_formats::{Source, load_toml};
use edx_matrix_pipeline::{TemplateFiles, render_all, settings_of};

const MATRIX: &str = r#"
stages = ["CI"]
[releases]
ulmo = { branch = "release/ulmo" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
[deployments.campus]
CI = { release = "ulmo", vars = { SITE_URL = "https://ci.campus.example", SITE_NAME = "Campus CI" } }
[deployments.campus.vars]
SITE_NAME = "Campus"
MAX_UPLOAD_MB = 100
[[map]]
releases = ["ulmo"]
deployments = ["campus"]
[map.apps]
forum = {}
[pipelines]
templates = ["pipelines/*.star"]
"#;

#[test]
fn deployments_stages_and_rows_carry_their_vars() {
    // The template fails unless each value is what the matrix says.
    let template = r#"
def expect(what, found, wanted):
    if found != wanted:
        fail("%s: %r, not %r" % (what, found, wanted))

def pipelines(matrix, standard):
    d = matrix["deployments"][0]
    expect("deployment", d["vars"], {"SITE_NAME": "Campus", "MAX_UPLOAD_MB": 100})
    expect("stage", d["stages"][0]["vars"], {"SITE_URL": "https://ci.campus.example", "SITE_NAME": "Campus CI"})
    expect("row", matrix["rows"][0]["vars"], {"SITE_NAME": "Campus CI", "MAX_UPLOAD_MB": 100, "SITE_URL": "https://ci.campus.example"})
    return []
"#;
    let loaded = load_toml(Source::new("edx-matrix.toml", MATRIX.to_owned()));
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let mut templates = TemplateFiles::default();
    templates
        .files
        .insert("pipelines/vars.star".to_owned(), template.to_owned());
    templates.entries.push("pipelines/vars.star".to_owned());
    let outcome = render_all(&loaded.matrix, &settings, &templates);
    assert_eq!(outcome.diagnostics, []);
}
