//! The streamed order of `resolve`: on generated matrices full of duplicate names (deployments,
//! stage pins, applications in an entry, release-map entries, definitions) and missing ones,
//! `resolve_stream` yields what a naive resolution (every deployment, pin and version in file
//! order, names looked up by a linear scan) yields once its rows are sorted by the domain's key,
//! a stable sort (docs/domain.md#resolution). The oracle is written here, independently of
//! `Index` and the stream.

use edx_matrix_model::{
    AppKind, AppVersion, Application, Deployment, Filter, Matrix, Overridden, Release,
    ReleaseMapEntry, Row, StagePin, Unresolved, resolve, resolve_stream,
};
use proptest::prelude::*;
use proptest::sample::select;

const STAGES: &[&str] = &["CI", "QA", "Prod"];
const RELEASES: &[&str] = &["r1", "r2", "r3"];
const APPS: &[&str] = &["x", "y", "z", "w"];
const DEPLOYMENTS: &[&str] = &["d1", "d2", "d3"];

fn opt(values: &'static [&'static str]) -> impl Strategy<Value = Option<&'static str>> {
    proptest::option::of(select(values))
}

fn release() -> impl Strategy<Value = Release> {
    (
        select(RELEASES),
        select(&["b1", "b2"][..]),
        opt(&["3.11", "3.12"]),
        opt(&["20"]),
    )
        .prop_map(|(name, branch, python, node)| Release {
            name: name.into(),
            branch: branch.into(),
            python: python.map(Into::into),
            node: node.map(Into::into),
            rolling: false,
        })
}

fn application() -> impl Strategy<Value = Application> {
    (
        select(APPS),
        any::<bool>(),
        opt(&["https://g/a", "https://g/b"]),
        opt(&["p"]),
    )
        .prop_map(|(name, ida, repository, path)| Application {
            name: name.into(),
            kind: if ida { AppKind::Ida } else { AppKind::Mfe },
            repository: repository.map(Into::into),
            path: path.map(Into::into),
        })
}

fn deployment() -> impl Strategy<Value = Deployment> {
    (
        select(DEPLOYMENTS),
        proptest::collection::vec((select(STAGES), select(RELEASES)), 0..4),
    )
        .prop_map(|(name, pins)| Deployment {
            name: name.into(),
            stages: pins
                .into_iter()
                .map(|(stage, release)| StagePin {
                    stage: stage.into(),
                    release: release.into(),
                    vars: Default::default(),
                })
                .collect(),
            vars: Default::default(),
        })
}

/// A version: "v" is an application no catalogue has, "r9" a release none defines.
fn version(entry_release: &'static str) -> impl Strategy<Value = AppVersion> {
    (
        select(&["x", "y", "z", "w", "v"][..]),
        prop_oneof![4 => Just(entry_release), 1 => select(&["r1", "r2", "r9"][..])],
        opt(&["b1", "fix"]),
        opt(&["https://g/a", "https://g/fork"]),
        opt(&["3.11", "18"]),
        proptest::option::of(Just(vec!["make pull".to_owned()])),
    )
        .prop_map(
            |(app, release, branch, origin, runtime, translations)| AppVersion {
                application: app.into(),
                release: release.into(),
                branch: branch.map(Into::into),
                origin: origin.map(Into::into),
                runtime: runtime.map(Into::into),
                translations,
                extra: Default::default(),
            },
        )
}

fn entry() -> impl Strategy<Value = ReleaseMapEntry> {
    (select(RELEASES), select(DEPLOYMENTS)).prop_flat_map(|(release, deployment)| {
        proptest::collection::vec(version(release), 0..6).prop_map(move |apps| ReleaseMapEntry {
            release: release.into(),
            deployment: deployment.into(),
            apps,
        })
    })
}

fn matrix() -> impl Strategy<Value = Matrix> {
    (
        proptest::collection::vec(release(), 0..4),
        proptest::collection::vec(application(), 0..6),
        proptest::collection::vec(deployment(), 0..5),
        proptest::collection::vec(entry(), 0..8),
    )
        .prop_map(
            |(releases, applications, deployments, release_map)| Matrix {
                stages: STAGES.iter().map(|s| (*s).into()).collect(),
                releases,
                applications,
                deployments,
                release_map,
            },
        )
}

fn filter() -> impl Strategy<Value = Filter> {
    prop_oneof![
        3 => Just(Filter::default()),
        1 => (opt(DEPLOYMENTS), opt(STAGES), opt(RELEASES), opt(APPS),
              proptest::option::of(any::<bool>()))
            .prop_map(|(d, s, r, a, ida)| Filter {
                deployment: d.map(Into::into),
                stage: s.map(Into::into),
                release: r.map(Into::into),
                application: a.map(Into::into),
                kind: ida.map(|ida| if ida { AppKind::Ida } else { AppKind::Mfe }),
            }),
    ]
}

fn admits(filter: Option<&str>, value: &str) -> bool {
    filter.is_none_or(|f| f == value)
}

