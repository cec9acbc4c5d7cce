//! The one parser of brace templates: `{name}` placeholders from a list the caller gives, `{{`
//! and `}}` for literal braces.
//!
//! Two kinds of value use it: release-map values (`{release}`, `{deployment}`; the config
//! crate's `template::Template`) and pipeline settings (`{release}` … `{family}`; the pipeline
//! crate's `template`). Each says which names exist and how to word an unknown one; the brace
//! rules and their messages are the same everywhere.
//!
//! ```
//! use edx_matrix_model::brace_template::{Piece, parse};
//!
//! let unknown = |name: &str| format!("unknown placeholder `{{{name}}}`");
//! let pieces = parse("acme/{release}-{{x}}", &["release"], unknown).expect("parses");
//! assert_eq!(
//!     pieces,
//!     [
//!         Piece::Literal("acme/"),
//!         Piece::Placeholder("release"),
//!         Piece::Literal("-"),
//!         Piece::Literal("{"),
//!         Piece::Literal("x"),
//!         Piece::Literal("}"),
//!     ]
//! );
//! let error = parse("a{stage}", &["release"], unknown).expect_err("unknown name");
//! assert_eq!((error.offset, error.len), (1, 7));
//! assert_eq!(error.message, "unknown placeholder `{stage}`");
//! ```

/// One piece of a parsed template, borrowed from its text. An escaped brace is a literal piece
/// of its own (`{` or `}`); empty literal pieces are left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'t> {
    /// Text taken as is.
    Literal(&'t str),
    /// A placeholder, by name (one of the allowed names).
    Placeholder(&'t str),
}

/// Why a value is not a valid template, located in the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateSyntaxError {
    /// Byte offset of the offending brace in the value.
    pub offset: usize,
    /// Length of the offending part: the whole placeholder, or one brace.
    pub len: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses `text`, allowing the placeholders `names`; `unknown` words the message for any other
/// name (it gets the name without braces).
pub fn parse<'t>(
    text: &'t str,
    names: &[&str],
    unknown: impl Fn(&str) -> String,
) -> Result<Vec<Piece<'t>>, TemplateSyntaxError> {
    let mut out = Vec::new();
    let literal = |out: &mut Vec<Piece<'t>>, s: &'t str| {
        if !s.is_empty() {
            out.push(Piece::Literal(s));
        }
    };
    let mut rest = text;
    let mut offset = 0;
    while let Some(i) = rest.find(['{', '}']) {
        literal(&mut out, &rest[..i]);
        let tail = &rest[i..];
        let used = if tail.starts_with("{{") || tail.starts_with("}}") {
            // An escaped brace: the first of the two, as a literal.
            literal(&mut out, &tail[..1]);
            2
        } else if tail.starts_with('}') {
            return Err(TemplateSyntaxError {
                offset: offset + i,
                len: 1,
                message: "unmatched `}` (write `}}` for a literal brace)".to_owned(),
            });
        } else {
            let Some(end) = tail.find('}') else {
                return Err(TemplateSyntaxError {
                    offset: offset + i,
                    len: 1,
                    message: "unclosed `{` (write `{{` for a literal brace)".to_owned(),
                });
            };
            let name = &tail[1..end];
            if !names.contains(&name) {
                return Err(TemplateSyntaxError {
                    offset: offset + i,
                    len: end + 1,
                    message: unknown(name),
                });
            }
            out.push(Piece::Placeholder(name));
            end + 1
        };
        offset += i + used;
        rest = &tail[used..];
    }
    literal(&mut out, rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(name: &str) -> String {
        format!("no {name}")
    }

    #[test]
    fn splits_literals_placeholders_and_escapes() {
        assert_eq!(
            parse("{a}{{b}}", &["a"], names),
            Ok(vec![
                Piece::Placeholder("a"),
                Piece::Literal("{"),
                Piece::Literal("b"),
                Piece::Literal("}"),
            ])
        );
        assert_eq!(parse("", &[], names), Ok(vec![]));
        assert_eq!(
            parse("plain", &[], names),
            Ok(vec![Piece::Literal("plain")])
        );
    }

    #[test]
    fn errors_point_at_the_brace() {
        let e = parse("ab}", &[], names).expect_err("unmatched");
        assert_eq!((e.offset, e.len), (2, 1));
        assert!(e.message.starts_with("unmatched `}`"));
        let e = parse("{{x{", &[], names).expect_err("unclosed");
        assert_eq!((e.offset, e.len), (3, 1));
        assert!(e.message.starts_with("unclosed `{`"));
        let e = parse("é{zz}", &["a"], names).expect_err("unknown");
        assert_eq!((e.offset, e.len, e.message.as_str()), (2, 4, "no zz"));
    }
}
