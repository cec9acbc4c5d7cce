//! `{release}` and `{deployment}` placeholders in release-map values.
//!
//! A block of the release map covers several (release, deployment) pairs; a value such as
//! `acme/{release}` is written once and becomes `acme/ulmo` in the entry for `ulmo`. `{{` and
//! `}}` stand for literal braces. The braces are parsed by the one brace-template parser,
//! [`edx_matrix_model::brace_template`].

use edx_matrix_model::brace_template;

/// One piece of a parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Release,
    Deployment,
}

/// A parsed value with placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

/// Why a template does not parse (the one brace-template error, located in the value).
pub(crate) use edx_matrix_model::brace_template::TemplateSyntaxError;

/// The placeholders of release-map values.
const PLACEHOLDERS: &[&str] = &["release", "deployment"];

impl Template {
    /// Parses `text`; `{release}`, `{deployment}`, `{{` and `}}` are recognised.
    pub fn parse(text: &str) -> Result<Template, TemplateSyntaxError> {
        // Most values (every origin and branch of the estate) have no brace: one literal, without
        // the parser's pieces (issue 23: about 950 instructions a value).
        if !text.bytes().any(|b| b == b'{' || b == b'}') {
            let pieces = if text.is_empty() {
                Vec::new()
            } else {
                vec![Piece::Literal(text.to_owned())]
            };
            return Ok(Template { pieces });
        }
        Self::parse_braces(text)
    }

    /// [`Template::parse`] by the brace-template parser, for any text.
    fn parse_braces(text: &str) -> Result<Template, TemplateSyntaxError> {
        let parsed = brace_template::parse(text, PLACEHOLDERS, |other| {
            format!(
                "unknown placeholder `{{{other}}}`; only `{{release}}` and `{{deployment}}` exist"
            )
        })?;
        let mut pieces = Vec::new();
        let mut literal = String::new();
        for piece in parsed {
            match piece {
                brace_template::Piece::Literal(text) => literal.push_str(text),
                brace_template::Piece::Placeholder(name) => {
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    pieces.push(if name == "release" {
                        Piece::Release
                    } else {
                        Piece::Deployment
                    });
                }
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        Ok(Template { pieces })
    }

    /// Returns whether the template has placeholders.
    pub fn has_placeholders(&self) -> bool {
        self.pieces.iter().any(|p| !matches!(p, Piece::Literal(_)))
    }

    /// The text, when it is the same for every (release, deployment): a value without
    /// placeholders, made straight into its shared string instead of rendered first.
    pub fn literal(&self) -> Option<&str> {
        match self.pieces.as_slice() {
            [] => Some(""),
            [Piece::Literal(text)] => Some(text),
            _ => None,
        }
    }

    /// Returns the value for one (release, deployment).
    pub fn render(&self, release: &str, deployment: &str) -> String {
        let len = self.pieces.iter().map(|piece| match piece {
            Piece::Literal(text) => text.len(),
            Piece::Release => release.len(),
            Piece::Deployment => deployment.len(),
        });
        let mut out = String::with_capacity(len.sum());
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Release => out.push_str(release),
                Piece::Deployment => out.push_str(deployment),
            }
        }
        out
    }
}

/// Escapes braces so `value` reads back as itself.
pub(crate) fn escape(value: &str) -> String {
    value.replace('{', "{{").replace('}', "}}")
}

/// Returns `value` with every token-delimited occurrence of `release` written as `{release}`
/// (and braces escaped), so the result renders back to `value` for that release.
pub(crate) fn templatize_release(value: &str, release: &str) -> String {
    let escaped = escape(value);
    if release.is_empty() {
        return escaped;
    }
    let mut out = String::new();
    let mut rest = escaped.as_str();
    let mut previous: Option<char> = None;
    while let Some(i) = rest.find(release) {
        let before = rest[..i].chars().next_back().or(previous);
        let after = rest[i + release.len()..].chars().next();
        let bounded = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
        out.push_str(&rest[..i]);
        if bounded(before) && bounded(after) {
            out.push_str("{release}");
        } else {
            out.push_str(release);
        }
        previous = release.chars().next_back();
        rest = &rest[i + release.len()..];
    }
    out.push_str(rest);
    out
}

