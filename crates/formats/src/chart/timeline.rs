//! The stage timeline: one swimlane per (deployment, stage) in promotion order, time across, a
//! band per release a stage ran (consecutive revisions with the same release are one band).

use crate::chart::axis::{day, ticks};
use crate::chart::{
    CHAR_WIDTH, FONT, Options, escape, gap_pattern, open_svg, px, release_colour, release_slot,
};
use edx_matrix_model::history::{History, Timeline, epoch_seconds};
use std::fmt::Write as _;

const PLOT_WIDTH: f64 = 960.0;
const LANE_HEIGHT: f64 = 22.0;
const LANE_GAP: f64 = 4.0;
/// Extra space between the lanes of two deployments.
const DEPLOYMENT_GAP: f64 = 8.0;
const LEGEND_HEIGHT: f64 = 30.0;
const AXIS_HEIGHT: f64 = 28.0;
/// The narrowest a band is drawn, so a revert or a move that lasted hours stays visible.
pub(super) const MIN_BAND_WIDTH: f64 = 4.0;
/// The outline of every band, as presentation attributes.
const BAND_OUTLINE: &str = "stroke=\"#4d4d4d\" stroke-width=\"0.75\"";

/// The lanes in promotion order: deployments in order of first appearance, each one's stages
/// in the order of [`History::stages`].
fn lanes(history: &History) -> Vec<&Timeline> {
    let mut deployments: Vec<&str> = Vec::new();
    for t in &history.timelines {
        if !deployments.contains(&t.deployment.as_str()) {
            deployments.push(&t.deployment);
        }
    }
    let stage_rank = |s: &str| {
        (history.stages.iter())
            .position(|x| x == s)
            .unwrap_or(usize::MAX)
    };
    let mut lanes: Vec<&Timeline> = history.timelines.iter().collect();
    // A stable sort keeps first-appearance order among stages of unknown rank.
    lanes.sort_by_key(|t| {
        let d = deployments.iter().position(|d| *d == t.deployment);
        (d, stage_rank(&t.stage))
    });
    lanes
}

/// The time range shown: from `since` (or the oldest change) to a little after the newest
/// revision, in seconds since the epoch.
pub(crate) fn time_range(history: &History, since: Option<i64>) -> (i64, i64) {
    let dates = (history.timelines.iter())
        .flat_map(|t| t.changes.iter().map(|c| &c.commit))
        .chain(&history.commits)
        .filter_map(|c| epoch_seconds(&c.date));
    let (mut first, mut last) = (i64::MAX, i64::MIN);
    for d in dates {
        first = first.min(d);
        last = last.max(d);
    }
    if first > last {
        (first, last) = (0, 0);
    }
    if let Some(since) = since {
        first = since;
        last = last.max(since);
    }
    let margin = ((last - first) / 30).max(86_400);
    (first, last + margin)
}

