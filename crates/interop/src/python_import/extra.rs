//! An entry's values the matrix does not read — a field of the entry class it has no place for
//! (`branding={...}`), or a keyword argument that is not a field (`build_args=[...]`) — carried
//! as the application version's `extra`, so `resolve`, the interchange JSON and `export python`
//! give them back. `None` is left out (the exported field's default); what has no TOML form (a
//! `None` inside a value, an enum member, a call, a non-string dict key) is an error at its place.

use super::build::EntryClass;
use super::eval::{Call, Error, This, Val, Value, err};
use edx_matrix_config::extra_load::float_text;
use edx_matrix_model::vars::FloatText;
use edx_matrix_model::{Extra, ExtraValue};

/// The extra values of one entry call: the class's fields the matrix does not carry, in class
/// order (given, or their default), then the keyword arguments that are not fields, in call
/// order.
pub(super) fn of_entry(
    ec: &EntryClass<'_>,
    this: &This,
    call: &Call,
    carried: &[String],
) -> Result<Extra, Error> {
    let mut out = Extra::default();
    let declared = ec.fields.iter().map(|(n, _, _)| n);
    let unknown = call
        .kwargs
        .iter()
        .map(|(k, _)| k)
        .filter(|k| !ec.fields.iter().any(|(n, _, _)| n == *k));
    for name in declared.chain(unknown) {
        if carried.contains(name) {
            continue;
        }
        let Some(v) = this.fields.get(name).or_else(|| call.kwarg(name)) else {
            continue;
        };
        if matches!(v.v, Value::None) {
            continue;
        }
        if let Some(why) = edx_matrix_model::extra::name_problem(name) {
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
