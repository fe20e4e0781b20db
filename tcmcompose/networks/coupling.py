r"""Between-node couplings and their kinds.

An edge j -> i of a coupling adds :math:`g\,W_{ij}\,h(a, b)` to the target
port of node i, where :math:`a = y_j(t - D_{ij})` is the source output of
node j delayed by :math:`D_{ij}` ms and :math:`b = y_i(t)` the target node's
own, undelayed copy of the same output. The coupling function ``h`` is a
:class:`CouplingKind`: a SymPy expression in ``a`` and ``b`` from which the
simulation kernel, the Jacobian slopes :math:`\partial h/\partial a`,
:math:`\partial h/\partial b` and the NumPy reference are all generated.
Built in (:data:`KINDS`):

* ``linear``: :math:`h = a`;
* ``diffusive``: :math:`h = a - b`, the difference coupling of networks of
  Hopf or Stuart-Landau oscillators (e.g. Deco et al. 2017, Sci Rep 7:3095);
* ``kuramoto``: :math:`h = \sin(a - b)`, phase oscillators
  (Kuramoto 1984, *Chemical Oscillations, Waves, and Turbulence*, Springer).

A user kind is one line, e.g. a sigmoidal coupling
``CouplingKind("sigmoid", "1/(1 + exp(-(a - b)))")``. How ``h`` is run is
decided from the expression (:meth:`CouplingKind.affine`): ``h = a`` joins
the once-per-step pass over delayed linear edges; any
:math:`h = \alpha a + \beta b` with constant :math:`\alpha, \beta` (the
diffusive kind) is split into a linear delayed edge and an undelayed one on
``b`` (:func:`tcmcompose.integrate.history.split_affine`); any other ``h``
is printed into a small compiled kernel shared by every model that uses the
same kinds (:mod:`tcmcompose.codegen.coupling_kernel`).
"""
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy as sp

from ..checks import number
from ..address import split_ref
from ..errors import ModelError

#: the two arguments of a coupling function: source output (delayed) and the
#: target node's own copy of it (undelayed)
A, B = sp.Symbol("a", real=True), sp.Symbol("b", real=True)


class CouplingKind:
    r"""A coupling function :math:`h(a, b)`: ``name`` and a SymPy expression
    (or a string, parsed with the vocabulary of mass equations) whose only
    free symbols are ``a`` (the delayed source output) and ``b`` (the target
    node's own undelayed copy of it). An edge adds ``weight * h(a, b)``.

    >>> CouplingKind("sigmoid", "1/(1 + exp(-(a - b)))")
    CouplingKind('sigmoid', 1/(exp(-a + b) + 1))
    """

    def __init__(self, name, h):
        from ..masses.symbols import to_expr
        if not isinstance(name, str) or not name.isidentifier():
            raise ModelError(f"CouplingKind name {name!r} must be an identifier (letters, digits, '_').")
        owner = f"CouplingKind {name!r}"
        if not isinstance(h, (str, int, float, sp.Basic)):
            raise ModelError(f"{owner}: h must be a SymPy expression in a and b or a string such as "
                             f"'sin(a - b)', got {type(h).__name__}.")
        expr = to_expr(h, {"a": A, "b": B}, owner, "h(a, b)")
        other = sorted(s.name for s in expr.free_symbols if s not in (A, B))
        if other:
            raise ModelError(f"{owner}: h(a, b) = {expr} uses {other}; its only symbols may be a (the source "
                             "output, delayed) and b (the target node's own copy); put constants in as numbers "
                             "and scale with the coupling's gain or weights.")
        for f in (expr, sp.diff(expr, A), sp.diff(expr, B)):
            if f.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
                raise ModelError(f"{owner}: h(a, b) = {expr} (or a derivative of it) is infinite or complex.")
        if A not in expr.free_symbols and B not in expr.free_symbols:
            raise ModelError(f"{owner}: h(a, b) = {expr} depends on neither a nor b; a constant drive "
                             "is an input, not a coupling.")
        self.name = name
        self.h = expr

    def __repr__(self):
        return f"CouplingKind({self.name!r}, {self.h})"

    def __str__(self):
        return self.name

    def __eq__(self, other):
        return isinstance(other, CouplingKind) and (self.name, self.h) == (other.name, other.h)

    def __hash__(self):
        return hash((self.name, self.h))

    def __reduce__(self):
        return CouplingKind, (self.name, self.h)

    # ---------------------------------------------------------- derived facts
    @property
    def uses_target(self):
        """h reads b (the target node must have the source output too)."""
        return B in self.h.free_symbols

    @cached_property
    def affine(self):
        r"""(alpha, beta) floats when :math:`h = \alpha a + \beta b` with
        constant coefficients, else None."""
        poly = sp.Poly(self.h, A, B) if self.h.is_polynomial(A, B) else None
        if poly is None or poly.total_degree() > 1:
            return None
        coeffs = {m: c for m, c in zip(poly.monoms(), poly.coeffs())}
        if set(coeffs) - {(1, 0), (0, 1)}:      # a constant term
            return None
        return float(coeffs.get((1, 0), 0)), float(coeffs.get((0, 1), 0))

    @property
    def linear(self):
        """h is the source output itself (the once-per-step delayed linear pass)."""
        return self.h == A

    @cached_property
    def slopes(self):
        r"""(:math:`\partial h/\partial a`, :math:`\partial h/\partial b`) as SymPy expressions."""
        return sp.diff(self.h, A), sp.diff(self.h, B)

    @cached_property
    def _numpy(self):
        return tuple(sp.lambdify((A, B), f, "numpy") for f in (self.h,) + self.slopes)

    def values(self, a, b):
        """h at arrays a, b (NumPy, from sympy.lambdify)."""
        return np.broadcast_to(np.asarray(self._numpy[0](a, b), dtype=float), np.shape(a))

    def slope_values(self, a, b):
        """(∂h/∂a, ∂h/∂b) at arrays a, b."""
        return tuple(np.broadcast_to(np.asarray(f(a, b), dtype=float), np.shape(a)) for f in self._numpy[1:])


