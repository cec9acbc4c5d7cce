//! SVG charts of a matrix file's history, shared by `edx-matrix history --format svg` and the
//! dashboard's `/history` page: the stage [`timeline`] (one swimlane per (deployment, stage), a
//! band per release a stage ran) and the [`lead_times`] (days from a deployment's first stage
//! to its last, per release). Pure functions from a [`History`](edx_matrix_model::history::History) to SVG text, no I/O.
//!
//! The charts are standalone SVG documents (a `viewBox`, a `width` and `height` in CSS pixels
//! so text is 12 px at 100 % zoom, no script, no external resource), with every value from the
//! history escaped. Each band and bar has a `<title>`, shown on hover. Releases are coloured
//! with `release_colour`, the palette of the dashboard's grid.
//!
//! ```
//! use edx_matrix_formats::chart::{Options, timeline};
//! use edx_matrix_model::history::History;
//! let history = History { file: "edx-matrix.toml".into(), ..History::default() };
//! let svg = timeline(&history, &Options::default());
//! assert!(svg.starts_with("<svg ") && svg.contains("viewBox="));
//! ```
#![deny(missing_docs)]

mod axis;
mod lead_times;
mod timeline;

pub use lead_times::lead_times;
pub use timeline::timeline;

use edx_matrix_model::history::CommitRef;
use std::fmt::Write as _;

/// The release colours, in slot order: the grid's `.rel-0` … `.rel-7` of the dashboard's
/// `style.css` (a test of the server checks both agree).
pub const PALETTE: [&str; 8] = [
    "#cfe6ff", "#d3f2c6", "#ffe1b0", "#ead8ff", "#ffd5d5", "#c6f0ec", "#fff1a6", "#e1e1e1",
];

/// Returns the colour slot of `release`: its position in `releases` (the matrix's release
/// order), modulo the palette; 0 for a release not in the list.
pub fn release_slot<'a>(releases: impl IntoIterator<Item = &'a str>, release: &str) -> usize {
    releases.into_iter().position(|r| r == release).unwrap_or(0) % PALETTE.len()
}

/// Returns the colour of a slot from [`release_slot`].
pub(crate) fn release_colour(slot: usize) -> &'static str {
    PALETTE[slot % PALETTE.len()]
}

/// The link of a timeline band: given the commit that started it and the revision before that
/// commit (none for the first revision), the URL the band opens.
pub(crate) type Link<'a> = &'a dyn Fn(&CommitRef, Option<&CommitRef>) -> String;

/// What a chart needs besides the history.
#[derive(Default)]
pub struct Options<'a> {
    /// Where the time axis starts (seconds since the Unix epoch), as `--since` narrows it;
    /// without it, at the oldest change shown.
    pub since: Option<i64>,
    /// The link of a band: given the commit that started it and the revision before that
    /// commit (none for the first revision), the URL the band opens. Without it, bands are not
    /// links.
    pub link: Option<Link<'a>>,
}

/// Escapes text for an XML attribute value or element content.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The font size of every text, in CSS pixels.
pub(crate) const FONT: f64 = 12.0;
/// An upper bound of the width of one character at [`FONT`], to decide whether a label fits.
pub(crate) const CHAR_WIDTH: f64 = 7.0;

/// Opens a standalone SVG document of `width` × `height` CSS pixels, titled `title`.
pub(crate) fn open_svg(out: &mut String, width: f64, height: f64, id: &str, title: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" role=\"img\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" \
         font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"{FONT}\" \
         fill=\"#1a1a1a\" aria-labelledby=\"{id}-title\">\n<title id=\"{id}-title\">{}</title>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        escape(title)
    );
    // Colours are presentation attributes, never a `<style>` element: the dashboard inlines
    // this SVG under `Content-Security-Policy: style-src 'self'`, which blocks inline style
    // sheets (the bands were black) but not attributes. Text inherits the root's `fill`.
}

/// Writes the hatching that fills what unreadable revisions hide (`{id}-gap`): grey diagonal
/// stripes over transparency, so a lane's background or a bar's colour shows between them. A
/// `<pattern>` with presentation attributes, like every colour here (no `<style>`: the
/// dashboard's policy). Each chart has its own id, as the dashboard inlines both in one page.
pub(crate) fn gap_pattern(out: &mut String, id: &str) {
    let _ = writeln!(
        out,
        "<defs><pattern id=\"{id}-gap\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" \
         patternTransform=\"rotate(45)\"><rect width=\"2.5\" height=\"6\" fill=\"#7a7a7a\"/></pattern></defs>"
    );
}

/// Formats a coordinate with one decimal, without a trailing `.0`.
pub(crate) fn px(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>\u{1b}[31m"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\u{fffd}[31m"
        );
    }

    #[test]
    fn slots_follow_the_release_order() {
        let order = ["teak", "ulmo", "verawood"];
        assert_eq!(release_slot(order, "ulmo"), 1);
        assert_eq!(release_slot(order, "zebra"), 0);
        let many: Vec<String> = (0..10).map(|i| format!("r{i}")).collect();
        assert_eq!(release_slot(many.iter().map(String::as_str), "r9"), 1);
    }
}
