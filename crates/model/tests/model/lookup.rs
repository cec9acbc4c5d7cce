//! The operators' lookups (domain.md, "The lookups") and the application kinds' spellings,
//! written by hand from the matrix built beside each test (mutation testing found them
//! asserted only through the CLI).

use crate::build::campus;
use edx_matrix_model::lookup::{DeploymentOnRelease, deployments_running, stages_on};
use edx_matrix_model::{AppKind, Index};

#[test]
fn deployments_running_a_release_with_their_stages_and_only_those_including_the_application() {
    let matrix = campus()
        .deployment("mitx", &[("CI", "verawood"), ("QA", "ulmo")])
        .plain_entry("verawood", "mitx", &["edx-platform"])
        .plain_entry("ulmo", "mitx", &["edx-platform"])
        .done();
    let index = Index::new(&matrix);
    let on = |deployment, stages: &[&'static str]| DeploymentOnRelease {
        deployment,
        stages: stages.to_vec(),
    };
    assert_eq!(
        deployments_running(&matrix, &index, "verawood", None),
        [on("campus", &["CI"]), on("mitx", &["CI"])]
    );
    assert_eq!(
        deployments_running(&matrix, &index, "verawood", Some("learning")),
        [on("campus", &["CI"])]
    );
    assert_eq!(
        deployments_running(&matrix, &index, "ulmo", Some("edx-platform")),
        [on("campus", &["QA", "Production"]), on("mitx", &["QA"])]
    );
    assert_eq!(deployments_running(&matrix, &index, "teak", None), []);
    assert_eq!(
        stages_on(&matrix, &matrix.deployments[0], "ulmo"),
        ["QA", "Production"]
    );
    assert!(stages_on(&matrix, &matrix.deployments[1], "teak").is_empty());
}

#[test]
fn a_kind_has_an_upper_and_a_lower_name_and_parses_from_both_only() {
    assert_eq!(
        [AppKind::Ida, AppKind::Mfe].map(AppKind::as_str),
        ["IDA", "MFE"]
    );
    assert_eq!(
        [AppKind::Ida, AppKind::Mfe].map(AppKind::as_lower),
        ["ida", "mfe"]
    );
    assert_eq!(AppKind::Mfe.to_string(), "MFE");
    for (text, kind) in [
        ("ida", AppKind::Ida),
        ("IDA", AppKind::Ida),
        ("mfe", AppKind::Mfe),
        ("MFE", AppKind::Mfe),
    ] {
        assert_eq!(AppKind::parse(text), Some(kind), "{text}");
    }
    for bad in ["Mfe", "Ida", "", "spa"] {
        assert_eq!(AppKind::parse(bad), None, "{bad}");
    }
}

#[test]
fn a_deployment_knows_the_release_of_each_of_its_stages() {
    let matrix = campus().done();
    let campus = &matrix.deployments[0];
    let release = |stage| campus.release_of(stage).map(|r| r.as_str());
    assert_eq!(release("CI"), Some("verawood"));
    assert_eq!(release("QA"), Some("ulmo"));
    assert_eq!(release("Staging"), None);
}

#[test]
fn stages_on_a_release_come_in_promotion_order_whatever_order_the_file_writes() {
    // Written Production first (as a hand-edited file may be); the stage order is CI, QA,
    // Production, so the answer is QA then Production.
    let matrix = campus()
        .deployment(
            "mitx",
            &[("Production", "ulmo"), ("QA", "ulmo"), ("CI", "verawood")],
        )
        .plain_entry("ulmo", "mitx", &["edx-platform"])
        .plain_entry("verawood", "mitx", &["edx-platform"])
        .done();
    let index = Index::new(&matrix);
    assert_eq!(
        stages_on(&matrix, &matrix.deployments[1], "ulmo"),
        ["QA", "Production"]
    );
    let mitx = deployments_running(&matrix, &index, "ulmo", None)
        .into_iter()
        .find(|d| d.deployment == "mitx")
        .map(|d| d.stages);
    assert_eq!(mitx, Some(vec!["QA", "Production"]));
}
