//! Reading `version_matrix.py`: the deployments with their stage pins and the `ReleaseMap`,
//! with every name resolved against what `types.py` defines.

use super::expr::{EnumRef, Sink, assignment, call_name, enum_ref, flat_text, span};
use super::types_py::{IDA_CLASS, MFE_CLASS, RELEASE_CLASS, Types, VERSION_CLASS};
use edx_matrix_model::suggest::did_you_mean;
use edx_matrix_model::{AppKind, AppVersion, Deployment, ReleaseMapEntry, StagePin};
use edx_matrix_model::{Code, ReleaseName};
use ruff_python_ast::{Expr, ExprCall, Stmt};
use std::collections::HashMap;
use std::ops::Range;

/// The call that defines a deployment.
pub const DEPLOYMENT_CALL: &str = "DeploymentEnvRelease";
/// The call that pins a stage to a release.
pub const STAGE_CALL: &str = "EnvRelease";
/// The variable holding the release map.
pub const RELEASE_MAP: &str = "ReleaseMap";
/// The keyword arguments of `OpenEdxApplicationVersion` the importer understands.
pub const VERSION_KEYWORDS: &[&str] = &[
    "application",
    "release",
    "application_type",
    "branch_override",
    "origin_override",
    "runtime_version_override",
    "translation_overrides",
];

/// What `version_matrix.py` defines, resolved.
#[derive(Debug, Default)]
pub struct Read {
    /// The deployments, in file order.
    pub deployments: Vec<Deployment>,
    /// Where each deployment's name is.
    pub deployment_spans: Vec<Range<usize>>,
    /// The release map, in file order.
    pub release_map: Vec<ReleaseMapEntry>,
    /// Where each entry's release key is.
    pub entry_spans: Vec<Range<usize>>,
    /// Where each application version of each entry is.
    pub app_spans: Vec<Vec<Range<usize>>>,
    /// Unknown keyword arguments, as comment lines for the output.
    pub unknown_arguments: Vec<String>,
}

/// Reads `version_matrix.py`.
pub fn read(body: &[Stmt], text: &str, types: &Types, sink: &mut Sink) -> Read {
    let mut read = Read::default();
    let mut release_map = None;
    for stmt in body {
        match stmt {
            Stmt::ClassDef(class) => {
                for inner in &class.body {
                    if let Some((_, value)) = assignment(inner) {
                        if call_name(value) == Some(DEPLOYMENT_CALL) {
                            read_deployment(value, types, sink, &mut read);
                        }
                    }
                }
            }
            _ => {
                if let Some((name, value)) = assignment(stmt) {
                    if name == RELEASE_MAP {
                        release_map = Some(value);
                    } else if call_name(value) == Some(DEPLOYMENT_CALL) {
                        read_deployment(value, types, sink, &mut read);
                    }
                }
            }
        }
    }
    match release_map {
        Some(value) => read_release_map(value, text, types, sink, &mut read),
        None => {
            sink.push(
                Code::PythonUnreadable,
                0..0,
                format!("`version_matrix.py` assigns no `{RELEASE_MAP}`"),
                "expected here",
            );
        }
    }
    if read.deployments.is_empty() {
        sink.push(
            Code::PythonUnreadable,
            0..0,
            format!("`version_matrix.py` defines no deployment (`{DEPLOYMENT_CALL}(...)`)"),
            "expected here",
        );
    }
    read
}

fn keywords(call: &ExprCall, what: &str, sink: &mut Sink) -> HashMap<String, (Expr, Range<usize>)> {
    let mut out = HashMap::new();
    for keyword in call.arguments.keywords.iter() {
        match &keyword.arg {
            Some(name) => {
                out.insert(
                    name.as_str().to_owned(),
                    (keyword.value.clone(), span(keyword)),
                );
            }
            None => sink.unreadable(keyword, &format!("a keyword argument of {what}")),
        }
    }
    out
}

fn as_call(expr: &Expr) -> Option<&ExprCall> {
    match expr {
        Expr::Call(c) => Some(c),
        _ => None,
    }
}

