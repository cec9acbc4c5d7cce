//! The resolving properties of the entry class (`release_branch`, `git_origin`,
//! `runtime_version`) as a decision list: `if`-chains, `a or b`, conditional expressions and
//! local assignments all become ordered `(test, result)` clauses with Python's control flow.
//! Which clause is the override check, which are special cases and which compute the default is
//! decided by evaluating them (see `build`), not by matching their spelling.

use super::eval::{Ctx, Error, Scope, This, Val, err};
use super::symbols::{File, Loc};
use ruff_python_ast::{BoolOp, CmpOp, Expr, Stmt, StmtFunctionDef};
use std::collections::HashMap;

/// One `if <test>: return <result>` of a property, in order; no test is the fall-through.
#[derive(Clone, Debug)]
pub(super) struct Clause<'a> {
    /// The condition, evaluated for truthiness.
    pub test: Option<&'a Expr>,
    /// The value returned; `None` when the property falls off its end (returns `None`).
    pub result: Option<&'a Expr>,
    /// Where the clause is.
    pub at: Loc,
}

/// A resolving property read as a decision list.
#[derive(Clone, Debug)]
pub(super) struct Property<'a> {
    /// `release_branch`, `git_origin` or `runtime_version`.
    pub name: String,
    /// The clauses in evaluation order.
    pub clauses: Vec<Clause<'a>>,
    /// The override check: its clause index and the field it returns (`branch_override`).
    pub override_clause: Option<(usize, String)>,
    /// Local assignments, by name.
    pub locals: HashMap<String, &'a Expr>,
    /// The file.
    pub file: File,
    /// Where the property's name is.
    pub at: Loc,
}

/// Reads `f` as a decision list.
pub(super) fn read<'a>(f: &'a StmtFunctionDef, file: File) -> Result<Property<'a>, Error> {
    let mut p = Property {
        name: f.name.as_str().to_owned(),
        clauses: Vec::new(),
        override_clause: None,
        locals: HashMap::new(),
        file,
        at: Loc::of(file, &f.name),
    };
    let mut locals = HashMap::new();
    let done = statements(&f.body, file, &mut locals, &mut p.clauses, 0)?;
    if !done {
        p.clauses.push(Clause {
            test: None,
            result: None,
            at: Loc::of(file, &f.name),
        });
    }
    p.locals = locals;
    p.override_clause = p.clauses.iter().enumerate().find_map(|(i, c)| {
        let field = self_field(c.result?)?;
        let test = c.test?;
        let tests_field = self_field(test) == Some(field)
            || matches!(test, Expr::Compare(cmp)
                if self_field(&cmp.left) == Some(field)
                    && matches!(cmp.ops.as_ref(), [CmpOp::IsNot | CmpOp::NotEq])
                    && matches!(cmp.comparators.as_ref(), [Expr::NoneLiteral(_)]));
        (tests_field && field.ends_with("override")).then(|| (i, field.to_owned()))
    });
    Ok(p)
}

/// Returns `F` when `expr` is `self.F`.
pub(super) fn self_field(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") => {
            Some(a.attr.as_str())
        }
        _ => None,
    }
}

/// Appends the clauses of `body`; returns whether every path returns.
fn statements<'a>(
    body: &'a [Stmt],
    file: File,
    locals: &mut HashMap<String, &'a Expr>,
    out: &mut Vec<Clause<'a>>,
    depth: usize,
) -> Result<bool, Error> {
    for stmt in body {
        if depth > 32 {
            return Err(unreadable(file, stmt, "conditions nested this deep"));
        }
        match stmt {
            Stmt::Expr(e) if matches!(e.value.as_ref(), Expr::StringLiteral(_)) => {}
            Stmt::Pass(_) => {}
            Stmt::Assign(a) => match a.targets.as_slice() {
                [Expr::Name(n)] => {
                    locals.insert(n.id.as_str().to_owned(), a.value.as_ref());
                }
                _ => {
                    return Err(unreadable(
                        file,
                        stmt,
                        "an assignment to something other than a name",
                    ));
                }
            },
            Stmt::AnnAssign(a) => match (a.target.as_ref(), a.value.as_deref()) {
                (Expr::Name(n), Some(v)) => {
                    locals.insert(n.id.as_str().to_owned(), v);
                }
                _ => {
                    return Err(unreadable(
                        file,
                        stmt,
                        "an annotated assignment without a value",
                    ));
                }
            },
            Stmt::Return(r) => {
                match r.value.as_deref() {
                    Some(e) => expression(e, file, locals, out, 0)?,
                    None => out.push(Clause {
                        test: None,
                        result: None,
                        at: Loc::of(file, stmt),
                    }),
                }
                return Ok(true);
            }
            Stmt::If(s) => {
                let mut branches: Vec<(Option<&'a Expr>, &'a [Stmt])> =
                    vec![(Some(&s.test), &s.body)];
                for c in &s.elif_else_clauses {
                    branches.push((c.test.as_ref(), &c.body));
                }
                for (test, body) in branches {
                    let mut inner = Vec::new();
                    let mut inner_locals = locals.clone();
                    let returns = statements(body, file, &mut inner_locals, &mut inner, depth + 1)?;
                    match test {
                        Some(test) => {
                            let nested = "a condition inside a condition (write one `if … and …: return …` per case)";
                            let [only] = inner.as_slice() else {
                                return Err(unreadable(file, stmt, nested));
                            };
                            if only.test.is_some() {
                                return Err(unreadable(file, stmt, nested));
                            }
                            if !returns {
                                return Err(unreadable(
                                    file,
                                    stmt,
                                    "an `if` branch that does not return",
                                ));
                            }
                            out.push(Clause {
                                test: Some(test),
                                result: only.result,
                                at: Loc::of(file, stmt),
                            });
                        }
                        None => {
                            out.extend(inner);
                            *locals = inner_locals;
                            if returns {
                                return Ok(true);
                            }
                        }
                    }
                }
            }
            _ => return Err(unreadable(file, stmt, statement_kind(stmt))),
        }
    }
    Ok(false)
}

