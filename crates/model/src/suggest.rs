//! "Did you mean …" suggestions for near-miss names, and the one wording of an unknown name.

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;

/// How many suggestions an unknown name lists at most.
const MAX_SUGGESTIONS: usize = 3;

/// Returns the candidate closest to `name`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    suggestions(name, candidates).into_iter().next()
}

/// Returns the candidates close enough to `name` to be a likely typo, closest first (by
/// optimal-string-alignment distance, case-insensitive; equally close ones in the order
/// given), at most three.
pub fn suggestions<'a, I>(name: &str, candidates: I) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = name.to_lowercase();
    let mut close: Vec<(usize, usize, &'a str)> = candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .enumerate()
        .map(|(index, candidate)| {
            let distance = strsim::osa_distance(&lower, &candidate.to_lowercase());
            (distance, index, candidate)
        })
        .filter(|(distance, _, candidate)| {
            let longest = name.chars().count().max(candidate.chars().count());
            *distance <= (longest / 3).max(1)
        })
        .collect();
    close.sort_by_key(|(distance, index, _)| (*distance, *index));
    let mut names: Vec<&'a str> = Vec::new();
    for (_, _, candidate) in close {
        if !names.contains(&candidate) && names.len() < MAX_SUGGESTIONS {
            names.push(candidate);
        }
    }
    names
}

/// A name that is not defined (a deployment, stage, release, application, diagnostic code,
/// command, …): the one wording every command uses, `unknown deployment `unii`` with
/// `did you mean `uni`?` as its hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    /// What kind of name (`deployment`, `diagnostic code`).
    pub what: String,
    /// The name given.
    pub name: String,
    /// The close defined names, closest first.
    pub suggestions: Vec<String>,
}

impl UnknownName {
    /// The code of every unknown name, in its JSON form (`"code": "unknown-name"`): one code
    /// for every kind, which `kind` names.
    pub const CODE: &'static str = "unknown-name";

    /// Returns the unknown `name` of kind `what`, with suggestions from `candidates`.
    pub fn new<'a>(
        what: impl Into<String>,
        name: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        UnknownName {
            what: what.into(),
            name: name.to_owned(),
            suggestions: suggestions(name, candidates)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    /// Returns the message: ``unknown deployment `unii` ``.
    pub fn message(&self) -> String {
        format!("unknown {} `{}`", self.what, self.name)
    }

    /// Returns the hint: ``did you mean `uni`?``, ``did you mean `a`, `b` or `c`?``; `None`
    /// without suggestions.
    pub fn hint(&self) -> Option<String> {
        let quoted: Vec<String> = self.suggestions.iter().map(|s| format!("`{s}`")).collect();
        match quoted.as_slice() {
            [] => None,
            [one] => Some(format!("did you mean {one}?")),
            [rest @ .., last] => Some(format!("did you mean {} or {last}?", rest.join(", "))),
        }
    }
}

impl fmt::Display for UnknownName {
    /// The message and the hint on one line, for errors that have no separate hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())?;
        if let Some(hint) = self.hint() {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

/// The JSON form, the same from every command's `--format json` and from the API:
/// `{"error": message, "hint": hint (left out without suggestions), "code": "unknown-name",
/// "kind": "deployment", "name": "campuss", "suggestions": ["campus"]}`.
impl Serialize for UnknownName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let hint = self.hint();
        let mut map = serializer.serialize_map(Some(if hint.is_some() { 6 } else { 5 }))?;
        map.serialize_entry("error", &self.message())?;
        if let Some(hint) = &hint {
            map.serialize_entry("hint", hint)?;
        }
        map.serialize_entry("code", Self::CODE)?;
        map.serialize_entry("kind", &self.what)?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry("suggestions", &self.suggestions)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::{UnknownName, did_you_mean, suggestions};

    #[test]
    fn suggests_close_names_only() {
        let names = ["verawood", "ulmo", "teak", "master"];
        assert_eq!(did_you_mean("verawod", names), Some("verawood"));
        assert_eq!(did_you_mean("Ulmo", names), Some("ulmo"));
        assert_eq!(did_you_mean("palm", names), None);
        assert_eq!(did_you_mean("mastr", names), Some("master"));
    }

    #[test]
    fn suggestions_are_ordered_by_distance_then_given_order() {
        // `schema` is two edits from `chek`'s neighbourhood, `check` one: `check` first.
        let commands = ["schema", "show", "check", "chef"];
        assert_eq!(suggestions("chek", commands), ["check", "chef"]);
        assert_eq!(
            suggestions("uni", ["unix", "uno", "unii"]),
            ["unix", "uno", "unii"]
        );
        assert_eq!(suggestions("x", ["y", "z", "w", "v"]).len(), 3);
        assert!(suggestions("palm", ["verawood"]).is_empty());
    }

    #[test]
    fn unknown_name_wording() {
        let one = UnknownName::new("deployment", "unii", ["uni", "campus"]);
        assert_eq!(one.message(), "unknown deployment `unii`");
        assert_eq!(one.hint().as_deref(), Some("did you mean `uni`?"));
        assert_eq!(
            one.to_string(),
            "unknown deployment `unii`; did you mean `uni`?"
        );
        let three = UnknownName::new("stage", "qa", ["QA", "Qb", "qaa"]);
        assert_eq!(
            three.hint().as_deref(),
            Some("did you mean `QA`, `Qb` or `qaa`?")
        );
        let none = UnknownName::new("release", "palm", ["verawood"]);
        assert_eq!(none.hint(), None);
        assert_eq!(none.to_string(), "unknown release `palm`");
    }
}