fn read_deployment(value: &Expr, types: &Types, sink: &mut Sink, read: &mut Read) {
    let Some(call) = as_call(value) else { return };
    if let Some(first) = call.arguments.args.first() {
        sink.unreadable(first, "a keyword argument (`deployment_name=...`)");
        return;
    }
    let kw = keywords(call, DEPLOYMENT_CALL, sink);
    let Some((name_expr, _)) = kw.get("deployment_name") else {
        sink.push(
            Code::MissingKey,
            span(call),
            format!("`{DEPLOYMENT_CALL}` without `deployment_name`"),
            "expected `deployment_name=\"...\"`",
        );
        return;
    };
    let Some(name) = sink.string(name_expr, "the deployment name") else {
        return;
    };
    if let Some(allowed) = &types.deployment_names {
        if !allowed.contains(&name) {
            sink.push(
                Code::UndefinedDeployment,
                span(name_expr),
                format!("deployment `{name}` is not in `OpenEdxDeploymentName`"),
                "not one of the deployment names `types.py` allows",
            );
        }
    }
    let mut deployment = Deployment {
        name: name.as_str().into(),
        stages: Vec::new(),
        vars: Default::default(),
    };
    match kw.get("env_release_map") {
        Some((Expr::List(list), _)) => {
            for item in &list.elts {
                if let Some(pin) = read_stage(item, types, sink) {
                    deployment.stages.push(pin);
                }
            }
        }
        Some((other, _)) => sink.unreadable(other, "a list of `EnvRelease(...)`"),
        None => {
            sink.push(
                Code::MissingKey,
                span(call),
                format!("deployment `{name}` has no `env_release_map`"),
                "expected `env_release_map=[...]`",
            );
        }
    }
    read.deployments.push(deployment);
    read.deployment_spans.push(span(name_expr));
}

fn read_stage(item: &Expr, types: &Types, sink: &mut Sink) -> Option<StagePin> {
    let Some(call) = as_call(item).filter(|_| call_name(item) == Some(STAGE_CALL)) else {
        sink.unreadable(item, "`EnvRelease(STAGE, RELEASE)`");
        return None;
    };
    let kw = keywords(call, STAGE_CALL, sink);
    let args = call.arguments.args.as_ref();
    let stage_expr = args.first().or(kw.get("environment").map(|(e, _)| e));
    let release_expr = args.get(1).or(kw.get("edx_release").map(|(e, _)| e));
    let (Some(stage_expr), Some(release_expr)) = (stage_expr, release_expr) else {
        sink.unreadable(item, "`EnvRelease(STAGE, RELEASE)` with both arguments");
        return None;
    };
    let stage = sink.string(stage_expr, "the stage")?;
    if let Some(stages) = &types.stages {
        if !stages.contains(&stage) {
            let d = sink.push(
                Code::UndefinedStage,
                span(stage_expr),
                format!("stage `{stage}` is not in `EnvStage`"),
                "not a stage `types.py` defines",
            );
            if let Some(s) = did_you_mean(&stage, stages.iter().map(String::as_str)) {
                d.help.push(format!("did you mean `{s}`?"));
            }
        }
    }
    let release = resolve_release(release_expr, types, sink)?;
    Some(StagePin {
        stage: stage.into(),
        release,
        vars: Default::default(),
    })
}

