//! The operators' package in the spellings of its history (`tests/fixtures/python-eras/`):
//! `**` unpacking in calls and dict displays, `dict(...)`, helpers, constants, comprehensions,
//! concatenation and a duplicate key import to the rows Python computes; what cannot be read is
//! reported all at once; a field the matrix does not read is carried as `extra`; comments stand
//! above what they describe in the TOML.
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::interchange::RowsJson;
use edx_matrix_formats::python_export::{self, Package};
use edx_matrix_formats::python_import::{Imported, Options, import};
use edx_matrix_formats::{Source, load_toml};
use edx_matrix_model::vars::FloatText;
use edx_matrix_model::{Code, Extra, ExtraValue, Filter, resolve};
use edx_matrix_test_support::project_rows;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(fixtures().join(relative)).unwrap()
}

fn import_texts(types: String, version_matrix: String) -> Imported {
    import(
        Source::new("types.py", types),
        Source::new("version_matrix.py", version_matrix),
        &Options::default(),
    )
}

fn import_era(era: &str) -> Imported {
    import_texts(
        read(&format!("python-eras/{era}/types.py")),
        read(&format!("python-eras/{era}/version_matrix.py")),
    )
}

/// Every diagnostic as (code, file, line:col, error?).
fn diagnostics(imported: &Imported) -> Vec<(Code, String, (usize, usize), bool)> {
    [&imported.types, &imported.version_matrix]
        .into_iter()
        .flat_map(|f| {
            f.diagnostics.iter().map(|d| {
                (
                    d.code,
                    f.source.name.clone(),
                    d.line_col(&f.source).unwrap_or((0, 0)),
                    d.is_error(),
                )
            })
        })
        .collect()
}

/// The imported TOML, read back by the loader and resolved, in the eight row fields, sorted.
fn rows(imported: &Imported) -> Vec<Value> {
    let loaded = load_toml(Source::new("edx-matrix.toml", imported.to_toml()));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let rows = resolve(&loaded.matrix, &Filter::default()).rows;
    let mut rows = project_rows(&serde_json::to_value(&rows).unwrap());
    rows.sort_by_key(|r| r.to_string());
    rows
}

fn sorted(v: Value) -> Vec<Value> {
    let mut v = v.as_array().unwrap().clone();
    v.sort_by_key(|r| r.to_string());
    v
}

#[test]
fn the_unpacking_era_imports_to_the_rows_of_the_current_layout() {
    let imported = import_era("unpacking");
    let errors: Vec<_> = diagnostics(&imported).into_iter().filter(|d| d.3).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // The same matrix as acme/python-layout/current: its rows were computed by Python.
    let expected: Value =
        serde_json::from_str(&read("acme/python-layout/current/expected-resolved.json")).unwrap();
    assert_eq!(rows(&imported), sorted(expected));
}

#[test]
fn a_key_written_twice_is_a_warning_at_both_places_and_the_last_wins() {
    let imported = import_era("unpacking");
    let warnings: Vec<_> = diagnostics(&imported)
        .into_iter()
        .filter(|d| d.0 == Code::PythonDuplicateKey)
        .map(|d| (d.1, d.2))
        .collect();
    // `"pro": pro(R.teak),` at 140:9, and the `"pro": [` Python keeps at 142:9.
    assert_eq!(
        warnings,
        [
            ("version_matrix.py".to_owned(), (140, 9)),
            ("version_matrix.py".to_owned(), (142, 9))
        ]
    );
    // The last one wins: communications on teak builds with Node 22.
    let teak_communications: Vec<_> = rows(&imported)
        .into_iter()
        .filter(|r| r["release"] == "teak" && r["application"] == "communications")
        .map(|r| r["runtime_version"].clone())
        .collect();
    assert_eq!(teak_communications, ["22"]);
}

