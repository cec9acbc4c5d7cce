//! Interpreting the evaluated package as a matrix: the entry class and its fields, the release
//! and application catalogues (defaults computed by running the resolving properties on each
//! release and application), the deployments and the release map.

pub(super) use super::deployments::{deployment_key, deployments, release_name};
use super::eval::{Call, Ctx, Error, Scope, This, Val, Value, err};
use super::rules::{self, Property};
use super::symbols::{File, Loc, Symbols};
use edx_matrix_model::{AppKind, AppVersion, Application, Matrix, Release};
use ruff_python_ast::Expr;
use std::collections::HashMap;

/// Where a release's values come from.
#[derive(Clone, Debug)]
pub(super) enum ReleaseType {
    /// Members of an enum class.
    Enum(usize),
    /// The strings of a `Literal[...]` alias.
    Literal(Vec<String>),
}

/// The entry class and what its fields mean.
pub(super) struct EntryClass<'a> {
    /// The class name.
    pub name: String,
    /// Field names in order, with their defaults.
    pub fields: Vec<(String, Option<&'a Expr>, File)>,
    /// The field naming the application (`application`, `application_name`).
    pub app_field: String,
    /// The field naming the release (`release`, `release_name`).
    pub release_field: String,
    /// The field giving `IDA`/`MFE`, if any.
    pub type_field: Option<String>,
    /// The application enums, in annotation order.
    pub app_enums: Vec<usize>,
    /// The releases' type.
    pub releases: ReleaseType,
    /// `release_branch`, `git_origin`, `runtime_version` when defined.
    pub branch: Option<Property<'a>>,
    /// See `branch`.
    pub origin: Option<Property<'a>>,
    /// See `branch`.
    pub runtime: Option<Property<'a>>,
}

/// Returns the enum classes named in an annotation (`A | B`, `Union[A, B]`, `Optional[A]`).
fn enums_in(syms: &Symbols<'_>, e: &Expr, out: &mut Vec<usize>) {
    enums_in_at(syms, e, out, 0);
}

fn enums_in_at(syms: &Symbols<'_>, e: &Expr, out: &mut Vec<usize>, depth: usize) {
    if depth > 64 {
        return;
    }
    let enums_in = |syms, e, out: &mut Vec<usize>| enums_in_at(syms, e, out, depth + 1);
    match e {
        Expr::Name(n) => {
            if let Some(i) = syms.enum_named(n.id.as_str()) {
                out.push(i);
            }
        }
        Expr::BinOp(b) => {
            enums_in(syms, &b.left, out);
            enums_in(syms, &b.right, out);
        }
        Expr::Subscript(s) => enums_in(syms, &s.slice, out),
        Expr::Tuple(t) => t.elts.iter().for_each(|x| enums_in(syms, x, out)),
        _ => {}
    }
}

/// Returns the strings of `Literal[...]`, directly or through an alias.
pub(super) fn literal(syms: &Symbols<'_>, e: &Expr, depth: usize) -> Option<Vec<String>> {
    match e {
        Expr::Name(n) if depth < 8 => literal(syms, syms.assigned(n.id.as_str())?.value, depth + 1),
        Expr::Subscript(s)
            if matches!(s.value.as_ref(), Expr::Name(n) if n.id.as_str() == "Literal")
                || matches!(s.value.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "Literal") =>
        {
            let items: Vec<&Expr> = match s.slice.as_ref() {
                Expr::Tuple(t) => t.elts.iter().collect(),
                other => vec![other],
            };
            items
                .into_iter()
                .map(|i| match i {
                    Expr::StringLiteral(s) => Some(s.value.to_str().to_owned()),
                    _ => None,
                })
                .collect()
        }
        _ => None,
    }
}

