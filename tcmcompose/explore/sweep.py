"""Parameter sweeps: :func:`explore`.

A sweep runs the model once per point of a space (:mod:`.space`), reduces
each run to metrics (:mod:`.metrics`) in the thread that ran it, and returns
a tidy table, one row per point. Points run as batches in threads
(:mod:`.batch`) or as Dask tasks (:mod:`.cluster`); with ``store=`` every
finished chunk is committed to disk (:mod:`.store`), so a sweep killed at any
moment continues where it stopped when started again with the same store.
Each point's seed depends on its id only (child ``point`` of
``SeedSequence(seed)``, or its ``"seed"`` column), so results do not depend
on chunking, ordering, restarts or where a point ran.
"""
import json
import math
import time
import warnings

import numpy as np
import pandas as pd

from ..errors import ModelError
from .batch import SEED, RunError, default_workers, run_batch, run_seeds
from .metrics import as_metrics, evaluate
from .replicas import ReplicaPool
from .space import as_points
from .store import Store, model_identity
from .table import SweepFrame

STATUS_COLUMNS = ["seed", "status", "error", "diverged_time", "diverged_state"]


def point_edits(point, edit):
    """The set_param edits of one point (a dict of axis values)."""
    if edit is None:
        return dict(point)
    out = edit(dict(point))
    if not isinstance(out, dict):
        raise ModelError(f"edit(point) returned {type(out).__name__}; it must return a dict of set_param edits.")
    if SEED in point and SEED not in out:
        out[SEED] = point[SEED]
    return out


def run_points(pool, records, seeds, duration, dt, method, metrics, edit, workers, options, on_row=None):
    """Run the points ``records`` (dicts with ``point`` and the axes) on ``pool``: result rows."""
    edits = [point_edits({k: v for k, v in r.items() if k != "point"}, edit) for r in records]

    def row_of(res, k):
        values, errors = evaluate(metrics, res)
        return _row(records[k], seeds[k], values, errors)

    def done(k, value):
        if on_row is not None:
            on_row(finish(k, value))

    def finish(k, value):
        if isinstance(value, RunError):
            return _row(records[k], seeds[k], {}, {}, value)
        return value

    out = run_batch(pool, edits, seeds, duration, dt, method, workers, reduce=row_of, on_error="record",
                    on_done=done, **options)
    return [finish(k, v) for k, v in enumerate(out)]


def _row(record, seed, values, errors, run_error=None):
    row = dict(record)
    row.update(seed=int(seed), status="ok", error="", diverged_time=math.nan, diverged_state="")
    if run_error is not None:
        row.update(status="diverged" if run_error.diverged else "error", error=run_error.message,
                   diverged_time=run_error.time, diverged_state=run_error.state)
    elif errors:
        row.update(status="metric_error", error="; ".join(f"{k}: {m}" for k, m in errors.items()))
    row.update(values)
    return row


def _settings(duration, dt, method, metrics, seed, options, edit):
    def plain(v):
        try:
            json.dumps(v)
            return v
        except TypeError:
            return f"<{type(v).__name__}>"
    return {"duration": float(duration), "dt": float(dt), "method": method, "metrics": sorted(metrics),
            "seed": str(seed), "edit": getattr(edit, "__name__", None) if edit is not None else None,
            "options": {k: plain(v) for k, v in sorted(options.items())}}


