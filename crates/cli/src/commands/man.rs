//! `edx-matrix man`: the manual pages, one per command (`edx-matrix.1`, `edx-matrix-check.1`,
//! `edx-matrix-pipeline-render.1`, …), generated from the clap definition so they always match
//! the binary, each with a SEE ALSO naming the pages of its parent commands.

use crate::cli::Cli;
use crate::error::{CmdResult, CommandError};
use crate::output::Output;
use clap::CommandFactory;
use edx_matrix_model::UnknownName;
use edx_matrix_model::civil_from_days;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub(crate) struct ManArgs {
    /// The command whose page to print (`check`, `pipeline render`); none: the main page
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
    /// Write every page (`edx-matrix.1`, `edx-matrix-check.1`, …) into this directory (created
    /// if missing) instead of printing one
    #[arg(long, short = 'o', value_name = "DIR", conflicts_with = "command", value_parser = crate::args::OutputPath)]
    pub output: Option<PathBuf>,
}

/// One manual page: its name (`edx-matrix-pipeline-render`) and roff text.
pub(crate) struct Page {
    pub name: String,
    /// The words that select it (`pipeline render`).
    pub path: Vec<String>,
    pub roff: String,
}

pub(crate) fn run(out: &Output, args: &ManArgs) -> CmdResult {
    let pages = pages()?;
    if let Some(dir) = &args.output {
        fs_err::create_dir_all(dir)?;
        for page in &pages {
            let file = dir.join(format!("{}.1", page.name));
            fs_err::write(&file, &page.roff)?;
        }
        out.note(&format!(
            "wrote {} to `{}`",
            crate::output::count(pages.len(), "manual page", "manual pages"),
            dir.display()
        ));
        return Ok(ExitCode::SUCCESS);
    }
    let Some(page) = pages.iter().find(|p| p.path == args.command) else {
        let asked = args.command.join(" ");
        let names = pages.iter().map(|p| p.path.join(" ")).collect::<Vec<_>>();
        let unknown = UnknownName::new("command", &asked, names.iter().map(String::as_str));
        return Err(CommandError::unknown(&unknown));
    };
    out.print(&page.roff)?;
    Ok(ExitCode::SUCCESS)
}

/// Every page: the main one, then each visible command's, depth first.
pub(crate) fn pages() -> std::io::Result<Vec<Page>> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let date = date();
    let mut pages = Vec::new();
    collect(&root, &[], &[], &date, &mut pages)?;
    Ok(pages)
}

fn collect(
    cmd: &clap::Command,
    path: &[String],
    parents: &[String],
    date: &str,
    pages: &mut Vec<Page>,
) -> std::io::Result<()> {
    let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_owned();
    let mut buffer = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .title(name.to_uppercase())
        .date(date)
        .source(format!("edx-matrix {}", env!("CARGO_PKG_VERSION")))
        .manual("edx-matrix manual")
        .render(&mut buffer)?;
    let mut roff = tidy(&String::from_utf8_lossy(&buffer));
    if !parents.is_empty() {
        roff.push_str(".SH \"SEE ALSO\"\n");
        let refs: Vec<String> = (parents.iter().rev())
            .map(|p| format!(".BR {} (1)", p.replace('-', "\\-")))
            .collect();
        roff.push_str(&refs.join(",\n"));
        roff.push('\n');
    }
    let mut their_parents = parents.to_vec();
    their_parents.push(name.clone());
    pages.push(Page {
        name,
        path: path.to_vec(),
        roff,
    });
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let mut sub_path = path.to_vec();
        sub_path.push(sub.get_name().to_owned());
        collect(sub, &sub_path, &their_parents, date, pages)?;
    }
    Ok(())
}

/// Fixes what clap_mangen writes that `mandoc -Tlint` reports: a blank line between two `.br`
/// (a paragraph break spelled as line breaks; a warning) becomes `.sp`; no line ends in
/// whitespace and no text line is longer than 80 bytes (style). Text lines are filled, so
/// breaking them at spaces changes nothing on the rendered page. Characters beyond ASCII are
/// written as `\[uXXXX]`, which every roff reads whatever the locale (and mandoc counts them so).
fn tidy(roff: &str) -> String {
    let mut joined = String::with_capacity(roff.len());
    for c in roff.replace(".br\n\n.br\n", ".sp\n").chars() {
        if c.is_ascii() {
            joined.push(c);
        } else {
            let _ = write!(joined, "\\[u{:04X}]", c as u32);
        }
    }
    let mut out = String::with_capacity(joined.len());
    for line in joined.lines() {
        let line = line.trim_end();
        // Requests, and lines starting with a space (a break in roff), stay as they are.
        if line.starts_with(['.', '\'', ' ', '\t']) || line.len() <= MAX_LINE {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.len() + 1 + word.len() > MAX_LINE {
                out.push_str(&current);
                out.push('\n');
                current.clear();
            }
            if current.is_empty() {
                // A line starting with `.` or `'` would be a request: `\&` keeps it text.
                if word.starts_with(['.', '\'']) {
                    current.push_str("\\&");
                }
            } else {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

/// The longest text line `mandoc -Tlint` accepts without a style note.
const MAX_LINE: usize = 80;

/// The date of the pages: `SOURCE_DATE_EPOCH` when set (reproducible builds), else today
/// (UTC), as `YYYY-MM-DD`.
fn date() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_page_per_command_each_parent_in_see_also() {
        let pages = pages().unwrap();
        let names: Vec<&str> = pages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names[0], "edx-matrix");
        for name in [
            "edx-matrix-check",
            "edx-matrix-pipeline",
            "edx-matrix-pipeline-render",
        ] {
            assert!(names.contains(&name), "{name}: {names:?}");
        }
        let render = pages
            .iter()
            .find(|p| p.name == "edx-matrix-pipeline-render")
            .unwrap();
        assert_eq!(render.path, ["pipeline", "render"]);
        assert!(
            render.roff.ends_with(
                ".SH \"SEE ALSO\"\n.BR edx\\-matrix\\-pipeline (1),\n.BR edx\\-matrix (1)\n"
            ),
            "{}",
            render.roff
        );
    }

    #[test]
    fn tidy_turns_blank_lines_between_breaks_into_sp() {
        assert_eq!(tidy("a \n.br\n\n.br\nb"), "a\n.sp\nb\n");
    }

    #[test]
    fn tidy_spells_non_ascii_as_unicode_escapes() {
        assert_eq!(
            tidy("fish, …) · é"),
            "fish, \\[u2026]) \\[u00B7] \\[u00E9]\n"
        );
    }

    #[test]
    fn tidy_breaks_long_text_lines_at_spaces_keeping_words_text() {
        let long = format!("{} .dot 'quote", "word ".repeat(16).trim_end());
        let tidied = tidy(&long);
        for line in tidied.lines() {
            assert!(line.len() <= MAX_LINE, "{line}");
        }
        assert_eq!(
            tidied,
            format!("{}\n\\&.dot 'quote\n", "word ".repeat(16).trim_end())
        );
        let request = format!(".TP {}", "x ".repeat(50));
        assert_eq!(tidy(&request), format!("{}\n", request.trim_end()));
    }
}
