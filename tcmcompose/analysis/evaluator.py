r"""Repeated linearisation of one built model: structure cached, only values recomputed.

Spectral fitting evaluates the linear response at many parameter vectors.
The sparsity structure of the Jacobian pieces (:math:`D = \partial f/\partial x`,
:math:`B = \partial f/\partial u`, :math:`C = \partial y/\partial x`) and of the
edges never changes, so the positions of every entry of

.. math::  J(s) = D + \sum_{e} g_e\, e^{-s d_e}\, B_{:,\mathrm{dst}(e)}\, C_{\mathrm{src}(e),:}

are computed once; each evaluation only calls the compiled kernels and
scatters values. The resolvent :math:`M(s)^{-1} = (sI - J(s))^{-1}` of all
frequencies is then one batched dense LU (Moran et al. 2009, NeuroImage
44:796, for the use of the linearised transfer function in DCM for CSD).
"""
import numpy as np

from ..errors import ModelError
from ..networks.coupling import coupling_gains
from ..lazy import LazyModule

linalg = LazyModule("scipy.linalg")
sps = LazyModule("scipy.sparse")


class LinearEvaluator:
    """Fixed points, Jacobians and resolvents of ``model`` at its current parameter values."""

    def __init__(self, model):
        self.model = model
        low = model._low
        self.n, self.n_u, self.n_y = low.n_x, low.n_u, low.n_y
        pats = [[], [], []]
        for g, row, gp in zip(low.groups, model._layout, model.description.patterns):
            n, inst = g.n, np.arange(g.n)
            offs = (row[0], row[3], row[4])
            for which, (pat, ro, co) in enumerate(((gp[0], offs[0], offs[0]), (gp[1], offs[0], offs[1]),
                                                   (gp[2], offs[2], offs[0]))):
                for a, b in pat:
                    pats[which].append((ro + a * n + inst, co + b * n + inst))
        cat = lambda ps, k: np.concatenate([p[k] for p in ps]).astype(np.int64) if ps else np.zeros(0, np.int64)  # noqa: E731
        (self.d_r, self.d_c), (self.b_r, self.b_c), (self.c_r, self.c_c) = ((cat(p, 0), cat(p, 1)) for p in pats)
        self.d_flat = self.d_r * self.n + self.d_c
        self._edge_structure(model.edges())
        self._blocks = {}

    # ---------------------------------------------------------------- structure
    def _edge_structure(self, e):
        self.kinds = e.kind.copy()
        nl = e.kind > 0
        src = np.concatenate([e.src, e.ref[nl]])
        dst = np.concatenate([e.dst, e.dst[nl]])
        self.edge_src, self.edge_dst = src.astype(np.int64), dst.astype(np.int64)
        # entries of B[:, dst] C[src, :] for every (extended) edge
        b_by_col = [[] for _ in range(self.n_u)]
        for k, (r, c) in enumerate(zip(self.b_r, self.b_c)):
            b_by_col[c].append((k, r))
        c_by_row = [[] for _ in range(self.n_y)]
        for k, (r, c) in enumerate(zip(self.c_r, self.c_c)):
            c_by_row[r].append((k, c))
        ee, bi, ci, flat = [], [], [], []
        for k, (s, d) in enumerate(zip(src, dst)):
            for kb, r in b_by_col[d]:
                for kc, c in c_by_row[s]:
                    ee.append(k)
                    bi.append(kb)
                    ci.append(kc)
                    flat.append(r * self.n + c)
        self.ent_edge, self.ent_b, self.ent_c = (np.asarray(a, dtype=np.int64) for a in (ee, bi, ci))
        flat = np.asarray(flat, dtype=np.int64)
        self.ent_pos, inv = np.unique(flat, return_inverse=True)
        # one-hot aggregation of entries onto distinct positions
        self.ent_agg = sps.csr_matrix((np.ones(len(flat)), (np.arange(len(flat)), inv.ravel())),
                                      shape=(len(flat), len(self.ent_pos)))

    def resolvent(self, s, vd, vb, vc, gain, delay, Bin, rows, transpose=False):
        """Rows ``rows`` of (sI - J(s))^-1 B_in for every s (F, len(rows), m), by the
        compiled block-Woodbury kernel of :mod:`.resolvent_kernel`. With ``transpose``
        the same for (sI - J(s)^T)^-1 B_in: J^T = D^T + C^T K^T B^T has the same
        structure with B and C (and the ends of every edge) exchanged, so
        ``left M(s)^-1`` is the transpose of its result for B_in = left^T."""
        from .resolvent_kernel import active_coupling, block_structure, resolvent_rows
        n = self.n
        if transpose:
            d_r, d_c, b_r, b_c, c_r, c_c = self.d_c, self.d_r, self.c_c, self.c_r, self.b_c, self.b_r
            e_src, e_dst, vb, vc = self.edge_dst, self.edge_src, vc, vb
        else:
            d_r, d_c, b_r, b_c, c_r, c_c = self.d_r, self.d_c, self.b_r, self.b_c, self.c_r, self.c_c
            e_src, e_dst = self.edge_src, self.edge_dst
        Bin = np.ascontiguousarray(Bin, dtype=float)
        key = (transpose, Bin.shape, (Bin != 0).tobytes())
        if key not in self._blocks:
            if len(self._blocks) > 8:
                self._blocks.clear()
            act = active_coupling(e_src, e_dst, b_r, b_c, c_r, c_c)
            src, dst, kb, bcols, kc, crows, us, ys = act
            self._blocks[key] = (act, block_structure(d_r, d_c, b_r[kb], bcols, crows, c_c[kc], Bin, n,
                                                      len(us), len(ys)))
        (src, dst, kb, bcols, kc, crows, us, ys), blocks = self._blocks[key]
        D = np.bincount(d_r * n + d_c, weights=vd, minlength=n * n).reshape(n, n)
        Bfull = np.zeros((n, len(us)))
        np.add.at(Bfull, (b_r[kb], bcols), vb[kb])
        Cfull = np.zeros((len(ys), n))
        np.add.at(Cfull, (crows, c_c[kc]), vc[kc])
        return resolvent_rows(np.ascontiguousarray(s, dtype=complex), D, *blocks, Bfull, Bin, Cfull,
                              src, dst, np.ascontiguousarray(gain, dtype=float),
                              np.ascontiguousarray(delay, dtype=float), np.ascontiguousarray(rows, dtype=np.int64))

    def current(self):
        """(params, edges) at the model's current parameter values."""
        e = self.model.edges()
        if len(e.kind) != len(self.kinds) or np.any(e.kind != self.kinds):
            self._edge_structure(e)
        return self.model.param_vector(), e

    # ------------------------------------------------------------- evaluation
    def rhs(self, x, state):
        params, e = state
        m = self.model
        return m._evaluate(0.0, x, params, e)

    def pieces(self, x, state):
        """Values of D, B, C (in the cached pattern order), the extended edge
        gains and delays, and dx/dt at x."""
        params, e = state
        m = self.model
        dx, y, u = self.rhs(x, state)
        vd, vb, vc = (np.zeros(k) for k in m._n_vals)
        m._mod.jacobian_pieces(0.0, x, params, u, vd, vb, vc, m._layout)
        nl = e.kind > 0
        if nl.any():      # w dh/da on every edge, w dh/db on the target side of the others
            gain, _ = coupling_gains(m._low.kinds, e, y)
            delay = np.concatenate([e.delay, np.zeros(int(nl.sum()))])
        else:
            gain, delay = e.weight, e.delay
        return vd, vb, vc, gain, delay, dx

    def entries(self, vd, vb, vc, gain, delay):
        """Dense D and the coupling entries: J(s) = D + scatter(coef e^{-s delay})."""
        D = np.bincount(self.d_flat, weights=vd, minlength=self.n * self.n).reshape(self.n, self.n)
        coef = vb[self.ent_b] * vc[self.ent_c] * gain[self.ent_edge]
        return D, coef, delay[self.ent_edge]

    def jacobian(self, x, state):
        """Undelayed Jacobian J(0) (dense) and dx/dt at x."""
        vd, vb, vc, gain, delay, dx = self.pieces(x, state)
        D, coef, _ = self.entries(vd, vb, vc, gain, delay)
        J = D.reshape(-1)
        J[self.ent_pos] += coef @ self.ent_agg
        return J.reshape(self.n, self.n), dx

    def fixed_point(self, x0, state, tol=1e-10, max_iter=60):
        """Damped Newton from ``x0`` (a warm start); returns (x, max|f|, converged)."""
        x = np.array(x0, dtype=float)
        J, f = self.jacobian(x, state)
        norm = np.max(np.abs(f))
        for _ in range(max_iter):
            if norm < tol:
                return x, norm, True
            try:
                step = linalg.solve(J, -f, check_finite=False)
            except (np.linalg.LinAlgError, linalg.LinAlgError, ValueError):
                step = np.linalg.lstsq(J, -f, rcond=None)[0]
            lam = 1.0
            for _ in range(30):
                xn = x + lam * step
                Jn, fn = self.jacobian(xn, state)
                nn = np.max(np.abs(fn))
                if np.isfinite(nn) and nn < (1 - 1e-4 * lam) * norm:
                    break
                lam *= 0.5
            else:
                return x, norm, False
            x, J, f, norm = xn, Jn, fn, nn
        return x, norm, norm < tol

    def resolvent_solve(self, s, D, coef, delay, rhs, left=None):
        r"""Solve :math:`M(s) Z = \mathrm{rhs}` for every s (batched dense LU); with ``left`` (p x n)
        also return :math:`L = \mathrm{left}\, M(s)^{-1}` (for sensitivities)."""
        n = self.n
        F = len(s)
        M = np.empty((F, n * n), dtype=complex)
        M[:] = -D.reshape(-1)
        vals = coef[None, :] * np.exp(-s[:, None] * delay[None, :])
        M[:, self.ent_pos] -= (self.ent_agg.T @ vals.T).T
        M = M.reshape(F, n, n)
        M[:, np.arange(n), np.arange(n)] += s[:, None]
        Z = np.linalg.solve(M, np.broadcast_to(rhs, (F,) + rhs.shape))
        if left is None:
            return Z
        Lt = np.linalg.solve(np.transpose(M, (0, 2, 1)), np.broadcast_to(left.T, (F,) + left.T.shape))
        return Z, np.transpose(Lt, (0, 2, 1))


def check_positions(model, names):
    """Rows of ``model.params`` addressed by each 'label.param' name (as set_param)."""
    idx = model.params.index
    out = []
    for name in names:
        label, _, pname = name.rpartition(".")
        sel = np.nonzero((idx.get_level_values("mass") == label) & (idx.get_level_values("param") == pname))[0]
        if not len(sel):
            known = sorted({f"{m}.{p}" for _, m, p in idx})
            raise ModelError(f"no parameter {name!r}; parameters: {known[:40]} ...")
        out.append(sel)
    return out
