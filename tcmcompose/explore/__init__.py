"""Batch runs, parameter sweeps, result stores, optimisers and the Dask back end.

``tc.explore(model, space, duration, dt, metrics=...)`` runs a sweep
(:func:`~tcmcompose.explore.sweep.explore`; this package is callable);
``tc.explore.metrics`` holds the built-in metrics, ``tc.explore.LatinHypercube``
and ``tc.explore.Sobol`` the samplers, ``tc.explore.Store`` the on-disk store.
"""
import sys
import types

from . import metrics  # noqa: F401
from .batch import RunError, run_seeds
from .batch_result import BatchResult
from .fit import FitResult, fit_cmaes
from .space import LatinHypercube, Sobol, grid
from .store import Store
from .sweep import explore
from .table import SweepFrame

__all__ = ["explore", "BatchResult", "RunError", "run_seeds", "LatinHypercube", "Sobol", "grid", "Store",
           "SweepFrame", "metrics", "fit_cmaes", "FitResult"]


class _CallableModule(types.ModuleType):
    """Lets ``tc.explore(...)`` run a sweep while ``tc.explore.metrics`` etc. stay reachable."""

    def __call__(self, *args, **kwargs):
        return explore(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
