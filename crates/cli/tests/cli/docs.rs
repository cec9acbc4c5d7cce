//! Docs that cannot drift: every relative link (and `#anchor`) in the repository's markdown
//! resolves, every repository path the docs name in backticks or code blocks exists, and
//! docs/development.md's crate dependency map is the one `cargo metadata` reports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Path prefixes that name a file of this repository wherever a doc writes them.
const REPO_PREFIXES: &[&str] = &[
    "crates/",
    "docs/",
    "benches/",
    ".ci/",
    "tests/fixtures/",
    "tests/consumers/",
    "scripts/",
    "examples/",
    "image/",
    "fuzz/",
];

/// Paths the docs name that a build or a run creates, so a clean checkout lacks them.
const GENERATED: &[&str] = &[
    // cargo-fuzz's build directory and where it leaves a crashing input.
    "fuzz/target",
    "fuzz/artifacts",
    "fuzz/corpus",
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every markdown file of the repository, outside build outputs and hidden directories.
fn markdown_files(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || ["target", "fuzz", "mutants.out"].contains(&name.as_str()) {
                continue;
            }
            if path.is_dir() {
                walk(&path, out);
            } else if name.ends_with(".md") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, &mut out);
    out.sort();
    out
}

/// A markdown file split into prose (fenced code blanked out, so line numbers stay) and the
/// lines of its fenced code blocks.
struct Markdown {
    prose: String,
    code: Vec<(usize, String)>,
}

fn split_markdown(text: &str) -> Markdown {
    let mut prose = String::new();
    let mut code = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m)) if open == m => fence = None,
            (Some(_), _) => code.push((i + 1, line.to_owned())),
            (None, None) => prose.push_str(line),
        }
        prose.push('\n');
    }
    Markdown { prose, code }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// GitHub's anchor of a heading: the rendered text lower-cased, without punctuation other
/// than `-` and `_`, spaces as `-`; a repeated heading gets `-1`, `-2`, ….
fn anchors(prose: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for line in prose.lines() {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let text = strip_links(line[hashes..].trim().trim_end_matches('#'));
        let slug: String = text
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let n = seen.entry(slug.clone()).or_insert(0);
        out.insert(if *n == 0 {
            slug.clone()
        } else {
            format!("{slug}-{n}")
        });
        *n += 1;
    }
    out
}

/// `[text](target)` → `text`, as a heading renders.
fn strip_links(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some((label, target_end)) = link_at(&rest[open..]) else {
            out.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
            continue;
        };
        out.push_str(&rest[..open]);
        out.push_str(label);
        rest = &rest[open + target_end..];
    }
    out.push_str(rest);
    out
}

/// At a `[`: the link's label and the offset just past its `)`, when it is `[label](target)`.
fn link_at(text: &str) -> Option<(&str, usize)> {
    let close = text.find("](")?;
    let label = &text[1..close];
    if label.contains('[') || label.contains(']') {
        return None;
    }
    let end = text[close..].find(')')? + close;
    Some((label, end + 1))
}

/// Every `](target)` of the prose, with its line.
fn link_targets(prose: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = prose[from..].find("](") {
        let start = from + at + 2;
        let Some(len) = prose[start..].find(')') else {
            break;
        };
        let target = prose[start..start + len].split_whitespace().next();
        if let Some(target) = target {
            out.push((
                line_of(prose, start),
                target.trim_matches(['<', '>']).to_owned(),
            ));
        }
        from = start + len;
    }
    out
}

/// Every inline code span of the prose (a newline inside one reads as a space), with its line.
fn code_spans(prose: &str) -> Vec<(usize, String)> {
    let bytes = prose.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let ticks = bytes[i..].iter().take_while(|&&b| b == b'`').count();
        let fence = &prose[i..i + ticks];
        let start = i + ticks;
        let mut search = start;
        let end = loop {
            let Some(at) = prose[search..].find(fence) else {
                break None;
            };
            let at = search + at;
            let run = bytes[at..].iter().take_while(|&&b| b == b'`').count();
            if run == ticks {
                break Some(at);
            }
            search = at + run;
        };
        match end {
            Some(end) => {
                out.push((line_of(prose, start), prose[start..end].replace('\n', " ")));
                i = end + ticks;
            }
            None => i = start,
        }
    }
    out
}

