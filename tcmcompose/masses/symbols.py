"""Parsing of user equations into SymPy with a closed vocabulary.

Strings are parsed with a restricted namespace: only the declared names of a
mass (states, parameters, input ports, and ``t``) plus a fixed set of
mathematical functions are known. Any other name becomes a plain symbol and is
then reported as undeclared, instead of silently turning into a SymPy object
(``E`` into Euler's number, ``S`` into the singleton registry, ``I`` into the
imaginary unit, ``gamma`` into the gamma function, ...).
"""
import keyword

import sympy as sp
from sympy.parsing.sympy_parser import (
    auto_number,
    auto_symbol,
    factorial_notation,
    parse_expr,
    repeated_decimals,
)

from ..errors import ModelError

#: time symbol available in every equation (ms)
TIME = sp.Symbol("t", real=True)

#: functions a user equation may call
FUNCTIONS = {
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "tanh": sp.tanh,
    "sinh": sp.sinh, "cosh": sp.cosh, "sin": sp.sin, "cos": sp.cos,
    "tan": sp.tan, "atan": sp.atan, "atan2": sp.atan2, "asin": sp.asin,
    "acos": sp.acos, "Abs": sp.Abs, "abs": sp.Abs, "sign": sp.sign,
    "Piecewise": sp.Piecewise, "Max": sp.Max, "Min": sp.Min,
    "Heaviside": sp.Heaviside, "pi": sp.pi, "erf": sp.erf,
    "Rational": sp.Rational, "Eq": sp.Eq, "Ne": sp.Ne, "Lt": sp.Lt,
    "Le": sp.Le, "Gt": sp.Gt, "Ge": sp.Ge, "And": sp.And, "Or": sp.Or,
    "Not": sp.Not, "true": sp.true, "false": sp.false,
}

# Names we refuse for states/params/ports: Python keywords, the time symbol,
# the function vocabulary (a parameter named 'exp' would shadow exp()).
_RESERVED = set(FUNCTIONS) | {"t", "math", "np", "njit", "range", "min", "max", "len",
                               "float", "int", "True", "False", "None"}


def check_name(name, what, owner):
    """Raise unless ``name`` can be a state/parameter/port name."""
    if not isinstance(name, str) or not name.isidentifier():
        raise ModelError(f"{owner}: {what} name {name!r} is not a valid identifier; "
                         "use letters, digits and underscores, not starting with a digit.")
    if keyword.iskeyword(name) or name in _RESERVED:
        raise ModelError(f"{owner}: {what} name {name!r} is reserved (Python keyword, "
                         f"the time symbol 't' or a function name); rename it, e.g. {name + '_'!r}.")
    if name.startswith("_"):
        raise ModelError(f"{owner}: {what} name {name!r} starts with '_', which generated "
                         "code reserves for its own variables; rename it.")


def to_expr(value, symbols, owner, what):
    """Turn a string, number or SymPy expression into an expression over ``symbols``.

    ``symbols`` maps names to the canonical :class:`sympy.Symbol` objects of a
    mass. SymPy input whose symbols carry the same names (whatever their
    assumptions) is rewritten onto the canonical symbols.
    """
    if isinstance(value, str):
        namespace = dict(FUNCTIONS)
        namespace.update(symbols)
        namespace["t"] = TIME
        globals_ = {"Integer": sp.Integer, "Float": sp.Float, "Symbol": sp.Symbol,
                    "Function": sp.Function}
        try:
            expr = parse_expr(value, local_dict=namespace, global_dict=globals_,
                              transformations=(auto_symbol, repeated_decimals, auto_number,
                                               factorial_notation),
                              evaluate=True)
        except Exception as exc:  # SymPy raises many kinds
            raise ModelError(f"{owner}: cannot parse {what} {value!r}: {exc}") from None
    elif isinstance(value, (int, float)):
        expr = sp.Float(value) if isinstance(value, float) else sp.Integer(value)
    elif isinstance(value, sp.Basic):
        expr = value
    else:
        raise ModelError(f"{owner}: {what} must be a string, a number or a SymPy expression, "
                         f"got {type(value).__name__}.")
    if not isinstance(expr, sp.Expr):
        raise ModelError(f"{owner}: {what} {value!r} is not an expression (got {type(expr).__name__}).")
    canon = dict(symbols)
    canon["t"] = TIME
    swap = {s: canon[s.name] for s in expr.free_symbols
            if isinstance(s, sp.Symbol) and s.name in canon and s is not canon[s.name]}
    if swap:
        expr = expr.xreplace(swap)
    unknown_funcs = {type(f).__name__ for f in expr.atoms(sp.Function)
                     if isinstance(f, sp.core.function.AppliedUndef)}
    if unknown_funcs:
        raise ModelError(f"{owner}: {what} calls unknown function(s) {sorted(unknown_funcs)}; "
                         f"available: {sorted(k for k, v in FUNCTIONS.items() if callable(v))}.")
    return expr


def check_piecewise(expr, owner, what):
    """A Piecewise needs an otherwise-branch; without one it has no value there."""
    for pw in expr.atoms(sp.Piecewise):
        if pw.args[-1].cond is not sp.true:
            raise ModelError(f"{owner}: {what} has a Piecewise without a final (value, True) branch; "
                             "add one so the expression is defined everywhere.")
