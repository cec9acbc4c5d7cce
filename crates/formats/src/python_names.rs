//! The Python spellings of an estate that keeps (or kept) its matrix as a Python package.
//!
//! `import python` records, in a small `[python]` table, the names its package uses where they
//! differ from the ones edx-matrix derives (enum member `edxapp` for application `edx-platform`,
//! a deployment enum class called `OpenLearningOpenEdxDeployment`), so that `export python`
//! writes a package its existing consumers import unchanged. Nobody else needs to touch it.
//!
//! ```toml
//! [python.classes]
//! deployment = "OpenLearningOpenEdxDeployment"
//!
//! [python.members.applications]
//! edx-platform = "edxapp"
//! learning = "learn"
//! ```
//!
//! The hand-written code of the package (methods, properties, metaclasses, module-level
//! functions and imports) is kept verbatim in `[python.code]` ([`PythonCode`]), for `export
//! python` to write back around the data it regenerates.
//!
//! The derived member name of `edx-platform` is `edx_platform` ([`derived_member`]); only names
//! that differ are recorded. `classes` keys are the roles listed on [`PythonNames::classes`];
//! `members` has `applications`, `releases` and `deployments`, each keyed by the matrix name.

use crate::Diagnostic;
use crate::spanned::{TomlReader, key_span};
use edx_matrix_model::Code;
use indexmap::IndexMap;
use toml_edit::{Item, Table, TableLike, value};

/// The roles `[python.classes]` may name.
pub(crate) const CLASS_ROLES: &[&str] = &[
    "release",
    "application",
    "mfe",
    "deployment",
    "env_release",
    "deployment_env_release",
    "application_version",
    "release_map",
];
/// The keys of `[python.members]`.
pub(crate) const MEMBER_KINDS: &[&str] = &["applications", "releases", "deployments"];
/// The files `[python.code]` keeps module-level code for.
pub(crate) const CODE_FILES: &[&str] = &["types", "version_matrix"];

/// The package's hand-written code, verbatim, as `import python` found it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PythonCode {
    /// Module-level code per file (`types`, `version_matrix`): imports the export does not
    /// write, functions, and classes it does not generate (a metaclass), in file order.
    pub modules: IndexMap<String, String>,
    /// Per generated class (by its Python name): its hand-written body statements (docstring,
    /// methods, classmethods, staticmethods, properties), indented as in the class.
    pub classes: IndexMap<String, String>,
    /// Per generated class: the `metaclass=` it is declared with.
    pub metaclasses: IndexMap<String, String>,
}

impl PythonCode {
    /// Returns whether no code is kept.
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty() && self.classes.is_empty() && self.metaclasses.is_empty()
    }
}

/// Returns the enum member name edx-matrix derives for a matrix name (`edx-platform` →
/// `edx_platform`): `-` and `.` become `_`.
pub(crate) fn derived_member(name: &str) -> String {
    name.replace(['-', '.'], "_")
}

/// Python names that differ from the derived ones; empty when the derived names are right.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PythonNames {
    /// Class (or module-level variable) name per role, where it differs from the default:
    /// `release` (`OpenEdxSupportedRelease`), `application` (`OpenEdxApplication`), `mfe`
    /// (`OpenEdxMicroFrontend`), `deployment` (`OpenLearningOpenEdxDeployment`), `env_release`
    /// (`EnvRelease`), `deployment_env_release` (`DeploymentEnvRelease`), `application_version`
    /// (`OpenEdxApplicationVersion`), `release_map` (`ReleaseMap`).
    pub classes: IndexMap<String, String>,
    /// Enum member name per application (IDA or MFE), keyed by application name.
    pub applications: IndexMap<String, String>,
    /// Enum member name per release, keyed by release name.
    pub releases: IndexMap<String, String>,
    /// Enum member name per deployment, keyed by deployment name.
    pub deployments: IndexMap<String, String>,
    /// The package's hand-written code (`[python.code]`).
    pub code: PythonCode,
}

impl PythonNames {
    /// Returns whether nothing is recorded (every name is the derived one).
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
            && self.applications.is_empty()
            && self.releases.is_empty()
            && self.deployments.is_empty()
            && self.code.is_empty()
    }
}

impl PythonNames {
    /// Returns the `[python]` table, or `None` when nothing is recorded.
    pub fn to_table(&self) -> Option<Table> {
        if self.is_empty() {
            return None;
        }
        let map = |m: &IndexMap<String, String>| {
            let mut t = Table::new();
            for (k, v) in m {
                t.insert(k, value(v.as_str()));
            }
            t
        };
        let mut python = Table::new();
        python.set_implicit(true);
        if !self.classes.is_empty() {
            python.insert("classes", Item::Table(map(&self.classes)));
        }
        let mut members = Table::new();
        members.set_implicit(true);
        for (kind, m) in [
            ("applications", &self.applications),
            ("releases", &self.releases),
            ("deployments", &self.deployments),
        ] {
            if !m.is_empty() {
                members.insert(kind, Item::Table(map(m)));
            }
        }
        if !members.is_empty() {
            python.insert("members", Item::Table(members));
        }
        if !self.code.is_empty() {
            let mut code = map(&self.code.modules);
            for (key, m) in [
                ("classes", &self.code.classes),
                ("metaclasses", &self.code.metaclasses),
            ] {
                if !m.is_empty() {
                    code.insert(key, Item::Table(map(m)));
                }
            }
            python.insert("code", Item::Table(code));
        }
        Some(python)
    }

