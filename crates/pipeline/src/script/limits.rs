//! The bounds every template run stays inside: steps, memory, depth of the returned value, and
//! the size of the template files. Each has a `[pipelines]` setting (a default and a hard
//! ceiling no setting can pass), so a hostile template ends with a diagnostic wherever it runs:
//! `check`, the server's reload, `diff` at a revision, the API.

/// The bounds of one template run, as `[pipelines]` sets them (defaults applied, ceilings
/// enforced by the reader).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Steps: function calls plus loop iterations (Starlark's "ticks"), over the template and
    /// everything it loads.
    pub steps: u64,
    /// The Starlark heap, in MiB, over the template and everything it loads (the matrix data
    /// handed to the template is not counted).
    pub memory_mib: u64,
    /// How deeply lists and dicts may nest in the value `pipelines` returns, and in the values
    /// a loaded file defines.
    pub depth: usize,
}

/// One bound: its `[pipelines]` key, default and ceiling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Bound {
    /// The `[pipelines]` key that raises it.
    pub key: &'static str,
    /// What it bounds, for messages.
    pub what: &'static str,
    /// The default.
    pub default: u64,
    /// The largest value the setting accepts.
    pub ceiling: u64,
}

/// `template_steps`: the acme example's templates take between 2,000 and 5,000 steps.
pub(crate) const STEPS: Bound = Bound {
    key: "template_steps",
    what: "steps (function calls and loop iterations)",
    default: 2_000_000,
    ceiling: 100_000_000,
};

/// `template_memory_mib`: the Starlark heap of one template run.
pub(crate) const MEMORY: Bound = Bound {
    key: "template_memory_mib",
    what: "MiB of template memory",
    default: 256,
    // Below 4 GiB: Starlark panics on a single value of 4 GiB.
    ceiling: 2048,
};

/// `template_depth`: nesting of the returned value (a Concourse pipeline nests about 10 deep).
pub(crate) const DEPTH: Bound = Bound {
    key: "template_depth",
    what: "levels of nesting",
    default: 100,
    ceiling: 1000,
};

/// The largest template file read: 1 MiB (templates are programs, not data dumps).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The most template bytes one matrix reads, over all the files it runs and loads.
pub const MAX_TOTAL_BYTES: u64 = 8 * 1024 * 1024;

/// How deeply brackets may nest in a template's source: Starlark's parser recurses on them.
pub(crate) const MAX_SOURCE_NESTING: usize = 200;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            steps: STEPS.default,
            memory_mib: MEMORY.default,
            depth: DEPTH.default as usize,
        }
    }
}

impl Bound {
    /// Returns the message of a run that went past this bound, set to `limit`: what happened
    /// and how to raise it.
    pub(crate) fn exceeded(&self, limit: u64) -> String {
        let raise = if limit >= self.ceiling {
            format!("`{}` is at its ceiling, {}", self.key, self.ceiling)
        } else {
            format!(
                "raise it with `[pipelines] {} = N` (now {limit}, at most {})",
                self.key, self.ceiling
            )
        };
        format!(
            "the template went past its bound of {limit} {}; {raise}",
            self.what
        )
    }
}

