r"""Bayesian model reduction: evidence and posterior of a reduced model from the full posterior.

Given the full model's Gaussian prior :math:`p(\theta) = N(\eta, C)` and
posterior :math:`q(\theta) = N(\mu, \Sigma)`, a reduced model that differs
only in its prior :math:`\tilde p(\theta)` has (Friston & Penny 2011,
"Post hoc Bayesian model selection", NeuroImage 56:2089; Friston et al. 2016,
"Bayesian model reduction and empirical Bayes for group (DCM) studies",
NeuroImage 128:413)

.. math::

    \ln \frac{p(y \mid \tilde m)}{p(y \mid m)} = \ln \int q(\theta)\,
    \frac{\tilde p(\theta)}{p(\theta)}\, d\theta ,
    \qquad \tilde q(\theta) \propto q(\theta)\, \tilde p(\theta) / p(\theta),

exact when the posterior is exact (linear-Gaussian models) and a Laplace
approximation otherwise. Reduced priors may have zero variance in some
directions (a connection switched off, a parameter fixed): the integral is
then taken over the affine subspace :math:`\theta = \tilde\eta + U z` that
carries the reduced prior :math:`z \sim N(0, \tilde C_z)`, which gives the
limit of a vanishing variance exactly instead of through a large precision:

.. math::

    \Delta F = \tfrac12\ln|P| - \tfrac12\ln|P_0| - \tfrac12\ln|\tilde C_z| - \tfrac12\ln|S|
    + \tfrac12 b^T S^{-1} b - \tfrac12\Phi(\tilde\eta), \\
    S = \tilde C_z^{-1} + U^T (P - P_0) U,\quad
    b = -U^T\big(P(\tilde\eta-\mu) - P_0(\tilde\eta-\eta)\big),\quad
    \Phi(\theta) = \|\theta-\mu\|^2_P - \|\theta-\eta\|^2_{P_0},

with :math:`P = \Sigma^{-1}`, :math:`P_0 = C^{-1}` on the range of the full
prior, and reduced posterior mean :math:`\tilde\eta + U S^{-1} b`,
covariance :math:`U S^{-1} U^T`.
"""
import numpy as np
import pandas as pd

from ..errors import ModelError
from .laplace import prior_basis
from .posterior import Posterior


def _logdet_pd(A, what):
    if A.size == 0:
        return 0.0
    sign, ld = np.linalg.slogdet(A)
    if sign <= 0:
        raise ModelError(f"{what} is not positive definite: the reduced prior is not compatible with the "
                         "full posterior (a reduced prior must not be wider than the full one where the "
                         "data say little).")
    return float(ld)


def reduce_posterior(posterior, prior_mean=None, prior_cov=None, fix=None):
    """Evidence and posterior of a reduced model, without refitting.

    Parameters
    ----------
    posterior : Posterior
        The full model's posterior (its ``prior_mean``/``prior_cov`` are the full prior).
    prior_mean, prior_cov : optional
        The reduced prior (defaults: the full prior's). Its range must lie in
        the full prior's range (a parameter fixed in the full model cannot be
        freed by reduction).
    fix : dict or list, optional
        Shortcut: parameters switched off, ``{"name": value}`` (or a list of
        names, fixed at their prior mean): zero prior variance and no
        covariance with the others.

    Returns
    -------
    (dF, Posterior): the change in log evidence ``ln p(y|reduced) - ln p(y|full)``
    and the reduced posterior (its ``F`` is the full F plus dF).
    """
    names = posterior.names
    eta = posterior.prior_mean.to_numpy(dtype=float)
    C = posterior.prior_cov.to_numpy(dtype=float)
    mu = posterior.mean.to_numpy(dtype=float)
    Sig = posterior.cov.to_numpy(dtype=float)
    eta_r = eta.copy() if prior_mean is None else np.asarray(
        prior_mean.reindex(names).to_numpy() if isinstance(prior_mean, pd.Series) else prior_mean, dtype=float)
    if prior_cov is None:
        C_r = C.copy()
    else:
        C_r = np.asarray(prior_cov.loc[names, names].to_numpy() if isinstance(prior_cov, pd.DataFrame)
                         else prior_cov, dtype=float)
        C_r = np.diag(C_r) if C_r.ndim == 1 else C_r
    if fix is not None:
        items = fix.items() if isinstance(fix, dict) else [(k, None) for k in fix]
        for name, value in items:
            if name not in names:
                raise ModelError(f"reduce_posterior: no parameter {name!r}; parameters: {names}.")
            k = names.index(name)
            C_r[k, :] = C_r[:, k] = 0.0
            if value is not None:
                eta_r[k] = float(value)
    if eta_r.shape != eta.shape or C_r.shape != C.shape:
        raise ModelError(f"reduced prior shapes {eta_r.shape}, {C_r.shape}; expected {eta.shape}, {C.shape}.")
    # work on the full prior's range (the reduction of variational_laplace)
    V = prior_basis(C)
    fixed_full = np.eye(len(eta)) - V @ V.T
    if np.abs(fixed_full @ C_r @ fixed_full).max(initial=0.0) > 1e-12 or \
            np.abs(fixed_full @ (eta_r - eta)).max(initial=0.0) > 1e-12:
        raise ModelError("the reduced prior moves or frees parameters that the full prior fixes; "
                         "reduction can only shrink the full prior.")
    Cv = V.T @ C @ V
    P0 = np.linalg.inv(Cv)
    P = np.linalg.inv(V.T @ Sig @ V)
    m = V.T @ (mu - eta)
    er = V.T @ (eta_r - eta)
    Crv = V.T @ C_r @ V
    U = prior_basis(Crv)
    Cz = U.T @ Crv @ U
    S = np.linalg.inv(Cz) + U.T @ (P - P0) @ U if U.shape[1] else np.zeros((0, 0))
    b = -U.T @ (P @ (er - m) - P0 @ er)
    phi = (er - m) @ P @ (er - m) - er @ P0 @ er
    Sinv_b = np.linalg.solve(S, b) if U.shape[1] else np.zeros(0)
    dF = (0.5 * _logdet_pd(P, "the full posterior precision") - 0.5 * _logdet_pd(P0, "the full prior precision")
          - 0.5 * _logdet_pd(Cz, "the reduced prior covariance")
          - 0.5 * _logdet_pd(S, "the reduced posterior precision") + 0.5 * b @ Sinv_b - 0.5 * phi)
    mean_r = eta + V @ (er + U @ Sinv_b)
    cov_r = V @ U @ (np.linalg.inv(S) if U.shape[1] else np.zeros((0, 0))) @ U.T @ V.T
    reduced = Posterior(
        mean=pd.Series(mean_r, index=names), cov=pd.DataFrame(cov_r, index=names, columns=names),
        F=posterior.F + float(dF), accuracy=np.nan, complexity=np.nan, hyper=posterior.hyper,
        hyper_cov=posterior.hyper_cov, prior_mean=pd.Series(eta_r, index=names),
        prior_cov=pd.DataFrame(C_r, index=names, columns=names), converged=posterior.converged,
        reason="Bayesian model reduction of a full posterior", history=[])
    return float(dF), reduced
