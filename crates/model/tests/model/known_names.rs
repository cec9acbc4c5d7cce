//! The one unknown-name check (`known_names`): every kind of name a command or the API takes,
//! the first unknown one of a filter, and the error's words and suggestions, written by hand.

use crate::build::campus;
use edx_matrix_model::known_names::{NameKind, require, require_filter};
use edx_matrix_model::{
    Filter,
    names::{ApplicationName, DeploymentName, ReleaseName, StageName},
};

#[test]
fn every_kind_is_checked_against_its_own_names() {
    let matrix = campus().done();
    for (kind, defined, typo, closest) in [
        (NameKind::Deployment, "campus", "campuss", "campus"),
        (NameKind::Stage, "Production", "Prodution", "Production"),
        (NameKind::Release, "verawood", "verawod", "verawood"),
        (NameKind::Application, "learning", "learnin", "learning"),
    ] {
        assert_eq!(require(&matrix, kind, defined), Ok(()), "{kind:?}");
        let unknown = require(&matrix, kind, typo).unwrap_err();
        assert_eq!(unknown.what, kind.what());
        assert_eq!(unknown.name, typo);
        assert_eq!(unknown.suggestions, [closest], "{kind:?}");
        assert_eq!(
            unknown.message(),
            format!("unknown {} `{typo}`", kind.what())
        );
        assert_eq!(
            unknown.hint().as_deref(),
            Some(format!("did you mean `{closest}`?").as_str())
        );
    }
    // A far miss has no suggestion; a name of another kind is not one of this kind.
    let far = require(&matrix, NameKind::Stage, "zzzzqq").unwrap_err();
    assert!(far.suggestions.is_empty());
    assert_eq!(far.hint(), None);
    assert!(require(&matrix, NameKind::Deployment, "CI").is_err());
    assert!(require(&matrix, NameKind::Release, "campus").is_err());
    assert_eq!(
        [
            NameKind::Deployment,
            NameKind::Stage,
            NameKind::Release,
            NameKind::Application
        ]
        .map(NameKind::what),
        ["deployment", "stage", "release", "application"]
    );
}

#[test]
fn a_filter_reports_its_first_unknown_name_deployment_stage_release_application() {
    let matrix = campus().done();
    let name = |n: &str| n.to_owned();
    let filter = |d: Option<&str>, s: Option<&str>, r: Option<&str>, a: Option<&str>| Filter {
        deployment: d.map(|v| DeploymentName::parse(v).unwrap()),
        stage: s.map(|v| StageName::parse(v).unwrap()),
        release: r.map(|v| ReleaseName::parse(v).unwrap()),
        application: a.map(|v| ApplicationName::parse(v).unwrap()),
        kind: None,
    };
    assert_eq!(require_filter(&matrix, &Filter::default()), Ok(()));
    assert_eq!(
        require_filter(
            &matrix,
            &filter(Some("campus"), Some("QA"), Some("ulmo"), Some("learning"))
        ),
        Ok(())
    );
    for (f, kind, bad) in [
        (
            filter(Some("x1"), Some("x2"), Some("x3"), Some("x4")),
            "deployment",
            "x1",
        ),
        (
            filter(None, Some("x2"), Some("x3"), Some("x4")),
            "stage",
            "x2",
        ),
        (filter(None, None, Some("x3"), Some("x4")), "release", "x3"),
        (filter(None, None, None, Some("x4")), "application", "x4"),
        (
            filter(Some("campus"), Some("QA"), Some("ulmo"), Some("learnin")),
            "application",
            "learnin",
        ),
    ] {
        let unknown = require_filter(&matrix, &f).unwrap_err();
        assert_eq!((unknown.what, unknown.name), (name(kind), name(bad)));
    }
}
