//! Edits of the acme example's text that tests use to make a revision or a change: the
//! example writes `pro` as a table with a line per stage (its stages carry vars), so a test
//! pins `pro`'s stages with [`pin_pro`] rather than by matching a whole line.

/// `pro`'s stages, in promotion order.
const PRO_STAGES: [&str; 3] = ["CI", "QA", "Production"];

/// `text` (the acme example, or a text derived from it) with `pro`'s stages CI, QA and
/// Production running `pins`; their vars are kept.
///
/// # Panics
///
/// When `text` has no `[deployments.pro]` table with a `release = "…"` line for each stage.
#[track_caller]
pub fn pin_pro(text: &str, pins: [&str; 3]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_pro = false;
    let mut pinned = [false; 3];
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_pro = trimmed.starts_with("[deployments.pro]");
        }
        let stage = PRO_STAGES.iter().position(|stage| {
            trimmed
                .strip_prefix(stage)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        });
        match stage {
            Some(i) if in_pro => {
                out.push_str(&with_release(line, pins[i]));
                pinned[i] = true;
            }
            _ => out.push_str(line),
        }
    }
    assert!(
        pinned.iter().all(|p| *p),
        "no `release = \"…\"` line for every stage of [deployments.pro] in:\n{text}"
    );
    out
}

/// `line` with the value of its `release = "…"` replaced by `release`.
#[track_caller]
fn with_release(line: &str, release: &str) -> String {
    const KEY: &str = "release = \"";
    let start = line
        .find(KEY)
        .unwrap_or_else(|| panic!("no `release = \"…\"` in {line:?}"))
        + KEY.len();
    let end = start
        + line[start..]
            .find('"')
            .unwrap_or_else(|| panic!("unterminated release in {line:?}"));
    format!("{}{release}{}", &line[..start], &line[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[deployments]\ncampus = { CI = \"master\" }\n\n[deployments.pro]\n\
        CI         = { release = \"verawood\", vars = { A = 1 } }\n\
        QA         = { release = \"ulmo\",     vars = { A = 2 } }\n\
        Production = { release = \"teak\",     vars = { A = 3 } }\n\n[deployments.pro.vars]\nCI_URL = \"x\"\n";

    #[test]
    fn pins_each_stage_and_keeps_the_rest() {
        let pinned = pin_pro(TEXT, ["master", "verawood", "ulmo"]);
        assert_eq!(
            pinned,
            TEXT.replace("\"verawood\"", "\"master\"")
                .replace("\"ulmo\"", "\"verawood\"")
                .replace("\"teak\"", "\"ulmo\"")
        );
    }

    #[test]
    #[should_panic(expected = "no `release")]
    fn a_text_without_the_table_is_a_test_bug() {
        pin_pro("[deployments]\npro = { CI = \"teak\" }\n", ["a", "b", "c"]);
    }
}
