r"""Variational Laplace: Gauss-Newton inversion of a nonlinear model with Gaussian noise.

Generative model (Friston et al. 2007, "Variational free energy and the
Laplace approximation", NeuroImage 34:220-234):

.. math::

    y = g(\theta) + \epsilon, \quad \epsilon \sim N(0, \Pi(\lambda)^{-1}), \quad
    \Pi(\lambda) = \sum_i (e^{-32} + e^{\lambda_i}) Q_i, \\
    \theta \sim N(\eta_\theta, C_\theta), \quad \lambda \sim N(\eta_\lambda, C_\lambda).

The scheme follows the semantics of SPM's ``spm_nlsi_GN`` (as used for DCM
for cross-spectral densities, Moran et al. 2009 NeuroImage 44:796; Friston
et al. 2012 NeuroImage 59:439):

* parameters are reduced to the range of the prior covariance,
  :math:`p = V^T(\theta - \eta_\theta)` with :math:`V` an orthonormal basis of
  that range, so parameters with zero prior variance stay fixed;
* each iteration has an E-step on :math:`p` and an M-step of (at most 8)
  Fisher-scoring updates on :math:`\lambda` with
  :math:`\partial F/\partial\lambda_i = \tfrac12 \mathrm{tr}(P_i S) - \tfrac12 \mathrm{Re}(e^H P_i e)
  - \tfrac12 \mathrm{tr}(\Sigma_p J^H P_i J) - [C_\lambda^{-1}(\lambda-\eta_\lambda)]_i`,
  :math:`P_i = e^{\lambda_i} Q_i`, :math:`S = \Pi^{-1}`;
* the free energy :math:`F = L_1 + L_2 + L_3` with
  :math:`L_1 = \tfrac12\ln|\Pi| - \tfrac12 \mathrm{Re}(e^H \Pi e) - \tfrac{n_y}{2}\ln 2\pi` (accuracy),
  :math:`L_2 = \tfrac12 \ln|C_p^{-1}\Sigma_p| - \tfrac12 p^T C_p^{-1} p` and
  :math:`L_3 = \tfrac12 \ln|C_\lambda^{-1}\Sigma_\lambda| - \tfrac12 d^T C_\lambda^{-1} d` (minus complexity);
* a step is accepted when F rises (or in the first two iterations), and the
  log step size :math:`v` then grows by 1/2 (at most 4); otherwise the best
  point is restored and :math:`v \leftarrow \min(v-2, -4)`;
* the step is the matrix-exponential (Levenberg-Marquardt-like) update
  :math:`\Delta p = (e^{tH} - I) H^{-1} g`, :math:`t = e^{v - \ln|H|/n}`
  with :math:`g = \partial F/\partial p`, :math:`H = \partial^2 F/\partial p^2`:
  a Gauss-Newton step for large :math:`t`, a short gradient step for small;
* convergence when the predicted improvement :math:`g^T \Delta p` stays
  below ``tol`` (0.1 nats) on four consecutive iterations.

Complex data (cross-spectra) enter through the real parts of the quadratic
forms, each complex datum counting once in :math:`n_y`.
"""
import numpy as np
import pandas as pd

from ..errors import ModelError
from .posterior import Posterior

_LOG2PI = np.log(2.0 * np.pi)


def _logdet(A):
    """log |det A| (0 for an empty matrix)."""
    if A.size == 0:
        return 0.0
    return float(np.linalg.slogdet(A)[1])


def expm_step(H, g, log_step):
    r"""The matrix-exponential step :math:`(e^{tH} - I) H^{-1} g`, :math:`t = e^{v - \ln|H|/n}`.

    ``H`` is symmetric (the curvature of F), ``g`` the gradient and ``v =
    log_step``. Computed from the eigendecomposition of H, which equals the
    augmented-matrix exponential of Friston et al. (2007) without forming it.
    """
    g = np.asarray(g, dtype=float)
    if g.size == 0:
        return g.copy()
    w, U = np.linalg.eigh(H)
    t = np.exp(log_step - np.sum(np.log(np.maximum(np.abs(w), 1e-300))) / len(w))
    tw = np.minimum(t * w, 700.0)
    small = np.abs(w) * t < 1e-8
    phi = np.where(small, t, np.expm1(tw) / np.where(small, 1.0, w))
    return U @ (phi * (U.T @ g))


