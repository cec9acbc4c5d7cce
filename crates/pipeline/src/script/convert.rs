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
