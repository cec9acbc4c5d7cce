//! The one `--format` argument: a [`Format`] holds every value any command takes, and each
//! command allows its own few through [`formats`], a clap value parser, so `--help` lists only
//! that command's values (with that command's description of each) and a value it does not
//! take is clap's usage error naming the allowed ones.
//!
//! Every command's output for people is called `human` (as cargo's `--message-format`); the
//! older names `table` and `text` are accepted for one release with a deprecation warning.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use std::ffi::OsStr;
use std::fmt;

/// Every output format of every command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// Rendered for people: diagnostics, tables, numbered steps, diffs (the default of every
    /// command with such an output).
    Human,
    /// JSON.
    Json,
    /// Shell-safe `KEY='value'` lines.
    Env,
    /// `edx-matrix.toml`.
    Toml,
    /// The interchange JSON (`model.json`).
    ModelJson,
    /// Markdown.
    Markdown,
    /// A standalone SVG chart.
    Svg,
    /// YAML.
    Yaml,
}

impl Format {
    /// The value on the command line.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Env => "env",
            Format::Toml => "toml",
            Format::ModelJson => "model-json",
            Format::Markdown => "markdown",
            Format::Svg => "svg",
            Format::Yaml => "yaml",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The formats one command takes, each with its help text for that command.
pub(crate) type Allowed = &'static [(Format, &'static str)];

/// The formats of commands that report problems: `check`, `pipeline validate`, `import
/// python`, `export tutor`.
pub(crate) const DIAGNOSTICS: Allowed = &[
    (
        Format::Human,
        "Rendered for people, with the source line and labels",
    ),
    (Format::Json, "One JSON object with every diagnostic"),
];

/// The formats of commands that print a table.
pub(crate) const TABLE: Allowed = &[(Format::Human, "An aligned table"), (Format::Json, "JSON")];

/// The old names of [`Format::Human`], accepted with a deprecation warning.
pub(crate) const HUMAN_ALIASES: [&str; 2] = ["table", "text"];

/// Returns the value parser of a command's `--format`: only the formats of `allowed`, in that
/// order, with their help texts.
pub(crate) fn formats(allowed: Allowed) -> FormatParser {
    FormatParser { allowed }
}

/// The value parser [`formats`] returns.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FormatParser {
    allowed: Allowed,
}

impl FormatParser {
    fn possible(&self) -> impl Iterator<Item = PossibleValue> + '_ {
        self.allowed.iter().map(|(format, help)| {
            let value = PossibleValue::new(format.name()).help(*help);
            match format {
                // Hidden aliases: accepted, never listed or completed.
                Format::Human => value.aliases(HUMAN_ALIASES),
                _ => value,
            }
        })
    }
}

impl TypedValueParser for FormatParser {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Format, clap::Error> {
        // The possible-values parser gives clap's own error, naming the allowed values.
        let name = PossibleValuesParser::new(self.possible()).parse_ref(cmd, arg, value)?;
        // clap returns an alias as given: it names `human`.
        let name = if HUMAN_ALIASES.contains(&name.as_str()) {
            crate::deprecated::record(&format!("--format {name}"), "--format human");
            Format::Human.name().to_owned()
        } else {
            name
        };
        self.allowed
            .iter()
            .map(|(format, _)| *format)
            .find(|format| format.name() == name)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.possible()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use clap::{Arg, Command};

    const ALL: [Format; 8] = [
        Format::Human,
        Format::Json,
        Format::Env,
        Format::Toml,
        Format::ModelJson,
        Format::Markdown,
        Format::Svg,
        Format::Yaml,
    ];

    const TWO: Allowed = &[
        (Format::Human, "for people"),
        (Format::Json, "for programs"),
    ];

    fn command() -> Command {
        Command::new("t").arg(
            Arg::new("format")
                .long("format")
                .value_parser(formats(TWO))
                .default_value("human"),
        )
    }

    fn parse(args: &[&str]) -> Result<Format, clap::Error> {
        let matches = command().try_get_matches_from(args)?;
        Ok(*matches.get_one::<Format>("format").unwrap())
    }

    #[test]
    fn allowed_values_parse_and_others_are_refused_naming_the_allowed() {
        assert_eq!(parse(&["t"]).unwrap(), Format::Human);
        assert_eq!(parse(&["t", "--format", "json"]).unwrap(), Format::Json);
        let err = parse(&["t", "--format", "yaml"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
        let text = err.to_string();
        assert!(text.contains("[possible values: human, json]"), "{text}");
    }

    #[test]
    fn the_old_names_of_human_still_parse() {
        assert_eq!(parse(&["t", "--format", "table"]).unwrap(), Format::Human);
        assert_eq!(parse(&["t", "--format", "text"]).unwrap(), Format::Human);
    }

    #[test]
    fn names_are_distinct_and_displayed() {
        let mut names: Vec<&str> = ALL.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        assert_eq!(Format::ModelJson.to_string(), "model-json");
    }
}
