"""Equations as text and back, exactly.

Model files hold every expression as the text a user would write
(``"(V0 - V + I)/tau"``). Numbers are written with Python's shortest
round-trip ``repr`` (SymPy's printer keeps 15 digits and would perturb the
last bits) and read back as double precision (53-bit) Floats, as they are
when a mass is declared in Python. Euler's number is written ``exp(1)``: the
closed vocabulary of :mod:`tcmcompose.masses.symbols` has no ``E``.

Parsing text re-evaluates it, and SymPy's evaluation is not idempotent on
every tree: a product such as ``4*(1 - x)*y`` kept unexpanded in the
original is distributed when its printed text is parsed, which changes the
generated code and the rounding of the result. For those few expressions
the writer adds the exact tree (SymPy's ``srepr``) under the file's
``exact:`` key. The reader rebuilds it with a whitelist (SymPy classes and
literals only; nothing is ``eval``-ed) and uses it only while it agrees
numerically with the text, so a hand-edited equation always wins.
"""
import ast

import numpy as np
import sympy as sp
from sympy.printing.str import StrPrinter

from ..errors import ModelError
from ..masses.symbols import to_expr


class _Printer(StrPrinter):
    def _print_Float(self, expr):
        value = float(expr)
        if sp.Float(value, precision=expr._prec) != expr:   # more than double precision: keep all digits
            return super()._print_Float(expr)
        return repr(value)

    def _print_Exp1(self, expr):
        return "exp(1)"


_PRINTER = _Printer({"order": "none"})


def to_text(expr):
    """A number (float) or the text of a SymPy expression."""
    if isinstance(expr, (int, float, np.number)) or isinstance(expr, sp.Float):
        return float(expr)
    return _PRINTER.doprint(expr)


def _doubles(expr):
    floats = {f: sp.Float(float(f)) for f in expr.atoms(sp.Float) if f._prec != 53}
    return expr.xreplace(floats) if floats else expr


def from_text(value, symbols, owner, what):
    """Parse ``value`` (text or number) over ``symbols`` (name -> Symbol); numbers become doubles."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return _doubles(to_expr(value, symbols, owner, what))


def exact_form(expr, symbols):
    """The ``srepr`` of ``expr`` if its text does not parse back to the same tree, else None."""
    if not isinstance(expr, sp.Basic) or isinstance(expr, sp.Float):
        return None
    try:
        back = from_text(to_text(expr), symbols, "", "")
    except (ModelError, TypeError):
        back = None
    return None if back is not None and sp.srepr(back) == sp.srepr(expr) else sp.srepr(expr)


# ------------------------------------------------------------------ exact trees
_LITERALS = {"true": sp.true, "false": sp.false}


def _build(node, functions):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        return -node.operand.value
    if isinstance(node, ast.Tuple):
        return tuple(_build(e, functions) for e in node.elts)
    if isinstance(node, ast.Name) and node.id in _LITERALS:
        return _LITERALS[node.id]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions:
        return functions[node.func.id](*[_build(a, functions) for a in node.args])
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        cls = getattr(sp, node.func.id, None)
        if isinstance(cls, type) and issubclass(cls, sp.Basic):
            args = [_build(a, functions) for a in node.args]
            kwargs = {k.arg: _build(k.value, functions) for k in node.keywords}
            if cls in (sp.Symbol, sp.Integer, sp.Rational, sp.Float):
                return cls(*args, **kwargs)
            try:
                return cls(*args, evaluate=False, **kwargs)
            except TypeError:
                return cls(*args, **kwargs)
    raise ValueError(f"not a SymPy tree: {ast.dump(node)[:80]}")


def from_exact(text, functions=None):
    """Rebuild a tree written by :func:`exact_form` (SymPy classes, literals and the
    callables in ``functions``, e.g. a mass's tables, only)."""
    return _build(ast.parse(text, mode="eval").body, functions or {})


def agrees(a, b, tol=1e-9):
    """True if expressions ``a`` and ``b`` take the same values at a few random points."""
    if not isinstance(a, sp.Basic) or not isinstance(b, sp.Basic):
        return sp.sympify(a) == sp.sympify(b)
    names = sorted({s.name for s in a.free_symbols | b.free_symbols})
    syms = [sp.Symbol(n, real=True) for n in names]
    a = a.xreplace({s: sp.Symbol(s.name, real=True) for s in a.free_symbols})
    b = b.xreplace({s: sp.Symbol(s.name, real=True) for s in b.free_symbols})
    rng = np.random.default_rng(0)
    with np.errstate(all="ignore"):
        for _ in range(4):
            point = dict(zip(syms, rng.uniform(0.1, 1.0, len(syms))))
            try:
                va, vb = complex(a.evalf(subs=point)), complex(b.evalf(subs=point))
            except (TypeError, ValueError):      # a call SymPy cannot evaluate (a table): trees must match
                return sp.srepr(a) == sp.srepr(b)
            if not (abs(va - vb) <= tol * max(1.0, abs(va)) or (np.isnan(va) and np.isnan(vb))):
                return False
    return True