class _Noise:
    """The precision :math:`\\Pi(\\lambda)` as a weighted sum of components
    (diagonal vectors or dense matrices), or a fixed precision."""

    def __init__(self, n_y, Q, fixed, scale):
        self.scale = scale            # tempering: likelihood^beta multiplies the precision by beta
        if fixed is not None:
            P = np.asarray(fixed, dtype=float)
            if P.ndim == 0:
                P = np.full(n_y, float(P))
            if P.shape not in ((n_y,), (n_y, n_y)):
                raise ModelError(f"noise_precision has shape {P.shape}; give a scalar, {n_y} values or an "
                                 f"({n_y}, {n_y}) matrix for the {n_y} data points.")
            self.Q, self.fixed = [P], True
        else:
            Q = [np.ones(n_y)] if Q is None else [np.asarray(q, dtype=float) for q in Q]
            for i, q in enumerate(Q):
                if q.shape not in ((n_y,), (n_y, n_y)):
                    raise ModelError(f"precision component Q[{i}] has shape {q.shape}; give {n_y} diagonal "
                                     f"values or an ({n_y}, {n_y}) matrix.")
            self.Q, self.fixed = Q, False
        self.diag = all(q.ndim == 1 for q in self.Q)
        if not self.diag:
            self.Q = [np.diag(q) if q.ndim == 1 else q for q in self.Q]

    @property
    def n_h(self):
        return 0 if self.fixed else len(self.Q)

    def components(self, h):
        """P_i = e^{h_i} Q_i (times the tempering scale)."""
        return [self.scale * np.exp(hi) * q for hi, q in zip(h, self.Q)]

    def precision(self, h):
        if self.fixed:
            return self.scale * self.Q[0]
        return sum(self.scale * (np.exp(-32.0) + np.exp(hi)) * q for hi, q in zip(h, self.Q))

    def quad(self, P, a, b):
        """Re(a^H P b) for vectors or matrices a, b."""
        if P.ndim == 1:
            return np.real(a.conj().T @ (P[:, None] * b if b.ndim == 2 else P * b))
        return np.real(a.conj().T @ (P @ b))

    def logdet(self, P):
        if P.ndim == 1:
            return float(np.sum(np.log(P)))
        sign, ld = np.linalg.slogdet(P)
        return float(ld)

    def inverse(self, P):
        return 1.0 / P if P.ndim == 1 else np.linalg.inv(P)


def _as_prior(prior_mean, prior_cov, names):
    if isinstance(prior_mean, pd.Series):
        names = list(prior_mean.index) if names is None else names
    mean = np.asarray(prior_mean, dtype=float).reshape(-1)
    n = len(mean)
    C = np.asarray(prior_cov.to_numpy() if isinstance(prior_cov, pd.DataFrame) else prior_cov, dtype=float)
    if C.ndim == 0:
        C = np.eye(n) * float(C)
    elif C.ndim == 1:
        C = np.diag(C)
    if C.shape != (n, n):
        raise ModelError(f"prior_cov has shape {C.shape}; give {n} variances or an ({n}, {n}) matrix "
                         f"for the {n} parameters.")
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(C))):
        raise ModelError("prior_mean and prior_cov must be finite.")
    if not np.allclose(C, C.T, atol=1e-12 * max(1.0, np.abs(C).max())):
        raise ModelError("prior_cov must be symmetric.")
    names = [f"theta{k}" for k in range(n)] if names is None else [str(x) for x in names]
    if len(names) != n:
        raise ModelError(f"{len(names)} names for {n} parameters.")
    return mean, C, names


def prior_basis(C, tol=1e-10):
    """Orthonormal basis V of the range of the prior covariance (parameters
    with zero prior variance are fixed). Diagonal priors keep the parameter
    axes, so each reduced coordinate is one parameter."""
    if np.count_nonzero(C - np.diag(np.diag(C))) == 0:
        d = np.diag(C)
        keep = np.nonzero(d > tol * max(d.max(initial=0.0), 1e-300))[0]
        return np.eye(len(d))[:, keep]
    w, U = np.linalg.eigh(C)
    if np.any(w < -1e-8 * max(w.max(), 1e-300)):
        raise ModelError("prior_cov is not positive semi-definite.")
    return U[:, w > tol * max(w.max(), 1e-300)]


