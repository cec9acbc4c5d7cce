//! Random valid matrices for the export tests, with names and values chosen to stress the Python
//! side: names that are keywords or start with a digit, names that derive the same member
//! (`a-b`, `a_b`), quotes, backslashes and non-ASCII text in values.

use edx_matrix_model::{
    AppKind, AppVersion, Application, Deployment, Matrix, Release, ReleaseMapEntry, StagePin, check,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

const STAGES: [&str; 4] = ["CI", "QA", "pre-prod", "Production"];
const RELEASES: [&str; 6] = ["palm", "9.0", "class", "redwood", "sumac", "master"];
const APPS: [(&str, AppKind); 8] = [
    ("edx-platform", AppKind::Ida),
    ("edx_platform", AppKind::Ida),
    ("None", AppKind::Ida),
    ("path", AppKind::Ida),
    ("learning", AppKind::Mfe),
    ("2u-dashboard", AppKind::Mfe),
    ("for", AppKind::Mfe),
    ("gradebook", AppKind::Mfe),
];
const DEPLOYMENTS: [&str; 5] = ["mitx", "mitx-staging", "mitx_staging", "value", "x.pro"];

fn branch(release: &'static str) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some("main".to_owned())),
        1 => Just(Some(format!("acme/{release}"))),
        1 => Just(Some("fix/\"quoted\"-été's".to_owned())),
    ]
}

fn app_version(
    app: &'static str,
    kind: AppKind,
    needs_origin: bool,
    entry_release: &'static str,
    releases: Vec<&'static str>,
) -> impl Strategy<Value = AppVersion> {
    let own = prop_oneof![4 => Just(entry_release), 1 => select(releases)];
    let origin = if needs_origin {
        Just(Some(format!("https://github.com/acme/{app}"))).boxed()
    } else {
        prop_oneof![3 => Just(None), 1 => Just(Some(format!("git@github.com:fork/{app}.git")))]
            .boxed()
    };
    let runtime = prop_oneof![4 => Just(None), 1 => Just(Some("3.8".to_owned())), 1 => Just(Some("18".to_owned()))];
    let translations = if kind == AppKind::Mfe {
        prop_oneof![
            3 => Just(None),
            1 => Just(Some(Vec::new())),
            1 => Just(Some(vec![
                "npm run pull_translations".to_owned(),
                r#"echo "a\b" 'c' {x} é ""#.to_owned(),
            ])),
        ]
        .boxed()
    } else {
        Just(None).boxed()
    };
    (own, branch(entry_release), origin, runtime, translations).prop_map(
        move |(own, branch, origin, runtime, translations)| AppVersion {
            application: app.into(),
            release: own.into(),
            branch: branch.map(Into::into),
            origin: origin.map(Into::into),
            runtime: runtime.map(Into::into),
            translations,
        },
    )
}

/// A random matrix that `check` finds no error in.
pub fn matrix() -> impl Strategy<Value = Matrix> {
    let stages = subsequence(STAGES.to_vec(), 1..=4);
    let releases = subsequence(RELEASES.to_vec(), 1..=4);
    let apps = (
        subsequence(APPS.to_vec(), 1..=8),
        proptest::collection::vec(any::<bool>(), 8),
    );
    let deployments = subsequence(DEPLOYMENTS.to_vec(), 1..=4);
    (stages, releases, apps, deployments)
        .prop_flat_map(|(stages, releases, (apps, no_repo), deployments)| {
            let applications: Vec<Application> = apps
                .iter()
                .zip(no_repo)
                .map(|((name, kind), no_repo)| Application {
                    name: (*name).into(),
                    kind: *kind,
                    repository: (!(no_repo && *kind == AppKind::Ida))
                        .then(|| format!("https://github.com/openedx/{name}").into()),
                    path: (*kind == AppKind::Mfe).then(|| format!("p-{name}").into()),
                })
                .collect();
            let pins = proptest::collection::vec(
                (
                    subsequence(stages.clone(), 1..=stages.len()),
                    proptest::collection::vec(select(releases.clone()), 4),
                ),
                deployments.len(),
            );
            (
                Just(stages),
                Just(releases),
                Just(applications),
                Just(deployments),
                pins,
            )
        })
        .prop_flat_map(|(stages, releases, applications, deployment_names, pins)| {
            let deployments: Vec<Deployment> = deployment_names
                .iter()
                .zip(&pins)
                .map(|(name, (stage_subset, picks))| Deployment {
                    name: (*name).into(),
                    stages: stage_subset
                        .iter()
                        .zip(picks)
                        .map(|(s, r)| StagePin {
                            stage: (*s).into(),
                            release: (*r).into(),
                            vars: Default::default(),
                        })
                        .collect(),
                    vars: Default::default(),
                })
                .collect();
            let mut pairs: Vec<(&'static str, &'static str)> = Vec::new();
            for (d, (stage_subset, picks)) in deployment_names.iter().zip(&pins) {
                for (_, r) in stage_subset.iter().zip(picks) {
                    if !pairs.contains(&(*r, *d)) {
                        pairs.push((*r, *d));
                    }
                }
            }
            let entries: Vec<_> = pairs
                .iter()
                .map(|&(r, d)| {
                    let apps = applications.clone();
                    let releases = releases.clone();
                    subsequence((0..apps.len()).collect::<Vec<_>>(), 1..=apps.len()).prop_flat_map(
                        move |chosen| {
                            let versions: Vec<_> = chosen
                                .iter()
                                .map(|&i| {
                                    let a = &apps[i];
                                    let (name, kind) = APPS
                                        .iter()
                                        .find(|(n, _)| *n == a.name.as_str())
                                        .copied()
                                        .unwrap();
                                    app_version(
                                        name,
                                        kind,
                                        a.repository.is_none(),
                                        r,
                                        releases.clone(),
                                    )
                                })
                                .collect();
                            versions.prop_map(move |apps| ReleaseMapEntry {
                                release: r.into(),
                                deployment: d.into(),
                                apps,
                            })
                        },
                    )
                })
                .collect();
            (
                Just(stages),
                Just(releases),
                Just(applications),
                Just(deployments),
                entries,
            )
        })
        .prop_map(
            |(stages, releases, applications, deployments, release_map)| Matrix {
                stages: stages.into_iter().map(Into::into).collect(),
                releases: releases
                    .into_iter()
                    .map(|r| Release {
                        name: r.into(),
                        branch: if r == "master" {
                            "master".into()
                        } else {
                            format!("release/{r}").into()
                        },
                        python: Some("3.11".into()),
                        node: Some("20".into()),
                        rolling: Release::is_rolling_name(r),
                    })
                    .collect(),
                applications,
                deployments,
                release_map,
            },
        )
        .prop_filter("valid", |m| {
            check(m)
                .iter()
                .all(|p| p.severity != edx_matrix_model::Severity::Error)
        })
}
