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
import pickle
import queue

import numpy as np


def replicate(model):
    """A new model with the same kernels and a private copy of ``model``'s data."""
    try:
        return pickle.loads(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    except (TypeError, AttributeError, pickle.PicklingError):
        pass                          # a model class without structure pickling
    from ..model import build
    new = build(model.network, eager=False, unroll=bool(getattr(model._mod, "UNROLLED", False)))
    new.params = model.params.copy()
    new.connections = model.connections.copy()
    new.x0 = np.array(model.x0, dtype=float)
    new.u_base = np.array(model.u_base, dtype=float)
    for mine, theirs in zip(new.couplings, model.couplings):
        mine.weights = np.array(theirs.weights, dtype=float)
        mine.delays = np.array(theirs.delays, dtype=float)
        mine.gain = theirs.gain
    return new


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
