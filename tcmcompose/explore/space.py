"""Parameter spaces: a grid, a table of points, or a sampler (Latin hypercube, Sobol).

Every space becomes a DataFrame with one row per point (index ``point``,
0..n-1) and one column per axis. Axis names are whatever the sweep's edits
take: :meth:`~tcmcompose.CompiledModel.set_param` names (``"JR.mu"``,
``"<coupling>.gain"``), ``"seed"``, or names an ``edit=`` function maps to them.
"""
import itertools

import numpy as np
import pandas as pd

from ..errors import ModelError


def grid(axes):
    """Every combination of the values of ``axes`` (dict name -> values); the
    last axis varies fastest."""
    names = list(axes)
    values = [np.atleast_1d(np.asarray(axes[k])) for k in names]
    for k, v in zip(names, values):
        if v.ndim != 1 or len(v) == 0:
            raise ModelError(f"grid axis {k!r} has no values or is not one-dimensional; give a list of values.")
    rows = list(itertools.product(*[v.tolist() for v in values]))
    return pd.DataFrame(rows, columns=names)


class _Sampler:
    """Points drawn in a box ``bounds`` (dict name -> (low, high)); names in
    ``log`` are sampled uniformly in log space (both bounds > 0)."""

    def __init__(self, bounds, n, seed=None, log=()):
        if not bounds:
            raise ModelError(f"{type(self).__name__} needs bounds: a dict name -> (low, high).")
        self.names = list(bounds)
        self.low = np.array([float(bounds[k][0]) for k in self.names])
        self.high = np.array([float(bounds[k][1]) for k in self.names])
        bad = [k for k, lo, hi in zip(self.names, self.low, self.high) if not (np.isfinite(lo) and hi > lo)]
        if bad:
            raise ModelError(f"bounds of {bad} must be finite with low < high.")
        self.log = np.array([k in log for k in self.names])
        if np.any(self.log & (self.low <= 0)):
            raise ModelError(f"log-scaled axes need positive bounds: {[k for k in log]}.")
        self.n, self.seed = int(n), seed
        if self.n < 1:
            raise ModelError(f"n = {n}; draw at least one point.")

    def unit(self):
        raise NotImplementedError

    def points(self):
        u = self.unit()
        lo = np.where(self.log, np.log(np.where(self.log, self.low, 1.0)), self.low)
        hi = np.where(self.log, np.log(np.where(self.log, self.high, 1.0)), self.high)
        x = lo + u * (hi - lo)
        x = np.where(self.log, np.exp(x), x)
        return pd.DataFrame(x, columns=self.names)


class LatinHypercube(_Sampler):
    """Latin hypercube sample of ``n`` points (McKay, Beckman & Conover 1979,
    Technometrics 21:239), ``scipy.stats.qmc.LatinHypercube``."""

    def unit(self):
        from scipy.stats import qmc
        return qmc.LatinHypercube(d=len(self.names), seed=self.seed).random(self.n)


class Sobol(_Sampler):
    """Scrambled Sobol sequence (Sobol 1967; Owen scrambling),
    ``scipy.stats.qmc.Sobol``; ``n`` a power of two keeps its balance."""

    def unit(self):
        from scipy.stats import qmc
        m = int(np.ceil(np.log2(self.n)))
        return qmc.Sobol(d=len(self.names), scramble=True, seed=self.seed).random_base2(m)[:self.n]


def as_points(space):
    """The points of ``space`` (dict grid, DataFrame or sampler) as a DataFrame indexed by ``point``."""
    if isinstance(space, dict):
        df = grid(space)
    elif isinstance(space, pd.DataFrame):
        df = space.reset_index(drop=True).copy()
    elif hasattr(space, "points"):
        df = space.points()
    else:
        raise ModelError(f"space is a {type(space).__name__}; give a dict of axis values (grid), a DataFrame "
                         "of points, or a sampler (LatinHypercube, Sobol).")
    if len(df) == 0 or len(df.columns) == 0:
        raise ModelError("the space has no points or no axes.")
    for c in df.columns:
        if not isinstance(c, str):
            raise ModelError(f"axis {c!r}: axis names are strings (set_param names, 'seed', or edit= inputs).")
        if df[c].dtype == object:
            raise ModelError(f"axis {c!r} holds non-numeric values; a sweep axis takes numbers "
                             "(map per-node values with edit=).")
    df.index = pd.RangeIndex(len(df), name="point")
    return df
