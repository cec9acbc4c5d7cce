//! The editing commands: `upgrade`, `promote`, `set`, `include`, `exclude`, `release add|retire`,
//! `app add|remove` and `fmt`.
//!
//! The edits themselves are pure functions in `edx_matrix_formats::edit`, applied to a file by
//! the use case `edx_matrix_project::edit_matrix` (lock the file, read it, refuse a file that
//! already has errors, edit, re-validate the result and refuse when the edit would add errors,
//! then replace the file atomically; `--dry-run` reads without the lock and writes nothing);
//! this module parses the arguments and renders: the refusal's diagnostics, the unified diff,
//! the summary and the runbook due.

mod args;
pub(crate) mod from_upstream;
mod promote;

pub(crate) use args::{
    AppCommand, EditOptions, ExcludeArgs, FmtArgs, IncludeArgs, OverrideArgs, PromoteArgs,
    ReleaseCommand, SetArgs, UpgradeArgs,
};

use crate::cli::GlobalArgs;
use crate::deprecated;
use crate::error::{CmdResult, CommandError, Kind, exit_code};
use crate::format::Format;
use crate::matrix_file;
use crate::output::Output;
use edx_matrix_formats::due_after;
use edx_matrix_formats::edit::entry::{Override, Patch};
use edx_matrix_formats::edit::{self as edit, Base, EditError, EditOutcome};
use edx_matrix_formats::example;
use edx_matrix_formats::safe_lines;
use edx_matrix_formats::{Origin, Plan};
use edx_matrix_project::{
    EditTarget, FileEditError, LockWrite, Precondition, Project, PromotePlan, Refusal, edit_matrix,
    format_of, plan_promotion,
};
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// What the command does with the result.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode<'a> {
    /// An edit: the file must be valid before, and stay valid.
    Edit,
    /// An edit moving a stage to the release `to` (`upgrade --to`): as [`Mode::Edit`], and an
    /// unknown `to` is a release to add first (the hint says how). Any other unknown release
    /// (`--from-release`, `set`'s, `release retire`'s) is only an unknown name.
    MoveTo(&'a str),
    /// `fmt`: meaning is unchanged by construction; a file with errors may be formatted.
    Fmt {
        /// `--check`: write nothing, exit 1 when the file would change.
        check: bool,
    },
}

/// The stage an edit moves to a release (`upgrade`, `promote`): its runbook is printed.
#[derive(Clone, Copy)]
struct Due<'a> {
    /// The deployments whose stage moves.
    deployments: &'a [String],
    /// The stage.
    stage: &'a str,
}

impl Due<'_> {
    /// Returns the runbook steps due for the stage after the edit (see
    /// [`edx_matrix_formats::due_after`]).
    fn plan(&self, before: &Project, after: &Project) -> Option<Plan> {
        due_after(
            &after.runbooks,
            before.matrix(),
            after.matrix(),
            self.deployments,
            self.stage,
        )
    }
}

/// The JSON report of an edit.
#[derive(Serialize)]
struct Report<'a> {
    file: &'a str,
    changed: bool,
    written: bool,
    dry_run: bool,
    summary: &'a str,
    notes: &'a [String],
    diff: &'a str,
    /// The runbook steps due for the stage an `upgrade` or `promote` moves.
    #[serde(skip_serializing_if = "Option::is_none")]
    runbook: Option<&'a Plan>,
    /// What `release add --from-upstream` read, and where.
    #[serde(skip_serializing_if = "Option::is_none")]
    upstream: Option<&'a serde_json::Value>,
    /// `promote`'s gate verdicts.
    #[serde(skip_serializing_if = "Option::is_none")]
    gates: Option<&'a serde_json::Value>,
}