def variational_laplace(g, y, prior_mean, prior_cov, *, Q=None, hyper_mean=None, hyper_cov=None,
                        noise_precision=None, jacobian=None, x0=None, names=None, max_iter=128, tol=0.1,
                        temper=None, fd_step=np.exp(-8.0), callback=None, hyper=None):
    r"""Invert ``y ≈ g(theta)`` by Variational Laplace (see the module docstring).

    Parameters
    ----------
    g : callable
        ``g(theta) -> prediction`` (real or complex, any shape; same size as y).
    y : array_like
        Data (real or complex, any shape).
    prior_mean, prior_cov : array_like
        Gaussian prior on theta: mean (n,) or a Series (its index names the
        parameters); covariance (n, n), variances (n,) or a scalar. Zero
        variance fixes a parameter at its prior mean.
    Q : list of arrays, optional
        Precision components (each n_y diagonal values or an (n_y, n_y)
        matrix); default one identity component.
    hyper_mean, hyper_cov : optional
        Prior on the log precisions lambda (default mean
        :math:`-\ln \mathrm{var}(y) + 4`, variance :math:`e^{-4}`).
    noise_precision : scalar, (n_y,) or (n_y, n_y), optional
        Fixed noise precision: no hyperparameters are estimated.
    jacobian : callable, optional
        ``jacobian(theta) -> dg/dtheta`` with shape ``y.shape + (n,)`` or
        ``(n_y, n)``; default one-sided finite differences with step ``fd_step``
        along the reduced coordinates.
    x0 : array_like, optional
        Starting parameters (default: the prior mean).
    max_iter : int
        Maximum number of iterations (128).
    tol : float
        Convergence: predicted improvement below ``tol`` nats on four
        consecutive iterations.
    temper : sequence of floats in (0, 1], optional
        Inverse temperatures beta: the likelihood raised to beta (its
        precision multiplied by beta) for each stage in turn, each started
        from the previous stage's posterior; the last stage should be 1 and
        only it gives the evidence bound F.
    callback : callable, optional
        Called after each iteration with a dict (iteration, theta, F,
        accepted, log_step, dF); returning True stops the iteration.
    hyper : array_like, optional
        Starting log precisions (default: their prior mean).

    Returns
    -------
    Posterior
    """
    y = np.asarray(y)
    yv = y.reshape(-1)
    if np.iscomplexobj(yv):
        yv = yv.astype(complex)
    else:
        yv = yv.astype(float)
    if not np.all(np.isfinite(yv)):
        raise ModelError("the data y contain NaN or infinite values.")
    mean, C, names = _as_prior(prior_mean, prior_cov, names)
    stages = [1.0] if temper is None else [float(b) for b in temper]
    if not stages or any(not 0 < b <= 1 for b in stages):
        raise ModelError(f"temper must be a sequence of inverse temperatures in (0, 1]; got {temper!r}.")
    theta0 = mean.copy() if x0 is None else np.asarray(x0, dtype=float).reshape(-1)
    if theta0.shape != mean.shape:
        raise ModelError(f"x0 has {theta0.size} entries; there are {mean.size} parameters.")
    history, post = [], None
    for beta in stages:
        post = _invert(g, yv, y.shape, mean, C, names, Q, hyper_mean, hyper_cov, noise_precision, jacobian,
                       theta0, max_iter, tol, beta, fd_step, callback, hyper, history)
        theta0, hyper = post.mean.to_numpy(), (post.hyper if len(post.hyper) else hyper)
    return post


