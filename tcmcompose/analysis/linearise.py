r"""Linearisation of a built model around a state, with delays kept exact.

The analytic Jacobian comes in pieces (DESIGN.md, "Analyse"): local blocks
:math:`D = \partial f/\partial x` with inputs held fixed, input
sensitivities :math:`B = \partial f/\partial u`, output sensitivities
:math:`C = \partial y/\partial x`, and the coupling gains
:math:`g_e = \partial u_{dst}/\partial y_{src}` of every edge with its delay
:math:`d_e`. At complex frequency s,

.. math::  J(s) = D + B\,K(s)\,C, \qquad K(s)_{ij} = \sum_{e: i \leftarrow j} g_e e^{-s d_e},

so :math:`\det(sI - J(s)) = 0` is the characteristic equation of the
delayed linear system and :math:`(sI - J(s))^{-1}` its resolvent.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sps

from .fixed_point import fixed_point


@dataclass
class Linearisation:
    """Pieces of the linearised model at ``x`` (see the module docstring)."""
    x: np.ndarray
    D: sps.csr_matrix
    B: sps.csr_matrix
    C: sps.csr_matrix
    edge_src: np.ndarray
    edge_dst: np.ndarray
    edge_gain: np.ndarray
    edge_delay: np.ndarray     # ms
    state_index: pd.MultiIndex
    input_index: pd.MultiIndex
    output_index: pd.MultiIndex

    def __repr__(self):
        from ..summary import value_range
        delayed = int(np.count_nonzero(self.edge_delay))
        return (f"Linearisation({self.n} states, {self.B.shape[1]} inputs, {self.C.shape[0]} outputs; "
                f"{len(self.edge_gain)} coupling edges ({delayed} delayed, delays "
                f"{value_range(self.edge_delay, 'ms')}))")

    @property
    def n(self):
        return self.D.shape[0]

    def K(self, s):
        """Coupling matrix (n_u x n_y) at complex frequency s (1/ms)."""
        data = self.edge_gain * np.exp(-s * self.edge_delay)
        return sps.csr_matrix((data, (self.edge_dst, self.edge_src)), shape=(self.B.shape[1], self.C.shape[0]))

    def jacobian(self, s=0.0):
        """J(s) = D + B K(s) C; at s = 0 the Jacobian of the undelayed system."""
        return (self.D + self.B @ self.K(s) @ self.C).tocsr()

    def delayed_entries(self):
        """Entries of J(s) that carry a delay: J(s) = J0 + sum_k coef_k e^{-s delay_k}
        at (row_k, col_k), where J0 = D plus the zero-delay edges (sparse)."""
        cache = self.__dict__.get("_entries")
        if cache is not None:
            return cache
        Bc, Cr = self.B.tocsc(), self.C.tocsr()
        rows, cols, coef, delay = [], [], [], []
        zero = self.edge_delay == 0
        for e in np.nonzero(~zero)[0]:
            b = Bc[:, self.edge_dst[e]]
            c = Cr[self.edge_src[e]]
            r, cc = np.meshgrid(b.indices, c.indices, indexing="ij")
            rows.append(r.ravel())
            cols.append(cc.ravel())
            coef.append((np.outer(b.data, c.data) * self.edge_gain[e]).ravel())
            delay.append(np.full(r.size, self.edge_delay[e]))
        K0 = sps.csr_matrix((self.edge_gain[zero], (self.edge_dst[zero], self.edge_src[zero])),
                            shape=(self.B.shape[1], self.C.shape[0]))
        J0 = (self.D + self.B @ K0 @ self.C).tocsr()
        cat = lambda parts, dt: np.concatenate(parts).astype(dt) if parts else np.zeros(0, dt)  # noqa: E731
        self._entries = (J0, cat(rows, np.int64), cat(cols, np.int64), cat(coef, float), cat(delay, float))
        return self._entries

    def delay_groups(self, resolution=1e-9):
        """(A0, [(A_k, tau_k), ...]) with J(s) = A0 + sum_k A_k exp(-s tau_k);
        delays closer than ``resolution`` ms are merged."""
        taus = np.round(self.edge_delay / resolution) * resolution
        groups, A0 = [], self.D.copy().astype(float)
        shape = (self.B.shape[1], self.C.shape[0])
        for tau in np.unique(taus):
            sel = taus == tau
            K = sps.csr_matrix((self.edge_gain[sel], (self.edge_dst[sel], self.edge_src[sel])), shape=shape)
            A = (self.B @ K @ self.C).tocsr()
            if tau == 0:
                A0 = A0 + A
            else:
                groups.append((A, float(tau)))
        return A0.tocsr(), groups

    def eigenvalues(self):
        """Eigenvalues of the delay-FREE Jacobian J(0) = D + B K(0) C, rightmost first
        (1/ms). They ignore every delay, so they do not decide the stability of a
        delayed system: use :meth:`characteristic_roots` (or :meth:`rightmost_root`)."""
        ev = np.linalg.eigvals(self.jacobian(0.0).toarray())
        return ev[np.argsort(-ev.real)]

    delay_free_eigenvalues = eigenvalues

    def rightmost_root(self, n_start=3):
        """A characteristic root of det(sI - J(s)) = 0 with delays, tracked by
        Newton's method (trace formula, see :mod:`.characteristic`) from each of the
        ``n_start`` rightmost delay-free eigenvalues; the rightmost one found (1/ms).
        Cheap, but a local search: :meth:`characteristic_roots` gives the
        rightmost roots globally."""
        from .characteristic import newton_refine
        A0, groups = self.delay_groups()
        A0 = A0.toarray()
        delayed = [(A.toarray(), t) for A, t in groups]
        found = [newton_refine(complex(s), A0, delayed)[0] for s in self.eigenvalues()[:n_start]]
        return max(found, key=lambda z: z.real)

    def characteristic_roots(self, n_roots=10, n_cheb=None):
        """Rightmost roots of det(sI - J(s)) = 0 (see :mod:`.characteristic`)."""
        from .characteristic import characteristic_roots
        A0, groups = self.delay_groups()
        return characteristic_roots(A0.toarray(), [(A.toarray(), t) for A, t in groups], n_roots, n_cheb)


def linearise(model, x=None):
    """Linearise ``model`` at ``x`` (default: its fixed point from :func:`fixed_point`)."""
    if x is None:
        x = fixed_point(model).x
    x = model._state(x, "x")
    p = model.jacobian_pieces(x)
    return Linearisation(x, p["D"], p["B"], p["C"], p["edge_src"], p["edge_dst"], p["edge_gain"],
                         p["edge_delay"], model.state_index, model.input_index, model.output_index)
