//! Shell completion: clap_complete's dynamic completion. The script a shell sources (from
//! `edx-matrix completions SHELL`) calls the binary back with the words typed so far
//! (`EDX_MATRIX_COMPLETE=SHELL edx-matrix -- WORDS…`), so every subcommand, option and enumerated
//! value of this very binary completes, and so do the names in the matrix the command would
//! read: deployments, stages, releases and applications.
//!
//! Why not clap_complete's static scripts: their bash function never matches its own case labels
//! for a hyphenated binary name, so nothing after the subcommand completed.

use crate::cli::{Cli, ColorChoice, GlobalArgs};
use crate::matrix_file;
use clap::CommandFactory;
use clap_complete::env::{EnvCompleter, Shells};
use clap_complete::{ArgValueCandidates, CompletionCandidate};
use edx_matrix_model::names::{ApplicationName, DeploymentName, ReleaseName, StageName};
use edx_matrix_project::Project;
use std::any::TypeId;
use std::ffi::OsString;
use std::path::PathBuf;

/// The environment variable that turns a run into a completion request. Ours rather than
/// clap's generic `COMPLETE`, so an unrelated `COMPLETE` in a user's environment cannot
/// hijack every run.
pub(crate) const VAR: &str = "EDX_MATRIX_COMPLETE";

/// The name the scripts register completion for.
const BIN: &str = "edx-matrix";

/// Answers a completion request (and exits) when [`VAR`] names a shell; returns otherwise.
pub(crate) fn complete_if_asked() {
    clap_complete::CompleteEnv::with_factory(command)
        .var(VAR)
        .bin(BIN)
        .complete();
}

/// Writes the script `shell` sources to complete `edx-matrix`: the same one
/// `EDX_MATRIX_COMPLETE=SHELL edx-matrix` prints.
pub(crate) fn registration(shell: clap_complete::Shell) -> std::io::Result<Vec<u8>> {
    let name = shell.to_string();
    let shells = Shells::builtins();
    let completer: &dyn EnvCompleter = shells
        .completer(&name)
        .ok_or_else(|| std::io::Error::other(format!("no dynamic completion for `{name}`")))?;
    let mut buffer = Vec::new();
    completer.write_registration(VAR, BIN, BIN, &completer_path(), &mut buffer)?;
    Ok(buffer)
}

/// How the script calls this binary back: as it was called (found on `PATH` for a bare
/// name), made absolute when it was a relative path — what `CompleteEnv` itself does.
fn completer_path() -> String {
    let arg0 = PathBuf::from(std::env::args_os().next().unwrap_or_else(|| BIN.into()));
    let path = match std::env::current_dir() {
        Ok(cwd) if arg0.components().count() > 1 => cwd.join(arg0),
        _ => arg0,
    };
    path.to_string_lossy().into_owned()
}

/// The command line with a value completer on every name argument, found by the type its
/// value parser returns (so a new name argument anywhere completes without being listed here).
pub(crate) fn command() -> clap::Command {
    // Commands build their arguments on demand (`Lazy`); completion walks every one of them.
    let mut cmd = Cli::command();
    cmd.build();
    with_name_completers(cmd, "")
}

/// The one name argument typed as a plain string: `pipeline render NAME`.
const PIPELINE_NAME: (&str, &str) = (" pipeline render", "name");

/// `explain CODE`: the diagnostic codes (a plain string, so an unknown one gets the
/// unknown-name wording rather than clap's list).
const EXPLAIN_CODE: (&str, &str) = (" explain", "code");

/// The diagnostic codes, for `explain`.
fn codes() -> Vec<CompletionCandidate> {
    (edx_matrix_model::Code::ALL.iter())
        .map(|code| CompletionCandidate::new(code.as_str()).help(Some(code.description().into())))
        .collect()
}

fn with_name_completers(mut cmd: clap::Command, path: &str) -> clap::Command {
    let ids: Vec<_> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        let pipeline = (path, id.as_str()) == PIPELINE_NAME;
        let code = (path, id.as_str()) == EXPLAIN_CODE;
        cmd = cmd.mut_arg(id, |arg| match Names::of(&arg) {
            _ if pipeline => arg.add(ArgValueCandidates::new(|| Names::Pipelines.candidates())),
            _ if code => arg.add(ArgValueCandidates::new(codes)),
            Some(names) => arg.add(ArgValueCandidates::new(move || names.candidates())),
            None => arg,
        });
    }
    let subcommands: Vec<String> = (cmd.get_subcommands())
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in subcommands {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(name, |sub| with_name_completers(sub, &sub_path));
    }
    cmd
}

/// The kinds of names a matrix defines.
#[derive(Clone, Copy, Debug)]
enum Names {
    Deployments,
    Stages,
    Releases,
    Applications,
    /// The pipelines `pipeline list` lists (templates run).
    Pipelines,
}