pub(crate) fn upgrade(global: &GlobalArgs, out: &Output, args: &UpgradeArgs) -> CmdResult {
    if !args.deployments.is_empty() {
        deprecated::warn(out, "upgrade --deployments", "upgrade --deployment");
    }
    let deployments = (args.names.iter())
        .chain(&args.deployment)
        .chain(&args.deployments);
    let upgrade = edit::upgrade::Upgrade {
        deployments: deployments.map(ToString::to_string).collect(),
        stage: args.stage.to_string(),
        to: args.to.to_string(),
        from_release: args.from_release.as_ref().map(ToString::to_string),
    };
    let due = Due {
        deployments: &upgrade.deployments,
        stage: &upgrade.stage,
    };
    run(
        global,
        out,
        &args.options,
        Mode::MoveTo(&upgrade.to),
        Some(due),
        None,
        |text| edit::upgrade::upgrade(text, &upgrade),
    )
}

pub(crate) fn promote(global: &GlobalArgs, out: &Output, args: &PromoteArgs) -> CmdResult {
    let deployments: Vec<String> = args.deployment.iter().map(ToString::to_string).collect();
    let stage = match (&args.stage, &args.to) {
        (Some(stage), _) => stage,
        (None, Some(stage)) => {
            deprecated::warn(out, "promote --to", "promote --stage");
            stage
        }
        // clap requires one of them; said again rather than assumed.
        (None, None) => return Err(CommandError::usage("`promote` needs `--stage STAGE`")),
    };
    let promote = edit::promote::Promote {
        deployment: deployments.first().cloned().unwrap_or_default(),
        to: stage.to_string(),
        from: args.from.as_ref().map(ToString::to_string),
        force: args.force,
    };
    let due = Due {
        deployments: &deployments,
        stage: &promote.to,
    };
    // The lock follows the promotion: planned (and refused, gates included) before the matrix
    // is written, then written with it, all or nothing.
    if let Some(reason) = &args.force_gates {
        promote::check_reason(reason)?;
    }
    let path = if global.example {
        None
    } else {
        Some(matrix_file::locate(global)?)
    };
    let asked = PromotePlan {
        promote: &promote,
        deployments: &deployments,
        relock: args.relock,
        force_gates: args.force_gates.as_deref(),
        dry_run: args.options.dry_run,
    };
    let plan = plan_promotion(path.as_deref(), asked, crate::commands::lock::now)
        .map_err(|e| promote::plan_error(out, e))?;
    let mut options = args.options.clone();
    if let Some(plan) = plan.as_ref().filter(|p| !p.verdicts.is_empty()) {
        if options.format != Format::Json {
            eprint!("{}", promote::lines(&plan.verdicts));
        }
        if plan.forced {
            eprintln!(
                "gate: overridden with --force-gates: {}",
                if plan.lock().is_some() {
                    "the reason is recorded in the lock"
                } else {
                    "no lock to record the reason in"
                }
            );
        }
        options.gates = serde_json::to_value(&plan.verdicts).ok();
    }
    let also = plan
        .as_ref()
        .and_then(edx_matrix_project::LockPlan::lock_write);
    let code = run(global, out, &options, Mode::Edit, Some(due), also, |text| {
        edit::promote::promote_all(text, &deployments, &promote)
    })?;
    if let Some(plan) = &plan {
        promote::finish(plan, args.options.dry_run);
        // A dry run shows the verdicts, then says the promotion would be refused.
        if !plan.forced {
            if let Some(refusal) = promote::refusal(&plan.verdicts) {
                return Err(refusal);
            }
        }
    }
    Ok(code)
}

fn patch(values: &OverrideArgs) -> Patch {
    let set = |v: &Option<String>| v.clone().map_or(Override::Keep, Override::Set);
    Patch {
        branch: set(&values.branch),
        origin: set(&values.origin),
        runtime: set(&values.runtime),
        translations: if values.translations.is_empty() {
            Override::Keep
        } else {
            Override::Set(values.translations.clone())
        },
    }
}