/// The part of a path-like token that must exist: without a `:LINE:COL` or `::item` suffix,
/// cut before the first component that is a pattern or a placeholder (`*.toml`, `<crate>`,
/// `CASE`).
fn existing_part(token: &str) -> String {
    let token = token.trim_end_matches(['.', ',', ';', ':', ')', '"', '\'']);
    let token = token.split("::").next().unwrap_or(token);
    let token = token.split('#').next().unwrap_or(token);
    let mut token = token;
    while let Some((head, tail)) = token.rsplit_once(':') {
        if tail.is_empty() || !tail.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        token = head;
    }
    let mut kept = Vec::new();
    for component in token.split('/') {
        let pattern = component.contains(['*', '?', '<', '>', '{', '}', '[', ']', '$', '…'])
            || component.contains("...");
        let placeholder = component.len() > 1
            && component
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit());
        if pattern || placeholder {
            break;
        }
        kept.push(component);
    }
    kept.join("/")
}

fn path_tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '\'' | '=' | ',' | '`'))
        .filter(|t| REPO_PREFIXES.iter().any(|p| t.starts_with(p)))
}

fn missing_path(root: &Path, token: &str) -> bool {
    let path = existing_part(token);
    let generated = GENERATED
        .iter()
        .any(|g| path == *g || path.starts_with(&format!("{g}/")));
    !generated && !root.join(&path).exists()
}

/// Every broken link, anchor and path of one markdown file, as `file:line: what`.
fn problems_of(
    root: &Path,
    file: &Path,
    cache: &mut BTreeMap<PathBuf, BTreeSet<String>>,
) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let doc = split_markdown(&text);
    let shown = file
        .strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string();
    let mut anchors_of = |path: &Path| {
        cache
            .entry(path.to_owned())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                anchors(&split_markdown(&text).prose)
            })
            .clone()
    };
    let mut out = Vec::new();
    for (line, target) in link_targets(&doc.prose) {
        let scheme = target
            .split_once(':')
            .is_some_and(|(s, _)| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic()));
        if scheme {
            continue;
        }
        let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
        let resolved = if path.is_empty() {
            file.to_owned()
        } else {
            file.parent().unwrap().join(path)
        };
        if !resolved.exists() {
            out.push(format!("{shown}:{line}: link to a missing file `{target}`"));
        } else if !anchor.is_empty()
            && resolved.extension().is_some_and(|e| e == "md")
            && !anchors_of(&resolved).contains(anchor)
        {
            out.push(format!(
                "{shown}:{line}: link to a missing heading `{target}`"
            ));
        }
    }
    let spans = code_spans(&doc.prose);
    let code_lines = spans.iter().chain(doc.code.iter());
    for (line, text) in code_lines {
        for token in path_tokens(text) {
            if missing_path(root, token) {
                out.push(format!("{shown}:{line}: names a missing path `{token}`"));
            } else if let Some((path, anchor)) = token.split_once('#') {
                let path = root.join(path);
                if path.extension().is_some_and(|e| e == "md")
                    && !anchors_of(&path).contains(anchor)
                {
                    out.push(format!("{shown}:{line}: names a missing heading `{token}`"));
                }
            }
        }
    }
    out
}