/// Finds the entry class: the class defining the resolving properties.
pub(super) fn entry_class<'a>(syms: &Symbols<'a>) -> Result<EntryClass<'a>, Error> {
    let mut names: Vec<&String> = syms.classes.keys().collect();
    names.sort();
    let class = names
        .into_iter()
        .map(|n| &syms.classes[n])
        .find(|c| {
            ["release_branch", "git_origin", "runtime_version"]
                .iter()
                .any(|m| c.method(m).is_some())
        })
        .ok_or_else(|| {
            err(
                &Loc {
                    file: File::Types,
                    span: 0..0,
                },
                "no class defines the resolving properties (`release_branch`, `git_origin`)",
                "expected the entry class here",
            )
        })?;
    let file = class.file;
    let at = Loc::of(file, &class.def.name);
    let fields = class.fields();
    let mut app_field = None;
    let mut release_field = None;
    let mut type_field = None;
    let mut app_enums = Vec::new();
    let mut releases = None;
    for (name, ann, _) in &fields {
        let lit = literal(syms, ann, 0);
        let mut enums = Vec::new();
        enums_in(syms, ann, &mut enums);
        if lit
            .as_ref()
            .is_some_and(|l| !l.is_empty() && l.iter().all(|k| k == "IDA" || k == "MFE"))
        {
            type_field = Some(name.to_string());
        } else if name.contains("release") && !name.contains("override") && release_field.is_none()
        {
            releases = match (enums.as_slice(), lit) {
                ([e], _) => Some(ReleaseType::Enum(*e)),
                (_, Some(l)) => Some(ReleaseType::Literal(l)),
                _ => None,
            };
            release_field = Some(name.to_string());
        } else if name.contains("application") && !enums.is_empty() && app_field.is_none() {
            app_field = Some(name.to_string());
            app_enums = enums;
        }
    }
    let missing = |what: &str| {
        err(
            &at,
            format!("`{}` has no field for {what}", class.def.name.as_str()),
            format!("expected a field annotated with {what}"),
        )
    };
    let app_field =
        app_field.ok_or_else(|| missing("the application (an enum class, or a union of them)"))?;
    let release_field = release_field
        .ok_or_else(|| missing("the release (`release: <enum>` or a `Literal[...]`)"))?;
    let releases =
        releases.ok_or_else(|| missing("the release as an enum class or a `Literal[...]`"))?;
    let prop = |n: &str| class.method(n).map(|f| rules::read(f, file)).transpose();
    Ok(EntryClass {
        name: class.def.name.as_str().to_owned(),
        fields: fields
            .iter()
            .map(|(n, _, d)| (n.to_string(), *d, file))
            .collect(),
        app_field,
        release_field,
        type_field,
        app_enums,
        releases,
        branch: prop("release_branch")?,
        origin: prop("git_origin")?,
        runtime: prop("runtime_version")?,
    })
}

/// Returns the string in `v`, or an error naming `what`.
pub(super) fn string(v: &Val, what: &str) -> Result<String, Error> {
    match &v.v {
        Value::Str(s) => Ok(s.clone()),
        _ => Err(err(
            &v.at,
            format!("{what} is not a string"),
            "expected a string",
        )),
    }
}

/// Returns an optional string (`None` and `""` are none, as `or` treats them).
pub(super) fn optional(v: Option<&Val>, what: &str) -> Result<Option<String>, Error> {
    match v.map(|v| &v.v) {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok((!s.is_empty()).then(|| s.clone())),
        Some(_) => Err(err(
            &v.map(|v| v.at.clone()).unwrap_or(Loc {
                file: File::Types,
                span: 0..0,
            }),
            format!("{what} is not a string or `None`"),
            "expected a string or `None`",
        )),
    }
}

/// A release of the catalogue: its name and the value `self.<release field>` holds.
pub(super) struct CatalogueRelease {
    /// The name.
    pub name: String,
    /// The Python value (a member or a string).
    pub value: Val,
    /// The enum member name, for enum releases.
    pub member: Option<String>,
    /// Where it is defined.
    pub at: Loc,
}

/// Lists the releases.
pub(super) fn releases(
    ctx: &Ctx<'_, '_>,
    ec: &EntryClass<'_>,
    at: &Loc,
) -> Result<Vec<CatalogueRelease>, Error> {
    match &ec.releases {
        ReleaseType::Enum(e) => {
            let en = &ctx.syms.enums[*e];
            let mut out = Vec::new();
            for (i, m) in en.members.iter().enumerate() {
                let (v, _) = ctx.bound(*e, i)?;
                out.push(CatalogueRelease {
                    name: string(&v, &format!("the value of release `{}`", m.name))?,
                    value: Val {
                        v: Value::Member(*e, i),
                        at: m.at.clone(),
                    },
                    member: Some(m.name.clone()),
                    at: m.at.clone(),
                });
            }
            Ok(out)
        }
        ReleaseType::Literal(names) => Ok(names
            .iter()
            .map(|n| CatalogueRelease {
                name: n.clone(),
                value: Val {
                    v: Value::Str(n.clone()),
                    at: at.clone(),
                },
                member: None,
                at: at.clone(),
            })
            .collect()),
    }
}