fn statement_kind(stmt: &Stmt) -> &'static str {
    match stmt {
        Stmt::For(_) => "a `for` loop",
        Stmt::While(_) => "a `while` loop",
        Stmt::Try(_) => "a `try` statement",
        Stmt::Match(_) => "a `match` statement",
        Stmt::With(_) => "a `with` statement",
        Stmt::Raise(_) => "a `raise` statement",
        Stmt::Import(_) | Stmt::ImportFrom(_) => "an import",
        Stmt::FunctionDef(_) => "a nested function",
        Stmt::AugAssign(_) => "an augmented assignment",
        _ => "this statement",
    }
}

fn unreadable(file: File, node: &impl ruff_text_size::Ranged, what: &str) -> Error {
    err(
        &Loc::of(file, node),
        format!("cannot read {what} in a resolving property"),
        "the importer reads `if … : return …`, `a or b`, `a if c else b` and local assignments",
    )
}

/// Appends the clauses of `return expr`.
fn expression<'a>(
    expr: &'a Expr,
    file: File,
    locals: &HashMap<String, &'a Expr>,
    out: &mut Vec<Clause<'a>>,
    depth: usize,
) -> Result<(), Error> {
    if depth > 32 {
        return Err(unreadable(file, expr, "a local that refers to itself"));
    }
    let at = Loc::of(file, expr);
    match expr {
        Expr::Name(n) if locals.contains_key(n.id.as_str()) => {
            expression(locals[n.id.as_str()], file, locals, out, depth + 1)
        }
        Expr::BoolOp(b) if b.op == BoolOp::Or => {
            let (last, first) = b
                .values
                .split_last()
                .ok_or_else(|| unreadable(file, expr, "an empty `or`"))?;
            for v in first {
                out.push(Clause {
                    test: Some(v),
                    result: Some(v),
                    at: at.clone(),
                });
            }
            expression(last, file, locals, out, depth + 1)
        }
        Expr::If(i) => {
            out.push(Clause {
                test: Some(&i.test),
                result: Some(&i.body),
                at,
            });
            expression(&i.orelse, file, locals, out, depth + 1)
        }
        _ => {
            out.push(Clause {
                test: None,
                result: Some(expr),
                at,
            });
            Ok(())
        }
    }
}

impl<'a> Property<'a> {
    /// Returns the scope its clauses are evaluated in, with `self` bound to `this`.
    pub(super) fn scope<'x>(&'x self, this: &'x This) -> Scope<'x> {
        Scope {
            locals: HashMap::new(),
            lazy: self
                .locals
                .iter()
                .map(|(k, v)| (k.clone(), (*v, self.file)))
                .collect(),
            this: Some(this),
        }
    }

    /// Evaluates clause `i`'s test.
    pub(super) fn test(&self, ctx: &Ctx<'_, '_>, i: usize, this: &This) -> Result<bool, Error> {
        match self.clauses[i].test {
            None => Ok(true),
            Some(t) => {
                let v = ctx.eval(t, self.file, &self.scope(this))?;
                ctx.truthy(&v)
            }
        }
    }

    /// Evaluates clause `i`'s result.
    pub(super) fn result(&self, ctx: &Ctx<'_, '_>, i: usize, this: &This) -> Result<Val, Error> {
        match self.clauses[i].result {
            None => Ok(Val {
                v: super::eval::Value::None,
                at: self.clauses[i].at.clone(),
            }),
            Some(r) => ctx.eval(r, self.file, &self.scope(this)),
        }
    }

    /// Runs the property for a full entry: the index of the clause that decides and its value.
    pub(super) fn run(&self, ctx: &Ctx<'_, '_>, this: &This) -> Result<(usize, Val), Error> {
        for i in 0..self.clauses.len() {
            if self.test(ctx, i, this)? {
                return Ok((i, self.result(ctx, i, this)?));
            }
        }
        Err(err(
            &self.at,
            format!("property `{}` returns nothing", self.name),
            "no clause applies",
        ))
    }

    /// Runs the property with some fields withheld to find a default: clauses before the
    /// override check, and clauses whose test reads a withheld field, are special cases (their
    /// indices are added to `special`) and are skipped.
    pub(super) fn default(
        &self,
        ctx: &Ctx<'_, '_>,
        this: &This,
        special: &mut Vec<usize>,
    ) -> Result<Val, Error> {
        let first = self.override_clause.as_ref().map_or(0, |(i, _)| *i);
        for i in 0..self.clauses.len() {
            if i < first {
                if !special.contains(&i) {
                    special.push(i);
                }
                continue;
            }
            match self.test(ctx, i, this) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(Error::Outside(..)) => {
                    if !special.contains(&i) {
                        special.push(i);
                    }
                    continue;
                }
                Err(e) => return Err(e),
            }
            return match self.result(ctx, i, this) {
                Err(Error::Outside(field, at)) => Err(err(
                    &at,
                    format!("the default of `{}` depends on `self.{field}`", self.name),
                    "a default may depend only on the release (branch, runtime) or the application (origin)",
                )),
                other => other,
            };
        }
        Err(err(
            &self.at,
            format!("property `{}` returns nothing", self.name),
            "no clause applies",
        ))
    }
}
