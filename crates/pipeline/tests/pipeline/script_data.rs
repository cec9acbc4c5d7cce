//! The matrix as templates receive it (docs/pipelines.md, "The data templates receive"): a
//! deployment's `vars`, a stage's own `vars`, and a row's vars (the stage's over the
//! deployment's). Issue 29's mutation run of `script/data.rs`.

use crate::template_bounds::render_matrix;

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
    let outcome = render_matrix(MATRIX.to_owned(), &[("pipelines/vars.star", template)]);
    assert_eq!(outcome.diagnostics, []);
}