/// Renders the timeline of `history` as a standalone SVG document.
pub fn timeline(history: &History, options: &Options<'_>) -> String {
    let lanes = lanes(history);
    let (from, to) = time_range(history, options.since);
    let longest = (lanes.iter())
        .map(|t| t.deployment.chars().count() + t.stage.chars().count() + 3)
        .max()
        .unwrap_or(10);
    let label_width = (longest as f64 * CHAR_WIDTH + 16.0).clamp(80.0, 280.0);
    let left = label_width;
    let x_of = |t: i64| left + (t - from) as f64 / (to - from).max(1) as f64 * PLOT_WIDTH;
    let deployments = {
        let mut seen: Vec<&str> = Vec::new();
        for t in &lanes {
            if !seen.contains(&t.deployment.as_str()) {
                seen.push(&t.deployment);
            }
        }
        seen.len()
    };
    let lanes_height = lanes.len() as f64 * (LANE_HEIGHT + LANE_GAP)
        + deployments.saturating_sub(1) as f64 * DEPLOYMENT_GAP;
    let width = left + PLOT_WIDTH + 16.0;
    let height = LEGEND_HEIGHT + lanes_height + AXIS_HEIGHT;
    let mut out = String::with_capacity(256 * lanes.len() + 4096);
    let title = format!(
        "Release of each stage over time, from the history of {}",
        history.file
    );
    open_svg(&mut out, width, height, "timeline", &title);
    let gaps = lanes
        .iter()
        .any(|t| t.changes.iter().any(|c| c.unreadable.is_some()));
    if gaps {
        gap_pattern(&mut out, "timeline");
    }
    let slot = |release: &str| release_slot(history.releases.iter().map(String::as_str), release);
    // Legend: the releases that appear, in release order.
    let mut shown: Vec<&str> = Vec::new();
    for t in &lanes {
        for c in &t.changes {
            if let Some(r) = c.release.as_deref() {
                if !shown.contains(&r) {
                    shown.push(r);
                }
            }
        }
    }
    let rank = |r: &str| history.releases.iter().position(|x| x == r);
    shown.sort_by_key(|r| rank(r).unwrap_or(usize::MAX));
    out.push_str("<g class=\"legend\">\n");
    let mut x = left;
    for r in &shown {
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"#555\" stroke-width=\"0.5\"/>\
             <text x=\"{}\" y=\"18\">{}</text>",
            px(x),
            release_colour(slot(r)),
            px(x + 16.0),
            escape(r)
        );
        x += 16.0 + r.chars().count() as f64 * CHAR_WIDTH + 14.0;
    }
    out.push_str("</g>\n");
    // Grid and axis.
    let axis_y = LEGEND_HEIGHT + lanes_height;
    out.push_str("<g class=\"axis\" stroke=\"#d8d8d8\">\n");
    let ticks = ticks(from, to, 12);
    for (at, _) in &ticks {
        let x = px(x_of(*at));
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            px(LEGEND_HEIGHT - 2.0),
            px(axis_y + 4.0)
        );
    }
    out.push_str("</g>\n<g class=\"axis-labels\" fill=\"#333\" text-anchor=\"middle\">\n");
    for (at, label) in &ticks {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\"><title>{}</title>{}</text>",
            px(x_of(*at)),
            px(axis_y + 18.0),
            day(*at),
            escape(label)
        );
    }
    out.push_str("</g>\n");
    // Lanes.
    let mut y = LEGEND_HEIGHT;
    let mut previous_deployment: Option<&str> = None;
    for lane in &lanes {
        if previous_deployment.is_some_and(|d| d != lane.deployment) {
            y += DEPLOYMENT_GAP;
        }
        previous_deployment = Some(&lane.deployment);
        let _ = writeln!(
            out,
            "<g class=\"lane\" data-deployment=\"{}\" data-stage=\"{}\">\n\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#1a1a1a\">{} · {}</text>\n\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f6f6f6\"/>",
            escape(&lane.deployment),
            escape(&lane.stage),
            px(left - 8.0),
            px(y + LANE_HEIGHT / 2.0 + FONT / 3.0),
            escape(&lane.deployment),
            escape(&lane.stage),
            px(left),
            px(y),
            px(PLOT_WIDTH),
            px(LANE_HEIGHT),
        );
        for (i, change) in lane.changes.iter().enumerate() {
            if let Some(unreadable) = &change.unreadable {
                write_gap(&mut out, lane, i, unreadable, (&x_of, from, to), y);
                continue;
            }
            let Some(release) = change.release.as_deref() else {
                continue;
            };
            let Some(start) = epoch_seconds(&change.commit.date) else {
                continue;
            };
            let next = lane.changes.get(i + 1);
            let end = next
                .and_then(|n| epoch_seconds(&n.commit.date))
                .unwrap_or(to);
            if end < from {
                continue;
            }
            let x0 = x_of(start.max(from));
            let w = (x_of(end) - x0).max(MIN_BAND_WIDTH);
            let until = match next {
                Some(n) => n.commit.day().to_owned(),
                None => "now".to_owned(),
            };
            let days = (end.min(to) - start) as f64 / 86_400.0;
            let summary = format!(
                "{release}: {} · {}\n{} – {until} ({} day{})\ncommit {}: {}",
                lane.deployment,
                lane.stage,
                change.commit.day(),
                px(days),
                if (days - 1.0).abs() < f64::EPSILON {
                    ""
                } else {
                    "s"
                },
                change.commit.short_hash,
                crate::terminal::safe(&change.commit.subject)
            );
            let link = options.link.map(|link| {
                let previous = history.previous(&change.commit.hash);
                link(&change.commit, previous)
            });
            if let Some(href) = &link {
                let _ = write!(out, "<a href=\"{}\">", escape(href));
            }
            let _ = write!(
                out,
                "<g class=\"band{}\" data-release=\"{}\" data-commit=\"{}\"><title>{}</title>\
                 <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" {BAND_OUTLINE}/>",
                if next.is_none() { " current" } else { "" },
                escape(release),
                escape(&change.commit.hash),
                escape(&summary),
                px(x0),
                px(y + 1.0),
                px(w),
                px(LANE_HEIGHT - 2.0),
                release_colour(slot(release)),
            );
            if w >= release.chars().count() as f64 * CHAR_WIDTH + 8.0 {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\">{}</text>",
                    px(x0 + 4.0),
                    px(y + LANE_HEIGHT / 2.0 + FONT / 3.0),
                    escape(release)
                );
            }
            out.push_str("</g>");
            if link.is_some() {
                out.push_str("</a>");
            }
            out.push('\n');
        }
        out.push_str("</g>\n");
        y += LANE_HEIGHT + LANE_GAP;
    }
    out.push_str("</svg>\n");
    out
}

/// Draws the span a gap of unreadable revisions hides in a lane (from the first unreadable
/// revision to the next readable one, or the end), hatched, its reason on hover: what the stage
/// ran there is unknown, so no band is drawn across it.
fn write_gap(
    out: &mut String,
    lane: &Timeline,
    i: usize,
    unreadable: &edx_matrix_model::history::Unreadable,
    (x_of, from, to): (&dyn Fn(i64) -> f64, i64, i64),
    y: f64,
) {
    let change = &lane.changes[i];
    let Some(start) = epoch_seconds(&change.commit.date) else {
        return;
    };
    let next = lane.changes.get(i + 1);
    let end = next
        .and_then(|n| epoch_seconds(&n.commit.date))
        .unwrap_or(to);
    if end < from {
        return;
    }
    let x0 = x_of(start.max(from));
    let w = (x_of(end) - x0).max(MIN_BAND_WIDTH);
    let until = next.map_or("now", |n| n.commit.day());
    let summary = format!(
        "unreadable: {} · {}\n{} – {until}: what the stage ran is unknown\ncommit {}: {}\n{}: {}",
        lane.deployment,
        lane.stage,
        change.commit.day(),
        change.commit.short_hash,
        crate::terminal::safe(&change.commit.subject),
        unreadable.location,
        unreadable.reason,
    );
    let _ = writeln!(
        out,
        "<g class=\"gap\" data-commit=\"{}\"><title>{}</title>\
         <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"url(#timeline-gap)\" {BAND_OUTLINE} stroke-dasharray=\"3 2\"/></g>",
        escape(&change.commit.hash),
        escape(&summary),
        px(x0),
        px(y + 1.0),
        px(w),
        px(LANE_HEIGHT - 2.0),
    );
}
