"""SymPy -> Numba-compatible Python printer.

A subclass of SymPy's :class:`PythonCodePrinter`: expressions are printed
from the expression tree (never by pasting user text), with ``math.*`` calls
that Numba compiles, and explicit branches for the step functions.
"""
import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.pycode import PythonCodePrinter


class NumbaPrinter(PythonCodePrinter):
    """Print scalar expressions for ``@njit`` kernels.

    ``names`` maps symbol names to local variable names (identity when absent).
    """

    def __init__(self, names=None, tables=None, **settings):
        settings.setdefault("fully_qualified_modules", True)
        settings.setdefault("standard", "python3")
        super().__init__(settings)
        self._names = dict(names or {})
        self._tables = tables       # (group index, table names in kernel order) of the mass printed

    def _print_TableFunctionBase(self, expr):
        # a tabulated function: interpolated by the shared kernel from the parameter-vector tail
        table = expr._table
        if self._tables is None or table.name not in self._tables[1]:
            raise NotImplementedError(f"table {table.name!r} printed outside its mass's kernels")
        g, names = self._tables
        args = [self._print(a) for a in expr.args] + ["0.0"] * (2 - len(expr.args))
        d1, d2 = expr._orders
        return f"table_eval(_p, {g}, {names.index(table.name)}, {d1}, {d2}, {args[0]}, {args[1]})"

    def _print_Symbol(self, expr):
        return self._names.get(expr.name, expr.name)

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Heaviside(self, expr):
        x = self._print(expr.args[0])
        h0 = expr.args[1] if len(expr.args) > 1 else sp.Rational(1, 2)
        return f"(1.0 if {x} > 0 else (0.0 if {x} < 0 else {float(h0)!r}))"

    def _print_DiracDelta(self, expr):
        # derivative of a step: zero everywhere it is defined
        return "0.0"

    def _print_sign(self, expr):
        x = self._print(expr.args[0])
        return f"(1.0 if {x} > 0 else (-1.0 if {x} < 0 else 0.0))"

    def _print_Abs(self, expr):
        return f"abs({self._print(expr.args[0])})"

    def _print_BooleanTrue(self, expr):
        return "True"

    def _print_BooleanFalse(self, expr):
        return "False"


#: functions :class:`VectorPrinter` prints as NumPy ufuncs
_UFUNCS = (sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh, sp.asin, sp.acos, sp.atan)


def vectorisable(expr):
    """True if ``expr`` is arithmetic, powers and :data:`_UFUNCS` only (no
    conditionals, tables or special functions), so :class:`VectorPrinter`
    prints it as NumPy code with the same operations as the kernels."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Symbol, sp.Number, sp.Add, sp.Mul, sp.Pow, sp.core.numbers.NumberSymbol)):
            continue
        if isinstance(node, sp.Function) and node.func in _UFUNCS:
            continue
        return False
    return True


class VectorPrinter(NumPyPrinter):
    """Print :func:`vectorisable` expressions over NumPy arrays: ``numpy.exp``
    etc., with numbers and powers printed as :class:`NumbaPrinter` does."""

    def __init__(self, **settings):
        settings.setdefault("fully_qualified_modules", True)
        super().__init__(settings)

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Pow(self, expr, rational=False):
        return self._hprint_Pow(expr, rational=rational, sqrt="numpy.sqrt")


def print_assignments(assignments, result_lines, names, indent):
    """Print a CSE'd block: ``temps`` (list of (symbol, expr)) then ``targets``
    (list of (lhs string, expr)). Returns source lines."""
    printer = NumbaPrinter(names)
    pad = " " * indent
    lines = [f"{pad}{printer.doprint(sym)} = {printer.doprint(e)}" for sym, e in assignments]
    lines += [f"{pad}{lhs} = {printer.doprint(e)}" for lhs, e in result_lines]
    return lines
