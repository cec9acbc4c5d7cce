//! Evaluating Python expressions against the symbol table, with Python's meaning: enum members
//! by name (`E.x`), by subscript (`E["x"]`, by value too through a lookup metaclass), by value
//! (`E("x")`), their `.value`/`.name` and the attributes `__new__` binds; dict lookups; `and`,
//! `or`, `not`, conditional expressions and comparisons with Python's equality (a `StrEnum`
//! member equals its value, a plain `Enum` member does not). Nothing is executed; what cannot be
//! evaluated is an [`Error`] at its place.

use super::display::DuplicateKey;
use super::members::is_same;
use super::symbols::{File, Loc, Symbols};
use ruff_python_ast::{BoolOp, CmpOp, Expr, UnaryOp};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// A value computed from the source.
#[derive(Clone, Debug)]
pub(super) enum Value {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// A string.
    Str(String),
    /// An integer (64 bits).
    Int(i64),
    /// A finite float.
    Float(f64),
    /// Member `.1` of enum `.0`.
    Member(usize, usize),
    /// An enum class.
    Enum(usize),
    /// A list or tuple.
    List(Vec<Val>),
    /// A dict, in insertion order.
    Dict(Vec<(Val, Val)>),
    /// A call of a class or function that is not an enum (a model instance).
    Call(Rc<Call>),
    /// `self` inside a property.
    This,
}

/// A call recorded as data: `DeploymentEnvRelease(deployment_name="campus", …)`.
#[derive(Debug)]
pub(super) struct Call {
    /// The name called.
    pub func: String,
    /// Positional arguments.
    pub args: Vec<Val>,
    /// Keyword arguments, in order.
    pub kwargs: Vec<(String, Val)>,
    /// Where each keyword argument is (`name=value`).
    pub kwarg_at: Vec<Loc>,
}

impl Call {
    /// Returns the keyword argument `name`.
    pub(super) fn kwarg(&self, name: &str) -> Option<&Val> {
        self.kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// A value and where it was written.
#[derive(Clone, Debug)]
pub(super) struct Val {
    /// The value.
    pub v: Value,
    /// Where it comes from.
    pub at: Loc,
}

/// Why an expression has no value.
#[derive(Clone, Debug)]
pub(super) enum Error {
    /// A construct the importer cannot read, or a lookup Python itself would fail.
    At {
        /// Where.
        at: Loc,
        /// What.
        message: String,
        /// The label under the code.
        label: String,
        /// The enum a member lookup failed in, and the closest member name.
        missing_in: Option<(usize, Option<String>)>,
    },
    /// The expression reads `self.<field>`, which the current probe does not provide.
    Outside(String, Loc),
    /// A dict lookup of a key the dict does not have (Python raises `KeyError`).
    NoKey(Loc),
}

/// Whether two errors are the same report (same place, same message).
pub(super) fn same_error(a: &Error, b: &Error) -> bool {
    match (a, b) {
        (
            Error::At { at, message, .. },
            Error::At {
                at: at2,
                message: m2,
                ..
            },
        ) => at == at2 && message == m2,
        (Error::NoKey(x), Error::NoKey(y)) | (Error::Outside(_, x), Error::Outside(_, y)) => x == y,
        _ => false,
    }
}

/// Builds an [`Error::At`].
pub(super) fn err(at: &Loc, message: impl Into<String>, label: impl Into<String>) -> Error {
    Error::At {
        at: at.clone(),
        message: message.into(),
        label: label.into(),
        missing_in: None,
    }
}

/// Builds the error of a failed member lookup of `name` in enum `e`.
fn missing(
    ctx: &Ctx<'_, '_>,
    e: usize,
    name: &str,
    at: &Loc,
    message: String,
    label: &str,
) -> Error {
    let en = &ctx.syms.enums[e];
    let mut candidates: Vec<String> = en.members.iter().map(|m| m.name.clone()).collect();
    if en.lookup_by_value {
        for i in 0..en.members.len() {
            if let Ok((
                Val {
                    v: Value::Str(v), ..
                },
                _,
            )) = ctx.bound(e, i)
            {
                candidates.push(v);
            }
        }
    }
    let close = edx_matrix_model::did_you_mean(name, candidates.iter().map(String::as_str))
        .map(str::to_owned);
    Error::At {
        at: at.clone(),
        message,
        label: label.to_owned(),
        missing_in: Some((e, close)),
    }
}

/// What `self` holds inside a property.
#[derive(Clone, Debug, Default)]
pub(super) struct This {
    /// Field values.
    pub fields: HashMap<String, Val>,
    /// Fields of the class that this probe leaves out (reading one is [`Error::Outside`]).
    pub withheld: Vec<String>,
    /// An entry's values the matrix does not read (`extra`).
    pub extra: edx_matrix_model::Extra,
}

/// Local names (a property's assignments, `__new__`'s parameters) and `self`.
#[derive(Clone, Debug, Default)]
pub(super) struct Scope<'x> {
    /// Local names.
    pub locals: HashMap<String, Val>,
    /// Local names evaluated when read (a property's assignments).
    pub lazy: HashMap<String, (&'x Expr, File)>,
    /// `self`, inside a property.
    pub this: Option<&'x This>,
}

/// The evaluator.
pub(super) struct Ctx<'s, 'a> {
    /// The symbols.
    pub syms: &'s Symbols<'a>,
    depth: Cell<usize>,
    /// Each enum member's value and bound attributes, evaluated once (see `Ctx::bound`).
    pub(super) bound_cache: RefCell<HashMap<(usize, usize), Bound>>,
    /// While set, an item of a display that cannot be read is recorded and left out, so that
    /// one run reports every unreadable entry of the data (never while reading properties).
    pub lenient: Cell<bool>,
    /// The errors recorded while lenient, and the keys written twice in a display.
    pub notes: RefCell<Notes>,
}

/// What evaluation noticed beside its result.
#[derive(Debug, Default)]
pub(super) struct Notes {
    /// Errors of items left out while lenient.
    pub errors: Vec<Error>,
    /// Keys written twice in one dict display.
    pub duplicates: Vec<DuplicateKey>,
}

/// A member's value and its bound attributes.
pub(super) type Bound = (Val, Vec<(String, Val)>);

const MAX_DEPTH: usize = 120;

/// Returns a short name for an expression kind, for messages.
pub(super) fn construct(expr: &Expr) -> &'static str {
    match expr {
        Expr::BinOp(_) => "a binary operator",
        Expr::Lambda(_) => "a lambda",
        Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
            "a comprehension"
        }
        Expr::FString(_) => "an f-string",
        Expr::NumberLiteral(_) => "a number",
        Expr::Starred(_) => "a `*` unpacking",
        Expr::Set(_) => "a set",
        Expr::Named(_) => "an assignment expression",
        Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) => "a generator or await",
        Expr::Slice(_) => "a slice",
        Expr::BytesLiteral(_) => "a bytes literal",
        Expr::EllipsisLiteral(_) => "`...`",
        _ => "this expression",
    }
}

