//! Displays and calls read with Python's unpacking rules: `[*a, x]`, `{**a, "k": v}` (a later
//! key replaces the value and keeps the first key's position, as `dict` does; a key written
//! twice in one display is noted so both places can be reported), `f(*a, **common, k=v)` (a
//! keyword given twice is Python's `TypeError`), `dict(a, k=v)`, `a + b` on lists and strings,
//! `a | b` on dicts, and `d.items()` / `.keys()` / `.values()` / `.copy()`.

use super::eval::{Call, Ctx, Error, Scope, Val, Value, err};
use super::symbols::{File, Loc};
use ruff_python_ast::{DictItem, Expr, ExprCall, Operator};
use std::rc::Rc;

/// A key written twice in one dict display: Python keeps the last value without a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct DuplicateKey {
    /// The key as written the first time (its text for the message).
    pub key: String,
    /// Where it is first written.
    pub first: Loc,
    /// Where it is written again (the value Python keeps).
    pub again: Loc,
}

/// The positional and keyword arguments of a call, `*` and `**` spread.
pub(super) struct Arguments {
    /// Positional arguments.
    pub args: Vec<Val>,
    /// Keyword arguments in order, with where each is written.
    pub kwargs: Vec<(String, Val, Loc)>,
}

impl Ctx<'_, '_> {
    /// Evaluates a list or tuple display.
    pub(super) fn list_display(
        &self,
        elts: &[Expr],
        file: File,
        scope: &Scope<'_>,
        at: &Loc,
    ) -> Result<Val, Error> {
        let mut items = Vec::new();
        for e in elts {
            if let Expr::Starred(s) = e {
                let v = self.eval(&s.value, file, scope)?;
                items.extend(self.iterate(&v, &Loc::of(file, e))?);
            } else if let Some(v) = self.item(e, file, scope)? {
                items.push(v);
            }
        }
        Ok(Val {
            v: Value::List(items),
            at: at.clone(),
        })
    }

    /// Evaluates a dict display.
    pub(super) fn dict_display(
        &self,
        display: &[DictItem],
        file: File,
        scope: &Scope<'_>,
        at: &Loc,
    ) -> Result<Val, Error> {
        let mut items: Vec<(Val, Val)> = Vec::new();
        // The keys written in this display, for the duplicate-key note.
        let mut written: Vec<(Val, String)> = Vec::new();
        for item in display {
            let Some(key) = &item.key else {
                let v = self.eval(&item.value, file, scope)?;
                for (k, x) in self.dict_items(&v, "`**` unpacking")? {
                    self.insert(&mut items, k, x)?;
                }
                continue;
            };
            let Some(k) = self.item(key, file, scope)? else {
                continue;
            };
            let Some(x) = self.item(&item.value, file, scope)? else {
                continue;
            };
            for (w, text) in &written {
                if self.eq(w, &k)? {
                    self.note_duplicate(DuplicateKey {
                        key: text.clone(),
                        first: w.at.clone(),
                        again: k.at.clone(),
                    });
                    break;
                }
            }
            written.push((k.clone(), self.key_text(&k)));
            self.insert(&mut items, k, x)?;
        }
        Ok(Val {
            v: Value::Dict(items),
            at: at.clone(),
        })
    }

    /// Sets `k` to `x` as Python's `d[k] = x` does: an equal key keeps its place.
    pub(super) fn insert(&self, items: &mut Vec<(Val, Val)>, k: Val, x: Val) -> Result<(), Error> {
        for (ek, ev) in items.iter_mut() {
            if self.eq(ek, &k)? {
                *ev = x;
                return Ok(());
            }
        }
        items.push((k, x));
        Ok(())
    }

    /// Returns the items of a dict value, or an error naming `what` needed it.
    fn dict_items(&self, v: &Val, what: &str) -> Result<Vec<(Val, Val)>, Error> {
        match &v.v {
            Value::Dict(items) => Ok(items.clone()),
            _ => Err(err(
                &v.at,
                format!("{what} of something that is not a dict"),
                "expected a dict",
            )),
        }
    }

    /// Returns what `for x in v` goes through: list items, dict keys, enum members.
    pub(super) fn iterate(&self, v: &Val, at: &Loc) -> Result<Vec<Val>, Error> {
        match &v.v {
            Value::List(items) => Ok(items.clone()),
            Value::Dict(items) => Ok(items.iter().map(|(k, _)| k.clone()).collect()),
            Value::Enum(e) => Ok(self.syms.enums[*e]
                .members
                .iter()
                .enumerate()
                .map(|(i, m)| Val {
                    v: Value::Member(*e, i),
                    at: m.at.clone(),
                })
                .collect()),
            _ => Err(err(
                at,
                "cannot iterate over this value",
                "expected a list, tuple, dict or enum class",
            )),
        }
    }

