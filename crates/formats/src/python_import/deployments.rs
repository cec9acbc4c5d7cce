//! The deployments (`DeploymentEnvRelease(...)` values with their stage pins) and the names of
//! releases and deployments as the release map writes them.

use super::build::string;
use super::eval::{Call, Ctx, Error, Scope, Val, Value, err};
use super::symbols::Loc;
use edx_matrix_model::{Deployment, StagePin};
use ruff_python_ast::Expr;

/// Reads the deployments: every `…(deployment_name=…, env_release_map=[…])` value, at module
/// level or as an enum member; returns them with the enum member names.
#[allow(clippy::type_complexity)]
pub(super) fn deployments(
    ctx: &Ctx<'_, '_>,
    unread: &mut Vec<Error>,
) -> Result<
    (
        Vec<(Deployment, Loc, Option<String>)>,
        Option<String>,
        Option<String>,
    ),
    Error,
> {
    let mut out = Vec::new();
    let mut enum_name = None;
    let mut pin_class = None;
    for (e, en) in ctx.syms.enums.iter().enumerate() {
        for (i, m) in en.members.iter().enumerate() {
            if !matches!(m.expr, Expr::Call(_)) {
                continue;
            }
            // Each deployment on its own: one run reports every one it cannot read.
            let (v, _) = match ctx.bound(e, i) {
                Ok(v) => v,
                Err(x) => {
                    unread.push(x);
                    continue;
                }
            };
            if let Value::Call(c) = &v.v {
                if c.kwarg("deployment_name").is_some() {
                    enum_name = Some(en.name.clone());
                    match deployment(ctx, c, &v.at, &mut pin_class) {
                        Ok(d) => out.push((d, v.at.clone(), Some(m.name.clone()))),
                        Err(x) => unread.push(x),
                    }
                }
            }
        }
    }
    for (_, a) in &ctx.syms.assigns {
        if let Expr::Call(c) = a.value {
            if c.arguments.keywords.iter().any(|k| {
                k.arg
                    .as_ref()
                    .is_some_and(|n| n.as_str() == "deployment_name")
            }) {
                let read = ctx
                    .eval(a.value, a.file, &Scope::default())
                    .and_then(|v| match &v.v {
                        Value::Call(c) => deployment(ctx, c, &v.at, &mut pin_class)
                            .map(|d| Some((d, v.at.clone(), None))),
                        _ => Ok(None),
                    });
                match read {
                    Ok(d) => out.extend(d),
                    Err(x) => unread.push(x),
                }
            }
        }
    }
    Ok((out, enum_name, pin_class))
}

fn deployment(
    ctx: &Ctx<'_, '_>,
    c: &Call,
    at: &Loc,
    pin_class: &mut Option<String>,
) -> Result<Deployment, Error> {
    let name = string(
        c.kwarg("deployment_name")
            .ok_or_else(|| err(at, "no `deployment_name`", "here"))?,
        "`deployment_name`",
    )?;
    let pins = c.kwarg("env_release_map").ok_or_else(|| {
        err(
            at,
            format!("deployment `{name}` has no `env_release_map`"),
            "expected `env_release_map=[...]`",
        )
    })?;
    let Value::List(items) = &pins.v else {
        return Err(err(
            &pins.at,
            "`env_release_map` is not a list",
            "expected a list of `EnvRelease(STAGE, RELEASE)`",
        ));
    };
    let mut stages = Vec::new();
    for item in items {
        let (stage, release) = match &item.v {
            Value::Call(p) => {
                pin_class.get_or_insert_with(|| p.func.clone());
                let field = |pos: usize, names: &[&str]| {
                    p.args
                        .get(pos)
                        .or_else(|| names.iter().find_map(|n| p.kwarg(n)))
                };
                (
                    field(0, &["environment", "stage", "env"]),
                    field(1, &["edx_release", "release"]),
                )
            }
            Value::List(t) => (t.first(), t.get(1)),
            _ => (None, None),
        };
        let (Some(stage), Some(release)) = (stage, release) else {
            return Err(err(
                &item.at,
                "cannot read this stage pin",
                "expected `EnvRelease(STAGE, RELEASE)`",
            ));
        };
        stages.push(StagePin {
            stage: string(stage, "the stage")?.into(),
            release: release_name(ctx, release)?.into(),
            vars: Default::default(),
        });
    }
    Ok(Deployment {
        name: name.into(),
        stages,
        vars: Default::default(),
    })
}

/// Returns the name of a release given as a member or string.
pub(super) fn release_name(ctx: &Ctx<'_, '_>, v: &Val) -> Result<String, Error> {
    match &v.v {
        Value::Str(s) => Ok(s.clone()),
        Value::Member(e, i) => string(&ctx.bound(*e, *i)?.0, "the release's value"),
        _ => Err(err(
            &v.at,
            "cannot read this as a release",
            "expected `\"teak\"` or a release enum member",
        )),
    }
}

/// Returns the deployment named by a release-map key: a string, a deployment enum member, or
/// a deployment value.
pub(super) fn deployment_key(ctx: &Ctx<'_, '_>, v: &Val) -> Result<String, Error> {
    match &v.v {
        Value::Str(s) => Ok(s.clone()),
        Value::Member(e, i) => deployment_key(ctx, &ctx.bound(*e, *i)?.0),
        Value::Call(c) => match c.kwarg("deployment_name") {
            Some(n) => string(n, "`deployment_name`"),
            None => Err(err(
                &v.at,
                "cannot read this as a deployment",
                "expected a deployment name",
            )),
        },
        _ => Err(err(
            &v.at,
            "cannot read this as a deployment",
            "expected a name or a deployment enum member",
        )),
    }
}
