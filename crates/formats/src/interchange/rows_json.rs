//! Resolved rows as `resolve --format json` writes them, serialised straight from the rows: no
//! `serde_json::Value` per row, so the output streams and costs no memory of its own.

pub use super::rows_pretty::RowsError;
use edx_matrix_model::vars::{Vars, of_stage};
use edx_matrix_model::{Matrix, Row};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::convert::Infallible;

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
        let rows = self.rows.iter().map(|row| Ok::<_, Infallible>(*row));
        write_stream(out, self.matrix, rows).map_err(|e| match e {
            RowsError::Write(e) => e,
            RowsError::Row(never) => match never {},
        })
    }
}

/// Writes rows as they come (`resolve_stream`'s, say) as the pretty JSON array
/// [`RowsJson::write_pretty`] writes for them all, holding none: the memory of a million rows
/// is that of one. The first error among the rows stops it before the array is closed (see
/// [`RowsError`]).
pub fn write_stream<'m, W: std::io::Write, E>(
    out: &mut W,
    matrix: &'m Matrix,
    rows: impl IntoIterator<Item = Result<Row<'m>, E>>,
) -> Result<(), RowsError<E>> {
    super::rows_pretty::write_rows(out, rows, |row| of_stage(matrix, row.deployment, row.stage))
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
    use edx_matrix_model::vars::{VarValue, Vars};
    use edx_matrix_model::{Filter, resolve, resolve_stream};
    use edx_matrix_test_support::{TOML_SHAPES, matrix};
    use proptest::prelude::*;

    /// The acme example, loaded.
    fn acme() -> crate::Loaded {
        crate::load_toml(crate::Source::new("acme", crate::example::TEXT))
    }

    /// What `resolve --format json` wrote before rows streamed: serde_json's pretty text of
    /// every row collected first.
    fn collected_text(matrix: &Matrix, filter: &Filter) -> String {
        let rows = resolve(matrix, filter).rows;
        serde_json::to_string_pretty(&RowsJson::new(matrix, &rows)).unwrap()
    }

    fn streamed_text(matrix: &Matrix, filter: &Filter) -> String {
        let mut out = Vec::new();
        write_stream(&mut out, matrix, resolve_stream(matrix, filter)).unwrap();
        String::from_utf8(out).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Streamed rows are serde_json's text of the collected rows, byte for byte, on random
        /// matrices with vars on some deployments and stages (and `extra` values).
        #[test]
        fn streams_what_serde_json_writes_of_the_collected_rows(
            mut m in matrix(&TOML_SHAPES),
            marks in proptest::collection::vec(0u8..4, 16),
        ) {
            for (d, mark) in m.deployments.iter_mut().zip(&marks) {
                let value = |v: &str| Vars(vec![("k".to_owned(), VarValue::String(v.to_owned()))]);
                if mark & 1 == 1 {
                    d.vars = value("deployment");
                }
                if let Some(pin) = d.stages.first_mut().filter(|_| mark & 2 == 2) {
                    pin.vars = value("stage \"quoted\"");
                }
            }
            let filter = Filter::default();
            prop_assert_eq!(streamed_text(&m, &filter), collected_text(&m, &filter));
        }
    }

    /// The example (vars, overrides, every filter kind) streams the collected text too.
    #[test]
    fn streams_the_example_as_collected() {
        let loaded = acme();
        let m = &loaded.matrix;
        for filter in [
            Filter::default(),
            Filter {
                deployment: Some("campus".into()),
                ..Filter::default()
            },
            Filter {
                stage: Some("nowhere".into()),
                ..Filter::default()
            },
        ] {
            let text = streamed_text(m, &filter);
            assert_eq!(text, collected_text(m, &filter));
        }
        assert_eq!(
            streamed_text(
                m,
                &Filter {
                    stage: Some("nowhere".into()),
                    ..Filter::default()
                }
            ),
            "[]"
        );
    }

    /// An error after some rows stops the array unclosed: the rows before it are written as
    /// they were, and the text is no JSON document; an error first writes nothing.
    #[test]
    fn an_error_mid_stream_leaves_no_valid_document() {
        let loaded = acme();
        let m = &loaded.matrix;
        let whole = collected_text(m, &Filter::default());
        for after in [0, 1, 5] {
            let rows = resolve_stream(m, &Filter::default())
                .map(|r| r.map_err(|_| "unresolved"))
                .take(after)
                .chain([Err("broken")]);
            let mut out = Vec::new();
            let error = write_stream(&mut out, m, rows).unwrap_err();
            assert!(matches!(error, RowsError::Row("broken")), "{error:?}");
            let text = String::from_utf8(out).unwrap();
            if after == 0 {
                assert_eq!(text, "");
            } else {
                assert!(whole.starts_with(&text));
                assert!(text.ends_with('}'), "{text}");
            }
            assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
        }
    }

    /// A writer that fails (a full disk) stops the rows with its error.
    #[test]
    fn a_failing_writer_stops_with_its_error() {
        struct Full(usize);
        impl std::io::Write for Full {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                if self.0 < buf.len() {
                    return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
                }
                self.0 -= buf.len();
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let loaded = acme();
        let m = &loaded.matrix;
        let error = write_stream(&mut Full(2000), m, resolve_stream(m, &Filter::default()));
        match error {
            Err(RowsError::Write(e)) => assert_eq!(e.kind(), std::io::ErrorKind::StorageFull),
            other => panic!("{other:?}"),
        }
    }

    /// The streamed rows are exactly the `Value` rows, pretty and compact, vars included.
    #[test]
    fn streams_the_same_json_as_row_json() {
        let loaded = acme();
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
