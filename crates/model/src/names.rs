//! Newtypes for the strings of the domain, so a branch is never confused with a release name.
//!
//! Values are stored as read; whether they are *valid* is decided by [`crate::check()`], which
//! reports every bad value as a diagnostic instead of failing on the first.
//!
//! Each value is a shared `Arc<str>`: a clone is a reference, not a copy. A million-entry
//! matrix names the same few hundred applications and releases a million times; as `String`s
//! they were 64 of every `AppVersion`'s 232 bytes, and 24-byte fields instead of 16
//! (docs/benchmarks.md, "Where the 1M-entry check's memory goes").

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

macro_rules! string_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl $name {
            /// Wraps a string as read from a file or the command line.
            pub fn new(value: impl Into<String>) -> Self {
                Self(Arc::from(value.into()))
            }

            /// Returns the value as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(Arc::from(value))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(Arc::from(value))
            }
        }

        // As the string itself (what `#[serde(transparent)]` over a `String` wrote).
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }
    };
}

string_newtype!(
    /// The name of a release (`teak`, `ulmo`, `master`).
    ReleaseName
);
string_newtype!(
    /// The name of an application in the catalogue (`edx-platform`, `learning`).
    ApplicationName
);
string_newtype!(
    /// The name of a deployment (`campus`, `campus-staging`).
    DeploymentName
);
string_newtype!(
    /// The name of an environment stage (`CI`, `QA`, `Production`).
    StageName
);
string_newtype!(
    /// A git branch (or tag) name such as `release/ulmo`.
    BranchName
);
string_newtype!(
    /// A git remote URL (`https://…`, `ssh://…`, `git://…`, `file://…` or `user@host:path`).
    GitUrl
);
string_newtype!(
    /// A runtime version: Python for IDAs, Node for MFEs (`3.12`, `24`).
    RuntimeVersion
);
string_newtype!(
    /// The URL path segment an MFE is served under (`learn`).
    MfePath
);

/// The rule a release, application, deployment or stage name follows, as `check` states it.
pub(crate) const NAME_RULE: &str =
    "names start with a letter or digit and contain only letters, digits, `-`, `_` and `.`";

/// The longest name accepted, in bytes.
pub const MAX_NAME_LEN: usize = 100;

/// A string that is not a valid release, application, deployment or stage name (see
/// [`is_valid_name`]), from [`ReleaseName::parse`] and its siblings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidName {
    /// What the name names: `release`, `application`, `deployment` or `stage`.
    pub what: &'static str,
    /// The refused value.
    pub value: String,
}

impl InvalidName {
    /// Why the value is refused: the length limit, or `NAME_RULE`.
    pub fn reason(&self) -> String {
        if self.value.len() > MAX_NAME_LEN {
            format!("it is longer than {MAX_NAME_LEN} characters")
        } else {
            NAME_RULE.to_owned()
        }
    }
}

impl fmt::Display for InvalidName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a valid {} name: {}", self.what, self.reason())
    }
}

impl std::error::Error for InvalidName {}