    /// Evaluates the arguments of a call, spreading `*` and `**`.
    pub(super) fn arguments(
        &self,
        c: &ExprCall,
        file: File,
        scope: &Scope<'_>,
    ) -> Result<Arguments, Error> {
        let mut args = Vec::new();
        for a in &c.arguments.args {
            if let Expr::Starred(s) = a {
                let v = self.eval(&s.value, file, scope)?;
                args.extend(self.iterate(&v, &Loc::of(file, a))?);
            } else {
                args.push(self.eval(a, file, scope)?);
            }
        }
        let mut kwargs: Vec<(String, Val, Loc)> = Vec::new();
        for k in &c.arguments.keywords {
            let here = Loc::of(file, k);
            let given: Vec<(String, Val, Loc)> = match &k.arg {
                Some(name) => vec![(
                    name.as_str().to_owned(),
                    self.eval(&k.value, file, scope)?,
                    here.clone(),
                )],
                None => {
                    let v = self.eval(&k.value, file, scope)?;
                    let mut out = Vec::new();
                    for (key, x) in self.dict_items(&v, "`**` unpacking")? {
                        let Value::Str(name) = &key.v else {
                            return Err(err(
                                &key.at,
                                "a `**` keyword that is not a string",
                                "Python raises TypeError: keywords must be strings",
                            ));
                        };
                        out.push((name.clone(), x, key.at.clone()));
                    }
                    out
                }
            };
            for (name, x, place) in given {
                if kwargs.iter().any(|(n, _, _)| *n == name) {
                    return Err(err(
                        &here,
                        format!("the keyword argument `{name}` is given twice"),
                        "Python raises TypeError: got multiple values for this keyword",
                    ));
                }
                kwargs.push((name, x, place));
            }
        }
        Ok(Arguments { args, kwargs })
    }

    /// Evaluates a call: an enum lookup by value, `dict(...)`, a module-level helper function,
    /// a dict method, or a class called with arguments (kept as data).
    pub(super) fn call(
        &self,
        c: &ExprCall,
        file: File,
        scope: &Scope<'_>,
        at: &Loc,
    ) -> Result<Val, Error> {
        if let Expr::Attribute(a) = c.func.as_ref() {
            let base = self.eval(&a.value, file, scope)?;
            return self.method(&base, a.attr.as_str(), c, at);
        }
        let Expr::Name(n) = c.func.as_ref() else {
            return Err(err(
                &Loc::of(file, c.func.as_ref()),
                "cannot read a call of this",
                "only calls of a class or function by name are read",
            ));
        };
        let name = n.id.as_str();
        let a = self.arguments(c, file, scope)?;
        if let Some(e) = self.syms.enum_named(name) {
            return self.by_value_call(e, &a.args, at);
        }
        if let Some(alias) = self.syms.assigned(name) {
            // `R = OpenEdxSupportedRelease`, then `R("teak")`; any other name (a
            // `namedtuple(...)` class) is called as a class.
            if let Expr::Name(_) = alias.value {
                if let Ok(Val {
                    v: Value::Enum(e), ..
                }) = self.eval(alias.value, alias.file, &Scope::default())
                {
                    return self.by_value_call(e, &a.args, at);
                }
            }
        }
        if let Some(f) = self.syms.functions.get(name) {
            return self.call_helper(f, a, at);
        }
        if name == "dict" && self.is_builtin("dict") {
            let mut items = Vec::new();
            match a.args.as_slice() {
                [] => {}
                [d] => {
                    for (k, x) in self.pairs(d)? {
                        self.insert(&mut items, k, x)?;
                    }
                }
                _ => {
                    return Err(err(
                        at,
                        "`dict` takes at most one positional argument",
                        "here",
                    ));
                }
            }
            for (k, x, place) in a.kwargs {
                let key = Val {
                    v: Value::Str(k),
                    at: place,
                };
                self.insert(&mut items, key, x)?;
            }
            return Ok(Val {
                v: Value::Dict(items),
                at: at.clone(),
            });
        }
        if (name == "list" || name == "tuple") && self.is_builtin(name) {
            let items = match a.args.as_slice() {
                [] => Vec::new(),
                [x] if a.kwargs.is_empty() => self.iterate(x, at)?,
                _ => return Err(err(at, format!("`{name}` takes one argument"), "here")),
            };
            return Ok(Val {
                v: Value::List(items),
                at: at.clone(),
            });
        }
        let (kwargs, kwarg_at) = a.kwargs.into_iter().map(|(k, v, l)| ((k, v), l)).unzip();
        Ok(Val {
            v: Value::Call(Rc::new(Call {
                func: name.to_owned(),
                args: a.args,
                kwargs,
                kwarg_at,
            })),
            at: at.clone(),
        })
    }