impl<'s, 'a> Ctx<'s, 'a> {
    /// Makes an evaluator over `syms`.
    pub(super) fn new(syms: &'s Symbols<'a>) -> Self {
        Ctx {
            syms,
            depth: Cell::new(0),
            bound_cache: RefCell::default(),
            lenient: Cell::new(false),
            notes: RefCell::default(),
        }
    }

    /// Evaluates `expr` (in `file`) in `scope`.
    pub(super) fn eval(&self, expr: &Expr, file: File, scope: &Scope<'_>) -> Result<Val, Error> {
        let at = Loc::of(file, expr);
        if self.depth.get() > MAX_DEPTH {
            return Err(err(
                &at,
                "definitions nest too deeply (or refer to themselves)",
                "too deep",
            ));
        }
        self.depth.set(self.depth.get() + 1);
        let out = self.eval_inner(expr, file, scope, &at);
        self.depth.set(self.depth.get() - 1);
        out
    }

    fn eval_inner(
        &self,
        expr: &Expr,
        file: File,
        scope: &Scope<'_>,
        at: &Loc,
    ) -> Result<Val, Error> {
        let v = |v| Ok(Val { v, at: at.clone() });
        match expr {
            Expr::StringLiteral(s) => v(Value::Str(s.value.to_str().to_owned())),
            Expr::NoneLiteral(_) => v(Value::None),
            Expr::BooleanLiteral(b) => v(Value::Bool(b.value)),
            Expr::NumberLiteral(_) => super::number::read(expr, at),
            Expr::UnaryOp(u) if matches!(u.op, UnaryOp::USub | UnaryOp::UAdd) => {
                super::number::read(expr, at)
            }
            Expr::Name(n) => self.name(n.id.as_str(), scope, at),
            Expr::Attribute(a) => {
                let base = self.eval(&a.value, file, scope)?;
                self.attribute(&base, a.attr.as_str(), scope, at)
            }
            Expr::Subscript(s) => {
                let base = self.eval(&s.value, file, scope)?;
                let key = self.eval(&s.slice, file, scope)?;
                self.subscript(&base, &key, at)
            }
            Expr::Call(c) => self.call(c, file, scope, at),
            Expr::List(l) => self.list_display(&l.elts, file, scope, at),
            Expr::Tuple(t) => self.list_display(&t.elts, file, scope, at),
            Expr::Dict(d) => self.dict_display(&d.items, file, scope, at),
            Expr::BinOp(b) => {
                let l = self.eval(&b.left, file, scope)?;
                let r = self.eval(&b.right, file, scope)?;
                self.binary(&l, b.op, &r, at)
            }
            Expr::ListComp(c) => {
                let mut items = Vec::new();
                self.comprehend(&c.generators, file, scope, &mut |s| {
                    items.push(self.eval(&c.elt, file, s)?);
                    Ok(())
                })?;
                v(Value::List(items))
            }
            Expr::DictComp(c) => {
                let Some(key) = &c.key else {
                    return Err(err(at, "cannot read this comprehension", "here"));
                };
                let mut items = Vec::new();
                self.comprehend(&c.generators, file, scope, &mut |s| {
                    let k = self.eval(key, file, s)?;
                    let x = self.eval(&c.value, file, s)?;
                    self.insert(&mut items, k, x)
                })?;
                v(Value::Dict(items))
            }
            Expr::BoolOp(b) => {
                let mut last = None;
                for value in &b.values {
                    let x = self.eval(value, file, scope)?;
                    let t = self.truthy(&x)?;
                    let stop = match b.op {
                        BoolOp::And => !t,
                        BoolOp::Or => t,
                    };
                    if stop {
                        return Ok(x);
                    }
                    last = Some(x);
                }
                last.ok_or_else(|| err(at, "empty boolean operation", "here"))
            }
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => {
                let x = self.eval(&u.operand, file, scope)?;
                v(Value::Bool(!self.truthy(&x)?))
            }
            Expr::If(i) => {
                let t = self.eval(&i.test, file, scope)?;
                if self.truthy(&t)? {
                    self.eval(&i.body, file, scope)
                } else {
                    self.eval(&i.orelse, file, scope)
                }
            }
            Expr::Compare(c) => {
                let ([op], [right]) = (c.ops.as_ref(), c.comparators.as_ref()) else {
                    return Err(err(
                        at,
                        "cannot read a chained comparison",
                        "split it with `and`",
                    ));
                };
                let l = self.eval(&c.left, file, scope)?;
                let r = self.eval(right, file, scope)?;
                let result = match op {
                    CmpOp::Eq => self.eq(&l, &r)?,
                    CmpOp::NotEq => !self.eq(&l, &r)?,
                    CmpOp::Is => is_same(&l, &r),
                    CmpOp::IsNot => !is_same(&l, &r),
                    CmpOp::In | CmpOp::NotIn => {
                        let found = match &r.v {
                            Value::List(items) => {
                                let mut found = false;
                                for i in items {
                                    found |= self.eq(&l, i)?;
                                }
                                found
                            }
                            Value::Dict(items) => {
                                let mut found = false;
                                for (k, _) in items {
                                    found |= self.eq(&l, k)?;
                                }
                                found
                            }
                            _ => {
                                return Err(err(
                                    at,
                                    "cannot read `in` on this",
                                    "expected a list or dict",
                                ));
                            }
                        };
                        found == (*op == CmpOp::In)
                    }
                    _ => {
                        return Err(err(
                            at,
                            "cannot read an ordering comparison",
                            "only `==`, `!=`, `is`, `in` are read",
                        ));
                    }
                };
                v(Value::Bool(result))
            }
            other => Err(err(
                at,
                format!("cannot read {}", construct(other)),
                "the importer reads literals, names, enum members, dicts, calls and comparisons",
            )),
        }
    }

