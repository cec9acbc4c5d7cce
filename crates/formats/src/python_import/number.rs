//! Number literals (`1`, `-2`, `1.5`): read so an entry's extra values (`retries=3`,
//! `scale=1.5`) are carried. An integer beyond 64 bits, a complex number or a non-finite float
//! has no TOML form and is an error at its place.

use super::eval::{Error, Val, Value, err};
use super::symbols::Loc;
use ruff_python_ast::{Expr, Number, UnaryOp};

/// Reads `expr`, a number literal or `-`/`+` applied to one.
pub(super) fn read(expr: &Expr, at: &Loc) -> Result<Val, Error> {
    let (negative, literal) = match expr {
        Expr::UnaryOp(u) if matches!(u.op, UnaryOp::USub | UnaryOp::UAdd) => {
            (u.op == UnaryOp::USub, u.operand.as_ref())
        }
        other => (false, other),
    };
    let Expr::NumberLiteral(n) = literal else {
        return Err(err(
            at,
            "cannot read a sign on this expression",
            "not a number",
        ));
    };
    let v = match &n.value {
        Number::Int(i) => match i
            .as_i64()
            .and_then(|i| if negative { i.checked_neg() } else { Some(i) })
        {
            Some(i) => Value::Int(i),
            None => {
                return Err(err(
                    at,
                    "an integer beyond 64 bits cannot be carried",
                    "too large",
                ));
            }
        },
        Number::Float(f) if f.is_finite() => Value::Float(if negative { -f } else { *f }),
        Number::Float(_) | Number::Complex { .. } => {
            return Err(err(
                at,
                "cannot read this number",
                "not a finite real number",
            ));
        }
    };
    Ok(Val { v, at: at.clone() })
}
