//! `edx-matrix history`: from the git history of the matrix file, the releases every stage ran
//! and when each change landed, and the lead time of each release from CI to Production. The
//! history itself is read by [`edx_matrix_project::git::history`], which the dashboard shares.

use crate::args::WriteArgs;
use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError};
use crate::format::{Allowed, Format, formats};
use crate::matrix_file;
use crate::matrix_repo::{self, git_error};
use crate::names::parse;
use crate::output::{Output, render_table, table};
use edx_matrix_formats::chart::Options;
use edx_matrix_formats::{safe, safe_lines};
use edx_matrix_model::UnknownName;
use edx_matrix_model::known_names::NameKind;
use edx_matrix_model::names::DeploymentName;
use edx_matrix_project::git::history::{
    CommitRef, History, example, file_history, format_duration, parse_day,
};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// The formats of `history`.
const FORMATS: Allowed = &[
    (Format::Human, "Aligned tables"),
    (Format::Json, "JSON"),
    (Format::Svg, "A standalone SVG chart (see `--chart`)"),
];

#[derive(clap::Args, Debug)]
pub(crate) struct HistoryArgs {
    /// Only this deployment
    #[arg(long, short = 'd', value_parser = parse::deployment)]
    pub deployment: Option<DeploymentName>,
    /// Only what happened from this day on (YYYY-MM-DD, UTC, by author date); each stage keeps
    /// the release it ran that day
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Output format
    #[arg(long, value_parser = formats(FORMATS), default_value_t = Format::Human)]
    pub format: Format,
    /// With `--format svg`: which chart
    #[arg(long, value_enum, default_value_t = HistoryChart::Timeline)]
    pub chart: HistoryChart,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// The charts of `history --format svg`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HistoryChart {
    /// One swimlane per (deployment, stage), a band per release it ran
    Timeline,
    /// Days from the first stage to the last, per (deployment, release)
    LeadTimes,
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &HistoryArgs) -> CmdResult {
    let since = match &args.since {
        Some(day) => Some(
            parse_day(day).map_err(|e| CommandError::usage(format!("invalid `--since`: {e}")))?,
        ),
        None => None,
    };
    let started = std::time::Instant::now();
    let (history, file) = if global.example {
        // The built-in example carries a synthetic history, read like a git one.
        (example::history(None), example::FILE.to_owned())
    } else {
        let mr = matrix_repo::open(global, "history")?;
        let history = if crate::matrix_file::is_python_package(&mr.file) {
            edx_matrix_project::git::package_history(&mr.repo, &mr.path, None)
        } else {
            file_history(&mr.repo, &mr.path, None)
        }
        .map_err(git_error)?;
        (history, mr.path)
    };
    out.detail(&format!(
        "read {} of `{file}` in {:.1} ms (dates are author dates)",
        crate::output::count(history.revisions, "revision", "revisions"),
        started.elapsed().as_secs_f64() * 1000.0
    ));
    if history.revisions == 0 {
        return Err(CommandError::usage(format!(
            "`{file}` has no committed history"
        )));
    }
    let deployment = args.deployment.as_ref().map(DeploymentName::as_str);
    if let Some(want) = deployment {
        if !history.deployments_seen.iter().any(|d| d == want) {
            // Any deployment some revision had is a known name here.
            let unknown = UnknownName::new(
                NameKind::Deployment.what(),
                want,
                history.deployments_seen.iter().map(String::as_str),
            );
            return Err(CommandError::unknown(&unknown));
        }
    }
    let history = if args.deployment.is_some() || since.is_some() {
        history.narrowed(deployment, since)
    } else {
        history
    };
    if args.format != Format::Svg
        && (args.write.output.is_some() || args.chart != HistoryChart::Timeline)
    {
        return Err(CommandError::usage(
            "`--chart` and `--output` go with `--format svg`",
        ));
    }
    match args.format {
        Format::Json => out.json(&history)?,
        Format::Svg => {
            let options = Options { since, link: None };
            let svg = match args.chart {
                HistoryChart::Timeline => edx_matrix_formats::chart::timeline(&history, &options),
                HistoryChart::LeadTimes => {
                    edx_matrix_formats::chart::lead_times(&history, &options)
                }
            };
            write_svg(out, &args.write, &svg)?;
        }
        _ => out.print(&render(&history))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn write_svg(out: &Output, write: &WriteArgs, svg: &str) -> Result<(), CommandError> {
    match &write.output {
        Some(path) if path != Path::new("-") => matrix_file::write_new(path, svg, write.force)?,
        _ => out.print(svg)?,
    }
    Ok(())
}

fn render(history: &History) -> String {
    let mut text = format!(
        "history of `{}`: {} revision{}, {} skipped\n",
        history.file,
        history.revisions,
        if history.revisions == 1 { "" } else { "s" },
        history.skipped.len()
    );
    if !history.timelines.is_empty() {
        text.push('\n');
        let mut t = table(&[
            "deployment",
            "stage",
            "release",
            "since",
            "commit",
            "subject",
        ]);
        for timeline in &history.timelines {
            for (i, change) in timeline.changes.iter().enumerate() {
                let (d, s) = if i == 0 {
                    (timeline.deployment.clone(), timeline.stage.clone())
                } else {
                    (String::new(), String::new())
                };
                // Names of old revisions and commit subjects come from git: shown escaped.
                t.add_row([
                    safe(&d).into_owned(),
                    safe(&s).into_owned(),
                    match (&change.release, &change.unreadable) {
                        (Some(r), _) => safe(r).into_owned(),
                        // A gap: no state is carried across it (the reason is listed below).
                        (None, Some(_)) => "(unreadable)".to_owned(),
                        (None, None) => "(removed)".to_owned(),
                    },
                    change.commit.day().to_owned(),
                    change.commit.short_hash.clone(),
                    safe(&change.commit.subject).into_owned(),
                ]);
            }
        }
        text.push_str(&render_table(&t));
    }
    if !history.lead_times.is_empty() {
        let first = safe(history.first_stage.as_deref().unwrap_or("first stage"));
        let last = safe(history.last_stage.as_deref().unwrap_or("last stage"));
        let _ = writeln!(text, "\nlead time from `{first}` to `{last}`");
        let at = |c: &Option<CommitRef>| {
            c.as_ref().map_or_else(
                || "-".to_owned(),
                |c| format!("{} {}", c.day(), c.short_hash),
            )
        };
        let mut t = table(&["deployment", "release", &first, &last, "lead time"]);
        for lead in &history.lead_times {
            t.add_row([
                safe(&lead.deployment).into_owned(),
                safe(&lead.release).into_owned(),
                at(&lead.first_stage),
                at(&lead.last_stage),
                lead_time(lead),
            ]);
        }
        text.push_str(&render_table(&t));
    }
    if !history.skipped.is_empty() {
        text.push_str("\nskipped revisions (the file does not load without errors)\n");
        for s in &history.skipped {
            let _ = writeln!(
                text,
                "  {}  {}  {}: {}",
                s.commit.day(),
                s.commit.short_hash,
                safe(&s.commit.subject),
                safe_lines(&s.reason)
            );
        }
    }
    text
}

/// A lead time as the table shows it: a rolling line has none, a gap makes it a bound or
/// unknown (with why).
fn lead_time(lead: &edx_matrix_project::git::history::LeadTime) -> String {
    use edx_matrix_project::git::history::Bound;
    if lead.rolling {
        return "rolling".to_owned();
    }
    if let Some(why) = &lead.omitted {
        return format!("unknown ({why})");
    }
    let Some(seconds) = lead.seconds else {
        return "-".to_owned();
    };
    match lead.bound {
        Some(Bound::AtLeast) => format!("≥ {}", format_duration(seconds)),
        Some(Bound::AtMost) => format!("≤ {}", format_duration(seconds)),
        None => format_duration(seconds),
    }
}
