//! An entry's values the matrix does not read — a field of the entry class it has no place for
//! (`branding={...}`), or a keyword argument that is not a field (`build_args=[...]`) — carried
//! as the application version's `extra`, so `resolve`, the interchange JSON and `export python`
//! give them back. `None` is left out (the exported field's default); what has no TOML form (a
//! `None` inside a value, an enum member, a call, a non-string dict key) is an error at its place.

use super::build::EntryClass;
use super::eval::{Call, Error, This, Val, Value, err};
use crate::extra_load::float_text;
use edx_matrix_model::vars::FloatText;
use edx_matrix_model::{Extra, ExtraValue};

/// The extra values of one entry call: its keyword arguments the matrix does not carry (a field
/// of the class it has no place for, or a keyword that is not a field), in call order — the
/// order `export python` writes them back in — then the class's other such fields whose default
/// is not `None`, in class order.
pub(super) fn of_entry(
    ec: &EntryClass<'_>,
    this: &This,
    call: &Call,
    carried: &[String],
) -> Result<Extra, Error> {
    let mut out = Extra::default();
    let given = call.kwargs.iter().map(|(k, _)| k);
    let defaulted = ec
        .fields
        .iter()
        .map(|(n, _, _)| n)
        .filter(|n| call.kwarg(n).is_none());
    for name in given.chain(defaulted) {
        if carried.contains(name) {
            continue;
        }
        let Some(v) = this.fields.get(name).or_else(|| call.kwarg(name)) else {
            continue;
        };
        if matches!(v.v, Value::None) {
            continue;
        }
        if let Some(why) = edx_matrix_model::name_problem(name) {
            return Err(err(
                &v.at,
                format!("`{name}` cannot be carried as an extra value: {why}"),
                "no place for this value",
            ));
        }
        out.0.push((name.clone(), value(v, name)?));
    }
    Ok(out)
}

fn value(v: &Val, name: &str) -> Result<ExtraValue, Error> {
    let no_form = |what: &str| {
        err(
            &v.at,
            format!(
                "`{name}` holds {what}, which has no place in the matrix: its value would be lost"
            ),
            "cannot be carried",
        )
    };
    Ok(match &v.v {
        Value::Str(s) => ExtraValue::String(s.clone()),
        Value::Bool(b) => ExtraValue::Boolean(*b),
        Value::Int(i) => ExtraValue::Integer(*i),
        Value::Float(f) => ExtraValue::Float(FloatText(float_text(*f))),
        Value::List(items) => ExtraValue::List(
            items
                .iter()
                .map(|i| value(i, name))
                .collect::<Result<_, _>>()?,
        ),
        Value::Dict(entries) => {
            let mut out = Vec::with_capacity(entries.len());
            for (k, x) in entries {
                let Value::Str(k) = &k.v else {
                    return Err(no_form("a dict key that is not a string"));
                };
                out.push((k.clone(), value(x, name)?));
            }
            ExtraValue::Table(out)
        }
        Value::None => return Err(no_form("`None` inside a value")),
        Value::Member(..) | Value::Enum(_) => return Err(no_form("an enum member")),
        Value::Call(c) => return Err(no_form(&format!("a call of `{}`", c.func))),
        Value::This => return Err(no_form("`self`")),
    })
}
