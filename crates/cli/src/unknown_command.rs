//! A mistyped command (`chek`, `pipeline rendr`): the unknown-name wording with suggestions
//! ordered by distance, in place of clap's list.

use crate::cli::Cli;
use clap::CommandFactory;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use edx_matrix_model::UnknownName;

/// Returns the message for clap's unknown-subcommand error `e`, or `None` for any other error.
pub(crate) fn message(e: &clap::Error) -> Option<String> {
    if e.kind() != ErrorKind::InvalidSubcommand {
        return None;
    }
    let Some(ContextValue::String(typed)) = e.get(ContextKind::InvalidSubcommand) else {
        return None;
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    Some(render(typed, &args))
}

/// Renders the error for `typed` given on the command line `args` (without the program name):
/// the candidates are the subcommands of the command it was typed under.
fn render(typed: &str, args: &[String]) -> String {
    let mut cmd = Cli::command();
    cmd.build();
    let mut path = vec!["edx-matrix".to_owned()];
    let mut current = &cmd;
    for arg in args {
        if arg == typed {
            break;
        }
        if let Some(sub) = current.find_subcommand(arg) {
            path.push(sub.get_name().to_owned());
            current = sub;
        }
    }
    let names: Vec<&str> = current
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(clap::Command::get_name)
        .collect();
    let unknown = UnknownName::new("command", typed, names);
    let mut text = format!("error: {}\n", unknown.message());
    if let Some(hint) = unknown.hint() {
        text.push_str(&format!("hint: {hint}\n"));
    }
    text.push_str(&format!(
        "\nFor a list of commands, try '{} --help'.\n",
        path.join(" ")
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::render;

    fn args(line: &str) -> Vec<String> {
        line.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn the_closest_command_comes_first() {
        let text = render("chek", &args("chek"));
        assert!(
            text.starts_with("error: unknown command `chek`\n"),
            "{text}"
        );
        assert!(text.contains("hint: did you mean `check`"), "{text}");
        assert!(text.contains("'edx-matrix --help'"), "{text}");
    }

    #[test]
    fn a_nested_command_suggests_its_siblings() {
        let text = render("rendr", &args("--example pipeline rendr x"));
        assert!(text.contains("did you mean `render`?"), "{text}");
        assert!(text.contains("'edx-matrix pipeline --help'"), "{text}");
    }
}
