//! `import`: from the two files to a matrix, every refusal located.

use super::build::{self, EntryClass};
use super::eval::{Ctx, Error, Val, Value};
use super::expr::Sink;
use super::report::{Report, Spans, report_checks};
use super::symbols::{File, Loc, Symbols};
use super::{Imported, Options, PyFile, entries, parse};
use crate::{Diagnostic, Location, PythonNames, Source};
use edx_matrix_model::{AppKind, Code, Matrix, ReleaseMapEntry};
use ruff_python_ast::Expr;
use std::collections::HashMap;

/// Returns 1-based line of `at` in `text`.
pub(super) fn line_of(text: &str, at: usize) -> usize {
    text.get(..at).unwrap_or_default().matches('\n').count() + 1
}

/// One application of a release-map entry: `self`, where the call is, its enum member.
type ReadApp = (super::eval::This, Loc, usize, usize);
/// One release-map entry: release, deployment, where its key is, its applications.
type ReadEntry = (String, String, Loc, Vec<ReadApp>);

/// Imports a matrix from the text of `types.py` and `version_matrix.py` (`types.py` may be
/// empty: the single-file layout).
pub fn import(types: Source, version_matrix: Source, options: &Options) -> Imported {
    let mut report = Report::default();
    let types_ast = parse(&types.text, &mut report.types);
    let vm_ast = parse(&version_matrix.text, &mut report.vm);
    let mut matrix = Matrix::default();
    let mut comments = Vec::new();
    let mut python = PythonNames::default();
    let mut attached = super::Attached::default();
    if let (Some((t, t_comments)), Some((v, v_comments))) = (types_ast, vm_ast) {
        let syms = Symbols::collect(&[(File::Types, &t.body), (File::VersionMatrix, &v.body)]);
        let ctx = Ctx::new(&syms);
        let mut spans = Spans::default();
        let texts = [&types.text, &version_matrix.text];
        let result = run(
            &ctx,
            options,
            &mut matrix,
            &mut spans,
            &mut report,
            &mut comments,
            &mut python,
            texts,
        );
        flush_notes(&ctx, &mut report);
        python.code = super::code::collect(
            [
                ("types", &t, &types.text),
                ("version_matrix", &v, &version_matrix.text),
            ],
            &python,
        );
        for error in
            super::bindings::not_carried([(File::Types, &t), (File::VersionMatrix, &v)], &python)
        {
            report.error(error);
        }
        if result.is_ok() {
            attached = super::comments::attach(
                &matrix,
                &spans,
                [
                    (types.text.as_str(), t_comments),
                    (version_matrix.text.as_str(), v_comments),
                ],
            );
        }
        match result {
            // A partial matrix is not checked: the checks would only echo what is reported.
            Ok(()) if !has_errors(&report) => report_checks(&matrix, &spans, &mut report),
            Ok(()) => {}
            Err(e) => report.error(e),
        }
    }
    let finish = |source: Source, sink: Sink| {
        let mut diagnostics = sink.diagnostics;
        diagnostics.sort_by_key(|d| match &d.location {
            Location::Span(s) => s.start,
            _ => 0,
        });
        PyFile {
            source,
            diagnostics,
        }
    };
    Imported {
        matrix,
        types: finish(types, report.types),
        version_matrix: finish(version_matrix, report.vm),
        comments,
        python,
        attached,
    }
}

/// Reports what evaluation noted: the items left out while lenient, and every key written
/// twice in a display, as a warning at both places.
fn flush_notes(ctx: &Ctx<'_, '_>, report: &mut Report) {
    let notes = ctx.notes.take();
    for e in notes.errors {
        report.error(e);
    }
    for d in notes.duplicates {
        let w = report.push(
            Code::PythonDuplicateKey,
            &d.again,
            format!("the key {} is written twice in this dict", d.key),
            "Python keeps this value",
        );
        if d.first.file == d.again.file {
            w.secondary.push(crate::diagnostic::Secondary {
                location: Location::Span(d.first.span.clone()),
                label: "first written here (its value is replaced)".into(),
            });
        }
        let w = report.push(
            Code::PythonDuplicateKey,
            &d.first,
            format!("the key {} is written again later in this dict", d.key),
            "Python drops this value",
        );
        w.help.push("remove one of the two".to_owned());
    }
}

fn has_errors(r: &Report) -> bool {
    r.types
        .diagnostics
        .iter()
        .chain(&r.vm.diagnostics)
        .any(Diagnostic::is_error)
}

use crate::python_names::derived_member as derived;

