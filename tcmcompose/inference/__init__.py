"""Bayesian model inversion: Variational Laplace, model comparison and reduction, spectral fitting."""
from .laplace import variational_laplace
from .posterior import Posterior
from .compare import GroupComparison, compare, compare_group
from .reduce import reduce_posterior
from .spectra import SpectralFit, SpectralModel, UnstableError, fit_spectra

__all__ = ["variational_laplace", "Posterior", "compare", "compare_group", "GroupComparison", "reduce_posterior",
           "fit_spectra", "SpectralModel", "SpectralFit", "UnstableError"]
