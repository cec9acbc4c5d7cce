//! The stable diagnostic codes: one per kind of problem, documented in `docs/diagnostics.md`.

use serde::Serialize;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The matrix cannot be used; commands that need a valid matrix refuse to run.
    Error,
    /// Worth a look, but the matrix is usable.
    Warning,
}

impl Severity {
    /// Returns `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $severity:ident, $description:literal; )*) => {
        /// A stable diagnostic code. Its kebab-case name never changes once released.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* #[doc = $description] $variant, )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// Returns the kebab-case name (`undefined-release`).
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// Returns the severity a problem with this code has unless the matrix changes it.
            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// Returns a one-line description of the problem.
            pub fn description(self) -> &'static str {
                match self { $( Code::$variant => $description, )* }
            }

            /// Returns the code called `name`.
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $( $name => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    TomlSyntax = "toml-syntax", Error, "the file is not valid TOML";
    JsonSyntax = "json-syntax", Error, "the interchange file is not valid JSON";
    UnknownKey = "unknown-key", Error, "a key the format does not define";
    IgnoredKey = "ignored-key", Warning, "an unknown key in interchange JSON, ignored";
    MissingKey = "missing-key", Error, "a required key is missing";
    WrongType = "wrong-type", Error, "a value has the wrong type (a string where a table is expected, ...)";
    InvalidTemplate = "invalid-template", Error, "a value uses a placeholder other than `{release}` or `{deployment}`, or an unbalanced brace";
    InvalidName = "invalid-name", Error, "a release, application, deployment or stage name with characters outside `A-Z a-z 0-9 - _ .`";
    DuplicateName = "duplicate-name", Error, "two releases, applications, deployments or stages share a name";
    DuplicateEntry = "duplicate-entry", Error, "two release-map entries for the same (release, deployment) in the interchange JSON";
    DuplicateApplication = "duplicate-application", Error, "the same application twice in one (release, deployment) entry";
    UndefinedRelease = "undefined-release", Error, "a stage, release-map block or entry names a release that is not defined";
    UndefinedStage = "undefined-stage", Error, "a deployment has a stage that is not in the stage order";
    UndefinedDeployment = "undefined-deployment", Error, "a release-map block names a deployment that is not defined";
    UnknownApplication = "unknown-application", Error, "a release-map entry names an application that is not in the catalogue";
    MissingEntry = "missing-entry", Error, "a stage runs a release for which its deployment has no release-map entry";
    MfeWithoutPath = "mfe-without-path", Warning, "an MFE without a URL path";
    PathOnIda = "path-on-ida", Error, "an IDA with an MFE path";
    EmptyOrigin = "empty-origin", Error, "an entry whose application has no repository and that names no origin";
    InvalidBranch = "invalid-branch", Error, "a branch that is not a valid git branch name (git check-ref-format)";
    InvalidRepository = "invalid-repository", Error, "a repository that is not an https, ssh, git or file URL or `user@host:path`";
    InvalidRuntime = "invalid-runtime", Error, "a Python or Node version with characters outside `A-Z a-z 0-9 . - _ +`";
    InvalidPath = "invalid-path", Error, "an MFE path that is not a single URL path segment";
    InvalidCommand = "invalid-command", Error, "an empty translation command, or one with a newline, control character, line separator, bidi control or `((`";
    UrlCredentials = "url-credentials", Error, "a repository or origin URL with a credential in it (`https://user:TOKEN@host/…`); `[lints]` can lower it to a warning";
    KindMismatch = "kind-mismatch", Error, "an interchange entry's `application_type` disagrees with the catalogue";
    StageOrderConflict = "stage-order-conflict", Error, "deployments in the interchange JSON list their stages in contradicting orders";
    UnknownLint = "unknown-lint", Error, "a `[lints]` key that is not a diagnostic code, or a level other than allow/warn/deny";
    UnusedEntry = "unused-entry", Warning, "a release-map entry that no stage uses";
    UnusedRelease = "unused-release", Warning, "a release no stage uses: it can be retired";
    PromotionOrder = "promotion-order", Warning, "a later stage runs a newer release than an earlier stage of the same deployment";
    TranslationsOnIda = "translations-on-ida", Warning, "translation commands on an IDA, where they are never run";
    EmptyDeployment = "empty-deployment", Warning, "a deployment with no stages";
    EmptyEntry = "empty-entry", Warning, "a release-map entry with no applications";
    RenamedRepository = "renamed-repository", Warning, "an application's repository names an upstream repository that was renamed (the host redirects the old name for now)";
    BranchShellMetacharacter = "branch-shell-metacharacter", Warning, "a branch name with a shell metacharacter (`$ ` ; & | < > ( ) ' \" ! #`): git allows it, most build scripts and `export tutor` do not";
    // runbooks
    RunbookUndefinedRelease = "runbook-undefined-release", Error, "a `[runbooks]` entry for a release that is not defined";
    RunbookUndefinedStage = "runbook-undefined-stage", Error, "a runbook step names a stage that is not in the stage order";
    InvalidRunbookStep = "invalid-runbook-step", Error, "a runbook step with empty text, a control character, a multi-line command or an unknown `when`";
    InvalidGrafanaUrl = "invalid-grafana-url", Error, "the `[operations]` Grafana URL is not a plain http(s) URL, or the Loki data source is not a plain identifier";
    // Promotion gates: `[gates.STAGE]` (crates/formats `gates`, verdicts in `model::gate`).
    InvalidGate = "invalid-gate", Error, "a `[gates]` soak that is not a duration like `3d`, or a freeze window that is not a weekday, a day or a range of days";
    GateUndefinedStage = "gate-undefined-stage", Error, "a `[gates]` table for a stage that is not in the stage order";
    // interop: `import python`
    PythonSyntax = "python-syntax", Error, "a Python file of the matrix is not valid Python";
    PythonUnreadable = "python-unreadable", Error, "Python code the importer cannot read as plain data (a computed value, a positional argument, ...)";
    PythonUnknownArgument = "python-unknown-argument", Warning, "an unknown keyword argument on a Python `OpenEdxApplicationVersion`, kept as the entry's `extra`";
    PythonSpecialCase = "python-special-case", Warning, "a resolving property of the Python model holds logic beyond the standard rules";
    PythonDuplicateKey = "python-duplicate-key", Warning, "a key written twice in one Python dict display: Python keeps the last value, and so does the import";
    // Pipelines (crates/pipeline): the `[pipelines]` section.
    PipelineUndefined = "pipeline-undefined", Error, "a `pipelines` setting names an application, stage or resource that is not defined";
    PipelineDuplicate = "pipeline-duplicate", Error, "an application in two families, or two pipelines with the same name";
    PipelineInvalid = "pipeline-invalid", Error, "a `pipelines` value Concourse cannot use: a bad identifier, duration or path, an empty command, a placeholder in `run`, a reserved param";
    PipelineTemplate = "pipeline-template", Error, "a pipeline template fails: a syntax or runtime error, a refused `load`, a result that is not a pipeline, a duplicate or invalid pipeline";
    PipelineCommandLine = "pipeline-command-line", Warning, "a matrix value reaches a task's command line (`run.path`/`run.args`) instead of its `params`";
    InvalidExtra = "invalid-extra", Error, "an application version's `extra` value whose name is not a Python identifier or is one of the entry's own fields";
    InvalidVars = "invalid-vars", Error, "a `vars` entry with a bad name, a value that is not a string, number or boolean, or Concourse `((…))` syntax";
    // The lock (`edx-matrix.lock`, read by crates/formats `lock_file`, compared by `model::lock`).
    LockInvalid = "lock-invalid", Error, "a lock entry's commit is not 40 lowercase hex digits, its time not RFC 3339 UTC, its origin carries a credential, or the lock's `version` is not 1";
    LockDuplicate = "lock-duplicate", Error, "two lock entries for the same deployment, stage and application";
    LockUnknown = "lock-unknown", Error, "a lock entry names a deployment, stage or application the matrix does not define";
    LockStale = "lock-stale", Error, "a lock entry no longer matches the matrix: its origin or branch changed, its application was removed, or a locked stage builds an application the lock lacks";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_kebab_case_and_round_trip() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "duplicate code name {name}");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
            assert_eq!(Code::from_name(name), Some(*code));
        }
    }
}
