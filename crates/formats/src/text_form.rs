//! The text form of a file that edits preserve: a UTF-8 byte-order mark and CRLF line endings.
//!
//! Edits work on normalised text (no BOM, `\n` line endings); [`TextForm::restore`] puts the
//! file's own form back on the result, so a CRLF file stays CRLF on every line, a BOM stays, and
//! a diff of the normalised texts shows only the lines an edit changed. A file that mixes CRLF
//! and LF line endings is left as it is (its `\r` stay part of the lines; edited lines get LF).

/// The form of a text: a leading byte-order mark, and whether every line ends in CRLF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextForm {
    /// The text starts with U+FEFF.
    pub bom: bool,
    /// Every line ending is `\r\n` (and there is at least one).
    pub crlf: bool,
}

const BOM: char = '\u{feff}';

impl TextForm {
    /// Detects the form of `text` and returns it with the normalised text.
    pub fn detect(text: &str) -> (TextForm, String) {
        let (bom, body) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let newlines = body.matches('\n').count();
        let crlf = newlines > 0 && body.matches("\r\n").count() == newlines;
        let normal = if crlf {
            body.replace("\r\n", "\n")
        } else {
            body.to_owned()
        };
        (TextForm { bom, crlf }, normal)
    }

    /// Returns normalised `text` in this form.
    pub fn restore(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 32 + 3);
        if self.bom {
            out.push(BOM);
        }
        if self.crlf {
            out.push_str(&text.replace('\n', "\r\n"));
        } else {
            out.push_str(text);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_form() {
        for text in [
            "a\nb\n",
            "a\r\nb\r\n",
            "\u{feff}a\r\nb",
            "\u{feff}x\n",
            "a\r\nb\n",
            "",
        ] {
            let (form, normal) = TextForm::detect(text);
            assert_eq!(form.restore(&normal), text, "{text:?}");
        }
        let (form, normal) = TextForm::detect("\u{feff}a\r\nb\r\n");
        assert_eq!(
            form,
            TextForm {
                bom: true,
                crlf: true
            }
        );
        assert_eq!(normal, "a\nb\n");
        let (form, _) = TextForm::detect("a\r\nb\n");
        assert!(!form.crlf, "mixed endings are left alone");
    }
}
