r"""Bayesian model comparison from free energies.

Fixed effects (one data set, or subjects pooled): with equal prior model
probabilities the posterior probability of model :math:`m` is
:math:`p(m \mid y) = e^{F_m} / \sum_k e^{F_k}` (the free energy :math:`F`
standing for the log evidence; Penny et al. 2004, NeuroImage 22:1157).

Random effects across subjects (Stephan et al. 2009, "Bayesian model
selection for group studies", NeuroImage 46:1004): model frequencies
:math:`r \sim \mathrm{Dir}(\alpha)`, each subject's model drawn from
:math:`r`; the variational update
:math:`u_{nk} \propto \exp(F_{nk} + \psi(\alpha_k) - \psi(\sum_j \alpha_j))`,
:math:`\alpha = \alpha_0 + \sum_n u_n` is iterated to convergence. Exceedance
probabilities :math:`\varphi_k = p(r_k > r_j\ \forall j \ne k)` come from
Dirichlet samples.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..lazy import LazyModule

special = LazyModule("scipy.special")


def _free_energy(p):
    return float(p.F if hasattr(p, "F") else p)


def compare(posteriors, names=None):
    """Fixed-effects comparison of models fitted to the same data.

    ``posteriors``: a list or dict of :class:`~tcmcompose.inference.Posterior`
    (or free energies in nats). Returns a DataFrame indexed by model with
    ``F``, ``dF`` (relative to the best model; a difference above 3 nats is
    "strong" evidence, posterior odds about 20:1) and ``probability`` (the
    posterior model probability under equal prior probabilities), best first.
    """
    if isinstance(posteriors, dict):
        names = list(posteriors) if names is None else names
        posteriors = list(posteriors.values())
    posteriors = list(posteriors)
    if len(posteriors) < 1:
        raise ModelError("compare needs at least one posterior.")
    names = [f"model{k}" for k in range(len(posteriors))] if names is None else [str(n) for n in names]
    if len(names) != len(posteriors):
        raise ModelError(f"{len(names)} names for {len(posteriors)} models.")
    F = np.array([_free_energy(p) for p in posteriors])
    if not np.all(np.isfinite(F)):
        raise ModelError(f"free energies must be finite; got {dict(zip(names, F))}.")
    table = pd.DataFrame({"F": F, "dF": F - F.max(), "probability": np.exp(F - special.logsumexp(F))},
                         index=pd.Index(names, name="model"))
    return table.sort_values("F", ascending=False)


@dataclass
class GroupComparison:
    """Random-effects model comparison (Stephan et al. 2009)."""
    alpha: pd.Series                   # Dirichlet parameters of the model frequencies
    expected_frequency: pd.Series      # E[r_k] = alpha_k / sum(alpha)
    exceedance: pd.Series              # p(r_k is the largest)
    subject_posterior: pd.DataFrame    # u_nk: posterior probability of model k for subject n


def compare_group(F, names=None, alpha0=1.0, n_samples=100_000, seed=0, tol=1e-10, max_iter=10_000):
    """Random-effects Bayesian model selection across subjects.

    ``F``: (subjects, models) log evidences (or a DataFrame, whose columns
    name the models). ``alpha0``: the Dirichlet prior (1 = flat).
    ``n_samples`` Dirichlet draws (``seed``) give the exceedance probabilities.
    """
    if isinstance(F, pd.DataFrame):
        names = list(F.columns) if names is None else names
        F = F.to_numpy(dtype=float)
    F = np.atleast_2d(np.asarray(F, dtype=float))
    n_sub, n_mod = F.shape
    if n_mod < 2 or not np.all(np.isfinite(F)):
        raise ModelError(f"compare_group needs finite log evidences for at least 2 models; got shape {F.shape}.")
    names = [f"model{k}" for k in range(n_mod)] if names is None else [str(n) for n in names]
    a0 = np.broadcast_to(np.asarray(alpha0, dtype=float), (n_mod,))
    alpha = a0.copy()
    for _ in range(max_iter):
        logu = F + special.digamma(alpha) - special.digamma(alpha.sum())
        u = np.exp(logu - special.logsumexp(logu, axis=1, keepdims=True))
        new = a0 + u.sum(axis=0)
        done = np.max(np.abs(new - alpha)) < tol
        alpha = new
        if done:
            break
    r = np.random.default_rng(seed).dirichlet(alpha, size=int(n_samples))
    exceed = np.bincount(np.argmax(r, axis=1), minlength=n_mod) / float(n_samples)
    idx = pd.Index(names, name="model")
    return GroupComparison(pd.Series(alpha, index=idx), pd.Series(alpha / alpha.sum(), index=idx),
                           pd.Series(exceed, index=idx), pd.DataFrame(u, columns=idx))
