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
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .fixed_point import fixed_point
from ..lazy import LazyModule

linalg = LazyModule("scipy.linalg")
sps = LazyModule("scipy.sparse")


@dataclass
class Linearisation:
    """Pieces of the linearised model at ``x`` (see the module docstring)."""
    x: np.ndarray
    D: "sps.csr_matrix"
    B: "sps.csr_matrix"
    C: "sps.csr_matrix"
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
        zero = self.edge_delay == 0
        ed = np.nonzero(~zero)[0]
        # every (B[:, dst] nonzero) x (C[src, :] nonzero) pair of every delayed edge, vectorised
        nb = np.diff(Bc.indptr)[self.edge_dst[ed]]
        nc = np.diff(Cr.indptr)[self.edge_src[ed]]
        cnt = nb * nc
        e_of = np.repeat(np.arange(len(ed)), cnt)
        k = np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        bi = Bc.indptr[self.edge_dst[ed]][e_of] + k // nc[e_of]
        ci = Cr.indptr[self.edge_src[ed]][e_of] + k % nc[e_of]
        rows, cols = Bc.indices[bi].astype(np.int64), Cr.indices[ci].astype(np.int64)
        coef = Bc.data[bi] * Cr.data[ci] * self.edge_gain[ed][e_of]
        delay = self.edge_delay[ed][e_of].astype(float)
        K0 = sps.csr_matrix((self.edge_gain[zero], (self.edge_dst[zero], self.edge_src[zero])),
                            shape=(self.B.shape[1], self.C.shape[0]))
        J0 = (self.D + self.B @ K0 @ self.C).tocsr()
        self._entries = (J0, rows, cols, coef.astype(float), delay)
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

    def tracked_roots(self, n_start=3, tol=1e-12, max_iter=50):
        r"""Characteristic roots of :math:`\det M(s) = 0`, :math:`M(s) = sI - J(s)` with delays,
        each tracked from one of the ``n_start`` rightmost delay-free eigenvalues (and
        its eigenvector) by Newton's method for the nonlinear eigenproblem
        :math:`M(s) v = 0` (inverse iteration, Ruhe 1973, SIAM J Numer Anal 10:674):
        :math:`u = M(s)^{-1} M'(s) v`, :math:`s \leftarrow s - w^H v / w^H u`,
        :math:`v \leftarrow u / w^H u`. One LU per step, whatever the number of
        distinct delays; rightmost first (1/ms). A local search: :meth:`characteristic_roots`
        finds the rightmost roots globally (small models)."""
        J0, rows, cols, coef, delay = self.delayed_entries()
        n = self.n
        J0 = J0.toarray()
        flat = rows * n + cols
        lam, V = np.linalg.eig(self.jacobian(0.0).toarray())
        order = np.argsort(-lam.real)[:n_start]

        def scatter(vals):
            return (np.bincount(flat, weights=vals.real, minlength=n * n)
                    + 1j * np.bincount(flat, weights=vals.imag, minlength=n * n)).reshape(n, n)
        out = []
        for k in order:
            s, v = complex(lam[k]), V[:, k].astype(complex)
            w = v.copy()
            for _ in range(max_iter):
                e = coef * np.exp(-s * delay)
                M = s * np.eye(n) - J0 - scatter(e)
                dMv = v + scatter(delay * e) @ v
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", linalg.LinAlgWarning)   # exactly singular: a root
                        u = linalg.lu_solve(linalg.lu_factor(M, check_finite=False), dMv,
                                                  check_finite=False)
                except (np.linalg.LinAlgError, ValueError):
                    break
                wu = np.vdot(w, u)
                if wu == 0 or not np.isfinite(wu):
                    break
                step = np.vdot(w, v) / wu
                s -= step
                v = u / wu
                if abs(step) < tol * max(1.0, abs(s)):
                    break
            out.append(s)
        out = np.array(out)
        return out[np.argsort(-out.real)]

    def rightmost_root(self, n_start=3):
        """The rightmost of :meth:`tracked_roots` (1/ms)."""
        return complex(self.tracked_roots(n_start)[0])

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
