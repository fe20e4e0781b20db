"""Bayesian model inversion: Variational Laplace, model comparison and reduction, spectral fitting."""
from .laplace import variational_laplace
from .posterior import Posterior

__all__ = ["variational_laplace", "Posterior"]
