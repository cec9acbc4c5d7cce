//! Where output goes and how it looks: colours, tables, JSON, diagnostics.

use crate::cli::{ColorChoice, GlobalArgs};
use codespan_reporting::term::termcolor::{self, StandardStream};
use comfy_table::{ContentArrangement, Table, presets};
use edx_matrix_formats::{Diagnostic, Source};
use std::io::{IsTerminal, Write};

/// Output settings decided once from the command line and the environment.
pub(crate) struct Output {
    /// Whether to colour standard output.
    pub color_stdout: bool,
    /// Whether to colour standard error.
    pub color_stderr: bool,
    /// `--quiet`: no warnings or notes on standard error (errors are always printed).
    pub quiet: bool,
    /// `--verbose`: details (files read, timings) on standard error.
    pub verbose: bool,
}

impl Output {
    /// Decides colours from `--color`, `NO_COLOR` and whether the streams are terminals, and
    /// how much to say from `--quiet` and `--verbose`.
    pub(crate) fn new(global: &GlobalArgs) -> Self {
        let choice = global.color;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |is_terminal: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color,
        };
        Output {
            color_stdout: decide(std::io::stdout().is_terminal()),
            color_stderr: decide(std::io::stderr().is_terminal()),
            quiet: global.quiet,
            verbose: global.verbose,
        }
    }

    /// Prints a note or warning line (`what` already prefixed as it should read) to standard
    /// error, unless `--quiet`.
    pub(crate) fn note(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    /// Prints a detail line to standard error with `--verbose` only.
    pub(crate) fn detail(&self, line: &str) {
        if self.verbose {
            eprintln!("edx-matrix: {line}");
        }
    }

    /// Renders diagnostics to standard error; with `--quiet`, only the errors.
    pub(crate) fn diagnostics(
        &self,
        diagnostics: &[Diagnostic],
        source: &Source,
    ) -> std::io::Result<()> {
        let kept: Vec<Diagnostic>;
        let diagnostics = if self.quiet {
            kept = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            kept.as_slice()
        } else {
            diagnostics
        };
        let mut stream = StandardStream::stderr(if self.color_stderr {
            termcolor::ColorChoice::Always
        } else {
            termcolor::ColorChoice::Never
        });
        edx_matrix_formats::render(diagnostics, source, &mut stream)
    }

    /// Prints `text` to standard output.
    pub(crate) fn print(&self, text: &str) -> std::io::Result<()> {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        stdout.flush()
    }

    /// Prints a value as pretty JSON with a final newline.
    pub(crate) fn json<T: serde::Serialize + ?Sized>(&self, value: &T) -> std::io::Result<()> {
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        serde_json::to_writer_pretty(&mut stdout, value)?;
        stdout.write_all(b"\n")?;
        stdout.flush()
    }

    /// Prints resolved rows as pretty JSON with a final newline: the bytes [`Self::json`] prints
    /// for them, by the rows' own writer (a fraction of serde_json's instructions).
    pub(crate) fn json_rows(
        &self,
        rows: &edx_matrix_formats::interchange::RowsJson<'_, '_>,
    ) -> std::io::Result<()> {
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        rows.write_pretty(&mut stdout)?;
        stdout.write_all(b"\n")?;
        stdout.flush()
    }

    /// Prints rows as they come, as [`Self::json_rows`] prints them all, holding none; the
    /// first error among them stops the output before the array is closed.
    pub(crate) fn json_row_stream<'m, E>(
        &self,
        matrix: &'m edx_matrix_model::Matrix,
        rows: impl IntoIterator<Item = Result<edx_matrix_model::Row<'m>, E>>,
    ) -> Result<(), edx_matrix_formats::interchange::RowsError<E>> {
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        edx_matrix_formats::interchange::write_stream(&mut stdout, matrix, rows)?;
        stdout.write_all(b"\n")?;
        stdout.flush()?;
        Ok(())
    }

    /// Returns `text` in bold when colouring standard output.
    pub(crate) fn bold(&self, text: &str) -> String {
        if self.color_stdout {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Returns `text` with the background colour of palette slot `slot` when colouring.
    pub(crate) fn release_colour(&self, text: &str, slot: usize) -> String {
        if !self.color_stdout {
            return text.to_owned();
        }
        // Distinct, readable 256-colour backgrounds with black text.
        const PALETTE: [u8; 8] = [117, 150, 222, 183, 216, 152, 229, 189];
        format!(
            "\x1b[30;48;5;{}m {text} \x1b[0m",
            PALETTE[slot % PALETTE.len()]
        )
    }
}

/// Returns a plain table: no borders, a header row, columns separated by two spaces.
pub(crate) fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().map(|h| h.to_uppercase()));
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
}

/// Renders a table as text, trailing spaces removed, with a final newline.
pub(crate) fn render_table(table: &Table) -> String {
    let mut out = String::new();
    for line in table.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Returns `count` and `noun`, the noun in the plural unless the count is one: `1 deployment`,
/// `2 deployments` (`noun` is singular; `plural` is used for the others).
pub(crate) fn count(count: usize, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}

/// Returns the size of a matrix for a summary line: `2 releases, 1 application, 1 deployment,
/// 2 application versions`.
pub(crate) fn matrix_size(m: &edx_matrix_model::Matrix) -> String {
    [
        count(m.releases.len(), "release", "releases"),
        count(m.applications.len(), "application", "applications"),
        count(m.deployments.len(), "deployment", "deployments"),
        count(
            m.app_version_count(),
            "application version",
            "application versions",
        ),
    ]
    .join(", ")
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_take_the_singular_only_for_one() {
        assert_eq!(count(0, "deployment", "deployments"), "0 deployments");
        assert_eq!(count(1, "deployment", "deployments"), "1 deployment");
        assert_eq!(count(2, "entry", "entries"), "2 entries");
    }
}
