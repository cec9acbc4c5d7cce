//! Setting a stage's release (a stage pin) in the document and in the model.

use super::columns::Columns;
use super::inline::{replace_inline, replace_value};
use super::section_mut;
use crate::edit::EditError;
use edx_matrix_model::Matrix;
use toml_edit::{DocumentMut, Item, Value};

/// Pins `stage` of `deployment` to `release` in `[deployments]`, keeping the line's layout.
pub(crate) fn set_pin(
    doc: &mut DocumentMut,
    deployment: &str,
    stage: &str,
    release: &str,
) -> Result<(), EditError> {
    let section = section_mut(doc, "deployments")?;
    let columns = Columns::of(section);
    let missing =
        || EditError::Unreadable(format!("no deployment `{deployment}` in `[deployments]`"));
    match section.get_mut(deployment).ok_or_else(missing)? {
        Item::Value(Value::InlineTable(t)) => {
            // A stage with values: `QA = { release = "ulmo", vars = { … } }`.
            if let Some(Value::InlineTable(pin)) = t.get_mut(stage) {
                replace_inline(pin, "release", Value::from(release));
            } else if t.contains_key(stage) {
                replace_inline(t, stage, Value::from(release));
            } else {
                t.insert(stage, Value::from(release));
            }
        }
        Item::Table(t) => {
            // `[deployments.pro]` with a line per stage: its own columns stay aligned.
            let stage_columns = Columns::of(&*t);
            match t.get_mut(stage) {
                Some(Item::Value(Value::InlineTable(pin))) => {
                    replace_inline(pin, "release", Value::from(release));
                }
                Some(Item::Value(v)) => replace_value(v, Value::from(release)),
                _ => {
                    t.insert(stage, toml_edit::value(release));
                }
            }
            stage_columns.realign(t);
        }
        _ => {
            return Err(EditError::Unreadable(format!(
                "deployment `{deployment}` is not a table"
            )));
        }
    }
    columns.realign(section);
    Ok(())
}

/// Sets the pin of `stage` of `deployment` in the model.
pub(crate) fn set_pin_in_model(matrix: &mut Matrix, deployment: &str, stage: &str, release: &str) {
    if let Some(d) = matrix.deployments.iter_mut().find(|d| d.name == deployment) {
        match d.stages.iter_mut().find(|p| p.stage == stage) {
            Some(pin) => pin.release = release.into(),
            None => d.stages.push(edx_matrix_model::StagePin {
                stage: stage.into(),
                release: release.into(),
                vars: Default::default(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deployment_table_keeps_its_stage_columns() {
        let text = "[deployments.pro]\n\
            CI         = { release = \"verawood\", vars = { A = 1 } }\n\
            QA         = { release = \"ulmo\",     vars = { A = 2 } }\n";
        let mut doc: DocumentMut = text.parse().expect("TOML");
        set_pin(&mut doc, "pro", "CI", "master").expect("pinned");
        assert_eq!(
            doc.to_string(),
            "[deployments.pro]\n\
            CI         = { release = \"master\",   vars = { A = 1 } }\n\
            QA         = { release = \"ulmo\",     vars = { A = 2 } }\n"
        );
        // Past the column, the column moves right for every stage.
        set_pin(&mut doc, "pro", "QA", "verawood-long").expect("pinned");
        assert_eq!(
            doc.to_string(),
            "[deployments.pro]\n\
            CI         = { release = \"master\",        vars = { A = 1 } }\n\
            QA         = { release = \"verawood-long\", vars = { A = 2 } }\n"
        );
    }

    #[test]
    fn a_plain_stage_line_of_a_deployment_table_keeps_its_comment() {
        let text = "[deployments.pro]\nCI = \"verawood\" # until the freeze\nQA = \"ulmo\"\n";
        let mut doc: DocumentMut = text.parse().expect("TOML");
        set_pin(&mut doc, "pro", "CI", "master").expect("pinned");
        assert_eq!(
            doc.to_string(),
            "[deployments.pro]\nCI = \"master\" # until the freeze\nQA = \"ulmo\"\n"
        );
    }
}
