r"""Gradient-free fitting with CMA-ES: :func:`fit_cmaes`.

The covariance matrix adaptation evolution strategy (Hansen & Ostermeier
2001, Evol Comput 9:159; the ``cma`` package) samples a population of
candidate parameter sets per generation, ranks them by a loss and adapts a
Gaussian search distribution. Each population runs as one batch on the
machinery of :func:`~tcmcompose.explore.explore`: threads over the nogil
kernels in-process, or Dask tasks with ``client=``.

Parameters are searched in the box ``bounds``, mapped to the unit cube
(log-uniformly for names in ``log``). The loss is a function of a point's
metrics, or a dict ``{metric: weight}`` meaning
:math:`L = \sum_k w_k\, m_k` (e.g. ``{"fc": 1.0, "fcd": 0.5}`` with
``fc = metrics.fc_distance(target)``). Every candidate runs with the same
noise seed (common random numbers), so the loss is a deterministic function
of the parameters. A candidate that fails (diverges, a metric raises or is
not finite) gets loss ``penalty``.

Requires the ``explore`` extra (``pip install "tcmcompose[explore]"``).
"""
import math
import time

import numpy as np
import pandas as pd

from ..errors import ModelError
from .batch import default_workers
from .metrics import as_metrics
from .replicas import ReplicaPool
from .sweep import run_points


class Evaluator:
    """Runs lists of points with metrics, in-process (a persistent pool of
    model replicas) or on a Dask client (connected once)."""

    def __init__(self, model, duration, dt, method, metrics, edit, options, client=None, workers=None, chunk=None):
        self.model, self.duration, self.dt, self.method = model, duration, dt, method
        self.metrics, self.edit, self.options = metrics, edit, options
        self.client, self._close, self.pool = None, lambda: None, None
        if client is not None:
            from .cluster import connect
            self.client, self._close = connect(client)
            self.chunk = chunk or 1
        else:
            self.workers = default_workers() if workers is None else int(workers)
            self.pool = ReplicaPool(model, self.workers)
            self.chunk = chunk

    def __call__(self, records, seeds):
        if self.client is not None:
            from .cluster import run_on_dask
            rows = []
            run_on_dask(self.client, self.model, records, seeds, self.duration, self.dt, self.method, self.metrics,
                        self.edit, self.options, self.chunk, lambda r, counted=True: rows.extend(r))
            return sorted(rows, key=lambda r: r["point"])
        return run_points(self.pool, records, seeds, self.duration, self.dt, self.method, self.metrics, self.edit,
                          self.workers, self.options)

    def close(self):
        if self.pool is not None:
            self.pool.restore()
        self._close()


def run_seed(seed):
    """The noise seed every candidate of ``fit_cmaes(seed=seed)`` runs with
    (use it as the ``"seed"`` column of a sweep to map the same loss landscape)."""
    return int(np.random.SeedSequence(seed).generate_state(1)[0])


def loss_function(loss):
    """A callable(row) -> float from a callable or a dict {metric column: weight}."""
    if callable(loss):
        return loss
    if isinstance(loss, dict) and loss:
        weights = {k: float(w) for k, w in loss.items()}
        return lambda row: sum(w * row[k] for k, w in weights.items())
    raise ModelError("loss: give a callable(metrics row) -> float, or a dict {metric: weight}.")


class FitResult:
    """Outcome of :func:`fit_cmaes`.

    ``best`` (dict of parameter values), ``best_loss``, ``history`` (one row
    per evaluation: generation, the parameters, the metrics, ``loss``),
    ``evaluations``, ``seconds``, ``evals_per_second``, ``stop`` (why CMA-ES
    stopped).
    """

    def __init__(self, names, history, seconds, stop):
        self.names, self.history, self.seconds, self.stop = names, history, seconds, stop
        k = int(history["loss"].idxmin())
        self.best = {n: float(history.loc[k, n]) for n in names}
        self.best_loss = float(history.loc[k, "loss"])

    @property
    def evaluations(self):
        return len(self.history)

    @property
    def evals_per_second(self):
        return self.evaluations / self.seconds

    def path(self):
        """The best candidate of each generation (the optimiser's path)."""
        h = self.history
        return h.loc[h.groupby("generation")["loss"].idxmin()].reset_index(drop=True)

    def plot_path(self, x, y, ax=None, **kwargs):
        """The generations' best points over axes ``x`` and ``y``, joined in order."""
        import matplotlib.pyplot as plt
        ax = ax or plt.subplots()[1]
        p = self.path()
        ax.plot(p[x], p[y], "-o", color=kwargs.pop("color", "w"), ms=3, lw=1, **kwargs)
        ax.plot([self.best[x]], [self.best[y]], "*", color="r", ms=12, label="best")
        return ax

    def __repr__(self):
        shown = ", ".join(f"{k}={v:.4g}" for k, v in self.best.items())
        return (f"FitResult(best {shown}; loss {self.best_loss:.4g}; {self.evaluations} evaluations in "
                f"{self.seconds:.1f} s; stop: {self.stop})")


