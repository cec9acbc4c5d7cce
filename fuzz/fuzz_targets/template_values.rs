//! Template values of any shape: the input is a program of small operations (nest in a list,
//! a dict, a tuple, a struct; pair a value with itself; repeat a string; nest in a loop of up to
//! 65,535 rounds), turned into a template that builds the value and returns it as a pipeline's
//! configuration, run under small bounds (100,000 steps, 16 MiB, depth 50). Rendering must never
//! panic or overflow the stack; every diagnostic must be on a line of the template; a value
//! nested deeper than the bound (the depth is computed here, not by the code under test) must
//! end in a bound's diagnostic, never in pipelines.
#![no_main]

use edx_matrix_formats::{Source, example, load_toml};
use edx_matrix_model::Matrix;
use edx_matrix_pipeline::{Settings, TemplateFiles, render_all, settings_of};
use libfuzzer_sys::fuzz_target;
use std::fmt::Write;
use std::sync::LazyLock;

const ENTRY: &str = "pipelines/values.star";
const DEPTH: usize = 50;

static EXAMPLE: LazyLock<(Matrix, Settings)> = LazyLock::new(|| {
    let text = example::TEXT.replacen(
        "templates   = [\"pipelines/*.star\"]",
        "templates   = [\"pipelines/*.star\"]\ntemplate_steps = 100000\ntemplate_memory_mib = 16\ntemplate_depth = 50",
        1,
    );
    assert_ne!(text, example::TEXT);
    let loaded = load_toml(Source::new(example::NAME, text));
    assert!(!loaded.has_errors());
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    (loaded.matrix, settings)
});

/// Returns the template the operations in `data` make, and the depth of the value it returns
/// (the pipeline list, its dict and the config dict count: 3 levels before `x`).
fn program(data: &[u8]) -> (String, usize) {
    let mut text = String::from("def pipelines(matrix, standard):\n    x = \"leaf\"\n");
    let mut depth = 0usize; // of `x`: 0 for a scalar
    let mut bytes = data.iter().copied();
    while let Some(op) = bytes.next() {
        let arg = bytes.next().unwrap_or(1);
        let line = match op % 8 {
            0 => {
                depth += 1;
                "x = [x]".to_owned()
            }
            1 => {
                depth += 1;
                "x = {\"k\": x}".to_owned()
            }
            2 => {
                depth += 1;
                "x = (x,)".to_owned()
            }
            3 => {
                depth += 1;
                "x = struct(a = x)".to_owned()
            }
            4 => {
                depth += 1;
                "x = [x, x]".to_owned()
            }
            5 => {
                depth += 1;
                format!("x = [\"{}\" * {}, x]", "ab", u32::from(arg) * 4096)
            }
            6 => {
                let rounds = u32::from(arg) << 8 | u32::from(bytes.next().unwrap_or(0));
                depth += rounds as usize;
                format!("for i in range({rounds}):\n        x = [x]")
            }
            _ => {
                depth += 1;
                format!("x = [x] * {}", u32::from(arg) * 16 + 1)
            }
        };
        let _ = writeln!(text, "    {line}");
    }
    text.push_str("    return [{\"name\": \"values\", \"config\": {\"jobs\": x}}]\n");
    (text, depth + 3)
}

fuzz_target!(|data: &[u8]| {
    let (matrix, settings) = &*EXAMPLE;
    let (text, depth) = program(data);
    let mut files = TemplateFiles::default();
    for (path, template) in example::TEMPLATES {
        files
            .files
            .insert((*path).to_owned(), (*template).to_owned());
    }
    files.files.insert(ENTRY.to_owned(), text.clone());
    // Only this template runs: the example's are there to be loaded.
    files.entries.push(ENTRY.to_owned());
    let outcome = render_all(matrix, settings, &files);
    for d in &outcome.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        if let Some(file) = files.files.get(&d.file) {
            assert!(d.line <= file.lines().count() + 1, "{d:?} past the end");
        }
    }
    if depth > DEPTH {
        assert!(outcome.has_errors(), "depth {depth} accepted:\n{text}");
        assert!(
            outcome.diagnostics.iter().any(|d| d.message.contains("template_")),
            "depth {depth} without a bound's diagnostic: {:?}\n{text}",
            outcome.diagnostics
        );
    }
    if outcome.has_errors() {
        assert!(outcome.pipelines.is_empty(), "pipelines rendered despite an error");
    }
});
