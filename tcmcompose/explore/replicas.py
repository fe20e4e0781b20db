"""Independent copies of one built model, for running it in several threads at once.

A :class:`~tcmcompose.CompiledModel` holds editable data (parameter table,
connection table, coupling matrices, initial state) next to its compiled
kernels. Two threads may run the same kernels at once (they are compiled with
``nogil=True`` and keep no global state apart from Numba's per-thread random
generator), but never edit the same data: each thread takes its own replica
from a :class:`ReplicaPool`. A replica is rebuilt from the model's structure
(``pickle`` by structure where the model supports it, else ``build`` of its
network from the on-disk cache, ~20 ms for 76 nodes), never by copying
compiled code, and carries the model's current values.
"""
import io
import pickle
import queue

import numpy as np


class _Spec:
    """A model's declaration and data, for models whose class does not pickle by structure."""

    def __init__(self, model):
        self.network = model.network
        self.unroll = getattr(model, "_unroll", None)     # (None: decide by size, as build does)
        self.params, self.connections = model.params, model.connections
        self.x0, self.u_base = model.x0, model.u_base
        self.couplings = [(np.asarray(c.weights), np.asarray(c.delays), c.gain) for c in model.couplings]

    def build(self):
        from ..model import build
        new = build(self.network, eager=False, unroll=self.unroll)
        new.params = self.params.copy()
        new.connections = self.connections.copy()
        new.x0 = np.array(self.x0, dtype=float)
        new.u_base = np.array(self.u_base, dtype=float)
        for c, (w, d, gain) in zip(new.couplings, self.couplings):
            c.weights, c.delays, c.gain = np.array(w, dtype=float), np.array(d, dtype=float), gain
        return new


def _bare(cls, state):
    obj = cls.__new__(cls)
    obj.__dict__.update(state)
    return obj


class _Pickler(pickle.Pickler):
    """Leaves out the per-node caches of lambdified link expressions (rebuilt on use)."""

    def reducer_override(self, obj):
        from ..nodes.node import Node
        if isinstance(obj, Node) and getattr(obj, "_compiled", None):
            return _bare, (type(obj), dict(obj.__dict__, _compiled={}))
        return NotImplemented


def _dumps(obj):
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()


def model_spec(model):
    """Bytes from which :func:`load_spec` rebuilds ``model`` (structure and data, no compiled code)."""
    try:
        return _dumps(model)
    except (TypeError, AttributeError, pickle.PicklingError):
        return _dumps(_Spec(model))       # a model class without structure pickling


def load_spec(spec):
    """The model of :func:`model_spec` bytes, built from the on-disk cache of generated code."""
    obj = pickle.loads(spec)
    return obj.build() if isinstance(obj, _Spec) else obj


def replicate(model):
    """A new model with the same kernels and a private copy of ``model``'s data."""
    return load_spec(model_spec(model))


class ReplicaPool:
    """``n`` models that runs can borrow, one per thread.

    The first is ``model`` itself (the caller waits for the batch, so nobody
    else edits it meanwhile); the others are replicas, all made here, before
    any run starts, from the model's current state. A borrowed model starts
    from the parameter values the pool was made with (:meth:`reset`), so
    runs never see each other's edits.
    """

    def __init__(self, model, n=1):
        self.model = model
        self._base = model.params["value"].to_numpy(dtype=float, copy=True)
        self._free = queue.SimpleQueue()
        self._free.put(model)
        self.size = max(1, int(n))
        for _ in range(self.size - 1):
            self._free.put(replicate(model))

    def acquire(self):
        m = self._free.get()
        self.reset(m)
        return m

    def reset(self, m):
        m.params["value"] = self._base.copy()

    def release(self, m):
        self._free.put(m)

    def restore(self):
        """Give the original model its starting parameter values back."""
        self.reset(self.model)