pub(crate) fn set(global: &GlobalArgs, out: &Output, args: &SetArgs) -> CmdResult {
    let mut patch = patch(&args.values);
    for (unset, slot) in [
        (args.unset_branch, &mut patch.branch),
        (args.unset_origin, &mut patch.origin),
        (args.unset_runtime, &mut patch.runtime),
    ] {
        if unset {
            *slot = Override::Unset;
        }
    }
    if args.unset_translations {
        patch.translations = Override::Unset;
    }
    if patch.is_empty() {
        return Err(CommandError::usage(
            "nothing to set: pass `--branch`, `--origin`, `--runtime`, `--translation` or an `--unset-*` flag",
        ));
    }
    let target = args.target.target();
    run(global, out, &args.options, Mode::Edit, None, None, |text| {
        edit::entry::set(text, &target, &patch)
    })
}

pub(crate) fn include(global: &GlobalArgs, out: &Output, args: &IncludeArgs) -> CmdResult {
    let patch = patch(&args.values);
    let target = args.target.target();
    run(global, out, &args.options, Mode::Edit, None, None, |text| {
        edit::entry::include(text, &target, &patch)
    })
}

pub(crate) fn exclude(global: &GlobalArgs, out: &Output, args: &ExcludeArgs) -> CmdResult {
    let target = args.target.target();
    run(global, out, &args.options, Mode::Edit, None, None, |text| {
        edit::entry::exclude(text, &target)
    })
}

pub(crate) fn release(global: &GlobalArgs, out: &Output, command: &ReleaseCommand) -> CmdResult {
    match command {
        ReleaseCommand::Add {
            name,
            branch,
            python,
            node,
            upstream,
            options,
        } => {
            let given = from_upstream::Given {
                branch: branch.clone(),
                python: python.clone(),
                node: node.clone(),
            };
            let (values, options) = if upstream.from_upstream {
                from_upstream::fill(global, out, name.as_str(), upstream, given, options)?
            } else {
                (from_upstream::given(given)?, options.clone())
            };
            let new = edit::release::NewRelease {
                name: name.to_string(),
                branch: values.branch,
                python: values.python,
                node: values.node,
            };
            run(global, out, &options, Mode::Edit, None, None, |text| {
                edit::release::add(text, &new)
            })
        }
        ReleaseCommand::Retire { name, options } => {
            run(global, out, options, Mode::Edit, None, None, |text| {
                edit::release::retire(text, name)
            })
        }
    }
}

pub(crate) fn app(global: &GlobalArgs, out: &Output, command: &AppCommand) -> CmdResult {
    match command {
        AppCommand::Add {
            name,
            kind,
            old_kind,
            repository,
            path,
            options,
        } => {
            if old_kind.is_some() {
                deprecated::warn(out, "app add --kind", "app add --type");
            }
            let new = edit::app::NewApp {
                name: name.to_string(),
                kind: kind.or(*old_kind).map(Into::into),
                repository: repository.clone(),
                path: path.clone(),
            };
            run(global, out, options, Mode::Edit, None, None, |text| {
                edit::app::add(text, &new)
            })
        }
        AppCommand::Remove { name, options } => {
            run(global, out, options, Mode::Edit, None, None, |text| {
                edit::app::remove(text, name)
            })
        }
    }
}

pub(crate) fn fmt(global: &GlobalArgs, out: &Output, args: &FmtArgs) -> CmdResult {
    run(
        global,
        out,
        &args.options,
        Mode::Fmt { check: args.check },
        None,
        None,
        |base: Base<'_>| edit::fmt::fmt(base),
    )
}

