//! `edx-matrix explain CODE`: every code section of docs/diagnostics.md, printed by the binary
//! that embeds it; an unknown code; `--format json`.

use crate::harness::Env;
use serde_json::Value;

const DOC: &str = include_str!("../../../../docs/diagnostics.md");

/// The code sections of the doc, read here without the binary's parser: (code, text under
/// the heading up to the next heading).
fn sections() -> Vec<(String, String)> {
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut inside = false;
    for line in DOC.lines() {
        if line.starts_with('#') {
            inside = false;
            if let Some(code) = line.strip_prefix("### `").and_then(|r| r.strip_suffix('`')) {
                sections.push((code.to_owned(), String::new()));
                inside = true;
            }
            continue;
        }
        if let (true, Some((_, text))) = (inside, sections.last_mut()) {
            text.push_str(line);
            text.push('\n');
        }
    }
    sections
        .into_iter()
        .map(|(code, text)| (code, text.trim().to_owned()))
        .collect()
}

#[test]
fn explain_prints_every_code_s_section_of_the_doc() {
    let env = Env::new();
    let sections = sections();
    assert!(sections.len() >= 45, "{} sections", sections.len());
    for (code, text) in &sections {
        let run = env.run(&["explain", code]);
        assert_eq!(run.ok(), format!("{code}\n\n{text}\n"), "{code}");
        let run = env.run(&["explain", code, "--format", "json"]);
        let json: Value = serde_json::from_str(run.ok()).unwrap();
        assert_eq!(json["code"], code.as_str());
        assert_eq!(json["text"], text.as_str());
        let severity = json["severity"].as_str().unwrap();
        assert!(
            text.starts_with(&format!("**{severity}**")),
            "{code}: {severity} vs {text}"
        );
        assert!(!json["description"].as_str().unwrap().is_empty());
    }
}

#[test]
fn explain_an_unknown_code_suggests_the_closest() {
    let env = Env::new();
    let run = env.run(&["explain", "undefined-relase"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        // The closest first: one edit away, then three.
        "error: unknown diagnostic code `undefined-relase`\n\
         hint: did you mean `undefined-release` or `undefined-stage`?\n"
    );
    assert!(run.stdout.is_empty());
    let run = env.run(&["explain", "nothing-like-it"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: unknown diagnostic code `nothing-like-it`\n"
    );
}