impl EntryClass<'_> {
    /// Returns a `self` holding `given`, every override `None`, and the rest of the fields
    /// withheld.
    pub(super) fn probe(&self, given: &[(&str, Val)], overrides_none: bool) -> This {
        let mut this = This::default();
        for (name, _, _) in &self.fields {
            if let Some((_, v)) = given.iter().find(|(g, _)| g == name) {
                this.fields.insert(name.clone(), v.clone());
            } else if overrides_none && (name.ends_with("override") || name.ends_with("overrides"))
            {
                this.fields.insert(
                    name.clone(),
                    Val {
                        v: Value::None,
                        at: Loc {
                            file: File::Types,
                            span: 0..0,
                        },
                    },
                );
            } else {
                this.withheld.push(name.clone());
            }
        }
        this
    }

    /// Returns `self` for an entry call: its arguments, else the field defaults.
    pub(super) fn entry_this(
        &self,
        ctx: &Ctx<'_, '_>,
        call: &Call,
        at: &Loc,
    ) -> Result<This, Error> {
        let mut this = This::default();
        for (name, default, file) in &self.fields {
            let v = match call.kwarg(name) {
                Some(v) => v.clone(),
                None => match default {
                    Some(d) => ctx.eval(d, *file, &Scope::default())?,
                    None => Val {
                        v: Value::None,
                        at: at.clone(),
                    },
                },
            };
            this.fields.insert(name.clone(), v);
        }
        Ok(this)
    }
}

/// Runs `prop` for its default with `given` fields; `Ok(None)` when the property is absent.
pub(super) fn default_of(
    ctx: &Ctx<'_, '_>,
    ec: &EntryClass<'_>,
    prop: &Option<Property<'_>>,
    given: &[(&str, Val)],
    special: &mut Vec<usize>,
) -> Result<Option<Val>, Error> {
    match prop {
        None => Ok(None),
        Some(p) => p.default(ctx, &ec.probe(given, true), special).map(Some),
    }
}

/// Returns the kind of each application enum: what the entries say, else MFE when its members
/// have a `path` or its name says so.
pub(super) fn kinds_of_enums(
    ctx: &Ctx<'_, '_>,
    ec: &EntryClass<'_>,
    seen: &HashMap<usize, AppKind>,
) -> Vec<(usize, AppKind)> {
    ec.app_enums
        .iter()
        .map(|e| {
            let kind = seen.get(e).copied().unwrap_or_else(|| {
                let en = &ctx.syms.enums[*e];
                let has_path = (0..en.members.len()).any(|i| {
                    ctx.bound(*e, i)
                        .is_ok_and(|(_, a)| a.iter().any(|(n, _)| n == "path"))
                });
                if has_path || en.name.contains("MicroFrontend") || en.name.contains("Mfe") {
                    AppKind::Mfe
                } else {
                    AppKind::Ida
                }
            });
            (*e, kind)
        })
        .collect()
}

/// Adds the applications of `enums` to `matrix`, their repositories from `git_origin`.
pub(super) fn applications(
    ctx: &Ctx<'_, '_>,
    ec: &EntryClass<'_>,
    enums: &[(usize, AppKind)],
    special: &mut Vec<usize>,
    matrix: &mut Matrix,
    spans: &mut Vec<Loc>,
) -> Result<(), Error> {
    for (e, kind) in enums {
        let en = &ctx.syms.enums[*e];
        for (i, m) in en.members.iter().enumerate() {
            let (value, attrs) = ctx.bound(*e, i)?;
            let name = string(&value, &format!("the value of `{}.{}`", en.name, m.name))?;
            let member = Val {
                v: Value::Member(*e, i),
                at: m.at.clone(),
            };
            // A repository map without this application: no default (entries must override).
            let repository = match default_of(
                ctx,
                ec,
                &ec.origin,
                &[(ec.app_field.as_str(), member)],
                special,
            ) {
                Err(Error::NoKey(_)) => None,
                other => other?,
            };
            let repository = optional(repository.as_ref(), &format!("the repository of `{name}`"))?;
            let path = attrs
                .iter()
                .find(|(n, _)| n == "path")
                .map(|(_, v)| optional(Some(v), "the path"))
                .transpose()?
                .flatten();
            matrix.applications.push(Application {
                name: name.as_str().into(),
                kind: *kind,
                repository: repository.map(Into::into),
                path: path.map(Into::into),
            });
            spans.push(m.at.clone());
        }
    }
    Ok(())
}

