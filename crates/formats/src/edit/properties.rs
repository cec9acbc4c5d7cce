//! Property test: any sequence of edits on a valid matrix either is refused (and changes
//! nothing) or yields a valid matrix that means what applying the same change to the model
//! directly gives.

use crate::edit::entry::{Override, Patch, Target};
use crate::edit::meaning::difference;
use crate::edit::{EditError, EditOutcome, app, entry, promote, release, upgrade};
use crate::{Source, catalogue, load_toml};
use edx_matrix_model::{AppVersion, Application, Matrix, Release, ReleaseMapEntry};
use proptest::prelude::*;

const DEPLOYMENTS: &[&str] = &["campus", "campus-staging", "online", "pro"];
const STAGES: &[&str] = &["CI", "QA", "Production"];
const RELEASES: &[&str] = &["teak", "ulmo", "verawood", "master", "willow", "xray"];
const APPS: &[&str] = &[
    "edx-platform",
    "forum",
    "learning",
    "xqwatcher",
    "edxapp_theme",
    "communications",
    "learner-record",
];

#[derive(Clone, Debug)]
enum Op {
    Upgrade(Vec<usize>, usize, usize),
    Promote(usize, usize, Option<usize>, bool),
    Set(usize, usize, usize, Option<&'static str>, bool),
    Include(usize, usize, usize),
    Exclude(usize, usize, usize),
    ReleaseAdd(usize),
    Retire(usize),
    AppAdd(usize),
    AppRemove(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let d = 0..DEPLOYMENTS.len();
    let s = 0..STAGES.len();
    let r = 0..RELEASES.len();
    let a = 0..APPS.len();
    prop_oneof![
        (
            proptest::collection::vec(d.clone(), 1..3),
            s.clone(),
            r.clone()
        )
            .prop_map(|(ds, s, r)| Op::Upgrade(ds, s, r)),
        (
            d.clone(),
            s.clone(),
            proptest::option::of(s.clone()),
            any::<bool>()
        )
            .prop_map(|(d, s, f, force)| Op::Promote(d, s, f, force)),
        (
            d.clone(),
            r.clone(),
            a.clone(),
            proptest::option::of(prop_oneof![Just("fix/one"), Just("main")]),
            any::<bool>()
        )
            .prop_map(|(d, r, a, b, rt)| Op::Set(d, r, a, b, rt)),
        (d.clone(), r.clone(), a.clone()).prop_map(|(d, r, a)| Op::Include(d, r, a)),
        (d, r.clone(), a.clone()).prop_map(|(d, r, a)| Op::Exclude(d, r, a)),
        r.clone().prop_map(Op::ReleaseAdd),
        r.prop_map(Op::Retire),
        a.clone().prop_map(Op::AppAdd),
        a.prop_map(Op::AppRemove),
    ]
}

fn patch(branch: Option<&str>, runtime: bool) -> Patch {
    Patch {
        branch: branch.map_or(Override::Unset, |b| Override::Set(b.to_owned())),
        runtime: if runtime {
            Override::Set("9.9".to_owned())
        } else {
            Override::Keep
        },
        ..Patch::default()
    }
}

/// Applies `op` to the text.
fn on_text(text: &str, op: &Op) -> Result<EditOutcome, EditError> {
    match op {
        Op::Upgrade(ds, s, r) => upgrade::upgrade(
            text,
            &upgrade::Upgrade::new(ds.iter().map(|d| DEPLOYMENTS[*d]), STAGES[*s], RELEASES[*r]),
        ),
        Op::Promote(d, s, f, force) => promote::promote(
            text,
            &promote::Promote {
                deployment: DEPLOYMENTS[*d].to_owned(),
                to: STAGES[*s].to_owned(),
                from: f.map(|f| STAGES[f].to_owned()),
                force: *force,
            },
        ),
        Op::Set(d, r, a, b, rt) => entry::set(
            text,
            &Target::new(
                &DEPLOYMENTS[*d].into(),
                &RELEASES[*r].into(),
                &APPS[*a].into(),
            ),
            &patch(*b, *rt),
        ),
        Op::Include(d, r, a) => entry::include(
            text,
            &Target::new(
                &DEPLOYMENTS[*d].into(),
                &RELEASES[*r].into(),
                &APPS[*a].into(),
            ),
            &Patch::default(),
        ),
        Op::Exclude(d, r, a) => entry::exclude(
            text,
            &Target::new(
                &DEPLOYMENTS[*d].into(),
                &RELEASES[*r].into(),
                &APPS[*a].into(),
            ),
        ),
        Op::ReleaseAdd(r) => release::add(
            text,
            &release::NewRelease {
                name: RELEASES[*r].to_owned(),
                branch: format!("release/{}", RELEASES[*r]),
                python: "3.12".to_owned(),
                node: "24".to_owned(),
            },
        ),
        Op::Retire(r) => release::retire(text, &RELEASES[*r].into()),
        Op::AppAdd(a) => app::add(
            text,
            &app::NewApp {
                name: APPS[*a].to_owned(),
                ..app::NewApp::default()
            },
        ),
        Op::AppRemove(a) => app::remove(text, &APPS[*a].into()),
    }
}

fn entry_mut<'m>(m: &'m mut Matrix, r: &str, d: &str) -> Option<&'m mut ReleaseMapEntry> {
    m.release_map
        .iter_mut()
        .find(|e| e.release == r && e.deployment == d)
}