/// Runs `script` (in `tests/fixtures/python-eras/`) with CPython on a package, laid out as the
/// operators import it (`bridge.settings.openedx`); returns its standard output.
fn run_on_package(python: &Path, script: &str, types: &str, version_matrix: &str) -> Vec<u8> {
    let root = tempfile::tempdir().unwrap();
    let package = root.path().join("bridge/settings/openedx");
    std::fs::create_dir_all(&package).unwrap();
    for dir in ["bridge", "bridge/settings", "bridge/settings/openedx"] {
        std::fs::write(root.path().join(dir).join("__init__.py"), "").unwrap();
    }
    std::fs::write(package.join("types.py"), types).unwrap();
    std::fs::write(package.join("version_matrix.py"), version_matrix).unwrap();
    let out = std::process::Command::new(python)
        .arg(fixtures().join("python-eras").join(script))
        .arg(root.path())
        .arg("bridge.settings.openedx")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs `rows.py` with CPython on a package.
fn cpython_rows(python: &Path, types: &str, version_matrix: &str) -> Vec<Value> {
    let out = run_on_package(python, "rows.py", types, version_matrix);
    sorted(serde_json::from_slice(&out).unwrap())
}

#[test]
fn cpython_computes_from_the_unpacking_era_the_rows_the_import_resolves() {
    let Some(python) = edx_matrix_test_support::require_python(module_path!(), &["pydantic"])
    else {
        return;
    };
    let got = cpython_rows(
        &python,
        &read("python-eras/unpacking/types.py"),
        &read("python-eras/unpacking/version_matrix.py"),
    );
    assert_eq!(got.len(), 129);
    assert_eq!(got, rows(&import_era("unpacking")));
}

/// The `branding` dict of `online`'s `learning` on `master`, as the fixture writes it.
fn online_branding() -> Extra {
    use ExtraValue as X;
    Extra(vec![(
        "branding".into(),
        X::Table(vec![
            ("logo".into(), X::String("online-logo.svg".into())),
            ("primary".into(), X::String("#0a3055".into())),
            (
                "weights".into(),
                X::List(vec![X::Integer(400), X::Integer(700)]),
            ),
            ("scale".into(), X::Float(FloatText("1.25".into()))),
            ("dark".into(), X::Boolean(true)),
            (
                "fonts".into(),
                X::Table(vec![
                    ("body".into(), X::String("Inter".into())),
                    ("offset".into(), X::Integer(-2)),
                ]),
            ),
        ]),
    )])
}

#[test]
fn a_field_the_matrix_does_not_read_is_carried_as_the_entrys_extra() {
    let imported = import_era("branding");
    let errors: Vec<_> = diagnostics(&imported).into_iter().filter(|d| d.3).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let toml = imported.to_toml();
    // In the TOML, on the entry, as an inline table (`branding=None` on line 55 is the
    // default: nothing to carry).
    assert!(
        toml.contains(r##"discussions = { extra = { branding = { logo = "campus.svg", primary = "#5a2d82" } } }"##),
        "{toml}"
    );
    assert!(
        toml.contains(r##"extra = { branding = { logo = "online-logo.svg", primary = "#0a3055", weights = [400, 700], scale = 1.25, dark = true, fonts = { body = "Inter", offset = -2 } } }"##),
        "{toml}"
    );
    assert_eq!(toml.matches("branding").count(), 2, "{toml}");
    let loaded = load_toml(Source::new("edx-matrix.toml", toml));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let learning = |m: &edx_matrix_model::Matrix| {
        m.entry("master", "online")
            .unwrap()
            .apps
            .iter()
            .find(|v| v.application == "learning")
            .unwrap()
            .extra
            .clone()
    };
    assert_eq!(learning(&loaded.matrix), online_branding());
    // In `resolve --format json`: every row of that version carries it, with JSON's types.
    let rows = resolve(&loaded.matrix, &Filter::default()).rows;
    let json = serde_json::to_value(RowsJson::new(&loaded.matrix, &rows)).unwrap();
    let branded: Vec<&Value> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("extra").is_some())
        .collect();
    let online: Vec<_> = branded
        .iter()
        .filter(|r| r["deployment"] == "online")
        .map(|r| (r["stage"].as_str().unwrap(), r["extra"].clone()))
        .collect();
    let expected = serde_json::json!({"branding": {"logo": "online-logo.svg", "primary": "#0a3055",
        "weights": [400, 700], "scale": 1.25, "dark": true, "fonts": {"body": "Inter", "offset": -2}}});
    assert!(!online.is_empty());
    assert!(online.iter().all(|(_, e)| *e == expected), "{online:?}");
    // In the interchange JSON, and back.
    let interchange = edx_matrix_formats::interchange::to_json(&loaded.matrix);
    let (back, diagnostics) = edx_matrix_formats::interchange::read(&interchange.to_string());
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    assert_eq!(back, loaded.matrix);
    assert_eq!(learning(&back), online_branding());
}

#[test]
fn a_value_with_no_toml_form_is_an_error_naming_the_field() {
    let version_matrix = read("python-eras/branding/version_matrix.py")
        .replace(r#""scale": 1.25,"#, r#""scale": None,"#);
    let imported = import_texts(read("python-eras/branding/types.py"), version_matrix);
    let errors: Vec<_> = [&imported.types, &imported.version_matrix]
        .into_iter()
        .flat_map(|f| {
            f.diagnostics.iter().filter(|d| d.is_error()).map(|d| {
                (
                    f.source.name.clone(),
                    d.line_col(&f.source),
                    d.message.clone(),
                )
            })
        })
        .collect();
    // Only that entry, at the `None` (line 225, column 30).
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "version_matrix.py");
    assert_eq!(errors[0].1, Some((225, 30)));
    assert!(errors[0].2.contains("`branding`"), "{}", errors[0].2);
}

#[test]
fn a_consumer_reading_the_extra_field_prints_the_same_on_the_original_and_the_export() {
    let Some(python) = edx_matrix_test_support::require_python(module_path!(), &["pydantic"])
    else {
        return;
    };
    let types = read("python-eras/branding/types.py");
    let version_matrix = read("python-eras/branding/version_matrix.py");
    let original = run_on_package(&python, "branding.py", &types, &version_matrix);
    let package = import_then_export(types, version_matrix);
    assert!(
        package.types_py.contains("    branding: Any = None\n"),
        "{}",
        package.types_py
    );
    let exported = run_on_package(
        &python,
        "branding.py",
        &package.types_py,
        &package.version_matrix_py,
    );
    let original = String::from_utf8(original).unwrap();
    // Written by hand from the fixture: two branded versions (types as Python sees them).
    assert!(
        original.starts_with(concat!(
            "master campus discussions {\"logo\": \"campus.svg\", \"primary\": \"#5a2d82\"} logo:str primary:str\n",
            "master online learning {\"logo\": \"online-logo.svg\", \"primary\": \"#0a3055\", \"weights\": [400, 700], \"scale\": 1.25, \"dark\": true, \"fonts\": {\"body\": \"Inter\", \"offset\": -2}} dark:bool fonts:dict logo:str primary:str scale:float weights:list\n",
        )),
        "{original}"
    );
    assert_eq!(String::from_utf8(exported).unwrap(), original);
    // And the rows: the export computes what the original does.
    let rows_of = |t: &str, v: &str| cpython_rows(&python, t, v);
    assert_eq!(
        rows_of(&package.types_py, &package.version_matrix_py),
        rows_of(
            &read("python-eras/branding/types.py"),
            &read("python-eras/branding/version_matrix.py")
        )
    );
}

#[test]
fn every_unreadable_entry_is_reported_in_one_run() {
    // Three entries of three blocks, each unreadable in its own way.
    let imported = import_texts(
        read("acme/python-layout/current/types.py"),
        read("python-invalid/several-unreadable/version_matrix.py"),
    );
    let errors: Vec<_> = diagnostics(&imported)
        .into_iter()
        .filter(|d| d.3)
        .map(|d| d.2)
        .collect();
    assert_eq!(errors, [(57, 33), (199, 19), (586, 33)]);
}

/// Imports a package, reads the written TOML back and exports it, as `import python` then
/// `export python` do.
fn import_then_export(types: String, version_matrix: String) -> Package {
    let imported = import_texts(types, version_matrix);
    let errors: Vec<_> = diagnostics(&imported).into_iter().filter(|d| d.3).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let loaded = load_toml(Source::new("edx-matrix.toml", imported.to_toml()));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    python_export::export(&loaded.matrix, &loaded.python, &Default::default())
}

#[test]
fn the_export_writes_the_hand_written_code_back_verbatim() {
    let types = read("python-eras/handwritten/types.py");
    let version_matrix = read("python-eras/handwritten/version_matrix.py");
    let package = import_then_export(types.clone(), version_matrix.clone());
    // Each piece of hand-written code, as the operators wrote it.
    let piece = |text: &str, from: &str, to: &str| {
        let start = text.find(from).unwrap();
        text[start..start + text[start..].find(to).unwrap()].to_owned()
    };
    let classmethod = piece(&version_matrix, "    @classmethod", "\n\n    campus");
    assert!(
        package.version_matrix_py.contains(&classmethod),
        "{}",
        package.version_matrix_py
    );
    let helper = piece(&version_matrix, "def versions_of", "[deployment]\n");
    assert!(package.version_matrix_py.contains(&helper));
    for (from, to) in [
        ("class EnumInvertedLookupMeta", "[item]\n"),
        ("def upstream", "openedx/\")\n"),
        ("    @property\n    def is_fork", "git_origin)\n"),
        ("    @staticmethod", "{release}\"\n"),
    ] {
        let code = piece(&types, from, to);
        assert!(
            package.types_py.contains(&code),
            "{from}:\n{}",
            package.types_py
        );
    }
    assert!(
        package
            .types_py
            .contains("class OpenEdxMicroFrontend(StrEnum, metaclass=EnumInvertedLookupMeta):")
    );
    // The code survives a round trip: the export, imported again, keeps the same code.
    let kept = |types: String, version_matrix: String| {
        let imported = import_texts(types, version_matrix);
        imported.python.code
    };
    assert_eq!(
        kept(package.types_py.clone(), package.version_matrix_py.clone()),
        kept(
            read("python-eras/handwritten/types.py"),
            read("python-eras/handwritten/version_matrix.py")
        )
    );
}

#[test]
fn consumers_calling_hand_written_code_print_the_same_on_the_original_and_the_export() {
    let Some(python) = edx_matrix_test_support::require_python(module_path!(), &["pydantic"])
    else {
        return;
    };
    let types = read("python-eras/handwritten/types.py");
    let version_matrix = read("python-eras/handwritten/version_matrix.py");
    let original = run_on_package(&python, "consumer.py", &types, &version_matrix);
    let package = import_then_export(types, version_matrix);
    let exported = run_on_package(
        &python,
        "consumer.py",
        &package.types_py,
        &package.version_matrix_py,
    );
    let original = String::from_utf8(original).unwrap();
    assert_eq!(original.lines().count(), 36, "{original}");
    assert_eq!(String::from_utf8(exported).unwrap(), original);
}

/// The line the comment `comment` stands above in `toml`: the first line after it that is not a
/// comment; with the comment lines of the same run, in order.
fn subject_of<'t>(toml: &'t str, comment: &str) -> (Vec<&'t str>, &'t str) {
    let lines: Vec<&str> = toml.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == comment)
        .unwrap_or_else(|| panic!("`{comment}` is not a line of:\n{toml}"));
    let mut start = at;
    while start > 0 && lines[start - 1].starts_with('#') {
        start -= 1;
    }
    let mut end = at;
    while lines[end].starts_with('#') {
        end += 1;
    }
    (lines[start..end].to_vec(), lines[end])
}