/// Finds the file, and applies `edit` to it (under the lock unless nothing will be written).
fn run(
    global: &GlobalArgs,
    out: &Output,
    options: &EditOptions,
    mode: Mode<'_>,
    due: Option<Due<'_>>,
    also: Option<&LockWrite>,
    edit: impl Fn(Base<'_>) -> Result<EditOutcome, EditError>,
) -> CmdResult {
    if !(options.wait.is_finite() && options.wait >= 0.0) {
        return Err(CommandError::usage(format!(
            "invalid `--wait {}`: give a number of seconds",
            options.wait
        )));
    }
    let read_only = options.dry_run || mode == Mode::Fmt { check: true };
    if global.example {
        if !read_only {
            return Err(
                CommandError::usage("the built-in example cannot be edited").with_hint(
                    "pass `--dry-run` to see the diff, or `edx-matrix init` for a file of your own",
                ),
            );
        }
        return apply(
            out,
            options,
            mode,
            due,
            edit,
            example::NAME,
            EditTarget::Example,
        );
    }
    let path = matrix_file::locate(global)?;
    matrix_file::refuse_python_package(&path, "edit commands")?;
    if format_of(&path) != edx_matrix_project::Format::Toml {
        return Err(CommandError::usage(format!(
            "`{}` is interchange JSON; edits work on `edx-matrix.toml`",
            path.display()
        ))
        .with_hint("write a TOML matrix with `edx-matrix import json`"));
    }
    let name = path.display().to_string();
    let target = if read_only {
        EditTarget::Read(&path)
    } else {
        EditTarget::Write {
            path: &path,
            wait: wait_time(options.wait)?,
            also,
        }
    };
    apply(out, options, mode, due, edit, &name, target)
}

/// Returns the `--wait` time: any number of seconds from 0 (a huge one waits as long as it
/// takes), refusing a negative one or NaN.
fn wait_time(seconds: f64) -> Result<Duration, CommandError> {
    if seconds.is_nan() || seconds < 0.0 {
        return Err(CommandError::usage(format!(
            "invalid `--wait {seconds}`: give a number of seconds, 0 or more"
        )));
    }
    Ok(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX))
}