    /// Returns the `[python]` table as TOML text to append to a file (empty when nothing is
    /// recorded).
    pub fn to_toml(&self) -> String {
        let Some(table) = self.to_table() else {
            return String::new();
        };
        let mut doc = toml_edit::DocumentMut::new();
        doc.insert("python", Item::Table(table));
        doc.to_string()
    }

    /// Reads the `[python]` table of a document, reporting unknown keys, wrong types and names
    /// that are not Python identifiers.
    pub fn read(root: &dyn TableLike, text: &str) -> (Self, Vec<Diagnostic>) {
        let mut out = PythonNames::default();
        let mut reader = TomlReader::new(text);
        let fallback = reader.fallback();
        let Some(item) = root.get("python") else {
            return (out, Vec::new());
        };
        let at = key_span(root, "python", &fallback);
        let Some(python) = reader.table(item, "`[python]`", &at) else {
            return (out, reader.into_diagnostics());
        };
        reader.unknown_keys(python, &["classes", "members", "code"], "`[python]`", &at);
        let strings = |reader: &mut TomlReader,
                       parent: &dyn TableLike,
                       key: &str,
                       what: &str,
                       allowed: Option<&[&str]>,
                       code: bool|
         -> IndexMap<String, String> {
            let mut m = IndexMap::new();
            let Some(item) = parent.get(key) else {
                return m;
            };
            let at = key_span(parent, key, &fallback);
            let Some(t) = reader.table(item, what, &at) else {
                return m;
            };
            if let Some(allowed) = allowed {
                reader.unknown_keys(t, allowed, what, &at);
            }
            for (k, v) in t.iter() {
                if allowed.is_some_and(|a| !a.contains(&k)) {
                    continue;
                }
                let kat = key_span(t, k, &at);
                if let Some((s, span)) = reader.string(v, &format!("`{k}` in {what}"), &kat) {
                    // A name the export writes into Python and the import looks up: one that is
                    // not an identifier would be written broken or never match (issue 22). Kept
                    // code (`[python.code]`) is keyed by class name, its values are code.
                    let (name, span) = if code {
                        (k, kat.clone())
                    } else {
                        (s.as_str(), span)
                    };
                    if !is_python_identifier(name) {
                        reader.push(
                            Code::InvalidName,
                            span,
                            format!(
                                "`{}` (`{k}` in {what}) is not a Python identifier",
                                name.escape_debug()
                            ),
                            "not a Python name",
                        );
                        continue;
                    }
                    m.insert(k.to_owned(), s);
                }
            }
            m
        };
        out.classes = strings(
            &mut reader,
            python,
            "classes",
            "`[python.classes]`",
            Some(CLASS_ROLES),
            false,
        );
        if let Some(item) = python.get("members") {
            let mat = key_span(python, "members", &at);
            if let Some(members) = reader.table(item, "`[python.members]`", &mat) {
                reader.unknown_keys(members, MEMBER_KINDS, "`[python.members]`", &mat);
                out.applications = strings(
                    &mut reader,
                    members,
                    "applications",
                    "`[python.members.applications]`",
                    None,
                    false,
                );
                out.releases = strings(
                    &mut reader,
                    members,
                    "releases",
                    "`[python.members.releases]`",
                    None,
                    false,
                );
                out.deployments = strings(
                    &mut reader,
                    members,
                    "deployments",
                    "`[python.members.deployments]`",
                    None,
                    false,
                );
            }
        }
        if let Some(item) = python.get("code") {
            let cat = key_span(python, "code", &at);
            if let Some(code) = reader.table(item, "`[python.code]`", &cat) {
                let mut allowed: Vec<&str> = CODE_FILES.to_vec();
                allowed.extend(["classes", "metaclasses"]);
                reader.unknown_keys(code, &allowed, "`[python.code]`", &cat);
                for file in CODE_FILES {
                    if let Some(v) = code.get(file) {
                        let kat = key_span(code, file, &cat);
                        let what = format!("`{file}` in `[python.code]`");
                        if let Some((s, _)) = reader.string(v, &what, &kat) {
                            out.code.modules.insert((*file).to_owned(), s);
                        }
                    }
                }
                out.code.classes = strings(
                    &mut reader,
                    code,
                    "classes",
                    "`[python.code.classes]`",
                    None,
                    true,
                );
                out.code.metaclasses = strings(
                    &mut reader,
                    code,
                    "metaclasses",
                    "`[python.code.metaclasses]`",
                    None,
                    true,
                );
            }
        }
        (out, reader.into_diagnostics())
    }
}

/// Whether `name` is a Python identifier the import and export use: an ASCII letter or `_`, then
/// ASCII letters, digits and `_`, and not a keyword.
pub(crate) fn is_python_identifier(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    ];
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
}
