//! The byte scan (`headers.rs`) against the lexer's cut (`lexer_oracle.rs`), and the threaded
//! read against the one-thread read: texts generated from the spellings that decide where a
//! header is (strings of every kind holding brackets, `#` and header lines, comments, arrays
//! across lines, CRLF line ends, spaced and commented headers), valid and broken.

use super::super::oracle::outcome;
use super::super::{parse_by_blocks, parse_whole};
use super::lexer_oracle::blocks_by_lexer;
use super::{blocks, read_blocks_on};
use proptest::prelude::*;

/// A value whose text may hold what looks like a header, a comment or a bracket.
fn value() -> impl Strategy<Value = String> {
    let inner = prop::sample::select(vec![
        "",
        "[[map]]",
        "[map.apps]",
        "[releases]",
        "#",
        "]",
        "[",
        "{",
        "}",
        "x",
        " ",
    ]);
    (0..8u8, inner.clone(), inner).prop_map(|(kind, a, b)| match kind {
        0 => format!("\"{a}{b}\""),
        1 => format!("'{a}{b}'"),
        2 => format!("\"\"\"\n{a}\n{b}\n\"\"\""),
        3 => format!("'''\n{a}\n{b}\n'''"),
        4 => format!("\"a\\\"{a}\\\\\""),
        5 => format!("\"\"\"{a}\\\"\"\"\n{b}\"\"\"\""),
        6 => format!("[\n  \"{a}\", # {b}\n  '{b}',\n]"),
        _ => format!("{{ x = \"{a}\", y = ['{b}'] }}"),
    })
}

/// One line (or several) of a matrix-like file.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("[[map]]".to_owned()),
        2 => Just("[map.apps]".to_owned()),
        1 => Just("[ [ map ] ] # block".to_owned()),
        1 => Just("  [ map.apps ] # it's".to_owned()),
        1 => Just("[releases]".to_owned()),
        1 => Just("[lints] # [[map]]".to_owned()),
        1 => Just("# [[map]] commented".to_owned()),
        1 => Just("[\"map\"]".to_owned()),
        4 => (0..20u8, value()).prop_map(|(k, v)| format!("k{k} = {v}")),
        1 => Just(String::new()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    (prop::collection::vec(line(), 0..24), any::<bool>()).prop_map(|(lines, crlf)| {
        let end = if crlf { "\r\n" } else { "\n" };
        lines.iter().map(|l| format!("{l}{end}")).collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// On every text the lexer cuts, the scan cuts at the same offsets; where the lexer gives
    /// up, the scan gives up too, or cuts a text that is not valid TOML.
    #[test]
    fn the_scan_cuts_where_the_lexer_cuts(text in text()) {
        match (blocks(&text), blocks_by_lexer(&text)) {
            (ours, Some(theirs)) => prop_assert_eq!(ours, Some(theirs)),
            (Some(_), None) => prop_assert!(toml_edit::Document::parse(text.as_str()).is_err()),
            (None, None) => {}
        }
    }

    /// Broken anywhere (a byte removed), a text read by blocks reads as the whole document.
    #[test]
    fn a_broken_text_read_by_blocks_is_the_whole_document_s(text in text(), cut in any::<prop::sample::Index>()) {
        let mut bytes = text.into_bytes();
        if !bytes.is_empty() {
            bytes.remove(cut.index(bytes.len()));
        }
        let Ok(text) = String::from_utf8(bytes) else { return Ok(()) };
        if let Some(split) = parse_by_blocks(&text) {
            let whole = parse_whole(&text);
            prop_assert!(whole.is_ok(), "by blocks: read; whole: {:?}", whole.err());
            if let Ok(whole) = whole {
                prop_assert_eq!(outcome(split, &text), outcome(whole, &text));
            }
        }
    }
}

/// A matrix of `n` blocks, one deployment each, with a template and an escape here and there.
fn matrix_of(n: usize) -> String {
    let mut text = String::from(
        "stages = [\"CI\"]\n\n[releases]\nulmo = { branch = \"release/ulmo\" }\n\n[applications]\n",
    );
    for a in 0..5 {
        text.push_str(&format!(
            "a{a} = {{ kind = \"ida\", repository = \"https://github.com/openedx/a{a}\" }}\n"
        ));
    }
    text.push_str("\n[deployments]\n");
    for d in 0..n {
        text.push_str(&format!("d{d} = {{ CI = \"ulmo\" }}\n"));
    }
    for d in 0..n {
        text.push_str(&format!(
            "\n[[map]]\nreleases = [\"ulmo\"]\ndeployments = [\"d{d}\"]\n[map.apps]\na0 = {{}}\na1 = {{ branch = \"{{deployment}}/x\" }}\na2 = {{ origin = \"https://github.com/f\\u0061rk/a2\" }}\na{} = {{ bogus = 1 }}\n",
            3 + d % 2
        ));
    }
    text
}

#[test]
fn the_threads_read_what_one_thread_reads() {
    // Runs of 16 blocks: several runs per thread, the last one short.
    let text = matrix_of(100);
    let cut = blocks(&text).expect("plain layout");
    assert_eq!(cut.len(), 100);
    let one = format!("{:#?}", read_blocks_on(&text, &cut, 0).expect("reads"));
    // The unknown key of each block is a diagnostic: the order of the diagnostics is checked.
    assert!(one.contains("bogus"), "{one}");
    for threads in 1..=5 {
        let many = format!(
            "{:#?}",
            read_blocks_on(&text, &cut, threads).expect("reads")
        );
        assert!(one == many, "{threads} threads read otherwise");
    }
}

#[test]
fn a_refused_block_stops_every_thread_count() {
    for bad in [0, 17, 50, 99] {
        let text = matrix_of(100);
        let cut = blocks(&text).expect("plain layout");
        // A key set twice: the builder refuses the block (`toml_edit` reports it).
        let at = cut[bad].end - 1;
        let text = format!("{}a0 = {{}}\n{}", &text[..at + 1], &text[at + 1..]);
        let cut = blocks(&text).expect("plain layout");
        for threads in 0..=3 {
            assert!(
                read_blocks_on(&text, &cut, threads).is_none(),
                "block {bad}, {threads} threads"
            );
        }
    }
}
