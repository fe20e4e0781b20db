r"""Fixed points of a built model: damped Newton on the analytic Jacobian, with
settling and a probability-one homotopy as fallbacks.

Newton's method stalls where the residual norm has a local minimum that is no
root (near a fold of the equilibrium manifold; a 10-node Jansen-Rit network
at its default input is such a case). The fallback follows the zero curve of
the convex homotopy

.. math::  H(x, \lambda) = \lambda f(x) - (1 - \lambda)\, s\,(x - a), \qquad \lambda: 0 \to 1,

from the trivial root :math:`x = a` by pseudo-arclength continuation
(predictor along the tangent, Newton corrector orthogonal to it), which
passes turning points in :math:`\lambda`. For almost every start :math:`a`
the curve is smooth and does not return to :math:`\lambda = 0`; for a
dissipative :math:`f` it stays bounded and so reaches :math:`\lambda = 1`
at a root, stable or not (Chow, Mallet-Paret & Yorke 1978, Math Comp
32:887; Watson 1986, Appl Math Comput 19:307; Allgower & Georg 1990,
*Numerical Continuation Methods*, ch. 2 and 11).
"""
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..lazy import LazyModule

linalg = LazyModule("scipy.linalg")
sps = LazyModule("scipy.sparse")
spla = LazyModule("scipy.sparse.linalg")


@dataclass
class FixedPoint:
    """Result of :func:`fixed_point`."""
    x: np.ndarray            # flat state (see model.state_index)
    residual: float          # max |f(x)| (state units per ms)
    converged: bool
    iterations: int
    method: str              # "newton", "integrate+newton" or "homotopy+newton"
    state_index: pd.MultiIndex = None

    def __repr__(self):
        from ..summary import value_range
        return (f"FixedPoint({'converged' if self.converged else 'NOT converged'} by {self.method} in "
                f"{self.iterations} iterations, residual {self.residual:.2g}; {len(self.x)} states "
                f"{value_range(self.x)})")

    @property
    def series(self):
        """The state as a Series indexed by (node, mass, state)."""
        return pd.Series(self.x, index=self.state_index)


def _newton(model, x, tol, max_iter):
    f = model.rhs(x)
    norm = np.max(np.abs(f))
    sparse = model.n_states > 2000
    for it in range(1, max_iter + 1):
        if norm < tol:
            return x, norm, True, it - 1
        J = model.jacobian(x, sparse=sparse)
        try:
            step = spla.spsolve(sps.csc_matrix(J), -f) if sparse else linalg.solve(J, -f)
        except (np.linalg.LinAlgError, linalg.LinAlgError):
            step = np.linalg.lstsq(np.asarray(J.todense() if sparse else J), -f, rcond=None)[0]
        if not np.all(np.isfinite(step)):
            return x, norm, False, it
        lam = 1.0
        for _ in range(40):     # backtracking on the residual norm (damped Newton)
            x_new = x + lam * step
            f_new = model.rhs(x_new)
            norm_new = np.max(np.abs(f_new))
            if np.isfinite(norm_new) and norm_new < (1 - 1e-4 * lam) * norm:
                break
            lam *= 0.5
        else:
            return x, norm, False, it
        x, f, norm = x_new, f_new, norm_new
    return x, norm, norm < tol, max_iter


def homotopy(jac_rhs, x0, scale=None, seed=0, max_steps=4000):
    r"""Follow the zero curve of :math:`H(x,\lambda) = \lambda f(x) - (1-\lambda) s (x - a)`
    from :math:`(a, 0)` to :math:`\lambda = 1` (see the module docstring).

    ``jac_rhs(x)`` returns (J, f) (dense Jacobian, dx/dt); ``a`` is ``x0`` plus a
    small perturbation drawn with ``seed`` (the curve is regular for almost
    every a); ``s`` (1/ms) defaults to a tenth of the largest |J(x0)| entry so
    both terms have comparable size. Returns (x, converged, steps): x on the
    curve at lambda = 1 (a root up to the corrector tolerance; polish it with
    Newton), or the last point reached.
    """
    x0 = np.asarray(x0, dtype=float)
    n = len(x0)
    J0, _ = jac_rhs(x0)
    s = float(scale) if scale is not None else max(0.1 * float(np.max(np.abs(J0))), 1e-12)
    a = x0 + 1e-2 * (1.0 + np.abs(x0)) * np.random.default_rng(seed).standard_normal(n)
    eye = np.eye(n)

    def H(z):
        J, f = jac_rhs(z[:n])
        lam, d = z[n], z[:n] - a
        return lam * f - (1 - lam) * s * d, np.hstack([lam * J - (1 - lam) * s * eye, (f + s * d)[:, None]])

    def tangent(A, prev):
        t = linalg.solve(np.vstack([A, prev[None, :]]), np.r_[np.zeros(n), 1.0], check_finite=False)
        return t / np.linalg.norm(t)

    with warnings.catch_warnings():            # near turning points the bordered system is ill-conditioned
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        return _follow(H, tangent, a, n, max_steps)