def explore(model, space, duration, dt, metrics=None, method="heun", store=None, client=None, seed=None,
            edit=None, chunk=None, workers=None, progress=True, **options):
    """Run ``model`` at every point of ``space`` and summarise each run with ``metrics``.

    Parameters
    ----------
    model : CompiledModel
    space : dict, DataFrame or sampler
        A grid ``{"JR.mu": [...], "<coupling>.gain": [...]}`` (every
        combination), a DataFrame of points (one row each), or a
        :class:`~tcmcompose.explore.space.LatinHypercube` /
        :class:`~tcmcompose.explore.space.Sobol` sampler. Axis names are
        :meth:`~tcmcompose.CompiledModel.set_param` names and ``"seed"``,
        or anything ``edit`` maps to them.
    duration, dt : float
        ms, as :meth:`~tcmcompose.CompiledModel.simulate`.
    metrics : dict name -> callable(result)
        See :mod:`tcmcompose.explore.metrics`; a metric that raises on a point
        leaves NaN there, with its message in ``error`` (status
        ``"metric_error"``), and the sweep carries on.
    store : path, optional
        Folder of a :class:`~tcmcompose.explore.store.Store`: each finished
        chunk is committed; running the same sweep again continues it. A
        store written by another model structure or settings is refused.
    client : dask.distributed.Client, scheduler address, int or "processes"
        Run chunks of points as Dask tasks (:mod:`tcmcompose.explore.cluster`):
        a Client or address is used as is; an int or ``"processes"`` starts
        a LocalCluster of that many (or one per core) single-threaded worker
        processes for this sweep.
    seed : int
        Root of the per-point seeds (a store remembers it; default: drawn once).
    edit : callable(point dict) -> dict of set_param edits, optional
        Maps axes to model edits, e.g. ``lambda p: {"JR->JR.delay_scale": 3 / p["speed"]}``.
    chunk : int
        Points per chunk (one store commit, one Dask task). Default: 2 per
        thread in-process, 4 with Dask.
    workers : int
        Threads in-process (default: every core).
    progress : bool or callable(done, total)
        A tqdm bar, nothing, or a function called after each committed chunk.
    **options
        Passed to ``simulate`` (``record``, ``every``, ``transient``, ...).

    Returns
    -------
    SweepFrame
        A DataFrame, one row per point: ``point``, the axes, ``seed``,
        ``status`` (``ok``, ``metric_error``, ``diverged``, ``error``),
        ``error``, ``diverged_time`` (ms), ``diverged_state``, then the
        metrics; ``.failures()``, ``.summary()``, ``.plot_1d()``, ``.plot_2d()``.
    """
    metrics = as_metrics(metrics)
    points = as_points(space)
    store_obj = None
    if store is not None:
        store_obj = Store(store)
        if seed is None and store_obj.manifest_path.exists():
            seed = int(json.loads(store_obj.manifest_path.read_text())["settings"]["seed"])
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    col_seeds = points[SEED] if SEED in points.columns else None
    drawn = run_seeds(seed, points.index)
    seeds = [int(col_seeds.iloc[k]) if col_seeds is not None else drawn[k] for k in range(len(points))]
    settings = _settings(duration, dt, method, metrics, seed, options, edit)
    records = [dict(point=int(k), **row) for k, row in zip(points.index, points.to_dict("records"))]
    rows = []
    try:
        if store_obj is not None:
            key, desc = model_identity(model)
            store_obj.open(key, desc, settings, points)
            done = store_obj.done()
        else:
            done = set()
        todo = [k for k in range(len(points)) if k not in done]
        bar = _Progress(progress, len(points), len(done))
        commit = _committer(store_obj, rows, bar)
        try:
            if todo and client is not None:
                from .cluster import connect, run_on_dask
                client, close = connect(client)
                try:
                    run_on_dask(client, model, [records[k] for k in todo], [seeds[k] for k in todo], duration, dt,
                                method, metrics, edit, options, chunk or 4, commit)
                finally:
                    close()
            elif todo:
                workers = default_workers() if workers is None else int(workers)
                _run_here(model, [records[k] for k in todo], [seeds[k] for k in todo], duration, dt, method,
                          metrics, edit, workers, options, chunk or 2 * workers, commit, bar)
        finally:
            bar.close()
        table = store_obj.read() if store_obj is not None else pd.DataFrame(rows)
    finally:
        if store_obj is not None:
            store_obj.close()
    result = _tidy(table, points, metrics)
    failed = result[result.status != "ok"]
    if len(failed):
        warnings.warn(f"{len(failed)} of {len(result)} points failed or have metric errors; see .failures():\n"
                      + result.summary(5), stacklevel=2)
    return result


def _run_here(model, records, seeds, duration, dt, method, metrics, edit, workers, options, chunk, commit, bar):
    pool = ReplicaPool(model, min(workers, len(records)))
    try:
        for a in range(0, len(records), chunk):
            finished = []

            def on_row(row):
                finished.append(row)
                bar.update(1)
            try:
                run_points(pool, records[a:a + chunk], seeds[a:a + chunk], duration, dt, method, metrics, edit,
                           workers, options, on_row)
            except KeyboardInterrupt:
                commit(finished, interrupted=True)    # keep the points finished before Ctrl-C
                raise
            commit(finished)
    finally:
        pool.restore()


def _committer(store, rows, bar):
    def commit(chunk_rows, interrupted=False, counted=True):
        chunk_rows = sorted(chunk_rows, key=lambda r: r["point"])
        if store is not None and chunk_rows:
            store.append(pd.DataFrame(chunk_rows))
        rows.extend(chunk_rows)
        if not interrupted:
            bar.chunk_done(0 if counted else len(chunk_rows))
    return commit


class _Progress:
    def __init__(self, progress, total, done):
        self.total, self.n = total, done
        self.callback = progress if callable(progress) else None
        self.bar = None
        if progress is True:
            try:
                from tqdm.auto import tqdm
                self.bar = tqdm(total=total, initial=done, unit="point", desc="explore")
            except ImportError:  # pragma: no cover - optional extra
                pass

    def update(self, k):
        self.n += k
        if self.bar is not None:
            self.bar.update(k)

    def chunk_done(self, k=0):
        if k:
            self.update(k)
        if self.callback is not None:
            self.callback(self.n, self.total)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _tidy(table, points, metrics):
    if len(table) == 0:
        table = pd.DataFrame(columns=["point"] + list(points.columns) + STATUS_COLUMNS)
    axes = list(points.columns)
    first = ["point"] + axes + [c for c in STATUS_COLUMNS if c not in axes]
    rest = [c for c in table.columns if c not in first]
    table = table[first + rest].sort_values("point", kind="stable").reset_index(drop=True)
    return SweepFrame(table)
