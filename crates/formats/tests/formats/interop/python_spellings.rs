//! Many spellings of one matrix import to the identical model, and real CPython with pydantic
//! computes, from each spelling, the rows `resolve` gives for the model.
#![allow(clippy::unwrap_used)]

mod spell;

use edx_matrix_formats::Source;
use edx_matrix_formats::python_import::{Options, import};
use edx_matrix_model::vars::FloatText;
use edx_matrix_model::{
    AppKind, AppVersion, Application, Deployment, Extra, ExtraValue, Filter, Matrix, Release,
    ReleaseMapEntry, StagePin, resolve,
};
use proptest::prelude::*;
use serde_json::{Value, json};
use spell::{Spelling, spellings, write};

/// A small deterministic generator, so CPython runs on the same random models every time.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
    fn coin(&mut self) -> bool {
        self.next(2) == 0
    }
}

const RELEASES: &[&str] = &["teak", "ulmo", "verawood", "master"];
const IDAS: &[&str] = &["edx-platform", "forum", "notes-api", "codejail"];
const MFES: &[&str] = &["learning", "authoring", "learner-dashboard"];
const DEPLOYMENTS: &[&str] = &["campus", "campus-staging", "online"];
const STAGES: &[&str] = &["CI", "QA", "Production"];

/// Extra values for an entry: sometimes a `branding` dict of every value type, sometimes
/// `build_args`, a keyword argument the package does not declare.
fn extra(r: &mut Lcg, app: &str) -> Extra {
    use ExtraValue as X;
    let mut out = Extra::default();
    if r.next(4) == 0 {
        out.0.push((
            "branding".to_owned(),
            X::Table(vec![
                ("logo".to_owned(), X::String(format!("{app}.svg"))),
                ("size".to_owned(), X::Integer(r.next(100) as i64 - 50)),
                ("scale".to_owned(), X::Float(FloatText("1.5".to_owned()))),
                ("dark".to_owned(), X::Boolean(r.coin())),
                (
                    "fonts".to_owned(),
                    X::List(vec![X::String("Inter".to_owned())]),
                ),
            ]),
        ));
    }
    if r.next(6) == 0 {
        out.0.push((
            "build_args".to_owned(),
            X::List(vec![X::String("--pull".to_owned())]),
        ));
    }
    out
}

/// A random valid matrix.
fn model(seed: u64) -> Matrix {
    let mut r = Lcg(seed);
    let mut m = Matrix {
        stages: STAGES.iter().map(|s| (*s).into()).collect(),
        ..Matrix::default()
    };
    let n_releases = 1 + r.next(RELEASES.len());
    for name in &RELEASES[RELEASES.len() - n_releases..] {
        m.releases.push(Release {
            name: (*name).into(),
            branch: if *name == "master" {
                "master".into()
            } else {
                format!("release/{name}").into()
            },
            python: Some(["3.11", "3.12"][r.next(2)].into()),
            node: Some(["20", "24"][r.next(2)].into()),
            rolling: Release::is_rolling_name(name),
        });
    }
    let idas = 1 + r.next(IDAS.len());
    let mfes = r.next(MFES.len() + 1);
    for (names, kind, count) in [(IDAS, AppKind::Ida, idas), (MFES, AppKind::Mfe, mfes)] {
        for name in &names[..count] {
            m.applications.push(Application {
                name: (*name).into(),
                kind,
                repository: Some(format!("https://github.com/openedx/{name}").into()),
                path: (kind == AppKind::Mfe).then(|| format!("{name}-path").into()),
            });
        }
    }
    let n_deployments = 1 + r.next(DEPLOYMENTS.len());
    for d in &DEPLOYMENTS[..n_deployments] {
        let stages = STAGES
            .iter()
            .map(|s| StagePin {
                stage: (*s).into(),
                release: m.releases[r.next(m.releases.len())].name.clone(),
                vars: Default::default(),
            })
            .collect();
        m.deployments.push(Deployment {
            name: (*d).into(),
            stages,
            vars: Default::default(),
        });
    }
    let releases: Vec<String> = m.releases.iter().map(|x| x.name.to_string()).collect();
    for rel in &releases {
        for d in &m.deployments {
            if !d.stages.iter().any(|p| p.release == rel.as_str()) {
                continue;
            }
            let mut apps = Vec::new();
            for a in &m.applications {
                if r.next(4) == 0 && !apps.is_empty() {
                    continue;
                }
                let own = if r.next(6) == 0 {
                    releases[r.next(releases.len())].clone()
                } else {
                    rel.clone()
                };
                apps.push(AppVersion {
                    application: a.name.clone(),
                    release: own.as_str().into(),
                    branch: r.coin().then(|| format!("acme/{rel}").into()),
                    origin: (r.next(3) == 0)
                        .then(|| format!("https://github.com/acme/{}", a.name).into()),
                    runtime: (r.next(4) == 0).then(|| "3.10".into()),
                    translations: (a.kind == AppKind::Mfe && r.next(3) == 0)
                        .then(|| vec!["npm run pull_translations".to_owned()]),
                    extra: extra(&mut r, a.name.as_str()),
                });
            }
            m.release_map.push(ReleaseMapEntry {
                release: rel.as_str().into(),
                deployment: d.name.clone(),
                apps,
            });
        }
    }
    assert!(
        !edx_matrix_model::check(&m)
            .iter()
            .any(|p| p.severity == edx_matrix_model::Severity::Error),
        "the generator made an invalid model: {:?}",
        edx_matrix_model::check(&m)
    );
    m
}