/// Applies `op` to the model directly.
fn on_model(m: &Matrix, op: &Op) -> Matrix {
    let mut m = m.clone();
    let pin = |m: &Matrix, d: &str, s: &str| {
        m.deployment(d)
            .and_then(|x| x.release_of(s))
            .map(|r| r.as_str().to_owned())
    };
    let set_pin = |m: &mut Matrix, d: &str, s: &str, r: &str| {
        if let Some(p) = m
            .deployments
            .iter_mut()
            .find(|x| x.name == d)
            .and_then(|x| x.stages.iter_mut().find(|p| p.stage == s))
        {
            p.release = r.into();
        }
    };
    match op {
        Op::Upgrade(ds, s, r) => {
            let (s, to) = (STAGES[*s], RELEASES[*r]);
            let before = m.clone();
            let mut seen = Vec::new();
            for d in ds.iter().map(|d| DEPLOYMENTS[*d]) {
                if seen.contains(&d) {
                    continue;
                }
                seen.push(d);
                let Some(from) = pin(&before, d, s) else {
                    continue;
                };
                set_pin(&mut m, d, s, to);
                // From a rolling line, the newest named release the deployment runs elsewhere.
                let rolling = before.release(&from).is_some_and(|r| r.rolling);
                let named = (before.deployment(d).into_iter())
                    .flat_map(|dep| dep.stages.iter())
                    .filter_map(|p| before.release(p.release.as_str()))
                    .filter(|r| !r.rolling)
                    .max_by(|a, b| edx_matrix_model::compare_releases(a, b))
                    .map(|r| r.name.to_string());
                let from = match (rolling, named) {
                    (true, Some(named)) => named,
                    _ => from,
                };
                if before.entry(to, d).is_none() {
                    if let Some(e) = upgrade::expected_entries(&before, &from, to, d) {
                        m.release_map.push(e);
                    }
                }
            }
        }
        Op::Promote(d, s, f, _) => {
            let d = DEPLOYMENTS[*d];
            let from = match f {
                Some(f) => Some(STAGES[*f]),
                None => STAGES[..*s]
                    .iter()
                    .rev()
                    .copied()
                    .find(|x| pin(&m, d, x).is_some()),
            };
            if let Some(r) = from.and_then(|f| pin(&m, d, f)) {
                set_pin(&mut m, d, STAGES[*s], &r);
            }
        }
        Op::Set(d, r, a, b, rt) => {
            if let Some(v) = entry_mut(&mut m, RELEASES[*r], DEPLOYMENTS[*d])
                .and_then(|e| e.apps.iter_mut().find(|v| v.application == APPS[*a]))
            {
                patch(*b, *rt).apply(v);
            }
        }
        Op::Include(d, r, a) => {
            let v = AppVersion::plain(APPS[*a], RELEASES[*r]);
            match entry_mut(&mut m, RELEASES[*r], DEPLOYMENTS[*d]) {
                Some(e) => e.apps.push(v),
                None => m.release_map.push(ReleaseMapEntry {
                    release: RELEASES[*r].into(),
                    deployment: DEPLOYMENTS[*d].into(),
                    apps: vec![v],
                }),
            }
        }
        Op::Exclude(d, r, a) => {
            if let Some(e) = entry_mut(&mut m, RELEASES[*r], DEPLOYMENTS[*d]) {
                e.apps.retain(|v| v.application != APPS[*a]);
            }
            m.release_map.retain(|e| !e.apps.is_empty());
        }
        Op::ReleaseAdd(r) => m.releases.push(Release {
            name: RELEASES[*r].into(),
            branch: format!("release/{}", RELEASES[*r]).into(),
            python: Some("3.12".into()),
            node: Some("24".into()),
            rolling: Release::is_rolling_name(RELEASES[*r]),
        }),
        Op::Retire(r) => {
            m.releases.retain(|x| x.name != RELEASES[*r]);
            m.release_map.retain(|e| e.release != RELEASES[*r]);
        }
        Op::AppAdd(a) => {
            if let Some(s) = catalogue::standard(APPS[*a]) {
                m.applications.push(Application {
                    name: s.name.into(),
                    kind: s.kind,
                    repository: s.repository.map(Into::into),
                    path: s.path.map(Into::into),
                });
            }
        }
        Op::AppRemove(a) => m.applications.retain(|x| x.name != APPS[*a]),
    }
    m
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn edits_mean_what_the_model_change_means(ops in proptest::collection::vec(op(), 1..7)) {
        let mut text = crate::example::TEXT.to_owned();
        for op in &ops {
            let before = load_toml(Source::new("t", text.as_str()));
            prop_assert!(!before.has_errors());
            match on_text(&text, op) {
                Ok(outcome) => {
                    let after = load_toml(Source::new("t", outcome.text.as_str()));
                    if after.has_errors() {
                        // The command refuses this edit and leaves the file as it was.
                        continue;
                    }
                    let expected = on_model(&before.matrix, op);
                    prop_assert_eq!(difference(&after.matrix, &expected), None, "{:?}", op);
                    text = outcome.text;
                }
                Err(EditError::Internal(message)) => {
                    prop_assert!(false, "internal error on {:?}: {}", op, message);
                }
                Err(_) => {}
            }
        }
    }
}
