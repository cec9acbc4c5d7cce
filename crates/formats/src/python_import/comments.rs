//! The package's comments kept next to what they describe: a comment on the lines right above a
//! release or application member, a deployment, a release-map block (`"campus": [`) or an entry
//! call, inside a deployment's or an entry's call, or at the end of its last line, is attached
//! to it, and written as `# …` lines right above its key or `[[map]]` table in the TOML
//! ([`Attached::place`]). Each comment is attached once (entries first, then blocks,
//! deployments, releases, applications); one that describes none of them (a module header, a
//! class's fields) is not carried: hand-written code keeps its own in `[python.code]`.

use super::report::Spans;
use super::symbols::{File, Loc};
use edx_matrix_model::Matrix;
use std::collections::HashMap;
use std::ops::Range;
use toml_edit::{DocumentMut, Item, Table};

/// Comment lines per subject, in the matrix's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attached {
    /// Per release name.
    pub releases: Vec<(String, Vec<String>)>,
    /// Per application name.
    pub applications: Vec<(String, Vec<String>)>,
    /// Per deployment name (stage comments included: a deployment is one TOML line).
    pub deployments: Vec<(String, Vec<String>)>,
    /// Per release-map entry (release, deployment): its block.
    pub blocks: Vec<((String, String), Vec<String>)>,
    /// Per application version (release, deployment, application).
    pub entries: Vec<((String, String, String), Vec<String>)>,
}

/// One file's comment tokens (in source order), their lines, and which are taken.
struct FileComments<'t> {
    text: &'t str,
    ranges: Vec<Range<usize>>,
    /// Each comment's line, and whether only blanks come before it there.
    lines: Vec<(usize, bool)>,
    /// The comments of each line.
    by_line: HashMap<usize, Vec<usize>>,
    line_starts: Vec<usize>,
    used: Vec<bool>,
}

impl<'t> FileComments<'t> {
    fn new(text: &'t str, ranges: Vec<Range<usize>>) -> Self {
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut this = FileComments {
            text,
            lines: Vec::with_capacity(ranges.len()),
            by_line: HashMap::new(),
            line_starts,
            used: vec![false; ranges.len()],
            ranges,
        };
        for i in 0..this.ranges.len() {
            let start = this.ranges[i].start;
            let line = this.line_of(start);
            let own = text
                .get(this.line_starts[line]..start)
                .is_some_and(|before| before.trim().is_empty());
            this.lines.push((line, own));
            this.by_line.entry(line).or_default().push(i);
        }
        this
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Takes the comments attached to `span`: own-line comments on the lines right above it,
    /// those inside it (when `inside`), and one after its end on its last line.
    fn take(&mut self, span: &Range<usize>, inside: bool) -> Vec<String> {
        if self.ranges.is_empty() {
            return Vec::new();
        }
        let mut picked = Vec::new();
        // Right above: contiguous own-line comments, nearest last.
        let mut line = self.line_of(span.start);
        while line > 0 {
            line -= 1;
            let found = self.by_line.get(&line).and_then(|on_line| {
                on_line
                    .iter()
                    .copied()
                    .find(|&i| !self.used[i] && self.lines[i].1)
            });
            match found {
                Some(i) => picked.push(i),
                None => break,
            }
        }
        picked.reverse();
        let last = self.line_of(span.end.saturating_sub(1).max(span.start));
        let mut i = self.ranges.partition_point(|r| r.start < span.start);
        while i < self.ranges.len() {
            let r = &self.ranges[i];
            let within = r.end <= span.end;
            let trailing = r.start >= span.end && self.lines[i].0 == last;
            if !within && !trailing {
                break;
            }
            if !self.used[i] && (inside || trailing) {
                picked.push(i);
            }
            i += 1;
        }
        for &i in &picked {
            self.used[i] = true;
        }
        picked
            .into_iter()
            .map(|i| one_line(self.text[self.ranges[i].clone()].trim_end()))
            .collect()
    }
}

/// Keeps a comment on one line whatever the Python held.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Attaches the comments of both files (`(text, comment ranges)` of `types.py`, then
/// `version_matrix.py`) to the subjects of `matrix`, placed by `spans`.
pub(super) fn attach(
    matrix: &Matrix,
    spans: &Spans,
    files: [(&str, Vec<Range<usize>>); 2],
) -> Attached {
    let mut files = files.map(|(text, ranges)| FileComments::new(text, ranges));
    let mut take = |at: &Loc, inside: bool| {
        files[usize::from(at.file == File::VersionMatrix)].take(&at.span, inside)
    };
    let mut out = Attached::default();
    for (e, entry) in matrix.release_map.iter().enumerate() {
        for (a, v) in entry.apps.iter().enumerate() {
            let Some(at) = spans.apps.get(e).and_then(|s| s.get(a)) else {
                continue;
            };
            let lines = take(at, true);
            if !lines.is_empty() {
                let key = (
                    entry.release.to_string(),
                    entry.deployment.to_string(),
                    v.application.to_string(),
                );
                out.entries.push((key, lines));
            }
        }
    }
    for (e, entry) in matrix.release_map.iter().enumerate() {
        if let Some(at) = spans.entries.get(e) {
            let lines = take(at, false);
            if !lines.is_empty() {
                let key = (entry.release.to_string(), entry.deployment.to_string());
                out.blocks.push((key, lines));
            }
        }
    }
    let mut named = |locs: &[Loc], names: Vec<String>, inside: bool| {
        let mut found = Vec::new();
        for (at, name) in locs.iter().zip(names) {
            let lines = take(at, inside);
            if !lines.is_empty() {
                found.push((name, lines));
            }
        }
        found
    };
    out.deployments = named(
        &spans.deployments,
        matrix
            .deployments
            .iter()
            .map(|d| d.name.to_string())
            .collect(),
        true,
    );
    out.releases = named(
        &spans.releases,
        matrix.releases.iter().map(|r| r.name.to_string()).collect(),
        true,
    );
    out.applications = named(
        &spans.applications,
        matrix
            .applications
            .iter()
            .map(|a| a.name.to_string())
            .collect(),
        true,
    );
    out
}

impl Attached {
    /// Returns whether no comment was attached.
    pub fn is_empty(&self) -> bool {
        self.releases.is_empty()
            && self.applications.is_empty()
            && self.deployments.is_empty()
            && self.blocks.is_empty()
            && self.entries.is_empty()
    }

