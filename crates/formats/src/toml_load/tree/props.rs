//! Property tests of the tree builder against `toml_edit`: generated matrices (written in both
//! layouts) build `toml_edit`'s tree and read to the same matrix, source map and diagnostics;
//! the same files broken (a key set twice, a table defined twice, a dotted key into an inline
//! table, `[[map]]` against `[map]`, a cut) are refused wherever `toml_edit` reports an error,
//! so `check` reports it at the same place in the same words.

use super::super::oracle::{Agreement, agreement, outcomes};
use crate::toml_write::{Layout, write, write_faithful};
use edx_matrix_test_support::{TOML_SHAPES, matrix};
use proptest::prelude::*;

fn text_of(m: &edx_matrix_model::Matrix, faithful: bool) -> String {
    if faithful {
        write_faithful(m, &["t"])
    } else {
        write(m, Layout::Explicit, &["t"])
    }
}

/// Lines of `text` that `pick` may choose: `(index, line)` for which `keep` holds.
fn lines_where(text: &str, keep: impl Fn(&str) -> bool) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| keep(l))
        .map(|(i, l)| (i, l.to_owned()))
        .collect()
}

/// `text` broken by `mutation` at the line (or byte) `at` picks.
fn broken(text: &str, mutation: u8, at: usize) -> String {
    let pick = |n: usize| at % n.max(1);
    let lines: Vec<&str> = text.lines().collect();
    let with = |index: usize, extra: String| {
        let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        out.insert(index + 1, extra);
        out.join("\n") + "\n"
    };
    let key_value = |l: &str| !l.starts_with('[') && l.contains(" = ");
    match mutation {
        // A key set twice.
        0 => {
            let found = lines_where(text, key_value);
            match found.get(pick(found.len())) {
                Some((i, l)) => with(*i, l.clone()),
                None => text.to_owned(),
            }
        }
        // A header written twice: a table defined twice (or a second `[[map]]`, legal).
        1 => {
            let headers = lines_where(text, |l| l.starts_with('['));
            match headers.get(pick(headers.len())) {
                Some((i, l)) => with(*i, l.clone()),
                None => text.to_owned(),
            }
        }
        // `[[map]]` against `[map]`.
        2 => text.replacen("[[map]]", "[map]", 1 + pick(2)),
        // A dotted key into an inline table.
        3 => {
            let inline = lines_where(text, |l| key_value(l) && l.contains("= {"));
            match inline.get(pick(inline.len())) {
                Some((i, l)) => {
                    let key = l.split(" = ").next().unwrap_or_default().trim();
                    with(*i, format!("{key}.added = 1"))
                }
                None => text.to_owned(),
            }
        }
        // A header naming a value already set inline: `[releases.ulmo]` after `ulmo = {…}`.
        4 => {
            let mut section = String::new();
            let mut found = Vec::new();
            for l in text.lines() {
                if l.starts_with('[') {
                    section = l.trim_matches(['[', ']']).to_owned();
                } else if key_value(l) && !section.is_empty() {
                    found.push(format!(
                        "[{section}.{}]",
                        l.split(" = ").next().unwrap_or_default().trim()
                    ));
                }
            }
            match found.get(pick(found.len())) {
                Some(header) => format!("{text}{header}\n"),
                None => text.to_owned(),
            }
        }
        // An array of tables where a table is.
        5 => format!("{text}[[releases]]\n"),
        // The text cut anywhere.
        _ => {
            let mut cut = pick(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text[..cut].to_owned()
        }
    }
}

fn all_alike(text: &str) -> Result<(), TestCaseError> {
    let outcomes = outcomes(text);
    let (_, first) = &outcomes[0];
    for (path, outcome) in &outcomes[1..] {
        let line = first.lines().zip(outcome.lines()).position(|(a, b)| a != b);
        prop_assert!(
            first == outcome,
            "the builder and {} differ at line {:?}: {:?} vs {:?}\n{}",
            path,
            line,
            line.and_then(|n| first.lines().nth(n)),
            line.and_then(|n| outcome.lines().nth(n)),
            text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_matrices_build_toml_edit_s_tree(m in matrix(&TOML_SHAPES), faithful in any::<bool>()) {
        let text = text_of(&m, faithful);
        prop_assert_eq!(agreement(&text), Agreement::Same, "{}", text);
        all_alike(&text)?;
    }

    #[test]
    fn broken_matrices_are_toml_edit_s_errors(
        m in matrix(&TOML_SHAPES),
        faithful in any::<bool>(),
        mutation in 0u8..7,
        at in any::<usize>(),
    ) {
        let text = broken(&text_of(&m, faithful), mutation, at);
        match agreement(&text) {
            Agreement::Differs(d) => prop_assert!(false, "{}\n{}", d, text),
            Agreement::Same | Agreement::Refused(_) => {}
        }
        all_alike(&text)?;
    }
}

/// Each way of breaking a file breaks it: `toml_edit` reports an error the builder left to it.
#[test]
fn every_mutation_makes_a_toml_error() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/acme/edx-matrix.toml"
    ))
    .unwrap_or_default();
    for mutation in 0u8..7 {
        let errors = (0..40)
            .filter(|at| {
                agreement(&broken(&text, mutation, at * 7919)) == Agreement::Refused(false)
            })
            .count();
        assert!(errors > 0, "mutation {mutation} never breaks the file");
    }
}