#[test]
fn every_doc_link_anchor_and_named_path_resolves() {
    let root = repo_root();
    let files = markdown_files(&root);
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(&root).unwrap().display().to_string())
        .collect();
    for expected in ["README.md", "docs/development.md", "docs/domain.md"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not checked: {names:?}"
        );
    }
    let mut cache = BTreeMap::new();
    let problems: Vec<String> = files
        .iter()
        .flat_map(|f| problems_of(&root, f, &mut cache))
        .collect();
    assert!(
        problems.is_empty(),
        "broken in the docs:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_finds_what_it_must() {
    let prose = "# The `edx-matrix completions bash|zsh` command\n## Several blocks — one pair\n## Several blocks — one pair\n";
    let found = anchors(prose);
    for expected in [
        "the-edx-matrix-completions-bashzsh-command",
        "several-blocks--one-pair",
        "several-blocks--one-pair-1",
    ] {
        assert!(found.contains(expected), "{expected} not in {found:?}");
    }
    let doc = split_markdown(
        "See [a](b.md#c) and `crates/x/src/y.rs:12:3`,\n`docs/\nz.md`.\n```sh\nbenches/q.sh --x\n```\n",
    );
    assert_eq!(link_targets(&doc.prose), [(1, "b.md#c".to_owned())]);
    assert_eq!(
        code_spans(&doc.prose),
        [
            (1, "crates/x/src/y.rs:12:3".to_owned()),
            (2, "docs/ z.md".to_owned())
        ]
    );
    assert_eq!(doc.code, [(5, "benches/q.sh --x".to_owned())]);
    assert_eq!(existing_part("crates/x/src/y.rs:12:3"), "crates/x/src/y.rs");
    assert_eq!(
        existing_part("tests/fixtures/invalid/*.toml"),
        "tests/fixtures/invalid"
    );
    assert_eq!(
        existing_part("tests/fixtures/python-invalid/CASE/"),
        "tests/fixtures/python-invalid"
    );
    assert_eq!(
        existing_part("crates/<crate>/tests/<crate>/main.rs"),
        "crates"
    );
    let root = repo_root();
    assert!(missing_path(&root, "crates/formats/src/fmt.rs"));
    assert!(!missing_path(&root, "crates/formats/src/edit/fmt.rs"));
    assert!(!missing_path(&root, "fuzz/artifacts/load_toml/"));
}

/// The workspace's crates, by directory under `crates/`, each with its normal and its dev
/// dependencies on other workspace crates, as `cargo metadata` reports them.
fn cargo_crate_map() -> BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let dir_of = |package: &serde_json::Value| {
        let manifest = Path::new(package["manifest_path"].as_str().unwrap());
        let dir = manifest.parent().unwrap().file_name().unwrap();
        dir.to_string_lossy().into_owned()
    };
    let by_name: BTreeMap<&str, String> = packages
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), dir_of(p)))
        .collect();
    packages
        .iter()
        .map(|package| {
            let (mut normal, mut dev) = (BTreeSet::new(), BTreeSet::new());
            for dep in package["dependencies"].as_array().unwrap() {
                let Some(dir) = by_name.get(dep["name"].as_str().unwrap()) else {
                    continue;
                };
                match dep["kind"].as_str() {
                    Some("dev") => dev.insert(dir.clone()),
                    _ => normal.insert(dir.clone()),
                };
            }
            (dir_of(package), (normal, dev))
        })
        .collect()
}

/// The map written in docs/development.md: the first code block after its "Crate dependency
/// map" heading, one line per crate: `crate → dep, dep (dev: dep)`, `—` for none.
fn documented_crate_map() -> BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> {
    let text = std::fs::read_to_string(repo_root().join("docs/development.md")).unwrap();
    let (_, after) = text
        .split_once("\n### Crate dependency map\n")
        .expect("docs/development.md has a `### Crate dependency map` heading");
    let doc = split_markdown(after);
    let first = doc.code.first().map_or(0, |(line, _)| *line);
    let names = |list: &str| -> BTreeSet<String> {
        list.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty() && *n != "—")
            .map(str::to_owned)
            .collect()
    };
    doc.code
        .iter()
        .enumerate()
        .take_while(|(i, (line, _))| *line == first + i)
        .map(|(_, (_, line))| {
            let (name, deps) = line
                .split_once('→')
                .unwrap_or_else(|| panic!("not `crate → deps`: {line}"));
            let (normal, dev) = match deps.split_once("(dev:") {
                Some((normal, dev)) => (normal, dev.trim_end().trim_end_matches(')')),
                None => (deps, ""),
            };
            (name.trim().to_owned(), (names(normal), names(dev)))
        })
        .collect()
}

