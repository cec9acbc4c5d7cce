//! `schema`: a JSON Schema (draft 2020-12) of `edx-matrix.toml`, for editors that validate TOML
//! against JSON Schema (taplo, Even Better TOML) through a `#:schema` line.
//!
//! The allowed keys of every table come from the loader's own key lists
//! ([`crate::toml_load::TOP_LEVEL_KEYS`] and its siblings), so the schema cannot
//! accept a key the loader rejects or reject one it accepts; only each key's value shape is
//! written here. A key added to the loader without a shape here is accepted with any value
//! (and a test fails until it gets one).

use crate::toml_load::{
    APP_VERSION_KEYS, APPLICATION_KEYS, BLOCK_KEYS, RELEASE_KEYS, TOP_LEVEL_KEYS,
};
use edx_matrix_model::Code;
use serde_json::{Map, Value, json};

/// The JSON Schema dialect.
pub(crate) const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Returns the value shape of `key` in a table of kind `table`, or `None` when none is written.
fn shape(table: &str, key: &str) -> Option<Value> {
    let name = json!({"$ref": "#/$defs/name"});
    let string = |description: &str| json!({"type": "string", "description": description});
    let names = |description: &str| json!({"type": "array", "items": {"$ref": "#/$defs/name"}, "description": description});
    Some(match (table, key) {
        ("top", "stages") => names("The stage promotion order shared by every deployment"),
        ("top", "releases") => json!({
            "type": "object",
            "description": "The supported releases, by name",
            "propertyNames": name,
            "additionalProperties": {"$ref": "#/$defs/release"}
        }),
        ("top", "applications") => json!({
            "type": "object",
            "description": "The application catalogue, by name",
            "propertyNames": name,
            "additionalProperties": {"$ref": "#/$defs/application"}
        }),
        ("top", "deployments") => json!({
            "type": "object",
            "description": "Each deployment's stages and the release each runs",
            "propertyNames": name,
            "additionalProperties": {
                "type": "object",
                "description": "Stage = release, or `{ release, vars }`; `vars`: every stage's defaults",
                "propertyNames": name,
                "properties": {"vars": {"$ref": "#/$defs/vars"}},
                "additionalProperties": {
                    "oneOf": [
                        {"type": "string", "description": "A release name"},
                        {
                            "type": "object",
                            "required": ["release"],
                            "additionalProperties": false,
                            "properties": {
                                "release": {"type": "string", "description": "A release name"},
                                "vars": {"$ref": "#/$defs/vars"}
                            }
                        }
                    ]
                }
            }
        }),
        ("top", "map") => json!({
            "type": "array",
            "description": "The release map: `[[map]]` blocks",
            "items": {"$ref": "#/$defs/block"}
        }),
        ("top", "lints") => json!({
            "type": "object",
            "description": "Diagnostic levels by code",
            "propertyNames": {"enum": Code::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>()},
            "additionalProperties": {"enum": ["allow", "warn", "deny"]}
        }),
        ("top", "runbooks") => json!({
            "type": "object",
            "description": "Manual steps per release: `[[runbooks.RELEASE]]` (see the runbooks documentation)",
            "propertyNames": name,
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["text"],
                    "additionalProperties": false,
                    "properties": {
                        "text": string("What to do"),
                        "command": string("A command to run (shown, never run)"),
                        "when": {"enum": ["first-deploy", "every-deploy"]},
                        "stages": {"type": "array", "items": {"type": "string"}},
                        "source": string("Where the step comes from")
                    }
                }
            }
        }),
        ("top", "operations") => json!({
            "type": "object",
            "description": "Operator tools settings",
            "additionalProperties": false,
            "properties": {
                "grafana_url": string("The Grafana base URL for `edx-matrix logs`"),
                "loki_datasource": string("The Loki data source uid")
            }
        }),
        ("top", "gates") => json!({
            "type": "object",
            "description": "Promotion gates per stage: `[gates.STAGE]` (see the locking documentation)",
            "propertyNames": name,
            "additionalProperties": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "soak": string("The least time the lower stage's locked commits ran there, like `3d` or `1d12h`"),
                    "freeze": {"type": "array", "description": "Weekdays (`sat`), days (`2026-12-25`) or ranges of days (`2026-12-20..2027-01-04`), UTC, when the stage may not change", "items": {"type": "string"}}
                }
            }
        }),
        ("top", "python") => {
            let names = |description: &str| json!({"type": "object", "description": description, "additionalProperties": {"type": "string"}});
            json!({
                "type": "object",
                "description": "Python names of an estate's matrix package that differ from the derived ones (written by `import python`, used by `export python`)",
                "additionalProperties": false,
                "properties": {
                    "classes": {
                        "type": "object",
                        "description": "Class or variable name per role",
                        "additionalProperties": false,
                        "properties": crate::python_names::CLASS_ROLES.iter().map(|r| ((*r).to_owned(), json!({"type": "string"}))).collect::<Map<String, Value>>()
                    },
                    "members": {
                        "type": "object",
                        "description": "Enum member names, by matrix name",
                        "additionalProperties": false,
                        "properties": {
                            "applications": names("Enum member per application"),
                            "releases": names("Enum member per release"),
                            "deployments": names("Enum member per deployment")
                        }
                    },
                    "code": {
                        "type": "object",
                        "description": "The package's hand-written code, verbatim, for `export python` to write back",
                        "additionalProperties": false,
                        "properties": {
                            "types": string("Module-level code of `types.py`: imports, functions, other classes"),
                            "version_matrix": string("Module-level code of `version_matrix.py`"),
                            "classes": names("Hand-written methods and properties per generated class"),
                            "metaclasses": names("The metaclass per generated class")
                        }
                    }
                }
            })
        }
        ("top", "pipelines") => json!({
            "type": "object",
            "description": "Pipeline generation settings (see the pipelines documentation)"
        }),
        ("release", "branch") => string("The upstream branch that carries the release"),
        ("release", "python") => {
            string("The default Python version of IDAs (optional: a release may record none)")
        }
        ("release", "node") => {
            string("The default Node version of MFEs (optional: a release may record none)")
        }
        ("release", "rolling") => {
            json!({"type": "boolean", "description": "A rolling line, newer than every named release"})
        }
        // The loader's own spellings, so the schema accepts exactly the kinds `check` does.
        ("application", "kind") => json!({
            "enum": edx_matrix_model::AppKind::SPELLINGS,
            "description": "IDA or MFE: `ida`/`IDA` or `mfe`/`MFE`"
        }),
        ("application", "repository") => string("The default repository"),
        ("application", "path") => string("The URL path an MFE is served under"),
        ("block", "releases") => names("The releases this block applies to"),
        ("block", "deployments") => names("The deployments this block applies to"),
        ("block", "apps") => json!({
            "type": "object",
            "description": "The applications included, with their overrides",
            "propertyNames": name,
            "additionalProperties": {"$ref": "#/$defs/app_version"}
        }),
        ("app_version", "release") => string("The release whose defaults this application takes"),
        ("app_version", "branch") => {
            string("Overrides the release's branch (`{release}` and `{deployment}` expand)")
        }
        ("app_version", "origin") => string("Overrides the application's repository (a fork)"),
        ("app_version", "runtime") => string("Overrides the Python (IDA) or Node (MFE) version"),
        ("app_version", "translations") => json!({
            "type": "array",
            "items": {"type": "string"},
            "description": "Shell commands run before building an MFE"
        }),
        // Any values; their names are `check`'s rule (`invalid-extra`), as vars' are.
        ("app_version", "extra") => json!({
            "type": "object",
            "description": "Values the matrix keeps but does not read (a Python package's fields it has no place for): given back by `resolve --format json`, the interchange JSON and `export python`"
        }),
        _ => return None,
    })
}

