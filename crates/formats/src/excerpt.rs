//! The part of a source file a rendered diagnostic shows: only the lines its labels point at,
//! each clipped to a window around the label's ends, with control characters and bidi controls
//! escaped and URL credentials masked; line and column numbers stay those of the real file.
//!
//! This keeps rendering bounded (a 10 MB value prints a few hundred bytes) and makes what reaches
//! the terminal safe, whatever the file holds.

use crate::terminal::push_escaped;
use codespan_reporting::files::{Error, Files};
use std::collections::HashMap;
use std::ops::Range;

/// How many bytes of a long line are shown on each side of a label's start and end.
const CONTEXT: usize = 80;
/// Lines up to this length are shown whole.
const WHOLE_LINE: usize = 300;

/// Where the lines of a source start, computed once per rendering.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 0-based line of byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The bytes of line `line`, without its newline.
    fn range(&self, line: usize, text: &str) -> Range<usize> {
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        start..end.max(start)
    }
}

struct Line {
    /// The line in the excerpt, with its newline.
    range: Range<usize>,
    /// Its 1-based number in the real file.
    number: usize,
}

/// The shown lines of a source.
pub(crate) struct Excerpt<'s> {
    name: &'s str,
    text: String,
    lines: Vec<Line>,
    /// Excerpt byte offset of a label end → its 1-based column in the real file.
    columns: HashMap<usize, usize>,
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The byte ranges of `line` that hold a URL credential (the password of `user:pw@`, or the
/// whole user part of an `http(s)://` URL), to be shown as `*`.
pub(crate) fn credential_masks(line: &str, base: usize) -> Vec<Range<usize>> {
    let mut masks = Vec::new();
    for (at, _) in line.match_indices("://") {
        // After the last character that cannot be in a scheme (it may take several bytes).
        let scheme_start = line[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| !c.is_ascii_alphanumeric() && c != '+' && c != '.' && c != '-')
            .map_or(0, |(i, c)| i + c.len_utf8());
        let scheme = &line[scheme_start..at];
        let rest = &line[at + 3..];
        let end = rest
            .find(|c: char| c == '/' || c == '"' || c == '\'' || c.is_whitespace())
            .unwrap_or(rest.len());
        let Some(user_end) = rest[..end].rfind('@') else {
            continue;
        };
        let info = &rest[..user_end];
        let start = at + 3;
        match info.find(':') {
            Some(colon) => masks.push(base + start + colon + 1..base + start + user_end),
            None if matches!(scheme, "http" | "https") => {
                masks.push(base + start..base + start + user_end);
            }
            None => {}
        }
    }
    masks
}

impl<'s> Excerpt<'s> {
    /// Builds the excerpt of `text` for `spans`; returns it with the spans moved into it.
    pub(crate) fn new(
        name: &'s str,
        text: &str,
        index: &LineIndex,
        spans: &[Range<usize>],
    ) -> (Self, Vec<Range<usize>>) {
        let spans: Vec<Range<usize>> = spans
            .iter()
            .map(|s| {
                let start = floor(text, s.start);
                start..floor(text, s.end).max(start)
            })
            .collect();
        // Each shown line and the points (label ends) on it.
        let mut lines: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut add =
            |line: usize, point: Option<usize>| match lines.iter_mut().find(|(l, _)| *l == line) {
                Some((_, points)) => points.extend(point),
                None => lines.push((line, point.into_iter().collect())),
            };
        for span in &spans {
            let first = index.line_of(span.start);
            let last = index.line_of(span.end);
            add(first, Some(span.start));
            for line in first + 1..=last {
                add(line, None);
            }
            add(last, Some(span.end));
        }
        lines.sort_by_key(|(l, _)| *l);
        // codespan shows the line between two shown lines, and a `·` break for a longer gap
        // (which it sees as two or more lines of the excerpt that are not shown: `None`).
        let mut shown: Vec<Option<(usize, Vec<usize>)>> = Vec::with_capacity(lines.len() * 3);
        let mut last: Option<usize> = None;
        for (line, points) in lines {
            match last.map(|l| line - l) {
                Some(2) => shown.push(Some((line - 1, Vec::new()))),
                Some(gap) if gap > 2 => shown.extend([None, None]),
                _ => {}
            }
            last = Some(line);
            shown.push(Some((line, points)));
        }
        let mut excerpt = Excerpt {
            name,
            text: String::new(),
            lines: Vec::new(),
            columns: HashMap::new(),
        };
        let mut moved: HashMap<usize, usize> = HashMap::new();
        for item in shown {
            let Some((line, mut points)) = item else {
                let at = excerpt.text.len();
                excerpt.text.push('\n');
                excerpt.lines.push(Line {
                    range: at..at + 1,
                    number: 0,
                });
                continue;
            };
            let range = index.range(line, text);
            points.sort_unstable();
            points.dedup();
            let line_text = &text[range.clone()];
            let mut regions: Vec<Range<usize>> = if line_text.len() <= WHOLE_LINE {
                std::iter::once(range.clone()).collect()
            } else if points.is_empty() {
                std::iter::once(range.start..ceil(text, range.start + 2 * CONTEXT)).collect()
            } else {
                points
                    .iter()
                    .map(|p| {
                        floor(text, p.saturating_sub(CONTEXT).max(range.start))
                            ..ceil(text, (p + CONTEXT).min(range.end))
                    })
                    .collect()
            };
            regions.dedup_by(|b, a| {
                if b.start <= a.end {
                    a.end = a.end.max(b.end);
                    true
                } else {
                    false
                }
            });
            let masks = credential_masks(line_text, range.start);
            let begin = excerpt.text.len();
            let mut cursor = range.start;
            for region in &regions {
                if region.start > cursor {
                    excerpt.text.push('…');
                }
                for (i, c) in text[region.clone()].char_indices() {
                    let at = region.start + i;
                    if points.binary_search(&at).is_ok() {
                        moved.insert(at, excerpt.text.len());
                    }
                    if masks.iter().any(|m| m.contains(&at)) {
                        excerpt.text.push('*');
                    } else {
                        push_escaped(&mut excerpt.text, c);
                    }
                }
                if points.binary_search(&region.end).is_ok() {
                    moved.entry(region.end).or_insert(excerpt.text.len());
                }
                cursor = region.end;
            }
            if cursor < range.end {
                excerpt.text.push('…');
            }
            for p in &points {
                if let Some(new) = moved.get(p) {
                    let column = text[range.start..*p].chars().count() + 1;
                    excerpt.columns.insert(*new, column);
                }
            }
            excerpt.text.push('\n');
            excerpt.lines.push(Line {
                range: begin..excerpt.text.len(),
                number: line + 1,
            });
        }
        let spans = spans
            .iter()
            .map(|s| {
                let start = moved.get(&s.start).copied().unwrap_or(0);
                start..moved.get(&s.end).copied().unwrap_or(start).max(start)
            })
            .collect();
        (excerpt, spans)
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .iter()
            .rposition(|l| l.range.start <= byte_index)
            .unwrap_or(0))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .get(line_index)
            .map_or(line_index + 1, |l| l.number))
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        if let Some(column) = self.columns.get(&byte_index) {
            return Ok(*column);
        }
        let range = self.line_range((), line_index)?;
        Ok(codespan_reporting::files::column_index(&self.text, range, byte_index) + 1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        match self.lines.get(line_index) {
            Some(line) => Ok(line.range.clone()),
            None if self.lines.is_empty() => Ok(0..0),
            None => Err(Error::LineTooLarge {
                given: line_index,
                max: self.lines.len() - 1,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Source, load_toml, render};

    fn rendered(text: &str) -> String {
        let loaded = load_toml(Source::new("m.toml", text));
        let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        render(&loaded.diagnostics, &loaded.source, &mut out).expect("renders");
        String::from_utf8(out.into_inner()).expect("utf-8")
    }

    const BASE: &str = r#"stages = ["CI"]
[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
[deployments]
NAME = { CI = "ulmo" }
[[map]]
releases = ["ulmo"]
deployments = ["NAME"]
[map.apps]
forum = {}
"#;

    #[test]
    fn a_huge_value_renders_in_a_few_lines_at_its_real_column() {
        let name = "a".repeat(10_000_000);
        let text = BASE
            .replace("NAME = ", &format!("x = 1\n\"{name}\" = "))
            .replace("\"NAME\"", "\"b\"");
        let out = rendered(&text);
        assert!(out.len() < 20_000, "{} bytes rendered", out.len());
        assert!(out.contains("m.toml:8:1"), "{out}");
        assert!(
            out.contains("…(9999"),
            "the message is not clipped: {}",
            &out[..500.min(out.len())]
        );
    }

    #[test]
    fn a_scheme_after_a_multibyte_character_is_found() {
        // Found by the `import_python` fuzz target: a 2-byte character right before the scheme
        // made the scheme start inside it (a panic on any file showing such a line).
        let line = "        \u{717}ttps://github.com/openedx/frontend-app-discussions\",";
        assert!(super::credential_masks(line, 0).is_empty());
        let line = "\u{717}https://ci:TOKEN@example.com/x";
        let masks = super::credential_masks(line, 0);
        assert_eq!(masks.len(), 1);
        assert_eq!(&line[masks[0].clone()], "TOKEN");
    }

    #[test]
    fn control_characters_from_the_file_are_escaped() {
        let text = BASE
            .replace("NAME = ", "\"\\u001b[31mevil\\u0007\" = ")
            .replace("\"NAME\"", "\"\\u001b[31mevil\\u0007\"");
        let out = rendered(&text);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("\\u{1b}[31mevil"), "{out}");
        // Raw control bytes in the file itself are escaped in the source excerpt too.
        let raw = BASE.replace("NAME = ", "\"\u{1b}]0;pwned\u{7}\" = ");
        let out = rendered(&raw);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    }
}