/// Returns `value` with every token-delimited occurrence of `old` (not part of a longer word of
/// letters and digits) replaced by `new`: `mitx/palm` becomes `mitx/quince`, `palmetto` stays.
pub(crate) fn rename_token(value: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        return value.to_owned();
    }
    let mut out = String::new();
    let mut rest = value;
    let mut previous: Option<char> = None;
    while let Some(i) = rest.find(old) {
        let before = rest[..i].chars().next_back().or(previous);
        let after = rest[i + old.len()..].chars().next();
        let bounded = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
        out.push_str(&rest[..i]);
        out.push_str(if bounded(before) && bounded(after) {
            new
        } else {
            old
        });
        previous = old.chars().next_back();
        rest = &rest[i + old.len()..];
    }
    out.push_str(rest);
    out
}

impl Template {
    /// Returns the template text with `old` renamed to `new` in its literal parts (placeholders
    /// are left alone), or `None` when no literal part names `old`.
    pub fn rename_literal(&self, old: &str, new: &str) -> Option<String> {
        let mut changed = false;
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => {
                    let renamed = rename_token(text, old, new);
                    changed |= renamed != *text;
                    out.push_str(&escape(&renamed));
                }
                Piece::Release => out.push_str("{release}"),
                Piece::Deployment => out.push_str("{deployment}"),
            }
        }
        changed.then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_placeholders() {
        let t = Template::parse("acme/{release}-{deployment}").expect("parses");
        assert!(t.has_placeholders());
        assert_eq!(t.render("ulmo", "pro"), "acme/ulmo-pro");
        assert_eq!(t.literal(), None);
    }

    /// A value without braces skips the parser and gets what the parser gives it.
    #[test]
    fn a_value_without_braces_is_what_the_parser_makes_of_it() {
        for text in [
            "",
            "x",
            "https://github.com/fork/app0",
            "release/ulmo",
            "é 😀 \\ \" $",
        ] {
            let fast = Template::parse(text).expect("parses");
            assert_eq!(
                fast,
                Template::parse_braces(text).expect("parses"),
                "{text:?}"
            );
            assert_eq!(fast.render("r", "d"), text);
            assert_eq!(fast.literal(), Some(text));
            assert!(!fast.has_placeholders());
        }
    }

    #[test]
    fn escapes() {
        let t = Template::parse("a{{b}}").expect("parses");
        assert!(!t.has_placeholders());
        assert_eq!(t.render("x", "y"), "a{b}");
        assert_eq!(t.literal(), Some("a{b}"));
    }

    #[test]
    fn errors_point_at_the_brace() {
        let e = Template::parse("acme/{relase}").expect_err("unknown");
        assert_eq!(e.offset, 5);
        assert!(e.message.contains("{relase}"));
        assert_eq!(Template::parse("x{").expect_err("unclosed").offset, 1);
        assert_eq!(Template::parse("ab}").expect_err("unmatched").offset, 2);
    }

    #[test]
    fn renames_literal_tokens_only() {
        assert_eq!(rename_token("mitx/palm", "palm", "quince"), "mitx/quince");
        assert_eq!(rename_token("palm", "palm", "quince"), "quince");
        assert_eq!(
            rename_token("palmetto-palm", "palm", "quince"),
            "palmetto-quince"
        );
        let t = Template::parse("acme/{release}-palm").expect("parses");
        assert_eq!(
            t.rename_literal("palm", "quince").as_deref(),
            Some("acme/{release}-quince")
        );
        let fixed = Template::parse("main").expect("parses");
        assert_eq!(fixed.rename_literal("palm", "quince"), None);
    }

    #[test]
    fn templatize_round_trips() {
        for (value, release, expected) in [
            ("acme/verawood", "verawood", "acme/{release}"),
            ("pro-teak", "teak", "pro-{release}"),
            ("verawood", "verawood", "{release}"),
            ("maintenance", "main", "maintenance"),
            ("main", "main", "{release}"),
            ("x{y}", "y", "x{{{release}}}"),
            ("mainmain", "main", "mainmain"),
        ] {
            let t = templatize_release(value, release);
            assert_eq!(t, expected, "{value}");
            assert_eq!(
                Template::parse(&t).expect("parses").render(release, "d"),
                value
            );
        }
    }
}
