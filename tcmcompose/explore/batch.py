"""Batches of runs of one model, in parallel threads: :func:`run_batch`.

Each run is a set of parameter edits (names as in
:meth:`~tcmcompose.CompiledModel.set_param`, e.g. ``"JR.mu"``, coupling
gains and delay scalings) plus a seed. Runs go to a thread pool; the
generated kernels release the GIL (``nogil=True``), so B runs use every core.
Each thread owns a model (see :mod:`.replicas`), so runs share no mutable
data. Numba's random generator is per thread and seeded at the start of each
run, so run k is bit-identical to ``model.simulate(..., seed=seed_k)`` alone,
whatever the number of threads or the order the runs finish in.
"""
import math
import os
import re
from concurrent.futures import ThreadPoolExecutor, wait, FIRST_COMPLETED

import numpy as np
import pandas as pd

from ..checks import integer
from ..errors import ModelError, SimulationError
from .replicas import ReplicaPool

#: edits of a run that are not model parameters
SEED = "seed"


def default_workers():
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run_seeds(seed, runs):
    """Seed of each run id in ``runs``: child ``k`` of ``numpy.random.SeedSequence(seed)``.

    Depends on the run id only, not on how runs are chunked, ordered or
    distributed, so a resumed or distributed sweep draws the same streams.
    """
    return [int(np.random.SeedSequence(seed, spawn_key=(int(k),)).generate_state(1)[0]) for k in runs]


def as_edits(runs):
    """A list of edit dicts from a count, a list of dicts or a DataFrame (one row per run)."""
    if isinstance(runs, (int, np.integer)):
        if runs < 1:
            raise ModelError(f"runs = {runs}; give a positive number of runs or a list of parameter edits.")
        return [{} for _ in range(int(runs))]
    if isinstance(runs, pd.DataFrame):
        return [{k: v for k, v in row.items()} for row in runs.to_dict("records")]
    edits = [dict(e) for e in runs]
    if not edits:
        raise ModelError("a batch needs at least one run (a count, a list of parameter edits or a DataFrame).")
    return edits


def apply_edits(model, edit):
    """Apply one run's parameter edits to ``model`` (keys: set_param names, or (name, nodes) pairs)."""
    for name, value in edit.items():
        if name == SEED:
            continue
        if isinstance(name, tuple):
            model.set_param(name[0], value, nodes=name[1])
        else:
            model.set_param(name, value)


def divergence(err):
    """(time in ms, "node.mass.state") of a divergence error, where it says so."""
    t = getattr(err, "time", None)
    where = getattr(err, "state", None)
    text = str(err)
    if t is None:
        m = re.search(r"t = ([-+0-9.eE]+|inf|nan) ms", text)
        t = float(m.group(1)) if m else math.nan
    if where is None:
        m = re.search(r"state '([^']*)' of population '([^']*)' in node '([^']*)'", text)
        where = f"{m.group(3)}.{m.group(2)}.{m.group(1)}" if m else ""
    return float(t), str(where)


class RunError:
    """What went wrong in one run of a batch (``on_error="record"``)."""

    def __init__(self, run, error):
        self.run = run
        self.error = error
        self.diverged = isinstance(error, SimulationError) and "diverged" in str(error)
        self.time, self.state = divergence(error) if self.diverged else (math.nan, "")

    @property
    def message(self):
        return f"{type(self.error).__name__}: {self.error}"

    def __repr__(self):
        return f"RunError(run {self.run}: {self.message})"


def run_batch(pool, edits, seeds, duration, dt, method="heun", workers=None, reduce=None, on_error="raise",
              on_done=None, **options):
    """Run ``edits[k]`` with ``seeds[k]`` for every k on the models of ``pool``.

    ``reduce(result, k)`` (optional) runs in the worker thread and its
    return value is kept instead of the Result, which bounds memory to one
    Result per thread. ``on_error="record"`` keeps a :class:`RunError` in
    place of a run that raised (a divergence says when and where);
    ``"raise"`` re-raises the first error after the running runs finish.
    ``on_done(k, value)`` is called in the caller's thread as runs finish.
    Returns the list of values in run order. Ctrl-C cancels the runs not
    started, waits for the running ones (each at most one run long) and
    re-raises.
    """
    if on_error not in ("raise", "record"):
        raise ModelError(f"on_error={on_error!r}; choose 'raise' or 'record'.")
    n = len(edits)
    workers = max(1, min(int(workers or pool.size), pool.size, n))

    def one(k):
        m = pool.acquire()
        try:
            apply_edits(m, edits[k])
            res = m.simulate(duration, dt, method, seed=seeds[k], **options)
            if res.info.get("interrupted"):      # Ctrl-C inside simulate: the batch stops, not a short run
                raise KeyboardInterrupt
            return reduce(res, k) if reduce is not None else res
        except Exception as err:      # noqa: BLE001 - recorded or re-raised below
            if on_error == "record":
                return RunError(k, err)
            raise
        finally:
            pool.reset(m)
            pool.release(m)

    out = [None] * n
    if workers == 1:
        for k in range(n):
            out[k] = one(k)
            if on_done is not None:
                on_done(k, out[k])
        return out
    ex = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tcmcompose-batch")
    try:
        pending = {ex.submit(one, k): k for k in range(n)}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                k = pending.pop(f)
                out[k] = f.result()
                if on_done is not None:
                    on_done(k, out[k])
    finally:
        ex.shutdown(wait=True, cancel_futures=True)
    return out


def simulate_batch(model, runs, duration, dt, method="heun", seed=None, workers=None, reduce=None,
                   on_error="raise", max_bytes=8 * 2 ** 30, **options):
    """See :meth:`tcmcompose.CompiledModel.simulate_batch`."""
    from .batch_result import BatchResult
    edits = as_edits(runs)
    if seed is None:
        seed = np.random.SeedSequence().entropy      # one root for the whole batch
    else:
        seed = integer(seed, "simulate_batch seed", minimum=0)
    seeds = [int(e[SEED]) if SEED in e and not _missing(e[SEED]) else None for e in edits]
    drawn = run_seeds(seed, range(len(edits)))
    seeds = [s if s is not None else d for s, d in zip(seeds, drawn)]
    workers = default_workers() if workers is None else int(workers)
    if workers < 1:
        raise ModelError(f"workers = {workers}; give at least 1 thread.")
    if reduce is None:
        _check_memory(model, len(edits), duration, dt, options, max_bytes)
    pool = ReplicaPool(model, min(workers, len(edits)))
    try:
        values = run_batch(pool, edits, seeds, duration, dt, method, workers, reduce, on_error, **options)
    finally:
        pool.restore()
    return BatchResult(values, edits, seeds)


def _missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def _check_memory(model, n_runs, duration, dt, options, max_bytes):
    """Refuse a batch whose kept traces would not fit in ``max_bytes``."""
    record = options.get("record")
    if record is None:
        cols = model.n_states
    else:
        names = [record] if isinstance(record, str) else list(record)
        cols = len(names) * max(1, len(model._low.node_labels))
    every = max(1, int(options.get("every", 1)))
    samples = (duration - float(options.get("transient", 0.0))) / dt / every + 1
    need = n_runs * samples * cols * 8
    if need > max_bytes:
        raise ModelError(f"this batch would keep about {need / 2 ** 30:.1f} GiB of traces ({n_runs} runs x "
                         f"{samples:,.0f} samples x ~{cols} columns); pass reduce= to keep a summary per run, "
                         "record fewer variables, a larger every=, or split the batch (max_bytes= to allow it).")
