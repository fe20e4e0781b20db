r"""Parameter sensitivities of one mass, from its SymPy equations.

For a mass with states :math:`x`, input ports :math:`u`, parameters :math:`p`,
right-hand side :math:`f(x, u, p)` and outputs :math:`y(x, p)`, this module
differentiates (symbolically, once per mass) what the linear response needs
to move with the parameters:

* :math:`\partial f/\partial p` and :math:`\partial y/\partial p` (the fixed
  point moves by :math:`-J^{-1}\, df/d\theta`);
* the derivatives of every entry of the Jacobian pieces
  :math:`D = \partial f/\partial x`, :math:`B = \partial f/\partial u`,
  :math:`C = \partial y/\partial x` with respect to :math:`x`, :math:`u` and
  :math:`p` (second derivatives of :math:`f`), in the entry order of the
  generated Jacobian kernel (the same entries, from
  :func:`tcmcompose.codegen.generate.jacobian_entries`, checked against the
  patterns the generator reports, ``model.description.patterns``).

The expressions are turned into one vectorised NumPy function per mass (over
the instances of a group) by ``sympy.lambdify`` with common sub-expressions
shared. Masses that call tabulated functions are not supported (their
derivatives live in compiled tables): :func:`unsupported` says why.
"""
import numpy as np
import sympy as sp

from ..masses.symbols import TIME
from ..masses.table import tables_of
from .generate import jacobian_entries, nonzero_derivatives

_CACHE = {}

#: block -> (what its rows index, what its columns index): x states, u inputs,
#: p parameters, y outputs, D/B/C entries of the Jacobian pieces
BLOCKS_ROWS = {"fp": ("x", "p"), "yp": ("y", "p"), "d_x": ("D", "x"), "d_u": ("D", "u"), "d_p": ("D", "p"),
               "b_x": ("B", "x"), "b_u": ("B", "u"), "b_p": ("B", "p"), "c_x": ("C", "x"), "c_p": ("C", "p")}


def unsupported(mass):
    """Why analytic sensitivities are unavailable for ``mass`` (None when they are)."""
    if tables_of(mass):
        return f"mass {mass.name!r} calls tabulated functions {sorted(tables_of(mass))}"
    return None


class MassSensitivity:
    """Symbolic second-order pieces of one mass (see the module docstring).

    Attributes are lists of ``(row, col)`` index pairs, one per evaluated
    value, for each block:

    ``fp`` (state k, param j): df_k/dp_j;  ``yp`` (output o, param j): dy_o/dp_j;
    ``d_x``, ``d_u``, ``d_p`` (D entry e, state/input/param): dD_e/d(.);
    ``b_x``, ``b_u``, ``b_p``: the same for B entries; ``c_x``, ``c_p``: for C entries.
    ``patterns``: the (D, B, C) entry patterns, as the generated kernel orders them.
    """

    BLOCKS = ("fp", "yp", "d_x", "d_u", "d_p", "b_x", "b_u", "b_p", "c_x", "c_p")

    def __init__(self, mass):
        sym = mass.symbols
        S = [sym[s] for s in mass.states]
        U = [sym[u] for u in mass.inputs]
        P = [sym[p] for p in mass.params]
        self.n_states, self.n_inputs, self.n_params = len(S), len(U), len(P)
        f = [mass.equations[s] for s in mass.states]
        y = [mass.outputs[o] for o in mass.outputs]
        entries = jacobian_entries(mass)          # the generated kernel's entries, in its order
        self.patterns = tuple(tuple(rc for rc, _ in block) for block in entries)
        d_ex, b_ex, c_ex = ([e for _, e in block] for block in entries)
        self.index = {b: [] for b in self.BLOCKS}
        exprs = []

        def add(block, exs, wrt):
            for rc, de in nonzero_derivatives(exs, wrt):
                self.index[block].append(rc)
                exprs.append(de)
        add("fp", f, P)
        add("yp", y, P)
        add("d_x", d_ex, S)
        add("d_u", d_ex, U)
        add("d_p", d_ex, P)
        add("b_x", b_ex, S)
        add("b_u", b_ex, U)
        add("b_p", b_ex, P)
        add("c_x", c_ex, S)
        add("c_p", c_ex, P)
        self.n_exprs = len(exprs)
        self.sizes = {b: len(self.index[b]) for b in self.BLOCKS}
        args = [TIME] + S + U + P
        self._fn = sp.lambdify(args, exprs, modules="numpy", cse=True) if exprs else None

    def evaluate(self, x, u, p, n):
        """Values of every block for ``n`` instances: ``x`` (states, n), ``u``
        (inputs, n), ``p`` (params, n). Returns {block: (len(index), n) array}."""
        if self._fn is None:
            vals = np.zeros((0, n))
        else:
            out = self._fn(0.0, *x, *u, *p)
            vals = np.empty((self.n_exprs, n))
            for k, v in enumerate(out):
                vals[k] = v          # broadcasts constants over instances
        res, start = {}, 0
        for b in self.BLOCKS:
            res[b] = vals[start:start + self.sizes[b]]
            start += self.sizes[b]
        return res


def mass_sensitivity(mass):
    """:class:`MassSensitivity` of ``mass``, built once per process and mass."""
    key = (mass.name, tuple(mass.states), tuple(mass.params), tuple(mass.inputs), tuple(mass.outputs),
           tuple(sp.srepr(e) for e in mass.equations.values()), tuple(sp.srepr(e) for e in mass.outputs.values()))
    hit = _CACHE.get(key)
    if hit is None:
        hit = _CACHE[key] = MassSensitivity(mass)
    return hit
