//! The tree builder against `toml_edit` (the oracle): the same tree, keys, order and spans,
//! wherever the builder builds one, and a refusal wherever `toml_edit` reports an error.

use super::super::oracle::{Agreement, agreement, outcomes};
use super::super::split::tests::toml_files;

#[test]
fn every_fixture_builds_toml_edit_s_tree_or_is_left_to_it() {
    let mut same = 0;
    let mut refused_valid = Vec::new();
    for file in toml_files() {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        match agreement(&text) {
            Agreement::Same => same += 1,
            Agreement::Refused(true) => refused_valid.push(file.clone()),
            Agreement::Refused(false) => {}
            Agreement::Differs(d) => panic!("{file:?}: {d}"),
        }
        let outcomes = outcomes(&text);
        let (_, first) = &outcomes[0];
        for (path, outcome) in &outcomes[1..] {
            let line = first.lines().zip(outcome.lines()).position(|(a, b)| a != b);
            assert!(
                first == outcome,
                "{file:?}: the builder and {path} differ at line {line:?}: {:?} vs {:?}",
                line.and_then(|n| first.lines().nth(n)),
                line.and_then(|n| outcome.lines().nth(n)),
            );
        }
    }
    // Valid fixtures the builder leaves to `toml_edit` cost time, not correctness: few.
    assert!(
        same >= 40,
        "only {same} fixtures built; left to toml_edit: {refused_valid:#?}"
    );
    assert!(
        refused_valid.len() <= 3,
        "left to toml_edit: {refused_valid:#?}"
    );
}

/// TOML the builder reads itself, in the forms a hand-written matrix uses.
#[test]
fn the_forms_of_valid_toml_build_the_same_tree() {
    for text in [
        "a = 1\nb = \"x\" # c\n'c d' = 'lit'\n\"e\\u0041\" = \"\"\"\nml\\\n  x\"\"\"\n",
        "[a.b]\nx = 1\n[a.c]\ny = 2\n[a.b.d]\n",
        "[[m]]\nr = [1, 2,]\n[m.apps]\nq = {}\n[[m]]\n[m.apps]\nq = { a = 1, b = [ { c = 2 } ] }\n",
        "x.y.z = 1\nx.y.w = 2\nx.v = 3\n[t]\np.q = 'r'\n",
        "n = [\n  1, # one\n  2\n]\nh = 0xff\no = 0o7\nb = 0b1\nf = 6.02e23\ni = inf\nj = -nan\nk = 1_000\n",
        "t = { a = 1,\n  b = 2, }\nu = true\nv = false\n",
        "[ spaced . 'quoted key' ]\n a = 1\n",
        "",
        "# only a comment\n",
    ] {
        assert_eq!(agreement(text), Agreement::Same, "{text:?}");
    }
}

/// Every TOML error the matrix can meet is refused, so `toml_edit` reports it in its words.
#[test]
fn errors_are_left_to_toml_edit() {
    for text in [
        "a = 1\na = 2\n",
        "[t]\n[t]\n",
        "[t]\nx = 1\n[t.x]\n",
        "t = { a = 1 }\n[t]\n",
        "t = { a = 1 }\nt.b = 2\n",
        "t = { a = 1, a = 2 }\n",
        "[[m]]\n[m]\n",
        "[m]\n[[m]]\n",
        "m = []\n[[m]]\n",
        "a.b = 1\na = 2\n",
        "a = 1\na.b = 2\n",
        "[a]\nb.c = 1\n[a.b]\nd = 1\n",
        "x = 99999999999999999999\n",
        "x = 1e999\n",
        "x = 1979-13-99\n",
        "x = \"\\q\"\n",
        "x = \n",
        "[a\n",
        "x = [1,,2]\n",
        "x = ",
        &format!("x = {}1{}\n", "[".repeat(100), "]".repeat(100)),
    ] {
        assert_eq!(agreement(text), Agreement::Refused(false), "{text:?}");
    }
}

/// What is legal but rare is left to `toml_edit` rather than built (the tree would be right
/// only if the builder copied every rule of reopening a table).
#[test]
fn rare_legal_forms_are_left_to_toml_edit() {
    for text in [
        "[a.b]\n[a]\nx = 1\n",
        "x = 1979-05-27\n",
        "t = { a.b = 1 }\n",
        "[a]\nb.c = 1\n[a.b.d]\n",
    ] {
        let outcomes = outcomes(text);
        assert_eq!(agreement(text), Agreement::Refused(true), "{text:?}");
        assert_eq!(outcomes[0].1, outcomes[1].1, "{text:?}");
    }
}

/// `toml_edit` parses a file only for a section outside the matrix: never for the estate, once
/// (and the tree read from its document) for a file with `[pipelines]`, an indented header
/// included.
#[test]
fn toml_edit_parses_only_for_another_section() {
    use super::super::{parse, read_document};
    let estate = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../benches/inputs/estate-156.toml"
    ))
    .unwrap_or_default();
    let mut parsed = parse(&estate).expect("the estate parses");
    let (_, _, diagnostics) = read_document(&mut parsed, &estate);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert!(parsed.doc.get().is_none(), "toml_edit parsed the estate");

    for (text, guessed) in [
        ("stages = []\n[pipelines]\nteam = \"t\"\n", true),
        ("stages = []\n[[runbooks.x]]\n", true),
        ("stages = []\n  [operations]\n", false),
    ] {
        let parsed = parse(text).expect("parses");
        assert_eq!(parsed.doc.get().is_some(), guessed, "{text:?}");
        assert!(parsed.root().len() == 2, "{text:?}");
    }
}

/// A node stays small: a million-entry file moves a million of them (issue 23).
#[test]
fn a_node_is_small() {
    assert!(std::mem::size_of::<super::Entry<'_>>() <= 128);
}

/// Below and above the size from which a table is indexed, every key is found and every key
/// set again is refused, whatever its place: the scan and the index agree.
#[test]
fn a_table_finds_and_refuses_its_keys_at_every_size() {
    use super::{Entry, Node, Table, Value};
    let entry = |key: String| Entry {
        key: key.into(),
        key_span: None,
        node: Node {
            span: None,
            value: Value::Boolean(true),
        },
    };
    // Keys alike but for one byte, at the start, the end or the middle, and of other lengths.
    let key = |i: usize| match i % 3 {
        0 => format!("app{i}"),
        1 => format!("{i}-app"),
        _ => format!("a{i}pp{}", "x".repeat(i % 5)),
    };
    for size in 0..40 {
        let mut table = Table::default();
        for i in 0..size {
            assert!(table.insert(entry(key(i))), "{i} of {size}");
        }
        assert_eq!(table.len(), size);
        for i in 0..size {
            assert_eq!(
                table.entry(&key(i)).map(|e| e.key.as_ref()),
                Some(key(i).as_str())
            );
            assert!(!table.insert(entry(key(i))), "{i} again, of {size}");
        }
        assert!(table.get("app").is_none() && table.get(&key(size)).is_none());
        assert_eq!(table.len(), size);
    }
}