def _follow(H, tangent, a, n, max_steps):
    z = np.r_[a, 0.0]
    t = tangent(H(z)[1], np.r_[np.zeros(n), 1.0])
    t = -t if t[n] < 0 else t
    h = 0.1 * (1.0 + np.linalg.norm(a)) / np.sqrt(n)
    for step in range(1, max_steps + 1):
        zp = z + h * t                        # predictor along the tangent
        zc, ok, k = zp.copy(), False, 0
        for k in range(6):                    # corrector: Newton on H = 0 in the plane t.(z - zp) = 0
            r, A = H(zc)
            if not (np.all(np.isfinite(r)) and np.all(np.isfinite(A))):
                break
            try:
                dz = linalg.solve(np.vstack([A, t[None, :]]), -np.r_[r, t @ (zc - zp)], check_finite=False)
            except (np.linalg.LinAlgError, linalg.LinAlgError, ValueError):
                break
            zc += dz
            size = np.linalg.norm(dz)
            if size < 1e-10 * (1.0 + np.linalg.norm(zc)):
                ok = True
                break
            if k == 0:
                first = size
            elif size > 0.5 * first:          # not contracting: the step was too long
                break
        if not ok or np.linalg.norm(zc - zp) > 0.3 * h:
            h *= 0.5
            if h < 1e-12:
                return z[:n], False, step
            continue
        tn = tangent(H(zc)[1], t)
        tn = -tn if tn @ t < 0 else tn       # keep the orientation of the curve
        if zc[n] >= 1.0:                      # crossed lambda = 1: interpolate onto it
            w = (1.0 - z[n]) / (zc[n] - z[n])
            return z[:n] + w * (zc[:n] - z[:n]), True, step
        cos, z, t = tn @ t, zc, tn
        if k <= 2 and cos > 0.99:             # easy step on a straight stretch: lengthen
            h *= 2.0
        elif cos < 0.9:                       # sharp turn: shorten
            h *= 0.5
    return z[:n], False, max_steps


def fixed_point(model, x0=None, tol=1e-10, max_iter=100, settle=2000.0, dt=0.1, raise_on_failure=True,
                homotopy_steps=4000):
    """Find x* with f(x*) = 0 (delays do not move fixed points, so they are ignored).

    Damped Newton iteration on the generated analytic Jacobian from ``x0``
    (default: the model's initial state), with backtracking on ``max |f|``. If it
    does not converge, the model is integrated for ``settle`` ms (RK4, step
    ``dt``) toward a steady state and Newton restarts from there (this finds an
    attracting equilibrium when there is one). If that fails too (the run ends
    on a limit cycle, or Newton stalls at a residual minimum that is no root),
    the probability-one homotopy of the module docstring is followed from
    ``x0`` for at most ``homotopy_steps`` steps (0: skip) and Newton polishes
    its end point; this finds unstable equilibria as well.

    Returns a :class:`FixedPoint`; raises :class:`ModelError` naming the
    state with the largest residual when neither converges (unless
    ``raise_on_failure=False``).
    """
    x = model._state(model.x0 if x0 is None else x0, "x0").copy()
    x1, res, ok, it = _newton(model, x, tol, max_iter)
    method = "newton"
    if not ok and settle:
        try:
            traj = model.simulate(settle, dt, method="rk4", initial=x1 if np.all(np.isfinite(x1)) else x,
                                  record=[], noise=False)
            x2, res2, ok, it2 = _newton(model, traj.final_state.copy(), tol, max_iter)
            if ok or res2 < res:
                x1, res, it = x2, res2, it + it2
            method = "integrate+newton"
        except Exception:   # noqa: BLE001 - a diverging settle run just means no better start
            pass
    if not ok and homotopy_steps:
        from .evaluator import LinearEvaluator
        ev = LinearEvaluator(model)
        state = ev.current()
        xh, _, steps = homotopy(lambda z: ev.jacobian(z, state), x, max_steps=homotopy_steps)
        if np.all(np.isfinite(xh)):
            x3, res3, ok3, it3 = _newton(model, xh, tol, max_iter)
            if ok3 or res3 < res:
                x1, res, ok, it = x3, res3, ok3, it + steps + it3
        method = "homotopy+newton" if ok else method + ", then homotopy"
    fp = FixedPoint(x1, float(res), bool(ok), it, method, model.state_index)
    if not ok and raise_on_failure:
        f = np.abs(model.rhs(x1))
        k = int(np.nanargmax(f))
        node, mass, state = model.state_index[k]
        raise ModelError(f"no fixed point found (max |f| = {res:.3g} after {it} Newton steps, {method}); "
                         f"largest residual {f[k]:.3g} in state {state!r} of {mass!r} in node {node!r}. "
                         "Try another x0, a longer settle time or more homotopy_steps, or check that "
                         "the model has an isolated equilibrium.")
    return fp