#[test]
fn comments_stand_above_what_they_describe_in_the_imported_toml() {
    let imported = import_era("comments");
    let errors: Vec<_> = diagnostics(&imported).into_iter().filter(|d| d.3).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let toml = imported.to_toml();
    // A release member and an application member (a trailing comment) of types.py.
    let (_, subject) = subject_of(
        &toml,
        "# The rolling line: upstream master, rebuilt nightly.",
    );
    assert!(
        subject.starts_with("master = { branch = \"master\""),
        "{subject}"
    );
    let (_, subject) = subject_of(&toml, "# no default repository: each entry names its fork");
    assert!(
        subject.starts_with("edxapp_theme = { kind = \"ida\""),
        "{subject}"
    );
    // A deployment: the comment above it and the one on its CI stage, in that order.
    let (run, subject) = subject_of(
        &toml,
        "# CI tracks master: the online team ships upstream fixes within a day (ADR-12).",
    );
    assert_eq!(
        run,
        [
            "# The online courses site, a master-only deployment.",
            "# CI tracks master: the online team ships upstream fixes within a day (ADR-12)."
        ]
    );
    assert!(
        subject.starts_with("online = { CI = \"master\""),
        "{subject}"
    );
    // A block: above the `[[map]]` that holds campus on master.
    let (_, subject) = subject_of(
        &toml,
        "# campus on master: CI only, to catch upstream breakage early.",
    );
    assert_eq!(subject, "[[map]]");
    let block = toml
        .split("# campus on master: CI only, to catch upstream breakage early.\n[[map]]\n")
        .nth(1)
        .unwrap();
    let header: Vec<&str> = block.lines().take(2).collect();
    assert!(
        header[0].contains("\"master\"") && header[1].contains("\"campus\""),
        "{header:?}"
    );
    // An entry: the comment above its call and the one inside it, above its key in that block.
    let (run, subject) = subject_of(
        block,
        "# The fork carries the SSO patches until upstream merges them.",
    );
    assert_eq!(
        run,
        [
            "# The fork carries the SSO patches until upstream merges them.",
            "# acme/master is rebased on master every Monday."
        ]
    );
    // The block stands for master and verawood: the branch is a template.
    assert!(
        subject.starts_with("edx-platform = { branch = \"acme/{release}\""),
        "{subject}"
    );
    // A trailing comment on an entry's last line.
    let (_, subject) = subject_of(
        &toml,
        "# Node 22: its build breaks on 24 (upstream issue 311).",
    );
    assert!(
        subject.starts_with("communications = { runtime = \"22\""),
        "{subject}"
    );
    // Comments change nothing else: the same matrix as the layout without them.
    let loaded = load_toml(Source::new("edx-matrix.toml", toml.clone()));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let plain = import_texts(
        read("acme/python-layout/current/types.py"),
        read("acme/python-layout/current/version_matrix.py"),
    );
    assert!(loaded.matrix.clone().canonical() == plain.matrix.canonical());
    // Each comment once.
    for comment in ["# The fork carries", "# Node 22", "# CI tracks master"] {
        assert_eq!(toml.matches(comment).count(), 1, "{comment}\n{toml}");
    }
}