/// The naive resolution: file order, first definition of a name wins, then a stable sort.
fn oracle<'m>(m: &'m Matrix, f: &Filter) -> (Vec<Row<'m>>, Vec<Unresolved<'m>>) {
    let (mut rows, mut unresolved) = (Vec::new(), Vec::new());
    for d in &m.deployments {
        if !admits(f.deployment.as_ref().map(|n| n.as_str()), d.name.as_str()) {
            continue;
        }
        for pin in &d.stages {
            let (dn, s, r) = (d.name.as_str(), pin.stage.as_str(), pin.release.as_str());
            if !admits(f.stage.as_ref().map(|n| n.as_str()), s)
                || !admits(f.release.as_ref().map(|n| n.as_str()), r)
            {
                continue;
            }
            let gone = |reason| Unresolved {
                deployment: dn,
                stage: s,
                release: r,
                reason,
            };
            let Some(entry) = m
                .release_map
                .iter()
                .find(|e| e.release.as_str() == r && e.deployment.as_str() == dn)
            else {
                unresolved.push(gone("no release-map entry for this release and deployment"));
                continue;
            };
            for v in &entry.apps {
                if !admits(
                    f.application.as_ref().map(|n| n.as_str()),
                    v.application.as_str(),
                ) {
                    continue;
                }
                let app = m.applications.iter().find(|a| a.name == v.application);
                let own = m.releases.iter().find(|x| x.name == v.release);
                let (Some(app), Some(own)) = (app, own) else {
                    unresolved.push(gone("an entry names an undefined application or release"));
                    continue;
                };
                if f.kind.is_some_and(|k| k != app.kind) {
                    continue;
                }
                let default_runtime = match app.kind {
                    AppKind::Ida => own.python.as_ref(),
                    AppKind::Mfe => own.node.as_ref(),
                };
                rows.push(Row {
                    deployment: dn,
                    stage: s,
                    release: r,
                    application: app.name.as_str(),
                    kind: app.kind,
                    git_origin: v
                        .origin
                        .as_ref()
                        .or(app.repository.as_ref())
                        .map_or("", |o| o.as_str()),
                    release_branch: v.branch.as_ref().unwrap_or(&own.branch).as_str(),
                    runtime_version: v.runtime.as_ref().or(default_runtime).map(|x| x.as_str()),
                    path: app.path.as_ref().map(|p| p.as_str()),
                    translations: v.translations.as_deref(),
                    entry_release: (v.release.as_str() != r).then_some(v.release.as_str()),
                    extra: None,
                    overridden: Overridden {
                        origin: v.origin.is_some(),
                        branch: v.branch.is_some(),
                        runtime: v.runtime.is_some(),
                    },
                    commit: None,
                });
            }
        }
    }
    let key = |r: &Row<'m>| {
        (
            r.deployment,
            r.stage,
            r.release,
            r.application,
            r.kind,
            r.git_origin,
            r.release_branch,
            r.runtime_version.unwrap_or(""),
        )
    };
    rows.sort_by(|a, b| key(a).cmp(&key(b)));
    (rows, unresolved)
}

fn place<'m>(u: &Unresolved<'m>) -> (&'m str, &'m str, &'m str) {
    (u.deployment, u.stage, u.release)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The stream is the oracle's sorted rows, item for item; `resolve` is the stream
    /// collected; what cannot be resolved is the oracle's, by (deployment, stage, release).
    #[test]
    fn the_stream_is_the_sorted_rows(m in matrix(), f in filter()) {
        let (rows, mut unresolved) = oracle(&m, &f);
        let streamed: Vec<_> = resolve_stream(&m, &f).collect();
        let streamed_rows: Vec<Row<'_>> = streamed.iter().filter_map(|i| i.ok()).collect();
        let streamed_unresolved: Vec<Unresolved<'_>> =
            streamed.iter().filter_map(|i| i.err()).collect();
        prop_assert_eq!(&streamed_rows, &rows);
        prop_assert!(streamed_unresolved.is_sorted_by_key(place));
        unresolved.sort_by_key(place);
        prop_assert_eq!(&streamed_unresolved, &unresolved);
        let collected = resolve(&m, &f);
        prop_assert_eq!(collected.rows, rows);
        prop_assert_eq!(collected.unresolved, unresolved);
    }
}

/// The duplicates the stream must merge, written out: two deployments called `d1` (their
/// stages interleave), a stage pinned twice (every row twice) and an application listed twice
/// in one entry (sorted by origin).
#[test]
fn merges_duplicate_names_in_key_order() {
    let pin = |stage: &str| StagePin {
        stage: stage.into(),
        release: "r1".into(),
        vars: Default::default(),
    };
    let deployment = |stages: Vec<StagePin>| Deployment {
        name: "d1".into(),
        stages,
        vars: Default::default(),
    };
    let mut fork = AppVersion::plain("x", "r1");
    fork.origin = Some("https://g/a-fork".into());
    let m = Matrix {
        stages: vec!["A".into(), "B".into()],
        releases: vec![Release {
            name: "r1".into(),
            branch: "b".into(),
            python: None,
            node: None,
            rolling: false,
        }],
        applications: vec![Application {
            name: "x".into(),
            kind: AppKind::Ida,
            repository: Some("https://g/b".into()),
            path: None,
        }],
        deployments: vec![
            deployment(vec![pin("B")]),
            deployment(vec![pin("A"), pin("B")]),
        ],
        release_map: vec![ReleaseMapEntry {
            release: "r1".into(),
            deployment: "d1".into(),
            apps: vec![AppVersion::plain("x", "r1"), fork],
        }],
    };
    let brief: Vec<(&str, &str)> = resolve_stream(&m, &Filter::default())
        .map(|i| i.unwrap())
        .map(|r| (r.stage, r.git_origin))
        .collect();
    assert_eq!(
        brief,
        [
            ("A", "https://g/a-fork"),
            ("A", "https://g/b"),
            ("B", "https://g/a-fork"),
            ("B", "https://g/a-fork"),
            ("B", "https://g/b"),
            ("B", "https://g/b"),
        ]
    );
}