#[allow(clippy::too_many_arguments)]
fn run(
    ctx: &Ctx<'_, '_>,
    options: &Options,
    matrix: &mut Matrix,
    spans: &mut Spans,
    report: &mut Report,
    comments: &mut Vec<String>,
    python: &mut PythonNames,
    texts: [&String; 2],
) -> Result<(), Error> {
    let ec = build::entry_class(ctx.syms)?;
    report.roles = ec
        .app_enums
        .iter()
        .map(|e| (*e, Code::UnknownApplication))
        .collect();
    if let build::ReleaseType::Enum(e) = &ec.releases {
        report.roles.push((*e, Code::UndefinedRelease));
    }
    let class_at = ctx
        .syms
        .classes
        .get(&ec.name)
        .map(|c| Loc::of(c.file, &c.def.name))
        .unwrap_or(Loc {
            file: File::Types,
            span: 0..0,
        });
    let mut special: Vec<usize> = Vec::new();
    let mut special_origin: Vec<usize> = Vec::new();
    let mut special_runtime: Vec<usize> = Vec::new();
    // Releases.
    let defs = build::releases(ctx, &ec, &class_at)?;
    for r in &defs {
        let release = build::release(
            ctx,
            &ec,
            r,
            [&options.default_python, &options.default_node],
            &mut special,
            &mut special_runtime,
        )?;
        matrix.releases.push(release);
        spans.releases.push(r.at.clone());
        if let Some(m) = &r.member {
            if *m != derived(&r.name) {
                python.releases.insert(r.name.clone(), m.clone());
            }
        }
    }
    // The release map first: it tells which enum holds IDAs and which MFEs.
    let mut unread = Vec::new();
    let (deployments, deployment_enum, pin_class) = build::deployments(ctx, &mut unread)?;
    for e in unread {
        report.error(e);
    }
    let map = find_release_map(ctx, &ec).ok_or_else(|| {
        super::eval::err(
            &Loc {
                file: File::VersionMatrix,
                span: 0..0,
            },
            format!(
                "no module-level dict of `{}(...)` lists (the `ReleaseMap`)",
                ec.name
            ),
            "expected `ReleaseMap = {release: {deployment: [...]}}`",
        )
    })?;
    // Leniently: an item that cannot be read is recorded and the rest still read.
    ctx.lenient.set(true);
    let map_val = ctx.eval(map.1, map.2, &Default::default());
    ctx.lenient.set(false);
    let map_val = map_val?;
    let mut kinds_seen: HashMap<usize, AppKind> = HashMap::new();
    let mut entries: Vec<ReadEntry> = Vec::new();
    let Value::Dict(items) = &map_val.v else {
        return Err(super::eval::err(
            &map_val.at,
            "the release map is not a dict",
            "expected a dict",
        ));
    };
    let mut seen: HashMap<(String, String), Loc> = HashMap::new();
    for (rk, rv) in items {
        let release = match build::release_name(ctx, rk) {
            Ok(r) => r,
            Err(e) => {
                report.error(e);
                continue;
            }
        };
        if !defs.iter().any(|d| d.name == release) {
            let d = report.push(
                Code::UndefinedRelease,
                &rk.at,
                format!("`{release}` is not a supported release"),
                "not a release",
            );
            let names = defs.iter().map(|d| d.name.as_str());
            if let Some(close) = edx_matrix_model::did_you_mean(&release, names) {
                d.help.push(format!("did you mean `{close}`?"));
            }
            continue;
        }
        let Value::Dict(ds) = &rv.v else {
            report.error(super::eval::err(
                &rv.at,
                "this is not a dict of deployments",
                "expected `{deployment: [...]}`",
            ));
            continue;
        };
        for (dk, dv) in ds {
            let deployment = match build::deployment_key(ctx, dk) {
                Ok(d) => d,
                Err(e) => {
                    report.error(e);
                    continue;
                }
            };
            if let Some(first) = seen.get(&(release.clone(), deployment.clone())) {
                let first = first.clone();
                let d = report.push(
                    Code::DuplicateEntry,
                    &dk.at,
                    format!("a second entry for release `{release}`, deployment `{deployment}`"),
                    "Python keeps only this one",
                );
                d.secondary.push(crate::diagnostic::Secondary {
                    location: Location::Span(first.span),
                    label: "first defined here".into(),
                });
                continue;
            }
            seen.insert((release.clone(), deployment.clone()), dk.at.clone());
            let Value::List(calls) = &dv.v else {
                report.error(super::eval::err(
                    &dv.at,
                    format!("this is not a list of `{}(...)`", ec.name),
                    "expected a list",
                ));
                continue;
            };
            let mut apps = Vec::new();
            for c in calls {
                // Each entry on its own: one run reports every entry it cannot read.
                match entries::read(ctx, &ec, c, report, &mut kinds_seen) {
                    Ok(r) => apps.push((r.this, c.at.clone(), r.e, r.i)),
                    Err(e) => report.error(e),
                }
            }
            entries.push((release.clone(), deployment, dk.at.clone(), apps));
        }
    }
    // Applications.
    let kinds = build::kinds_of_enums(ctx, &ec, &kinds_seen);
    build::applications(
        ctx,
        &ec,
        &kinds,
        &mut special_origin,
        matrix,
        &mut spans.applications,
    )?;
    for (e, kind) in &kinds {
        let en = &ctx.syms.enums[*e];
        let role = if *kind == AppKind::Mfe {
            ("mfe", "OpenEdxMicroFrontend")
        } else {
            ("application", "OpenEdxApplication")
        };
        if en.name != role.1 {
            python.classes.insert(role.0.to_owned(), en.name.clone());
        }
        for (i, m) in en.members.iter().enumerate() {
            if let Value::Str(v) = ctx.bound(*e, i)?.0.v {
                if m.name != derived(&v) {
                    python.applications.insert(v, m.name.clone());
                }
            }
        }
    }
    if let build::ReleaseType::Enum(e) = &ec.releases {
        let n = &ctx.syms.enums[*e].name;
        if n != "OpenEdxSupportedRelease" {
            python.classes.insert("release".to_owned(), n.clone());
        }
    }
    if ec.name != "OpenEdxApplicationVersion" {
        python
            .classes
            .insert("application_version".to_owned(), ec.name.clone());
    }
    if map.0 != "ReleaseMap" {
        python
            .classes
            .insert("release_map".to_owned(), map.0.clone());
    }
    if let Some(n) = &deployment_enum {
        if n != "OpenLearningOpenEdxDeployment" {
            python.classes.insert("deployment".to_owned(), n.clone());
        }
    }
    // Deployments and stages.
    let mut stage_order: Vec<String> = Vec::new();
    for (d, at, member) in deployments {
        for p in &d.stages {
            if !stage_order.iter().any(|s| s == p.stage.as_str()) {
                stage_order.push(p.stage.to_string());
            }
        }
        if let Some(m) = member {
            if m != derived(d.name.as_str()) {
                python.deployments.insert(d.name.to_string(), m);
            }
        }
        matrix.deployments.push(d);
        spans.deployments.push(at);
    }
    matrix.stages = stage_literal(ctx, pin_class.as_deref())
        .unwrap_or(stage_order)
        .into_iter()
        .map(Into::into)
        .collect();
    // Entries, with special cases applied per Python's control flow when asked.
    let props = [
        (&ec.branch, &special),
        (&ec.origin, &special_origin),
        (&ec.runtime, &special_runtime),
    ];
    let mut counts: HashMap<(usize, usize), usize> = HashMap::new();
    for (release, deployment, at, apps) in entries {
        let mut entry = ReleaseMapEntry {
            release: release.as_str().into(),
            deployment: deployment.as_str().into(),
            apps: Vec::new(),
        };
        let mut app_spans = Vec::new();
        for (this, call_at, e, i) in apps {
            let app_name = build::string(&ctx.bound(e, i)?.0, "the application's value")?;
            let own_release = this
                .fields
                .get(&ec.release_field)
                .map_or(Ok(release.clone()), |v| build::release_name(ctx, v));
            let mut version = match own_release
                .and_then(|r| build::app_version(ctx, &ec, &this, &app_name, &r))
            {
                Ok(v) => v,
                Err(e) => {
                    report.error(e);
                    continue;
                }
            };
            if let (Some(t), Some(kind)) = (
                &ec.type_field,
                kinds.iter().find(|(k, _)| *k == e).map(|(_, k)| *k),
            ) {
                if let Some(Value::Str(w)) = this.fields.get(t).map(|v| &v.v) {
                    if w != kind.as_str() {
                        report.push(
                            Code::KindMismatch,
                            &this.fields[t].at,
                            format!(
                                "`{app_name}` is an {} but this entry says `{w}`",
                                kind.as_str()
                            ),
                            format!("expected `\"{}\"`", kind.as_str()),
                        );
                    }
                }
            }
            if options.apply_special_cases {
                for (slot, (prop, _)) in props.iter().enumerate() {
                    let Some(p) = prop else { continue };
                    let (index, value) = p.run(ctx, &this)?;
                    let is_override = p.override_clause.as_ref().is_some_and(|(o, _)| *o == index);
                    let is_special = props[slot].1.contains(&index);
                    if !is_override && is_special {
                        let v = build::optional(Some(&value), "the special case's value")?;
                        match slot {
                            0 => version.branch = v.map(Into::into),
                            1 => version.origin = v.map(Into::into),
                            _ => version.runtime = v.map(Into::into),
                        }
                        *counts.entry((slot, index)).or_default() += 1;
                    }
                }
            }
            entry.apps.push(version);
            app_spans.push(call_at);
        }
        matrix.release_map.push(entry);
        spans.entries.push(at);
        spans.apps.push(app_spans);
    }
    // Report each special case once.
    for (slot, (prop, indices)) in props.iter().enumerate() {
        let Some(p) = prop else { continue };
        let mut indices: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|i| *i < p.clauses.len())
            .collect();
        indices.sort_unstable();
        indices.dedup();
        for i in indices {
            let clause = &p.clauses[i];
            let after = p.override_clause.as_ref().is_some_and(|(o, _)| *o < i);
            let scope = if after {
                format!(
                    " (after the override check: only entries without `{}`)",
                    p.override_clause
                        .as_ref()
                        .map(|o| o.1.as_str())
                        .unwrap_or_default()
                )
            } else {
                String::new()
            };
            let d = report.push(
                Code::PythonSpecialCase,
                &clause.at,
                format!(
                    "special case in `{}` beyond the standard rule{scope}",
                    p.name
                ),
                if options.apply_special_cases {
                    "applied as explicit overrides"
                } else {
                    "`--apply-special-cases` turns it into explicit overrides"
                },
            );
            if options.apply_special_cases {
                let n = counts.get(&(slot, i)).copied().unwrap_or(0);
                let text = texts[usize::from(clause.at.file == File::VersionMatrix)];
                let file = if clause.at.file == File::Types {
                    "types.py"
                } else {
                    "version_matrix.py"
                };
                comments.push(format!(
                    "applied special case of {file}:{} as overrides on {n} application version{}",
                    line_of(text, clause.at.span.start),
                    if n == 1 { "" } else { "s" }
                ));
            } else {
                d.help.push(
                    "without `--apply-special-cases` the imported matrix ignores it".to_owned(),
                );
            }
        }
    }
    Ok(())
}

