//! Each library crate's API is what its `lib.rs` re-exports (`pub use`), and `unreachable_pub`
//! keeps every other `pub` item inside. What the lint cannot see is whether a re-exported name
//! has a user: this checks every one is named by another crate (its `src/`, `tests/`, `benches/`
//! or `examples/`) or by the crate's own integration tests, benches or examples (each a crate of
//! its own that sees only the API), in a file that also names the exporting crate
//! (docs/development.md, "Visibility").

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use edx_matrix_test_support::workspace_root;

/// The names a `use` tree binds: the last segment of each leaf, or its `as` alias; `self` and
/// globs bind no new name of the crate's own.
fn bound_names(tree: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in tree.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
        if matches!(c, '{' | '}' | ',' | '*' | ':') {
            tokens.push(c.to_string());
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    let mut names = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let is_word = t.chars().all(|c| c.is_alphanumeric() || c == '_');
        let next = tokens.get(i + 1).map(String::as_str);
        if is_word && t != "as" && t != "self" && next != Some(":") {
            if next == Some("as") {
                if let Some(alias) = tokens.get(i + 2) {
                    names.push(alias.clone());
                }
                i += 3;
                continue;
            }
            names.push(t.clone());
        }
        i += 1;
    }
    names
}

/// The `pub use` statements at the top level of a `lib.rs` (not `pub(crate) use`).
fn reexports(lib_rs: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut statement: Option<String> = None;
    for line in lib_rs.lines() {
        let code = line.split("//").next().unwrap_or_default();
        if let Some(s) = statement.as_mut() {
            s.push_str(code);
        } else if let Some(rest) = code.strip_prefix("pub use ") {
            statement = Some(rest.to_string());
        }
        if statement.as_ref().is_some_and(|s| s.contains(';')) {
            let s = statement.take().unwrap_or_default();
            out.extend(bound_names(s.trim_end_matches(';')));
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn words(text: &str) -> BTreeSet<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn use_trees_bind_their_last_segments_and_aliases() {
    assert_eq!(
        bound_names("a::{b, c::{D, e as F}, self, g::*}, H"),
        ["b", "D", "F", "H"]
    );
    let lib = "//! doc\npub use m::{\n    A, // why\n    b::C,\n};\npub(crate) use n::D;\npub use e::F as G;\n";
    assert_eq!(reexports(lib), ["A", "C", "G"]);
}

#[test]
fn every_name_a_library_reexports_is_named_by_another_crate() {
    let crates = workspace_root().join("crates");
    let mut libraries: Vec<(String, String)> = Vec::new(); // (directory, crate ident)
    for entry in std::fs::read_dir(&crates).unwrap().flatten() {
        let dir = entry.file_name().to_string_lossy().into_owned();
        if entry.path().join("src/lib.rs").is_file() {
            libraries.push((dir.clone(), format!("edx_matrix_{}", dir.replace('-', "_"))));
        }
    }
    libraries.sort();
    assert!(libraries.len() >= 6, "the library crates: {libraries:?}");

    // (owning crate directory, under its src/, text)
    let mut files: Vec<(String, bool, String)> = Vec::new();
    for entry in std::fs::read_dir(&crates).unwrap().flatten() {
        let dir = entry.file_name().to_string_lossy().into_owned();
        for sub in ["src", "tests", "benches", "examples"] {
            let mut paths = Vec::new();
            rust_files(&entry.path().join(sub), &mut paths);
            for path in paths {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((dir.clone(), sub == "src", text));
            }
        }
    }

    let mut unused = Vec::new();
    let mut checked = 0;
    for (dir, ident) in &libraries {
        let lib_rs = std::fs::read_to_string(crates.join(dir).join("src/lib.rs")).unwrap();
        let users: Vec<BTreeSet<&str>> = files
            .iter()
            .filter(|(owner, src, text)| (owner != dir || !src) && text.contains(ident.as_str()))
            .map(|(_, _, text)| words(text))
            .collect();
        for name in reexports(&lib_rs) {
            checked += 1;
            if !users.iter().any(|w| w.contains(name.as_str())) {
                unused.push(format!("{ident}::{name}"));
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} re-exported names found: is the parser broken?"
    );
    assert!(
        unused.is_empty(),
        "re-exported but named by no other crate (make them pub(crate), or drop the re-export): {unused:#?}"
    );
}
