//! One entry call of the release map read into `self`: the application member the call names
//! (pydantic turns a value into the field enum's member), the release member, the kind it
//! declares, and every keyword argument accounted for — a field the matrix carries, or a value it
//! keeps as the entry's `extra` (a field of the class it has no place for, or an unknown
//! keyword, also a warning): never dropped silently.

use super::build::{self, EntryClass};
use super::eval::{Ctx, Error, This, Val, Value, err};
use super::report::Report;
use edx_matrix_model::{AppKind, Code};
use std::collections::HashMap;

/// What one entry call gives: `self`, and its application's enum and member.
pub(super) struct EntryCall {
    pub this: This,
    pub e: usize,
    pub i: usize,
}

/// Reads the entry call `c`.
pub(super) fn read(
    ctx: &Ctx<'_, '_>,
    ec: &EntryClass<'_>,
    c: &Val,
    report: &mut Report,
    kinds_seen: &mut HashMap<usize, AppKind>,
) -> Result<EntryCall, Error> {
    let Value::Call(call) = &c.v else {
        return Err(err(
            &c.at,
            format!("this is not `{}(...)`", ec.name),
            "expected an entry",
        ));
    };
    if call.func != ec.name || !call.args.is_empty() {
        return Err(err(
            &c.at,
            format!("expected `{}(...)` with keyword arguments", ec.name),
            "here",
        ));
    }
    let mut this = ec.entry_this(ctx, call, &c.at)?;
    // Pydantic turns a value into the member of the field's enum.
    let app_val = this.fields.get(&ec.app_field).cloned().unwrap_or(Val {
        v: Value::None,
        at: c.at.clone(),
    });
    let (e, i) = match &app_val.v {
        Value::Member(e, i) if ec.app_enums.contains(e) => (*e, *i),
        _ => {
            let mut found = None;
            for e in &ec.app_enums {
                if let Some(Value::Member(e, i)) = ctx.find_by_value(*e, &app_val)? {
                    found = Some((e, i));
                    break;
                }
            }
            found.ok_or_else(|| {
                err(
                    &app_val.at,
                    "this is not an application of the entry class's enums",
                    "unknown application",
                )
            })?
        }
    };
    this.fields.insert(
        ec.app_field.clone(),
        Val {
            v: Value::Member(e, i),
            at: app_val.at.clone(),
        },
    );
    build::string(&ctx.bound(e, i)?.0, "the application's value")?;
    let fields: Vec<&str> = ec.fields.iter().map(|(n, _, _)| n.as_str()).collect();
    for ((k, _), kat) in call.kwargs.iter().zip(&call.kwarg_at) {
        if !fields.contains(&k.as_str()) {
            // The original class does not declare it (pydantic ignores it); the export will.
            report.push(
                Code::PythonUnknownArgument,
                kat,
                format!("unknown keyword argument `{k}`"),
                "not a field of the entry class: kept as the entry's `extra` value",
            );
        }
    }
    if let build::ReleaseType::Enum(re) = &ec.releases {
        if let Some(rv) = this.fields.get(&ec.release_field).cloned() {
            if let Some(m) = ctx.find_by_value(*re, &rv)? {
                this.fields.insert(
                    ec.release_field.clone(),
                    Val {
                        v: m,
                        at: rv.at.clone(),
                    },
                );
            }
        }
    }
    if let Some(t) = &ec.type_field {
        if let Some(Value::Str(k)) = this.fields.get(t).map(|v| &v.v) {
            let kind = if k == "MFE" {
                AppKind::Mfe
            } else {
                AppKind::Ida
            };
            kinds_seen.entry(e).or_insert(kind);
        }
    }
    this.extra = super::extra::of_entry(ec, &this, call, &carried(ec))?;
    Ok(EntryCall { this, e, i })
}

/// The fields of the entry class the matrix carries.
fn carried(ec: &EntryClass<'_>) -> Vec<String> {
    let mut out = vec![ec.app_field.clone(), ec.release_field.clone()];
    out.extend(ec.type_field.clone());
    for p in [&ec.branch, &ec.origin, &ec.runtime] {
        out.extend(build::override_field(p));
    }
    out.push("translation_overrides".to_owned());
    // What `export python` writes from edx-matrix.lock: the lock file holds it, not the matrix.
    out.push("locked_commits".to_owned());
    out
}
