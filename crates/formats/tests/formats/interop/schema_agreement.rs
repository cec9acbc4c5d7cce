//! The editor schema (`edx-matrix schema`) and `check` agree on shape: random valid matrices,
//! written as TOML and then left alone or broken in one way (an unknown key, a wrong type, a
//! missing key, a misspelt kind, a bad name, ...), are accepted by the JSON Schema exactly when
//! `check` reports none of its shape codes. Meaning errors (an undefined release) stay
//! `check`'s alone: the schema accepts them.
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::schema;
use edx_matrix_formats::toml_write::{Layout, write};
use edx_matrix_formats::{Source, load_toml};
use edx_matrix_model::{Code, Severity};
use edx_matrix_test_support::{TOML_SHAPES, matrix};
use proptest::prelude::*;
use proptest::sample::select;
use std::sync::LazyLock;
use toml::{Table, Value};

/// `check`'s codes about the file's shape: what the schema can see. Every other code is about
/// meaning (names that must be defined, URLs, git ref names, ...). `invalid-vars` is shape
/// (a var's name and value type) except for Concourse's `((…))` in a value, which the
/// mutations below do not make.
const SHAPE: &[Code] = &[
    Code::TomlSyntax,
    Code::UnknownKey,
    Code::MissingKey,
    Code::WrongType,
    Code::InvalidName,
    Code::UnknownLint,
    Code::InvalidVars,
];

static VALIDATOR: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| jsonschema::validator_for(&schema()).unwrap());

/// One way to leave or break a valid matrix, and whether it breaks its shape.
#[derive(Clone, Copy, Debug)]
enum Mutation {
    None,
    UnknownTopKey,
    UnknownReleaseKey,
    UnknownApplicationKey,
    UnknownBlockKey,
    UnknownAppVersionKey,
    BranchNumber,
    StagesString,
    RollingString,
    PathNumber,
    TranslationsString,
    StagePinNumber,
    StagePinUnknownKey,
    Kind(&'static str),
    KindNumber,
    MissingBranch,
    MissingKind,
    MissingBlockReleases,
    InvalidDeploymentName,
    VarsList,
    InvalidVarName,
    UnknownLint,
    /// A stage pinned to a release that is not defined: a meaning error only.
    UndefinedRelease,
}

impl Mutation {
    fn breaks_shape(self) -> bool {
        !matches!(
            self,
            Mutation::None
                | Mutation::UndefinedRelease
                | Mutation::Kind("ida" | "IDA" | "mfe" | "MFE")
        )
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    use Mutation::*;
    let kinds = select(vec![
        "ida", "IDA", "mfe", "MFE", "Mfe", "Ida", "iDA", "daemon", "",
    ]);
    prop_oneof![
        3 => Just(None),
        1 => select(vec![
            UnknownTopKey, UnknownReleaseKey, UnknownApplicationKey, UnknownBlockKey,
            UnknownAppVersionKey, BranchNumber, StagesString, RollingString, PathNumber,
            TranslationsString, StagePinNumber, StagePinUnknownKey, KindNumber, MissingBranch,
            MissingKind, MissingBlockReleases, InvalidDeploymentName, VarsList, InvalidVarName,
            UnknownLint, UndefinedRelease,
        ]),
        2 => kinds.prop_map(Kind),
    ]
}

fn table<'a>(t: &'a mut Table, key: &str) -> &'a mut Table {
    t.get_mut(key).and_then(Value::as_table_mut).unwrap()
}

fn first<'a>(t: &'a mut Table, key: &str) -> &'a mut Table {
    table(t, key)
        .iter_mut()
        .next()
        .and_then(|(_, v)| v.as_table_mut())
        .unwrap()
}

fn first_block(t: &mut Table) -> &mut Table {
    t.get_mut("map")
        .and_then(Value::as_array_mut)
        .and_then(|a| a.first_mut())
        .and_then(Value::as_table_mut)
        .unwrap()
}