    /// Writes the comments into `toml` (as the TOML writer laid it out): above each release,
    /// application and deployment key, above each `[[map]]` block (the comments of every
    /// (release, deployment) it stands for, once each) and above each application of a block.
    pub fn place(&self, toml: &str) -> String {
        if self.is_empty() {
            return toml.to_owned();
        }
        let Ok(mut doc) = toml.parse::<DocumentMut>() else {
            return toml.to_owned();
        };
        for (table, by_name) in [
            ("releases", &self.releases),
            ("applications", &self.applications),
            ("deployments", &self.deployments),
        ] {
            if let Some(t) = doc.get_mut(table).and_then(Item::as_table_mut) {
                for (name, lines) in by_name {
                    prefix_key(t, name, lines);
                }
            }
        }
        // Looked up per block and application: linear in the file, however many comments.
        let blocks: HashMap<(&str, &str), &Vec<String>> = self
            .blocks
            .iter()
            .map(|((r, d), lines)| ((r.as_str(), d.as_str()), lines))
            .collect();
        let entries: HashMap<(&str, &str, &str), &Vec<String>> = self
            .entries
            .iter()
            .map(|((r, d, a), lines)| ((r.as_str(), d.as_str(), a.as_str()), lines))
            .collect();
        if let Some(map) = doc.get_mut("map").and_then(Item::as_array_of_tables_mut) {
            for block in map.iter_mut() {
                let names = |key: &str| -> Vec<String> {
                    block
                        .get(key)
                        .and_then(Item::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                let (releases, deployments) = (names("releases"), names("deployments"));
                let pairs: Vec<(&String, &String)> = releases
                    .iter()
                    .flat_map(|r| deployments.iter().map(move |d| (r, d)))
                    .collect();
                let mut lines: Vec<&String> = Vec::new();
                for (r, d) in &pairs {
                    if let Some(found) = blocks.get(&(r.as_str(), d.as_str())) {
                        extend_once(&mut lines, found);
                    }
                }
                if !lines.is_empty() {
                    let decor = block.decor_mut();
                    let before = decor
                        .prefix()
                        .and_then(|p| p.as_str())
                        .unwrap_or("\n")
                        .to_owned();
                    decor.set_prefix(format!("{before}{}", joined(&lines)));
                }
                let Some(apps) = block.get_mut("apps").and_then(Item::as_table_mut) else {
                    continue;
                };
                let names: Vec<String> = apps.iter().map(|(k, _)| k.to_string()).collect();
                for app in names {
                    let mut lines: Vec<&String> = Vec::new();
                    for (r, d) in &pairs {
                        let key = (r.as_str(), d.as_str(), app.as_str());
                        if let Some(found) = entries.get(&key) {
                            extend_once(&mut lines, found);
                        }
                    }
                    if !lines.is_empty() {
                        let owned: Vec<String> = lines.into_iter().cloned().collect();
                        prefix_key(apps, &app, &owned);
                    }
                }
            }
        }
        doc.to_string()
    }
}

fn extend_once<'a>(lines: &mut Vec<&'a String>, found: &'a [String]) {
    for line in found {
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
}

fn joined(lines: &[&String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Puts `lines` right above `key` in `table`, after whatever was already there.
fn prefix_key(table: &mut Table, key: &str, lines: &[String]) {
    if let Some(mut k) = table.key_mut(key) {
        let decor = k.leaf_decor_mut();
        let before = decor
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or("")
            .to_owned();
        let refs: Vec<&String> = lines.iter().collect();
        decor.set_prefix(format!("{before}{}", joined(&refs)));
    }
}
