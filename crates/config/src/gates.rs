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
use edx_matrix_model::gate::{Freeze, Gates, Soak, StageGate};
use edx_matrix_model::suggest::did_you_mean;
use edx_matrix_model::{Code, Matrix};
use toml_edit::Item;

/// The keys of a `[gates.STAGE]` table.
pub const GATE_KEYS: &[&str] = &["soak", "freeze"];

/// Reads the `[gates]` table `item` of `root`, keeping only the well-formed gates and reporting
/// every problem through `toml`.
pub fn read_gates(
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