impl Names {
    /// The names `arg` takes, from the type its value parser returns.
    fn of(arg: &clap::Arg) -> Option<Names> {
        let type_id = arg.get_value_parser().type_id();
        let kinds = [
            (TypeId::of::<DeploymentName>(), Names::Deployments),
            (TypeId::of::<StageName>(), Names::Stages),
            (TypeId::of::<ReleaseName>(), Names::Releases),
            (TypeId::of::<ApplicationName>(), Names::Applications),
        ];
        kinds
            .into_iter()
            .find(|(t, _)| type_id == *t)
            .map(|(_, n)| n)
    }

    /// The names of the matrix the command being completed would read, in file order (stages
    /// in promotion order); none when it cannot be read.
    fn candidates(self) -> Vec<CompletionCandidate> {
        let Some(project) = project_of(&completed_words()) else {
            return Vec::new();
        };
        let matrix = project.matrix();
        let named =
            |name: &str, help: String| CompletionCandidate::new(name).help(Some(help.into()));
        match self {
            Names::Deployments => (matrix.deployments.iter())
                .map(|d| {
                    let pins: Vec<String> = (d.stages.iter())
                        .map(|p| format!("{}={}", p.stage.as_str(), p.release.as_str()))
                        .collect();
                    named(d.name.as_str(), pins.join(" "))
                })
                .collect(),
            Names::Stages => (matrix.stages.iter())
                .map(|s| CompletionCandidate::new(s.as_str()))
                .collect(),
            Names::Releases => (matrix.releases.iter())
                .map(|r| named(r.name.as_str(), r.branch.as_str().to_owned()))
                .collect(),
            Names::Applications => (matrix.applications.iter())
                .map(|a| named(a.name.as_str(), a.kind.to_string()))
                .collect(),
            Names::Pipelines => (project.rendering().outcome.iter())
                .flat_map(|o| &o.pipelines)
                .map(|p| named(&p.info.name, p.info.source.clone()))
                .collect(),
        }
    }
}

/// The words of the command line being completed: what follows `--` in this process's
/// arguments (the completion request), without the program name.
fn completed_words() -> Vec<OsString> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let start = args
        .iter()
        .position(|a| a == "--")
        .map_or(args.len(), |i| i + 2);
    args.into_iter().skip(start).collect()
}

/// The project `words` would read: `--example`, `--file`/`-f` (the last one given), else
/// `EDX_MATRIX_FILE`, else the nearest `edx-matrix.toml` — as the command itself decides.
fn project_of(words: &[OsString]) -> Option<Project> {
    let mut global = GlobalArgs {
        file: std::env::var_os("EDX_MATRIX_FILE")
            .filter(|f| !f.is_empty())
            .map(PathBuf::from),
        example: false,
        color: ColorChoice::Never,
        quiet: true,
        verbose: false,
    };
    // The word under the cursor is never a finished `--file` value.
    let finished = &words[..words.len().saturating_sub(1)];
    let mut words = finished.iter();
    while let Some(word) = words.next() {
        let text = word.to_string_lossy();
        if text == "--" {
            break;
        } else if text == "--example" {
            global.example = true;
        } else if text == "--file" || text == "-f" {
            global.file = words.next().map(PathBuf::from);
        } else if let Some(file) = text.strip_prefix("--file=") {
            global.file = Some(PathBuf::from(file));
        } else if let Some(file) = text.strip_prefix("-f").filter(|f| !f.is_empty()) {
            global.file = Some(PathBuf::from(file.trim_start_matches('=')));
        }
    }
    matrix_file::load(&global).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn words(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn every_name_argument_gets_a_completer() {
        let mut cmd = command();
        cmd.build();
        let upgrade = cmd.find_subcommand("upgrade").unwrap();
        let named = upgrade
            .get_arguments()
            .filter(|a| a.get::<ArgValueCandidates>().is_some())
            .count();
        assert!(
            named >= 3,
            "upgrade: deployments, --stage, --to; got {named}"
        );
        let check = cmd.find_subcommand("check").unwrap();
        assert!(
            (check.get_arguments()).all(|a| a.get::<ArgValueCandidates>().is_none()),
            "check takes no name"
        );
    }

    #[test]
    fn explain_completes_the_diagnostic_codes() {
        let mut cmd = command();
        cmd.build();
        let explain = cmd.find_subcommand("explain").unwrap();
        let code = explain
            .get_arguments()
            .find(|a| a.get_id() == "code")
            .unwrap();
        let candidates = code.get::<ArgValueCandidates>().unwrap().candidates();
        let names: Vec<String> = (candidates.iter())
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().any(|n| n == "unknown-key"), "{names:?}");
        assert_eq!(names.len(), edx_matrix_model::Code::ALL.len());
    }

    #[test]
    fn the_example_flag_selects_the_example() {
        let project = project_of(&words("--example show ")).unwrap();
        assert!(
            (project.matrix().deployments)
                .iter()
                .any(|d| d.name.as_str() == "campus")
        );
    }
}
