//! Template values to JSON without recursion: an explicit stack, so a value nested thousands
//! deep (or a list that contains itself) ends in a located "too deep" error instead of a native
//! stack overflow, and a value that shares one big part many times ends at the memory bound
//! instead of being copied out gigabytes large.

use serde_json::{Map, Value as Json};
use starlark::values::Value;
use starlark::values::dict::DictRef;
use starlark::values::list::ListRef;
use starlark::values::structs::StructRef;
use starlark::values::tuple::TupleRef;

/// Why a value could not be converted.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum ConvertError {
    /// Nested deeper than the depth bound; the path to the first part past it.
    TooDeep(String),
    /// Larger than the memory bound once copied out (bytes of strings plus a few per value).
    TooLarge(String),
    /// A part that is not plain data; the path to it and what it is.
    NotData(String, String),
}

/// What [`to_json`] does with a part that is not plain data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Others {
    /// Refuse it (a value `pipelines` returned).
    Refuse,
    /// Skip it (measuring the values a loaded file defines: functions are fine there).
    Skip,
}

/// One container being copied: its remaining parts and what was copied so far.
enum Frame<'v> {
    List {
        parts: Vec<Value<'v>>,
        next: usize,
        out: Vec<Json>,
    },
    Map {
        parts: Vec<(String, Value<'v>)>,
        next: usize,
        out: Map<String, Json>,
    },
}

impl Frame<'_> {
    fn step(&self) -> String {
        match self {
            Frame::List { next, .. } => format!("[{}]", next.saturating_sub(1)),
            Frame::Map { parts, next, .. } => {
                let key = parts
                    .get(next.saturating_sub(1))
                    .map_or("", |(k, _)| k.as_str());
                if !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                {
                    format!(".{key}")
                } else {
                    format!("[{key:?}]")
                }
            }
        }
    }
}

fn path_of(stack: &[Frame<'_>]) -> String {
    const SHOWN: usize = 12;
    let mut out = String::from("value");
    for frame in stack.iter().take(SHOWN) {
        out.push_str(&frame.step());
    }
    if stack.len() > SHOWN {
        out.push_str(&format!("… ({} levels)", stack.len()));
    }
    out
}

/// Opens `value` as a container: its parts, or `None` for a scalar.
fn open<'v>(value: Value<'v>) -> Result<Option<Frame<'v>>, String> {
    if let Some(list) = ListRef::from_value(value) {
        return Ok(Some(list_frame(list.content())));
    }
    if let Some(tuple) = TupleRef::from_value(value) {
        return Ok(Some(list_frame(tuple.content())));
    }
    if let Some(dict) = DictRef::from_value(value) {
        let mut parts = Vec::with_capacity(dict.len());
        for (k, v) in dict.iter() {
            let Some(key) = k.unpack_str() else {
                return Err(format!(
                    "a dict key that is {} (keys must be strings)",
                    k.get_type()
                ));
            };
            parts.push((key.to_owned(), v));
        }
        return Ok(Some(map_frame(parts)));
    }
    if let Some(s) = StructRef::from_value(value) {
        let parts = s.iter().map(|(k, v)| (k.as_str().to_owned(), v)).collect();
        return Ok(Some(map_frame(parts)));
    }
    Ok(None)
}

fn list_frame<'v>(parts: &[Value<'v>]) -> Frame<'v> {
    Frame::List {
        parts: parts.to_vec(),
        next: 0,
        out: Vec::with_capacity(parts.len().min(1024)),
    }
}

