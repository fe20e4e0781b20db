"""The result of a Variational Laplace inversion: a Gaussian posterior and its free energy."""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Posterior:
    r"""Gaussian posterior :math:`q(\theta) = N(m, \Sigma)` with its free energy.

    ``F = accuracy - complexity`` approximates the log model evidence
    :math:`\ln p(y \mid m)` (nats). ``accuracy`` is the expected log likelihood
    term :math:`L_1` and ``complexity`` the parameter and hyperparameter
    terms :math:`-(L_2 + L_3)` of Friston et al. (2007), NeuroImage 34:220.
    ``mean`` is a Series and ``cov`` a DataFrame labelled by parameter name;
    ``hyper`` holds the log-precision hyperparameters :math:`\lambda` (empty
    when the noise precision was fixed).
    """
    mean: pd.Series
    cov: pd.DataFrame
    F: float
    accuracy: float
    complexity: float
    hyper: np.ndarray
    hyper_cov: np.ndarray
    prior_mean: pd.Series
    prior_cov: pd.DataFrame
    converged: bool
    reason: str
    history: list = field(default_factory=list)
    prediction: np.ndarray = None

    @property
    def names(self):
        return list(self.mean.index)

    @property
    def sd(self):
        """Posterior standard deviations (Series)."""
        return pd.Series(np.sqrt(np.maximum(np.diag(self.cov.to_numpy()), 0.0)), index=self.mean.index)

    def interval(self, level=0.9):
        """Central posterior credible intervals as a DataFrame (lower, upper)."""
        from scipy.stats import norm      # here: importing scipy.stats costs ~0.5 s
        z = norm.ppf(0.5 + level / 2.0)
        return pd.DataFrame({"lower": self.mean - z * self.sd, "upper": self.mean + z * self.sd})

    @property
    def n_iter(self):
        return len(self.history)

    def summary(self):
        """Prior and posterior mean and standard deviation per parameter."""
        return pd.DataFrame({"prior_mean": self.prior_mean,
                             "prior_sd": np.sqrt(np.maximum(np.diag(self.prior_cov.to_numpy()), 0.0)),
                             "mean": self.mean, "sd": self.sd})

    def __repr__(self):
        return (f"Posterior({len(self.mean)} parameters; F = {self.F:.4g} (accuracy {self.accuracy:.4g}, "
                f"complexity {self.complexity:.4g}); {self.n_iter} iterations; converged={self.converged}: "
                f"{self.reason})")