/// What a single-file spelling can say: no runtimes, paths or translations.
fn for_spelling(m: &Matrix, sp: &Spelling) -> Matrix {
    let mut m = m.clone();
    if sp.single_file {
        for r in &mut m.releases {
            r.python = None;
            r.node = None;
        }
        for a in &mut m.applications {
            a.path = None;
        }
        for v in m.release_map.iter_mut().flat_map(|e| &mut e.apps) {
            v.runtime = None;
            v.translations = None;
        }
    }
    m
}

fn import_spelling(m: &Matrix, sp: &Spelling) -> Matrix {
    import_spelling_fully(m, sp).matrix
}

/// Imports the spelling of `m`, asserting it has no error.
fn import_spelling_fully(m: &Matrix, sp: &Spelling) -> edx_matrix_formats::python_import::Imported {
    let p = write(m, sp);
    let imported = import(
        Source::new("types.py", p.types.clone()),
        Source::new("version_matrix.py", p.version_matrix.clone()),
        &Options::default(),
    );
    let errors: Vec<_> = [&imported.types, &imported.version_matrix]
        .iter()
        .flat_map(|f| {
            f.diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| (d.message.clone(), d.line_col(&f.source)))
        })
        .collect();
    assert!(
        errors.is_empty(),
        "{sp:?}: {errors:?}\n--- types.py\n{}\n--- version_matrix.py\n{}",
        p.types,
        p.version_matrix
    );
    imported
}

#[test]
fn there_are_at_least_eight_spellings_covering_each_option() {
    let all = spellings();
    assert!(all.len() >= 8);
    assert!(all.iter().any(|s| s.single_file) && all.iter().any(|s| !s.single_file));
    for refs in [
        spell::Refs::String,
        spell::Refs::Attr,
        spell::Refs::Subscript,
        spell::Refs::ValueSubscript,
        spell::Refs::Call,
    ] {
        assert!(all.iter().any(|s| s.refs == refs), "{refs:?}");
    }
    for data in [
        spell::Data::Plain,
        spell::Data::Unpacked,
        spell::Data::Built,
    ] {
        for single_file in [false, true] {
            assert!(
                all.iter()
                    .any(|s| s.data == data && s.single_file == single_file),
                "{data:?}, single file: {single_file}"
            );
        }
    }
}