/// Returns the number of the first line whose bracket nesting (`(`, `[`, `{` outside strings
/// and comments) passes [`MAX_SOURCE_NESTING`], with its column, so the parser never recurses
/// that deep.
pub(crate) fn too_deeply_nested(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<(char, bool)> = None; // the quote character, tripled
    let mut chars = text.chars().peekable();
    let (mut line, mut column) = (1usize, 0usize);
    let mut previous = ['\0', '\0'];
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
        }
        match quote {
            Some((q, triple)) => {
                if c == '\\' {
                    if chars.next() == Some('\n') {
                        line += 1;
                        column = 0;
                    } else {
                        column += 1;
                    }
                } else if (c == q && (!triple || previous == [q, q])) || (c == '\n' && !triple) {
                    // The closing quote, or the end of the line ends a one-line string.
                    quote = None;
                }
            }
            None => match c {
                '#' => {
                    for d in chars.by_ref() {
                        if d == '\n' {
                            line += 1;
                            column = 0;
                            break;
                        }
                    }
                }
                '"' | '\'' => {
                    let triple = chars.peek() == Some(&c) && {
                        let mut ahead = chars.clone();
                        ahead.next();
                        ahead.next() == Some(c)
                    };
                    if triple {
                        chars.next();
                        chars.next();
                        column += 2;
                    }
                    quote = Some((c, triple));
                    // The opening quotes are not closing ones: `""""""` is one empty string.
                    previous = ['\0', '\0'];
                    continue;
                }
                '(' | '[' | '{' => {
                    depth += 1;
                    if depth > MAX_SOURCE_NESTING {
                        return Some((line, column));
                    }
                }
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        previous = [previous[1], c];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_found_outside_strings_and_comments_only() {
        let deep = format!("x = {}{}\n", "[".repeat(201), "]".repeat(201));
        assert_eq!(too_deeply_nested(&deep), Some((1, 205)));
        let shallow = format!("x = {}{}\n", "[".repeat(200), "]".repeat(200));
        assert_eq!(too_deeply_nested(&shallow), None);
        let in_string = format!(
            "x = \"{}\"\n# {}\ny = '''\n{}'''\n",
            "[".repeat(300),
            "(".repeat(300),
            "{".repeat(300)
        );
        assert_eq!(too_deeply_nested(&in_string), None);
        let second_line = format!("x = 1\ny = {}\n", "(".repeat(201));
        assert_eq!(too_deeply_nested(&second_line), Some((2, 205)));
    }

    #[test]
    fn the_file_bounds_are_one_and_eight_mebibytes() {
        // docs/pipelines.md: each file at most 1 MiB, all together at most 8 MiB.
        assert_eq!(MAX_FILE_BYTES, 1_048_576);
        assert_eq!(MAX_TOTAL_BYTES, 8_388_608);
    }

    #[test]
    fn closing_brackets_of_every_kind_end_a_level() {
        for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
            let flat = format!("x = {}\n", format!("{open}{close}").repeat(300));
            assert_eq!(too_deeply_nested(&flat), None, "{open}{close}");
            let deep = format!("x = {}\n", open.repeat(201));
            assert_eq!(too_deeply_nested(&deep), Some((1, 205)), "{open}");
        }
    }

    #[test]
    fn lines_and_columns_count_through_comments_and_strings() {
        let deep = "[".repeat(201);
        // A comment ends at its line: the next line is line 2, counted from its first column.
        assert_eq!(
            too_deeply_nested(&format!("# a comment (((\n{deep}\n")),
            Some((2, 201))
        );
        // An escaped quote does not end a string; an escaped character is one column more.
        assert_eq!(too_deeply_nested(&format!("x = \"a\\\"{deep}\"\n")), None);
        assert_eq!(
            too_deeply_nested(&format!("x = \"a\\\"\" + {deep}\n")),
            Some((1, 213))
        );
        // An escaped line end inside a string starts the next line.
        assert_eq!(
            too_deeply_nested(&format!("x = \"a\\\nb\" + {deep}\n")),
            Some((2, 206))
        );
        // A one-line string left open ends at its line.
        assert_eq!(
            too_deeply_nested(&format!("x = \"open\n{deep}\n")),
            Some((2, 201))
        );
        // A triple-quoted string spans lines and holds its own quote character alone or
        // doubled; its opening quotes take three columns.
        assert_eq!(
            too_deeply_nested(&format!("x = '''a ' '' {deep}\n{deep}'''\n")),
            None
        );
        assert_eq!(
            too_deeply_nested(&format!("x = '''a\nb''' + {deep}\n")),
            Some((2, 208))
        );
        assert_eq!(
            too_deeply_nested(&format!("x = \"\"\"\"\"\" + {deep}\n")),
            Some((1, 214))
        );
        // Two quotes are an empty string, not the start of a triple-quoted one.
        assert_eq!(
            too_deeply_nested(&format!("x = '' + {deep}\n")),
            Some((1, 210))
        );
    }

    #[test]
    fn messages_name_the_setting_and_its_ceiling() {
        assert_eq!(
            STEPS.exceeded(1000),
            "the template went past its bound of 1000 steps (function calls and loop iterations); raise it with `[pipelines] template_steps = N` (now 1000, at most 100000000)"
        );
        assert!(DEPTH.exceeded(1000).contains("at its ceiling, 1000"));
    }
}