/// Computes a release's branch and runtimes; `flags` are `--default-python`/`--default-node`,
/// which replace constants in the code and fill in what the release does not record.
pub(super) fn release(
    ctx: &Ctx<'_, '_>,
    ec: &EntryClass<'_>,
    r: &CatalogueRelease,
    flags: [&Option<String>; 2],
    special: &mut Vec<usize>,
    special_runtime: &mut Vec<usize>,
) -> Result<Release, Error> {
    let rf = ec.release_field.as_str();
    let branch =
        default_of(ctx, ec, &ec.branch, &[(rf, r.value.clone())], special)?.ok_or_else(|| {
            err(
                &r.at,
                "the entry class has no `release_branch` property",
                "cannot tell the branch",
            )
        })?;
    let branch = string(&branch, &format!("the branch of release `{}`", r.name))?;
    let mut runtimes = [None, None];
    for (slot, kind) in ["IDA", "MFE"].into_iter().enumerate() {
        let kind_val = Val {
            v: Value::Str(kind.to_owned()),
            at: r.at.clone(),
        };
        let mut given: Vec<(&str, Val)> = Vec::new();
        if let Some(t) = &ec.type_field {
            given.push((t.as_str(), kind_val));
        }
        // Without the release: a constant in the code, which a flag replaces.
        let mut scratch = Vec::new();
        let constant = match default_of(ctx, ec, &ec.runtime, &given, &mut scratch) {
            Ok(v) => v,
            Err(Error::At { message, .. }) if message.contains("depends on") => None,
            Err(e) => return Err(e),
        };
        runtimes[slot] = match constant {
            Some(v) if flags[slot].is_none() => optional(Some(&v), "the runtime version")?,
            Some(_) => flags[slot].clone(),
            None => {
                given.push((rf, r.value.clone()));
                let v = default_of(ctx, ec, &ec.runtime, &given, special_runtime)?;
                optional(v.as_ref(), "the runtime version")?.or_else(|| flags[slot].clone())
            }
        };
    }
    let [python, node] = runtimes;
    Ok(Release {
        rolling: Release::is_rolling_name(&r.name),
        name: r.name.as_str().into(),
        branch: branch.into(),
        python: python.map(Into::into),
        node: node.map(Into::into),
    })
}

/// The override field each property checks (`branch_override`), from its override clause.
pub(super) fn override_field(p: &Option<Property<'_>>) -> Option<String> {
    p.as_ref()
        .and_then(|p| p.override_clause.as_ref().map(|(_, f)| f.clone()))
}

/// Reads one entry call into an application version.
pub(super) fn app_version(
    ctx: &Ctx<'_, '_>,
    ec: &EntryClass<'_>,
    this: &This,
    app: &str,
    release: &str,
) -> Result<AppVersion, Error> {
    let field = |p: &Option<Property<'_>>| -> Result<Option<String>, Error> {
        match override_field(p) {
            Some(f) => optional(this.fields.get(&f), &format!("`{f}`")),
            None => Ok(None),
        }
    };
    let translations = match this.fields.get("translation_overrides").map(|v| &v.v) {
        None | Some(Value::None) => None,
        Some(Value::List(items)) => Some(
            items
                .iter()
                .map(|i| string(i, "a translation command"))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => {
            let v = &this.fields["translation_overrides"];
            return Err(err(
                &v.at,
                "`translation_overrides` is not a list of strings",
                "expected a list or `None`",
            ));
        }
    };
    let _ = ctx;
    Ok(AppVersion {
        application: app.into(),
        release: release.into(),
        branch: field(&ec.branch)?.map(Into::into),
        origin: field(&ec.origin)?.map(Into::into),
        runtime: field(&ec.runtime)?.map(Into::into),
        translations,
        extra: this.extra.clone(),
    })
}
