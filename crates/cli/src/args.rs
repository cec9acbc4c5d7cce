//! Argument groups several commands share: where an output goes, and an application kind;
//! the one parser of `-o` values.

use clap::builder::TypedValueParser;
use clap::{Args, ValueEnum};
use std::ffi::OsStr;
use std::path::PathBuf;

/// Application kinds on the command line.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindArg {
    /// Independently deployable (Django) applications
    Ida,
    /// Micro front-ends
    Mfe,
}

impl From<KindArg> for edx_matrix_model::AppKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Ida => edx_matrix_model::AppKind::Ida,
            KindArg::Mfe => edx_matrix_model::AppKind::Mfe,
        }
    }
}

/// Where an export goes.
#[derive(Args, Debug, Clone)]
pub(crate) struct WriteArgs {
    /// Write to this file instead of standard output
    #[arg(long, short = 'o', value_parser = OutputPath)]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists
    #[arg(long)]
    pub force: bool,
}

/// Names that read as an output format, not a file: `-o json` is kubectl's and jq-users'
/// habit, and would otherwise silently write a file called `json`.
const FORMAT_LIKE: &[&str] = &[
    "json",
    "yaml",
    "yml",
    "env",
    "toml",
    "markdown",
    "md",
    "table",
    "human",
    "text",
    "svg",
    "model-json",
    "wide",
    "name",
];

/// Returns why `value` is refused as an output path: a bare format name. `formats` are the
/// values the command's `--format` takes (`None`: it has none), so the hint names only an
/// option that exists.
pub(crate) fn format_like(value: &str, formats: Option<&[String]>) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    FORMAT_LIKE.contains(&lower.as_str()).then(|| {
        let instead = match formats {
            Some(formats) if formats.contains(&lower) => {
                format!("did you mean `--format {lower}`?")
            }
            Some(formats) => format!("this command's `--format` takes {}", formats.join(", ")),
            None => "this command writes one format".to_owned(),
        };
        format!(
            "`{value}` looks like a format name, not a file: {instead} \
             (to write a file named {value}, use `-o ./{value}`)"
        )
    })
}

/// The values `cmd`'s `--format` takes, if it has one.
fn formats_of(cmd: &clap::Command) -> Option<Vec<String>> {
    cmd.get_arguments()
        .find(|a| a.get_long() == Some("format") && !a.is_hide_set())
        .map(|a| {
            a.get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_owned())
                .collect()
        })
}

/// The value parser of every `-o/--output`: a path (any bytes), refusing a bare format name
/// ([`format_like`]) as a usage error, before anything is read or written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OutputPath;

impl TypedValueParser for OutputPath {
    type Value = PathBuf;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<PathBuf, clap::Error> {
        let formats = formats_of(cmd);
        if let Some(problem) = value
            .to_str()
            .and_then(|v| format_like(v, formats.as_deref()))
        {
            let name = arg.map_or_else(|| "--output".to_owned(), ToString::to_string);
            let error = clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid value for '{name}': {problem}\n"),
            );
            return Err(error.with_cmd(cmd));
        }
        Ok(PathBuf::from(value))
    }
}

#[cfg(test)]
mod tests {
    use super::format_like;

    #[test]
    fn a_format_name_is_refused_and_a_path_to_it_is_not() {
        let formats = ["json".to_owned(), "yaml".to_owned(), "env".to_owned()];
        for refused in ["json", "YAML", "env"] {
            let message = format_like(refused, Some(&formats)).expect(refused);
            assert!(message.contains("did you mean `--format"), "{message}");
            assert!(message.contains(&format!("-o ./{refused}")), "{message}");
        }
        // A format the command does not have is not suggested as `--format`.
        let message = format_like("toml", Some(&formats)).expect("toml");
        assert!(
            message.contains("this command's `--format` takes json, yaml, env"),
            "{message}"
        );
        let message = format_like("markdown", None).expect("markdown");
        assert!(
            message.contains("this command writes one format"),
            "{message}"
        );
        for path in ["./json", "out/json", "json.txt", "-", "plugin"] {
            assert_eq!(format_like(path, Some(&formats)), None, "{path}");
        }
    }
}
