//! Property tests: any valid matrix survives TOML (explicit and compact) and interchange JSON
//! round trips, and resolves identically before and after.
#![allow(clippy::unwrap_used)]

use edx_matrix_config::toml_write::{Layout, write, write_faithful};
use edx_matrix_config::{Source, interchange, load_json, load_toml};
use edx_matrix_model::{
    AppKind, AppVersion, Application, Deployment, Filter, Matrix, Release, ReleaseMapEntry,
    StagePin, resolve,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

const STAGES: [&str; 4] = ["CI", "QA", "Staging", "Production"];
const RELEASES: [&str; 6] = ["palm", "quince", "redwood", "sumac", "teak", "master"];
const APPS: [&str; 7] = [
    "edx-platform",
    "forum",
    "notes-api",
    "edxapp_theme",
    "learning",
    "authoring",
    "gradebook",
];
const DEPLOYMENTS: [&str; 4] = ["mitx", "mitx-staging", "xpro", "online"];

/// A branch override, possibly mentioning the release (so compact layout templates it) or
/// containing braces (so writers must escape them).
fn branch(release: &'static str) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some("main".to_owned())),
        1 => Just(Some(format!("acme/{release}"))),
        1 => Just(Some(release.to_owned())),
        1 => Just(Some(format!("{release}-fix{{1}}"))),
        1 => Just(Some("open-release/palm.master".to_owned())),
    ]
}

fn app_version(
    app: &'static str,
    needs_origin: bool,
    kind: AppKind,
    entry_release: &'static str,
    releases: Vec<&'static str>,
) -> impl Strategy<Value = AppVersion> {
    let own = prop_oneof![4 => Just(entry_release), 1 => select(releases)];
    let origin = if needs_origin {
        prop_oneof![
            Just(Some(format!("https://github.com/acme/{app}"))),
            Just(Some(format!("git@github.com:acme/{app}-{{x}}.git")))
        ]
        .boxed()
    } else {
        prop_oneof![3 => Just(None), 1 => Just(Some(format!("https://github.com/fork/{app}")))]
            .boxed()
    };
    let runtime = prop_oneof![4 => Just(None), 1 => Just(Some("3.8".to_owned())), 1 => Just(Some("18".to_owned()))];
    let translations = if kind == AppKind::Mfe {
        prop_oneof![3 => Just(None), 1 => Just(Some(vec!["npm run pull_translations".to_owned(), "echo '{release}' $X".to_owned()]))].boxed()
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

fn matrix() -> impl Strategy<Value = Matrix> {
    let stages = subsequence(STAGES.to_vec(), 1..=4);
    let releases = subsequence(RELEASES.to_vec(), 1..=4);
    let apps = (
        subsequence(APPS.to_vec(), 1..=6),
        proptest::collection::vec((any::<bool>(), any::<bool>()), 7),
    );
    let deployments = subsequence(DEPLOYMENTS.to_vec(), 1..=3);
    (stages, releases, apps, deployments)
        .prop_flat_map(|(stages, releases, (apps, flags), deployments)| {
            let applications: Vec<Application> = apps
                .iter()
                .zip(flags)
                .map(|(name, (mfe, no_repo))| {
                    let kind = if mfe { AppKind::Mfe } else { AppKind::Ida };
                    Application {
                        name: (*name).into(),
                        kind,
                        repository: (!(no_repo && kind == AppKind::Ida))
                            .then(|| format!("https://github.com/openedx/{name}").into()),
                        path: (kind == AppKind::Mfe).then(|| format!("p-{name}").into()),
                    }
                })
                .collect();
            // Each deployment pins a non-empty prefix-preserving subset of stages to releases.
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
            // Entries for every used (release, deployment), in first-use order.
            let mut pairs: Vec<(&'static str, &'static str)> = Vec::new();
            for (d, (stage_subset, picks)) in deployment_names.iter().zip(&pins) {
                for (_, r) in stage_subset.iter().zip(picks) {
                    if !pairs.contains(&(*r, *d)) {
                        pairs.push((*r, *d));
                    }
                }
            }
            let entry_strategies: Vec<_> = pairs
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
                                    let name: &'static str = APPS
                                        .iter()
                                        .find(|n| **n == a.name.as_str())
                                        .copied()
                                        .unwrap();
                                    app_version(
                                        name,
                                        a.repository.is_none(),
                                        a.kind,
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
            let stages = stages.clone();
            (
                Just(stages),
                Just(releases),
                Just(applications),
                Just(deployments),
                entry_strategies,
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
                        node: (r != "teak").then(|| "20".into()),
                        rolling: r == "master",
                    })
                    .collect(),
                applications,
                deployments,
                release_map,
            },
        )
}

fn rows_json(m: &Matrix) -> String {
    serde_json::to_string(&resolve(m, &Filter::default()).rows).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn valid_models_round_trip(m in matrix()) {
        let errors: Vec<_> = edx_matrix_model::check(&m).into_iter().filter(|p| p.severity == edx_matrix_model::Severity::Error).collect();
        prop_assert!(errors.is_empty(), "generator made an invalid matrix: {errors:?}");
        let rows = rows_json(&m);
        for (label, text) in [
            ("explicit", write(&m, Layout::Explicit, &["t"])),
            ("faithful", write_faithful(&m, &["t"])),
        ] {
            let back = load_toml(Source::new(label, text.clone()));
            prop_assert!(!back.has_errors(), "{label}:\n{text}\n{:#?}", back.diagnostics);
            prop_assert_eq!(back.matrix.clone().canonical(), m.clone().canonical(), "{}:\n{}", label, text);
            prop_assert_eq!(rows_json(&back.matrix), rows.clone());
        }
        let json = serde_json::to_string(&interchange::to_json(&m)).unwrap();
        let back = load_json(Source::new("m.json", json));
        prop_assert!(!back.has_errors(), "{:#?}", back.diagnostics);
        prop_assert_eq!(back.matrix.clone(), m.clone());
        prop_assert_eq!(rows_json(&back.matrix), rows);
    }
}
