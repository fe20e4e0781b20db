"""Checks of the numbers and expressions a user hands over.

One place decides what counts as "a number" so that every entry point
(mass defaults, node parameters, weights, gains, delays, stimulus amplitudes,
``every``, ``seed``) refuses the same things where they are given, naming the
argument: booleans, strings, complex values, NaN and infinities. A value that
slipped through would otherwise turn into a silent NaN inside a compiled
kernel, far from its cause.
"""
import math
import numbers

import numpy as np
import sympy as sp

from .errors import ModelError

#: SymPy constants that have no place in a real-valued right-hand side
#: (they come from x/0, log(0), 0/0, sqrt(-1) after SymPy's automatic simplification)
_BAD_CONSTANTS = {sp.zoo: "complex infinity (zoo, e.g. from x/0 or log(0))",
                  sp.nan: "nan (e.g. from 0/0)",
                  sp.oo: "infinity (oo)",
                  -sp.oo: "-infinity (-oo)",
                  sp.I: "the imaginary unit I (e.g. from sqrt(-1))"}


def _refuse(what, value, why):
    raise ModelError(f"{what} = {value!r} {why}; give a finite real number.")


def number(value, what, positive=False, nonnegative=False):
    """``value`` as a finite float, else a :class:`ModelError` naming ``what``.

    Refuses booleans (``True`` is not a gain), strings (``"1.5"`` is text,
    not a number), complex values and NaN/inf.
    """
    if isinstance(value, (bool, np.bool_)):
        _refuse(what, value, "is a boolean, not a number")
    if isinstance(value, (str, bytes)):
        _refuse(what, value, "is text, not a number")
    if isinstance(value, (complex, np.complexfloating)) or (isinstance(value, sp.Basic) and value.is_real is False):
        _refuse(what, value, "is complex")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    try:
        v = float(value)
    except (TypeError, ValueError):
        _refuse(what, value, "is not a number")
    if not math.isfinite(v):
        _refuse(what, value, "is not finite")
    if positive and not v > 0:
        raise ModelError(f"{what} = {v}; it must be positive (> 0).")
    if nonnegative and not v >= 0:
        raise ModelError(f"{what} = {v}; it must be >= 0.")
    return v


def integer(value, what, minimum=None):
    """``value`` as an int (integral floats such as 2.0 accepted), else a named error.

    Refuses booleans, strings, fractional values and NaN.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, numbers.Real, np.number)):
        raise ModelError(f"{what} = {value!r} is not an integer; give a whole number.")
    if isinstance(value, numbers.Integral):
        k = int(value)
    else:
        v = float(value)
        if not (math.isfinite(v) and v == int(v)):
            raise ModelError(f"{what} = {value!r} is not an integer; give a whole number "
                             f"(rounding it silently would change the run).")
        k = int(v)
    if minimum is not None and k < minimum:
        raise ModelError(f"{what} = {k}; it must be >= {minimum}.")
    return k


def real_array(value, what):
    """``value`` as a float array with finite entries, else a named error."""
    arr = np.asarray(value)
    if arr.dtype == bool:
        raise ModelError(f"{what} is a boolean array; give numbers.")
    if np.iscomplexobj(arr):
        raise ModelError(f"{what} has complex entries; give real numbers.")
    try:
        arr = arr.astype(float)
    except (TypeError, ValueError):
        raise ModelError(f"{what} has non-numeric entries; give an array of numbers.") from None
    bad = np.argwhere(~np.isfinite(arr))
    if len(bad):
        raise ModelError(f"{what} has {len(bad)} non-finite entr{'y' if len(bad) == 1 else 'ies'}, "
                         f"first at index {tuple(int(i) for i in bad[0])}; give finite numbers.")
    return arr


def check_constants(expr, owner, where):
    """Refuse an expression that holds zoo, nan, oo or I after SymPy's simplification."""
    found = [why for const, why in _BAD_CONSTANTS.items() if expr.has(const)]
    if found:
        raise ModelError(f"{owner}: {where} simplifies to {expr}, which contains {found[0]}; "
                         "rewrite it so that it is finite and real for every value of its symbols.")
