//! The lead-time chart: per (deployment, release), the days from the first commit where the
//! deployment's first stage ran the release to the first where its last stage did, as bars
//! grouped by release in release order. A release not at the last stage yet is drawn open-ended,
//! up to the newest revision.

use crate::chart::timeline::time_range;
use crate::chart::{
    CHAR_WIDTH, FONT, Options, escape, gap_pattern, open_svg, px, release_colour, release_slot,
};
use edx_matrix_model::history::{History, LeadTime, epoch_seconds};
use std::fmt::Write as _;

const PLOT_WIDTH: f64 = 640.0;
const ROW_HEIGHT: f64 = 20.0;
const HEADER_HEIGHT: f64 = 22.0;
const TOP: f64 = 12.0;
const AXIS_HEIGHT: f64 = 28.0;
const NOTE_HEIGHT: f64 = 20.0;

/// One bar: a lead time with a start, and its length in days.
struct Bar<'a> {
    lead: &'a LeadTime,
    days: f64,
    done: bool,
}

/// The day steps of the axis, the first that gives at most 8 ticks.
const STEPS: [f64; 12] = [
    1.0, 2.0, 5.0, 7.0, 14.0, 30.0, 60.0, 90.0, 180.0, 365.0, 730.0, 1825.0,
];

/// Renders the lead times of `history` as a standalone SVG document. `options.since` only
/// moves the end of open-ended bars' reference range; the history is expected narrowed already.
pub fn lead_times(history: &History, options: &Options<'_>) -> String {
    let (_, end) = time_range(history, options.since);
    let newest = (history.commits.iter())
        .filter_map(|c| epoch_seconds(&c.date))
        .max()
        .unwrap_or(end);
    let first = history.first_stage.as_deref().unwrap_or("the first stage");
    let last = history.last_stage.as_deref().unwrap_or("the last stage");
    let mut bars: Vec<Bar<'_>> = Vec::new();
    let mut not_shown = 0;
    for lead in &history.lead_times {
        let start = lead
            .first_stage
            .as_ref()
            .and_then(|c| epoch_seconds(&c.date));
        match (start, lead.seconds, &lead.last_stage) {
            (Some(_), Some(seconds), _) => bars.push(Bar {
                lead,
                days: seconds as f64 / 86_400.0,
                done: true,
            }),
            (Some(start), None, None) => bars.push(Bar {
                lead,
                days: (newest - start).max(0) as f64 / 86_400.0,
                done: false,
            }),
            _ => not_shown += 1,
        }
    }
    // Group by release, in release order; within a release, the history's order.
    let rank = |r: &str| history.releases.iter().position(|x| x == r);
    let mut releases: Vec<&str> = Vec::new();
    for bar in &bars {
        if !releases.contains(&bar.lead.release.as_str()) {
            releases.push(&bar.lead.release);
        }
    }
    releases.sort_by_key(|r| rank(r).unwrap_or(usize::MAX));
    let longest = (bars.iter())
        .map(|b| b.lead.deployment.chars().count())
        .chain(releases.iter().map(|r| r.chars().count()))
        .max()
        .unwrap_or(8);
    let left = (longest as f64 * CHAR_WIDTH + 24.0).clamp(80.0, 240.0);
    let max_days = bars.iter().map(|b| b.days).fold(1.0_f64, f64::max);
    let step = STEPS
        .into_iter()
        .find(|s| max_days / s <= 8.0)
        .unwrap_or(1825.0);
    let axis_days = (max_days / step).ceil().max(1.0) * step;
    // Room for the label after the longest bar.
    let scale = (PLOT_WIDTH - 120.0) / axis_days;
    let rows_height = releases.len() as f64 * HEADER_HEIGHT + bars.len() as f64 * ROW_HEIGHT;
    let width = left + PLOT_WIDTH + 16.0;
    let height = TOP + rows_height + AXIS_HEIGHT + NOTE_HEIGHT;
    let mut out = String::with_capacity(512 * bars.len() + 2048);
    let title = format!("Lead time from {first} to {last}, by release");
    open_svg(&mut out, width, height, "lead-times", &title);
    if bars.iter().any(|b| b.lead.bound.is_some()) {
        gap_pattern(&mut out, "lead-times");
    }
    let axis_y = TOP + rows_height;
    out.push_str("<g class=\"axis\" stroke=\"#d8d8d8\">\n");
    let mut tick = 0.0;
    let mut labels = String::new();
    while tick <= axis_days + f64::EPSILON {
        let x = px(left + tick * scale);
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            px(TOP),
            px(axis_y + 4.0)
        );
        let _ = writeln!(
            labels,
            "<text x=\"{x}\" y=\"{}\">{} d</text>",
            px(axis_y + 18.0),
            px(tick)
        );
        tick += step;
    }
    let _ = write!(
        out,
        "</g>\n<g class=\"axis-labels\" fill=\"#333\" text-anchor=\"middle\">\n{labels}</g>\n"
    );
    let slot = |release: &str| release_slot(history.releases.iter().map(String::as_str), release);
    let mut y = TOP;
    for release in &releases {
        let colour = release_colour(slot(release));
        let _ = writeln!(
            out,
            "<g class=\"release-group\" data-release=\"{r}\">\n\
             <rect x=\"8\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{colour}\" stroke=\"#555\" stroke-width=\"0.5\"/>\
             <text x=\"26\" y=\"{}\" font-weight=\"bold\" fill=\"#1a1a1a\">{r}</text>",
            px(y + 5.0),
            px(y + 15.0),
            r = escape(release),
        );
        y += HEADER_HEIGHT;
        for bar in bars.iter().filter(|b| b.lead.release == *release) {
            let lead = bar.lead;
            let w = (bar.days * scale).max(2.0);
            let from = lead.first_stage.as_ref().map_or("", |c| c.day());
            let from_commit = lead
                .first_stage
                .as_ref()
                .map_or("", |c| c.short_hash.as_str());
            let summary = match (&lead.last_stage, bar.done) {
                (Some(to), true) => format!(
                    "{} · {release}: {} days from {first} ({from}, {from_commit}) to {last} ({}, {})",
                    lead.deployment,
                    px(bar.days),
                    to.day(),
                    to.short_hash
                ),
                _ => format!(
                    "{} · {release}: at {first} since {from} ({from_commit}), not at {last} yet: \
                     {} days so far",
                    lead.deployment,
                    px(bar.days)
                ),
            };
            // A rolling line is never "done"; a lead time across unreadable revisions is a bound.
            let label = match (lead.rolling, &lead.omitted, lead.bound, bar.done) {
                (true, _, _, _) => "rolling".to_owned(),
                (_, Some(_), _, _) => "unknown: unreadable revisions".to_owned(),
                (_, _, Some(edx_matrix_model::history::Bound::AtLeast), true) => {
                    format!("≥ {} d", px(bar.days))
                }
                (_, _, Some(edx_matrix_model::history::Bound::AtMost), true) => {
                    format!("≤ {} d", px(bar.days))
                }
                (_, _, _, true) => format!("{} d", px(bar.days)),
                _ => format!("{} d, in progress", px(bar.days)),
            };
            let summary = match (&lead.omitted, lead.bound) {
                (Some(why), _) => format!("{summary} (unknown: {why})"),
                (_, Some(_)) => {
                    format!("{summary} (a bound: unreadable revisions come right before one end)")
                }
                _ if lead.rolling => format!("{summary} (a rolling line: never finished)"),
                _ => summary,
            };
            let mid = y + ROW_HEIGHT / 2.0;
            let _ = write!(
                out,
                "<g class=\"lead\" data-deployment=\"{}\" data-release=\"{}\" data-state=\"{}\"><title>{}</title>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#1a1a1a\">{}</text>",
                escape(&lead.deployment),
                escape(release),
                if lead.rolling {
                    "rolling"
                } else if bar.done {
                    "done"
                } else {
                    "in-progress"
                },
                escape(&summary),
                px(left - 8.0),
                px(mid + FONT / 3.0),
                escape(&lead.deployment),
            );
            if bar.done {
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\" stroke=\"#4d4d4d\" stroke-width=\"0.75\"/>",
                    px(left),
                    px(y + 3.0),
                    px(w),
                    px(ROW_HEIGHT - 6.0)
                );
            } else {
                // Open-ended: no closing edge, dashed, and an arrowhead where it continues.
                let (x1, top, bottom) = (left + w, y + 3.0, y + ROW_HEIGHT - 3.0);
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\" fill-opacity=\"0.6\"/>\
                     <path d=\"M{} {}H{}M{} {}H{}\" stroke=\"#4d4d4d\" stroke-width=\"0.75\" stroke-dasharray=\"4 3\" fill=\"none\"/>\
                     <path d=\"M{} {}L{} {}L{} {}Z\" fill=\"#4d4d4d\"/>",
                    px(left),
                    px(top),
                    px(w),
                    px(bottom - top),
                    px(left),
                    px(top),
                    px(x1),
                    px(left),
                    px(bottom),
                    px(x1),
                    px(x1),
                    px(top),
                    px(x1 + 7.0),
                    px(mid),
                    px(x1),
                    px(bottom)
                );
            }
            if let Some(bound) = lead.bound {
                // A gap of unreadable revisions comes right before one end: the bar's length is
                // a bound, hatched over its colour, and says why on hover.
                let why = match bound {
                    edx_matrix_model::history::Bound::AtLeast => {
                        "at least: the first stage may have got the release earlier, inside a gap of unreadable revisions"
                    }
                    edx_matrix_model::history::Bound::AtMost => {
                        "at most: the last stage may have got the release earlier, inside a gap of unreadable revisions"
                    }
                };
                let _ = write!(
                    out,
                    "<g class=\"gap\"><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"url(#lead-times-gap)\"/></g>",
                    escape(why),
                    px(left),
                    px(y + 3.0),
                    px(w),
                    px(ROW_HEIGHT - 6.0)
                );
            }
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" fill=\"#1a1a1a\">{}</text></g>",
                px(left + w + if bar.done { 6.0 } else { 12.0 }),
                px(mid + FONT / 3.0),
                escape(&label)
            );
            y += ROW_HEIGHT;
        }
        out.push_str("</g>\n");
    }
    let note = if bars.is_empty() {
        format!("No release ran at {first} in this history.")
    } else if not_shown > 0 {
        format!(
            "Not shown: {not_shown} (deployment, release) that never ran at {first} in this \
             history, or reached {last} first."
        )
    } else {
        String::new()
    };
    if !note.is_empty() {
        let _ = writeln!(
            out,
            "<text class=\"note\" x=\"8\" y=\"{}\" fill=\"#555\">{}</text>",
            px(height - 6.0),
            escape(&note)
        );
    }
    out.push_str("</svg>\n");
    out
}