    /// Evaluates an item of a display; while lenient, an error is recorded and the item left
    /// out (`Ok(None)`).
    pub(super) fn item(
        &self,
        expr: &Expr,
        file: File,
        scope: &Scope<'_>,
    ) -> Result<Option<Val>, Error> {
        match self.eval(expr, file, scope) {
            Ok(v) => Ok(Some(v)),
            Err(e @ (Error::At { .. } | Error::NoKey(_))) if self.lenient.get() => {
                let mut notes = self.notes.borrow_mut();
                if !notes.errors.iter().any(|x| same_error(x, &e)) {
                    notes.errors.push(e);
                }
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Notes a key written twice in one display (once, however often the display is read).
    pub(super) fn note_duplicate(&self, d: DuplicateKey) {
        let mut notes = self.notes.borrow_mut();
        if !notes.duplicates.contains(&d) {
            notes.duplicates.push(d);
        }
    }

    fn name(&self, name: &str, scope: &Scope<'_>, at: &Loc) -> Result<Val, Error> {
        let v = |v| Ok(Val { v, at: at.clone() });
        if name == "self" && scope.this.is_some() {
            return v(Value::This);
        }
        if let Some(local) = scope.locals.get(name) {
            return Ok(local.clone());
        }
        if let Some((expr, file)) = scope.lazy.get(name) {
            return self.eval(expr, *file, scope);
        }
        if let Some(e) = self.syms.enum_named(name) {
            return v(Value::Enum(e));
        }
        if let Some(a) = self.syms.assigned(name) {
            return self.eval(a.value, a.file, &Scope::default());
        }
        Err(err(
            at,
            format!("`{name}` is not defined in `types.py` or `version_matrix.py`"),
            "unknown name",
        ))
    }

    /// Evaluates `base.attr`.
    pub(super) fn attribute(
        &self,
        base: &Val,
        attr: &str,
        scope: &Scope<'_>,
        at: &Loc,
    ) -> Result<Val, Error> {
        match &base.v {
            Value::This => {
                let this = scope
                    .this
                    .ok_or_else(|| err(at, "`self` outside a property", "here"))?;
                if let Some(v) = this.fields.get(attr) {
                    return Ok(v.clone());
                }
                if this.withheld.iter().any(|w| w == attr) {
                    return Err(Error::Outside(attr.to_owned(), at.clone()));
                }
                Err(err(
                    at,
                    format!("cannot read `self.{attr}`: not a field of the entry"),
                    "only the entry's fields are read",
                ))
            }
            Value::Enum(e) => {
                let en = &self.syms.enums[*e];
                match en.members.iter().position(|m| m.name == attr) {
                    Some(i) => Ok(Val {
                        v: Value::Member(*e, i),
                        at: at.clone(),
                    }),
                    None => Err(missing(
                        self,
                        *e,
                        attr,
                        at,
                        format!("`{}` has no member `{attr}`", en.name),
                        "no such member",
                    )),
                }
            }
            Value::Member(e, i) => match attr {
                "value" => Ok(self.bound(*e, *i)?.0),
                "name" => Ok(Val {
                    v: Value::Str(self.syms.enums[*e].members[*i].name.clone()),
                    at: at.clone(),
                }),
                _ => {
                    let (_, attrs) = self.bound(*e, *i)?;
                    attrs
                        .into_iter()
                        .find(|(n, _)| n == attr)
                        .map(|(_, v)| v)
                        .ok_or_else(|| {
                            err(
                                at,
                                format!(
                                    "members of `{}` have no attribute `{attr}`",
                                    self.syms.enums[*e].name
                                ),
                                "`__new__` binds no such attribute",
                            )
                        })
                }
            },
            Value::Call(c) => c.kwarg(attr).cloned().ok_or_else(|| {
                err(
                    at,
                    format!("this `{}(...)` has no argument `{attr}`", c.func),
                    "no such argument",
                )
            }),
            _ => Err(err(
                at,
                format!("cannot read `.{attr}` of this value"),
                "not an enum member or model",
            )),
        }
    }

    fn subscript(&self, base: &Val, key: &Val, at: &Loc) -> Result<Val, Error> {
        match (&base.v, &key.v) {
            (Value::Enum(e), Value::Str(k)) => {
                let en = &self.syms.enums[*e];
                if let Some(i) = en.members.iter().position(|m| &m.name == k) {
                    return Ok(Val {
                        v: Value::Member(*e, i),
                        at: at.clone(),
                    });
                }
                if en.lookup_by_value {
                    if let Some(found) = self.find_by_value(*e, key)? {
                        return Ok(Val {
                            v: found,
                            at: at.clone(),
                        });
                    }
                }
                Err(missing(
                    self,
                    *e,
                    k,
                    at,
                    format!("`{}` has no member named `{k}`", en.name),
                    if en.lookup_by_value {
                        "no member has this name or value"
                    } else {
                        "no member has this name (Python raises KeyError)"
                    },
                ))
            }
            (Value::Dict(items), _) => {
                for (k, v) in items {
                    if self.eq(k, key)? {
                        return Ok(v.clone());
                    }
                }
                Err(Error::NoKey(at.clone()))
            }
            _ => Err(err(
                at,
                "cannot read this subscript",
                "expected an enum or dict lookup",
            )),
        }
    }

    pub(super) fn by_value_call(&self, e: usize, args: &[Val], at: &Loc) -> Result<Val, Error> {
        let [arg] = args else {
            return Err(err(
                at,
                "an enum lookup takes one value",
                "expected `Enum(\"value\")`",
            ));
        };
        match self.find_by_value(e, arg)? {
            Some(v) => Ok(Val { v, at: at.clone() }),
            None => Err(err(
                at,
                format!("no member of `{}` has this value", self.syms.enums[e].name),
                "Python raises ValueError",
            )),
        }
    }

    /// Returns the member of enum `e` whose value equals `value`.
    pub(super) fn find_by_value(&self, e: usize, value: &Val) -> Result<Option<Value>, Error> {
        if let Value::Member(e2, _) = value.v {
            if e2 == e {
                return Ok(Some(value.v.clone()));
            }
        }
        for i in 0..self.syms.enums[e].members.len() {
            let (v, _) = self.bound(e, i)?;
            if self.eq(&v, value)? {
                return Ok(Some(Value::Member(e, i)));
            }
        }
        Ok(None)
    }
}
