//! Reading the `[gates]` section: the promotion gates each stage declares (the rules and the
//! verdicts are [`edx_matrix_model::gate`]). Every problem is a located diagnostic: a soak that
//! is not a duration or a freeze window that is not a weekday, a day or a range of days
//! (`invalid-gate`), a stage the stage order lacks (`gate-undefined-stage`), an unknown key.
//!
//! ```toml
//! [gates.Production]
//! soak = "3d"                                            # QA's locked commits ran there 3 days
//! freeze = ["sat", "sun", "2026-12-20..2027-01-04"]      # UTC
//! ```

use crate::spanned::{TomlReader, key_span};
use edx_matrix_model::did_you_mean;
use edx_matrix_model::{Code, Matrix};
use edx_matrix_model::{Freeze, Gates, Soak, StageGate};
use toml_edit::Item;

/// The keys of a `[gates.STAGE]` table.
pub(crate) const GATE_KEYS: &[&str] = &["soak", "freeze"];

/// Reads the `[gates]` table `item` of `root`, keeping only the well-formed gates and reporting
/// every problem through `toml`.
pub(crate) fn read_gates(
    toml: &mut TomlReader,
    root: &toml_edit::Table,
    item: &Item,
    matrix: &Matrix,
) -> Gates {
    let at = key_span(root, "gates", &toml.fallback());
    let mut gates = Gates::default();
    let Some(table) = toml.table(item, "`gates`", &at) else {
        return gates;
    };
    let stages: Vec<&str> = matrix.stages.iter().map(|s| s.as_str()).collect();
    for (stage, item) in table.iter() {
        let stage_at = key_span(table, stage, &at);
        if !stages.contains(&stage) {
            let suggestion = did_you_mean(stage, stages.iter().copied());
            let d = toml.push(
                Code::GateUndefinedStage,
                stage_at.clone(),
                format!("gates for stage `{stage}`, which is not in `stages`"),
                "no such stage",
            );
            d.help.push(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the stages are {}", stages.join(", ")),
            });
        }
        let what = format!("`[gates.{stage}]`");
        let Some(gate_table) = toml.table(item, &what, &stage_at) else {
            continue;
        };
        toml.unknown_keys(gate_table, GATE_KEYS, &what, &stage_at);
        let mut gate = StageGate::default();
        if let Some(item) = gate_table.get("soak") {
            let what = format!("`soak` of {what}");
            if let Some((text, span)) = toml.string(item, &what, &stage_at) {
                match Soak::parse(&text) {
                    Ok(soak) => gate.soak = Some(soak),
                    Err(problem) => {
                        toml.push(
                            Code::InvalidGate,
                            span,
                            format!("invalid soak `{}`: {problem}", text.escape_debug()),
                            "not a duration",
                        );
                    }
                }
            }
        }
        if let Some(item) = gate_table.get("freeze") {
            let what = format!("`freeze` of {what}");
            for (text, span) in toml
                .string_array(item, &what, &stage_at)
                .unwrap_or_default()
            {
                match Freeze::parse(&text) {
                    Ok(freeze) => gate.freeze.push(freeze),
                    Err(problem) => {
                        toml.push(
                            Code::InvalidGate,
                            span,
                            format!("invalid freeze window: {problem}"),
                            "not a weekday, day or range of days",
                        );
                    }
                }
            }
        }
        if stages.contains(&stage) {
            gates.insert(stage, gate);
        }
    }
    gates
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::{Source, load_toml};
    use edx_matrix_model::Code;

    const MATRIX: &str = r#"stages = ["CI", "QA"]

[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }

[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }

[deployments]
site = { CI = "ulmo", QA = "ulmo" }

[[map]]
releases = ["ulmo"]
deployments = ["site"]
[map.apps]
forum = {}
"#;

    /// The (code, line, column) of every diagnostic of the matrix with `gates` appended.
    fn problems(gates: &str) -> Vec<(Code, usize, usize)> {
        let source = Source::new("m.toml", format!("{MATRIX}{gates}"));
        let loaded = load_toml(source);
        loaded
            .diagnostics
            .iter()
            .map(|d| {
                let (line, col) = d.line_col(&loaded.source).unwrap();
                (d.code, line, col)
            })
            .collect()
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_located() {
        // MATRIX has 16 lines: line 17 is the first of `gates`.
        assert_eq!(
            problems("[gates.QA]\nsok = \"1d\"\nfreeze = \"sat\"\n"),
            [(Code::UnknownKey, 18, 1), (Code::WrongType, 19, 10)]
        );
        assert_eq!(
            problems("[gates.QA]\nsoak = 3\n"),
            [(Code::WrongType, 18, 8)]
        );
        assert_eq!(problems("[gates]\nQA = 1\n"), [(Code::WrongType, 18, 6)]);
        assert_eq!(
            problems("[gates.QA]\nfreeze = [\"sat\", 1]\n"),
            [(Code::WrongType, 18, 18)]
        );
    }

    #[test]
    fn well_formed_gates_are_kept() {
        let text = format!("{MATRIX}[gates.QA]\nsoak = \"1w\"\nfreeze = [\"fri\"]\n");
        let read = crate::runbook::read(&text, &load_toml(Source::new("m", text.clone())).matrix);
        assert!(read.diagnostics.is_empty());
        let gate = read.gates.of("QA").unwrap();
        assert_eq!(gate.soak.as_ref().unwrap().seconds, 604_800);
        assert_eq!(gate.freeze[0].text, "fri");
        assert!(read.gates.of("CI").is_none());
    }
}