/// Returns a closed object schema whose properties are exactly `keys`.
fn object(table: &str, keys: &[&str], required: &[&str], description: &str) -> Value {
    let mut properties = Map::new();
    for key in keys {
        properties.insert(
            (*key).to_owned(),
            shape(table, key).unwrap_or_else(|| json!({})),
        );
    }
    json!({
        "type": "object",
        "description": description,
        "properties": properties,
        "required": required,
        "additionalProperties": false
    })
}

/// Returns the keys of the loader's tables that have no value shape written here.
pub fn keys_without_shape() -> Vec<String> {
    let tables: [(&str, &[&str]); 5] = [
        ("top", TOP_LEVEL_KEYS),
        ("release", RELEASE_KEYS),
        ("application", APPLICATION_KEYS),
        ("block", BLOCK_KEYS),
        ("app_version", APP_VERSION_KEYS),
    ];
    tables
        .iter()
        .flat_map(|(table, keys)| {
            keys.iter()
                .filter(|k| shape(table, k).is_none())
                .map(move |k| format!("{table}.{k}"))
        })
        .collect()
}

/// Returns the JSON Schema of `edx-matrix.toml`.
pub fn schema() -> Value {
    let mut root = object(
        "top",
        TOP_LEVEL_KEYS,
        &["stages", "releases", "applications", "deployments"],
        "An Open edX release matrix (edx-matrix.toml)",
    );
    if let Some(map) = root.as_object_mut() {
        map.insert("$schema".into(), json!(DIALECT));
        map.insert("title".into(), json!("edx-matrix.toml"));
        map.insert(
            "$defs".into(),
            json!({
                "name": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$",
                    "maxLength": 100
                },
                "release": object("release", RELEASE_KEYS, &["branch"], "A supported release"),
                "application": object("application", APPLICATION_KEYS, &["kind"], "An application of the catalogue"),
                "block": object("block", BLOCK_KEYS, &["releases", "deployments", "apps"], "A `[[map]]` block"),
                "app_version": object("app_version", APP_VERSION_KEYS, &[], "An application in a `[map.apps]` table; `{}` takes every default"),
                "vars": {
                    "type": "object",
                    "description": "Values for templates and exports: strings, numbers, booleans",
                    "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                    "additionalProperties": {"type": ["string", "number", "boolean"]}
                },
            }),
        );
    }
    root
}
