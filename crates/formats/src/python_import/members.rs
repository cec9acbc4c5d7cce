//! The rest of the evaluator: running an enum's `__new__` on a member (its value and bound
//! attributes), Python truthiness and equality.

use super::eval::{Bound, Ctx, Error, Scope, Val, Value, err};
use super::symbols::Loc;
use ruff_python_ast::{Expr, Stmt};

impl Ctx<'_, '_> {
    /// Returns the value and the bound attributes of member `i` of enum `e`, evaluated once:
    /// a lookup by value compares with every member, and re-running each member's `__new__`
    /// per lookup made `import python` quadratic (docs/benchmarks.md, issue 23).
    pub(super) fn bound(&self, e: usize, i: usize) -> Result<Bound, Error> {
        if let Some(done) = self.bound_cache.borrow().get(&(e, i)) {
            return Ok(done.clone());
        }
        let done = self.bound_uncached(e, i)?;
        self.bound_cache.borrow_mut().insert((e, i), done.clone());
        Ok(done)
    }

    fn bound_uncached(&self, e: usize, i: usize) -> Result<Bound, Error> {
        let en = &self.syms.enums[e];
        let m = &en.members[i];
        let file = m.at.file;
        let Some(new) = en.new else {
            return Ok((self.eval(m.expr, file, &Scope::default())?, Vec::new()));
        };
        let params: Vec<_> = new.parameters.args.iter().skip(1).collect();
        let elements: Vec<&Expr> = match m.expr {
            Expr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        let required = params.iter().filter(|p| p.default.is_none()).count();
        if elements.len() < required || elements.len() > params.len() {
            return Err(err(
                &m.at,
                format!(
                    "member `{}` has {} values where `{}.__new__` takes {}",
                    m.name,
                    elements.len(),
                    en.name,
                    params.len()
                ),
                "wrong number of values",
            ));
        }
        let mut scope = Scope::default();
        for (k, p) in params.iter().enumerate() {
            let value = match (elements.get(k), &p.default) {
                (Some(e), _) => self.eval(e, file, &Scope::default())?,
                (None, Some(d)) => self.eval(d, file, &Scope::default())?,
                (None, None) => unreachable_none(&m.at),
            };
            scope
                .locals
                .insert(p.parameter.name.as_str().to_owned(), value);
        }
        let mut value = None;
        let mut attrs = Vec::new();
        for stmt in &new.body {
            match stmt {
                Stmt::Expr(x) if matches!(x.value.as_ref(), Expr::StringLiteral(_)) => {}
                Stmt::Return(_) => break,
                Stmt::Assign(a) => match (a.targets.as_slice(), a.value.as_ref()) {
                    ([Expr::Name(_)], Expr::Call(c)) if matches!(c.func.as_ref(), Expr::Attribute(f) if f.attr.as_str() == "__new__") => {
                        if let Some(arg) = c.arguments.args.get(1) {
                            if value.is_none() {
                                value = Some(self.eval(arg, file, &scope)?);
                            }
                        }
                    }
                    ([Expr::Attribute(t)], rhs) if matches!(t.value.as_ref(), Expr::Name(_)) => {
                        let x = self.eval(rhs, file, &scope)?;
                        if t.attr.as_str() == "_value_" {
                            value = Some(x);
                        } else {
                            attrs.retain(|(n, _): &(String, Val)| n != t.attr.as_str());
                            attrs.push((t.attr.as_str().to_owned(), x));
                        }
                    }
                    _ => {
                        return Err(err(
                            &Loc::of(file, stmt),
                            format!("cannot read this statement of `{}.__new__`", en.name),
                            "expected `member = str.__new__(cls, …)` or `member.attr = parameter`",
                        ));
                    }
                },
                _ => {
                    return Err(err(
                        &Loc::of(file, stmt),
                        format!("cannot read this statement of `{}.__new__`", en.name),
                        "expected `member = str.__new__(cls, …)` or `member.attr = parameter`",
                    ));
                }
            }
        }
        match value {
            Some(v) => Ok((v, attrs)),
            None => Err(err(
                &Loc::of(file, &new.name),
                format!("`{}.__new__` sets no value", en.name),
                "expected `member._value_ = …` or `str.__new__(cls, …)`",
            )),
        }
    }

    /// Python truthiness.
    pub(super) fn truthy(&self, x: &Val) -> Result<bool, Error> {
        Ok(match &x.v {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Str(s) => !s.is_empty(),
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::List(l) => !l.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Member(e, i) if self.syms.enums[*e].str_like => match self.bound(*e, *i)?.0.v {
                Value::Str(s) => !s.is_empty(),
                _ => true,
            },
            _ => true,
        })
    }

    /// Python `==`.
    pub(super) fn eq(&self, a: &Val, b: &Val) -> Result<bool, Error> {
        Ok(match (&a.v, &b.v) {
            (Value::None, Value::None) => true,
            (Value::Bool(x), Value::Bool(y)) => x == y,
            (Value::Str(x), Value::Str(y)) => x == y,
            (Value::Int(x), Value::Int(y)) => x == y,
            (Value::Float(x), Value::Float(y)) => x == y,
            // Python compares an int and a float by value (`1 == 1.0`).
            (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => *x as f64 == *y,
            (Value::Member(e, i), Value::Member(f, j)) => e == f && i == j,
            (Value::Member(e, i), Value::Str(_)) | (Value::Str(_), Value::Member(e, i)) => {
                if !self.syms.enums[*e].str_like {
                    return Ok(false);
                }
                let (v, _) = self.bound(*e, *i)?;
                let other = if matches!(a.v, Value::Str(_)) { a } else { b };
                self.eq(&v, other)?
            }
            (Value::Dict(x), Value::Dict(y)) => {
                if x.len() != y.len() {
                    return Ok(false);
                }
                for (k, v) in x {
                    let mut found = false;
                    for (k2, v2) in y {
                        if self.eq(k, k2)? {
                            found = self.eq(v, v2)?;
                            break;
                        }
                    }
                    if !found {
                        return Ok(false);
                    }
                }
                true
            }
            (Value::List(x), Value::List(y)) => {
                if x.len() != y.len() {
                    return Ok(false);
                }
                for (p, q) in x.iter().zip(y) {
                    if !self.eq(p, q)? {
                        return Ok(false);
                    }
                }
                true
            }
            _ => false,
        })
    }
}

/// Python `is` on the values that have identity here (`None`, booleans, enum members).
pub(super) fn is_same(a: &Val, b: &Val) -> bool {
    match (&a.v, &b.v) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Member(e, i), Value::Member(f, j)) => e == f && i == j,
        _ => false,
    }
}

fn unreachable_none(at: &Loc) -> Val {
    Val {
        v: Value::None,
        at: at.clone(),
    }
}
