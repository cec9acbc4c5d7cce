//! One entry call of the release map read into `self`: the application member the call names
//! (pydantic turns a value into the field enum's member), the release member, the kind it
//! declares, and every keyword argument accounted for — a field the matrix carries, an unknown
//! keyword (a warning, kept as a comment), or a field of the class the matrix has no place for
//! (an error naming it: its value is never dropped silently).

use super::build::{self, EntryClass};
use super::eval::{Call, Ctx, Error, This, Val, Value, err};
use super::interpret::line_of;
use super::report::Report;
use super::symbols::File;
use edx_matrix_model::{AppKind, Code};
use std::collections::HashMap;

/// What one entry call gives: `self`, and its application's enum and member.
pub(super) struct EntryCall {
    pub this: This,
    pub e: usize,
    pub i: usize,
}

/// Where an entry call is and what the output keeps of it.
pub(super) struct Place<'x> {
    pub release: &'x str,
    pub deployment: &'x str,
    pub texts: [&'x String; 2],
}

/// Reads the entry call `c`.
#[allow(clippy::too_many_arguments)]
pub(super) fn read(
    ctx: &Ctx<'_, '_>,
    ec: &EntryClass<'_>,
    c: &Val,
    place: &Place<'_>,
    report: &mut Report,
    comments: &mut Vec<String>,
    kinds_seen: &mut HashMap<usize, AppKind>,
) -> Result<EntryCall, Error> {
    let (release, deployment, texts) = (place.release, place.deployment, place.texts);
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
    let app_name = build::string(&ctx.bound(e, i)?.0, "the application's value")?;
    let fields: Vec<&str> = ec.fields.iter().map(|(n, _, _)| n.as_str()).collect();
    for ((k, _), kat) in call.kwargs.iter().zip(&call.kwarg_at) {
        if !fields.contains(&k.as_str()) {
            let v = &Val {
                v: Value::None,
                at: kat.clone(),
            };
            report.push(
                Code::PythonUnknownArgument,
                &v.at,
                format!("unknown keyword argument `{k}`"),
                "not a field of the entry class: kept as a comment at the top of the output",
            );
            let text = texts[usize::from(v.at.file == File::VersionMatrix)];
            comments.push(format!(
                "ignored (unknown keyword argument): version_matrix.py:{}: release `{release}`, deployment `{deployment}`, `{app_name}`: {}",
                line_of(text, v.at.span.start),
                text.get(v.at.span.clone()).unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")
            ));
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
    unmodelled_fields(ctx, ec, call)?;
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
    out
}

/// Refuses a field of the entry class that the call gives a value the matrix cannot carry:
/// consumers read it (`version.branding`), so dropping it would change what they compute.
fn unmodelled_fields(ctx: &Ctx<'_, '_>, ec: &EntryClass<'_>, call: &Call) -> Result<(), Error> {
    let carried = carried(ec);
    for ((k, v), at) in call.kwargs.iter().zip(&call.kwarg_at) {
        let Some((_, default, file)) = ec.fields.iter().find(|(n, _, _)| n == k) else {
            continue;
        };
        if carried.contains(k) || matches!(v.v, Value::None) {
            continue;
        }
        if let Some(d) = default {
            let d = ctx.eval(d, *file, &Default::default())?;
            if ctx.eq(&d, v)? {
                continue;
            }
        }
        return Err(err(
            at,
            format!(
                "`{k}` of `{}` has no place in the matrix: its value would be lost",
                ec.name
            ),
            "a field edx-matrix does not carry",
        ));
    }
    Ok(())
}
