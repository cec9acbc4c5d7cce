//! Resolved rows as `resolve --format json` writes them, serialised straight from the rows: no
//! `serde_json::Value` per row, so the output streams and costs no memory of its own.

use edx_matrix_model::vars::{Vars, of_stage};
use edx_matrix_model::{Matrix, Row};
use serde::ser::{Serialize, SerializeSeq, Serializer};

/// The rows as a JSON array of [`super::row_json`] objects (each row's fields, then the merged
/// `vars` of its stage when it has any).
pub struct RowsJson<'a, 'm> {
    matrix: &'m Matrix,
    rows: &'a [Row<'m>],
}

impl<'a, 'm> RowsJson<'a, 'm> {
    /// The rows of `matrix` to serialise.
    pub fn new(matrix: &'m Matrix, rows: &'a [Row<'m>]) -> Self {
        RowsJson { matrix, rows }
    }

    /// Writes the rows as pretty JSON (no final newline): the bytes `serde_json::to_writer_pretty`
    /// writes for `self`, by a writer of its own (`super::rows_pretty`) at a fraction of the cost.
    pub fn write_pretty<W: std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        super::rows_pretty::write_rows(out, self.rows, |row| {
            of_stage(self.matrix, row.deployment, row.stage)
        })
    }
}

/// One row and its stage's vars.
#[derive(serde::Serialize)]
struct RowWithVars<'r, 'm> {
    #[serde(flatten)]
    row: &'r Row<'m>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vars: Option<&'r Vars>,
}

impl Serialize for RowsJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.rows.len()))?;
        // Rows come grouped by (deployment, stage): look each stage's vars up once (the lookup
        // is a scan of the deployments).
        let mut stage: Option<(&str, &str)> = None;
        let mut vars = Vars::default();
        for row in self.rows {
            if stage != Some((row.deployment, row.stage)) {
                stage = Some((row.deployment, row.stage));
                vars = of_stage(self.matrix, row.deployment, row.stage);
            }
            seq.serialize_element(&RowWithVars {
                row,
                vars: (!vars.is_empty()).then_some(&vars),
            })?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use edx_matrix_model::{Filter, resolve};

    /// The streamed rows are exactly the `Value` rows, pretty and compact, vars included.
    #[test]
    fn streams_the_same_json_as_row_json() {
        let loaded = crate::load_toml(crate::Source::new("acme", crate::example::TEXT));
        let matrix = &loaded.matrix;
        let rows = resolve(matrix, &Filter::default()).rows;
        assert!(rows.len() > 100);
        let values: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| super::super::row_json(matrix, r))
            .collect();
        assert!(values.iter().any(|v| v.get("vars").is_some()));
        assert!(values.iter().any(|v| v.get("vars").is_none()));
        let streamed = RowsJson::new(matrix, &rows);
        assert_eq!(
            serde_json::to_string_pretty(&streamed).unwrap(),
            serde_json::to_string_pretty(&values).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&streamed).unwrap(),
            serde_json::to_string(&values).unwrap()
        );
        let mut written = Vec::new();
        streamed.write_pretty(&mut written).unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            serde_json::to_string_pretty(&values).unwrap()
        );
    }
}
