//! Times the two charts on a large synthetic history: REVISIONS revisions (default 1,000) of a
//! matrix with LANES (deployment, stage) lanes (default 50: 10 deployments × 5 stages) and 8
//! releases, one revision every 26 hours; each revision moves CHANGES lanes (default 3) to
//! another release, so a lane changes about REVISIONS × CHANGES / LANES times. Prints the best
//! of RUNS (default 20) render times and the SVG sizes. Run by `benches/history-charts.sh`:
//!
//!     cargo run --release -p edx-matrix-project --example render_bench
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::chart::{Options, lead_times, timeline};
use edx_matrix_project::git::history::{CommitRef, History, LeadTime, Timeline, TimelineEvent};
use std::time::Instant;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn date(seconds: i64) -> String {
    // 2022-01-01T00:00:00Z plus `seconds`, as git prints dates.
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    // Days to a civil date (Howard Hinnant), from 2022-01-01 = day 18993.
    let z = days + 18_993 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:00Z",
        rest / 3600,
        rest % 3600 / 60
    )
}

fn main() {
    let revisions = env("REVISIONS", 1000);
    let lanes = env("LANES", 50);
    let changes = env("CHANGES", 3);
    let runs = env("RUNS", 20);
    let stages = ["CI", "Dev", "QA", "Staging", "Production"];
    let releases: Vec<String> = (0..8).map(|i| format!("release-{i:02}")).collect();
    let commits: Vec<CommitRef> = (0..revisions)
        .map(|i| CommitRef {
            hash: format!("{:040x}", i * 2_654_435_761 + 1),
            short_hash: format!("{:07x}", i * 2_654_435_761 + 1)[..7].to_owned(),
            date: date(i as i64 * 26 * 3600),
            subject: format!("revision {i}: move some stages <& \"escape\" me>"),
        })
        .collect();
    let mut timelines: Vec<Timeline> = (0..lanes)
        .map(|l| Timeline {
            deployment: format!("deployment-{:02}", l / stages.len()),
            stage: stages[l % stages.len()].to_owned(),
            changes: vec![TimelineEvent {
                release: Some(releases[0].clone()),
                commit: commits[0].clone(),
                unreadable: None,
            }],
        })
        .collect();
    for (i, commit) in commits.iter().enumerate().skip(1) {
        for k in 0..changes {
            let lane = (i * 7 + k * 13) % lanes;
            let t = &mut timelines[lane];
            let next = (t.changes.len()) % releases.len();
            t.changes.push(TimelineEvent {
                release: Some(releases[next].clone()),
                commit: commit.clone(),
                unreadable: None,
            });
        }
    }
    let leads: Vec<LeadTime> = (0..lanes / stages.len())
        .flat_map(|d| {
            let commits = &commits;
            releases.iter().enumerate().map(move |(r, release)| {
                let first = commits[(r * revisions / 8).min(revisions - 1)].clone();
                let last = (r < 6).then(|| {
                    commits[((r * revisions / 8) + revisions / 10 + d).min(revisions - 1)].clone()
                });
                LeadTime {
                    deployment: format!("deployment-{d:02}"),
                    release: release.clone(),
                    seconds: last.as_ref().map(|_| 0),
                    first_stage: Some(first),
                    last_stage: last,
                    rolling: false,
                    bound: None,
                    omitted: None,
                }
            })
        })
        .collect();
    let bands: usize = timelines.iter().map(|t| t.changes.len()).sum();
    let history = History {
        file: "edx-matrix.toml".to_owned(),
        revisions,
        first_stage: Some("CI".to_owned()),
        last_stage: Some("Production".to_owned()),
        timelines,
        lead_times: leads,
        skipped: Vec::new(),
        deployments_seen: Vec::new(),
        releases,
        stages: stages.iter().map(|s| (*s).to_owned()).collect(),
        commits,
    };
    let link = |c: &CommitRef, p: Option<&CommitRef>| match p {
        Some(p) => format!("/diff?base={}&head={}", p.hash, c.hash),
        None => format!("/diff?head={}", c.hash),
    };
    let options = Options {
        since: None,
        link: Some(&link),
    };
    let mut best = [f64::INFINITY; 2];
    let mut sizes = [0; 2];
    for _ in 0..runs {
        let t = Instant::now();
        let svg = timeline(&history, &options);
        best[0] = best[0].min(t.elapsed().as_secs_f64());
        sizes[0] = svg.len();
        let t = Instant::now();
        let svg = lead_times(&history, &options);
        best[1] = best[1].min(t.elapsed().as_secs_f64());
        sizes[1] = svg.len();
    }
    println!(
        "{revisions} revisions × {lanes} lanes, {changes} lane moves per revision: {bands} bands; best of {runs}"
    );
    println!();
    println!("| chart | best render time | SVG size |");
    println!("|---|---|---|");
    println!(
        "| timeline (with diff links) | {:.1} ms | {} KB |",
        best[0] * 1000.0,
        sizes[0] / 1024
    );
    println!(
        "| lead times ({} bars) | {:.1} ms | {} KB |",
        history.lead_times.len(),
        best[1] * 1000.0,
        sizes[1] / 1024
    );
}