fn apply(t: &mut Table, m: Mutation) {
    let s = |v: &str| Value::String(v.to_owned());
    match m {
        Mutation::None => {}
        Mutation::UnknownTopKey => {
            t.insert("colour".into(), s("blue"));
        }
        Mutation::UnknownReleaseKey => {
            first(t, "releases").insert("nodejs".into(), s("20"));
        }
        Mutation::UnknownApplicationKey => {
            first(t, "applications").insert("repo".into(), s("https://example.com/x"));
        }
        Mutation::UnknownBlockKey => {
            first_block(t).insert("release".into(), s("x"));
        }
        Mutation::UnknownAppVersionKey => {
            let apps = table(first_block(t), "apps");
            let (_, v) = apps.iter_mut().next().unwrap();
            v.as_table_mut().unwrap().insert("brnach".into(), s("main"));
        }
        Mutation::BranchNumber => {
            first(t, "releases").insert("branch".into(), Value::Integer(5));
        }
        Mutation::StagesString => {
            t.insert("stages".into(), s("CI"));
        }
        Mutation::RollingString => {
            first(t, "releases").insert("rolling".into(), s("yes"));
        }
        Mutation::PathNumber => {
            first(t, "applications").insert("path".into(), Value::Integer(1));
        }
        Mutation::TranslationsString => {
            let apps = table(first_block(t), "apps");
            let (_, v) = apps.iter_mut().next().unwrap();
            v.as_table_mut()
                .unwrap()
                .insert("translations".into(), s("npm run pull"));
        }
        Mutation::StagePinNumber => {
            let d = first(t, "deployments");
            let (_, v) = d.iter_mut().next().unwrap();
            *v = Value::Integer(3);
        }
        Mutation::StagePinUnknownKey => {
            let d = first(t, "deployments");
            let (_, v) = d.iter_mut().next().unwrap();
            let release = v.as_str().unwrap().to_owned();
            let mut pin = Table::new();
            pin.insert("release".into(), s(&release));
            pin.insert("relase".into(), s(&release));
            *v = Value::Table(pin);
        }
        Mutation::Kind(kind) => {
            first(t, "applications").insert("kind".into(), s(kind));
        }
        Mutation::KindNumber => {
            first(t, "applications").insert("kind".into(), Value::Integer(1));
        }
        Mutation::MissingBranch => {
            first(t, "releases").remove("branch");
        }
        Mutation::MissingKind => {
            first(t, "applications").remove("kind");
        }
        Mutation::MissingBlockReleases => {
            first_block(t).remove("releases");
        }
        Mutation::InvalidDeploymentName => {
            let deployments = table(t, "deployments");
            let name = deployments.keys().next().unwrap().clone();
            let value = deployments.remove(&name).unwrap();
            deployments.insert(format!("{name} site!"), value);
        }
        Mutation::VarsList => {
            let mut vars = Table::new();
            vars.insert("WORKERS".into(), Value::Array(vec![Value::Integer(4)]));
            first(t, "deployments").insert("vars".into(), Value::Table(vars));
        }
        Mutation::InvalidVarName => {
            let mut vars = Table::new();
            vars.insert("MAX-UPLOAD".into(), Value::Integer(4));
            first(t, "deployments").insert("vars".into(), Value::Table(vars));
        }
        Mutation::UnknownLint => {
            let mut lints = Table::new();
            lints.insert("no-such-code".into(), s("allow"));
            t.insert("lints".into(), Value::Table(lints));
        }
        Mutation::UndefinedRelease => {
            let d = first(t, "deployments");
            let (_, v) = d.iter_mut().next().unwrap();
            *v = s("no-such-release");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn schema_and_check_agree_on_shape(m in matrix(&TOML_SHAPES), change in mutation()) {
        let mut t: Table = toml::from_str(&write(&m, Layout::Explicit, &[])).unwrap();
        apply(&mut t, change);
        let text = toml::to_string(&t).unwrap();
        let loaded = load_toml(Source::new("edx-matrix.toml", text.clone()));
        let shape: Vec<String> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && SHAPE.contains(&d.code))
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        let instance = serde_json::to_value(&t).unwrap();
        let schema: Vec<String> = VALIDATOR
            .iter_errors(&instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        prop_assert_eq!(
            schema.is_empty(),
            shape.is_empty(),
            "{:?}: the schema says {:?}, check's shape codes {:?}\n{}",
            change, schema, shape, text
        );
        // The mutation did what it says: the test can fail.
        prop_assert_eq!(!shape.is_empty(), change.breaks_shape(), "{:?}: {:?}\n{}", change, shape, text);
        if matches!(change, Mutation::UndefinedRelease) {
            prop_assert!(loaded.diagnostics.iter().any(|d| d.code == Code::UndefinedRelease));
        }
    }
}
