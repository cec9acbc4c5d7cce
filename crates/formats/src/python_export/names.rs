//! The Python names of an export: class names per role and enum member names per release,
//! application and deployment, taken from the recorded [`PythonNames`] where present and derived
//! otherwise ([`derived_member`]), always valid, distinct and safe as enum members.

use crate::python_names::PythonNames;
use edx_matrix_model::{AppKind, Matrix};
use std::collections::HashSet;

/// The roles of [`PythonNames::classes`] and their default class names.
pub(crate) const CLASS_ROLES: [(&str, &str); 8] = [
    ("release", "OpenEdxSupportedRelease"),
    ("application", "OpenEdxApplication"),
    ("mfe", "OpenEdxMicroFrontend"),
    ("deployment", "OpenLearningOpenEdxDeployment"),
    ("env_release", "EnvRelease"),
    ("deployment_env_release", "DeploymentEnvRelease"),
    ("application_version", "OpenEdxApplicationVersion"),
    ("release_map", "ReleaseMap"),
];

/// Names the generated modules define or import besides the role classes.
const MODULE_NAMES: [&str; 10] = [
    "Enum",
    "StrEnum",
    "Literal",
    "NamedTuple",
    "Optional",
    "BaseModel",
    "EnvStage",
    "OpenEdxApplicationType",
    "OpenEdxDeploymentName",
    "annotations",
];

const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Attribute names the generated enums set on their members (a member of that name would hide
/// the attribute) and names enum itself reserves.
const MEMBER_RESERVED: [&str; 6] = [
    "repository",
    "path",
    "branch",
    "python_version",
    "node_version",
    "mro",
];

/// Returns whether `name` is a Python identifier this export can use (ASCII, not a keyword).
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
}

/// Returns whether `name` can be an enum member: an identifier enum does not treat as
/// `_sunder_`, `__dunder__` or private (`__x`), and not an attribute the members carry.
pub(crate) fn is_member_name(name: &str) -> bool {
    let sunder = name.len() > 2 && name.starts_with('_') && name.ends_with('_');
    let reserved = name.starts_with("__") || sunder || MEMBER_RESERVED.contains(&name);
    is_identifier(name) && !reserved
}

/// Returns the member name edx-matrix derives for a matrix name: every character that cannot be
/// in an identifier becomes `_` (`edx-platform` → `edx_platform`), a name starting with a digit
/// or `_` gets `m_` before it (`9.0` → `m_9_0`), and a name Python or enum reserves gets `_m`
/// after it (`class` → `class_m`).
pub(crate) fn derived_member(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit() || c == '_') {
        s.insert_str(0, "m_");
    }
    if !is_member_name(&s) {
        s.push_str("_m");
    }
    s
}

/// Every Python name one export uses.
#[derive(Clone, Debug)]
pub(crate) struct Names {
    classes: Vec<String>,
    /// Member names of `matrix.releases`, index for index.
    pub releases: Vec<String>,
    /// Member names of `matrix.applications`, index for index (IDAs and MFEs are two classes).
    pub applications: Vec<String>,
    /// Member names of `matrix.deployments`, index for index.
    pub deployments: Vec<String>,
}

impl Names {
    /// Returns the class (or variable) name of `role`, one of [`CLASS_ROLES`].
    pub(crate) fn class(&self, role: &str) -> &str {
        let i = CLASS_ROLES
            .iter()
            .position(|(r, _)| *r == role)
            .unwrap_or_default();
        &self.classes[i]
    }
}

/// Chooses every name: recorded ones where usable, derived ones otherwise; returns a warning per
/// recorded name that could not be used.
pub(crate) fn choose(matrix: &Matrix, recorded: &PythonNames) -> (Names, Vec<String>) {
    let mut warnings = Vec::new();
    let mut taken: HashSet<String> = MODULE_NAMES.iter().map(|s| (*s).to_owned()).collect();
    let mut classes = Vec::new();
    for (role, default) in CLASS_ROLES {
        let name = match recorded.classes.get(role) {
            Some(name) if is_identifier(name) && !taken.contains(name.as_str()) => name.clone(),
            Some(name) => {
                warnings.push(format!(
                    "[python.classes] {role} = {name:?} is not a usable Python class name here; wrote `{default}`"
                ));
                default.to_owned()
            }
            None => default.to_owned(),
        };
        taken.insert(name.clone());
        classes.push(name);
    }
    let releases = members(
        "releases",
        matrix.releases.iter().map(|r| (r.name.as_str(), 0)),
        |n| recorded.releases.get(n),
        &mut warnings,
    );
    let applications = members(
        "applications",
        matrix
            .applications
            .iter()
            .map(|a| (a.name.as_str(), usize::from(a.kind == AppKind::Mfe))),
        |n| recorded.applications.get(n),
        &mut warnings,
    );
    let deployments = members(
        "deployments",
        matrix.deployments.iter().map(|d| (d.name.as_str(), 0)),
        |n| recorded.deployments.get(n),
        &mut warnings,
    );
    let names = Names {
        classes,
        releases,
        applications,
        deployments,
    };
    (names, warnings)
}

/// Member names for `(name, class)` pairs: recorded names claim theirs first, then derived
/// names take theirs, with `_2`, `_3`… when two would collide in one class.
fn members<'a>(
    table: &str,
    items: impl Iterator<Item = (&'a str, usize)>,
    recorded: impl Fn(&str) -> Option<&'a String>,
    warnings: &mut Vec<String>,
) -> Vec<String> {
    let items: Vec<(&str, usize)> = items.collect();
    let mut taken: HashSet<(usize, String)> = HashSet::new();
    let mut out: Vec<Option<String>> = vec![None; items.len()];
    for (i, (name, class)) in items.iter().enumerate() {
        let Some(member) = recorded(name) else {
            continue;
        };
        if is_member_name(member) && taken.insert((*class, member.clone())) {
            out[i] = Some(member.clone());
        } else {
            warnings.push(format!(
                "[python.members.{table}] {name:?} = {member:?} is not a usable enum member name here; wrote a derived one"
            ));
        }
    }
    for (i, (name, class)) in items.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let base = derived_member(name);
        let mut candidate = base.clone();
        let mut n = 2;
        while taken.contains(&(*class, candidate.clone())) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        taken.insert((*class, candidate.clone()));
        out[i] = Some(candidate);
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_are_members() {
        for (name, want) in [
            ("edx-platform", "edx_platform"),
            ("learner-dashboard", "learner_dashboard"),
            ("edxapp_theme", "edxapp_theme"),
            ("9lives", "m_9lives"),
            ("9.0", "m_9_0"),
            ("class", "class_m"),
            ("-x-", "m__x_"),
            ("--x", "m___x"),
            ("path", "path_m"),
            ("", "m_"),
        ] {
            let got = derived_member(name);
            assert_eq!(got, want, "{name}");
        }
        for name in ["a", "-x-", "--", "_", "__", "é", "class", "name", "value"] {
            let got = derived_member(name);
            assert!(is_member_name(&got), "{name} -> {got}");
        }
    }
}
