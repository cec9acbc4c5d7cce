//! Property: for random valid matrices (written in `fmt`'s layout) and every edit command,
//! an edit the project's rule ([`Project::apply_edit`]) accepts writes a file that passes
//! `fmt --check` (formatting it changes nothing) and `check` (no error).

use edx_matrix_formats::edit::entry::{Override, Patch, Target};
use edx_matrix_formats::edit::{
    Base, EditError, EditOutcome, app, entry, fmt, promote, release, upgrade,
};
use edx_matrix_formats::toml_write;
use edx_matrix_model::{AppKind, Matrix};
use edx_matrix_project::{Format, Precondition, Project};
use edx_matrix_test_support::{TOML_SHAPES, matrix};
use proptest::prelude::*;
use proptest::sample::Index;

/// One edit, its names picked from the matrix it is applied to (so most apply).
#[derive(Clone, Debug)]
enum Op {
    Upgrade(Index, Index, Index),
    Promote(Index, Index),
    /// A release-map entry, an application of the entry, the branch to set.
    Set(Index, Index, Option<&'static str>),
    Include(Index, Index, Index),
    /// A release-map entry, an application of the entry.
    Exclude(Index, Index),
    /// A new release: a short name, or one longer than every name the generator uses.
    ReleaseAdd(&'static str),
    Retire(Index),
    AppAdd(&'static str, bool),
    AppRemove(Index),
}

fn op() -> impl Strategy<Value = Op> {
    let i = || any::<Index>();
    prop_oneof![
        (i(), i(), i()).prop_map(|(d, s, r)| Op::Upgrade(d, s, r)),
        (i(), i()).prop_map(|(d, s)| Op::Promote(d, s)),
        (
            i(),
            i(),
            proptest::option::of(prop_oneof![Just("fix/one"), Just("acme/{release}")])
        )
            .prop_map(|(e, a, b)| Op::Set(e, a, b)),
        (i(), i(), i()).prop_map(|(d, r, a)| Op::Include(d, r, a)),
        (i(), i()).prop_map(|(e, a)| Op::Exclude(e, a)),
        prop_oneof![Just("a"), Just("a-release-with-a-long-name")].prop_map(Op::ReleaseAdd),
        i().prop_map(Op::Retire),
        (
            prop_oneof![Just("x"), Just("an-application-with-a-long-name")],
            any::<bool>()
        )
            .prop_map(|(name, mfe)| Op::AppAdd(name, mfe)),
        i().prop_map(Op::AppRemove),
    ]
}

fn pick<'m, T>(items: &'m [T], index: &Index) -> Option<&'m T> {
    (!items.is_empty()).then(|| index.get(items))
}

/// The edit `op` on `m`'s text; `None` when `m` has nothing to name.
/// An edit, ready for [`Project::apply_edit`].
type Edit = Box<dyn FnOnce(Base<'_>) -> Result<EditOutcome, EditError>>;

fn edit(m: &Matrix, op: &Op) -> Option<Edit> {
    let deployment = |i| pick(&m.deployments, i).map(|d| d.name.to_string());
    let stage = |i| pick(&m.stages, i).map(ToString::to_string);
    let rel = |i| pick(&m.releases, i).map(|r| r.name.to_string());
    let application = |i| pick(&m.applications, i).map(|a| a.name.to_string());
    let target = |d, r, a| -> Option<Target> {
        Some(Target::new(
            &deployment(d)?.as_str().into(),
            &rel(r)?.as_str().into(),
            &application(a)?.as_str().into(),
        ))
    };
    // An application of a release-map entry: what `set` and `exclude` change.
    let in_map = |e, a| -> Option<Target> {
        let entry = pick(&m.release_map, e)?;
        let version = pick(&entry.apps, a)?;
        Some(Target::new(
            &entry.deployment.as_str().into(),
            &entry.release.as_str().into(),
            &version.application.as_str().into(),
        ))
    };
    Some(match op {
        Op::Upgrade(d, s, r) => {
            let args = upgrade::Upgrade::new([deployment(d)?], &stage(s)?, &rel(r)?);
            Box::new(move |base: Base<'_>| upgrade::upgrade(base, &args))
        }
        Op::Promote(d, s) => {
            let args = promote::Promote {
                deployment: deployment(d)?,
                to: stage(s)?,
                from: None,
                force: false,
            };
            Box::new(move |base: Base<'_>| promote::promote(base, &args))
        }
        Op::Set(e, a, branch) => {
            let target = in_map(e, a)?;
            let patch = Patch {
                branch: branch.map_or(Override::Unset, |b| Override::Set(b.to_owned())),
                ..Patch::default()
            };
            Box::new(move |base: Base<'_>| entry::set(base, &target, &patch))
        }
        Op::Include(d, r, a) => {
            let target = target(d, r, a)?;
            Box::new(move |base: Base<'_>| entry::include(base, &target, &Patch::default()))
        }
        Op::Exclude(e, a) => {
            let target = in_map(e, a)?;
            Box::new(move |base: Base<'_>| entry::exclude(base, &target))
        }
        Op::ReleaseAdd(name) => {
            let new = release::NewRelease {
                name: (*name).to_owned(),
                branch: format!("release/{name}"),
                python: "3.12".to_owned(),
                node: "24".to_owned(),
            };
            Box::new(move |base: Base<'_>| release::add(base, &new))
        }
        Op::Retire(r) => {
            let name = rel(r)?;
            Box::new(move |base: Base<'_>| release::retire(base, &name.as_str().into()))
        }
        Op::AppAdd(name, mfe) => {
            let new = app::NewApp {
                name: (*name).to_owned(),
                kind: Some(if *mfe { AppKind::Mfe } else { AppKind::Ida }),
                repository: Some(format!("https://github.com/openedx/{name}")),
                path: mfe.then(|| format!("p-{name}")),
            };
            Box::new(move |base: Base<'_>| app::add(base, &new))
        }
        Op::AppRemove(a) => {
            let name = application(a)?;
            Box::new(move |base: Base<'_>| app::remove(base, &name.as_str().into()))
        }
    })
}

/// `text` formatted: equal to `text` when `fmt --check` passes on it.
fn formatted(text: &str) -> String {
    fmt::fmt(text).expect("formats").text
}

proptest! {
    // Each case loads and edits whole projects in a debug build: few cases, each a sequence.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_accepted_edit_writes_a_file_that_passes_fmt_check_and_check(
        m in matrix(&TOML_SHAPES),
        ops in proptest::collection::vec(op(), 1..5),
    ) {
        let mut text = formatted(&toml_write::write_faithful(&m, &[]));
        let mut project = Project::from_text("edx-matrix.toml", Format::Toml, text.as_str());
        prop_assert!(!project.has_errors(), "the generator makes valid matrices");
        for op in &ops {
            let Some(edit) = edit(project.matrix(), op) else { continue };
            match project.clone().apply_edit(Precondition::Valid, edit) {
                Ok(edited) => {
                    let written = &edited.outcome.text;
                    prop_assert_eq!(&formatted(written), written, "`fmt --check` fails after {:?}\nbefore:\n{}", op, text);
                    prop_assert!(!edited.after.has_errors(), "`check` fails after {:?}", op);
                    text.clone_from(written);
                    project = edited.after;
                }
                Err(edx_matrix_project::Refusal::Edit(EditError::Internal(message))) => {
                    prop_assert!(false, "internal error on {:?}: {}", op, message);
                }
                // Refused (a name in use, a rule of the edit, an error it would add): nothing
                // is written, so there is no file to check.
                Err(_) => {}
            }
        }
    }
}
