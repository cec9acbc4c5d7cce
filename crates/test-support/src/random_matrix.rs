//! Random valid matrices for property tests: one generator, two sets of shapes.
//!
//! - [`TOML_SHAPES`] (the TOML and interchange-JSON round trips): applications of either
//!   kind, branches that mention the release (so the compact layout templates them) or
//!   contain braces (so writers must escape them), origins with braces, a rolling release
//!   without a Node version.
//! - [`PYTHON_SHAPES`] (the Python export): names that are Python keywords or start with a
//!   digit, names that derive the same member (`a-b`, `a_b`), quotes, backslashes and
//!   non-ASCII text in values, empty translation lists.
//!
//! [`matrix`] draws from either; with [`Shapes::valid_only`] it keeps only matrices `check`
//! finds no error in (the TOML shapes are valid by construction, and their test checks it).

use edx_matrix_model::vars::FloatText;
use edx_matrix_model::{
    AppKind, AppVersion, Application, Deployment, Extra, ExtraValue, Matrix, Release,
    ReleaseMapEntry, Severity, StagePin, check,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

/// What the generated matrices are made of.
#[derive(Debug)]
pub struct Shapes {
    /// Stage names (a non-empty subsequence is used).
    pub stages: &'static [&'static str],
    /// Release names (1 to 4 of them are used).
    pub releases: &'static [&'static str],
    /// Application names, each with its kind, or `None` for a kind drawn at random.
    pub apps: &'static [(&'static str, Option<AppKind>)],
    /// The most applications one matrix has.
    pub max_apps: usize,
    /// Deployment names.
    pub deployments: &'static [&'static str],
    /// The most deployments one matrix has.
    pub max_deployments: usize,
    /// The branch overrides of an entry for a release.
    pub branch: fn(&'static str) -> BoxedStrategy<Option<String>>,
    /// The origin of an application version; `needs_origin` when the application has no
    /// repository.
    pub origin: fn(&'static str, bool) -> BoxedStrategy<Option<String>>,
    /// The translation commands of an MFE version.
    pub translations: fn() -> BoxedStrategy<Option<Vec<String>>>,
    /// The Node version of a release.
    pub node: fn(&str) -> Option<&'static str>,
    /// Drop the matrices `check` reports an error in.
    pub valid_only: bool,
}

/// Shapes for the TOML and JSON round trips.
pub const TOML_SHAPES: Shapes = Shapes {
    stages: &["CI", "QA", "Staging", "Production"],
    releases: &["palm", "quince", "redwood", "sumac", "teak", "master"],
    apps: &[
        ("edx-platform", None),
        ("forum", None),
        ("notes-api", None),
        ("edxapp_theme", None),
        ("learning", None),
        ("authoring", None),
        ("gradebook", None),
    ],
    max_apps: 6,
    deployments: &["mitx", "mitx-staging", "xpro", "online"],
    max_deployments: 3,
    branch: |release| {
        prop_oneof![
            3 => Just(None),
            1 => Just(Some("main".to_owned())),
            1 => Just(Some(format!("acme/{release}"))),
            1 => Just(Some(release.to_owned())),
            1 => Just(Some(format!("{release}-fix{{1}}"))),
            1 => Just(Some("open-release/palm.master".to_owned())),
        ]
        .boxed()
    },
    origin: |app, needs_origin| {
        if needs_origin {
            prop_oneof![
                Just(Some(format!("https://github.com/acme/{app}"))),
                Just(Some(format!("git@github.com:acme/{app}-{{x}}.git")))
            ]
            .boxed()
        } else {
            prop_oneof![3 => Just(None), 1 => Just(Some(format!("https://github.com/fork/{app}")))]
                .boxed()
        }
    },
    translations: || {
        prop_oneof![
            3 => Just(None),
            1 => Just(Some(vec![
                "npm run pull_translations".to_owned(),
                "echo '{release}' $X".to_owned(),
            ])),
        ]
        .boxed()
    },
    node: |release| (release != "teak").then_some("20"),
    valid_only: false,
};

/// Shapes that stress the Python side of the export.
pub const PYTHON_SHAPES: Shapes = Shapes {
    stages: &["CI", "QA", "pre-prod", "Production"],
    releases: &["palm", "9.0", "class", "redwood", "sumac", "master"],
    apps: &[
        ("edx-platform", Some(AppKind::Ida)),
        ("edx_platform", Some(AppKind::Ida)),
        ("None", Some(AppKind::Ida)),
        ("path", Some(AppKind::Ida)),
        ("learning", Some(AppKind::Mfe)),
        ("2u-dashboard", Some(AppKind::Mfe)),
        ("for", Some(AppKind::Mfe)),
        ("gradebook", Some(AppKind::Mfe)),
    ],
    max_apps: 8,
    deployments: &["mitx", "mitx-staging", "mitx_staging", "value", "x.pro"],
    max_deployments: 4,
    branch: |release| {
        prop_oneof![
            3 => Just(None),
            1 => Just(Some("main".to_owned())),
            1 => Just(Some(format!("acme/{release}"))),
            1 => Just(Some("fix/\"quoted\"-été's".to_owned())),
        ]
        .boxed()
    },
    origin: |app, needs_origin| {
        if needs_origin {
            Just(Some(format!("https://github.com/acme/{app}"))).boxed()
        } else {
            prop_oneof![3 => Just(None), 1 => Just(Some(format!("git@github.com:fork/{app}.git")))]
                .boxed()
        }
    },
    translations: || {
        prop_oneof![
            3 => Just(None),
            1 => Just(Some(Vec::new())),
            1 => Just(Some(vec![
                "npm run pull_translations".to_owned(),
                r#"echo "a\b" 'c' {x} é ""#.to_owned(),
            ])),
        ]
        .boxed()
    },
    node: |_| Some("20"),
    valid_only: true,
};

fn app_version(
    shapes: &'static Shapes,
    app: &'static str,
    kind: AppKind,
    needs_origin: bool,
    entry_release: &'static str,
    releases: Vec<&'static str>,
) -> impl Strategy<Value = AppVersion> {
    let own = prop_oneof![4 => Just(entry_release), 1 => select(releases)];
    let runtime = prop_oneof![
        4 => Just(None),
        1 => Just(Some("3.8".to_owned())),
        1 => Just(Some("18".to_owned())),
    ];
    let translations = if kind == AppKind::Mfe {
        (shapes.translations)()
    } else {
        Just(None).boxed()
    };
    (
        own,
        (shapes.branch)(entry_release),
        (shapes.origin)(app, needs_origin),
        runtime,
        translations,
        extra(),
    )
        .prop_map(
            move |(own, branch, origin, runtime, translations, extra)| AppVersion {
                application: app.into(),
                release: own.into(),
                branch: branch.map(Into::into),
                origin: origin.map(Into::into),
                runtime: runtime.map(Into::into),
                translations,
                extra,
            },
        )
}

/// The extra values of an application version (`extra`): usually none; else a nested table of
/// every value type with strings that need escaping in TOML, JSON and Python, and/or a list.
fn extra() -> BoxedStrategy<Extra> {
    use ExtraValue as X;
    let branding = || {
        (
            "branding".to_owned(),
            X::Table(vec![
                (
                    "logo".to_owned(),
                    X::String("a \"quoted\" {x} é\n\\".to_owned()),
                ),
                ("size".to_owned(), X::Integer(-3)),
                ("scale".to_owned(), X::Float(FloatText("0.5".to_owned()))),
                ("dark".to_owned(), X::Boolean(true)),
                (
                    "nested".to_owned(),
                    X::Table(vec![("k-1".to_owned(), X::List(vec![]))]),
                ),
            ]),
        )
    };
    let build_args = || {
        (
            "build_args".to_owned(),
            X::List(vec![X::String("--pull".to_owned()), X::Integer(2)]),
        )
    };
    prop_oneof![
        6 => Just(Extra::default()),
        1 => Just(Extra(vec![branding()])),
        1 => Just(Extra(vec![build_args()])),
        1 => Just(Extra(vec![build_args(), branding()])),
    ]
    .boxed()
}

/// A random matrix made of `shapes`: every used (release, deployment) pair has an entry,
/// each deployment pins a non-empty order-preserving subset of the stages.
pub fn matrix(shapes: &'static Shapes) -> BoxedStrategy<Matrix> {
    let stages = subsequence(shapes.stages.to_vec(), 1..=shapes.stages.len());
    let releases = subsequence(shapes.releases.to_vec(), 1..=4);
    let apps = (
        subsequence(shapes.apps.to_vec(), 1..=shapes.max_apps),
        proptest::collection::vec((any::<bool>(), any::<bool>()), shapes.apps.len()),
    );
    let deployments = subsequence(shapes.deployments.to_vec(), 1..=shapes.max_deployments);
    let strategy = (stages, releases, apps, deployments)
        .prop_flat_map(|(stages, releases, (apps, flags), deployments)| {
            let applications: Vec<Application> = apps
                .iter()
                .zip(flags)
                .map(|((name, kind), (mfe, no_repo))| {
                    let kind = kind.unwrap_or(if mfe { AppKind::Mfe } else { AppKind::Ida });
                    Application {
                        name: (*name).into(),
                        kind,
                        repository: (!(no_repo && kind == AppKind::Ida))
                            .then(|| format!("https://github.com/openedx/{name}").into()),
                        path: (kind == AppKind::Mfe).then(|| format!("p-{name}").into()),
                    }
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
        .prop_flat_map(
            move |(stages, releases, applications, deployment_names, pins)| {
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
                let entries: Vec<_> = pairs
                    .iter()
                    .map(|&(r, d)| entry(shapes, &applications, &releases, r, d))
                    .collect();
                (
                    Just(stages),
                    Just(releases),
                    Just(applications),
                    Just(deployments),
                    entries,
                )
            },
        )
        .prop_map(
            move |(stages, releases, applications, deployments, release_map)| Matrix {
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
                        node: (shapes.node)(r).map(Into::into),
                        rolling: Release::is_rolling_name(r),
                    })
                    .collect(),
                applications,
                deployments,
                release_map,
            },
        );
    if shapes.valid_only {
        strategy
            .prop_filter("valid", |m| {
                check(m).iter().all(|p| p.severity != Severity::Error)
            })
            .boxed()
    } else {
        strategy.boxed()
    }
}

/// The entry of release `r` for deployment `d`: a non-empty subset of the applications.
fn entry(
    shapes: &'static Shapes,
    applications: &[Application],
    releases: &[&'static str],
    r: &'static str,
    d: &'static str,
) -> impl Strategy<Value = ReleaseMapEntry> + use<> {
    let apps = applications.to_vec();
    let releases = releases.to_vec();
    subsequence((0..apps.len()).collect::<Vec<_>>(), 1..=apps.len()).prop_flat_map(move |chosen| {
        let versions: Vec<_> = chosen
            .iter()
            .filter_map(|&i| {
                let a = &apps[i];
                // The `'static` name of the application from the shapes.
                let &(name, _) = shapes.apps.iter().find(|(n, _)| *n == a.name.as_str())?;
                Some(app_version(
                    shapes,
                    name,
                    a.kind,
                    a.repository.is_none(),
                    r,
                    releases.clone(),
                ))
            })
            .collect();
        versions.prop_map(move |apps| ReleaseMapEntry {
            release: r.into(),
            deployment: d.into(),
            apps,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    fn draw(shapes: &'static Shapes, n: usize) -> Vec<Matrix> {
        let mut runner = TestRunner::deterministic();
        let strategy = matrix(shapes);
        (0..n)
            .filter_map(|_| strategy.new_tree(&mut runner).ok().map(|t| t.current()))
            .collect()
    }

    #[test]
    fn the_toml_shapes_are_valid_and_use_both_kinds_and_braces() {
        let drawn = draw(&TOML_SHAPES, 64);
        assert_eq!(drawn.len(), 64);
        for m in &drawn {
            let errors: Vec<_> = check(m)
                .into_iter()
                .filter(|p| p.severity == Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{errors:?}");
        }
        let apps = || drawn.iter().flat_map(|m| &m.applications);
        assert!(apps().any(|a| a.kind == AppKind::Mfe && a.name.as_str() == "forum"));
        assert!(apps().any(|a| a.kind == AppKind::Ida && a.name.as_str() == "learning"));
        let branches = || {
            drawn
                .iter()
                .flat_map(|m| &m.release_map)
                .flat_map(|e| &e.apps)
                .filter_map(|v| v.branch.as_ref())
        };
        assert!(branches().any(|b| b.as_str().contains('{')));
    }

    #[test]
    fn the_python_shapes_keep_their_kinds_and_stress_names() {
        let drawn = draw(&PYTHON_SHAPES, 64);
        assert!(!drawn.is_empty());
        for m in &drawn {
            for a in &m.applications {
                let (_, kind) = PYTHON_SHAPES
                    .apps
                    .iter()
                    .find(|(n, _)| *n == a.name.as_str())
                    .copied()
                    .unwrap_or(("", None));
                assert_eq!(Some(a.kind), kind, "{}", a.name.as_str());
            }
        }
        assert!(
            drawn
                .iter()
                .flat_map(|m| &m.release_map)
                .flat_map(|e| &e.apps)
                .any(|v| v.branch.as_ref().is_some_and(|b| b.as_str().contains('é')))
        );
    }
}