def fit_cmaes(model, bounds, duration, dt, metrics, loss, method="heun", x0=None, sigma0=0.3, popsize=None,
              max_evals=200, seed=0, log=(), edit=None, client=None, workers=None, penalty=1e6, progress=False,
              tolfun=1e-6, **options):
    """Minimise ``loss`` of the metrics of a run over the parameters in ``bounds`` with CMA-ES.

    Parameters
    ----------
    bounds : dict name -> (low, high)
        Parameters searched: :meth:`~tcmcompose.CompiledModel.set_param`
        names, or inputs of ``edit`` (as in :func:`~tcmcompose.explore.explore`).
    metrics : dict name -> metric
        See :mod:`tcmcompose.explore.metrics`.
    loss : callable(row) -> float or dict {metric column: weight}
    x0 : dict, optional
        Start (default: the centre of the box). ``sigma0`` is the initial
        step in units of the box width.
    popsize, max_evals, tolfun
        CMA-ES population size (default 4 + 3 ln d), evaluation budget, and
        stop when the generation's losses vary less than ``tolfun``.
    seed : int
        Seeds CMA-ES's sampling and every run's noise (common random numbers).
    client, workers
        Where populations run: a Dask client (see :func:`explore`) or ``workers`` threads.
    progress : bool
        Print one line per generation.
    **options
        Passed to ``simulate``.
    """
    try:
        import cma
    except ImportError:  # pragma: no cover - optional extra
        raise ImportError('fit_cmaes needs cma: pip install "tcmcompose[explore]"') from None
    metrics = as_metrics(metrics)
    loss_of = loss_function(loss)
    names = list(bounds)
    if len(names) < 2:
        raise ModelError(f"fit_cmaes searches 2 or more parameters (got {names}); for one parameter sweep a "
                         "1-D grid with tc.explore, or use scipy.optimize.minimize_scalar.")
    lo = np.array([float(bounds[n][0]) for n in names])
    hi = np.array([float(bounds[n][1]) for n in names])
    is_log = np.array([n in log for n in names])
    if np.any(~(hi > lo)) or np.any(is_log & (lo <= 0)):
        raise ModelError(f"bounds {bounds}: need low < high (and low > 0 on log axes {list(log)}).")
    a = np.where(is_log, np.log(np.where(is_log, lo, 1)), lo)
    b = np.where(is_log, np.log(np.where(is_log, hi, 1)), hi)

    def to_params(u):
        v = a + np.clip(u, 0, 1) * (b - a)
        return np.where(is_log, np.exp(v), v)

    if x0 is None:
        u0 = np.full(len(names), 0.5)
    else:
        v0 = np.array([float(x0[n]) for n in names])
        u0 = (np.where(is_log, np.log(np.abs(v0)), v0) - a) / (b - a)
    opts = {"bounds": [0.0, 1.0], "seed": int(seed) + 1, "maxfevals": int(max_evals), "verbose": -9,
            "tolfun": tolfun}
    if popsize:
        opts["popsize"] = int(popsize)
    es = cma.CMAEvolutionStrategy(u0.tolist(), float(sigma0), opts)
    noise_seed = run_seed(seed)
    evaluate = Evaluator(model, duration, dt, method, metrics, edit, options, client, workers)
    rows, t0, gen = [], time.perf_counter(), 0
    try:
        while not es.stop():
            us = es.ask()
            records = [dict(point=len(rows) + k, **dict(zip(names, map(float, to_params(u)))))
                       for k, u in enumerate(us)]
            out = evaluate(records, [noise_seed] * len(records))
            losses = []
            for r in out:
                value = penalty
                if r["status"] == "ok":
                    try:
                        value = float(loss_of(r))
                    except KeyError as err:       # a column the metrics do not make: the loss is wrong
                        shown = [c for c in r if c not in ("point", "status", "seed", *names)]
                        raise ModelError(f"the loss reads {err.args[0]!r}, which no metric gives; the metric "
                                         f"columns are {shown}.") from None
                    except (TypeError, ValueError):
                        value = penalty
                    if not math.isfinite(value):
                        value = penalty
                r.update(generation=gen, loss=value)
                losses.append(value)
            es.tell(us, losses)
            rows.extend(out)
            if progress:
                k = int(np.argmin(losses))
                shown = ", ".join(f"{n}={out[k][n]:.4g}" for n in names)
                print(f"generation {gen}: best loss {losses[k]:.4g} at {shown} ({len(rows)} evaluations)")
            gen += 1
    finally:
        evaluate.close()
    seconds = time.perf_counter() - t0
    history = pd.DataFrame(rows).rename(columns={"point": "evaluation"})
    first = ["generation", "evaluation"] + names + ["loss"]
    history = history[first + [c for c in history.columns if c not in first]]
    stop = ", ".join(f"{k}" for k in es.stop())
    return FitResult(names, history, seconds, stop)
