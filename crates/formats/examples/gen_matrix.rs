//! Synthetic matrix generator for benchmarks (`benches/bench.sh`).
//!
//! `cargo run --release -p edx-matrix-formats --example gen_matrix -- DEPLOYMENTS STAGES APPS [explicit|compact]`
//! prints a valid `edx-matrix.toml` with DEPLOYMENTS x STAGES x APPS application versions: every
//! deployment runs a different release on each stage (so every entry is used), one app in ten has
//! a fork override, MFEs have paths.
#![allow(clippy::unwrap_used)]

use std::fmt::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_matrix DEPLOYMENTS STAGES APPS [explicit|compact]";
    let number = |i: usize| -> usize { args.get(i).and_then(|a| a.parse().ok()).expect(usage) };
    let (deployments, stages, apps) = (number(0), number(1), number(2));
    let compact = args.get(3).is_some_and(|a| a == "compact");
    print!("{}", generate(deployments, stages, apps, compact));
}

fn generate(deployments: usize, stages: usize, apps: usize, compact: bool) -> String {
    let mut out = String::with_capacity(deployments * stages * apps * 40);
    let stage_names: Vec<String> = (0..stages).map(|s| format!("S{s}")).collect();
    // Release r{s} is what stage s runs; later stages run older releases.
    let releases: Vec<String> = (0..stages).map(|s| format!("r{:03}", stages - s)).collect();
    writeln!(
        out,
        "# synthetic: {deployments} deployments x {stages} stages x {apps} apps"
    )
    .unwrap();
    writeln!(out, "stages = [{}]", quoted(&stage_names)).unwrap();
    out.push_str("\n[releases]\n");
    for r in &releases {
        writeln!(
            out,
            "{r} = {{ branch = \"release/{r}\", python = \"3.11\", node = \"20\" }}"
        )
        .unwrap();
    }
    out.push_str("\n[applications]\n");
    for a in 0..apps {
        if a % 3 == 0 {
            writeln!(out, "app{a} = {{ kind = \"mfe\", repository = \"https://github.com/openedx/app{a}\", path = \"p{a}\" }}").unwrap();
        } else {
            writeln!(
                out,
                "app{a} = {{ kind = \"ida\", repository = \"https://github.com/openedx/app{a}\" }}"
            )
            .unwrap();
        }
    }
    out.push_str("\n[deployments]\n");
    for d in 0..deployments {
        let pins: Vec<String> = stage_names
            .iter()
            .zip(&releases)
            .map(|(s, r)| format!("{s} = \"{r}\""))
            .collect();
        writeln!(out, "d{d} = {{ {} }}", pins.join(", ")).unwrap();
    }
    let app_line = |out: &mut String, a: usize, release: &str| {
        if a % 10 == 0 {
            writeln!(out, "app{a} = {{ origin = \"https://github.com/fork/app{a}\", branch = \"fork/{release}\" }}").unwrap();
        } else {
            writeln!(out, "app{a} = {{}}").unwrap();
        }
    };
    for d in 0..deployments {
        if compact {
            writeln!(
                out,
                "\n[[map]]\nreleases = [{}]\ndeployments = [\"d{d}\"]\n[map.apps]",
                quoted(&releases)
            )
            .unwrap();
            for a in 0..apps {
                app_line(&mut out, a, "{release}");
            }
        } else {
            for r in &releases {
                writeln!(
                    out,
                    "\n[[map]]\nreleases = [\"{r}\"]\ndeployments = [\"d{d}\"]\n[map.apps]"
                )
                .unwrap();
                for a in 0..apps {
                    app_line(&mut out, a, r);
                }
            }
        }
    }
    out
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
