"""The Dask back end: chunks of sweep points as tasks on ``dask.distributed`` workers.

The model travels as its declaration and data (:func:`.replicas.model_spec`:
pickled by structure, never compiled code). A worker rebuilds it from the
on-disk cache of generated modules (``TCMCOMPOSE_CACHE``; generated and
compiled on the worker if absent) the first time it sees it, and keeps it
warm in a worker-local cache for later tasks; each worker thread borrows its
own copy. Results come back to the client, which alone writes the store, so
a task re-run after a worker died is still stored once.

Needs the ``cluster`` extra: ``pip install "tcmcompose[cluster]"``.
"""
import hashlib
import queue
import threading
from collections import OrderedDict

from ..errors import ModelError
from .replicas import ReplicaPool, load_spec, model_spec

#: spec hash -> free models, in this (worker) process; the least recently used is dropped beyond _KEEP
_MODELS = OrderedDict()
_LOCK = threading.Lock()
_KEEP = 4
_BUILT = {}          # spec hash -> models built from it in this process


def _checkout(key, spec):
    with _LOCK:
        free = _MODELS.get(key)
        if free is None:
            free = _MODELS[key] = queue.SimpleQueue()
            while len(_MODELS) > _KEEP:
                _MODELS.popitem(last=False)
        _MODELS.move_to_end(key)
    try:
        return free.get_nowait(), free
    except queue.Empty:
        with _LOCK:
            _BUILT[key] = _BUILT.get(key, 0) + 1
        return load_spec(spec), free


def worker_state():
    """{spec hash: (models built, models kept warm)} in this process (diagnostics, tests)."""
    with _LOCK:
        return {k: (_BUILT.get(k, 0), q.qsize()) for k, q in _MODELS.items()}


def run_chunk(key, spec, records, seeds, duration, dt, method, metrics, edit, options):
    """A Dask task: run sweep points on this worker's warm copy of the model; result rows."""
    from .sweep import run_points
    model, free = _checkout(key, spec)
    try:
        return run_points(ReplicaPool(model, 1), records, seeds, duration, dt, method, metrics, edit, 1, options)
    finally:
        free.put(model)


def connect(client):
    """(Client, close) from a Client, a scheduler address, a worker count or ``"processes"``."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - optional extra
        raise ImportError('client= needs dask.distributed: pip install "tcmcompose[cluster]"') from None
    if isinstance(client, Client):
        return client, lambda: None
    if isinstance(client, str) and client != "processes":
        c = Client(client)
        return c, c.close
    if client == "processes" or (isinstance(client, int) and not isinstance(client, bool) and client > 0):
        n = None if client == "processes" else int(client)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        c = Client(cluster)

        def close():
            c.close()
            cluster.close()
        return c, close
    raise ModelError(f"client={client!r}; give a dask.distributed.Client, a scheduler address "
                     "('tcp://host:port'), a number of local worker processes, or 'processes'.")


def run_on_dask(client, model, records, seeds, duration, dt, method, metrics, edit, options, chunk, commit):
    """Submit chunks of ``records`` as tasks on ``client`` (connected, see :func:`connect`);
    ``commit(rows)`` each chunk as it completes (any order)."""
    from dask.distributed import as_completed
    spec = model_spec(model)
    key = hashlib.sha256(spec).hexdigest()[:20]
    futures = []
    try:
        for a in range(0, len(records), chunk):
            futures.append(client.submit(run_chunk, key, spec, records[a:a + chunk], seeds[a:a + chunk], duration,
                                         dt, method, metrics, edit, options, pure=False))
        for f in as_completed(futures):
            commit(f.result(), counted=False)
    except BaseException:
        for f in futures:
            f.cancel()
        raise
