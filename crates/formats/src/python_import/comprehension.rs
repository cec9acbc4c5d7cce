//! Comprehensions over data the evaluator can read (`[V(application=a, …) for a in APPS if …]`,
//! `{d: APPS for d in ("campus", "campus-staging")}`), and module-level helper functions whose
//! body is assignments and one `return` (`def fork(app): return {"origin_override": …}`),
//! called with their parameters bound as Python binds them.

use super::display::Arguments;
use super::eval::{Ctx, Error, Scope, Val, Value, err};
use super::symbols::{File, Function, Loc};
use ruff_python_ast::{Comprehension, Expr, Stmt};

impl Ctx<'_, '_> {
    /// Runs the `for … in … if …` clauses of a comprehension, calling `emit` with the scope of
    /// each element, in Python's order.
    pub(super) fn comprehend(
        &self,
        generators: &[Comprehension],
        file: File,
        scope: &Scope<'_>,
        emit: &mut dyn FnMut(&Scope<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let Some((first, rest)) = generators.split_first() else {
            return emit(scope);
        };
        if first.is_async {
            return Err(err(
                &Loc::of(file, first),
                "cannot read an `async for`",
                "here",
            ));
        }
        let source = self.eval(&first.iter, file, scope)?;
        'items: for item in self.iterate(&source, &Loc::of(file, &first.iter))? {
            let mut inner = scope.clone();
            self.bind(&first.target, item, file, &mut inner)?;
            for cond in &first.ifs {
                let c = self.eval(cond, file, &inner)?;
                if !self.truthy(&c)? {
                    continue 'items;
                }
            }
            self.comprehend(rest, file, &inner, emit)?;
        }
        Ok(())
    }

    /// Binds a `for` target (a name, or a tuple of targets unpacking the value).
    fn bind(&self, target: &Expr, v: Val, file: File, scope: &mut Scope<'_>) -> Result<(), Error> {
        match target {
            Expr::Name(n) => {
                scope.lazy.remove(n.id.as_str());
                scope.locals.insert(n.id.as_str().to_owned(), v);
                Ok(())
            }
            Expr::Tuple(t) => self.bind_all(&t.elts, v, file, scope),
            Expr::List(l) => self.bind_all(&l.elts, v, file, scope),
            other => Err(err(
                &Loc::of(file, other),
                "cannot read this loop target",
                "expected a name or a tuple of names",
            )),
        }
    }

    fn bind_all(
        &self,
        targets: &[Expr],
        v: Val,
        file: File,
        scope: &mut Scope<'_>,
    ) -> Result<(), Error> {
        let Value::List(items) = &v.v else {
            return Err(err(&v.at, "cannot unpack this value", "expected a tuple"));
        };
        if items.len() != targets.len() {
            return Err(err(
                &v.at,
                format!(
                    "{} values to unpack into {} names",
                    items.len(),
                    targets.len()
                ),
                "Python raises ValueError",
            ));
        }
        for (t, x) in targets.iter().zip(items) {
            self.bind(t, x.clone(), file, scope)?;
        }
        Ok(())
    }

    /// Calls a module-level helper: binds the arguments, evaluates its assignments in order
    /// and returns what its `return` gives.
    pub(super) fn call_helper(
        &self,
        f: &Function<'_>,
        a: Arguments,
        at: &Loc,
    ) -> Result<Val, Error> {
        let def = f.def;
        let p = &def.parameters;
        let name = def.name.as_str();
        if p.vararg.is_some() || p.kwarg.is_some() {
            return Err(err(
                &Loc::of(f.file, &def.name),
                format!("cannot call `{name}`: it takes `*args` or `**kwargs`"),
                "only named parameters are read",
            ));
        }
        let positional: Vec<_> = p.posonlyargs.iter().chain(&p.args).collect();
        if a.args.len() > positional.len() {
            return Err(err(
                at,
                format!("`{name}` takes {} positional arguments", positional.len()),
                "Python raises TypeError",
            ));
        }
        let mut scope = Scope::default();
        for (param, v) in positional.iter().zip(a.args) {
            scope
                .locals
                .insert(param.parameter.name.as_str().to_owned(), v);
        }
        for (k, v, _) in a.kwargs {
            let known = positional
                .iter()
                .chain(&p.kwonlyargs.iter().collect::<Vec<_>>())
                .any(|q| q.parameter.name.as_str() == k);
            if !known || scope.locals.contains_key(&k) {
                return Err(err(
                    at,
                    format!("`{name}` got an unexpected or repeated argument `{k}`"),
                    "Python raises TypeError",
                ));
            }
            scope.locals.insert(k, v);
        }
        for param in positional.iter().copied().chain(&p.kwonlyargs) {
            let pname = param.parameter.name.as_str();
            if scope.locals.contains_key(pname) {
                continue;
            }
            let Some(d) = &param.default else {
                return Err(err(
                    at,
                    format!("`{name}` is missing the argument `{pname}`"),
                    "Python raises TypeError",
                ));
            };
            let v = self.eval(d, f.file, &Scope::default())?;
            scope.locals.insert(pname.to_owned(), v);
        }
        for stmt in &def.body {
            match stmt {
                Stmt::Expr(x) if matches!(x.value.as_ref(), Expr::StringLiteral(_)) => {}
                Stmt::Assign(s) => match s.targets.as_slice() {
                    [Expr::Name(n)] => {
                        let v = self.eval(&s.value, f.file, &scope)?;
                        scope.locals.insert(n.id.as_str().to_owned(), v);
                    }
                    _ => return Err(unreadable_statement(name, f.file, stmt)),
                },
                Stmt::Return(r) => {
                    return match &r.value {
                        Some(v) => self.eval(v, f.file, &scope).map(|mut x| {
                            // A value made here is located at the call that made it.
                            if matches!(x.v, Value::Call(_) | Value::Dict(_) | Value::List(_)) {
                                x.at = at.clone();
                            }
                            x
                        }),
                        None => Ok(Val {
                            v: Value::None,
                            at: at.clone(),
                        }),
                    };
                }
                _ => return Err(unreadable_statement(name, f.file, stmt)),
            }
        }
        Ok(Val {
            v: Value::None,
            at: at.clone(),
        })
    }
}

fn unreadable_statement(name: &str, file: File, stmt: &Stmt) -> Error {
    err(
        &Loc::of(file, stmt),
        format!("cannot read this statement of the helper `{name}`"),
        "a helper is read when its body is assignments and one `return`",
    )
}
