//! The check every edit ends with: two matrices mean the same whatever the order of sections,
//! blocks and entry applications, and the first real difference is named (mutation testing
//! found this reached only through edits that never differ).

use edx_matrix_formats::edit::{difference, normalize, same_meaning};
use edx_matrix_model::{
    AppKind, AppVersion, Application, Deployment, Matrix, Release, ReleaseMapEntry, StagePin,
};

fn campus() -> Matrix {
    let release = |name: &str| Release {
        name: name.into(),
        branch: format!("release/{name}").into(),
        python: Some("3.11".into()),
        node: Some("20".into()),
        rolling: false,
    };
    let app = |name: &str, kind| Application {
        name: name.into(),
        kind,
        repository: Some(format!("https://github.com/openedx/{name}").into()),
        path: (kind == AppKind::Mfe).then(|| "learn".into()),
    };
    let pin = |stage: &str, release: &str| StagePin {
        stage: stage.into(),
        release: release.into(),
        vars: Default::default(),
    };
    Matrix {
        stages: vec!["CI".into(), "QA".into()],
        releases: vec![release("teak"), release("ulmo")],
        applications: vec![
            app("edx-platform", AppKind::Ida),
            app("learning", AppKind::Mfe),
        ],
        deployments: vec![Deployment {
            name: "campus".into(),
            stages: vec![pin("CI", "ulmo"), pin("QA", "teak")],
            vars: Default::default(),
        }],
        release_map: ["teak", "ulmo"]
            .iter()
            .map(|r| ReleaseMapEntry {
                release: (*r).into(),
                deployment: "campus".into(),
                apps: vec![
                    AppVersion::plain("edx-platform", *r),
                    AppVersion::plain("learning", *r),
                ],
            })
            .collect(),
    }
}

#[test]
fn order_that_does_not_matter_is_normalized_away() {
    let a = campus();
    let mut b = campus();
    b.releases.reverse();
    b.applications.reverse();
    b.deployments[0].stages.reverse();
    b.release_map.reverse();
    b.release_map[0].apps.reverse();
    assert!(same_meaning(&a, &b));
    assert_eq!(difference(&b, &a), None);
    let pins: Vec<_> = normalize(&b).deployments[0]
        .stages
        .iter()
        .map(|p| p.stage.to_string())
        .collect();
    assert_eq!(pins, ["CI", "QA"]);
    assert_ne!(normalize(&a), Matrix::default());
}

#[test]
fn the_first_difference_is_named() {
    let expected = campus();
    let differ = |change: &dyn Fn(&mut Matrix)| {
        let mut got = campus();
        change(&mut got);
        assert!(!same_meaning(&got, &expected));
        difference(&got, &expected)
    };
    assert_eq!(
        differ(&|m| m.stages.reverse()),
        Some(r#"stages ["QA", "CI"] instead of ["CI", "QA"]"#.to_owned())
    );
    assert_eq!(
        differ(&|m| m.releases[0].python = Some("3.12".into())),
        Some("the releases differ".to_owned())
    );
    assert_eq!(
        differ(&|m| m.applications[1].path = Some("learning".into())),
        Some("the applications differ".to_owned())
    );
    assert_eq!(
        differ(&|m| m.deployments[0].stages[1].release = "ulmo".into()),
        Some("the deployments differ".to_owned())
    );
    assert_eq!(
        differ(&|m| {
            m.release_map.remove(1);
        }),
        Some("no entry for release `ulmo` and deployment `campus`".to_owned())
    );
    assert_eq!(
        differ(&|m| m.release_map[1].apps[0].branch = Some("fix".into())),
        Some("the entry for release `ulmo` and deployment `campus` differs".to_owned())
    );
    assert_eq!(
        differ(&|m| {
            let mut extra = m.release_map[0].clone();
            extra.deployment = "mitx".into();
            m.release_map.push(extra);
        }),
        Some("the release map has extra entries".to_owned())
    );
}