fn map_frame(parts: Vec<(String, Value<'_>)>) -> Frame<'_> {
    Frame::Map {
        parts,
        next: 0,
        out: Map::new(),
    }
}

/// Returns a scalar as JSON, `None` when it is not plain data.
fn scalar(value: Value<'_>) -> Option<Json> {
    if value.is_none() {
        return Some(Json::Null);
    }
    if let Some(b) = value.unpack_bool() {
        return Some(Json::Bool(b));
    }
    if let Some(s) = value.unpack_str() {
        return Some(Json::String(s.to_owned()));
    }
    match value.get_type() {
        // Big integers and floats: Starlark's own conversion, which does not recurse for them.
        "int" | "float" => value.to_json_value().ok(),
        _ => None,
    }
}

/// Copies `value` out of the Starlark heap: at most `depth` levels of lists and dicts, and at
/// most `max_bytes` (string bytes plus 16 per value).
pub(super) fn to_json(
    value: Value<'_>,
    depth: usize,
    max_bytes: u64,
    others: Others,
) -> Result<Json, ConvertError> {
    let mut bytes: u64 = 0;
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut current = value;
    loop {
        // Place `current`: a scalar goes into the open container, a container is opened.
        bytes += 16;
        let placed = match open(current) {
            Err(what) => return Err(ConvertError::NotData(path_of(&stack), what)),
            Ok(Some(frame)) => {
                if stack.len() >= depth {
                    return Err(ConvertError::TooDeep(path_of(&stack)));
                }
                stack.push(frame);
                None
            }
            Ok(None) => match scalar(current) {
                Some(json) => {
                    if let Json::String(s) = &json {
                        bytes += s.len() as u64;
                    }
                    Some(json)
                }
                None if others == Others::Skip => Some(Json::Null),
                None => {
                    return Err(ConvertError::NotData(
                        path_of(&stack),
                        format!("a value of type `{}`", current.get_type()),
                    ));
                }
            },
        };
        if bytes > max_bytes {
            return Err(ConvertError::TooLarge(path_of(&stack)));
        }
        let mut done = placed;
        // Close every finished container, then move to the next part.
        loop {
            let Some(top) = stack.last_mut() else {
                return Ok(done.unwrap_or(Json::Null));
            };
            if let Some(json) = done.take() {
                match top {
                    Frame::List { out, .. } => out.push(json),
                    Frame::Map {
                        out, parts, next, ..
                    } => {
                        out.insert(std::mem::take(&mut parts[*next - 1].0), json);
                    }
                }
            }
            let next_part = match top {
                Frame::List { parts, next, .. } => {
                    parts.get(*next).copied().inspect(|_| *next += 1)
                }
                Frame::Map { parts, next, .. } => {
                    parts.get(*next).map(|(_, v)| *v).inspect(|_| *next += 1)
                }
            };
            match next_part {
                Some(part) => {
                    current = part;
                    break;
                }
                None => {
                    let finished = stack.pop().map(|frame| match frame {
                        Frame::List { out, .. } => Json::Array(out),
                        Frame::Map { out, .. } => Json::Object(out),
                    });
                    if stack.is_empty() {
                        return Ok(finished.unwrap_or(Json::Null));
                    }
                    done = finished;
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;
    use starlark::environment::{GlobalsBuilder, LibraryExtension, Module};
    use starlark::eval::Evaluator;
    use starlark::syntax::{AstModule, Dialect};

    /// Converts the value of the Starlark expression `code`.
    fn convert(
        code: &str,
        depth: usize,
        max_bytes: u64,
        others: Others,
    ) -> Result<Json, ConvertError> {
        let globals = GlobalsBuilder::extended_by(&[LibraryExtension::StructType]).build();
        let ast = AstModule::parse("t.star", code.to_owned(), &Dialect::Extended).unwrap();
        Module::with_temp_heap(|module| {
            let mut eval = Evaluator::new(&module);
            let value = eval.eval_module(ast, &globals).unwrap();
            to_json(value, depth, max_bytes, others)
        })
    }

    fn plain(code: &str) -> Result<Json, ConvertError> {
        convert(code, 100, 1 << 20, Others::Refuse)
    }

    #[test]
    fn plain_data_of_every_kind_is_copied_out() {
        assert_eq!(
            plain(
                "{\"a\": [1, 2.5, True, None, \"s\"], \"b\": (3, 4), \"c\": struct(d = \"e\"), \"f\": {}}"
            ),
            Ok(json!({"a": [1, 2.5, true, null, "s"], "b": [3, 4], "c": {"d": "e"}, "f": {}}))
        );
        assert_eq!(plain("2 * 2"), Ok(json!(4)));
        assert_eq!(plain("0.5"), Ok(json!(0.5)));
    }

    #[test]
    fn a_part_that_is_not_data_is_refused_at_its_path_or_skipped() {
        let code = "def f():\n    pass\n{\"jobs\": [1, f]}";
        assert_eq!(
            plain(code),
            Err(ConvertError::NotData(
                "value.jobs[1]".to_owned(),
                "a value of type `function`".to_owned()
            ))
        );
        assert_eq!(
            convert(code, 100, 1 << 20, Others::Skip),
            Ok(json!({"jobs": [1, null]}))
        );
        assert_eq!(
            plain("{\"a\": {1: 2}}"),
            Err(ConvertError::NotData(
                "value.a".to_owned(),
                "a dict key that is int (keys must be strings)".to_owned()
            ))
        );
    }

    #[test]
    fn a_path_names_plain_keys_after_a_dot_and_others_quoted() {
        // Depth 3: the fourth container is one too many.
        let code = "{\"a-b_1\": [{\"with space\": [{\"\": []}]}]}";
        assert_eq!(
            convert(code, 3, 1 << 20, Others::Refuse),
            Err(ConvertError::TooDeep(
                "value.a-b_1[0][\"with space\"]".to_owned()
            ))
        );
        assert_eq!(
            convert(code, 4, 1 << 20, Others::Refuse),
            Err(ConvertError::TooDeep(
                "value.a-b_1[0][\"with space\"][0]".to_owned()
            ))
        );
        assert_eq!(
            convert(code, 5, 1 << 20, Others::Refuse),
            Err(ConvertError::TooDeep(
                "value.a-b_1[0][\"with space\"][0][\"\"]".to_owned()
            ))
        );
        assert_eq!(
            convert("{\"x.y\": [[]], \"é\": 1}", 1, 1 << 20, Others::Refuse),
            Err(ConvertError::TooDeep("value[\"x.y\"]".to_owned()))
        );
    }

    #[test]
    fn a_path_shows_twelve_levels_then_how_many() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        // Twelve open lists, the thirteenth refused: all twelve shown.
        assert_eq!(
            convert(&nested(13), 12, 1 << 20, Others::Refuse),
            Err(ConvertError::TooDeep(format!("value{}", "[0]".repeat(12))))
        );
        assert_eq!(
            convert(&nested(14), 13, 1 << 20, Others::Refuse),
            Err(ConvertError::TooDeep(format!(
                "value{}… (13 levels)",
                "[0]".repeat(12)
            )))
        );
    }

    #[test]
    fn the_size_is_string_bytes_plus_sixteen_per_value() {
        // A list (16) of three four-byte strings (3 × 20): 76 bytes.
        let code = "[\"abcd\", \"efgh\", \"ijkl\"]";
        assert_eq!(
            convert(code, 100, 76, Others::Refuse),
            Ok(json!(["abcd", "efgh", "ijkl"]))
        );
        assert_eq!(
            convert(code, 100, 75, Others::Refuse),
            Err(ConvertError::TooLarge("value[2]".to_owned()))
        );
    }
}