#: the built-in kinds, by name (see the module docstring)
KINDS = {
    "linear": CouplingKind("linear", A),
    "diffusive": CouplingKind("diffusive", A - B),
    "kuramoto": CouplingKind("kuramoto", sp.sin(A - B)),
}


def coupling_kind(kind, where="Coupling"):
    """The :class:`CouplingKind` of a built-in name or of a user's CouplingKind."""
    if isinstance(kind, CouplingKind):
        builtin = KINDS.get(kind.name)
        if builtin is not None and builtin != kind:
            raise ModelError(f"{where}: kind {kind!r} takes the name of the built-in kind {builtin!r}; "
                             "give it another name.")
        return kind
    if isinstance(kind, str):
        if kind not in KINDS:
            raise ModelError(f"{where}: coupling kind {kind!r} is unknown; choose one of {list(KINDS)} or give a "
                             "tc.CouplingKind(name, h) with h an expression in a (source) and b (target).")
        return KINDS[kind]
    raise ModelError(f"{where}: kind must be a built-in name {list(KINDS)} or a tc.CouplingKind, "
                     f"got {type(kind).__name__} {kind!r:.60}.")


def edge_values(kinds, codes, a, b):
    """h of every edge: ``kinds[codes[e]]`` at a[e], b[e] (NumPy)."""
    h = np.empty(len(codes))
    for code, kind in enumerate(kinds):
        sel = codes == code
        if sel.any():
            h[sel] = kind.values(a[sel], b[sel])
    return h


def edge_slopes(kinds, codes, a, b):
    """(∂h/∂a, ∂h/∂b) of every edge (NumPy)."""
    da, db = np.zeros(len(codes)), np.zeros(len(codes))
    for code, kind in enumerate(kinds):
        sel = codes == code
        if sel.any():
            da[sel], db[sel] = kind.slope_values(a[sel], b[sel])
    return da, db


def coupling_gains(kinds, edges, y):
    """Coupling sensitivities at outputs y: ``w ∂h/∂a`` of every edge (on its
    source), then ``w ∂h/∂b`` of the edges that are not of code 0 (on the
    target's own copy ``ref``); returns (gains, mask of those edges)."""
    nl = edges.kind > 0
    a = y[edges.src]
    b = np.where(edges.ref >= 0, y[np.maximum(edges.ref, 0)], 0.0)
    da, db = edge_slopes(kinds, edges.kind, a, b)
    return np.concatenate([da * edges.weight, (db * edges.weight)[nl]]), nl


@dataclass
class Coupling:
    """Network coupling from ``source`` (``"label.output"``) of every node to
    ``target`` (``"label.port"``) of every node, through a weight matrix.

    Edge j -> i exists where the weight ``W[i, j]`` is non-zero and node j has
    the source population and node i the target one; it adds
    ``gain * W[i, j] * h(a, b)`` to the target port, with ``h`` given by
    ``kind``: a built-in name (see :data:`KINDS`) or a :class:`CouplingKind`.
    ``a`` is the source output delayed by ``D[i, j]`` ms, ``b`` the target
    node's own (undelayed) copy of the same output.

    ``weights`` / ``delays`` override the network's matrices for this coupling
    (several matrices in one network, e.g. forward and backward connections).
    """
    source: str
    target: str
    gain: float = 1.0
    kind: object = "linear"
    weights: object = None
    delays: object = None
    name: str = None

    def __repr__(self):
        from ..summary import value_range
        w = None if self.weights is None else np.asarray(self.weights, float)
        mats = "network matrices" if w is None else (
            f"{w.shape[0]}x{w.shape[1]} weights, {int(np.count_nonzero(w))} edges, weights {value_range(w[w != 0])}"
            + ("" if self.delays is None else f", delays {value_range(self.delays, 'ms')}"))
        return f"Coupling({self.name!r}: {self.source} -> {self.target}, {self.kind}, gain {self.gain:g}, {mats})"

    def __post_init__(self):
        split_ref(self.source, "Coupling source", ("label", "output"))
        split_ref(self.target, "Coupling target", ("label", "port"))
        kind = coupling_kind(self.kind, f"Coupling {self.source}->{self.target}")
        self.kind = kind.name if KINDS.get(kind.name) == kind else kind     # built-ins by name
        self.gain = number(self.gain, f"Coupling {self.source}->{self.target}: gain")
        if self.name is None:
            self.name = f"{self.source}->{self.target}"

    @property
    def coupling_kind(self):
        """The :class:`CouplingKind` of :attr:`kind`."""
        return coupling_kind(self.kind)