/// Applies `edit` to `target` through the use case, renders a refusal (with the diagnostics
/// that explain it), or the diff, the summary and the runbook of the stage it moves, if any.
fn apply(
    out: &Output,
    options: &EditOptions,
    mode: Mode<'_>,
    due: Option<Due<'_>>,
    edit: impl Fn(Base<'_>) -> Result<EditOutcome, EditError>,
    name: &str,
    target: EditTarget<'_>,
) -> CmdResult {
    // The use case applies the rule every edit follows: the whole project is checked before
    // and after (the matrix, runbooks, operations and `[pipelines]`, exactly what
    // `edx-matrix check` reports), a file with errors is not edited and an edit that would
    // add errors is refused.
    let precondition = match mode {
        Mode::Edit | Mode::MoveTo(_) => Precondition::Valid,
        Mode::Fmt { .. } => Precondition::Any,
    };
    let file_edit = match edit_matrix(target, name, precondition, edit) {
        Ok(file_edit) => file_edit,
        Err(FileEditError::Io(e)) => return Err(e.into()),
        Err(FileEditError::Refused(Refusal::Edit(e))) => return Err(edit_error(e, name, mode)),
        Err(FileEditError::Refused(refusal)) => {
            if let Some(project) = refusal.project() {
                let errors: Vec<_> = project.errors().cloned().collect();
                out.diagnostics(&errors, project.source())?;
            }
            let error = CommandError::refused(refusal.to_string());
            return Err(match refusal {
                Refusal::Invalid(_) => {
                    error.with_hint("fix them first (`edx-matrix check` lists everything)")
                }
                _ => error,
            });
        }
    };
    let edited = &file_edit.edited;
    let text = &file_edit.before_text;
    let written = file_edit.written;
    let outcome = &edited.outcome;
    let changed = edited.changed();
    let diff = if changed {
        unified_diff(name, text, &outcome.text)
    } else {
        String::new()
    };
    let plan = due.and_then(|due| due.plan(&edited.before, &edited.after));
    let check = mode == Mode::Fmt { check: true };
    if written {
        if let EditTarget::Write { path, .. } = target {
            out.detail(&format!("wrote `{}`", path.display()));
        }
    }
    match options.format {
        Format::Json => out.json(&Report {
            file: name,
            changed,
            written,
            dry_run: options.dry_run,
            summary: &outcome.summary,
            notes: &outcome.notes,
            diff: &diff,
            runbook: plan.as_ref(),
            upstream: options.upstream.as_ref(),
            gates: options.gates.as_ref(),
        })?,
        _ => {
            // Values from the file reach the terminal escaped and clipped (each line of the
            // diff too: a changed line may hold a 10 MB value); the JSON keeps them whole.
            let mut text = String::new();
            // `--quiet` (global): only the summary line.
            if !out.quiet {
                text.push_str(&safe_lines(&diff));
                for note in &outcome.notes {
                    text.push_str(&format!("note: {}\n", safe_lines(note)));
                }
            }
            let summary = if check && changed {
                format!("`{name}` is not formatted (`edx-matrix fmt` formats it)")
            } else if changed && !written {
                format!("{} (dry run: nothing written)", outcome.summary)
            } else {
                outcome.summary.clone()
            };
            text.push_str(&safe_lines(&summary));
            text.push('\n');
            out.print(&text)?;
            if let Some(plan) = &plan {
                eprint!("{}", safe_lines(&runbook_text(plan)));
            }
        }
    }
    if check && changed {
        return Ok(ExitCode::from(exit_code(Kind::CheckFailed)));
    }
    Ok(ExitCode::SUCCESS)
}

/// Renders the runbook of the stage an edit moves, for standard error.
fn runbook_text(plan: &Plan) -> String {
    let mut text = format!(
        "Runbook for {} on {}",
        plan.release,
        plan.stage.as_deref().unwrap_or("every stage")
    );
    if !plan.first_deploy {
        text.push_str(" (not a first deploy)");
    }
    if plan.origin == Origin::BuiltIn {
        text.push_str(" (built-in steps: the matrix has no runbook for it)");
    }
    text.push_str(":\n");
    text.push_str(&plan.steps_to_text());
    text
}

/// Returns the unified diff from `old` to `new`, with `a/` and `b/` file names.
fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let file = Path::new(name)
        .file_name()
        .map_or_else(|| name.to_owned(), |f| f.to_string_lossy().into_owned());
    crate::line_diff::unified(&format!("a/{file}"), &format!("b/{file}"), old, new, 3)
}

/// Turns an edit error into the command's error and exit code.
fn edit_error(e: EditError, name: &str, mode: Mode<'_>) -> CommandError {
    match e {
        EditError::Unknown(unknown) => {
            let error = CommandError::unknown(&unknown);
            if unknown.what != "release" || mode != Mode::MoveTo(&unknown.name) {
                return error;
            }
            // A new release is added first: say how, after any suggestion — with its facts read
            // upstream, not typed from memory (issue 27).
            let name = &unknown.name;
            let add = format!(
                "add it first with `edx-matrix release add {name} --from-upstream` (its branch, \
                 Python and Node read upstream; or give `--branch`, `--python` and `--node`)"
            );
            match unknown.hint() {
                Some(hint) => error.with_hint(format!("{hint}\nor {add}")),
                None => error.with_hint(add),
            }
        }
        EditError::InvalidValue { .. } => CommandError::usage(e.to_string()),
        EditError::Refused {
            message,
            places,
            hint,
        } => {
            let mut text = message;
            for place in &places {
                text.push_str(&format!("\n  {name}:{}: {}", place.line, place.what));
            }
            let error = CommandError::refused(text);
            match hint {
                Some(hint) => error.with_hint(hint),
                None => error,
            }
        }
        EditError::Unreadable(_) | EditError::Internal(_) => CommandError::refused(e.to_string()),
    }
}