/// Finds the release map: a module-level dict of dicts of lists of entry calls.
fn find_release_map<'a>(
    ctx: &Ctx<'_, 'a>,
    ec: &EntryClass<'_>,
) -> Option<(String, &'a Expr, File)> {
    let calls_entry = |e: &Expr| matches!(e, Expr::Call(c) if matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == ec.name));
    ctx.syms
        .assigns
        .iter()
        .find(|(_, a)| match a.value {
            Expr::Dict(d) => d.items.iter().any(|r| match &r.value {
                Expr::Dict(inner) => inner
                    .items
                    .iter()
                    .any(|i| matches!(&i.value, Expr::List(l) if l.elts.iter().any(calls_entry))),
                _ => false,
            }),
            _ => false,
        })
        .or_else(|| ctx.syms.assigns.get_key_value("ReleaseMap"))
        .or_else(|| {
            // Built by a comprehension, `|` or `dict(...)`: the value tells.
            ctx.syms.assigns.iter().find(|(_, a)| {
                matches!(a.value, Expr::DictComp(_) | Expr::BinOp(_) | Expr::Call(_))
                    && ctx
                        .eval(a.value, a.file, &Default::default())
                        .is_ok_and(|v| holds_entries(&v, &ec.name))
            })
        })
        .map(|(n, a)| (n.clone(), a.value, a.file))
}

/// Whether `v` is a dict of dicts of lists holding a call of the entry class.
fn holds_entries(v: &Val, entry: &str) -> bool {
    let Value::Dict(releases) = &v.v else {
        return false;
    };
    releases.iter().any(|(_, d)| match &d.v {
        Value::Dict(ds) => ds.iter().any(|(_, l)| match &l.v {
            Value::List(calls) => calls
                .iter()
                .any(|c| matches!(&c.v, Value::Call(c) if c.func == entry)),
            _ => false,
        }),
        _ => false,
    })
}

/// The stages in promotion order: the `Literal[...]` the stage-pin class annotates its first
/// field with.
fn stage_literal(ctx: &Ctx<'_, '_>, pin_class: Option<&str>) -> Option<Vec<String>> {
    let c = ctx.syms.classes.get(pin_class?)?;
    let fields = c.fields();
    let (_, ann, _) = fields.first()?;
    build::literal(ctx.syms, ann, 0)
}