#[test]
fn the_crate_dependency_map_is_cargo_metadatas() {
    let documented = documented_crate_map();
    let actual = cargo_crate_map();
    assert!(actual.len() >= 5, "cargo metadata listed {actual:?}");
    let show = |map: &BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>| {
        map.iter()
            .map(|(name, (normal, dev))| {
                let list = |s: &BTreeSet<String>| {
                    if s.is_empty() {
                        "—".to_owned()
                    } else {
                        s.iter().cloned().collect::<Vec<_>>().join(", ")
                    }
                };
                if dev.is_empty() {
                    format!("{name} → {}", list(normal))
                } else {
                    format!("{name} → {} (dev: {})", list(normal), list(dev))
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        show(&documented),
        show(&actual),
        "docs/development.md's crate dependency map differs from the Cargo.tomls (right: what \
         `cargo metadata` reports, in the map's form)"
    );
}

/// Issue 26: at most seven crates, in layers: the map lists them bottom-up, and each crate's
/// normal dependencies are crates listed before it, so none depends on one above it.
#[test]
fn at_most_seven_crates_each_depending_only_on_crates_below() {
    let text = std::fs::read_to_string(repo_root().join("docs/development.md")).unwrap();
    let (_, after) = text.split_once("\n### Crate dependency map\n").unwrap();
    let doc = split_markdown(after);
    let first = doc.code.first().map_or(0, |(line, _)| *line);
    let order: Vec<String> = (doc.code.iter().enumerate())
        .take_while(|(i, (line, _))| *line == first + i)
        .filter_map(|(_, (_, line))| line.split_once('→').map(|(n, _)| n.trim().to_owned()))
        .collect();
    let actual = cargo_crate_map();
    assert!(
        actual.len() <= 7,
        "{} workspace crates: {actual:?}",
        actual.len()
    );
    for (name, (normal, _)) in &actual {
        let at = order.iter().position(|n| n == name);
        let at = at.unwrap_or_else(|| panic!("`{name}` is not in the map"));
        for dep in normal {
            let dep_at = order.iter().position(|n| n == dep);
            assert!(
                dep_at.is_some_and(|d| d < at),
                "`{name}` depends on `{dep}`, which is not listed below it in the map: {order:?}"
            );
        }
    }
}

/// Every `.rs` file of the workspace's crates.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name() == "target" {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_repository_path_a_source_comment_names_resolves() {
    let root = repo_root();
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    files.sort();
    assert!(files.len() > 100, "found only {files:?}");
    let mut cache = BTreeMap::new();
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let shown = file.strip_prefix(&root).unwrap().display();
        for (i, line) in text.lines().enumerate() {
            if !line.trim_start().starts_with("//") {
                continue;
            }
            for token in path_tokens(line) {
                let token = token.trim_matches('`');
                let broken = missing_path(&root, token)
                    || token.split_once('#').is_some_and(|(path, anchor)| {
                        let path = root.join(existing_part(path));
                        path.extension().is_some_and(|e| e == "md")
                            && !cache
                                .entry(path.clone())
                                .or_insert_with(|| {
                                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                                    anchors(&split_markdown(&text).prose)
                                })
                                .contains(anchor.trim_end_matches(['.', ',', ')', '`']))
                    });
                if broken {
                    problems.push(format!("{shown}:{}: names a missing `{token}`", i + 1));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "broken in source comments:\n{}",
        problems.join("\n")
    );
}