def _invert(g, yv, shape, mean, C, names, Q, hyper_mean, hyper_cov, noise_precision, jacobian, theta0,
            max_iter, tol, beta, fd_step, callback, h_start, history):
    n_y = yv.size
    V = prior_basis(C)
    nr = V.shape[1]
    Cp = V.T @ C @ V
    ipC = np.linalg.inv(Cp) if nr else np.zeros((0, 0))
    noise = _Noise(n_y, Q, noise_precision, beta)
    nh = noise.n_h
    if hyper_mean is None:
        hE = np.full(nh, -np.log(np.var(yv) + 1e-300) + 4.0)
    else:
        hE = np.broadcast_to(np.asarray(hyper_mean, dtype=float), (nh,)).copy()
    if hyper_cov is None:
        ihC = np.eye(nh) * np.exp(4.0)
    else:
        hc = np.asarray(hyper_cov, dtype=float)
        ihC = np.linalg.inv(hc if hc.ndim == 2 else np.eye(nh) * hc)
    h = hE.copy() if h_start is None or nh == 0 else np.broadcast_to(np.asarray(h_start, float), (nh,)).copy()

    def predict(p):
        theta = mean + V @ p
        f = np.asarray(g(theta))
        if f.size != n_y:
            raise ModelError(f"g(theta) returned {f.size} values; the data have {n_y}.")
        f = f.reshape(-1)
        if jacobian is not None:
            J = np.asarray(jacobian(theta)).reshape(n_y, -1) @ V
        else:
            J = np.empty((n_y, nr), dtype=np.result_type(f, float))
            for j in range(nr):
                J[:, j] = (np.asarray(g(theta + fd_step * V[:, j])).reshape(-1) - f) / fd_step
        return f, J

    def healthy(f, J):
        return np.all(np.isfinite(f)) and np.all(np.isfinite(J)) and (J.size == 0 or np.abs(J).max() < np.exp(32))

    p = V.T @ (theta0 - mean)
    v = -4.0
    best = None
    criterion = [False] * 4
    converged, reason = False, f"stopped after max_iter = {max_iter} iterations"
    Ch = np.zeros((nh, nh))
    for k in range(max_iter):
        # ---- prediction and its Jacobian (back off towards the best point if it fails)
        ok = False
        for attempt in range(5):
            try:
                f, Jg = predict(p)
                ok = healthy(f, Jg)
            except (FloatingPointError, np.linalg.LinAlgError, ArithmeticError, ModelError) as err:
                if best is None:
                    raise
                ok, last_err = False, err
            if ok:
                break
            if best is None:
                raise ModelError("the prediction g(theta) or its Jacobian is not finite at the starting "
                                 "parameters; start from other values (x0) or check the model.")
            v = min(v - 2.0, -4.0)
            p = best["p"] + expm_step(best["dFdpp"], best["dFdp"], v)
        if not ok:
            raise ModelError(f"the prediction stayed non-finite after backing off 4 times from the best "
                             f"parameters (iteration {k}); the model is unstable near {dict(zip(names, mean + V @ best['p']))}")
        e = yv - f
        J = -Jg
        # ---- M-step: Fisher scoring on the log precisions
        for _ in range(8 if nh else 1):
            Pi = noise.precision(h)
            Pp = noise.quad(Pi, J, J)
            Sp = np.linalg.inv(Pp + ipC) if nr else np.zeros((0, 0))
            if not nh:
                break
            S = noise.inverse(Pi)
            Ps = noise.components(h)
            PS = [P * S if P.ndim == 1 else P @ S for P in Ps]
            dFdh = np.empty(nh)
            dFdhh = np.empty((nh, nh))
            for i in range(nh):
                trPS = np.sum(PS[i]) if PS[i].ndim == 1 else np.trace(PS[i])
                JPJ = noise.quad(Ps[i], J, J)
                dFdh[i] = 0.5 * trPS - 0.5 * noise.quad(Ps[i], e, e) - 0.5 * np.sum(Sp * JPJ)
                for j in range(i, nh):
                    tr = np.sum(PS[i] * PS[j]) if PS[i].ndim == 1 else np.sum(PS[i] * PS[j].T)
                    dFdhh[i, j] = dFdhh[j, i] = -0.5 * tr
            d = h - hE
            dFdh = dFdh - ihC @ d
            dFdhh = dFdhh - ihC
            Ch = np.linalg.inv(-dFdhh)
            dh = np.clip(expm_step(dFdhh, dFdh, 4.0), -1.0, 1.0)
            h = h + dh
            if dFdh @ dh < 1e-2:
                break
        # ---- free energy at p
        Pi = noise.precision(h)
        L1 = 0.5 * noise.logdet(Pi) - 0.5 * noise.quad(Pi, e, e) - 0.5 * n_y * _LOG2PI
        L2 = 0.5 * _logdet(ipC @ Sp) - 0.5 * p @ ipC @ p if nr else 0.0
        d = h - hE
        L3 = 0.5 * _logdet(ihC @ Ch) - 0.5 * d @ ihC @ d if nh else 0.0
        F = float(L1 + L2 + L3)
        # ---- accept or reject
        accepted = best is None or F > best["F"] or k < 2
        if accepted:
            dFdp = noise.quad(Pi, -J, e) - ipC @ p if nr else np.zeros(0)
            dFdpp = -Pp - ipC
            best = {"p": p.copy(), "h": h.copy(), "F": F, "Sp": Sp, "Ch": Ch, "L1": float(L1),
                    "L23": float(L2 + L3), "dFdp": dFdp, "dFdpp": dFdpp, "f": f}
            v = min(v + 0.5, 4.0)
        else:
            h, Sp, Ch = best["h"].copy(), best["Sp"], best["Ch"]
            v = min(v - 2.0, -4.0)
        dp = expm_step(best["dFdpp"], best["dFdp"], v)
        p = best["p"] + dp
        dF = float(best["dFdp"] @ dp) if nr else 0.0
        entry = {"iteration": len(history), "beta": beta, "F": F, "accepted": bool(accepted), "log_step": v,
                 "dF_predicted": dF, "accuracy": float(L1), "complexity": float(-(L2 + L3))}
        history.append(entry)
        criterion = [dF < tol] + criterion[:-1]
        if callback is not None and callback(dict(entry, theta=mean + V @ best["p"])):
            reason = "stopped by the callback"
            break
        if all(criterion):
            converged, reason = True, f"predicted improvement below {tol:g} nats on 4 consecutive iterations"
            break
    theta = mean + V @ best["p"]
    cov = V @ best["Sp"] @ V.T
    return Posterior(
        mean=pd.Series(theta, index=names), cov=pd.DataFrame(cov, index=names, columns=names),
        F=best["F"], accuracy=best["L1"], complexity=-best["L23"], hyper=best["h"], hyper_cov=best["Ch"],
        prior_mean=pd.Series(mean, index=names), prior_cov=pd.DataFrame(C, index=names, columns=names),
        converged=converged, reason=reason, history=list(history), prediction=best["f"].reshape(shape))
