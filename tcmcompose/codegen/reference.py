"""Slow reference twin of a built model, for tests.

The same SymPy expressions as the generated kernels, but lambdified to NumPy
one group at a time and coupled with plain NumPy on the edge arrays: no
printer, no CSE, no Numba, no loops fused; the coupling functions h(a, b)
lambdified too. Tests use it as the oracle for
the generated code.
"""
import numpy as np
import sympy as sp

from ..masses.symbols import TIME
from ..networks.coupling import edge_values


class ReferenceModel:
    """``ReferenceModel(model).rhs(x)`` equals ``model.rhs(x)`` when the generator is right."""

    def __init__(self, model):
        self.model = model
        self._fns = []
        for g in model._low.groups:
            m = g.mass
            args = [TIME] + [m.symbols[n] for n in list(m.states) + list(m.params) + m.inputs]
            mods = [model.tables.numpy_namespace(m), "numpy"]      # tabulated functions, if any
            f = [sp.lambdify(args, m.equations[s], mods) for s in m.states]
            y = [sp.lambdify(args, m.outputs[o], mods) for o in m.outputs]
            self._fns.append((f, y))

    def _split(self, t, x, params, u):
        low = self.model._low
        for g, row, fns in zip(low.groups, self.model._layout, self._fns):
            m, n = g.mass, g.n
            xs = [x[row[0] + k * n: row[0] + (k + 1) * n] for k in range(len(m.states))]
            ps = [params[row[2] + k * n: row[2] + (k + 1) * n] for k in range(len(m.params))]
            us = [u[row[3] + k * n: row[3] + (k + 1) * n] for k in range(len(m.inputs))]
            yield g, row, fns, [t] + xs + ps + us

    def outputs(self, x, t=0.0):
        low = self.model._low
        y = np.zeros(low.n_y)
        params = self.model.param_vector()
        for g, row, (_, yf), args in self._split(t, x, params, np.zeros(low.n_u)):
            for k, fn in enumerate(yf):
                y[row[4] + k * g.n: row[4] + (k + 1) * g.n] = fn(*args)
        return y

    def inputs(self, x, t=0.0):
        """Coupling inputs with every edge read at the current state."""
        e = self.model.edges()
        y = self.outputs(x, t)
        a = y[e.src]
        b = np.where(e.ref >= 0, y[np.maximum(e.ref, 0)], 0.0)
        h = edge_values(self.model._low.kinds, e.kind, a, b)     # sympy.lambdify of each kind's h
        u = self.model.u_base.copy()
        np.add.at(u, e.dst, e.weight * h)
        return u

    def rhs(self, x, t=0.0):
        x = np.asarray(x, dtype=float)
        low = self.model._low
        u = self.inputs(x, t)
        dx = np.zeros(low.n_x)
        params = self.model.param_vector()
        for g, row, (ff, _), args in self._split(t, x, params, u):
            for k, fn in enumerate(ff):
                dx[row[0] + k * g.n: row[0] + (k + 1) * g.n] = fn(*args)
        return dx