/// Resolves a release reference against the release enum.
fn resolve_release(expr: &Expr, types: &Types, sink: &mut Sink) -> Option<ReleaseName> {
    let Some(reference) = enum_ref(expr) else {
        sink.unreadable(
            expr,
            &format!(
                "a release (`\"teak\"`, `{RELEASE_CLASS}.teak` or `{RELEASE_CLASS}[\"teak\"]`)"
            ),
        );
        return None;
    };
    let releases = types.releases.as_ref()?;
    let found = match &reference {
        EnumRef::Value(v) => releases.by_value(v),
        EnumRef::Member { class, member } if class == RELEASE_CLASS => releases.by_name(member),
        EnumRef::Member { class, .. } => {
            sink.push(
                Code::UndefinedRelease,
                span(expr),
                format!("`{class}` is not the release enum"),
                format!("expected a member of `{RELEASE_CLASS}`"),
            );
            return None;
        }
    };
    match found {
        Some(m) => Some(m.value.as_str().into()),
        None => {
            let (name, candidates): (&str, Vec<&str>) = match &reference {
                EnumRef::Value(v) => (
                    v,
                    releases.members.iter().map(|m| m.value.as_str()).collect(),
                ),
                EnumRef::Member { member, .. } => (
                    member,
                    releases.members.iter().map(|m| m.name.as_str()).collect(),
                ),
            };
            let d = sink.push(
                Code::UndefinedRelease,
                span(expr),
                format!("`{name}` is not a release of `{RELEASE_CLASS}`"),
                "not a supported release",
            );
            if let Some(s) = did_you_mean(name, candidates.iter().copied()) {
                d.help.push(format!("did you mean `{s}`?"));
            }
            d.help.push(format!(
                "the releases are: {}",
                candidates
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            None
        }
    }
}

/// Resolves an application reference against the IDA and MFE enums.
fn resolve_application(expr: &Expr, types: &Types, sink: &mut Sink) -> Option<(String, AppKind)> {
    let Some(reference) = enum_ref(expr) else {
        sink.unreadable(
            expr,
            &format!("an application (`\"edx-platform\"` or `{IDA_CLASS}.edx_platform`)"),
        );
        return None;
    };
    let classes = [
        (IDA_CLASS, &types.idas, AppKind::Ida),
        (MFE_CLASS, &types.mfes, AppKind::Mfe),
    ];
    for (class_name, class, kind) in classes {
        let Some(class) = class else { continue };
        let found = match &reference {
            EnumRef::Value(v) => class.by_value(v),
            EnumRef::Member { class: c, member } if c == class_name => class.by_name(member),
            EnumRef::Member { .. } => None,
        };
        if let Some(m) = found {
            return Some((m.value.clone(), kind));
        }
    }
    let (name, candidates): (String, Vec<&str>) = match &reference {
        EnumRef::Value(v) => (
            v.clone(),
            classes
                .iter()
                .filter_map(|(_, c, _)| c.as_ref())
                .flat_map(|c| c.members.iter().map(|m| m.value.as_str()))
                .collect(),
        ),
        EnumRef::Member { class, member } => (
            format!("{class}.{member}"),
            classes
                .iter()
                .filter_map(|(_, c, _)| c.as_ref())
                .flat_map(|c| c.members.iter().map(|m| m.name.as_str()))
                .collect(),
        ),
    };
    let d = sink.push(
        Code::UnknownApplication,
        span(expr),
        format!("`{name}` is not an application of `{IDA_CLASS}` or `{MFE_CLASS}`"),
        "unknown application",
    );
    let bare = name.rsplit('.').next().unwrap_or(&name).to_owned();
    if let Some(s) = did_you_mean(&bare, candidates.iter().copied()) {
        d.help.push(format!("did you mean `{s}`?"));
    }
    None
}

fn read_release_map(value: &Expr, text: &str, types: &Types, sink: &mut Sink, read: &mut Read) {
    let Expr::Dict(releases) = value else {
        sink.unreadable(
            value,
            &format!("a dict literal (`{RELEASE_MAP} = {{...}}`)"),
        );
        return;
    };
    let mut seen: HashMap<(String, String), Range<usize>> = HashMap::new();
    for item in &releases.items {
        let Some(key) = &item.key else {
            sink.unreadable(&item.value, "a `release: {...}` item (no `**` unpacking)");
            continue;
        };
        let Some(release) = resolve_release(key, types, sink) else {
            continue;
        };
        let Expr::Dict(deployments) = &item.value else {
            sink.unreadable(&item.value, "a dict literal of deployments");
            continue;
        };
        for d_item in &deployments.items {
            let Some(d_key) = &d_item.key else {
                sink.unreadable(
                    &d_item.value,
                    "a `deployment: [...]` item (no `**` unpacking)",
                );
                continue;
            };
            let Some(deployment) = sink.string(d_key, "a deployment name") else {
                continue;
            };
            if !read
                .deployments
                .iter()
                .any(|d| d.name == deployment.as_str())
            {
                let d = sink.push(
                    Code::UndefinedDeployment,
                    span(d_key),
                    format!("`{deployment}` is not a deployment"),
                    format!("no `{DEPLOYMENT_CALL}` has this name"),
                );
                let names = read.deployments.iter().map(|d| d.name.as_str());
                if let Some(s) = did_you_mean(&deployment, names) {
                    d.help.push(format!("did you mean `{s}`?"));
                }
                continue;
            }
            let pair = (release.to_string(), deployment.clone());
            if let Some(first) = seen.get(&pair) {
                // A Python dict keeps the last value for a repeated key: silently different.
                let first = first.clone();
                let d = sink.push(
                    Code::DuplicateEntry,
                    span(d_key),
                    format!("a second entry for release `{release}`, deployment `{deployment}`"),
                    "Python keeps only this one",
                );
                d.secondary.push(edx_matrix_config::diagnostic::Secondary {
                    location: edx_matrix_config::Location::Span(first),
                    label: "first defined here".into(),
                });
                continue;
            }
            seen.insert(pair, span(d_key));
            let Expr::List(list) = &d_item.value else {
                sink.unreadable(&d_item.value, &format!("a list of `{VERSION_CLASS}(...)`"));
                continue;
            };
            let mut entry = ReleaseMapEntry {
                release: release.clone(),
                deployment: deployment.as_str().into(),
                apps: Vec::new(),
            };
            let mut spans = Vec::new();
            for app in &list.elts {
                if let Some(version) =
                    read_version(app, text, &release, &deployment, types, sink, read)
                {
                    entry.apps.push(version);
                    spans.push(span(app));
                }
            }
            read.release_map.push(entry);
            read.entry_spans.push(span(key));
            read.app_spans.push(spans);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn read_version(
    item: &Expr,
    text: &str,
    block_release: &ReleaseName,
    deployment: &str,
    types: &Types,
    sink: &mut Sink,
    read: &mut Read,
) -> Option<AppVersion> {
    let Some(call) = as_call(item).filter(|_| call_name(item) == Some(VERSION_CLASS)) else {
        sink.unreadable(item, &format!("`{VERSION_CLASS}(...)`"));
        return None;
    };
    if let Some(first) = call.arguments.args.first() {
        sink.unreadable(first, "a keyword argument (`application=...`)");
        return None;
    }
    let kw = keywords(call, VERSION_CLASS, sink);
    let Some((app_expr, _)) = kw.get("application") else {
        sink.push(
            Code::MissingKey,
            span(call),
            format!("`{VERSION_CLASS}` without `application`"),
            "expected `application=...`",
        );
        return None;
    };
    let (application, kind) = resolve_application(app_expr, types, sink)?;
    let release = match kw.get("release") {
        Some((expr, _)) => resolve_release(expr, types, sink)?,
        None => {
            sink.push(
                Code::MissingKey,
                span(call),
                format!("`{VERSION_CLASS}` of `{application}` without `release`"),
                "expected `release=...`",
            );
            return None;
        }
    };
    if let Some((expr, _)) = kw.get("application_type") {
        let written = sink.string(expr, "`\"IDA\"` or `\"MFE\"`")?;
        if written != kind.as_str() {
            sink.push(
                Code::KindMismatch,
                span(expr),
                format!(
                    "`{application}` is an {} but this entry says `{written}`",
                    kind.as_str()
                ),
                format!("expected `\"{}\"`", kind.as_str()),
            );
            return None;
        }
    }
    // `self.branch_override or ...`: an empty string falls back to the default, like `None`.
    let mut optional = |key: &str| -> Option<Option<String>> {
        match kw.get(key) {
            None => Some(None),
            Some((Expr::NoneLiteral(_), _)) => Some(None),
            Some((expr, _)) => {
                let s = sink.string(expr, &format!("`{key}`"))?;
                Some((!s.is_empty()).then_some(s))
            }
        }
    };
    let branch = optional("branch_override")?;
    let origin = optional("origin_override")?;
    let runtime = optional("runtime_version_override")?;
    let translations = match kw.get("translation_overrides") {
        None | Some((Expr::NoneLiteral(_), _)) => None,
        Some((Expr::List(list), _)) => {
            let mut commands = Vec::new();
            for e in &list.elts {
                commands.push(sink.string(e, "a translation command")?);
            }
            Some(commands)
        }
        Some((other, _)) => {
            sink.unreadable(other, "a list of string literals");
            return None;
        }
    };
    let mut unknown: Vec<_> = kw
        .iter()
        .filter(|(k, _)| !VERSION_KEYWORDS.contains(&k.as_str()))
        .collect();
    unknown.sort_by_key(|(_, (_, s))| s.start);
    for (key, (_, at)) in unknown {
        sink.push(
            Code::PythonUnknownArgument,
            at.clone(),
            format!("unknown keyword argument `{key}` on `{application}`"),
            "not part of the matrix format: kept as a comment at the top of the output",
        );
        let line = text
            .get(..at.start)
            .unwrap_or_default()
            .matches('\n')
            .count()
            + 1;
        read.unknown_arguments.push(format!(
            "version_matrix.py:{line}: release `{block_release}`, deployment `{deployment}`, `{application}`: {}",
            flat_text(text, at.clone())
        ));
    }
    Some(AppVersion {
        application: application.into(),
        release,
        branch: branch.map(Into::into),
        origin: origin.map(Into::into),
        runtime: runtime.map(Into::into),
        translations,
    })
}