#[test]
fn every_spelling_imports_to_the_identical_model() {
    for seed in [1, 7, 42] {
        let m = model(seed);
        for sp in spellings() {
            let expected = for_spelling(&m, &sp);
            assert_eq!(
                import_spelling(&expected, &sp).canonical(),
                expected.clone().canonical(),
                "seed {seed}, {sp:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn random_models_in_random_spellings_import_unchanged(seed in any::<u64>(), which in 0usize..64) {
        let m = model(seed);
        let sp = spellings()[which % spellings().len()];
        let expected = for_spelling(&m, &sp);
        prop_assert_eq!(import_spelling(&expected, &sp).canonical(), expected.canonical());
    }
}

/// `resolve`'s rows of `m` as the script prints them.
fn model_rows(m: &Matrix) -> Vec<Value> {
    let mut rows: Vec<Value> = resolve(m, &Filter::default())
        .rows
        .iter()
        .map(|r| {
            json!([
                r.deployment,
                r.stage,
                r.release,
                r.application,
                r.kind.as_str(),
                r.git_origin,
                r.release_branch,
                r.runtime_version,
                r.extra.and_then(|e| e.get("branding"))
            ])
        })
        .collect();
    rows.sort_by_key(|v| v.to_string());
    rows
}

#[test]
fn cpython_computes_from_every_spelling_the_rows_resolve_gives() {
    let Some(python) = edx_matrix_test_support::require_python(
        "cpython_computes_from_every_spelling_the_rows_resolve_gives",
        &["pydantic"],
    ) else {
        return;
    };
    for seed in [1, 7, 42, 1234] {
        let m = model(seed);
        for sp in spellings() {
            let expected = for_spelling(&m, &sp);
            let p = write(&expected, &sp);
            let dir = tempfile::tempdir().unwrap();
            let pkg = dir.path().join("matrixpkg");
            std::fs::create_dir(&pkg).unwrap();
            std::fs::write(pkg.join("__init__.py"), "").unwrap();
            std::fs::write(pkg.join("types.py"), &p.types).unwrap();
            std::fs::write(pkg.join("version_matrix.py"), &p.version_matrix).unwrap();
            let out = std::process::Command::new(&python)
                .arg("-c")
                .arg(spell::ROWS_SCRIPT)
                .arg(dir.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "seed {seed}, {sp:?}: {}\n--- types.py\n{}\n--- version_matrix.py\n{}",
                String::from_utf8_lossy(&out.stderr),
                p.types,
                p.version_matrix
            );
            let mut rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
            rows.sort_by_key(|v| v.to_string());
            assert_eq!(rows, model_rows(&expected), "seed {seed}, {sp:?}");
        }
    }
}

/// Runs the rows script with CPython on a package; returns its rows, sorted.
fn cpython_rows(
    python: &std::path::Path,
    types: &str,
    version_matrix: &str,
    what: &str,
) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("matrixpkg");
    std::fs::create_dir(&pkg).unwrap();
    std::fs::write(pkg.join("__init__.py"), "").unwrap();
    std::fs::write(pkg.join("types.py"), types).unwrap();
    std::fs::write(pkg.join("version_matrix.py"), version_matrix).unwrap();
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(spell::ROWS_SCRIPT)
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{what}: {}\n--- types.py\n{types}\n--- version_matrix.py\n{version_matrix}",
        String::from_utf8_lossy(&out.stderr),
    );
    let mut rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    rows.sort_by_key(|v| v.to_string());
    rows
}

/// Every spelling (with its `**` forms, duplicate keys, extra fields and comments) imported,
/// written as TOML, loaded and exported as a package: CPython computes from the export the same
/// rows, `branding` included, as `resolve` gives for the model.
#[test]
fn the_export_of_every_spelling_gives_cpython_the_same_rows_again() {
    let Some(python) = edx_matrix_test_support::require_python(
        "the_export_of_every_spelling_gives_cpython_the_same_rows_again",
        &["pydantic"],
    ) else {
        return;
    };
    for seed in [3, 42] {
        let m = model(seed);
        assert!(
            m.release_map
                .iter()
                .flat_map(|e| &e.apps)
                .any(|v| !v.extra.is_empty()),
            "seed {seed} has extra values"
        );
        for sp in spellings() {
            let expected = for_spelling(&m, &sp);
            let toml = import_spelling_fully(&expected, &sp).to_toml();
            let loaded = edx_matrix_formats::load_toml(Source::new("edx-matrix.toml", toml));
            assert!(!loaded.has_errors(), "{sp:?}: {:?}", loaded.diagnostics);
            let package = edx_matrix_formats::python_export::export(
                &loaded.matrix,
                &loaded.python,
                &Default::default(),
            );
            let rows = cpython_rows(
                &python,
                &package.types_py,
                &package.version_matrix_py,
                &format!("seed {seed}, {sp:?}"),
            );
            assert_eq!(rows, model_rows(&expected), "seed {seed}, {sp:?}");
        }
    }
}

/// The comments a written-out spelling carries (`# entry of …` above each entry call, `# its
/// fields` inside) stand above the entries' keys in the imported TOML.
#[test]
fn spelling_comments_reach_the_toml() {
    let m = model(42);
    for sp in spellings()
        .into_iter()
        .filter(|s| s.data == spell::Data::Plain)
    {
        let toml = import_spelling_fully(&for_spelling(&m, &sp), &sp).to_toml();
        let lines: Vec<&str> = toml.lines().collect();
        let mut seen = 0;
        for (i, line) in lines.iter().enumerate() {
            if line.starts_with("# entry of ") {
                seen += 1;
                assert_eq!(lines[i + 1], "# its fields", "{sp:?}\n{toml}");
                // Then the application's key in `[map.apps]`.
                assert!(lines[i + 2].contains(" = {"), "{sp:?}\n{toml}");
            }
        }
        assert!(seen > 0, "{sp:?}\n{toml}");
    }
}
