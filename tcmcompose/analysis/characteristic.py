r"""Rightmost characteristic roots of linear delay differential equations.

For :math:`\dot x(t) = A_0 x(t) + \sum_k A_k x(t - \tau_k)` the roots of
:math:`\det M(s) = 0`, :math:`M(s) = sI - A_0 - \sum_k A_k e^{-s\tau_k}`,
are approximated by the eigenvalues of a pseudospectral (Chebyshev
collocation) discretisation of the infinitesimal generator of the solution
semigroup on :math:`[-\tau_{max}, 0]` (Breda, Maset & Vermiglio 2005, SIAM J
Sci Comput 27:482-495; the method of DDE-BIFTOOL's ``roots``), then refined by
Newton's method on :math:`\det M(s)` with the trace formula
:math:`s \leftarrow s - 1/\mathrm{tr}(M(s)^{-1} M'(s))`.
"""
import numpy as np


def _cheb(N):
    """Chebyshev points t_j = cos(j pi / N) and the differentiation matrix (Trefethen 2000)."""
    if N == 0:
        return np.array([1.0]), np.zeros((1, 1))
    t = np.cos(np.pi * np.arange(N + 1) / N)
    c = np.hstack([2.0, np.ones(N - 1), 2.0]) * (-1.0) ** np.arange(N + 1)
    T = np.tile(t, (N + 1, 1)).T
    dT = T - T.T
    Dm = np.outer(c, 1.0 / c) / (dT + np.eye(N + 1))
    Dm -= np.diag(Dm.sum(axis=1))
    return t, Dm


def _interp_row(nodes, point):
    """Barycentric Lagrange weights evaluating a polynomial on ``nodes`` at ``point``."""
    N = len(nodes) - 1
    w = (-1.0) ** np.arange(N + 1)
    w[0] *= 0.5
    w[-1] *= 0.5
    diff = point - nodes
    hit = np.isclose(diff, 0.0, atol=1e-14)
    if hit.any():
        row = np.zeros(N + 1)
        row[np.argmax(hit)] = 1.0
        return row
    r = w / diff
    return r / r.sum()


def _M(s, A0, delayed):
    n = A0.shape[0]
    M = s * np.eye(n) - A0
    dM = np.eye(n, dtype=complex)
    for A, tau in delayed:
        e = np.exp(-s * tau)
        M = M - A * e
        dM = dM + tau * A * e
    return M, dM


def newton_refine(s, A0, delayed, tol=1e-12, max_iter=50):
    """Refine one root of det M(s) = 0; returns (root, |step| of the last iteration)."""
    step = np.inf
    for _ in range(max_iter):
        M, dM = _M(s, A0, delayed)
        try:
            tr = np.trace(np.linalg.solve(M, dM))
        except np.linalg.LinAlgError:
            return s, 0.0          # exactly singular: s is a root
        if tr == 0:
            break
        step = 1.0 / tr
        s = s - step
        if abs(step) < tol * max(1.0, abs(s)):
            break
    return s, abs(step)


def characteristic_roots(A0, delayed=(), n_roots=10, n_cheb=None):
    """Rightmost roots of det(sI - A0 - sum_k A_k exp(-s tau_k)) = 0.

    Parameters
    ----------
    A0 : (n, n) array
    delayed : list of (A_k (n, n) array, tau_k > 0 in ms)
    n_roots : int
        How many roots to return (rightmost first).
    n_cheb : int, optional
        Chebyshev degree N of the discretisation (default 20, more for long
        delays relative to the system's time scales); the discretised
        generator has n (N + 1) eigenvalues, of which the rightmost are
        accurate.

    Returns (roots, errors): complex roots in 1/ms sorted by real part
    (descending) and the size of the last Newton step of each.
    """
    A0 = np.asarray(A0, dtype=float)
    n = A0.shape[0]
    delayed = [(np.asarray(A, dtype=float), float(t)) for A, t in delayed if float(t) > 0]
    if not delayed:
        ev = np.linalg.eigvals(A0)
        ev = ev[np.argsort(-ev.real)][:n_roots]
        return ev, np.zeros(len(ev))
    tau_max = max(t for _, t in delayed)
    N = n_cheb or 20
    t, Dm = _cheb(N)
    theta = tau_max * (t - 1.0) / 2.0          # theta_0 = 0, theta_N = -tau_max
    big = np.zeros((n * (N + 1), n * (N + 1)))
    # rows j >= 1: phi'(theta_j) from the differentiation matrix (chain rule 2/tau)
    big[n:, :] = np.kron(Dm[1:, :] * (2.0 / tau_max), np.eye(n))
    # row 0: the delay equation phi'(0) = A0 phi(0) + sum_k A_k phi(-tau_k)
    big[:n, :n] += A0
    for A, tau in delayed:
        row = _interp_row(theta, -tau)
        big[:n, :] += np.kron(row[None, :], A)
    ev = np.linalg.eigvals(big)
    ev = ev[np.argsort(-ev.real)]
    roots, errs = [], []
    for s in ev[: max(3 * n_roots, n_roots + 4)]:
        r, e = newton_refine(complex(s), A0, delayed)
        if all(abs(r - q) > 1e-8 * max(1.0, abs(r)) for q in roots):
            roots.append(r)
            errs.append(e)
    roots, errs = np.array(roots), np.array(errs)
    order = np.argsort(-roots.real)
    return roots[order][:n_roots], errs[order][:n_roots]
