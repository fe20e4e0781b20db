"""Fixed points of a built model: damped Newton on the analytic Jacobian."""
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.linalg
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from ..errors import ModelError


@dataclass
class FixedPoint:
    """Result of :func:`fixed_point`."""
    x: np.ndarray            # flat state (see model.state_index)
    residual: float          # max |f(x)| (state units per ms)
    converged: bool
    iterations: int
    method: str              # "newton" or "integrate+newton"
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
            step = spla.spsolve(sps.csc_matrix(J), -f) if sparse else scipy.linalg.solve(J, -f)
        except (np.linalg.LinAlgError, scipy.linalg.LinAlgError):
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


def fixed_point(model, x0=None, tol=1e-10, max_iter=100, settle=2000.0, dt=0.1, raise_on_failure=True):
    """Find x* with f(x*) = 0 (delays do not move fixed points, so they are ignored).

    Damped Newton iteration on the generated analytic Jacobian from ``x0``
    (default: the model's initial state), with backtracking on ``max |f|``. If it
    does not converge, the model is integrated for ``settle`` ms (RK4, step
    ``dt``) toward a steady state and Newton restarts from there.

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
    fp = FixedPoint(x1, float(res), bool(ok), it, method, model.state_index)
    if not ok and raise_on_failure:
        f = np.abs(model.rhs(x1))
        k = int(np.nanargmax(f))
        node, mass, state = model.state_index[k]
        raise ModelError(f"no fixed point found (max |f| = {res:.3g} after {it} Newton steps, {method}); "
                         f"largest residual {f[k]:.3g} in state {state!r} of {mass!r} in node {node!r}. "
                         "Try another x0, a longer settle time, or check that the model has a stable "
                         "or isolated equilibrium.")
    return fp