macro_rules! checked_name {
    ($name:ident, $what:literal) => {
        impl $name {
            /// Returns the name if `value` is a valid name (see [`is_valid_name`]); the
            /// unchecked [`Self::new`] is for values read from a file, which `check` reports.
            pub fn parse(value: &str) -> Result<Self, InvalidName> {
                if is_valid_name(value) {
                    Ok(Self(Arc::from(value)))
                } else {
                    Err(InvalidName {
                        what: $what,
                        value: value.to_owned(),
                    })
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidName;

            fn from_str(value: &str) -> Result<Self, InvalidName> {
                Self::parse(value)
            }
        }
    };
}

checked_name!(ReleaseName, "release");
checked_name!(ApplicationName, "application");
checked_name!(DeploymentName, "deployment");
checked_name!(StageName, "stage");

/// Returns whether `name` is a valid name for a release, application, deployment or stage.
///
/// Names start with an ASCII letter or digit and continue with letters, digits, `-`, `_` or `.`;
/// they appear in pipeline names, environment labels and URLs, so nothing else is allowed.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first.is_ascii_alphanumeric() => {}
        _ => return false,
    }
    name.len() <= MAX_NAME_LEN
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Returns whether `c` is a character that breaks or disguises text where it is shown: a line or
/// paragraph separator (U+2028, U+2029), NEL (U+0085), or a bidirectional control (U+061C,
/// U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) that can make a value read differently from
/// what it is. Refused in every name, branch, URL and command, like control characters.
pub fn is_hidden_char(c: char) -> bool {
    matches!(
        c,
        '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Whether `text` contains `needle`: a plain scan, where `str::contains` with a string first
/// builds a two-way searcher (several hundred instructions per call, for every URL and branch
/// of a matrix).
pub(crate) fn has(text: &str, needle: &str) -> bool {
    needle.is_empty()
        || text
            .as_bytes()
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
}

/// The rules every value that can reach a pipeline or a terminal follows (branches, URLs,
/// commands): returns why `value` breaks one, or `None`.
///
/// - no control character, line or paragraph separator, NEL or bidi control
///   ([`is_hidden_char`]);
/// - no `((`: Concourse replaces `((name))` with a credential from its vault, so a value with
///   it could send a secret wherever the value goes.
pub(crate) fn text_problem(value: &str) -> Option<&'static str> {
    if value.chars().any(|c| c.is_control()) {
        return Some("it contains a control character");
    }
    if value.chars().any(is_hidden_char) {
        return Some("it contains a line separator, NEL or bidirectional control character");
    }
    if has(value, "((") {
        return Some("`((` starts a Concourse credential reference `((var))`");
    }
    None
}

/// The characters of a branch name that a shell gives a meaning to and git allows.
const SHELL_META: &[char] = &[
    '$', '`', ';', '&', '|', '<', '>', '(', ')', '\'', '"', '!', '#',
];

/// Returns the shell metacharacters in branch `name` (git allows them; most consumers of a
/// branch name, build scripts and Tutor settings, do not expect them).
pub fn shell_metacharacters(name: &str) -> Vec<char> {
    let mut found: Vec<char> = Vec::new();
    for c in name.chars().filter(|c| SHELL_META.contains(c)) {
        if !found.contains(&c) {
            found.push(c);
        }
    }
    found
}

/// Returns whether `version` is a plausible runtime version (`3.12`, `24`, `20.11.1`, `3.12-slim`).
pub fn is_valid_runtime(version: &str) -> bool {
    !version.is_empty()
        && version.len() <= 40
        && version.starts_with(|c: char| c.is_ascii_alphanumeric())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
}

/// Returns whether `path` is a valid MFE URL path segment (`learn`, `ora-grading`).
pub fn is_valid_mfe_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 100
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && path != "."
        && path != ".."
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// `has` answers as `str::contains` does (what it replaces), at every position.
    #[test]
    fn has_is_contains() {
        for text in [
            "",
            "a",
            "((",
            "a((b",
            "x(",
            "(x(",
            "release/..",
            "é::ü",
            "ab://c",
            // A first byte at the very end, a partial match, overlapping candidates.
            "a:",
            ":",
            ":/:",
            "(((",
            ".@.@{",
        ] {
            for needle in ["", "((", "::", "://", "..", "@{", "a"] {
                assert_eq!(
                    has(text, needle),
                    text.contains(needle),
                    "{text:?} {needle:?}"
                );
            }
        }
    }

    #[test]
    fn names() {
        assert!(is_valid_name("campus-staging"));
        assert!(is_valid_name("edxapp_theme"));
        assert!(is_valid_name("CI"));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name("-x"));
        assert!(!is_valid_name("a b"));
        assert!(!is_valid_name("a/b"));
        assert!(!is_valid_name("a;rm"));
    }

    #[test]
    fn names_parse_only_when_valid() {
        assert_eq!(
            DeploymentName::parse("campus-staging").map(|d| d.to_string()),
            Ok("campus-staging".to_owned())
        );
        assert_eq!(
            "CI".parse::<StageName>().map(|s| s.to_string()),
            Ok("CI".to_owned())
        );
        let bad = ReleaseName::parse("a b").unwrap_err();
        assert_eq!(bad.what, "release");
        assert_eq!(bad.value, "a b");
        assert_eq!(
            bad.to_string(),
            "not a valid release name: names start with a letter or digit and contain only \
             letters, digits, `-`, `_` and `.`"
        );
        assert_eq!(
            "-x".parse::<ApplicationName>().unwrap_err().to_string(),
            "not a valid application name: names start with a letter or digit and contain \
             only letters, digits, `-`, `_` and `.`"
        );
        let long = "a".repeat(101);
        assert_eq!(
            StageName::parse(&long).unwrap_err().to_string(),
            "not a valid stage name: it is longer than 100 characters"
        );
        assert!(StageName::parse(&"a".repeat(100)).is_ok());
        assert!(DeploymentName::parse("").is_err());
    }

    #[test]
    fn hidden_and_concourse_text() {
        for bad in [
            "a\u{2028}b",
            "a\u{2029}",
            "x\u{85}",
            "\u{202e}x",
            "a\u{2066}b",
            "a\u{200f}",
            "a\u{1b}[31m",
            "x((secret))",
        ] {
            assert!(text_problem(bad).is_some(), "{bad:?}");
        }
        for ok in [
            "release/ulmo",
            "https://github.com/a/b",
            "npm run (build)",
            "é-ü",
        ] {
            assert_eq!(text_problem(ok), None, "{ok:?}");
        }
        assert_eq!(shell_metacharacters("a$(b)"), vec!['$', '(', ')']);
        assert!(shell_metacharacters("release/ulmo-1.2").is_empty());
    }

    #[test]
    fn runtimes() {
        assert!(is_valid_runtime("3.12"));
        assert!(is_valid_runtime("24"));
        assert!(!is_valid_runtime(""));
        assert!(!is_valid_runtime("3.12; rm -rf /"));
        assert!(!is_valid_runtime("-1"));
    }

    #[test]
    fn paths() {
        assert!(is_valid_mfe_path("learn"));
        assert!(!is_valid_mfe_path(".."));
        assert!(!is_valid_mfe_path("a/b"));
        assert!(!is_valid_mfe_path(""));
    }
}