    /// Whether `name` is Python's builtin here (not a class or name of the package).
    fn is_builtin(&self, name: &str) -> bool {
        self.syms.enum_named(name).is_none()
            && !self.syms.classes.contains_key(name)
            && !self.syms.functions.contains_key(name)
            && self.syms.assigned(name).is_none()
    }

    /// The pairs `dict(x)` takes: a dict's items, or a list of two-item lists.
    fn pairs(&self, v: &Val) -> Result<Vec<(Val, Val)>, Error> {
        match &v.v {
            Value::Dict(items) => Ok(items.clone()),
            Value::List(items) => items
                .iter()
                .map(|p| match &p.v {
                    Value::List(kv) if kv.len() == 2 => Ok((kv[0].clone(), kv[1].clone())),
                    _ => Err(err(
                        &p.at,
                        "not a key-value pair",
                        "expected `(key, value)`",
                    )),
                })
                .collect(),
            _ => Err(err(
                &v.at,
                "`dict` of this value",
                "expected a dict or pairs",
            )),
        }
    }

    /// `d.items()`, `d.keys()`, `d.values()`, `d.copy()` on a dict; nothing else is read.
    fn method(&self, base: &Val, name: &str, c: &ExprCall, at: &Loc) -> Result<Val, Error> {
        let no_args = c.arguments.args.is_empty() && c.arguments.keywords.is_empty();
        let (Value::Dict(items), true) = (&base.v, no_args) else {
            return Err(err(
                at,
                format!("cannot read a call of `.{name}(...)`"),
                "only `.items()`, `.keys()`, `.values()` and `.copy()` of a dict are read",
            ));
        };
        let v = match name {
            "items" => Value::List(
                items
                    .iter()
                    .map(|(k, x)| Val {
                        v: Value::List(vec![k.clone(), x.clone()]),
                        at: k.at.clone(),
                    })
                    .collect(),
            ),
            "keys" => Value::List(items.iter().map(|(k, _)| k.clone()).collect()),
            "values" => Value::List(items.iter().map(|(_, x)| x.clone()).collect()),
            "copy" => Value::Dict(items.clone()),
            _ => {
                return Err(err(
                    at,
                    format!("cannot read a call of `.{name}(...)`"),
                    "only `.items()`, `.keys()`, `.values()` and `.copy()` of a dict are read",
                ));
            }
        };
        Ok(Val { v, at: at.clone() })
    }

    /// `a + b` on lists or strings, `a | b` on dicts (Python 3.9).
    pub(super) fn binary(
        &self,
        left: &Val,
        op: Operator,
        right: &Val,
        at: &Loc,
    ) -> Result<Val, Error> {
        let v = match (&left.v, op, &right.v) {
            (Value::List(a), Operator::Add, Value::List(b)) => {
                Value::List(a.iter().chain(b).cloned().collect())
            }
            (Value::Str(a), Operator::Add, Value::Str(b)) => Value::Str(format!("{a}{b}")),
            (Value::Dict(a), Operator::BitOr, Value::Dict(b)) => {
                let mut items = a.clone();
                for (k, x) in b {
                    self.insert(&mut items, k.clone(), x.clone())?;
                }
                Value::Dict(items)
            }
            _ => {
                return Err(err(
                    at,
                    format!("cannot read `{}` on these values", op.as_str()),
                    "`+` is read on lists and strings, `|` on dicts",
                ));
            }
        };
        Ok(Val { v, at: at.clone() })
    }

    /// The text of a key for a message.
    fn key_text(&self, k: &Val) -> String {
        match &k.v {
            Value::Str(s) => format!("{s:?}"),
            Value::Member(e, i) => format!(
                "{}.{}",
                self.syms.enums[*e].name, self.syms.enums[*e].members[*i].name
            ),
            Value::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
            Value::None => "None".to_owned(),
            _ => "this key".to_owned(),
        }
    }
}
