//! Times each phase of loading a matrix file, in process: `bench_phases FILE [RUNS]`.
//! Used by `benches/bench.sh`; prints one line per phase with the best time over RUNS.
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::{Source, toml_load};
use edx_matrix_model::{Filter, check, resolve};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().expect("usage: bench_phases FILE [RUNS]");
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = std::fs::read_to_string(path).unwrap();
    let mut best = [Duration::MAX; 5];
    for _ in 0..runs {
        let t = Instant::now();
        let doc = toml_edit::Document::parse(text.as_str()).unwrap();
        let parse = t.elapsed();
        drop(doc);
        let t = Instant::now();
        let (matrix, _, _) = toml_load::read(&text);
        let read = t.elapsed();
        let t = Instant::now();
        let problems = check(&matrix);
        let checked = t.elapsed();
        let t = Instant::now();
        let rows = resolve(&matrix, &Filter::default()).rows;
        let resolved = t.elapsed();
        let t = Instant::now();
        let json = serde_json::to_vec(&rows).unwrap();
        let serialised = t.elapsed();
        for (b, d) in best
            .iter_mut()
            .zip([parse, read, checked, resolved, serialised])
        {
            *b = (*b).min(d);
        }
        let _ = (problems.len(), json.len(), Source::new("", ""));
    }
    for (name, d) in [
        "toml_edit parse",
        "parse + read (load)",
        "check",
        "resolve",
        "serialise JSON",
    ]
    .iter()
    .zip(best)
    {
        println!("{name:<22} {:>8.1} ms", d.as_secs_f64() * 1000.0);
    }
}
